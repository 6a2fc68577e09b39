"""Answers written straight to ASGI ``send`` by middleware, before any route runs."""

from __future__ import annotations

import json

from starlette.types import Send


async def send_error(send: Send, status: int, error: str, detail: str) -> None:
    """A JSON error in the platform's shape (``{"error": ..., "detail": ...}``)."""
    body = json.dumps({"error": error, "detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
