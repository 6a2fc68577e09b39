"""Commit messages generated from the changed files."""

from __future__ import annotations

from pathlib import Path

import pytest

from appwright.versions.git.messages import describe_changes
from appwright.versions.git.repo import ProjectRepo
from appwright.versions.git.types import FileChange


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ([], "No changes"),
        ([FileChange("src/App.tsx", "M")], "Update App.tsx"),
        (
            [FileChange("src/App.tsx", "M"), FileChange("public/logo.svg", "A")],
            "Add logo.svg; update App.tsx",
        ),
        (
            [FileChange(f"src/f{i}.ts", "M") for i in range(5)],
            "Update f0.ts, f1.ts, f2.ts and 2 more files",
        ),
        (
            [FileChange("b.ts", "R", "a.ts"), FileChange("old.css", "D")],
            "Rename a.ts → b.ts; delete old.css",
        ),
        (
            [FileChange(f"components/very-long-component-name-{i}.tsx", "A") for i in range(3)]
            + [FileChange("x.ts", "D")],
            "Add, delete 4 files",
        ),
    ],
)
def test_describe_changes(changes: list[FileChange], expected: str) -> None:
    assert describe_changes(changes) == expected


@pytest.mark.anyio
async def test_commit_without_message_describes_files(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "index.html").write_text("<h1>hi</h1>")
    version = await repo.commit_all(None, "person")
    assert version is not None and version.message == "Add index.html"
