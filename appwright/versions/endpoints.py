"""Version history endpoints (docs/PRODUCT.md §8, §3.7): timeline, diff, save, revert, branches."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from appwright.auth.access import get_project
from appwright.auth.deps import CurrentUser
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses
from appwright.versions import branch_service, service
from appwright.versions.deps import VersionsDep
from appwright.versions.schemas import (
    BranchCreate,
    BranchCreated,
    BranchList,
    BranchMerge,
    BranchRead,
    BranchSwitch,
    BranchSwitched,
    DiffRead,
    FileAtVersion,
    FileChangeRead,
    FileDiffRead,
    MergeRead,
    RestoreToMessageRequest,
    RevertRead,
    RevertRequest,
    SavedVersion,
    SaveRequest,
    StatusRead,
    TimelinePage,
    VersionRead,
    version_or_none,
)
from appwright.workspace.service import encode_content

log = logging.getLogger("appwright.versions")

router = APIRouter(
    prefix="/api/version-history",
    tags=["versions"],
    responses=error_responses(400, 401, 403, 404, 409, 502, 504),
)

RevParam = Annotated[str, Query(min_length=1, max_length=200)]


@router.get("/{project_id}")
async def get_timeline(
    project_id: uuid.UUID,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> TimelinePage:
    """Versions of the current branch, newest first, with their linked chat messages."""
    project = await get_project(session, user, project_id)
    entries, more, branch = await service.timeline(
        session, ctx, project, limit=limit, offset=offset
    )
    return TimelinePage(
        items=[VersionRead.entry(e) for e in entries],
        branch=branch,
        offset=offset,
        limit=limit,
        has_more=more,
    )


@router.get("/{project_id}/status")
async def get_status(
    project_id: uuid.UUID, user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> StatusRead:
    """Unsaved changes: what ``save`` would put into a version."""
    project = await get_project(session, user, project_id)
    found = await service.status(ctx, project)
    return StatusRead(
        branch=found.branch,
        changes=[
            FileChangeRead(path=c.path, status=c.status, old_path=c.old_path) for c in found.changes
        ],
    )


@router.post("/{project_id}/save")
async def save_version(
    project_id: uuid.UUID,
    body: SaveRequest,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> SavedVersion:
    """Save the person's pending changes as a version (``version: null`` if none).

    Without a ``message`` the person's AI model writes one from the diff when a model is
    configured (within a few seconds); otherwise it is made from the changed files.
    """
    project = await get_project(session, user, project_id)
    message = (body.message or "").strip() or None
    version = await service.save_person_version(session, ctx, project, message)
    return SavedVersion(version=version_or_none(version))


@router.get("/{project_id}/diff")
async def get_diff(
    project_id: uuid.UUID,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
    from_: Annotated[str, Query(alias="from", min_length=1, max_length=200)],
    to: RevParam = service.WORKING,
    path: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> DiffRead:
    """Per-file differences between two versions (``to=working``: unsaved files)."""
    project = await get_project(session, user, project_id)
    files = await service.diff(ctx, project, from_, to, path or ())
    return DiffRead(from_=from_, to=to, files=[FileDiffRead.of(f) for f in files])


@router.get("/{project_id}/file")
async def get_file_at_version(
    project_id: uuid.UUID,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
    rev: RevParam,
    path: Annotated[str, Query(min_length=1, max_length=1024)],
) -> FileAtVersion:
    """A file as it was in version ``rev``."""
    project = await get_project(session, user, project_id)
    data = await service.file_at(ctx, project, rev, path)
    content, encoding = encode_content(data)
    return FileAtVersion(
        path=path, rev=rev, content=content, encoding="utf-8" if encoding == "utf-8" else "base64"
    )


@router.post("/{project_id}/revert")
async def revert(
    project_id: uuid.UUID,
    body: RevertRequest,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> RevertRead:
    """Restore a version as a new commit; unsaved edits are saved as a version first."""
    project = await get_project(session, user, project_id)
    restored, result = await service.revert(session, ctx, project, body.commit_hash)
    return RevertRead.of(restored, result)


@router.post("/{project_id}/restore-to-message")
async def restore_to_message(
    project_id: uuid.UUID,
    body: RestoreToMessageRequest,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> RevertRead:
    """Revert the code to the version linked to a chat message (the chat fork is separate)."""
    project = await get_project(session, user, project_id)
    restored, result = await service.restore_to_message(session, ctx, project, body.message_id)
    return RevertRead.of(restored, result)


@router.get("/{project_id}/branches")
async def list_branches(
    project_id: uuid.UUID, user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> BranchList:
    project = await get_project(session, user, project_id)
    found, current = await branch_service.list_branches(ctx, project)
    return BranchList(
        branches=[BranchRead(name=b.name, head=b.head, current=b.current) for b in found],
        current=current,
    )


@router.post("/{project_id}/branches", status_code=status.HTTP_201_CREATED)
async def create_branch(
    project_id: uuid.UUID,
    body: BranchCreate,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> BranchCreated:
    """Create a branch at ``start`` (default: the current version); ``switch`` to it."""
    project = await get_project(session, user, project_id)
    branch, saved = await branch_service.create_branch(
        session, ctx, project, body.name, start=body.start, switch=body.switch
    )
    return BranchCreated(
        branch=BranchRead(name=branch.name, head=branch.head, current=branch.current),
        saved=version_or_none(saved),
    )


@router.post("/{project_id}/branches/switch")
async def switch_branch(
    project_id: uuid.UUID,
    body: BranchSwitch,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> BranchSwitched:
    """Check out a branch (unsaved edits are saved on the current branch first)."""
    project = await get_project(session, user, project_id)
    saved, head = await branch_service.switch_branch(session, ctx, project, body.name)
    return BranchSwitched(branch=body.name, head=head, saved=version_or_none(saved))


@router.post("/{project_id}/branches/merge")
async def merge_branch(
    project_id: uuid.UUID,
    body: BranchMerge,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> MergeRead:
    """Merge ``source`` into the current branch; 409 ``MergeConflict`` with ``files``."""
    project = await get_project(session, user, project_id)
    result = await branch_service.merge_branch(session, ctx, project, body.source, body.message)
    return MergeRead.of(result)


@router.delete("/{project_id}/branches/{name:path}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_branch(
    project_id: uuid.UUID,
    name: str,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
    force: bool = False,
) -> None:
    """Delete a branch; 409 for the current branch or, without ``force``, an unmerged one."""
    project = await get_project(session, user, project_id)
    await branch_service.delete_branch(ctx, project, name, force=force)
