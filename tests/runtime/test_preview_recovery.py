"""Through the real gateway: a crashed dev server comes back and a hibernated one wakes
on its next preview request, without anything done by the person."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import httpx
import pytest
import uvicorn

from appwright.app import create_app
from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.sandbox import procfs
from appwright.server import build_gateway
from tests.conftest import empty_database_of, free_port

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]

IDLE_SECONDS = 3.0


@dataclass
class Platform:
    url: str
    host: str
    ctx: AppContext


@pytest.fixture
async def platform(settings: Settings, tmp_path: Path) -> AsyncIterator[Platform]:
    """`appwright run` in miniature: uvicorn on a unix socket behind the preview gateway."""
    port = free_port()
    live = settings.model_copy(update={"port": port, "preview_idle_seconds": IDLE_SECONDS})
    ctx = AppContext.build(live)
    sock = tmp_path / "app.sock"
    server = uvicorn.Server(
        uvicorn.Config(create_app(live, ctx), uds=str(sock), log_level="warning", lifespan="on")
    )
    gateway = build_gateway(ctx, f"unix:{sock}")
    async with anyio.create_task_group() as tg:
        tg.start_soon(server.serve)
        with anyio.fail_after(30):
            while not server.started:
                await anyio.sleep(0.05)
        await gateway.start("127.0.0.1", port)
        try:
            yield Platform(f"http://127.0.0.1:{port}", f"localhost:{port}", ctx)
        finally:
            await gateway.stop()
            server.should_exit = True
    await empty_database_of(live)


async def _preview_client(platform: Platform) -> tuple[httpx.AsyncClient, str, httpx.AsyncClient]:
    api = httpx.AsyncClient(base_url=platform.url, headers={"Host": platform.host}, timeout=30)
    await api.get("/api/auth/session")
    api.headers["X-CSRF-Token"] = api.cookies["appwright_csrf"]
    r = await api.post(
        "/api/auth/signup", json={"email": "p@example.com", "password": "password1", "name": "P"}
    )
    assert r.status_code == 201
    project = (await api.post("/api/projects", json={"name": "S", "template": "static"})).json()
    pid = project["id"]
    link = (await api.post(f"/api/sandbox/{pid}/preview-link")).json()
    preview_host = link["origin"].removeprefix("http://")
    preview = httpx.AsyncClient(base_url=platform.url, headers={"Host": preview_host}, timeout=30)
    exchanged = await preview.get(link["url"].removeprefix(link["origin"]))
    assert exchanged.status_code == 302
    # The cookie is `Secure` (fine on *.localhost in browsers); httpx needs it by hand.
    preview.headers["Cookie"] = exchanged.headers["set-cookie"].split(";")[0]
    return api, pid, preview


async def _until_serving(preview: httpx.AsyncClient) -> float:
    started = time.monotonic()
    with anyio.fail_after(60):
        while True:
            page = await preview.get("/")
            if page.status_code == 200 and "<html" in page.text.lower():
                return time.monotonic() - started
            await anyio.sleep(0.2)


async def test_crashed_dev_server_is_restarted_and_preview_recovers(platform: Platform) -> None:
    api, pid, preview = await _preview_client(platform)
    await _until_serving(preview)
    sandbox = await platform.ctx.runtime.backend.get(pid)
    assert sandbox is not None
    assert sandbox.uid is not None
    victims = procfs.by_uid([sandbox.uid])[sandbox.uid]
    assert victims
    for proc in victims:  # the dev server dies (as if it crashed)
        with contextlib.suppress(ProcessLookupError):  # gone with its parent already
            os.kill(proc.pid, signal.SIGKILL)
    await _until_serving(preview)
    state = platform.ctx.runtime.state(pid)
    assert state is not None
    assert state.status == "running"
    assert state.restarts >= 1
    await api.aclose()
    await preview.aclose()


async def test_hibernated_project_wakes_on_its_next_preview_request(platform: Platform) -> None:
    api, pid, preview = await _preview_client(platform)
    await _until_serving(preview)
    sandbox = await platform.ctx.runtime.backend.get(pid)
    assert sandbox is not None
    assert sandbox.uid is not None
    with anyio.fail_after(IDLE_SECONDS * 6):
        while (await api.get(f"/api/sandbox/{pid}/status")).json()["status"] != "hibernated":
            await anyio.sleep(0.25)
    assert procfs.by_uid([sandbox.uid])[sandbox.uid] == []  # hibernated = 0 processes
    first = await preview.get("/")
    assert first.status_code in (200, 503)  # the "starting" page, unless it was very quick
    if first.status_code == 503:
        # It shows the dev server's log: the lines of the run that went to sleep.
        assert "Dev-server log" in first.text
        assert "hibernat" in first.text.lower(), first.text
    woke_in = await _until_serving(preview)
    assert woke_in < 60
    assert (await api.get(f"/api/sandbox/{pid}/status")).json()["status"] == "running"
    await api.aclose()
    await preview.aclose()
