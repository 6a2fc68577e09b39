"""Project endpoints and project environment variables (docs/PRODUCT.md §3.3)."""

from __future__ import annotations

import uuid
from typing import Annotated

import anyio
from fastapi import APIRouter, Query, status

from appwright.auth import access
from appwright.auth.deps import CurrentUser
from appwright.core.deps import ServicesDep, SessionDep
from appwright.core.schemas import NoNulStr, error_responses
from appwright.projects import env_service, service
from appwright.projects.schemas import (
    EnvVarRead,
    EnvVarRevealed,
    EnvVarSet,
    ProjectCreate,
    ProjectDuplicate,
    ProjectPage,
    ProjectRead,
    ProjectUpdate,
    TemplateRead,
)
from appwright.projects.templates import TEMPLATE_CHOICES
from appwright.runtime.deps import RuntimeDep

router = APIRouter(
    prefix="/api", tags=["projects"], responses=error_responses(400, 401, 403, 404, 409)
)


@router.get("/templates")
async def list_templates() -> list[TemplateRead]:
    return list(TEMPLATE_CHOICES)


@router.get("/projects")
async def list_projects(
    user: CurrentUser,
    services: ServicesDep,
    session: SessionDep,
    q: Annotated[
        NoNulStr | None, Query(max_length=200, description="Search name and description")
    ] = None,
    template: Annotated[NoNulStr | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 24,
) -> ProjectPage:
    items, total = await service.list_projects(
        session, user, q=q, template=template, page=page, page_size=page_size
    )
    return ProjectPage(
        items=[ProjectRead.of(p, services.settings) for p in items],
        total=total,
        page=page,
        page_size=page_size,
    )


@router.post("/projects", status_code=status.HTTP_201_CREATED)
async def create_project(
    body: ProjectCreate, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> ProjectRead:
    project = await service.create_project(session, ctx, user, body)
    await session.commit()
    if ctx.settings.autostart_previews:
        ctx.runtime.start_in_background(str(project.id), project.template)
    return ProjectRead.of(project, ctx.settings)


@router.get("/projects/{project_id}")
async def get_project(
    project_id: uuid.UUID, user: CurrentUser, services: ServicesDep, session: SessionDep
) -> ProjectRead:
    project = await access.get_project(session, user, project_id)
    return ProjectRead.of(project, services.settings)


@router.put("/projects/{project_id}")
async def update_project(
    project_id: uuid.UUID,
    body: ProjectUpdate,
    user: CurrentUser,
    services: ServicesDep,
    session: SessionDep,
) -> ProjectRead:
    project = await service.update_project(session, user, project_id, body)
    return ProjectRead.of(project, services.settings)


@router.delete("/projects/{project_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_project(
    project_id: uuid.UUID,
    user: CurrentUser,
    ctx: RuntimeDep,
    session: SessionDep,
    confirm_name: Annotated[
        NoNulStr, Query(max_length=100, description="The project's exact name")
    ],
) -> None:
    await service.delete_project(session, ctx, user, project_id, confirm_name)


@router.post("/projects/{project_id}/duplicate", status_code=status.HTTP_201_CREATED)
async def duplicate_project(
    project_id: uuid.UUID,
    body: ProjectDuplicate,
    user: CurrentUser,
    ctx: RuntimeDep,
    session: SessionDep,
) -> ProjectRead:
    """Duplicate a project from its current version: the last saved one.

    Edits not saved as a version yet (the idle autosave makes one shortly after a person
    stops typing; an AI turn saves its own) are not in the copy — the live workspace is
    never copied, since the source's sandbox may be changing it. Dependencies and build
    output are not copied either; the copy links and builds its own. 409
    ``CannotDuplicate`` when the project has no version yet or its version has a link
    leaving the project.
    """
    copy = await service.duplicate_project(session, ctx, user, project_id, body.name)
    try:
        await session.commit()
    except BaseException:
        # The row is gone with the transaction: do not leave its files behind.
        with anyio.CancelScope(shield=True):
            await service.remove_files(ctx, copy.id)
        raise
    if ctx.settings.autostart_previews:
        ctx.runtime.start_in_background(str(copy.id), copy.template)
    return ProjectRead.of(copy, ctx.settings)


@router.get("/projects/{project_id}/env")
async def list_env(
    project_id: uuid.UUID, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> list[EnvVarRead]:
    return await env_service.list_vars(session, ctx.secrets, user, project_id)


@router.put("/projects/{project_id}/env/{key}")
async def set_env(
    project_id: uuid.UUID,
    key: NoNulStr,
    body: EnvVarSet,
    user: CurrentUser,
    ctx: RuntimeDep,
    session: SessionDep,
) -> EnvVarRead:
    """Set a variable; a running dev server restarts with it."""
    var = await env_service.set_var(session, ctx.secrets, user, project_id, key, body.value)
    await session.commit()  # the restarted dev server reads the variables anew
    await ctx.runtime.env_changed(str(project_id))
    return var


@router.delete("/projects/{project_id}/env/{key}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_env(
    project_id: uuid.UUID, key: NoNulStr, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> None:
    """Delete a variable; a running dev server restarts without it."""
    await env_service.delete_var(session, user, project_id, key)
    await session.commit()
    await ctx.runtime.env_changed(str(project_id))


@router.post("/projects/{project_id}/env/{key}/reveal")
async def reveal_env(
    project_id: uuid.UUID, key: NoNulStr, user: CurrentUser, ctx: RuntimeDep, session: SessionDep
) -> EnvVarRevealed:
    return await env_service.reveal_var(session, ctx.secrets, user, project_id, key)
