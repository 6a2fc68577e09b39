"""The supervisor's per-project record and its persisted form (``supervisor.json``)."""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from anyio import to_thread

from appwright.sandbox.base import (
    IsolationLevel,
    ProcessSpec,
    ProcessStatus,
    ProjectState,
    Sandbox,
    TemplateSpec,
)
from appwright.sandbox.logbuffer import LogBuffer

_SETTLED: tuple[ProcessStatus, ...] = ("running", "crashed", "stopped", "hibernated")


@dataclass
class SupervisedProject:
    """Mutable state of one project's dev server (owned by the supervisor)."""

    project_id: str
    logs: LogBuffer
    spec: ProcessSpec | None = None
    template: TemplateSpec | None = None
    env: dict[str, str] = field(default_factory=dict)
    sandbox: Sandbox | None = None
    isolation: IsolationLevel | None = None
    status: ProcessStatus = "stopped"
    detail: str | None = None
    upstream: str | None = None
    port: int | None = None
    restarts: int = 0
    consecutive: int = 0
    last_exit_code: int | None = None
    last_touch: float = field(default_factory=time.monotonic)
    updated_at: float = field(default_factory=time.time)
    task: asyncio.Task[None] | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    def changed(self) -> None:
        """Wake whoever waits in ``settled``."""
        self.updated_at = time.time()
        self._changed.set()
        self._changed = asyncio.Event()

    async def settled(self) -> None:
        """Return once the status is no longer ``starting``."""
        while self.status not in _SETTLED:
            await self._changed.wait()

    def state(self) -> ProjectState:
        """Immutable snapshot for callers."""
        return ProjectState(
            project_id=self.project_id,
            status=self.status,
            isolation=self.isolation,
            upstream=self.upstream if self.status == "running" else None,
            port=self.port,
            restarts=self.restarts,
            last_exit_code=self.last_exit_code,
            detail=self.detail,
            updated_at=self.updated_at,
        )


class StateFile:
    """Which projects should run after a restart, and their specs (without env vars)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = asyncio.Lock()

    async def save(self, projects: Iterable[SupervisedProject]) -> None:
        """Write the wishes atomically: running/starting → run, hibernated → stay asleep."""
        data = {}
        for p in projects:
            if p.spec is None or p.status in ("stopped", "crashed"):
                continue
            wish = "hibernated" if p.status == "hibernated" else "running"
            spec = p.spec.model_copy(update={"env": {}}).model_dump(mode="json")
            data[p.project_id] = {"status": wish, "spec": spec}
        async with self._lock:
            await to_thread.run_sync(self._write, json.dumps(data, indent=1, sort_keys=True))

    def _write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(text)
        os.replace(tmp, self.path)

    async def load(self) -> dict[str, tuple[ProcessSpec, str]]:
        """The saved wishes (empty when there is no file)."""
        try:
            text = await to_thread.run_sync(self.path.read_text)
        except FileNotFoundError:
            return {}
        return {
            pid: (ProcessSpec.model_validate(entry["spec"]), str(entry["status"]))
            for pid, entry in json.loads(text or "{}").items()
        }
