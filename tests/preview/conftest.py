"""Fixtures: a real upstream app under uvicorn, a fallback app, and a gateway in front."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway, sign_preview_token

KEY = "test-preview-key-0123456789abcdef0123456789"
PLATFORM = "http://localhost:9"
PAGE = "<!doctype html><html><head><title>t</title></head><body><h1>hello</h1></body></html>"


async def _page(_: Request) -> Response:
    return HTMLResponse(PAGE)


async def _gz_page(_: Request) -> Response:
    return Response(
        gzip.compress(PAGE.encode()),
        media_type="text/html",
        headers={"Content-Encoding": "gzip"},
    )


async def _echo(request: Request) -> Response:
    body = await request.body()
    return JSONResponse(
        {
            "method": request.method,
            "body": body.decode(),
            "cookie": request.headers.get("cookie"),
            "host": request.headers.get("host"),
            "forwarded_for": request.headers.get("x-forwarded-for"),
        }
    )


async def _chunks(_: Request) -> Response:
    async def gen() -> AsyncIterator[bytes]:
        for i in range(5):
            yield f"part{i};".encode()
            await asyncio.sleep(0.01)

    return StreamingResponse(gen(), media_type="text/plain")


async def _script(_: Request) -> Response:
    return Response("console.log('<head>')", media_type="text/javascript")


async def _ws(ws: WebSocket) -> None:
    await ws.accept()
    async for text in ws.iter_text():
        await ws.send_text(f"echo:{text}")


upstream_app = Starlette(
    routes=[
        Route("/", _page),
        Route("/gz", _gz_page),
        Route("/echo", _echo, methods=["GET", "POST", "PUT"]),
        Route("/chunks", _chunks),
        Route("/app.js", _script),
        Route("/data.json", lambda _: JSONResponse({"html": "<head>"})),
        WebSocketRoute("/ws", _ws),
    ]
)

fallback_app = Starlette(
    routes=[Route("/{path:path}", lambda r: PlainTextResponse(f"platform:{r.url.path}"))]
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def serve(app: Starlette) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    return server, task, port


@dataclass
class Stack:
    gateway: PreviewGateway
    port: int
    upstream_port: int
    upstream: dict[str, str | None]
    woken: list[str]
    logs: dict[str, list[str]]

    def host(self, project: str = "p1") -> str:
        return f"{project}.preview.localhost:{self.port}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def cookie(self, project: str = "p1") -> dict[str, str]:
        token = sign_preview_token(KEY, project, "u1", ttl_s=600, typ="cookie")
        return {"Cookie": f"__appwright_preview={token}; theme=dark"}


@pytest.fixture
async def stack() -> AsyncIterator[Stack]:
    up_server, up_task, up_port = await serve(upstream_app)
    fb_server, fb_task, fb_port = await serve(fallback_app)
    upstreams: dict[str, str | None] = {"p1": f"http://127.0.0.1:{up_port}", "p2": None}
    woken: list[str] = []
    logs: dict[str, list[str]] = {}

    async def resolve(project_id: str) -> str | None:
        return upstreams.get(project_id)

    async def wake(project_id: str) -> None:
        woken.append(project_id)

    gateway = PreviewGateway(
        GatewayConfig(platform_origin=PLATFORM),
        PreviewAuth(KEY),
        resolve,
        fallback_upstream=f"http://127.0.0.1:{fb_port}",
        on_wake=wake,
        log_tail=lambda project_id: logs.get(project_id, []),
    )
    port = await gateway.start("127.0.0.1", 0)
    yield Stack(gateway, port, up_port, upstreams, woken, logs)
    await gateway.stop()
    for server, task in ((up_server, up_task), (fb_server, fb_task)):
        server.should_exit = True
        await task
