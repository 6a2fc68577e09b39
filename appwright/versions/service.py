"""Versions of a project as the platform sees them: git history joined with ``version_history``.

Every commit made through this module is recorded in the ``version_history`` table
(``record_commit``), so the table stays in step with git; the timeline itself reads git
(one ``git log``) and joins the table only for the chat-message links. Operations that
replace files (revert, switch, merge, pull) publish ``file:updated`` for the files that
changed, because they bypass the workspace's change callbacks.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import anyio
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.core.errors import ResourceNotFound
from appwright.models import Project, VersionHistory
from appwright.models.base import utcnow
from appwright.runtime.deps import RuntimeServices
from appwright.runtime.service import ProjectRuntime
from appwright.versions import repository
from appwright.versions.deps import VersionsServices
from appwright.versions.git.branches import current_branch
from appwright.versions.git.messages import Author
from appwright.versions.git.repo import ProjectRepo
from appwright.versions.git.types import (
    AuthorKind,
    FileChange,
    FileDiff,
    GitIdentity,
    RevertResult,
    Version,
)
from appwright.versions.history import repo_for
from appwright.versions.summary import generate_message
from appwright.workspace import ChangeKind
from appwright.workspace.service import publish_change

MESSAGE_TRAILER = "Appwright-Message"
WORKING = "working"
"""The ``to`` of a diff that means the files as they are now, saved or not."""


@dataclass(frozen=True, slots=True)
class WorkingStatus:
    """What ``save`` would put into a version, on which branch (``None``: detached)."""

    branch: str | None
    changes: list[FileChange]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A version with the chat message that produced it (``None`` for a person's save)."""

    version: Version
    message_id: uuid.UUID | None


def repo_of(runtime: ProjectRuntime, project: Project) -> ProjectRepo:
    """The project's repository (git dir outside the workspace)."""
    return repo_for(runtime, str(project.id))


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _history_row(
    project_id: uuid.UUID,
    version: Version,
    *,
    author: AuthorKind,
    message_id: uuid.UUID | None,
    branch: str,
) -> VersionHistory:
    """The ``version_history`` row of ``version`` (not yet added to a session)."""
    return VersionHistory(
        project_id=project_id,
        message_id=message_id,
        commit_hash=version.hash,
        description=version.message,
        files_changed=[f.path for f in version.files],
        author="ai" if author == "ai" else "person",
        branch=branch,
    )


async def record_commit(
    session: AsyncSession,
    repo: ProjectRepo,
    project_id: uuid.UUID,
    version: Version,
    *,
    author: AuthorKind | None = None,
    message_id: uuid.UUID | None = None,
    branch: str | None = None,
) -> VersionHistory:
    """Add the ``version_history`` row of a commit already made (the caller's session commits).

    ``author`` defaults to the commit's ``Appwright-Author`` trailer; ``message_id`` to
    its ``Appwright-Message`` trailer; ``branch`` to the current branch.
    """
    row = _history_row(
        project_id,
        version,
        author=author or version.author_kind,
        message_id=message_id or _uuid(version.trailers.get(MESSAGE_TRAILER)),
        branch=branch or await current_branch(repo) or "HEAD",
    )
    await repository.add_rows(session, [row])
    return row


async def record_commits(
    session: AsyncSession, repo: ProjectRepo, project_id: uuid.UUID, versions: Sequence[Version]
) -> list[VersionHistory]:
    """Add the ``version_history`` rows of commits that came from elsewhere (a pull).

    ``versions`` oldest first; those already recorded for the project are skipped. Each
    row's author is the commit's ``Appwright-Author`` trailer (a commit made outside the
    platform counts as a person's); a ``Appwright-Message`` trailer links the row only to
    a message of this project (a commit pushed from another project or server names
    messages this one does not have). ``created_at`` follows the commit order, so "the
    newest version recorded before a message" stays the newest commit.
    """
    if not versions:
        return []
    hashes = [v.hash for v in versions]
    known = await repository.recorded_commits(session, project_id, hashes)
    fresh = [v for v in versions if v.hash not in known]
    if not fresh:
        return []
    named = {m for v in fresh if (m := _uuid(v.trailers.get(MESSAGE_TRAILER))) is not None}
    ours: set[uuid.UUID] = set()
    if named:
        ours = await repository.messages_of_project(session, project_id, list(named))
    branch = await current_branch(repo) or "HEAD"
    start = utcnow()
    rows = []
    for i, version in enumerate(fresh):
        message = _uuid(version.trailers.get(MESSAGE_TRAILER))
        row = _history_row(
            project_id,
            version,
            author=version.author_kind,
            message_id=message if message in ours else None,
            branch=branch,
        )
        row.created_at = start + timedelta(microseconds=i)
        rows.append(row)
    await repository.add_rows(session, rows)
    return rows


async def record_version(
    session: AsyncSession,
    ctx: RuntimeServices,
    project: Project,
    *,
    message: str | None = None,
    author: AuthorKind = "person",
    message_id: uuid.UUID | None = None,
    identity: GitIdentity | None = None,
) -> Version | None:
    """Commit every pending change of the workspace as one version and record it.

    This is the one call for "commit this AI turn" (``author="ai"``, ``message_id`` of the
    assistant message, which also goes into the ``Appwright-Message`` trailer) and for a
    person's "save version". Without ``message`` one is generated from the changed files.
    Returns ``None`` when nothing changed (no commit, no row). The caller's session
    commits the row.
    """
    repo = repo_of(ctx.runtime, project)
    trailers = {MESSAGE_TRAILER: str(message_id)} if message_id else None
    version = await repo.commit_all(message, author, identity=identity, trailers=trailers)
    if version is not None:
        await record_commit(
            session, repo, project.id, version, author=author, message_id=message_id
        )
    return version


async def person_message(ctx: VersionsServices, project: Project) -> str | None:
    """The message of a person's version of the unsaved changes, written by their model.

    ``None`` (the file list makes the message) without a model or when it fails.
    """
    repo = repo_of(ctx.runtime, project)

    async def changes() -> list[FileDiff]:
        head = await head_or_none(repo)
        if head is None:
            return []
        return await repo.diff(head, await working_snapshot(repo), contents=True)

    return await generate_message(ctx, project, changes)


async def save_person_version(
    session: AsyncSession, ctx: VersionsServices, project: Project, message: str | None = None
) -> Version | None:
    """A person's "save version": their message, else the model's, else the file list's."""
    if message is None and await repo_of(ctx.runtime, project).status():
        message = await person_message(ctx, project)
    return await record_version(session, ctx, project, message=message)


async def save_pending(
    ctx: VersionsServices, project: Project, message: str | None
) -> Version | None:
    """Save pending edits as a person version in a transaction of its own.

    Used before a merge, pull or push: a conflict fails the request (and rolls its session
    back), but the saved version exists in git, so its row must be committed regardless;
    and before an AI turn, so the turn's version holds only the AI's changes. ``None``
    names the version from the changed files.
    """
    async with ctx.sessions() as own:
        version = await record_version(own, ctx, project, message=message)
        await own.commit()
    return version


async def status(ctx: RuntimeServices, project: Project) -> WorkingStatus:
    """The unsaved changes of the workspace and the current branch."""
    repo = repo_of(ctx.runtime, project)
    return WorkingStatus(branch=await current_branch(repo), changes=await repo.status())


async def file_at(ctx: RuntimeServices, project: Project, rev: str, path: str) -> bytes:
    """A file's bytes as they were in version ``rev``."""
    return await repo_of(ctx.runtime, project).show_file(rev, path)


async def timeline(
    session: AsyncSession, ctx: RuntimeServices, project: Project, *, limit: int, offset: int
) -> tuple[list[TimelineEntry], bool, str | None]:
    """Versions of the current branch, newest first, whether older ones follow, and the
    branch's name (``None`` when detached)."""
    repo = repo_of(ctx.runtime, project)
    versions = await repo.timeline(limit=limit + 1, skip=offset)
    more = len(versions) > limit
    versions = versions[:limit]
    links: dict[str, uuid.UUID | None] = {}
    if versions:
        links = await repository.message_links(session, project.id, [v.hash for v in versions])
    entries = [
        TimelineEntry(v, links.get(v.hash) or _uuid(v.trailers.get(MESSAGE_TRAILER)))
        for v in versions
    ]
    return entries, more, await current_branch(repo)


async def working_snapshot(repo: ProjectRepo) -> str:
    """A commit of the files as they are now, without touching the index, HEAD or branches.

    It uses a copy of the index (keeps git's stat cache, so only changed files are
    hashed); the commit is referenced by nothing and garbage-collected later.
    """
    await repo.require_initialized()
    index = repo.git.git_dir / "index"
    scratch = repo.git.git_dir / f"appwright-index-{uuid.uuid4().hex}"
    env = {"GIT_INDEX_FILE": str(scratch)}
    try:
        async with repo.git.locked():
            if await anyio.Path(index).exists():
                await anyio.to_thread.run_sync(shutil.copyfile, index, scratch)
            else:
                await repo.git.run("read-tree", "HEAD", env=env)
            await repo.add_all_locked(env)
            tree = (await repo.git.run("write-tree", env=env)).text.strip()
        head = await repo.resolve("HEAD")
        return await repo.commit_tree_locked(tree, head, "Unsaved changes", Author.of("person"))
    finally:
        await anyio.Path(scratch).unlink(missing_ok=True)


async def diff(
    ctx: RuntimeServices, project: Project, old: str, new: str, paths: Sequence[str] = ()
) -> list[FileDiff]:
    """Per-file differences with old/new text; either side may be ``working``."""
    repo = repo_of(ctx.runtime, project)
    if WORKING in (old, new):
        snapshot = await working_snapshot(repo)
        old = snapshot if old == WORKING else old
        new = snapshot if new == WORKING else new
    return await repo.diff(old, new, paths=paths, contents=True)


async def publish_tree_change(
    ctx: VersionsServices, project: Project, repo: ProjectRepo, old_head: str, new_head: str
) -> None:
    """``file:updated`` for every file that differs between two versions now checked out."""
    if old_head == new_head:
        return
    groups: dict[ChangeKind, list[str]] = {"created": [], "updated": [], "deleted": []}
    for change in await repo.diff(old_head, new_head):
        if change.status == "R" and change.old_path:
            groups["deleted"].append(change.old_path)
            groups["created"].append(change.path)
        elif change.status in ("A", "C"):
            groups["created"].append(change.path)
        elif change.status == "D":
            groups["deleted"].append(change.path)
        else:
            groups["updated"].append(change.path)
    for kind, paths in groups.items():
        await publish_change(ctx, project, paths, kind, version=new_head)


async def head_or_none(repo: ProjectRepo) -> str | None:
    """The current commit, ``None`` in an empty repository."""
    versions = await repo.timeline(limit=1)
    return versions[0].hash if versions else None


async def revert(
    session: AsyncSession, ctx: VersionsServices, project: Project, target: str
) -> tuple[str, RevertResult]:
    """Restore version ``target`` as a new forward commit (history is never destroyed).

    Pending edits are saved first as a person version; both commits are recorded.
    Returns the restored version's full hash and the revert's result.
    """
    repo = repo_of(ctx.runtime, project)
    restored = await repo.resolve(target)
    before = await head_or_none(repo)
    result = await repo.revert(target, author="person")
    for version in (result.saved, result.version):
        if version is not None:
            await record_commit(session, repo, project.id, version, author="person")
    after = await head_or_none(repo)
    if before is not None and after is not None:
        # Saved edits are already on disk: only the revert itself changed files.
        start = result.saved.hash if result.saved else before
        await publish_tree_change(ctx, project, repo, start, after)
    return restored, result


async def message_of_commit(
    session: AsyncSession, project_id: uuid.UUID, commit_hash: str
) -> uuid.UUID | None:
    """The chat message whose turn made ``commit_hash`` (None: a person's version)."""
    return await repository.message_of_commit(session, project_id, commit_hash)


async def version_for_message(
    session: AsyncSession, repo: ProjectRepo, project: Project, message_id: uuid.UUID
) -> str:
    """The version the code had right after chat message ``message_id``.

    The version linked to the message when it changed code; else the newest version
    recorded before the message was written (the first version when none was). Messages
    of other projects are not found.
    """
    linked = await repository.commit_of_message(session, project.id, message_id)
    if linked is not None:
        return linked
    message = await repository.message_of_project(session, project.id, message_id)
    if message is None:
        raise ResourceNotFound("No such message in this project.")
    earlier = await repository.commit_before(session, project.id, message.created_at)
    if earlier is not None:
        return earlier
    # Nothing recorded before the message: the code was still the project's first version.
    return await repo.first_commit()


async def restore_to_message(
    session: AsyncSession, ctx: VersionsServices, project: Project, message_id: uuid.UUID
) -> tuple[str, RevertResult]:
    """Revert the code to the version of chat message ``message_id`` (a new forward commit).

    Returns the restored version's hash and the revert's result. Forking the chat from
    that message is the chat domain's part; it calls this function.
    """
    repo = repo_of(ctx.runtime, project)
    target = await version_for_message(session, repo, project, message_id)
    return await revert(session, ctx, project, target)
