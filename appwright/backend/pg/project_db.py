"""What the platform runs in a project's database as the project's owner role.

A person's query runs in one transaction: ``READ ONLY`` when asked (then only one
statement, through the extended protocol, so no ``COMMIT;`` inside the text can end the
read-only transaction), with a statement timeout and a row cap. A migration runs in one
transaction with its record in ``supabase_migrations.schema_migrations``, under an
advisory lock so two migrations never interleave; a failure rolls back everything.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg

from appwright.backend.errors import SqlError
from appwright.backend.schemas import (
    Column,
    DatabaseSchema,
    ForeignKey,
    Policy,
    QueryResult,
    Table,
)

_MIGRATION_LOCK = 7_303_212_901  # pg_advisory_xact_lock key of migrations


def sql_error(exc: asyncpg.PostgresError) -> SqlError:
    position = getattr(exc, "position", None)
    return SqlError(
        str(exc.args[0]) if exc.args else type(exc).__name__,
        position=int(position) if position else None,
        hint=getattr(exc, "hint", None),
        sqlstate=getattr(exc, "sqlstate", None),
    )


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)


async def run_query(
    conn: asyncpg.Connection, query: str, *, read_only: bool, timeout_ms: int, max_rows: int
) -> QueryResult:
    try:
        async with conn.transaction(readonly=read_only):
            await conn.execute(f"set local statement_timeout = {int(timeout_ms)}")
            try:
                async with conn.transaction():  # a savepoint: a failed prepare is undone
                    statement = await conn.prepare(query)
            except asyncpg.PostgresSyntaxError as exc:
                if read_only or "multiple commands" not in str(exc):
                    raise
                await conn.execute(query)  # several statements: no rows to show
                return QueryResult(columns=[], rows=[])
            columns = [a.name for a in statement.get_attributes()]
            if not columns:
                await statement.fetch()
                return QueryResult(columns=[], rows=[])
            cursor = await statement.cursor()
            rows = await cursor.fetch(max_rows + 1)
    except asyncpg.PostgresError as exc:
        raise sql_error(exc) from None
    return QueryResult(
        columns=columns,
        rows=[[_jsonable(v) for v in row.values()] for row in rows[:max_rows]],
        truncated=len(rows) > max_rows,
    )


async def apply_migration(
    conn: asyncpg.Connection,
    version: str,
    name: str,
    sql: str,
    *,
    timeout_ms: int,
    before_commit: Callable[[], Awaitable[None]],
) -> None:
    """Run ``sql`` and record it, in one transaction; ``before_commit`` runs inside it."""
    try:
        async with conn.transaction():
            await conn.execute(f"set local statement_timeout = {int(timeout_ms)}")
            await conn.execute("select pg_advisory_xact_lock($1)", _MIGRATION_LOCK)
            done = await conn.fetchval(
                "select 1 from supabase_migrations.schema_migrations where version = $1", version
            )
            if done:
                raise SqlError(f"A migration with version {version} was already applied.")
            await conn.execute(sql)
            await conn.execute(
                "insert into supabase_migrations.schema_migrations (version, name, statements)"
                " values ($1, $2, $3)",
                version,
                name,
                [sql],
            )
            await before_commit()
    except asyncpg.PostgresError as exc:
        raise sql_error(exc) from None


_USER_TABLES = """
select c.oid, n.nspname, c.relname, c.relrowsecurity
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and n.nspname not in ('pg_catalog', 'information_schema', 'auth', 'supabase_migrations')
  and n.nspname not like 'pg\\_%'
order by n.nspname, c.relname
"""

_COLUMNS = """
select a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod) as type,
       not a.attnotnull as nullable, pg_get_expr(d.adbin, d.adrelid) as default
from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where a.attrelid = any($1::oid[]) and a.attnum > 0 and not a.attisdropped
order by a.attrelid, a.attnum
"""

_CONSTRAINTS = """
select con.conrelid, con.contype::text as contype, con.conname,
       array(select attname from unnest(con.conkey) with ordinality k(n, i)
             join pg_attribute on attrelid = con.conrelid and attnum = k.n order by k.i) as cols,
       con.confrelid::regclass::text as ref_table,
       array(select attname from unnest(con.confkey) with ordinality k(n, i)
             join pg_attribute on attrelid = con.confrelid and attnum = k.n order by k.i)
         as ref_cols
from pg_constraint con
where con.conrelid = any($1::oid[]) and con.contype in ('p', 'f')
order by con.conname
"""

_POLICIES = """
select schemaname, tablename, policyname, permissive, roles, cmd, qual, with_check
from pg_policies order by policyname
"""


async def describe(conn: asyncpg.Connection) -> DatabaseSchema:
    tables = await conn.fetch(_USER_TABLES)
    oids = [t["oid"] for t in tables]
    columns: dict[int, list[Column]] = {}
    for c in await conn.fetch(_COLUMNS, oids):
        columns.setdefault(c["attrelid"], []).append(
            Column(name=c["attname"], type=c["type"], nullable=c["nullable"], default=c["default"])
        )
    keys: dict[int, list[str]] = {}
    foreign: dict[int, list[ForeignKey]] = {}
    for k in await conn.fetch(_CONSTRAINTS, oids):
        if k["contype"] == "p":
            keys[k["conrelid"]] = list(k["cols"])
        else:
            foreign.setdefault(k["conrelid"], []).append(
                ForeignKey(
                    name=k["conname"],
                    columns=list(k["cols"]),
                    references_table=k["ref_table"],
                    references_columns=list(k["ref_cols"]),
                )
            )
    policies: dict[tuple[str, str], list[Policy]] = {}
    for p in await conn.fetch(_POLICIES):
        policies.setdefault((p["schemaname"], p["tablename"]), []).append(
            Policy(
                name=p["policyname"],
                command=p["cmd"],
                roles=list(p["roles"]),
                permissive=p["permissive"] == "PERMISSIVE",
                using=p["qual"],
                with_check=p["with_check"],
            )
        )
    return DatabaseSchema(
        tables=[
            Table(
                schema_name=t["nspname"],
                name=t["relname"],
                columns=columns.get(t["oid"], []),
                primary_key=keys.get(t["oid"], []),
                foreign_keys=foreign.get(t["oid"], []),
                rls_enabled=t["relrowsecurity"],
                policies=policies.get((t["nspname"], t["relname"]), []),
            )
            for t in tables
        ]
    )
