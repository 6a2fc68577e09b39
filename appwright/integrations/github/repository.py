"""Queries of the GitHub integration."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import GitHubConnection


async def connection_of(session: AsyncSession, user_id: uuid.UUID) -> GitHubConnection | None:
    """The person's GitHub connection, if any."""
    found: GitHubConnection | None = await session.scalar(
        select(GitHubConnection).where(GitHubConnection.user_id == user_id)
    )
    return found
