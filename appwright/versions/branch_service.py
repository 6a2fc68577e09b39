"""Branches as the platform offers them: each operation recorded and published.

Switch and merge save pending edits first (``branches`` does that) — those saves and
merge commits are recorded in ``version_history``; files replaced on disk are announced
with ``file:updated``.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import Project
from appwright.versions.deps import VersionsServices
from appwright.versions.git import branches
from appwright.versions.git.types import Branch, MergeResult, Version
from appwright.versions.service import (
    head_or_none,
    publish_tree_change,
    record_commit,
    record_commits,
    repo_of,
    save_pending,
)


async def list_branches(ctx: VersionsServices, project: Project) -> tuple[list[Branch], str | None]:
    """Local branches (name order) and the current branch (``None`` when detached)."""
    repo = repo_of(ctx.runtime, project)
    return await branches.list_branches(repo), await branches.current_branch(repo)


async def create_branch(
    session: AsyncSession,
    ctx: VersionsServices,
    project: Project,
    name: str,
    *,
    start: str,
    switch: bool,
) -> tuple[Branch, Version | None]:
    """Create ``name`` at version ``start``; with ``switch`` check it out (edits saved first)."""
    repo = repo_of(ctx.runtime, project)
    branch = await branches.create_branch(repo, name, start=start)
    saved = (await switch_branch(session, ctx, project, name))[0] if switch else None
    return (Branch(branch.name, branch.head, switch), saved)


async def switch_branch(
    session: AsyncSession, ctx: VersionsServices, project: Project, name: str
) -> tuple[Version | None, str]:
    """Check out branch ``name``; returns the version that saved pending edits, if any,
    and the head now checked out."""
    repo = repo_of(ctx.runtime, project)
    before = await head_or_none(repo)
    previous = await branches.current_branch(repo)
    saved = await branches.switch_branch(repo, name)
    if saved is not None:
        await record_commit(session, repo, project.id, saved, author="person", branch=previous)
        before = saved.hash
    after = await head_or_none(repo)
    if before is not None and after is not None:
        await publish_tree_change(ctx, project, repo, before, after)
    return saved, await repo.resolve("HEAD")


async def merge_branch(
    session: AsyncSession,
    ctx: VersionsServices,
    project: Project,
    source: str,
    message: str | None,
) -> MergeResult:
    """Merge ``source`` into the current branch; ``MergeConflict`` (409) lists the files."""
    repo = repo_of(ctx.runtime, project)
    saved = await save_pending(ctx, project, f"Save changes before merging {source}")
    before = await head_or_none(repo)
    result = await branches.merge_branch(repo, source, message=message)
    await record_merge(session, ctx, project, result, before)
    return replace(result, saved=result.saved or saved)


async def record_merge(
    session: AsyncSession,
    ctx: VersionsServices,
    project: Project,
    result: MergeResult,
    before: str | None,
) -> None:
    """Record the save and merge versions of a merge or pull, and announce changed files."""
    repo = repo_of(ctx.runtime, project)
    for version in (result.saved, result.version):
        if version is not None:
            await record_commit(session, repo, project.id, version, author="person")
    start = result.saved.hash if result.saved else before
    if start is not None and result.version is not None:
        await publish_tree_change(ctx, project, repo, start, result.version.hash)


async def record_pull(
    session: AsyncSession,
    ctx: VersionsServices,
    project: Project,
    result: MergeResult,
    before: str | None,
) -> None:
    """Record a pull: the save before it and every commit it brought in, then announce
    the changed files.

    Unlike a local merge, whose source commits were recorded on their own branch, a pull
    brings commits made elsewhere (on GitHub, in a clone): each gets its row, oldest
    first, with the merge commit last when the histories had diverged.
    """
    repo = repo_of(ctx.runtime, project)
    if result.saved is not None:
        await record_commit(session, repo, project.id, result.saved, author="person")
    start = result.saved.hash if result.saved else before
    if result.version is None:
        return
    await record_commits(
        session, repo, project.id, await repo.versions_between(start, result.version.hash)
    )
    if start is not None:
        await publish_tree_change(ctx, project, repo, start, result.version.hash)


async def delete_branch(ctx: VersionsServices, project: Project, name: str, *, force: bool) -> None:
    """Delete a branch (never the current one; an unmerged one only with ``force``)."""
    await branches.delete_branch(repo_of(ctx.runtime, project), name, force=force)
