"""Queries of the versions domain: the ``version_history`` rows that join git to chat."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import ChatThread, Message, VersionHistory


async def add_rows(session: AsyncSession, rows: Sequence[VersionHistory]) -> None:
    session.add_all(rows)
    await session.flush()


async def recorded_commits(
    session: AsyncSession, project_id: uuid.UUID, hashes: Sequence[str]
) -> set[str]:
    """Which of ``hashes`` the project has recorded already."""
    found = await session.scalars(
        select(VersionHistory.commit_hash).where(
            VersionHistory.project_id == project_id,
            VersionHistory.commit_hash.in_(list(hashes)),
        )
    )
    return set(found)


async def messages_of_project(
    session: AsyncSession, project_id: uuid.UUID, message_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of ``message_ids`` are messages of the project's chat."""
    found = await session.scalars(
        select(Message.id)
        .join(ChatThread, Message.thread_id == ChatThread.id)
        .where(Message.id.in_(list(message_ids)), ChatThread.project_id == project_id)
    )
    return set(found)


async def message_links(
    session: AsyncSession, project_id: uuid.UUID, hashes: Sequence[str]
) -> dict[str, uuid.UUID | None]:
    """The chat message each recorded commit of ``hashes`` belongs to."""
    rows = await session.execute(
        select(VersionHistory.commit_hash, VersionHistory.message_id).where(
            VersionHistory.project_id == project_id,
            VersionHistory.commit_hash.in_(list(hashes)),
        )
    )
    return {commit: message for commit, message in rows.all()}


async def commit_of_message(
    session: AsyncSession, project_id: uuid.UUID, message_id: uuid.UUID
) -> str | None:
    """The newest commit recorded for chat message ``message_id``."""
    return await session.scalar(
        select(VersionHistory.commit_hash)
        .where(VersionHistory.project_id == project_id, VersionHistory.message_id == message_id)
        .order_by(VersionHistory.created_at.desc())
        .limit(1)
    )


async def message_of_project(
    session: AsyncSession, project_id: uuid.UUID, message_id: uuid.UUID
) -> Message | None:
    return await session.scalar(
        select(Message)
        .join(ChatThread, Message.thread_id == ChatThread.id)
        .where(Message.id == message_id, ChatThread.project_id == project_id)
    )


async def commit_before(session: AsyncSession, project_id: uuid.UUID, when: datetime) -> str | None:
    """The newest commit the project recorded before ``when``."""
    return await session.scalar(
        select(VersionHistory.commit_hash)
        .where(VersionHistory.project_id == project_id, VersionHistory.created_at < when)
        .order_by(VersionHistory.created_at.desc())
        .limit(1)
    )


async def message_of_commit(
    session: AsyncSession, project_id: uuid.UUID, commit_hash: str
) -> uuid.UUID | None:
    """The chat message a recorded commit belongs to (None: a person's, or unrecorded)."""
    return await session.scalar(
        select(VersionHistory.message_id).where(
            VersionHistory.project_id == project_id, VersionHistory.commit_hash == commit_hash
        )
    )
