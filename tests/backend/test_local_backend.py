"""A project's local PostgreSQL database through the HTTP API: provisioning, row-level
security as the app sees it, the roles' confinement, SQL and migrations, deletion.

Everything runs on the session's real cluster with real roles; the app's side connects
with the ``DATABASE_URL`` the project was given, as the app's server would.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import asyncpg
import httpx
import pytest

from appwright.backend.pg.cluster import LocalCluster
from appwright.context import AppContext
from tests.conftest import POSTGRES_ADMIN_URL
from tests.helpers import create_project, signup

pytestmark = pytest.mark.anyio

TODOS = """
create table public.todos (
  id bigint generated always as identity primary key,
  user_id uuid not null,
  title text not null,
  done boolean not null default false
);
alter table public.todos enable row level security;
create policy "owner only" on public.todos
  for all to authenticated
  using (user_id = auth.uid()) with check (user_id = auth.uid());
"""
USER_A, USER_B = str(uuid.uuid4()), str(uuid.uuid4())
SEED = "insert into todos (user_id, title) values ($a, 'a1'), ($a, 'a2'), ($b, 'b1')".replace(
    "$a", f"'{USER_A}'"
).replace("$b", f"'{USER_B}'")


async def _provision(client: httpx.AsyncClient, project_id: str) -> dict[str, Any]:
    r = await client.post(f"/api/projects/{project_id}/backend", json={"provider": "local"})
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def _env(client: httpx.AsyncClient, project_id: str, key: str) -> str:
    r = await client.post(f"/api/projects/{project_id}/env/{key}/reveal")
    assert r.status_code == 200, r.text
    value: str = r.json()["value"]
    return value


async def _sql(
    client: httpx.AsyncClient, project_id: str, query: str, *, read_only: bool = True
) -> httpx.Response:
    return await client.post(
        f"/api/projects/{project_id}/backend/sql", json={"query": query, "read_only": read_only}
    )


async def _as_user(conn: asyncpg.Connection, user: str, sql: str) -> str:
    """``sql`` in a transaction as an ``authenticated`` request of ``user`` (the Supabase way)."""
    claims = json.dumps({"sub": user, "role": "authenticated"})
    async with conn.transaction():
        await conn.execute("set local role authenticated")
        await conn.execute("select set_config('request.jwt.claims', $1, true)", claims)
        return str(await conn.execute(sql))


async def test_provisioning_sets_the_variables_once(client: httpx.AsyncClient) -> None:
    await signup(client)
    project = await create_project(client)
    pid = project["id"]
    assert (await client.get(f"/api/projects/{pid}/backend")).status_code == 404
    backend = await _provision(client, pid)
    assert backend["provider"] == "local"
    assert backend["status"] == "ready"
    assert backend["env"] == ["DATABASE_URL", "DIRECT_URL"]
    assert (await client.get(f"/api/projects/{pid}/backend")).json()["env"] == backend["env"]
    names = {v["key"] for v in (await client.get(f"/api/projects/{pid}/env")).json()}
    assert {"DATABASE_URL", "DIRECT_URL"} <= names
    app_url, direct_url = (
        await _env(client, pid, "DATABASE_URL"),
        await _env(client, pid, "DIRECT_URL"),
    )
    assert "_app:" in app_url and "_owner:" in direct_url
    conn = await asyncpg.connect(app_url)
    try:
        assert await conn.fetchval("select current_user") == app_url.split("//")[1].split(":")[0]
        flags = await conn.fetchrow(
            "select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb from pg_roles"
            " where rolname = current_user"
        )
        assert not any(flags.values())
    finally:
        await conn.close()

    again = await client.post(f"/api/projects/{pid}/backend", json={"provider": "local"})
    assert again.status_code == 409
    other = await create_project(client, "Other")
    supabase = await client.post(
        f"/api/projects/{other['id']}/backend", json={"provider": "supabase"}
    )
    assert supabase.status_code == 400
    assert "not available yet" in supabase.json()["detail"]


async def test_owner_only_policy_holds_for_the_app(client: httpx.AsyncClient) -> None:
    await signup(client)
    pid = (await create_project(client))["id"]
    await _provision(client, pid)
    r = await client.post(
        f"/api/projects/{pid}/backend/migrations",
        json={"name": "create_todos", "sql": TODOS, "down_sql": "drop table todos;", "apply": True},
    )
    assert r.status_code == 201, r.text
    migration = r.json()
    assert migration["applied"] is True
    assert migration["path"] == f"supabase/migrations/{migration['version']}_create_todos.sql"
    file = (await client.get(f"/api/files/{pid}", params={"path": migration["path"]})).json()
    assert "enable row level security" in file["content"]
    assert "-- drop table todos;" in file["content"]

    schema = (await client.get(f"/api/projects/{pid}/backend/schema")).json()
    (todos,) = schema["tables"]
    assert todos["name"] == "todos" and todos["rls_enabled"] is True
    assert todos["primary_key"] == ["id"]
    assert {c["name"]: c["nullable"] for c in todos["columns"]}["title"] is False
    assert todos["columns"][3]["default"] == "false"
    (policy,) = todos["policies"]
    assert policy["roles"] == ["authenticated"] and "auth.uid()" in policy["using"]
    applied = await _sql(
        client, pid, "select version, name from supabase_migrations.schema_migrations"
    )
    assert applied.json()["rows"] == [[migration["version"], "create_todos"]]

    seeded = await _sql(
        client,
        pid,
        SEED,
        read_only=False,
    )
    assert seeded.status_code == 200, seeded.text

    app = await asyncpg.connect(await _env(client, pid, "DATABASE_URL"))
    try:
        claims = json.dumps({"sub": USER_A, "role": "authenticated"})
        async with app.transaction():
            await app.execute("set local role authenticated")
            await app.execute("select set_config('request.jwt.claims', $1, true)", claims)
            assert await app.fetchval("select auth.uid()") == uuid.UUID(USER_A)
            assert await app.fetchval("select auth.role()") == "authenticated"
            titles = [r["title"] for r in await app.fetch("select title from todos order by 1")]
        assert titles == ["a1", "a2"]
        assert await _as_user(app, USER_A, "update todos set done = true where title = 'b1'") == (
            "UPDATE 0"
        )
        with pytest.raises(asyncpg.InsufficientPrivilegeError):  # the policy's check
            await _as_user(
                app,
                USER_A,
                f"insert into todos (user_id, title) values ('{USER_B}', 'x')",  # noqa: S608
            )
        assert await app.fetchval("select count(*) from todos") == 0  # no claims: no rows
    finally:
        await app.close()
    done = await _sql(client, pid, "select title from todos where done")
    assert done.json()["rows"] == []


async def test_the_app_role_reaches_only_its_own_database(client: httpx.AsyncClient) -> None:
    await signup(client)
    first, second = (await create_project(client))["id"], (await create_project(client, "B"))["id"]
    await _provision(client, first)
    await _provision(client, second)
    app_url, owner_url = (
        await _env(client, first, "DATABASE_URL"),
        await _env(client, first, "DIRECT_URL"),
    )
    other_db = (await _env(client, second, "DATABASE_URL")).rsplit("/", 1)[1]
    conn = await asyncpg.connect(app_url)
    try:
        owner = owner_url.split("//")[1].split(":")[0]
        for role in (owner, "postgres", other_db + "_app"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f'set role "{role}"')
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("set session authorization postgres")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute("create table public.mine (id int)")  # the owner's job
    finally:
        await conn.close()
    for url in (app_url, owner_url):
        base = url.rsplit("/", 1)[0]
        for database in (other_db, "postgres", "template1"):
            with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError):
                await asyncpg.connect(f"{base}/{database}")
    # The platform's own database server does not know the project's roles either.
    platform = POSTGRES_ADMIN_URL.split("//", 1)[1].split("@", 1)[1]
    role_and_password = app_url.split("//", 1)[1].split("@", 1)[0]
    with pytest.raises(
        (asyncpg.InvalidAuthorizationSpecificationError, asyncpg.InvalidPasswordError)
    ):
        await asyncpg.connect(f"postgresql://{role_and_password}@{platform}")


async def test_bad_sql_and_read_only(client: httpx.AsyncClient) -> None:
    await signup(client)
    pid = (await create_project(client))["id"]
    await _provision(client, pid)
    bad = await _sql(client, pid, "select id frm nothing")
    assert bad.status_code == 400
    assert bad.json()["error"] == "SqlError"
    assert 'syntax error at or near "nothing"' in bad.json()["detail"]
    assert bad.json()["position"] == 15

    made = await _sql(client, pid, "create table notes (body text)")
    assert made.status_code == 400 and "read-only transaction" in made.json()["detail"]
    sneaky = await _sql(client, pid, "commit; create table notes (body text)")
    assert sneaky.status_code == 400
    assert (await _sql(client, pid, "select to_regclass('notes') is null")).json()["rows"] == [
        [True]
    ]

    failing = await client.post(
        f"/api/projects/{pid}/backend/migrations",
        json={
            "name": "half",
            "sql": "create table half (id int);\ncreate tabel other ()",
            "apply": True,
        },
    )
    assert failing.status_code == 400
    assert failing.json()["position"] == len("create table half (id int);\ncreate ") + 1
    assert (await _sql(client, pid, "select to_regclass('half') is null")).json()["rows"] == [
        [True]
    ]
    tree = (await client.get(f"/api/files/{pid}/tree")).json()
    assert "supabase/migrations" not in json.dumps(tree)

    capped = await _sql(client, pid, "select generate_series(1, 5000)")
    assert len(capped.json()["rows"]) == 1000 and capped.json()["truncated"] is True
    slow = await _sql(client, pid, "select pg_sleep(30)")
    assert slow.status_code == 400 and "statement timeout" in slow.json()["detail"]


async def test_another_persons_project_is_not_found(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await signup(client)
    pid = (await create_project(client))["id"]
    await _provision(client, pid)
    await signup(other_client, "intruder@example.com")
    for method, path, body in (
        ("GET", "", None),
        ("POST", "", {"provider": "local"}),
        ("GET", "/schema", None),
        ("POST", "/sql", {"query": "select 1"}),
        ("POST", "/migrations", {"name": "x", "sql": "select 1", "apply": True}),
    ):
        r = await other_client.request(method, f"/api/projects/{pid}/backend{path}", json=body)
        assert r.status_code == 404, (method, path, r.text)


async def test_deleting_the_project_drops_its_database(
    client: httpx.AsyncClient, ctx: AppContext, pg_cluster: LocalCluster
) -> None:
    await signup(client)
    project = await create_project(client)
    pid = project["id"]
    await _provision(client, pid)
    app_url = await _env(client, pid, "DATABASE_URL")
    (await asyncpg.connect(app_url)).terminate()
    r = await client.delete(f"/api/projects/{pid}", params={"confirm_name": project["name"]})
    assert r.status_code == 204
    await ctx.backends.settled()
    with pytest.raises(asyncpg.InvalidAuthorizationSpecificationError):
        await asyncpg.connect(app_url)
    admin = await pg_cluster.connect()
    try:
        left = await admin.fetchval(
            "select count(*) from pg_roles where rolname like $1", app_url.split("//")[1][:34] + "%"
        )
        assert left == 0
        assert not await admin.fetchval(
            "select exists (select from pg_database where datname = $1)", app_url.rsplit("/", 1)[1]
        )
    finally:
        await admin.close()
