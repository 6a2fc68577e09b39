"""Chat endpoints (docs/PRODUCT.md §3.4): threads, branches, the SSE stream, regenerate,
edit, cancel; and the person's model settings."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import StreamingResponse

from appwright.auth.deps import CurrentUser
from appwright.chat import service, settings_service
from appwright.chat.schemas import (
    CancelRead,
    LLMSettingsRead,
    LLMSettingsUpdate,
    MessageEdit,
    MessageStream,
    Regenerate,
    ThreadBranchRead,
    ThreadCreate,
    ThreadRead,
    ThreadWithUsage,
)
from appwright.chat.service import PreparedTurn
from appwright.chat.turns import stream_turn
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses
from appwright.core.sse import SSE_HEADERS
from appwright.versions.deps import VersionsDep, VersionsServices

router = APIRouter(
    prefix="/api", tags=["chat"], responses=error_responses(400, 401, 403, 404, 409, 429)
)

_STREAM_DOC = (
    "Server-Sent Events: message, text, reset, tool_call_started, tool_call_progress, "
    "tool_call_finished, iteration, usage, error, done (see docs/chat-api.md)."
)


def _stream(ctx: VersionsServices, turn: PreparedTurn) -> StreamingResponse:
    return StreamingResponse(
        stream_turn(ctx, turn), media_type="text/event-stream", headers=SSE_HEADERS
    )


@router.get("/threads/{project_id}")
async def list_threads(
    project_id: uuid.UUID, user: CurrentUser, session: SessionDep
) -> list[ThreadWithUsage]:
    return await service.list_threads(session, user, project_id)


@router.post("/threads", status_code=status.HTTP_201_CREATED)
async def create_thread(body: ThreadCreate, user: CurrentUser, session: SessionDep) -> ThreadRead:
    return ThreadRead.model_validate(await service.create_thread(session, user, body))


@router.get("/messages/{thread_id}")
async def read_messages(
    thread_id: uuid.UUID,
    user: CurrentUser,
    session: SessionDep,
    leaf_id: Annotated[
        uuid.UUID | None, Query(description="Show the branch ending here (default: newest)")
    ] = None,
) -> ThreadBranchRead:
    return await service.read_branch(session, user, thread_id, leaf_id)


# The stream endpoints commit before returning: the SSE body runs after the request's
# session has ended, in sessions of its own, and must see the messages created here.


@router.post("/messages/stream", response_class=StreamingResponse, description=_STREAM_DOC)
async def send_message(
    body: MessageStream, user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> StreamingResponse:
    turn = await service.start_message(
        session,
        ctx,
        user,
        thread_id=body.thread_id,
        content=body.content,
        attachments=body.attachments,
        model=body.model,
        parent_id=body.parent_id,
        open_files=list(body.open_files),
    )
    await session.commit()
    return _stream(ctx, turn)


@router.post(
    "/messages/{message_id}/regenerate", response_class=StreamingResponse, description=_STREAM_DOC
)
async def regenerate(
    message_id: uuid.UUID,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
    body: Regenerate | None = None,
) -> StreamingResponse:
    turn = await service.start_regenerate(
        session, ctx, user, message_id, body.model if body else None
    )
    await session.commit()
    return _stream(ctx, turn)


@router.post(
    "/messages/{message_id}/edit", response_class=StreamingResponse, description=_STREAM_DOC
)
async def edit(
    message_id: uuid.UUID,
    body: MessageEdit,
    user: CurrentUser,
    ctx: VersionsDep,
    session: SessionDep,
) -> StreamingResponse:
    turn = await service.start_edit(session, ctx, user, message_id, body.content, body.model)
    await session.commit()
    return _stream(ctx, turn)


@router.post("/messages/{message_id}/cancel")
async def cancel(
    message_id: uuid.UUID, user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> CancelRead:
    state = await service.cancel(session, ctx, user, message_id)
    await session.commit()
    return CancelRead(message_id=message_id, status=state)


@router.get("/settings/llm")
async def read_llm_settings(
    user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> LLMSettingsRead:
    return await settings_service.read(session, ctx, user)


@router.put("/settings/llm")
async def update_llm_settings(
    body: LLMSettingsUpdate, user: CurrentUser, ctx: VersionsDep, session: SessionDep
) -> LLMSettingsRead:
    return await settings_service.update(session, ctx, user, body)
