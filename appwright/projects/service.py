"""Projects: listing, creation within plan limits, update, duplicate, delete."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth.access import get_project
from appwright.core.errors import (
    BadRequest,
    ConfirmationMismatch,
    PlanLimitExceeded,
)
from appwright.core.plans import limits_for
from appwright.models import Project, ProjectEnvVar, User
from appwright.projects import repository
from appwright.projects.schemas import ProjectCreate, ProjectUpdate
from appwright.projects.templates import TEMPLATE_IDS
from appwright.runtime.deps import RuntimeServices
from appwright.versions import history


async def list_projects(
    session: AsyncSession,
    user: User,
    *,
    q: str | None,
    template: str | None,
    page: int,
    page_size: int,
) -> tuple[list[Project], int]:
    """The owner's projects, most recently changed first."""
    return await repository.page_of_projects(
        session,
        user.id,
        q=q.strip() if q else None,
        template=template,
        offset=(page - 1) * page_size,
        limit=page_size,
    )


async def _check_plan(session: AsyncSession, user: User) -> None:
    limit = limits_for(user.subscription_tier).projects
    if limit is not None and await repository.count_projects(session, user.id) >= limit:
        raise PlanLimitExceeded(
            f"Your {user.subscription_tier} plan allows {limit} projects. "
            "Delete a project or upgrade your plan to create another."
        )


def _check_template(template: str) -> None:
    if template not in TEMPLATE_IDS:
        raise BadRequest(
            f"Unknown template '{template}'. Choose one of: {', '.join(sorted(TEMPLATE_IDS))}."
        )


async def create_project(
    session: AsyncSession, ctx: RuntimeServices, user: User, data: ProjectCreate
) -> Project:
    """Create a project and its workspace (a git repository with the template's files).

    The dev server is started by the caller once the project is committed.
    """
    _check_template(data.template)
    await _check_plan(session, user)
    project = Project(
        user_id=user.id,
        name=data.name,
        description=(data.description or "").strip() or None,
        template=data.template,
    )
    session.add(project)
    await session.flush()
    await ctx.runtime.materialise(str(project.id), project.template)
    await history.start_history(ctx.runtime, str(project.id), project.template)
    project.sandbox_id = str(project.id)
    return project


async def update_project(
    session: AsyncSession, user: User, project_id: uuid.UUID, data: ProjectUpdate
) -> Project:
    project = await get_project(session, user, project_id)
    if data.name is not None:
        project.name = data.name
    if "description" in data.model_fields_set:
        project.description = (data.description or "").strip() or None
    await session.flush()
    return project


async def duplicate_project(
    session: AsyncSession,
    ctx: RuntimeServices,
    user: User,
    project_id: uuid.UUID,
    name: str | None,
) -> Project:
    """A new project with the same template, description and environment variables, and
    the files of the source's current version (see ``versions.history.duplicate_history``).

    The rows are only flushed: when copying fails (``CannotDuplicate`` for a source without
    a version, or one whose version holds a link leaving the project) the request's
    transaction is rolled back and no file of the new project is left; the source is
    never changed.
    """
    source = await get_project(session, user, project_id)
    await _check_plan(session, user)
    copy = Project(
        user_id=user.id,
        name=name or f"{source.name} (copy)"[:100],
        description=source.description,
        template=source.template,
    )
    session.add(copy)
    await session.flush()
    for var in await repository.env_vars(session, source.id):
        session.add(
            ProjectEnvVar(project_id=copy.id, key=var.key, value_encrypted=var.value_encrypted)
        )
    await session.flush()
    await history.duplicate_history(ctx.runtime, str(source.id), str(copy.id))
    copy.sandbox_id = str(copy.id)
    return copy


async def delete_project(
    session: AsyncSession,
    ctx: RuntimeServices,
    user: User,
    project_id: uuid.UUID,
    confirm_name: str,
) -> Project:
    """Delete a project; the caller must type the project's exact name."""
    project = await get_project(session, user, project_id)
    if confirm_name != project.name:
        raise ConfirmationMismatch(
            f"To delete this project, type its name exactly: '{project.name}'."
        )
    await session.delete(project)
    await session.flush()
    await remove_files(ctx, project.id)
    return project


async def remove_files(ctx: RuntimeServices, project_id: uuid.UUID) -> None:
    """Stop the project's sandbox and remove its workspace and history."""
    await ctx.runtime.remove(str(project_id))
    await history.remove_history(ctx.runtime, str(project_id))
