"""The project WebSocket: server events of one project, for its owner's open workspace.

Browsers cannot set headers on WebSockets, so the session cookie authenticates and the
``Origin`` header must be the platform's own (a page on another site could otherwise
open the socket with the person's cookies).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from appwright.auth import service as auth_service
from appwright.auth.access import owned_project
from appwright.auth.cookies import ACCESS_COOKIE
from appwright.core.events import Event, project_topic
from appwright.core.services import Services

router = APIRouter()
log = logging.getLogger("appwright.realtime")

CLIENT_EVENTS = frozenset({"preview:ready", "file:open", "terminal:input", "error:runtime"})


async def _owner_check(ctx: Services, websocket: WebSocket, project_id: uuid.UUID) -> bool:
    origin = websocket.headers.get("origin")
    if origin is not None and origin.rstrip("/") != ctx.settings.base_url:
        return False
    token = websocket.cookies.get(ACCESS_COOKIE)
    if not token:
        return False
    async with ctx.sessions() as session:
        found = await auth_service.authenticate_access(ctx, session, token)
        if found is None:
            return False
        project = await owned_project(session, found[0].id, project_id)
        return project is not None


@router.websocket("/ws/projects/{project_id}")
async def project_socket(websocket: WebSocket, project_id: uuid.UUID) -> None:
    """Forward ``file:updated``, ``preview:refresh``, ``error:detected``, ``sandbox:status``…"""
    ctx: Services = websocket.app.state.ctx
    if not await _owner_check(ctx, websocket, project_id):
        await websocket.close(code=4403, reason="not allowed")
        return
    await websocket.accept()
    topic = project_topic(str(project_id))

    async def forward() -> None:
        async for event in ctx.events.subscribe(topic):
            await websocket.send_text(json.dumps({"type": event.type, "data": event.data}))

    sender = asyncio.create_task(forward())
    try:
        await websocket.send_text(
            json.dumps({"type": "hello", "data": {"project_id": str(project_id)}})
        )
        while True:
            raw = await websocket.receive_text()
            try:
                message = json.loads(raw)
            except ValueError:
                continue
            kind = message.get("type") if isinstance(message, dict) else None
            if kind == "ping":
                await websocket.send_text(json.dumps({"type": "pong", "data": {}}))
            elif kind == "error:runtime":
                # Runtime errors seen by the preview's script: shared with the agent's
                # error check and every open workspace of the project.
                data = message.get("data")
                await ctx.events.publish(
                    topic,
                    Event(
                        "error:detected",
                        {"source": "runtime", "error": data if isinstance(data, dict) else {}},
                    ),
                )
            elif kind in CLIENT_EVENTS:
                continue
    except WebSocketDisconnect:
        pass
    finally:
        sender.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await sender
