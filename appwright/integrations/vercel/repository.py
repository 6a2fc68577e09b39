"""Queries of the Vercel integration."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import VercelConnection


async def connection_of(session: AsyncSession, user_id: uuid.UUID) -> VercelConnection | None:
    """The person's Vercel connection, if any."""
    found: VercelConnection | None = await session.scalar(
        select(VercelConnection).where(VercelConnection.user_id == user_id)
    )
    return found
