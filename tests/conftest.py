"""Shared fixtures.

Async tests run on asyncio through anyio's plugin. API tests get an app bound to a real
database: every test that asks for ``client`` runs once on SQLite and once on PostgreSQL
(the server at ``APPWRIGHT_TEST_POSTGRES_URL``, default 127.0.0.1:5432 with trust auth).
Each test session creates its own databases and drops them at the end.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import asyncpg
import httpx
import pytest
import uvicorn
from sqlalchemy import delete

from appwright.app import create_app
from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.migrations import upgrade_sync
from appwright.models import Base

POSTGRES_ADMIN_URL = os.environ.get(
    "APPWRIGHT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
TEST_SECRET = "test-secret-key-" + "x" * 32


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _pg_admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_ADMIN_URL)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A migrated, empty database of each kind, shared by the tests of one session."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "appwright.db"
        url = f"sqlite+aiosqlite:///{path}"
        upgrade_sync(url)
        yield url
        return
    name = f"appwright_test_{uuid.uuid4().hex[:12]}"
    anyio.run(_pg_admin, f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    url = f"{base}/{name}"
    try:
        upgrade_sync(url)
        yield url
    finally:
        anyio.run(_pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


LANE = int(os.environ.get("APPWRIGHT_TEST_LANE", "0"))


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        env="development",
        secret_key=TEST_SECRET,
        data_dir=tmp_path / "data",
        database_url=database_url,
        web_dist=tmp_path / "no-ui",
        refresh_reuse_grace_seconds=0,
        # API tests create many projects; dev servers start on demand in these tests.
        autostart_previews=False,
        signin_max_attempts_per_ip=8,
        # Sandboxes of tests never meet those of a platform running on the same machine,
        # nor (with APPWRIGHT_TEST_LANE=1..9) those of another test run beside this one:
        # a backend starting kills whatever runs under its uid range.
        sandbox_name_prefix="awt" + "abcdefghi"[LANE - 1] if LANE else "awt",
        sandbox_uid_base=170_000 + 50_000 * LANE,
        sandbox_subnet=f"10.{220 + LANE if LANE else 214}.0.0/16",
        sandbox_proxy_port=3129 + 10 * LANE,
    )


async def empty_database(context: AppContext) -> None:
    """Delete every row (children first) so the next test starts from nothing."""
    async with context.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(delete(table))


@pytest.fixture
async def ctx(settings: Settings) -> AsyncIterator[AppContext]:
    context = AppContext.build(settings)
    try:
        yield context
    finally:
        await context.autosave.close()  # no idle autosave may write after the cleanup
        await empty_database(context)
        await context.close()


@pytest.fixture
async def client(ctx: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(ctx.settings, ctx)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as c:
        yield c


@pytest.fixture
async def other_client(ctx: AppContext) -> AsyncIterator[httpx.AsyncClient]:
    """A second browser (own cookie jar) against the same app and database."""
    app = create_app(ctx.settings, ctx)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost:8000") as c:
        yield c


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


@pytest.fixture
def live_server(settings: Settings) -> Iterator[LiveServer]:
    """The app under a real uvicorn server on a free port (its own thread and loop)."""
    port = free_port()
    live_settings = settings.model_copy(update={"port": port})
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(live_settings),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", live_settings)
    finally:
        server.should_exit = True
        thread.join(15)
        anyio.run(empty_database_of, live_settings)


async def empty_database_of(settings: Settings) -> None:
    """:func:`empty_database` for a server that is gone (its own context closed already)."""
    context = AppContext.build(settings)
    await empty_database(context)
    await context.close()
