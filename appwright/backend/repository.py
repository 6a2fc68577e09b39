"""Queries of the project database domain (the platform's own database)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import ProjectBackend


async def backend_of(session: AsyncSession, project_id: uuid.UUID) -> ProjectBackend | None:
    found: ProjectBackend | None = await session.scalar(
        select(ProjectBackend).where(ProjectBackend.project_id == project_id)
    )
    return found


async def providers_in_use(session: AsyncSession) -> list[str]:
    return list(await session.scalars(select(ProjectBackend.provider).distinct()))
