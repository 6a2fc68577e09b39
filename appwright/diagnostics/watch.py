"""Dev-server compile errors as events: reads each running dev server's output.

The runtime tells this watcher when a dev server starts (``DevServerListener``); the
watcher follows that output through the supervisor and publishes ``error:detected`` as
errors appear and ``error:cleared`` once the dev server compiles again.
"""

from __future__ import annotations

import asyncio

from appwright.core.events import Event, EventBus, project_topic
from appwright.diagnostics.devserver import DevServerErrors
from appwright.sandbox.supervisor import Supervisor

__all__ = ["DevServerWatch"]


class DevServerWatch:
    """One output reader per running dev server (a ``runtime.DevServerListener``)."""

    def __init__(self, supervisor: Supervisor, events: EventBus) -> None:
        self._supervisor = supervisor
        self._events = events
        self._watchers: dict[str, asyncio.Task[None]] = {}
        self._errors: dict[str, DevServerErrors] = {}

    def started(self, project_id: str) -> None:
        if project_id in self._watchers:
            return
        parser = self._errors.setdefault(project_id, DevServerErrors())
        task = asyncio.create_task(self._watch(project_id, parser))
        self._watchers[project_id] = task
        task.add_done_callback(lambda _: self._watchers.pop(project_id, None))

    def removed(self, project_id: str) -> None:
        watcher = self._watchers.pop(project_id, None)
        if watcher is not None:
            watcher.cancel()
        self._errors.pop(project_id, None)

    def close(self) -> None:
        for task in self._watchers.values():
            task.cancel()

    async def _watch(self, project_id: str, parser: DevServerErrors) -> None:
        topic = project_topic(project_id)
        async for line in self._supervisor.follow_logs(project_id, backlog=0):
            errors, cleared = parser.feed(line.text)
            for error in errors:
                await self._events.publish(topic, Event("error:detected", error.as_dict()))
            if cleared:
                await self._events.publish(topic, Event("error:cleared", {"source": "dev-server"}))
