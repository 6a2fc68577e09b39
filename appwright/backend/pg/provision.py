"""A project's database and roles, made and dropped by the server's superuser.

Per project: the database ``p_{hex}`` owned by ``p_{hex}_owner`` (migrations), and
``p_{hex}_app`` (the app), neither superuser, ``BYPASSRLS``, ``CREATEROLE`` nor
``CREATEDB``; nobody else may connect (``REVOKE ALL ... FROM PUBLIC``). Supabase-shaped:
the NOLOGIN roles ``anon`` and ``authenticated`` (shared by the server, granted to each
app role so it can ``SET LOCAL ROLE`` to them; their privileges are per database), the
``auth`` schema with Supabase's ``auth.uid()``, ``auth.role()`` and ``auth.jwt()``
reading ``request.jwt.claims``, the default grants Supabase makes on ``public``, and
``supabase_migrations.schema_migrations`` recording applied migrations.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import asyncpg

from appwright.backend.pg.credentials import PgCredentials

Connect = Callable[[str], Awaitable[asyncpg.Connection]]
"""database name → a superuser connection to it."""

_LIMITS = "NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOREPLICATION"

_API_ROLES = """
do $$ begin
  begin create role anon nologin noinherit;
  exception when duplicate_object or unique_violation then null; end;
  begin create role authenticated nologin noinherit;
  exception when duplicate_object or unique_violation then null; end;
end $$;
"""

# As in Supabase (supabase/postgres, migrations/db/init-scripts/…-auth-schema.sql).
_AUTH_SCHEMA = """
create schema if not exists auth;
grant usage on schema auth to public;
create or replace function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
create or replace function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
create or replace function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


async def create_database(
    admin: asyncpg.Connection, connect: Connect, creds: PgCredentials
) -> None:
    """Roles, database and its Supabase-shaped setup; on failure nothing is left."""
    db, owner, app = _quoted(creds.database), _quoted(creds.owner), _quoted(creds.app)
    # The roles first, in one transaction: when they exist already (a concurrent provision
    # of the same project) this fails with DuplicateObjectError and touches nothing of theirs.
    async with admin.transaction():
        await admin.execute(
            f"create role {owner} login {_LIMITS} password '{creds.owner_password}'"
        )
        await admin.execute(f"create role {app} login {_LIMITS} password '{creds.app_password}'")
        await admin.execute(_API_ROLES)
        await admin.execute(f"grant anon, authenticated to {app}")
    try:
        await admin.execute(
            f"create database {db} owner {owner} encoding 'UTF8' template template0"
        )
        await admin.execute(f"revoke all on database {db} from public")
        await admin.execute(f"grant connect on database {db} to {app}")
        conn = await connect(creds.database)
        try:
            async with conn.transaction():
                await conn.execute(_AUTH_SCHEMA)
                await conn.execute(
                    "revoke all on schema public from public;"
                    f"grant usage on schema public to {app}, anon, authenticated;"
                    f"alter default privileges for role {owner} in schema public"
                    " grant all on tables to anon, authenticated;"
                    f"alter default privileges for role {owner} in schema public"
                    " grant all on sequences to anon, authenticated;"
                    f"alter default privileges for role {owner} in schema public"
                    " grant all on functions to anon, authenticated;"
                    f"create schema supabase_migrations authorization {owner};"
                    f"set local role {owner};"
                    "create table supabase_migrations.schema_migrations ("
                    " version text primary key, name text, statements text[],"
                    " applied_at timestamptz not null default now());"
                )
        finally:
            await conn.close()
    except BaseException:
        await drop_database(admin, creds.database)
        raise


async def drop_database(admin: asyncpg.Connection, database: str) -> None:
    """The database (connections closed) and its two roles, if they exist."""
    db = _quoted(database)
    await admin.execute(f"drop database if exists {db} with (force)")
    for role in (f"{database}_owner", f"{database}_app"):
        await admin.execute(f"drop role if exists {_quoted(role)}")
