"""Duplicating a project: from the source's saved version, never its live workspace.

The source's sandbox keeps running during a duplicate and may swap folders for links to
the host; the copy (made by the platform, as root) must contain none of the host's files,
and a duplicate that fails leaves no workspace, repository or row behind.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from appwright.context import AppContext
from appwright.models import User
from appwright.sandbox.base import SandboxError
from appwright.versions import ProjectRepo
from appwright.versions.git.duplicate import CannotDuplicate, duplicate_version
from appwright.versions.history import repo_for
from tests.helpers import create_project, signup
from tests.sandbox.swapper import swapping

pytestmark = pytest.mark.anyio

FOLDERS = [f"d{i}" for i in range(8)]


async def _unlimited(ctx: AppContext) -> None:
    async with ctx.sessions() as session:
        await session.execute(update(User).values(subscription_tier="enterprise"))
        await session.commit()


async def _project_with_folders(client: httpx.AsyncClient, ctx: AppContext) -> str:
    """A static project whose saved version has FOLDERS, each with ``keep.txt``."""
    await signup(client)
    await _unlimited(ctx)
    pid: str = (await create_project(client, "Source", "static"))["id"]
    ws = ctx.runtime.workspace_dir(pid)
    for name in FOLDERS:
        (ws / name).mkdir()
        (ws / name / "keep.txt").write_text("project file")
    assert await repo_for(ctx.runtime, pid).commit_all("Folders") is not None
    return pid


def _host_folder(path: Path) -> None:
    """Root-only host files with names and contents to look for."""
    (path / "sub").mkdir(parents=True)
    for i in range(50):
        (path / f"host-secret-{i}.txt").write_text("HOST-SECRET")
        (path / "sub" / f"host-secret-{i}.txt").write_text("HOST-SECRET")
    path.chmod(0o700)


def _tree(folder: Path) -> dict[str, str]:
    """Every entry below ``folder`` (links not followed): file contents, ``->`` link targets."""
    found: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [*dirnames, *filenames]:
            path = Path(dirpath, name)
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_text(errors="replace")
    return found


def _history(repo: ProjectRepo) -> str:
    """Every name and content in the repository's history."""
    git = ["git", f"--git-dir={repo.git.git_dir}"]
    log = subprocess.run([*git, "log", "--all", "-p", "--format=%H %s"], capture_output=True)
    names = subprocess.run(
        [*git, "ls-tree", "-r", "--name-only", "HEAD"], capture_output=True, check=True
    )
    return log.stdout.decode(errors="replace") + names.stdout.decode(errors="replace")


async def test_a_duplicate_never_contains_host_files_while_the_source_swaps_folders(
    client: httpx.AsyncClient, ctx: AppContext, tmp_path: Path
) -> None:
    pid = await _project_with_folders(client, ctx)
    host = tmp_path / "host"
    _host_folder(host)
    try:
        sandbox = await ctx.runtime.backend.create(pid)
    except SandboxError:
        sandbox = None  # no isolation on this machine: no sandbox at all
    if sandbox is None or sandbox.isolation != "bubblewrap":
        pytest.skip(
            "LOUD SKIP: needs root and bubblewrap — duplicating a project whose sandbox "
            "swaps folders for links to the host is NOT tested here"
        )
    copies: list[dict[str, Any]] = []
    async with swapping(ctx.runtime.backend, sandbox, host, FOLDERS):
        for _ in range(6):
            response = await client.post(f"/api/projects/{pid}/duplicate", json={})
            assert response.status_code == 201, response.text
            copies.append(response.json())
    for copy in copies:
        files = _tree(ctx.runtime.workspace_dir(copy["id"]))
        leaked = [
            f"{name}: {text}"
            for name, text in files.items()
            if "host-secret" in name or "HOST-SECRET" in text or str(host) in text
        ]
        assert leaked == [], f"{len(leaked)} host entries in a duplicate: {leaked[:5]}"
        history = _history(repo_for(ctx.runtime, copy["id"]))
        assert "HOST-SECRET" not in history and "host-secret" not in history
        assert str(host) not in history
        for name in FOLDERS:  # the saved version's folders, as real folders
            assert files[f"{name}/keep.txt"] == "project file"


async def test_a_duplicate_has_the_saved_version_without_unsaved_edits(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _project_with_folders(client, ctx)
    ws = ctx.runtime.workspace_dir(pid)
    (ws / "unsaved.txt").write_text("not a version yet")
    (ws / "node_modules").mkdir()
    (ws / "node_modules" / "x.js").write_text("dependency")
    response = await client.post(f"/api/projects/{pid}/duplicate", json={"name": "Twin"})
    assert response.status_code == 201, response.text
    copy = ctx.runtime.workspace_dir(response.json()["id"])
    files = _tree(copy)
    assert files["d0/keep.txt"] == "project file"
    assert "unsaved.txt" not in files and "node_modules" not in files
    assert (ws / "unsaved.txt").read_text() == "not a version yet"  # the source is untouched
    assert await repo_for(ctx.runtime, response.json()["id"]).status() == []  # one clean version


def _leftovers(ctx: AppContext) -> tuple[list[str], list[str]]:
    return (
        sorted(os.listdir(ctx.runtime.config.workspaces)),
        sorted(os.listdir(ctx.settings.repos_dir)),
    )


async def _total(client: httpx.AsyncClient) -> int:
    total: int = (await client.get("/api/projects")).json()["total"]
    return total


async def test_a_failed_duplicate_leaves_nothing_behind(
    client: httpx.AsyncClient, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = await _project_with_folders(client, ctx)
    before = _leftovers(ctx)
    history = await repo_for(ctx.runtime, pid).timeline()
    init = ProjectRepo.init

    async def init_then_fail(self: ProjectRepo, message: str = "") -> None:
        await init(self, message)  # the workspace and the repository exist by now
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ProjectRepo, "init", init_then_fail)
    try:
        response = await client.post(f"/api/projects/{pid}/duplicate", json={})
    except OSError:
        pass  # no generic error handler in this app: the exception reaches the client
    else:
        assert response.status_code == 500
    monkeypatch.undo()
    assert _leftovers(ctx) == before
    assert await _total(client) == 1
    assert await repo_for(ctx.runtime, pid).timeline() == history
    assert (ctx.runtime.workspace_dir(pid) / "d0" / "keep.txt").read_text() == "project file"


async def test_a_version_with_a_link_leaving_the_project_is_refused_clearly(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _project_with_folders(client, ctx)
    os.symlink("/etc/passwd", ctx.runtime.workspace_dir(pid) / "passwd")
    await repo_for(ctx.runtime, pid).commit_all("A link out")
    before = _leftovers(ctx)
    response = await client.post(f"/api/projects/{pid}/duplicate", json={})
    assert response.status_code == 409, response.text
    assert response.json()["error"] == "CannotDuplicate"
    assert "passwd" in response.json()["detail"]
    assert _leftovers(ctx) == before
    assert await _total(client) == 1


async def test_a_source_without_a_version_cannot_be_duplicated(tmp_path: Path) -> None:
    source = ProjectRepo(tmp_path / "workspaces" / "a", tmp_path / "repos" / "a.git")
    (tmp_path / "workspaces" / "a").mkdir(parents=True)
    (tmp_path / "repos").mkdir()
    target_id = uuid.uuid4().hex
    target = ProjectRepo(tmp_path / "workspaces" / target_id, tmp_path / "repos" / "t.git")
    with pytest.raises(CannotDuplicate):
        await duplicate_version(source, target, "copy")
    assert sorted(os.listdir(tmp_path / "workspaces")) == ["a"]
    assert os.listdir(tmp_path / "repos") == []
