"""Readiness probe: is the dev server answering HTTP yet?"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

# Polls start quickly (a small server is up within tens of milliseconds) and back off to
# the steady interval: a refused connection costs next to nothing.
_FIRST_INTERVAL_S = 0.02
_INTERVAL_S = 0.2
# A server that answers only 5xx for this long is up — the app has an error, which the
# preview's error overlay shows better than an endless "starting…".
_UP_WITH_ERRORS_S = 5.0


async def wait_ready(url: str, process: asyncio.Future[Any], timeout_s: float) -> bool:
    """Poll ``url`` until it answers below 500 (True), or the process ends / time runs out."""
    deadline = time.monotonic() + timeout_s
    first_5xx: float | None = None
    interval = _FIRST_INTERVAL_S
    async with httpx.AsyncClient(timeout=2.0, follow_redirects=False, trust_env=False) as client:
        while time.monotonic() < deadline and not process.done():
            try:
                response = await client.get(url)
            except httpx.HTTPError:
                first_5xx = None
            else:
                if response.status_code < 500:
                    return True
                first_5xx = first_5xx or time.monotonic()
                if time.monotonic() - first_5xx >= _UP_WITH_ERRORS_S:
                    return True
            await asyncio.wait({process}, timeout=interval)
            interval = min(_INTERVAL_S, interval * 2)
    return False
