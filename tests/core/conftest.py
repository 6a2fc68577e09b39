"""The platform as `appwright run` serves it, in miniature: the preview gateway on a TCP port,
the platform app (uvicorn) on a unix socket behind it, and a stand-in dev server for one
preview. The tests of the origin boundaries (Host check, body limits, CSP) go through it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from appwright.app import create_app
from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway, sign_preview_token
from appwright.preview.links import preview_key
from tests.conftest import empty_database_of, free_port

SPA_INDEX = '<!doctype html><html><head><title>appwright</title></head><body><div id="root">'
PREVIEW_PAGE = "<!doctype html><html><head><title>dev</title></head><body>app</body></html>"


async def _dev_page(_: Request) -> Response:
    return HTMLResponse(PREVIEW_PAGE)


dev_server_app = Starlette(routes=[Route("/{path:path}", _dev_page)])


@dataclass
class Platform:
    port: int
    settings: Settings
    ctx: AppContext

    @property
    def url(self) -> str:
        """Where to connect (the names below may not resolve outside browsers)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def host(self) -> str:
        return f"localhost:{self.port}"

    def preview_host(self, project: str = "p1") -> str:
        return f"{project}.{self.settings.preview_domain}:{self.port}"

    def preview_cookie(self, project: str = "p1") -> dict[str, str]:
        token = sign_preview_token(
            preview_key(self.settings), project, "u1", ttl_s=600, typ="cookie"
        )
        return {"Cookie": f"__appwright_preview={token}"}


def write_spa(dist: Path) -> Path:
    (dist / "assets").mkdir(parents=True, exist_ok=True)
    (dist / "index.html").write_text(SPA_INDEX)
    (dist / "assets" / "app.js").write_text("console.log('app')")
    return dist


@pytest.fixture
async def platform(settings: Settings, tmp_path: Path) -> AsyncIterator[Platform]:
    port = free_port()
    live = settings.model_copy(update={"port": port, "web_dist": write_spa(tmp_path / "dist")})
    ctx = AppContext.build(live)
    sock = tmp_path / "app.sock"
    app_server = uvicorn.Server(
        uvicorn.Config(create_app(live, ctx), uds=str(sock), log_level="warning", lifespan="on")
    )
    dev_port = free_port()
    dev_server = uvicorn.Server(
        uvicorn.Config(
            dev_server_app, host="127.0.0.1", port=dev_port, log_level="warning", lifespan="off"
        )
    )

    async def resolve(project_id: str) -> str | None:
        return f"http://127.0.0.1:{dev_port}" if project_id == "p1" else None

    gateway = PreviewGateway(
        GatewayConfig(preview_domain=live.preview_domain, platform_origin=live.base_url),
        PreviewAuth(preview_key(live)),
        resolve,
        fallback_upstream=f"unix:{sock}",
    )
    async with anyio.create_task_group() as tg:
        tg.start_soon(app_server.serve)
        tg.start_soon(dev_server.serve)
        with anyio.fail_after(30):
            while not (app_server.started and dev_server.started):
                await asyncio.sleep(0.02)
        await gateway.start("127.0.0.1", port)
        try:
            yield Platform(port, live, ctx)
        finally:
            await gateway.stop()
            app_server.should_exit = True
            dev_server.should_exit = True
    await empty_database_of(live)


async def raw_request(platform: Platform, request: bytes, *, timeout: float = 10) -> bytes:
    """Send raw bytes to the gateway; the answer's head (status line and headers)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", platform.port)
    try:
        writer.write(request)
        await writer.drain()
        async with asyncio.timeout(timeout):
            return await reader.readuntil(b"\r\n\r\n")
    finally:
        writer.close()
