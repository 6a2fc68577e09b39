"""Answers written straight to ASGI ``send`` by middleware, before any route runs."""

from __future__ import annotations

import json

from starlette.types import Receive, Scope, Send


def _error_body(error: str, detail: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps({"error": error, "detail": detail}).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return body, headers


async def send_error(send: Send, status: int, error: str, detail: str) -> None:
    """A JSON error in the platform's shape (``{"error": ..., "detail": ...}``)."""
    body, headers = _error_body(error, detail)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def send_websocket_denial(
    scope: Scope, receive: Receive, send: Send, status: int, error: str, detail: str
) -> None:
    """Refuse a WebSocket handshake: the JSON error as the HTTP answer where the server
    supports it (the ASGI ``websocket.http.response`` extension), else a plain close
    (which servers answer with 403)."""
    message = await receive()
    if message["type"] != "websocket.connect":
        return
    if "websocket.http.response" not in scope.get("extensions", {}):
        await send({"type": "websocket.close", "code": 1008})
        return
    body, headers = _error_body(error, detail)
    await send({"type": "websocket.http.response.start", "status": status, "headers": headers})
    await send({"type": "websocket.http.response.body", "body": body})
