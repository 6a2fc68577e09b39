"""Fixtures of the deploy tests: the platform's public port, gateway in front."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import anyio
import httpx
import pytest
import uvicorn

from appwright.app import create_app
from appwright.context import AppContext
from appwright.server import build_gateway
from tests.conftest import free_port


@pytest.fixture
async def public_client(ctx: AppContext, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """A browser with no cookies at the platform's public port: the gateway the platform
    builds (``server.build_gateway``: slugs, custom domains, the platform itself), with
    the platform app behind it on a unix socket (as ``appwright run`` has them).
    ``test_local_publish.site_client`` is a gateway of published slugs alone."""
    sock = tmp_path / "app.sock"
    app = uvicorn.Server(
        uvicorn.Config(create_app(ctx.settings, ctx), uds=str(sock), lifespan="off")
    )
    gateway = build_gateway(ctx, f"unix:{sock}")
    async with anyio.create_task_group() as tg:
        tg.start_soon(app.serve)
        with anyio.fail_after(30):
            while not app.started:
                await anyio.sleep(0.02)
        port = await gateway.start("127.0.0.1", free_port())
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
                yield c
        finally:
            await gateway.stop()
            app.should_exit = True
