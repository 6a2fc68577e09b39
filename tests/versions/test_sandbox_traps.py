"""Traps set by project code in a real bubblewrap sandbox, then sprung through the API.

The sandbox user (its own uid, through ``/api/sandbox/{id}/execute``) plants a nested
git repository whose config defines a clean filter, a textconv driver and an fsmonitor
hook, each writing ``id -u`` to a marker in the workspace. The person then does what the
versions panel does — status, save, the unsaved-changes diff, save again, revert — and
nothing of the nested repository may run as root: no marker, a saved version without
the nested repository and without any gitlink (mode ``160000``).

These tests need root and bubblewrap (the platform's real isolation); elsewhere they skip
loudly. ``tests/versions/test_untrusted_workspace.py`` sets the same traps without a
sandbox, everywhere.
"""

from __future__ import annotations

import json
import time
import uuid

import anyio
import httpx
import pytest

from appwright.context import AppContext
from appwright.models import Project
from appwright.versions import service
from tests.helpers import create_project, signup

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]

PLANT_NESTED_REPO = r"""
set -eu
git init -q sub
cd sub
git config user.name sandbox && git config user.email sandbox@example.com
printf 'f filter=x diff=x\n' > .gitattributes
echo hello > f
git add -A && git commit -q -m nested
# Configured after the nested repository's own commit: only someone else's git runs them.
git config filter.x.clean 'id -u >> ../filter-ran.log; cat'
git config filter.x.smudge 'id -u >> ../filter-ran.log; cat'
git config diff.x.textconv 'id -u >> ../textconv-ran.log; cat'
git config core.fsmonitor 'id -u >> ../fsmonitor-ran.log; false'
sleep 1 && touch f
cd ..
echo '<h1>changed in the sandbox</h1>' > index.html
id -u
"""


def _events(body: str) -> list[tuple[str, dict[str, object]]]:
    events = []
    for block in body.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((lines["event"], json.loads(lines["data"])))
    return events


async def _sandbox_exec(client: httpx.AsyncClient, pid: str, command: str) -> str:
    """Run ``command`` in the project's sandbox as its user; its stdout (exit 0 required)."""
    response = await client.post(
        f"/api/sandbox/{pid}/execute", json={"command": command, "timeout": 60}
    )
    assert response.status_code == 200, response.text
    events = _events(response.text)
    out = "".join(str(d["data"]) for kind, d in events if kind == "stdout")
    err = "".join(str(d["data"]) for kind, d in events if kind == "stderr")
    assert events[-1][0] == "exit" and events[-1][1]["exit_code"] == 0, err
    return out


async def _isolated_project(client: httpx.AsyncClient, ctx: AppContext) -> str:
    await signup(client)
    pid = str((await create_project(client, "Trap", "static"))["id"])
    assert (await client.post("/api/sandbox/create", json={"project_id": pid})).status_code == 200
    deadline = time.monotonic() + 60
    while (await client.get(f"/api/sandbox/{pid}/status")).json()["status"] != "running":
        assert time.monotonic() < deadline, "the sandbox did not start"
        await anyio.sleep(0.1)
    sandbox = await ctx.runtime.backend.get(pid)
    assert sandbox is not None
    if ctx.runtime.isolation != "bubblewrap" or sandbox.uid is None:
        pytest.skip(
            "LOUD SKIP: needs root and bubblewrap (a sandbox with its own uid); "
            "the nested-repository trap was NOT sprung through a real sandbox"
        )
    return pid


async def _project(ctx: AppContext, pid: str) -> Project:
    async with ctx.sessions() as session:
        project = await session.get(Project, uuid.UUID(pid))
    assert project is not None
    return project


async def test_nested_repository_planted_by_the_sandbox_never_runs_as_root(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    pid = await _isolated_project(client, ctx)
    sandbox_uid = (await _sandbox_exec(client, pid, PLANT_NESTED_REPO)).strip()
    assert sandbox_uid.isdigit() and sandbox_uid != "0"
    workspace = ctx.runtime.workspace_dir(pid)
    assert (workspace / "sub" / ".git").is_dir()
    versions = f"/api/version-history/{pid}"

    status = (await client.get(f"{versions}/status")).json()
    saved = (await client.post(f"{versions}/save", json={})).json()["version"]
    status_after = (await client.get(f"{versions}/status")).json()
    working = (await client.get(f"{versions}/diff", params={"from": "HEAD"})).json()
    await _sandbox_exec(client, pid, "sleep 1 && touch sub/f && echo more >> index.html")
    second = (await client.post(f"{versions}/save", json={"message": "again"})).json()
    reverted = await client.post(f"{versions}/revert", json={"commit_hash": saved["hash"]})
    await client.get(f"{versions}/status")

    planted = {p.name: p.read_text() for p in workspace.glob("*-ran.log")}
    assert planted == {}, f"the nested repository's programs ran (uids: {planted})"
    assert [c["path"] for c in status["changes"]] == ["index.html"], status
    assert saved is not None and saved["files_changed"] == ["index.html"], saved
    assert status_after["changes"] == [], status_after
    assert [f["path"] for f in working["files"]] == [], working
    assert second["version"]["files_changed"] == ["index.html"], second
    assert reverted.status_code == 200, reverted.text

    repo = service.repo_of(ctx.runtime, await _project(ctx, pid))
    for rev in (saved["hash"], second["version"]["hash"], "HEAD"):
        listed = (await repo.git.run("ls-tree", "-r", "--full-tree", rev)).text
        assert " 160000 " not in f" {listed}" and "\tsub" not in listed, rev
    index = (await repo.git.run("ls-files", "--stage")).text
    assert not any(line.startswith("160000 ") for line in index.splitlines())
    # Still in the workspace, untracked: never versioned, like an ignored directory.
    raw = await repo.git.run("status", "--porcelain", "-uall", "--ignore-submodules=all")
    assert "?? sub/" in raw.text.splitlines()
    assert (workspace / "sub" / "f").read_text() == "hello\n"


async def test_gitlink_of_an_old_version_filled_by_the_sandbox_never_runs_as_root(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    """A version holding a gitlink and ``.gitmodules`` (a history from before this fix, or
    imported) is restored; the sandbox fills the submodule's empty directory with its
    own repository; the person keeps working."""
    pid = await _isolated_project(client, ctx)
    repo = service.repo_of(ctx.runtime, await _project(ctx, pid))
    first = (await repo.git.run("rev-parse", "HEAD")).text.strip()
    workspace = ctx.runtime.workspace_dir(pid)
    (workspace / ".gitmodules").write_text('[submodule "sub"]\n\tpath = sub\n\turl = ./sub\n')
    async with repo.git.locked():
        await repo.git.run("add", "--", ".gitmodules")
        await repo.git.run("update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},sub")
        tree = (await repo.git.run("write-tree")).text.strip()
        old = (await repo.git.run("commit-tree", tree, "-p", first, "-m", "gitlink")).text
        await repo.git.run("update-ref", "HEAD", old.strip())
    versions = f"/api/version-history/{pid}"
    assert (await client.post(f"{versions}/revert", json={"commit_hash": first})).is_success
    restored = await client.post(f"{versions}/revert", json={"commit_hash": old.strip()})
    assert restored.status_code == 200, restored.text

    await _sandbox_exec(
        client, pid, f"rmdir sub 2>/dev/null || mv sub sub.old\n{PLANT_NESTED_REPO}"
    )
    await client.get(f"{versions}/status")
    await client.get(f"{versions}/diff", params={"from": "HEAD"})
    saved = (await client.post(f"{versions}/save", json={})).json()["version"]
    await client.get(f"{versions}/status")

    planted = {p.name: p.read_text() for p in workspace.glob("*-ran.log")}
    assert planted == {}, f"the nested repository's programs ran (uids: {planted})"
    assert saved is not None
    listed = (await repo.git.run("ls-tree", "-r", "--full-tree", "HEAD")).text
    assert not any(line.startswith("160000 ") for line in listed.splitlines())
