"""Branches: create, switch (pending edits saved), merge with a conflict report, delete."""

from __future__ import annotations

from pathlib import Path

import pytest

from appwright.versions.git import branches
from appwright.versions.git.errors import (
    BranchExists,
    BranchNotFound,
    BranchNotMerged,
    CannotDeleteCurrentBranch,
    InvalidBranchName,
    MergeConflict,
)
from appwright.versions.git.repo import ProjectRepo

pytestmark = pytest.mark.anyio


async def test_create_list_switch_keeps_pending_edits(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "a.txt").write_text("main")
    await repo.commit_all("on main")
    created = await branches.create_branch(repo, "feature/login")
    assert not created.current
    with pytest.raises(BranchExists):
        await branches.create_branch(repo, "feature/login")
    for bad in ["-x", "a..b", "has space", "x.lock", ""]:
        with pytest.raises(InvalidBranchName):
            await branches.create_branch(repo, bad)
    (worktree / "a.txt").write_text("unsaved on main")
    saved = await branches.switch_branch(repo, "feature/login")
    assert saved is not None and saved.message == "Save changes before switching to feature/login"
    assert (worktree / "a.txt").read_text() == "main"
    assert await branches.current_branch(repo) == "feature/login"
    listed = {b.name: b.current for b in await branches.list_branches(repo)}
    assert listed == {"feature/login": True, "main": False}
    await branches.switch_branch(repo, "main")
    assert (worktree / "a.txt").read_text() == "unsaved on main"
    with pytest.raises(BranchNotFound):
        await branches.switch_branch(repo, "nope")


async def test_branch_from_an_old_version(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "a.txt").write_text("1")
    v1 = await repo.commit_all("one")
    (worktree / "a.txt").write_text("2")
    await repo.commit_all("two")
    assert v1
    fork = await branches.create_branch(repo, "from-message", start=v1.hash, switch=True)
    assert fork.head == v1.hash and fork.current
    assert (worktree / "a.txt").read_text() == "1"


async def test_clean_merge(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "shared.txt").write_text("base\n")
    await repo.commit_all("base")
    await branches.create_branch(repo, "feature", switch=True)
    (worktree / "feature.txt").write_text("feature\n")
    await repo.commit_all("feature work", "ai")
    await branches.switch_branch(repo, "main")
    (worktree / "main.txt").write_text("main\n")
    await repo.commit_all("main work")
    result = await branches.merge_branch(repo, "feature")
    assert result.version is not None and len(result.version.parents) == 2
    assert result.version.message == "Merge branch feature into main"
    assert [f.path for f in result.version.files] == ["feature.txt"]
    assert (worktree / "feature.txt").read_text() == "feature\n"
    again = await branches.merge_branch(repo, "feature")
    assert again.up_to_date and again.version is None
    await branches.delete_branch(repo, "feature")
    assert [b.name for b in await branches.list_branches(repo)] == ["main"]


async def test_merge_conflict_is_reported_and_aborted(repo: ProjectRepo, worktree: Path) -> None:
    (worktree / "page.tsx").write_text("title = 'base'\n")
    (worktree / "other.ts").write_text("same\n")
    await repo.commit_all("base")
    await branches.create_branch(repo, "experiment", switch=True)
    (worktree / "page.tsx").write_text("title = 'experiment'\n")
    await repo.commit_all("experiment title", "ai")
    await branches.switch_branch(repo, "main")
    (worktree / "page.tsx").write_text("title = 'main'\n")
    head_before = await repo.commit_all("main title")
    assert head_before is not None
    with pytest.raises(MergeConflict) as info:
        await branches.merge_branch(repo, "experiment")
    assert info.value.files == ["page.tsx"]
    assert "page.tsx" in info.value.detail
    # The tree is exactly as before the merge attempt.
    assert (worktree / "page.tsx").read_text() == "title = 'main'\n"
    assert await repo.status() == []
    assert (await repo.version("HEAD")).hash == head_before.hash
    assert not (repo.git.git_dir / "MERGE_HEAD").exists()
    # Nothing is stuck: the next commit works.
    (worktree / "page.tsx").write_text("title = 'resolved'\n")
    assert await repo.commit_all("resolve by hand") is not None


async def test_delete_rules(repo: ProjectRepo, worktree: Path) -> None:
    await branches.create_branch(repo, "wip", switch=True)
    (worktree / "wip.txt").write_text("wip")
    await repo.commit_all("wip")
    with pytest.raises(CannotDeleteCurrentBranch):
        await branches.delete_branch(repo, "wip")
    await branches.switch_branch(repo, "main")
    with pytest.raises(BranchNotMerged):
        await branches.delete_branch(repo, "wip")
    await branches.delete_branch(repo, "wip", force=True)
    with pytest.raises(BranchNotFound):
        await branches.delete_branch(repo, "wip")
