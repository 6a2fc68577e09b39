"""Queries of the projects domain. Every query is scoped to the owner."""

from __future__ import annotations

import uuid

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import Project, ProjectEnvVar


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _owned(user_id: uuid.UUID, q: str | None, template: str | None) -> Select[Project]:
    stmt = select(Project).where(Project.user_id == user_id)
    if q:
        pattern = f"%{_escape_like(q.lower())}%"
        stmt = stmt.where(
            or_(
                func.lower(Project.name).like(pattern, escape="\\"),
                func.lower(func.coalesce(Project.description, "")).like(pattern, escape="\\"),
            )
        )
    if template:
        stmt = stmt.where(Project.template == template)
    return stmt


async def page_of_projects(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    q: str | None,
    template: str | None,
    offset: int,
    limit: int,
) -> tuple[list[Project], int]:
    base = _owned(user_id, q, template)
    total = await session.scalar(select(func.count()).select_from(base.subquery()))
    rows = await session.scalars(
        base.order_by(Project.updated_at.desc(), Project.id).offset(offset).limit(limit)
    )
    return list(rows), int(total or 0)


async def count_projects(session: AsyncSession, user_id: uuid.UUID) -> int:
    total = await session.scalar(
        select(func.count()).select_from(Project).where(Project.user_id == user_id)
    )
    return int(total or 0)


async def env_vars(session: AsyncSession, project_id: uuid.UUID) -> list[ProjectEnvVar]:
    rows = await session.scalars(
        select(ProjectEnvVar)
        .where(ProjectEnvVar.project_id == project_id)
        .order_by(ProjectEnvVar.key)
    )
    return list(rows)


async def env_var(session: AsyncSession, project_id: uuid.UUID, key: str) -> ProjectEnvVar | None:
    return await session.scalar(
        select(ProjectEnvVar).where(
            ProjectEnvVar.project_id == project_id, ProjectEnvVar.key == key
        )
    )
