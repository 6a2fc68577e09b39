"""Idle timers: run an action for a key once it has rested for a while.

``touch(key)`` (re)starts the key's timer; after ``idle_seconds`` without another touch
the action runs. The action answers ``"retry"`` to be run again after another rest (the
key is busy), ``"gone"`` when the key no longer exists, else ``"done"``. A touch that
arrives while the action runs starts the timer again once it has finished (unless the
key is gone). Timers are in-process: they live as long as the server, which closes them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, Literal, TypeVar

__all__ = ["IdleAction", "IdleTimers", "Result"]

log = logging.getLogger("appwright.idle")

K = TypeVar("K", bound=Hashable)
Result = Literal["done", "retry", "gone"]
IdleAction = Callable[[K], Awaitable[Result]]


class IdleTimers(Generic[K]):
    """One idle timer per key; ``touch`` after each change. ``idle_seconds <= 0``: off."""

    def __init__(self, idle_seconds: float, action: IdleAction[K], *, name: str) -> None:
        self.idle_seconds = idle_seconds
        self._action = action
        self._name = name
        self._timers: dict[K, asyncio.Task[None]] = {}
        self._running: set[K] = set()
        self._again: set[K] = set()
        self._closed = False

    def touch(self, key: K) -> None:
        """The key changed: restart its timer (no-op when disabled or closed)."""
        if self.idle_seconds <= 0 or self._closed:
            return
        if key in self._running:
            self._again.add(key)
            return
        current = self._timers.pop(key, None)
        if current is not None:
            current.cancel()
        self._timers[key] = asyncio.get_running_loop().create_task(
            self._later(key), name=f"{self._name}-{key}"
        )

    def pending(self) -> set[K]:
        """Keys with a timer waiting or an action running."""
        return set(self._timers)

    async def _later(self, key: K) -> None:
        await asyncio.sleep(self.idle_seconds)
        self._running.add(key)
        result: Result | None = None
        try:
            result = await self._action(key)
        except Exception:
            log.exception("%s.failed key=%s", self._name, key)
        finally:
            self._running.discard(key)
            if self._timers.get(key) is asyncio.current_task():
                del self._timers[key]
        again = key in self._again
        self._again.discard(key)
        if result == "retry" or (again and result != "gone"):
            self.touch(key)

    async def close(self) -> None:
        """Drop the waiting timers; let running actions finish."""
        self._closed = True
        timers = list(self._timers.items())
        self._timers.clear()
        self._again.clear()
        for key, task in timers:
            if key not in self._running:
                task.cancel()
        for _, task in timers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
