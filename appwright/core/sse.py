"""Server-Sent Events: the one encoding every streamed answer uses (chat turns, sandbox
commands, build logs)."""

from __future__ import annotations

import json

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
"""No caching, and no buffering by a reverse proxy in front of the platform."""


def sse(event: str, data: object) -> bytes:
    """One event: ``event: {name}`` and its data as one line of JSON."""
    payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str)
    return f"event: {event}\ndata: {payload}\n\n".encode()
