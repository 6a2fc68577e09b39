"""Running a prepared turn and relaying it as Server-Sent Events.

The turn runs in its own task with its own database sessions (the request's session has
ended by the time the stream flows). The SSE generator only relays the turn's events;
when the client goes away it cancels the task, and a ``chat:cancel`` event on the
EventBus (``POST /api/messages/{id}/cancel``, from any API instance) cancels it too. Either
way the loop restores the files it touched before the task ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio
from anyio.abc import TaskStatus

from appwright.agent.files_context import collect_files
from appwright.agent.loop import AgentLoop, TurnOutcome
from appwright.agent.prompt import HistoryItem, ProjectFacts, build_history, stable_prompt
from appwright.agent.response import AgentEvent
from appwright.agent.tools import ToolContext, TurnChanges
from appwright.chat import repository
from appwright.chat.service import PreparedTurn, cancel_topic
from appwright.core.events import Event, project_topic
from appwright.core.plans import limits_for
from appwright.core.sse import sse
from appwright.llm.selection import no_model_help
from appwright.llm.types import ImagePart, Message, Part, TextPart
from appwright.models import Message as MessageRow
from appwright.models.base import utcnow
from appwright.templates import get_template
from appwright.usage.service import DbTurnHooks, totals_of_messages
from appwright.versions import service as versions
from appwright.versions.deps import VersionsServices
from appwright.versions.git.errors import RepositoryNotInitialized
from appwright.workspace import ChangeKind, LocalWorkspace

__all__ = ["sse", "stream_turn"]

log = logging.getLogger("appwright.chat")

_RUNNING: set[asyncio.Task[None]] = set()  # keeps turn tasks referenced until they end
_FILE_BUDGET = 14_000
_HISTORY_BUDGET = 8_000


async def stream_turn(ctx: VersionsServices, turn: PreparedTurn) -> AsyncIterator[bytes]:
    """The SSE body of one turn: ``message`` first, then the turn's events, ``done`` last."""
    send, receive = anyio.create_memory_object_stream[AgentEvent](math.inf)
    task = asyncio.create_task(_run(ctx, turn, send))
    _RUNNING.add(task)
    task.add_done_callback(_RUNNING.discard)
    try:
        yield sse(
            "message",
            {
                "thread_id": str(turn.thread_id),
                "user_message_id": str(turn.user_message.id),
                "assistant_message_id": str(turn.assistant_message_id),
                "parent_id": str(turn.user_message.parent_id or "") or None,
                "model": turn.model.info.id if turn.model else None,
                "protocol": turn.model.protocol if turn.model else None,
                "restored_version": turn.restored_version,
            },
        )
        async with receive:
            async for event in receive:
                yield sse(event.type, event.data)
    finally:
        if not task.done():
            task.cancel()  # the client went away: stop the model and the tools


def _emitter(send: Any) -> Any:
    def emit(event: AgentEvent) -> None:
        with contextlib.suppress(anyio.BrokenResourceError, anyio.ClosedResourceError):
            send.send_nowait(event)

    return emit


async def _run(ctx: VersionsServices, turn: PreparedTurn, send: Any) -> None:
    emit = _emitter(send)
    outcome = TurnOutcome(status="error")
    loop: AgentLoop | None = None
    try:
        with send:
            if turn.model is None:
                outcome = await _no_model(ctx, emit)
            else:
                await _save_pending_person_changes(ctx, turn)
                loop = await build_loop(ctx, turn)
                async with anyio.create_task_group() as tg:
                    await tg.start(_watch_cancel, ctx, turn.assistant_message_id, tg.cancel_scope)
                    try:
                        await loop.run(emit)
                    finally:
                        tg.cancel_scope.cancel()
                outcome = loop.outcome
            with anyio.CancelScope(shield=True):
                await _finish(ctx, turn, outcome, emit)
    except BaseException as exc:
        # Cancelled by a client that went away, or a failure outside the loop.
        if loop is not None:
            outcome = loop.outcome
        if isinstance(exc, anyio.get_cancelled_exc_class()):
            outcome.status = "cancelled"
        elif outcome.status not in ("cancelled", "error"):
            outcome.status = "error"
        else:
            log.exception("chat.turn_failed message=%s", turn.assistant_message_id)
            outcome.error = "The turn failed because of an internal problem; it was logged."
            emit(AgentEvent("error", {"code": "internal", "message": outcome.error}))
        with anyio.CancelScope(shield=True):
            await _finish(ctx, turn, outcome, emit)
        if isinstance(exc, anyio.get_cancelled_exc_class()):
            raise
    finally:
        if turn.model is not None:
            with anyio.CancelScope(shield=True):
                await _close_provider(turn.model.provider)


async def _save_pending_person_changes(ctx: VersionsServices, turn: PreparedTurn) -> None:
    """The person's unsaved edits become their own version before the AI starts.

    The turn's commit then holds only what the AI did: the timeline credits each change
    to its author, and reverting the AI's turn never takes the person's edits with it.
    """
    try:
        # One cheap ``git status`` first: most turns start with nothing unsaved.
        if await versions.repo_of(ctx.runtime, turn.project).status():
            await versions.save_pending(ctx, turn.project, None)
    except RepositoryNotInitialized:
        return


async def _close_provider(provider: object) -> None:
    # Each turn builds its provider (keys may differ per person); release its HTTP pool.
    close = getattr(provider, "aclose", None)
    if close is not None:
        with contextlib.suppress(Exception):
            await close()


async def _watch_cancel(
    ctx: VersionsServices,
    message_id: uuid.UUID,
    scope: anyio.CancelScope,
    *,
    task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED,
) -> None:
    events = ctx.events.subscribe(cancel_topic(message_id))
    waiter = asyncio.ensure_future(events.__anext__())
    await asyncio.sleep(0)  # the subscription exists once the generator has started
    task_status.started()
    try:
        async with ctx.sessions() as session:
            status = await repository.message_status(session, message_id)
        if status != "cancelling":
            await waiter
        scope.cancel()
    finally:
        waiter.cancel()
        with contextlib.suppress(BaseException):
            await events.aclose()  # type: ignore[attr-defined]


async def _no_model(ctx: VersionsServices, emit: Any) -> TurnOutcome:
    text, models = await no_model_help(ctx.settings)
    emit(AgentEvent("text", {"iteration": 0, "text": text}))
    emit(
        AgentEvent(
            "error",
            {"code": "no_model", "message": "No AI model is connected.", "ollama_models": models},
        )
    )
    return TurnOutcome(status="error", text=text, error="No AI model is connected.")


def _history(messages: list[MessageRow]) -> list[HistoryItem]:
    items = []
    for m in messages:
        changed: tuple[str, ...] = ()
        if m.role == "assistant" and isinstance(m.tool_calls, list):
            changed = tuple(
                dict.fromkeys(c["path"] for c in m.tool_calls if c.get("path") and c.get("ok"))
            )
        items.append(HistoryItem(m.role, m.content, changed))
    return items


def user_parts(message: MessageRow, *, vision: bool) -> tuple[Part, ...]:
    """The user's message for the model: text, text documents, images for vision models."""
    text = message.content
    images: list[Part] = []
    for item in message.attachments or []:
        if item.get("type") == "text":
            text += f'\n\n<document name="{item.get("name")}">\n{item.get("content")}\n</document>'
        elif item.get("type") == "image":
            data = str(item.get("content", ""))
            media = item.get("media_type") or "image/png"
            if data.startswith("data:") and "," in data:
                header, data = data.split(",", 1)
                media = header[5:].split(";")[0] or media
            if vision:
                images.append(ImagePart(media, data))
            else:
                text += (
                    f"\n\n(An image, {item.get('name')}, was attached; this model cannot see it.)"
                )
    return (TextPart(text), *images)


async def build_loop(ctx: VersionsServices, turn: PreparedTurn) -> AgentLoop:
    """The loop for a prepared turn: tools, prompt, files and history within budget."""
    assert turn.model is not None
    pid = str(turn.project.id)
    template = get_template(turn.project.template)

    async def on_change(paths: list[str], kind: ChangeKind) -> None:
        data = {"paths": paths, "kind": kind, "author": "ai"}
        await ctx.events.publish(project_topic(pid), Event("file:updated", data))

    workspace = LocalWorkspace(ctx.runtime.workspace_dir(pid), on_change=on_change)
    tools = ToolContext(
        user_id=turn.user.id,
        project_id=pid,
        template=template,
        workspace=workspace,
        runtime=ctx.runtime,
        changes=TurnChanges(workspace),
        open_files=list(turn.open_files),
        command_timeout=ctx.settings.agent_command_timeout_seconds,
        check_timeout=ctx.settings.agent_check_timeout_seconds,
    )
    async with ctx.sessions() as session:
        recent = await repository.recent_changed_files(session, turn.project.id)
    info = turn.model.info
    files = await collect_files(
        workspace,
        message=turn.user_message.content,
        open_files=tools.open_files,
        recent=recent,
        budget_tokens=min(_FILE_BUDGET, info.context_window // 5),
    )
    facts = ProjectFacts(
        name=turn.project.name,
        description=turn.project.description,
        stack=template.stack,
        template_name=template.name,
        ai_rules=await anyio.to_thread.run_sync(template.ai_rules),
        backend_connected=turn.project.supabase_connected or turn.project.firebase_connected,
    )
    max_iterations = limits_for(turn.user.subscription_tier).max_iterations
    system = stable_prompt(
        facts, files, xml_tools=turn.model.protocol == "xml", max_iterations=max_iterations
    )
    history = build_history(_history(turn.history), min(_HISTORY_BUDGET, info.context_window // 10))
    current = Message("user", user_parts(turn.user_message, vision=info.supports_vision))
    hooks = DbTurnHooks(ctx.sessions, turn.user, turn.project.id, turn.assistant_message_id)
    return AgentLoop(
        provider=turn.model.provider,
        model=info,
        protocol=turn.model.protocol,
        tools=tools,
        system=system,
        messages=[*history, current],
        user_request=turn.user_message.content,
        message_id=str(turn.assistant_message_id),
        hooks=hooks,
        max_iterations=max_iterations,
    )


async def _finish(
    ctx: VersionsServices, turn: PreparedTurn, outcome: TurnOutcome, emit: Any
) -> None:
    """Persist the reply (and its version), then send ``done``."""
    version = outcome.commit
    try:
        async with ctx.sessions() as session:
            message = await repository.message_by_id(session, turn.assistant_message_id)
            if message is not None:
                message.content = outcome.text
                message.tool_calls = outcome.tool_calls or None
                message.token_count = outcome.output_tokens
                message.status = outcome.status
            if version is not None:
                await versions.record_commit(
                    session,
                    versions.repo_of(ctx.runtime, turn.project),
                    turn.project.id,
                    version,
                    author="ai",
                    message_id=turn.assistant_message_id,
                )
            thread = await repository.thread_by_id(session, turn.thread_id)
            if thread is not None:
                thread.updated_at = utcnow()
            await session.commit()
            totals = await totals_of_messages(session, [turn.assistant_message_id])
    except Exception:
        log.exception("chat.persist_failed message=%s", turn.assistant_message_id)
        totals = None
    emit(
        AgentEvent(
            "done",
            {
                "status": outcome.status,
                "assistant_message_id": str(turn.assistant_message_id),
                "stop_reason": outcome.stop_reason,
                "iterations": outcome.iterations,
                "changed_files": outcome.changed,
                "commit": {
                    "hash": version.hash,
                    "message": version.message,
                    "files": [f.path for f in version.files],
                }
                if version
                else None,
                "suggestions": outcome.suggestions,
                "usage": totals.model_dump() if totals else None,
            },
        )
    )
