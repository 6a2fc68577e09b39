"""Threads, branches and the preparation of a turn (docs/PRODUCT.md §3.4).

A thread's messages form a tree through ``parent_id``: sending continues the newest
branch (or the given parent), editing a user message adds a sibling with the new text,
regenerating adds a sibling assistant reply. The branch shown is the path from the first
message to a leaf; every other branch stays readable by its leaf id.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth.access import get_project
from appwright.chat import repository
from appwright.chat.schemas import (
    Attachment,
    MessageRead,
    ThreadBranchRead,
    ThreadCreate,
    ThreadWithUsage,
    VersionRef,
)
from appwright.core.errors import BadRequest, Conflict, ResourceNotFound
from appwright.core.events import Event
from appwright.llm import repository as llm_repository
from appwright.llm.selection import ResolvedModel, resolve_model
from appwright.models import ChatThread, Message, Project, User
from appwright.usage.schemas import UsageTotals
from appwright.usage.service import check_limits, totals_by_message, totals_by_thread
from appwright.versions import service as versions
from appwright.versions.deps import VersionsServices
from appwright.versions.git.errors import RepositoryNotInitialized

THREAD_NOT_FOUND = "No such chat thread."
MESSAGE_NOT_FOUND = "No such message."


def cancel_topic(message_id: uuid.UUID | str) -> str:
    """EventBus topic on which a running turn listens for its cancellation."""
    return f"chat:{message_id}"


@dataclass(slots=True)
class PreparedTurn:
    """Everything a turn needs once the request's own session has ended."""

    user: User
    project: Project
    thread_id: uuid.UUID
    user_message: Message
    assistant_message_id: uuid.UUID
    history: list[Message]
    model: ResolvedModel | None
    open_files: list[str] = field(default_factory=list)
    restored_version: str | None = None


async def create_thread(session: AsyncSession, user: User, data: ThreadCreate) -> ChatThread:
    """A new thread in one of the user's projects."""
    project = await get_project(session, user, data.project_id)
    thread = ChatThread(project_id=project.id, title=(data.title or "").strip() or None)
    session.add(thread)
    await session.flush()
    return thread


async def list_threads(
    session: AsyncSession, user: User, project_id: uuid.UUID
) -> list[ThreadWithUsage]:
    """The project's threads with their usage totals."""
    project = await get_project(session, user, project_id)
    threads = await repository.threads_of(session, project.id)
    usage = await totals_by_thread(session, [t.id for t in threads])
    return [
        ThreadWithUsage.model_validate(t).model_copy(update={"usage": usage.get(t.id)})
        if t.id in usage
        else ThreadWithUsage.model_validate(t)
        for t in threads
    ]


async def _thread(
    session: AsyncSession, user: User, thread_id: uuid.UUID
) -> tuple[ChatThread, Project]:
    found = await repository.owned_thread(session, user.id, thread_id)
    if found is None:
        raise ResourceNotFound(THREAD_NOT_FOUND)
    return found


def _refuse_busy(messages: list[Message]) -> None:
    cutoff = datetime.now(UTC) - repository.RUNNING_TURN_WINDOW
    if any(m.status in ("streaming", "cancelling") and m.created_at > cutoff for m in messages):
        raise Conflict("A reply is still being written in this thread; stop it or wait.")


def _path(messages: list[Message], leaf_id: uuid.UUID | None) -> list[Message]:
    if not messages:
        return []
    by_id = {m.id: m for m in messages}
    leaf = by_id.get(leaf_id) if leaf_id else messages[-1]
    if leaf is None:
        raise ResourceNotFound(MESSAGE_NOT_FOUND)
    path: list[Message] = []
    node: Message | None = leaf
    while node is not None and len(path) <= len(messages):
        path.append(node)
        node = by_id.get(node.parent_id) if node.parent_id else None
    return list(reversed(path))


def _leaves(messages: list[Message]) -> list[uuid.UUID]:
    parents = {m.parent_id for m in messages if m.parent_id}
    return [m.id for m in reversed(messages) if m.id not in parents]


async def read_branch(
    session: AsyncSession, user: User, thread_id: uuid.UUID, leaf_id: uuid.UUID | None
) -> ThreadBranchRead:
    """One branch of the thread (the newest by default) with usage and versions."""
    thread, _ = await _thread(session, user, thread_id)
    messages = await repository.messages_of(session, thread.id)
    path = _path(messages, leaf_id)
    ids = [m.id for m in path]
    usage = await totals_by_message(session, ids)
    versions = await repository.versions_by_message(session, ids)
    siblings: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for m in messages:
        siblings.setdefault(m.parent_id, []).append(m.id)
    items = []
    for m in path:
        version = versions.get(m.id)
        items.append(
            MessageRead(
                id=m.id,
                thread_id=m.thread_id,
                parent_id=m.parent_id,
                role=m.role,
                content=m.content,
                tool_calls=m.tool_calls,
                token_count=m.token_count,
                status=m.status,
                created_at=m.created_at,
                usage=usage.get(m.id),
                version=VersionRef(
                    commit_hash=version.commit_hash,
                    description=version.description,
                    files_changed=version.files_changed,
                )
                if version
                else None,
                sibling_ids=siblings.get(m.parent_id, []),
            )
        )
    total = UsageTotals()
    for u in usage.values():
        total = UsageTotals(
            **{k: getattr(total, k) + getattr(u, k) for k in UsageTotals.model_fields}
        )
    return ThreadBranchRead(
        thread_id=thread.id,
        leaf_id=path[-1].id if path else None,
        messages=items,
        usage=total,
        leaf_ids=_leaves(messages),
    )


async def _prepare(
    session: AsyncSession,
    ctx: VersionsServices,
    user: User,
    thread: ChatThread,
    project: Project,
    *,
    parent: Message | None,
    user_message: Message,
    model: str | None,
    open_files: list[str],
    replacing: Message | None = None,
) -> PreparedTurn:
    await check_limits(session, user)
    messages = await repository.messages_of(session, thread.id)
    history = _path(messages, parent.id) if parent is not None else []
    settings_row = await llm_repository.settings_of(session, user.id)
    resolved = resolve_model(ctx.settings, ctx.secrets, settings_row, requested_model=model)
    restored = None
    if replacing is not None and resolved is not None:
        restored = await _undo_replaced_code(session, ctx, project, messages, replacing)
    assistant = Message(
        thread_id=thread.id,
        parent_id=user_message.id,
        role="assistant",
        content="",
        status="streaming",
    )
    session.add(assistant)
    thread.updated_at = assistant.created_at or thread.updated_at
    await session.flush()
    return PreparedTurn(
        user=user,
        project=project,
        thread_id=thread.id,
        user_message=user_message,
        assistant_message_id=assistant.id,
        history=history,
        model=resolved,
        open_files=open_files,
        restored_version=restored,
    )


def _descendants(messages: list[Message], root: uuid.UUID) -> set[uuid.UUID]:
    children: dict[uuid.UUID | None, list[uuid.UUID]] = {}
    for m in messages:
        children.setdefault(m.parent_id, []).append(m.id)
    found: set[uuid.UUID] = set()
    stack = list(children.get(root, []))
    while stack:
        node = stack.pop()
        if node not in found:
            found.add(node)
            stack.extend(children.get(node, []))
    return found


async def _undo_replaced_code(
    session: AsyncSession,
    ctx: VersionsServices,
    project: Project,
    messages: list[Message],
    replaced: Message,
) -> str | None:
    """Put the code back as it was when ``replaced`` (a user message) was first sent.

    Regenerating or editing replaces the replies after that message; when the code is
    still what those replies made (the current version belongs to one of them), the new
    attempt starts from the code the person asked about, not from the old attempt. The
    restore is a new forward commit, so the old attempt stays in the timeline. When
    anything else changed the code since (a person's saved version, another thread's turn),
    the code is left alone. Returns the restored version's hash, if any.
    """
    repo = versions.repo_of(ctx.runtime, project)
    try:
        head = await versions.head_or_none(repo)
    except RepositoryNotInitialized:
        return None
    if head is None:
        return None
    owner = await versions.message_of_commit(session, project.id, head)
    if owner is None or owner not in _descendants(messages, replaced.id):
        return None
    target = await versions.version_for_message(session, repo, project, replaced.id)
    if target == head:
        return None
    _, result = await versions.revert(session, ctx, project, target)
    return target if result.version is not None else None


def _attachments(items: list[Attachment]) -> list[dict[str, Any]] | None:
    return [a.model_dump() for a in items] or None


async def start_message(
    session: AsyncSession,
    ctx: VersionsServices,
    user: User,
    *,
    thread_id: uuid.UUID,
    content: str,
    attachments: list[Attachment],
    model: str | None,
    parent_id: uuid.UUID | None,
    open_files: list[str],
) -> PreparedTurn:
    """Persist the user's message (continuing the newest branch, or ``parent_id``) and an
    empty assistant message; the turn itself runs in the stream."""
    thread, project = await _thread(session, user, thread_id)
    messages = await repository.messages_of(session, thread.id)
    parent: Message | None = messages[-1] if messages else None
    if parent_id is not None:
        parent = next((m for m in messages if m.id == parent_id), None)
        if parent is None:
            raise BadRequest("parent_id is not a message of this thread.")
    _refuse_busy(messages)
    message = Message(
        thread_id=thread.id,
        parent_id=parent.id if parent else None,
        role="user",
        content=content,
        attachments=_attachments(attachments),
    )
    session.add(message)
    await session.flush()
    if thread.title is None:
        thread.title = " ".join(content.split())[:80]
    return await _prepare(
        session, ctx, user, thread, project,
        parent=parent, user_message=message, model=model, open_files=open_files,
    )  # fmt: skip


async def _owned_message(
    session: AsyncSession, user: User, message_id: uuid.UUID
) -> tuple[Message, ChatThread, Project]:
    found = await repository.owned_message(session, user.id, message_id)
    if found is None:
        raise ResourceNotFound(MESSAGE_NOT_FOUND)
    return found


async def start_regenerate(
    session: AsyncSession,
    ctx: VersionsServices,
    user: User,
    message_id: uuid.UUID,
    model: str | None,
) -> PreparedTurn:
    """A new reply to the user message ``message_id`` (or to the one an assistant message
    ``message_id`` answered); the earlier reply stays as a sibling branch."""
    message, thread, project = await _owned_message(session, user, message_id)
    if message.role == "assistant":
        if message.parent_id is None:
            raise BadRequest("This reply has no user message to answer again.")
        message, _, _ = await _owned_message(session, user, message.parent_id)
    messages = await repository.messages_of(session, thread.id)
    _refuse_busy(messages)
    parent = next((m for m in messages if m.id == message.parent_id), None)
    return await _prepare(
        session, ctx, user, thread, project,
        parent=parent, user_message=message, model=model, open_files=[], replacing=message,
    )  # fmt: skip


async def start_edit(
    session: AsyncSession,
    ctx: VersionsServices,
    user: User,
    message_id: uuid.UUID,
    content: str,
    model: str | None,
) -> PreparedTurn:
    """Edit an earlier user message: a sibling with the new text starts a new branch."""
    original, thread, project = await _owned_message(session, user, message_id)
    if original.role != "user":
        raise BadRequest("Only your own messages can be edited.")
    messages = await repository.messages_of(session, thread.id)
    _refuse_busy(messages)
    parent = next((m for m in messages if m.id == original.parent_id), None)
    edited = Message(
        thread_id=thread.id,
        parent_id=original.parent_id,
        role="user",
        content=content,
        attachments=original.attachments,
    )
    session.add(edited)
    await session.flush()
    return await _prepare(
        session, ctx, user, thread, project,
        parent=parent, user_message=edited, model=model, open_files=[], replacing=original,
    )  # fmt: skip


async def cancel(
    session: AsyncSession, ctx: VersionsServices, user: User, message_id: uuid.UUID
) -> str:
    """Ask the running turn of assistant message ``message_id`` to stop."""
    message, _, _ = await _owned_message(session, user, message_id)
    if message.status != "streaming":
        return message.status
    message.status = "cancelling"
    await session.flush()
    await ctx.events.publish(cancel_topic(message.id), Event("chat:cancel", {}))
    return "cancelling"
