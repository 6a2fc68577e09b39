"""Serving: the preview gateway owns the public port; the platform app sits behind it.

The gateway (raw asyncio, see ``appwright.preview.gateway``) answers preview hosts
itself and relays every other request, WebSockets included, to uvicorn listening on a
unix socket in the data dir. One process, one port, two origins.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import uuid

import uvicorn

from appwright.app import create_app
from appwright.auth.access import owned_project
from appwright.auth.repository import project_by_id
from appwright.context import AppContext
from appwright.core.config import Settings
from appwright.core.hosts import HostPolicy
from appwright.models import Project
from appwright.preview.auth import PreviewAuth
from appwright.preview.gateway import GatewayConfig, PreviewGateway
from appwright.preview.links import preview_key
from appwright.preview.token import PreviewClaims
from appwright.sandbox.base import SandboxNotFound

log = logging.getLogger("appwright.server")

_STARTING_LOG_LINES = 40  # dev-server log lines on the "starting…" page


def build_gateway(ctx: AppContext, fallback_upstream: str) -> PreviewGateway:
    settings, runtime = ctx.settings, ctx.runtime

    async def project(project_id: str) -> Project | None:
        try:
            pid = uuid.UUID(project_id)
        except ValueError:
            return None
        async with ctx.sessions() as session:
            return await project_by_id(session, pid)

    async def authorize(claims: PreviewClaims) -> bool:
        try:
            pid, uid = uuid.UUID(claims.project_id), uuid.UUID(claims.user_id)
        except ValueError:
            return False
        async with ctx.sessions() as session:
            return await owned_project(session, uid, pid) is not None

    async def resolve(project_id: str) -> str | None:
        return runtime.supervisor.upstream(project_id)

    async def wake(project_id: str) -> None:
        found = await project(project_id)
        if found is not None:
            await runtime.ensure_running(project_id, found.template, wait=False)

    def log_tail(project_id: str) -> list[str]:
        try:
            return [line.text for line in runtime.supervisor.logs(project_id, _STARTING_LOG_LINES)]
        except SandboxNotFound:
            return []  # never started on this server: nothing logged yet

    return PreviewGateway(
        GatewayConfig(
            preview_domain=settings.preview_domain,
            apps_domain=settings.apps_domain,
            platform_origin=settings.base_url,
        ),
        PreviewAuth(preview_key(settings), authorize=authorize),
        resolve,
        fallback_upstream=fallback_upstream,
        on_wake=wake,
        touch=runtime.supervisor.touch,
        log_tail=log_tail,
        resolve_site=ctx.publisher.site,
        wake_app=ctx.publisher.wake_app,
        resolve_domain=ctx.publisher.domains.site,
        platform_host=HostPolicy.from_settings(settings).allows,
    )


async def serve(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM: uvicorn on a unix socket, the gateway on the public port."""
    run_dir = settings.data_dir.resolve() / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    socket_path = run_dir / "app.sock"
    socket_path.unlink(missing_ok=True)

    ctx = AppContext.build(settings)
    app = create_app(settings, ctx)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            uds=str(socket_path),
            log_config=None,
            access_log=False,
            # Only the gateway reaches this socket; it sets X-Forwarded-For to the client.
            proxy_headers=True,
            forwarded_allow_ips="*",
            lifespan="on",
            ws_ping_interval=20,
        )
    )
    gateway = build_gateway(ctx, f"unix:{socket_path}")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)

    app_task = asyncio.create_task(server.serve())
    while not server.started:
        if app_task.done():
            await app_task  # raises the startup error
            return
        await asyncio.sleep(0.02)
    await gateway.start(settings.host, settings.port)
    log.info("serving", extra={"url": settings.base_url, "isolation": ctx.runtime.isolation})
    waiter = asyncio.create_task(stop.wait())
    await asyncio.wait({app_task, waiter}, return_when=asyncio.FIRST_COMPLETED)
    await gateway.stop()
    server.should_exit = True
    with contextlib.suppress(asyncio.CancelledError):
        await app_task
    waiter.cancel()
