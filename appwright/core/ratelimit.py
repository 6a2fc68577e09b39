"""Sliding-window counters for throttling (in-process; no Redis implementation yet)."""

from __future__ import annotations

import math
import time
from collections import deque
from typing import Protocol


class RateLimiter(Protocol):
    async def hit(self, key: str, *, limit: int, window: float) -> float | None:
        """Count one event; return seconds to wait if ``key`` is over ``limit`` in ``window``."""
        ...

    async def check(self, key: str, *, limit: int, window: float) -> float | None:
        """Like ``hit`` without counting."""
        ...

    async def reset(self, key: str) -> None: ...


class MemoryRateLimiter:
    """Process-local implementation of :class:`RateLimiter`."""

    def __init__(self) -> None:
        self._events: dict[str, deque[float]] = {}

    def _prune(self, key: str, window: float, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - window:
            events.popleft()
        return events

    async def check(self, key: str, *, limit: int, window: float) -> float | None:
        now = time.monotonic()
        events = self._prune(key, window, now)
        if len(events) >= limit:
            return max(1.0, math.ceil(events[0] + window - now))
        return None

    async def hit(self, key: str, *, limit: int, window: float) -> float | None:
        wait = await self.check(key, limit=limit, window=window)
        if wait is None:
            self._events[key].append(time.monotonic())
        return wait

    async def reset(self, key: str) -> None:
        self._events.pop(key, None)
