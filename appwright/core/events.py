"""The event bus: ``domain:event`` messages per topic (in-process; no Redis pub/sub yet)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Event:
    type: str
    data: dict[str, Any] = field(default_factory=dict)


class EventBus(Protocol):
    async def publish(self, topic: str, event: Event) -> None: ...

    def subscribe(self, topic: str) -> AsyncIterator[Event]: ...


def project_topic(project_id: str) -> str:
    """Topic of one project's events (the project WebSocket subscribes to it)."""
    return f"project:{project_id}"


class MemoryEventBus:
    """Fan-out to per-subscriber queues; a slow subscriber loses its oldest events, never blocks."""

    def __init__(self, queue_size: int = 1000) -> None:
        self._subscribers: dict[str, set[asyncio.Queue[Event]]] = {}
        self._queue_size = queue_size

    async def publish(self, topic: str, event: Event) -> None:
        for queue in list(self._subscribers.get(topic, ())):
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    async def subscribe(self, topic: str) -> AsyncIterator[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue(self._queue_size)
        self._subscribers.setdefault(topic, set()).add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            subscribers = self._subscribers.get(topic)
            if subscribers is not None:
                subscribers.discard(queue)
                if not subscribers:
                    del self._subscribers[topic]
