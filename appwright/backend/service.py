"""A project's database: provision it, query it, migrate it, describe it.

Provisioning stores the provider's credentials encrypted (``SecretBox``) in
``project_backends`` and sets the project variables ``DATABASE_URL`` (the app role) and
``DIRECT_URL`` (the owner role, for migrations) through the projects' env service, so a
running dev server restarts with them. A migration is written to
``supabase/migrations/<UTC timestamp>_<name>.sql`` (the Supabase CLI layout) through the
file API, its down SQL kept in a comment block at the end of the file; with ``apply``
the file is written only once the migration ran, inside its transaction.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.auth.access import get_project
from appwright.backend import repository
from appwright.backend.deps import BackendServices
from appwright.backend.errors import BackendExists, NoBackend
from appwright.backend.provider import BackendProvider, Credentials
from appwright.backend.schemas import (
    BackendCreate,
    BackendRead,
    DatabaseSchema,
    MigrationCreate,
    MigrationRead,
    QueryResult,
)
from appwright.models import Project, ProjectBackend, User
from appwright.projects import env_service
from appwright.workspace import service as files

MIGRATIONS_DIR = "supabase/migrations"
DOWN_MARKER = "-- appwright:down"


def _read(ctx: BackendServices, row: ProjectBackend) -> BackendRead:
    provider = ctx.backends.provider(row.provider)
    names = sorted(provider.env(_credentials(ctx, row)))
    return BackendRead(
        provider=row.provider, status=row.status, env=names, created_at=row.created_at
    )


def _credentials(ctx: BackendServices, row: ProjectBackend) -> Credentials:
    data: dict[str, str] = json.loads(ctx.secrets.decrypt(row.credentials_encrypted))
    return data


async def _backend(
    session: AsyncSession, ctx: BackendServices, user: User, project_id: uuid.UUID
) -> tuple[Project, ProjectBackend, BackendProvider]:
    project = await get_project(session, user, project_id)
    row = await repository.backend_of(session, project.id)
    if row is None:
        raise NoBackend("This project has no database yet: enable one first.")
    return project, row, ctx.backends.provider(row.provider)


async def create_backend(
    session: AsyncSession,
    ctx: BackendServices,
    user: User,
    project_id: uuid.UUID,
    data: BackendCreate,
) -> BackendRead:
    """Provision the database and set its variables (flushed; the caller commits)."""
    project = await get_project(session, user, project_id)
    provider = ctx.backends.provider(data.provider)
    if await repository.backend_of(session, project.id) is not None:
        raise BackendExists("This project already has a database.")
    credentials = await provider.provision(str(project.id))
    try:
        row = ProjectBackend(
            project_id=project.id,
            provider=provider.name,
            status="ready",
            credentials_encrypted=ctx.secrets.encrypt(json.dumps(dict(credentials))),
        )
        session.add(row)
        await session.flush()
        for key, value in provider.env(credentials).items():
            await env_service.set_var(session, ctx.secrets, user, project.id, key, value)
    except BaseException:
        await provider.drop(str(project.id))
        raise
    return _read(ctx, row)


async def get_backend(
    session: AsyncSession, ctx: BackendServices, user: User, project_id: uuid.UUID
) -> BackendRead:
    _, row, _ = await _backend(session, ctx, user, project_id)
    return _read(ctx, row)


async def describe(
    session: AsyncSession, ctx: BackendServices, user: User, project_id: uuid.UUID
) -> DatabaseSchema:
    _, row, provider = await _backend(session, ctx, user, project_id)
    return await provider.describe(_credentials(ctx, row))


async def run_sql(
    session: AsyncSession,
    ctx: BackendServices,
    user: User,
    project_id: uuid.UUID,
    query: str,
    *,
    read_only: bool,
) -> QueryResult:
    _, row, provider = await _backend(session, ctx, user, project_id)
    return await provider.run_sql(_credentials(ctx, row), query, read_only=read_only)


def migration_file(name: str, sql: str, down_sql: str | None) -> bytes:
    """The file's text: the SQL, then the down SQL as a comment block (``DOWN_MARKER``)."""
    text = sql.rstrip() + "\n"
    if down_sql and down_sql.strip():
        down = "\n".join(f"-- {line}".rstrip() for line in down_sql.strip().splitlines())
        text += f"\n{DOWN_MARKER} (reverts {name})\n{down}\n"
    return text.encode()


async def create_migration(
    session: AsyncSession,
    ctx: BackendServices,
    user: User,
    project_id: uuid.UUID,
    data: MigrationCreate,
) -> MigrationRead:
    project, row, provider = await _backend(session, ctx, user, project_id)
    version = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
    path = f"{MIGRATIONS_DIR}/{version}_{data.name}.sql"
    content = migration_file(data.name, data.sql, data.down_sql)

    async def write() -> None:
        await files.write_file(ctx, project, path, content, if_none_match="*")

    if data.apply:
        await provider.apply_migration(
            _credentials(ctx, row), version, data.name, data.sql, before_commit=write
        )
    else:
        await write()
    return MigrationRead(version=version, path=path, applied=data.apply)
