"""Queries of the chat domain. Every lookup by id is scoped to the owner via the project."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import ChatThread, Message, Project, VersionHistory


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


async def message_by_id(session: AsyncSession, message_id: uuid.UUID) -> Message | None:
    return await session.get(Message, message_id)


async def thread_by_id(session: AsyncSession, thread_id: uuid.UUID) -> ChatThread | None:
    return await session.get(ChatThread, thread_id)


async def message_status(session: AsyncSession, message_id: uuid.UUID) -> str | None:
    """The ``status`` of a message (``streaming``, ``cancelling``, ``complete``...)."""
    return await session.scalar(select(Message.status).where(Message.id == message_id))
