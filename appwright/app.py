"""The application factory: routers, middleware, the SPA, error rendering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from appwright.auth.endpoints import router as auth_router
from appwright.chat.endpoints import router as chat_router
from appwright.core.asgi import send_error
from appwright.core.config import Settings
from appwright.core.context import AppContext
from appwright.core.csrf import CSRFMiddleware
from appwright.core.handlers import install_error_handlers
from appwright.dev.endpoints import router as dev_router
from appwright.integrations.github.endpoints import router as github_router
from appwright.projects.endpoints import router as projects_router
from appwright.realtime.endpoints import router as realtime_router
from appwright.sandbox.endpoints import router as sandbox_router
from appwright.users.endpoints import router as users_router
from appwright.versions.endpoints import install_error_handlers as install_versions_errors
from appwright.versions.endpoints import router as versions_router
from appwright.workspace.endpoints import install_error_handlers as install_files_errors
from appwright.workspace.endpoints import router as files_router

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"x-frame-options", b"DENY"),
]

UI_MISSING = """<!doctype html><meta charset="utf-8"><title>appwright</title>
<p>The web UI has not been built. Run <code>make run</code> (or <code>npm run build</code> in
<code>web/</code>).</p>"""


class SecurityHeadersMiddleware:
    """Headers for the platform origin: it must never be framed or sniffed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


class NulQueryMiddleware:
    """Refuse query strings with a NUL character (``%00``) before any handler sees them.

    No database stores NUL in text and no person types one, so a query parameter carrying it
    is always hostile or broken; refusing it here covers every endpoint's parameters at once.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if b"%00" not in query and b"\x00" not in query:
            await self.app(scope, receive, send)
            return
        await send_error(send, 400, "BadRequest", "The query string contains a NUL character.")


def _mount_spa(app: FastAPI, dist: Path) -> None:
    index = dist / "index.html"

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str, request: Request) -> Response:  # sync: file checks run in a thread
        if path.startswith(("api/", "ws/")) or path in ("api", "ws"):
            return Response(
                content=b'{"error":"NotFound","detail":"No such endpoint."}',
                status_code=404,
                media_type="application/json",
            )
        if not index.is_file():
            return HTMLResponse(UI_MISSING, status_code=503)
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(dist.resolve()):
            cache = (
                "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            )
            return FileResponse(candidate, headers={"Cache-Control": cache})
        return FileResponse(index, headers={"Cache-Control": "no-cache"})


def create_app(settings: Settings | None = None, ctx: AppContext | None = None) -> FastAPI:
    """Build the platform app. Tests pass their own settings (temporary data dir, database)."""
    settings = settings or Settings()
    context = ctx or AppContext.build(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        # Sandboxes (and the dev servers that were running) come up with the server.
        await context.runtime.start()
        yield
        await context.close()

    app = FastAPI(
        title="appwright",
        version="0.1.0",
        summary="Build full-stack web apps by chatting with an AI agent.",
        lifespan=lifespan,
    )
    app.state.ctx = context
    install_error_handlers(app)
    install_files_errors(app)
    install_versions_errors(app)

    @app.get("/api/health", tags=["meta"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    for router in (
        auth_router,
        users_router,
        projects_router,
        sandbox_router,
        realtime_router,
        chat_router,
        files_router,
        versions_router,
        github_router,
        dev_router,
    ):
        app.include_router(router)

    app.add_middleware(CSRFMiddleware, exempt_prefixes=("/api/webhooks/",))
    app.add_middleware(NulQueryMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    _mount_spa(app, settings.web_dist)
    return app
