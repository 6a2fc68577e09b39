"""Queries of the llm domain: a person's model settings."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import UserLLMSettings


async def settings_of(session: AsyncSession, user_id: uuid.UUID) -> UserLLMSettings | None:
    """The person's chosen provider, model and keys (None: never set)."""
    return await session.scalar(select(UserLLMSettings).where(UserLLMSettings.user_id == user_id))
