"""The project database API (docs/PRODUCT.md, "Project database")."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from appwright.auth.deps import CurrentUser
from appwright.backend import service
from appwright.backend.deps import BackendDep
from appwright.backend.schemas import (
    BackendCreate,
    BackendRead,
    DatabaseSchema,
    MigrationCreate,
    MigrationRead,
    QueryResult,
    SqlRun,
)
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses

router = APIRouter(
    prefix="/api/projects/{project_id}/backend",
    tags=["backend"],
    responses=error_responses(400, 401, 403, 404, 409, 503),
)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_backend(
    project_id: uuid.UUID,
    body: BackendCreate,
    user: CurrentUser,
    ctx: BackendDep,
    session: SessionDep,
) -> BackendRead:
    """Give the project a database; sets ``DATABASE_URL`` and ``DIRECT_URL`` (a running dev
    server restarts with them). 409 when it has one; ``supabase`` is not available yet."""
    backend = await service.create_backend(session, ctx, user, project_id, body)
    await session.commit()
    await ctx.runtime.env_changed(str(project_id))
    return backend


@router.get("")
async def get_backend(
    project_id: uuid.UUID, user: CurrentUser, ctx: BackendDep, session: SessionDep
) -> BackendRead:
    return await service.get_backend(session, ctx, user, project_id)


@router.get("/schema")
async def get_schema(
    project_id: uuid.UUID, user: CurrentUser, ctx: BackendDep, session: SessionDep
) -> DatabaseSchema:
    """Tables with their columns, keys, row-level security and policies."""
    return await service.describe(session, ctx, user, project_id)


@router.post("/sql")
async def run_sql(
    project_id: uuid.UUID, body: SqlRun, user: CurrentUser, ctx: BackendDep, session: SessionDep
) -> QueryResult:
    """Run SQL as the project's owner role in one transaction (``READ ONLY`` by default),
    with a statement timeout and a row cap. Refused SQL: 400 ``SqlError`` with
    PostgreSQL's message and ``position``; nothing of it is applied."""
    return await service.run_sql(
        session, ctx, user, project_id, body.query, read_only=body.read_only
    )


@router.post("/migrations", status_code=status.HTTP_201_CREATED)
async def create_migration(
    project_id: uuid.UUID,
    body: MigrationCreate,
    user: CurrentUser,
    ctx: BackendDep,
    session: SessionDep,
) -> MigrationRead:
    """Write ``supabase/migrations/<timestamp>_<name>.sql``; with ``apply`` run it first,
    in one transaction, recorded in ``supabase_migrations.schema_migrations``. A failing
    migration writes and applies nothing (400 ``SqlError``)."""
    return await service.create_migration(session, ctx, user, project_id, body)
