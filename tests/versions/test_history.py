"""Commits, timeline, diff and revert on a project repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from appwright.versions.git.errors import (
    FileNotInVersion,
    RepositoryNotInitialized,
    VersionNotFound,
)
from appwright.versions.git.repo import ProjectRepo
from appwright.versions.git.types import FileChange

pytestmark = pytest.mark.anyio


async def test_init_writes_gitignore_and_never_commits_dependencies(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    (ws / "node_modules/react").mkdir(parents=True)
    (ws / "node_modules/react/index.js").write_text("x")
    (ws / "index.html").write_text("<h1>hi</h1>")
    repo = ProjectRepo(ws)  # git dir inside the workspace also works
    first = await repo.init()
    assert first is not None and first.author_kind == "system"
    assert sorted(f.path for f in first.files) == [".gitignore", "index.html"]
    assert "node_modules/" in (ws / ".gitignore").read_text()
    assert await repo.init() is None  # idempotent


async def test_outside_git_dir_keeps_workspace_free_of_git(
    repo: ProjectRepo, worktree: Path
) -> None:
    assert sorted(os.listdir(worktree)) == [".gitignore"]
    assert await repo.is_initialized()


async def test_commit_reports_files_author_and_trailers(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "a.txt").write_text("one\n")
    (worktree / "b.txt").write_text("two\n")
    v1 = await repo.commit_all("Add a and b", "ai", trailers={"Appwright-Message": "msg-1"})
    assert v1 is not None
    assert v1.author_kind == "ai" and v1.trailers["Appwright-Message"] == "msg-1"
    assert v1.files == [FileChange("a.txt", "A"), FileChange("b.txt", "A")]
    assert await repo.commit_all("nothing") is None
    (worktree / "a.txt").write_text("one\nmore\n")
    (worktree / "b.txt").rename(worktree / "c.txt")
    v2 = await repo.commit_all("Edit by hand\n\nlonger body", "person")
    assert v2 is not None and v2.author_kind == "person" and v2.message == "Edit by hand"
    assert v2.files == [FileChange("a.txt", "M"), FileChange("c.txt", "R", "b.txt")]
    (worktree / "a.txt").unlink()
    v3 = await repo.commit_all("Delete a")
    assert v3 is not None and v3.files == [FileChange("a.txt", "D")]
    assert v3.parents == [v2.hash]


async def test_timeline_newest_first_with_files(repo: ProjectRepo, worktree: Path) -> None:
    for i in range(5):
        (worktree / f"f{i}.txt").write_text(str(i))
        await repo.commit_all(f"step {i}", "ai" if i % 2 else "person")
    timeline = await repo.timeline()
    assert [v.message for v in timeline] == [
        "step 4", "step 3", "step 2", "step 1", "step 0", "Initial version",
    ]  # fmt: skip
    assert timeline[0].files == [FileChange("f4.txt", "A")]
    assert [v.author_kind for v in timeline[:2]] == ["person", "ai"]
    page = await repo.timeline(limit=2, skip=1)
    assert [v.message for v in page] == ["step 3", "step 2"]


async def test_diff_between_any_two_versions(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "app.ts").write_text("const a = 1;\n")
    (worktree / "logo.png").write_bytes(b"\x89PNG\x00\x01")
    old = await repo.commit_all("v1")
    (worktree / "app.ts").write_text("const a = 2;\nconst b = 3;\n")
    (worktree / "logo.png").write_bytes(b"\x89PNG\x00\x02")
    (worktree / "new.ts").write_text("x\n")
    new = await repo.commit_all("v2")
    assert old and new
    diffs = {d.path: d for d in await repo.diff(old.hash, new.hash, contents=True)}
    assert set(diffs) == {"app.ts", "logo.png", "new.ts"}
    app = diffs["app.ts"]
    assert (app.status, app.additions, app.deletions) == ("M", 2, 1)
    assert app.old_text == "const a = 1;\n" and app.new_text == "const a = 2;\nconst b = 3;\n"
    assert diffs["logo.png"].binary and diffs["logo.png"].new_text is None
    assert diffs["new.ts"].status == "A" and diffs["new.ts"].old_text is None
    backwards = {d.path: d.status for d in await repo.diff(new.hash, old.hash)}
    assert backwards["new.ts"] == "D"
    only = await repo.diff(old.hash, new.hash, paths=["app.ts"])
    assert [d.path for d in only] == ["app.ts"]
    assert await repo.show_file(old.hash, "app.ts") == b"const a = 1;\n"
    with pytest.raises(FileNotInVersion):
        await repo.show_file(old.hash, "new.ts")
    with pytest.raises(VersionNotFound):
        await repo.diff("--output=/tmp/pwned", new.hash)
    with pytest.raises(VersionNotFound):
        await repo.version("deadbeef" * 5)


async def test_revert_to_old_version_and_back(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "node_modules").mkdir()
    (worktree / "node_modules/dep.js").write_text("dep")
    (worktree / "page.tsx").write_text("v1")
    v1 = await repo.commit_all("v1", "ai")
    (worktree / "page.tsx").write_text("v2")
    (worktree / "extra.tsx").write_text("added later")
    (worktree / "lib").mkdir()
    (worktree / "lib/x.ts").write_text("x")
    v2 = await repo.commit_all("v2", "ai")
    assert v1 and v2
    # A person edits by hand and, without saving a version, reverts to v1.
    (worktree / "page.tsx").write_text("unsaved person edit")
    result = await repo.revert(v1.hash)
    assert result.saved is not None and result.saved.author_kind == "person"
    assert result.version is not None
    assert result.version.message.startswith(f"Revert to {v1.hash[:7]}: v1")
    assert result.version.trailers["Appwright-Reverts"] == v1.hash
    assert (worktree / "page.tsx").read_text() == "v1"
    assert not (worktree / "extra.tsx").exists() and not (worktree / "lib").exists()
    assert (worktree / "node_modules/dep.js").read_text() == "dep"  # ignored files untouched
    assert await repo.status() == []
    # History is never destroyed: everything is still in the timeline, and going back
    # to the saved person edit restores it.
    messages = [v.message for v in await repo.timeline()]
    assert messages[1:4] == ["Save changes before revert", "v2", "v1"]
    back = await repo.revert(result.saved.hash)
    assert back.saved is None and back.version is not None
    assert (worktree / "page.tsx").read_text() == "unsaved person edit"
    assert (worktree / "extra.tsx").read_text() == "added later"
    assert (worktree / "lib/x.ts").read_text() == "x"
    again = await repo.revert("HEAD")
    assert again.version is None


async def test_hooks_in_repository_never_run(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    repo = ProjectRepo(ws)
    await repo.init()
    marker = tmp_path / "hook-ran"
    hook = ws / ".git/hooks/pre-commit"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    (ws / ".git/config").write_text(
        (ws / ".git/config").read_text() + "[core]\n\thooksPath = .git/hooks\n"
    )
    (ws / "a.txt").write_text("a")
    assert await repo.commit_all("x") is not None
    assert not marker.exists()


async def test_uninitialised_repository(tmp_path: Path) -> None:
    repo = ProjectRepo(tmp_path)
    assert not await repo.is_initialized()
    assert await repo.timeline() == []
    with pytest.raises(RepositoryNotInitialized):
        await repo.commit_all("x")


async def test_background_maintenance_packs_loose_objects(
    repo: ProjectRepo, worktree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from appwright.versions.git import maintenance

    monkeypatch.setattr(maintenance, "LOOSE_SAMPLE_LIMIT", 0)
    (worktree / "a.txt").write_text("a")
    await repo.commit_all("trigger")
    await asyncio.gather(*maintenance._tasks)
    packs = list((repo.git.git_dir / "objects" / "pack").glob("*.pack"))
    assert packs
    loose = [p for p in (repo.git.git_dir / "objects").iterdir() if len(p.name) == 2]
    assert all(not any(d.iterdir()) for d in loose)
    assert [v.message for v in await repo.timeline()] == ["trigger", "Initial version"]
