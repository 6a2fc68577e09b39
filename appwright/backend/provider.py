"""What a project database provider does; ``local.LocalPostgres`` is the first.

A provider makes a database for a project and answers with its credentials (a mapping
of strings the platform stores encrypted and hands back on every later call), turns
them into the project's environment variables, and runs a person's SQL, migrations and
schema description on it. Supabase and Neon fit behind the same methods.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol

from appwright.backend.schemas import DatabaseSchema, QueryResult

Credentials = Mapping[str, str]


class BackendProvider(Protocol):
    name: str

    async def provision(self, project_id: str) -> Credentials:
        """A new database for the project; ``BackendExists`` when it has one."""
        ...

    def env(self, credentials: Credentials) -> dict[str, str]:
        """The project variables that reach the database (``DATABASE_URL``…)."""
        ...

    async def run_sql(
        self, credentials: Credentials, query: str, *, read_only: bool
    ) -> QueryResult: ...

    async def apply_migration(
        self,
        credentials: Credentials,
        version: str,
        name: str,
        sql: str,
        *,
        before_commit: Callable[[], Awaitable[None]],
    ) -> None:
        """Apply and record ``sql`` in one transaction (``before_commit`` inside it)."""
        ...

    async def describe(self, credentials: Credentials) -> DatabaseSchema: ...

    async def drop(self, project_id: str) -> None:
        """Drop the project's database and roles, if any."""
        ...

    async def start(self) -> None:
        """Be ready to serve the projects that have a database (the platform starts)."""
        ...

    async def close(self) -> None: ...
