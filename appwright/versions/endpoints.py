"""Version history endpoints (spec §3.5, §7.1): timeline, diff, save, revert, branches."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request, status
from fastapi.responses import JSONResponse

from appwright.auth.deps import CurrentUser
from appwright.core.deps import CtxDep, SessionDep
from appwright.projects.service import get_project
from appwright.versions import branch_service, branches, service
from appwright.versions.errors import MergeConflict, VersionsError
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

router = APIRouter(prefix="/api/version-history", tags=["versions"])

RevParam = Annotated[str, Query(min_length=1, max_length=200)]


def install_error_handlers(app: FastAPI) -> None:
    """Render version-control errors as ``{"error", "detail"}`` with their ``status_code``.

    ``MergeConflict`` adds ``files``; unexpected git failures (500) are logged and answered
    without git's output.
    """

    @app.exception_handler(VersionsError)
    async def versions_error(request: Request, exc: VersionsError) -> JSONResponse:
        if exc.status_code >= 500 and exc.status_code != 502 and exc.status_code != 504:
            log.error("versions.git_failed path=%s detail=%s", request.url.path, exc.detail)
            body: dict[str, object] = {
                "error": "InternalError",
                "detail": "The version history could not be updated. It was logged.",
            }
            return JSONResponse(body, status_code=500)
        body = {"error": type(exc).__name__, "detail": exc.detail}
        if isinstance(exc, MergeConflict):
            body["files"] = exc.files
        return JSONResponse(body, status_code=exc.status_code)


@router.get("/{project_id}")
async def get_timeline(
    project_id: uuid.UUID,
    user: CurrentUser,
    ctx: CtxDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> TimelinePage:
    """Versions of the current branch, newest first, with their linked chat messages."""
    project = await get_project(session, user, project_id)
    entries, more = await service.timeline(
        session, ctx.runtime, project, limit=limit, offset=offset
    )
    branch = await branches.current_branch(service.repo_of(ctx.runtime, project))
    return TimelinePage(
        items=[VersionRead.entry(e) for e in entries],
        branch=branch,
        offset=offset,
        limit=limit,
        has_more=more,
    )


@router.get("/{project_id}/status")
async def get_status(
    project_id: uuid.UUID, user: CurrentUser, ctx: CtxDep, session: SessionDep
) -> StatusRead:
    """Unsaved changes: what ``save`` would put into a version."""
    project = await get_project(session, user, project_id)
    repo = service.repo_of(ctx.runtime, project)
    changes = await repo.status()
    return StatusRead(
        branch=await branches.current_branch(repo),
        changes=[
            FileChangeRead(path=c.path, status=c.status, old_path=c.old_path) for c in changes
        ],
    )


@router.post("/{project_id}/save")
async def save_version(
    project_id: uuid.UUID, body: SaveRequest, user: CurrentUser, ctx: CtxDep, session: SessionDep
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
    ctx: CtxDep,
    session: SessionDep,
    from_: Annotated[str, Query(alias="from", min_length=1, max_length=200)],
    to: RevParam = service.WORKING,
    path: Annotated[list[str] | None, Query(max_length=100)] = None,
) -> DiffRead:
    """Per-file differences between two versions (``to=working``: unsaved files)."""
    project = await get_project(session, user, project_id)
    files = await service.diff(ctx.runtime, project, from_, to, path or ())
    return DiffRead(from_=from_, to=to, files=[FileDiffRead.of(f) for f in files])


@router.get("/{project_id}/file")
async def get_file_at_version(
    project_id: uuid.UUID,
    user: CurrentUser,
    ctx: CtxDep,
    session: SessionDep,
    rev: RevParam,
    path: Annotated[str, Query(min_length=1, max_length=1024)],
) -> FileAtVersion:
    """A file as it was in version ``rev``."""
    project = await get_project(session, user, project_id)
    data = await service.repo_of(ctx.runtime, project).show_file(rev, path)
    content, encoding = encode_content(data)
    return FileAtVersion(
        path=path, rev=rev, content=content, encoding="utf-8" if encoding == "utf-8" else "base64"
    )


@router.post("/{project_id}/revert")
async def revert(
    project_id: uuid.UUID, body: RevertRequest, user: CurrentUser, ctx: CtxDep, session: SessionDep
) -> RevertRead:
    """Restore a version as a new commit; unsaved edits are saved as a version first."""
    project = await get_project(session, user, project_id)
    result = await service.revert(session, ctx, project, body.commit_hash)
    restored = await service.repo_of(ctx.runtime, project).resolve(body.commit_hash)
    return RevertRead.of(restored, result)


@router.post("/{project_id}/restore-to-message")
async def restore_to_message(
    project_id: uuid.UUID,
    body: RestoreToMessageRequest,
    user: CurrentUser,
    ctx: CtxDep,
    session: SessionDep,
) -> RevertRead:
    """Revert the code to the version linked to a chat message (the chat fork is separate)."""
    project = await get_project(session, user, project_id)
    restored, result = await service.restore_to_message(session, ctx, project, body.message_id)
    return RevertRead.of(restored, result)


@router.get("/{project_id}/branches")
async def list_branches(
    project_id: uuid.UUID, user: CurrentUser, ctx: CtxDep, session: SessionDep
) -> BranchList:
    project = await get_project(session, user, project_id)
    found, current = await branch_service.list_branches(ctx, project)
    return BranchList(
        branches=[BranchRead(name=b.name, head=b.head, current=b.current) for b in found],
        current=current,
    )


@router.post("/{project_id}/branches", status_code=status.HTTP_201_CREATED)
async def create_branch(
    project_id: uuid.UUID, body: BranchCreate, user: CurrentUser, ctx: CtxDep, session: SessionDep
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
    project_id: uuid.UUID, body: BranchSwitch, user: CurrentUser, ctx: CtxDep, session: SessionDep
) -> BranchSwitched:
    """Check out a branch (unsaved edits are saved on the current branch first)."""
    project = await get_project(session, user, project_id)
    saved = await branch_service.switch_branch(session, ctx, project, body.name)
    head = await service.repo_of(ctx.runtime, project).resolve("HEAD")
    return BranchSwitched(branch=body.name, head=head, saved=version_or_none(saved))


@router.post("/{project_id}/branches/merge")
async def merge_branch(
    project_id: uuid.UUID, body: BranchMerge, user: CurrentUser, ctx: CtxDep, session: SessionDep
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
    ctx: CtxDep,
    session: SessionDep,
    force: bool = False,
) -> None:
    """Delete a branch; 409 for the current branch or, without ``force``, an unmerged one."""
    project = await get_project(session, user, project_id)
    await branch_service.delete_branch(ctx, project, name, force=force)
