"""Sandbox endpoints (docs/PRODUCT.md §3.5). A project's sandbox id is the project's id."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import StreamingResponse

from appwright.auth.access import get_project
from appwright.auth.deps import CurrentUser
from appwright.core.deps import SessionDep
from appwright.core.errors import BadRequest
from appwright.core.schemas import error_responses
from appwright.core.sse import SSE_HEADERS, sse
from appwright.preview.auth import AUTH_PATH
from appwright.preview.links import preview_key, preview_origin
from appwright.preview.token import LINK_TTL_S, sign_preview_token
from appwright.runtime.deps import RuntimeDep
from appwright.runtime.schemas import (
    ExecuteRequest,
    LogLineRead,
    PreviewLink,
    SandboxCreate,
    SandboxStatsRead,
    SandboxStatus,
)
from appwright.runtime.service import ProjectRuntime
from appwright.sandbox.base import SandboxError

router = APIRouter(
    prefix="/api/sandbox", tags=["sandbox"], responses=error_responses(401, 403, 404, 409, 429)
)


async def status_of(runtime: ProjectRuntime, project_id: uuid.UUID) -> SandboxStatus:
    pid = str(project_id)
    state = runtime.state(pid)
    stats = await runtime.stats(pid) if state is not None and state.status == "running" else None
    return SandboxStatus(
        project_id=project_id,
        status=state.status if state else "not_started",
        isolation=(state.isolation if state and state.isolation else runtime.isolation),
        detail=state.detail if state else runtime.unavailable_reason,
        restarts=state.restarts if state else 0,
        last_exit_code=state.last_exit_code if state else None,
        stats=SandboxStatsRead(
            rss_bytes=stats.rss_bytes,
            cpu_seconds=stats.cpu_seconds,
            process_count=stats.process_count,
            memory_limit_bytes=stats.memory_limit_bytes,
        )
        if stats
        else None,
    )


@router.post("/create")
async def create_sandbox(
    body: SandboxCreate, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> SandboxStatus:
    """Start (or wake) the project's sandbox and dev server; answers without waiting."""
    project = await get_project(session, user, body.project_id)
    await ctx.runtime.ensure_running(str(project.id), project.template, wait=False)
    return await status_of(ctx.runtime, project.id)


@router.delete("/{project_id}")
async def stop_sandbox(
    project_id: uuid.UUID, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> SandboxStatus:
    """Stop the dev server and every process of the sandbox (the files stay)."""
    project = await get_project(session, user, project_id)
    await ctx.runtime.stop(str(project.id))
    return await status_of(ctx.runtime, project.id)


@router.get("/{project_id}/status")
async def sandbox_status(
    project_id: uuid.UUID, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> SandboxStatus:
    project = await get_project(session, user, project_id)
    return await status_of(ctx.runtime, project.id)


@router.post("/{project_id}/restart")
async def restart_sandbox(
    project_id: uuid.UUID, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> SandboxStatus:
    project = await get_project(session, user, project_id)
    await ctx.runtime.restart(str(project.id), project.template)
    return await status_of(ctx.runtime, project.id)


@router.get("/{project_id}/logs")
async def sandbox_logs(
    project_id: uuid.UUID,
    user: CurrentUser,
    ctx: RuntimeDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[LogLineRead]:
    """The dev server's latest output lines; read again to follow it."""
    project = await get_project(session, user, project_id)
    return [
        LogLineRead(ts=line.ts, stream=line.stream, text=line.text)
        for line in ctx.runtime.logs(str(project.id), limit)
    ]


@router.post("/{project_id}/preview-link")
async def preview_link(
    project_id: uuid.UUID, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> PreviewLink:
    """A one-time link for the preview iframe: it sets the preview origin's own cookie.

    Also wakes the dev server, so the preview is starting while the iframe loads.
    """
    project = await get_project(session, user, project_id)
    pid = str(project.id)
    await ctx.runtime.ensure_running(pid, project.template, wait=False)
    origin = preview_origin(ctx.settings, pid)
    token = sign_preview_token(preview_key(ctx.settings), pid, str(user.id), ttl_s=LINK_TTL_S)
    return PreviewLink(
        url=f"{origin}{AUTH_PATH}?{urlencode({'token': token, 'next': '/'})}",
        origin=origin,
        expires_in=LINK_TTL_S,
    )


@router.post(
    "/{project_id}/execute",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}}},
)
async def execute(
    project_id: uuid.UUID,
    body: ExecuteRequest,
    request: Request,
    user: CurrentUser,
    ctx: RuntimeDep,
    session: SessionDep,
) -> StreamingResponse:
    """Run a one-shot command in the sandbox. SSE events: ``stdout``, ``stderr``, ``exit``.

    The command is killed with its children past ``timeout`` or when the client leaves.
    """
    project = await get_project(session, user, project_id)
    if body.cwd.startswith("/") or ".." in body.cwd.split("/"):
        raise BadRequest("cwd must be a folder inside the project, like '.' or 'src'.")
    pid, template = str(project.id), project.template
    runtime = ctx.runtime

    async def stream() -> AsyncIterator[bytes]:
        try:
            async for event in runtime.execute(
                pid, template, body.command, timeout=body.timeout, cwd=body.cwd
            ):
                if await request.is_disconnected():
                    return  # leaving the loop kills the command
                yield sse(event.kind, event.model_dump(mode="json"))
        except SandboxError as exc:
            yield sse("error", {"error": "SandboxError", "detail": str(exc)})

    return StreamingResponse(stream(), media_type="text/event-stream", headers=SSE_HEADERS)
