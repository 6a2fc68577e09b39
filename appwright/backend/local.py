"""``LocalPostgres``: project databases on the platform's own PostgreSQL cluster, or on an
existing server (``APPWRIGHT_BACKEND_POSTGRES_URL``, a superuser URL).

On the owned cluster (``pg/cluster.py``) ``pg_hba.conf`` binds each project's roles to
their database; on an existing server that file is its administrator's, and
``REVOKE CONNECT ... FROM PUBLIC`` alone keeps other roles out of each database.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import unquote, urlsplit

import anyio
import asyncpg

from appwright.backend.errors import BackendExists, BackendUnavailable
from appwright.backend.pg import project_db, provision
from appwright.backend.pg.cluster import ClusterError, LocalCluster
from appwright.backend.pg.credentials import PgCredentials, database_name
from appwright.backend.provider import Credentials
from appwright.backend.schemas import DatabaseSchema, QueryResult
from appwright.core.config import Settings


class LocalPostgres:
    name = "local"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.admin_url = settings.backend_postgres_url
        self.cluster = (
            None
            if self.admin_url
            else LocalCluster(settings.resolved_backend_pg_dir, settings.backend_pg_port)
        )
        parts = urlsplit(self.admin_url or "")
        self.host = (parts.hostname or "127.0.0.1") if self.admin_url else "127.0.0.1"
        self.port = (parts.port or 5432) if self.admin_url else settings.backend_pg_port
        self._timeout_ms = int(settings.backend_statement_timeout_seconds * 1000)

    async def _superuser(self, database: str = "postgres") -> asyncpg.Connection:
        try:
            if self.cluster is not None:
                return await self.cluster.connect(database)
            assert self.admin_url is not None
            url = urlsplit(self.admin_url)
            conn: asyncpg.Connection = await asyncpg.connect(
                host=url.hostname,
                port=url.port or 5432,
                user=unquote(url.username or "postgres"),
                password=unquote(url.password) if url.password else None,
                database=database,
            )
            return conn
        except (ClusterError, OSError, asyncpg.PostgresError) as exc:
            raise BackendUnavailable(f"The database server is not available: {exc}") from exc

    @contextlib.asynccontextmanager
    async def _admin(self) -> AsyncIterator[asyncpg.Connection]:
        conn = await self._superuser()
        try:
            yield conn
        finally:
            await conn.close()

    @contextlib.asynccontextmanager
    async def _as_owner(self, credentials: Credentials) -> AsyncIterator[asyncpg.Connection]:
        creds = PgCredentials.from_mapping(credentials)
        try:
            conn: asyncpg.Connection = await asyncpg.connect(creds.url(owner=True))
        except (OSError, asyncpg.PostgresError) as exc:
            raise BackendUnavailable(f"The project's database is not reachable: {exc}") from exc
        try:
            # Whatever the SQL does, the platform stops waiting a little after the timeout.
            with anyio.fail_after(self._timeout_ms / 1000 + 5):
                yield conn
        finally:
            conn.terminate()

    async def provision(self, project_id: str) -> Credentials:
        creds = PgCredentials.new(project_id, self.host, self.port)
        async with self._admin() as admin:
            try:
                await provision.create_database(admin, self._superuser, creds)
            except (asyncpg.DuplicateObjectError, asyncpg.UniqueViolationError):
                raise BackendExists("This project already has a database.") from None
            if self.cluster is not None:
                await self.cluster.refresh_hba(admin)
        await self._wait_until_reachable(creds)
        return creds.as_mapping()

    async def _wait_until_reachable(self, creds: PgCredentials) -> None:
        """The reloaded ``pg_hba.conf`` is in force once the owner can sign in."""
        deadline = time.monotonic() + 10
        while True:
            try:
                conn = await asyncpg.connect(creds.url(owner=True))
            except asyncpg.InvalidAuthorizationSpecificationError:
                if time.monotonic() > deadline:
                    raise
                await anyio.sleep(0.02)
            else:
                await conn.close()
                return

    def env(self, credentials: Credentials) -> dict[str, str]:
        creds = PgCredentials.from_mapping(credentials)
        return {"DATABASE_URL": creds.url(owner=False), "DIRECT_URL": creds.url(owner=True)}

    async def run_sql(
        self, credentials: Credentials, query: str, *, read_only: bool
    ) -> QueryResult:
        async with self._as_owner(credentials) as conn:
            return await project_db.run_query(
                conn,
                query,
                read_only=read_only,
                timeout_ms=self._timeout_ms,
                max_rows=self.settings.backend_sql_max_rows,
            )

    async def apply_migration(
        self,
        credentials: Credentials,
        version: str,
        name: str,
        sql: str,
        *,
        before_commit: Callable[[], Awaitable[None]],
    ) -> None:
        async with self._as_owner(credentials) as conn:
            await project_db.apply_migration(
                conn, version, name, sql, timeout_ms=self._timeout_ms, before_commit=before_commit
            )

    async def describe(self, credentials: Credentials) -> DatabaseSchema:
        async with self._as_owner(credentials) as conn:
            return await project_db.describe(conn)

    async def drop(self, project_id: str) -> None:
        if self.cluster is not None and not self.cluster.initialised:
            return  # no project ever had a database here
        async with self._admin() as admin:
            await provision.drop_database(admin, database_name(project_id))
            if self.cluster is not None:
                await self.cluster.refresh_hba(admin)

    async def start(self) -> None:
        if self.cluster is not None:
            await self.cluster.ensure_running()

    async def close(self) -> None:
        if self.cluster is not None:
            await self.cluster.stop()
