"""Queries of the deploy domain."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.models import Deployment, Project, ProjectDomain

HISTORY_LIMIT = 50


async def deployment_of(
    session: AsyncSession, project_id: uuid.UUID, deployment_id: uuid.UUID
) -> Deployment | None:
    """The deployment if it belongs to ``project_id`` (else None, whoever asks)."""
    return await session.scalar(
        select(Deployment).where(
            Deployment.id == deployment_id, Deployment.project_id == project_id
        )
    )


async def history(
    session: AsyncSession, project_id: uuid.UUID, limit: int = HISTORY_LIMIT
) -> Sequence[Deployment]:
    """The project's deployments, newest first."""
    rows = await session.scalars(
        select(Deployment)
        .where(Deployment.project_id == project_id)
        .order_by(Deployment.created_at.desc(), Deployment.id)
        .limit(limit)
    )
    return rows.all()


async def building(session: AsyncSession, project_id: uuid.UUID) -> Deployment | None:
    """The project's deployment that is queued or building, if any."""
    return await session.scalar(
        select(Deployment).where(
            Deployment.project_id == project_id,
            Deployment.status.in_(("queued", "building")),
        )
    )


async def has_deployment_of(session: AsyncSession, project_id: uuid.UUID, sha: str) -> bool:
    """Whether any deployment of the project was made of commit ``sha``."""
    found = await session.scalar(
        select(Deployment.id)
        .where(Deployment.project_id == project_id, Deployment.commit_sha == sha)
        .limit(1)
    )
    return found is not None


async def slug_owner(session: AsyncSession, slug: str) -> uuid.UUID | None:
    """The project published under ``slug``, if any."""
    return await session.scalar(select(Project.id).where(Project.publish_slug == slug))


async def live_sites(session: AsyncSession) -> Sequence[tuple[str, str, Deployment]]:
    """(slug, template, live deployment) of every project published on this server."""
    rows = await session.execute(
        select(Project.publish_slug, Project.template, Deployment)
        .join(Deployment, Deployment.id == Project.live_deployment_id)
        .where(
            Project.publish_slug.is_not(None),
            Deployment.status == "ready",
            Deployment.target == "local",
        )
    )
    return [(str(slug), str(template), dep) for slug, template, dep in rows]


async def unfinished(session: AsyncSession) -> Sequence[Deployment]:
    """Deployments left queued or building (by a platform that stopped meanwhile)."""
    rows = await session.scalars(
        select(Deployment).where(Deployment.status.in_(("queued", "building")))
    )
    return rows.all()


async def project_of_deployment(
    session: AsyncSession, deployment_id: uuid.UUID
) -> uuid.UUID | None:
    return await session.scalar(select(Deployment.project_id).where(Deployment.id == deployment_id))


async def with_project(
    session: AsyncSession, deployment_id: uuid.UUID
) -> tuple[Deployment, Project] | None:
    """A deployment and its project (the publisher's own work, not a request's)."""
    dep = await session.get(Deployment, deployment_id)
    project = await session.get(Project, dep.project_id) if dep else None
    return (dep, project) if dep is not None and project is not None else None


# Custom domains (``domains.py``).


async def domains_of(session: AsyncSession, project_id: uuid.UUID) -> Sequence[ProjectDomain]:
    """The project's domains, in the order they were added."""
    rows = await session.scalars(
        select(ProjectDomain)
        .where(ProjectDomain.project_id == project_id)
        .order_by(ProjectDomain.created_at, ProjectDomain.name)
    )
    return rows.all()


async def domain_named(session: AsyncSession, name: str) -> ProjectDomain | None:
    """The domain ``name``, whichever project added it."""
    return await session.scalar(select(ProjectDomain).where(ProjectDomain.name == name))


async def count_domains(session: AsyncSession, project_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(ProjectDomain)
        .where(ProjectDomain.project_id == project_id)
    )
    return int(count or 0)


async def verified_domains(session: AsyncSession) -> Sequence[tuple[str, uuid.UUID]]:
    """(name, project id) of every verified domain this server serves (not the hosted ones)."""
    rows = await session.execute(
        select(ProjectDomain.name, ProjectDomain.project_id).where(
            ProjectDomain.verified_at.is_not(None), ProjectDomain.target == "local"
        )
    )
    return [(str(name), project_id) for name, project_id in rows]
