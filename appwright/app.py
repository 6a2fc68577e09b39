"""The application factory: routers, middleware, the SPA, error rendering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from appwright.auth.endpoints import router as auth_router
from appwright.backend.endpoints import router as backend_router
from appwright.chat.endpoints import router as chat_router
from appwright.context import AppContext
from appwright.core.asgi import send_error
from appwright.core.bodylimit import MIB, BodyLimitMiddleware, BodyRule
from appwright.core.config import Settings
from appwright.core.csrf import CSRFMiddleware
from appwright.core.handlers import install_error_handlers
from appwright.core.headers import SecurityHeadersMiddleware, content_security_policy
from appwright.core.hosts import HostCheckMiddleware, HostPolicy
from appwright.deploy.domain_endpoints import router as domains_router
from appwright.deploy.endpoints import router as deploy_router
from appwright.dev.endpoints import router as dev_router
from appwright.integrations.github.endpoints import MAX_WEBHOOK_BYTES
from appwright.integrations.github.endpoints import router as github_router
from appwright.integrations.vercel.endpoints import router as vercel_router
from appwright.projects.endpoints import router as projects_router
from appwright.realtime.endpoints import router as realtime_router
from appwright.runtime.endpoints import router as sandbox_router
from appwright.users.endpoints import router as users_router
from appwright.versions.endpoints import router as versions_router
from appwright.workspace.endpoints import router as files_router

CHAT_BODY_MAX_BYTES = 32 * MIB
"""A chat message with its attachments (images as data URLs): the largest request the
model providers take (Anthropic: 32 MB)."""

UI_MISSING = """<!doctype html><meta charset="utf-8"><title>appwright</title>
<p>The web UI has not been built. Run <code>make run</code> (or <code>npm run build</code> in
<code>web/</code>).</p>"""


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


def body_rules(settings: Settings) -> list[BodyRule]:
    """Routes whose bodies may be larger than ``request_body_max_bytes``."""
    upload = settings.file_upload_max_bytes
    floor = settings.request_body_max_bytes
    return [
        # One upload request carries at most the upload limit in files, plus the
        # multipart framing and form fields.
        BodyRule.of("POST", r"/api/files/[^/]+/upload", max(floor, upload + MIB)),
        # A file written through the API: its content as JSON, base64 for binaries.
        BodyRule.of("PUT", r"/api/files/[^/]+/.+", max(floor, upload * 4 // 3 + MIB)),
        BodyRule.of("POST", r"/api/webhooks/github/[^/]+", max(floor, MAX_WEBHOOK_BYTES)),
        BodyRule.of("POST", r"/api/messages/stream", max(floor, CHAT_BODY_MAX_BYTES)),
    ]


_EVERY_METHOD = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
_FALLBACKS = ("/api/{path:path}", "/ws/{path:path}", "/{path:path}", "/api", "/ws")


def _mount_fallbacks(app: FastAPI, dist: Path) -> None:
    """After every route: unknown ``/api``/``/ws`` paths answer 404 JSON whatever the
    method (405 with ``Allow`` where the path exists for other methods); the UI is served
    for GET/HEAD of every other path."""
    index = dist / "index.html"

    @app.api_route(_FALLBACKS[0], methods=_EVERY_METHOD, include_in_schema=False)
    @app.api_route(_FALLBACKS[1], methods=_EVERY_METHOD, include_in_schema=False)
    @app.api_route(_FALLBACKS[3], methods=_EVERY_METHOD, include_in_schema=False)
    @app.api_route(_FALLBACKS[4], methods=_EVERY_METHOD, include_in_schema=False)
    def unknown_endpoint(request: Request) -> Response:
        allowed = {
            method
            for route in app.router.routes
            if isinstance(route, Route)
            and route.path not in _FALLBACKS
            and route.matches(request.scope)[0] is Match.PARTIAL
            for method in route.methods or ()
        }
        if allowed:
            raise StarletteHTTPException(
                405,
                f"{request.method} is not allowed here (allowed: {', '.join(sorted(allowed))}).",
                headers={"Allow": ", ".join(sorted(allowed))},
            )
        raise StarletteHTTPException(404, "No such endpoint.")

    @app.get(_FALLBACKS[2], include_in_schema=False)
    def spa(path: str) -> Response:  # sync: file checks run in a thread
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
        await context.publisher.load()  # published apps serve again after a restart
        await context.backends.start()  # project databases are up with the platform
        yield
        await context.close()

    app = FastAPI(
        title="appwright",
        version="0.1.0",
        summary="Build full-stack web apps by chatting with an AI agent.",
        lifespan=lifespan,
        # No Swagger UI / ReDoc: they load scripts from a CDN into the platform origin
        # (the CSP refuses them). The schema stays at /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.ctx = context
    install_error_handlers(app)

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
        vercel_router,
        deploy_router,
        domains_router,
        backend_router,
        dev_router,
    ):
        app.include_router(router)

    # Outermost last: security headers on every answer, then the Host check, the NUL
    # query refusal, the body limit, CSRF.
    app.add_middleware(CSRFMiddleware, exempt_prefixes=("/api/webhooks/",))
    app.add_middleware(
        BodyLimitMiddleware, default=settings.request_body_max_bytes, rules=body_rules(settings)
    )
    app.add_middleware(NulQueryMiddleware)
    app.add_middleware(HostCheckMiddleware, policy=HostPolicy.from_settings(settings))
    app.add_middleware(SecurityHeadersMiddleware, csp=content_security_policy(settings))
    _mount_fallbacks(app, settings.web_dist)
    return app
