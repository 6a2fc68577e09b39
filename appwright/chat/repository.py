"""Queries of the chat domain. Every lookup by id is scoped to the owner via the project."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.chat.schemas import UsageTotals
from appwright.models import ApiUsage, ChatThread, Message, Project, VersionHistory


async def owned_thread(
    session: AsyncSession, user_id: uuid.UUID, thread_id: uuid.UUID
) -> tuple[ChatThread, Project] | None:
    """The thread and its project when ``user_id`` owns the project."""
    row = (
        await session.execute(
            select(ChatThread, Project)
            .join(Project, Project.id == ChatThread.project_id)
            .where(ChatThread.id == thread_id, Project.user_id == user_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def owned_message(
    session: AsyncSession, user_id: uuid.UUID, message_id: uuid.UUID
) -> tuple[Message, ChatThread, Project] | None:
    """The message, its thread and project when ``user_id`` owns the project."""
    row = (
        await session.execute(
            select(Message, ChatThread, Project)
            .join(ChatThread, ChatThread.id == Message.thread_id)
            .join(Project, Project.id == ChatThread.project_id)
            .where(Message.id == message_id, Project.user_id == user_id)
        )
    ).first()
    return (row[0], row[1], row[2]) if row else None


async def threads_of(session: AsyncSession, project_id: uuid.UUID) -> list[ChatThread]:
    """A project's threads, most recently active first."""
    result = await session.scalars(
        select(ChatThread)
        .where(ChatThread.project_id == project_id)
        .order_by(ChatThread.updated_at.desc())
    )
    return list(result)


async def messages_of(session: AsyncSession, thread_id: uuid.UUID) -> list[Message]:
    """Every message of a thread (all branches), oldest first."""
    result = await session.scalars(
        select(Message)
        .where(Message.thread_id == thread_id)
        .order_by(Message.created_at, Message.id)
    )
    return list(result)


def _totals(row: Iterable[object]) -> UsageTotals:
    inp, out, read, write, tokens, cost, calls = row
    return UsageTotals(
        input_tokens=int(inp or 0),  # type: ignore[call-overload]
        output_tokens=int(out or 0),  # type: ignore[call-overload]
        cache_read_tokens=int(read or 0),  # type: ignore[call-overload]
        cache_write_tokens=int(write or 0),  # type: ignore[call-overload]
        tokens=int(tokens or 0),  # type: ignore[call-overload]
        cost_usd=float(cost or 0),  # type: ignore[arg-type]
        calls=int(calls or 0),  # type: ignore[call-overload]
    )


_SUMS = (
    func.sum(ApiUsage.input_tokens),
    func.sum(ApiUsage.output_tokens),
    func.sum(ApiUsage.cache_read_tokens),
    func.sum(ApiUsage.cache_write_tokens),
    func.sum(ApiUsage.tokens_used),
    func.sum(ApiUsage.cost_usd),
    func.count(ApiUsage.id),
)


async def usage_by_message(
    session: AsyncSession, message_ids: list[uuid.UUID]
) -> dict[uuid.UUID, UsageTotals]:
    """Usage totals of each message that has any."""
    if not message_ids:
        return {}
    rows = await session.execute(
        select(ApiUsage.message_id, *_SUMS)
        .where(ApiUsage.message_id.in_(message_ids))
        .group_by(ApiUsage.message_id)
    )
    return {row[0]: _totals(row[1:]) for row in rows if row[0] is not None}


async def usage_of_messages(session: AsyncSession, message_ids: list[uuid.UUID]) -> UsageTotals:
    """Usage totals summed over ``message_ids``."""
    if not message_ids:
        return UsageTotals()
    row = (await session.execute(select(*_SUMS).where(ApiUsage.message_id.in_(message_ids)))).one()
    return _totals(row)


async def usage_by_thread(
    session: AsyncSession, thread_ids: list[uuid.UUID]
) -> dict[uuid.UUID, UsageTotals]:
    """Usage totals of each thread (every branch counts: it was paid for)."""
    if not thread_ids:
        return {}
    rows = await session.execute(
        select(Message.thread_id, *_SUMS)
        .join(Message, Message.id == ApiUsage.message_id)
        .where(Message.thread_id.in_(thread_ids))
        .group_by(Message.thread_id)
    )
    return {row[0]: _totals(row[1:]) for row in rows}


async def versions_by_message(
    session: AsyncSession, message_ids: list[uuid.UUID]
) -> dict[uuid.UUID, VersionHistory]:
    """The version each message produced, if any."""
    if not message_ids:
        return {}
    rows = await session.scalars(
        select(VersionHistory).where(VersionHistory.message_id.in_(message_ids))
    )
    return {v.message_id: v for v in rows if v.message_id is not None}


async def recent_changed_files(session: AsyncSession, project_id: uuid.UUID) -> list[str]:
    """Files changed by the project's last few versions, newest first."""
    rows = await session.scalars(
        select(VersionHistory.files_changed)
        .where(VersionHistory.project_id == project_id)
        .order_by(VersionHistory.created_at.desc())
        .limit(3)
    )
    found: list[str] = []
    for files in rows:
        for path in files or []:
            if isinstance(path, str) and path not in found:
                found.append(path)
    return found[:12]


RUNNING_TURN_WINDOW = timedelta(minutes=30)
"""A reply still ``streaming`` after this long belongs to a server that went away: it no
longer blocks a new message in its thread, nor holds back an idle autosave."""


async def turn_running(session: AsyncSession, project_id: uuid.UUID) -> bool:
    """Whether a reply of the project is being written right now.

    A turn marks its assistant message ``streaming`` (``cancelling`` once asked to stop)
    until it ends; one begun longer than :data:`RUNNING_TURN_WINDOW` ago belongs to a
    server that went away.
    """
    since = datetime.now(UTC) - RUNNING_TURN_WINDOW
    found = await session.scalar(
        select(Message.id)
        .join(ChatThread, ChatThread.id == Message.thread_id)
        .where(
            ChatThread.project_id == project_id,
            Message.status.in_(("streaming", "cancelling")),
            Message.created_at > since,
        )
        .limit(1)
    )
    return found is not None


async def calls_since(session: AsyncSession, user_id: uuid.UUID, since: datetime) -> list[datetime]:
    """Times of the user's model calls since ``since``, oldest first."""
    rows = await session.scalars(
        select(ApiUsage.created_at)
        .where(ApiUsage.user_id == user_id, ApiUsage.created_at >= since)
        .order_by(ApiUsage.created_at)
    )
    return list(rows)


async def tokens_since(session: AsyncSession, user_id: uuid.UUID, since: datetime) -> int:
    """Tokens the user spent since ``since``."""
    total = await session.scalar(
        select(func.sum(ApiUsage.tokens_used)).where(
            ApiUsage.user_id == user_id, ApiUsage.created_at >= since
        )
    )
    return int(total or 0)
