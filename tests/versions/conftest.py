"""Fixtures: an initialised project repository (git dir outside the workspace)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from appwright.versions.git.repo import ProjectRepo


@pytest.fixture
def worktree(tmp_path: Path) -> Path:
    path = tmp_path / "ws"
    path.mkdir()
    return path


@pytest.fixture
async def repo(tmp_path: Path, worktree: Path) -> ProjectRepo:
    project = ProjectRepo(worktree, tmp_path / "repo.git")
    await project.init()
    return project


def git(cwd: Path, *args: str) -> str:
    """Plain git for test setup (an independent clone playing "someone on GitHub")."""
    return subprocess.run(
        [
            "git",
            "-c",
            "user.name=Other",
            "-c",
            "user.email=o@x",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
