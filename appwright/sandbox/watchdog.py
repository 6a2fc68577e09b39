"""Memory watchdog: there is no memory cgroup here, so RSS is policed from /proc.

Every interval the resident memory of each sandbox (all processes of its uid) is summed;
past its limit the sandboxed command/process with the biggest tree is killed — its
pid namespace with it — the way an OOM killer would pick a victim.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable

from anyio import to_thread

from appwright.sandbox import procfs
from appwright.sandbox.runner import SandboxedProcess

log = logging.getLogger("appwright.sandbox")

Instances = list[tuple[str, SandboxedProcess]]
View = Callable[[], list[tuple[int | None, int, Instances]]]


class MemoryWatchdog:
    """Periodic RSS check over every sandbox returned by ``view``."""

    def __init__(self, view: View, interval_s: float) -> None:
        self._view = view
        self._interval = interval_s
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Start the background loop (idempotent)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        """Stop the loop."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.check()
            except Exception:
                log.exception("sandbox.watchdog.error")

    async def check(self) -> None:
        """One pass: kill the biggest tree of every sandbox over its memory limit."""
        sandboxes = [s for s in self._view() if s[2]]
        if not sandboxes:
            return
        uids = [uid for uid, _, _ in sandboxes if uid is not None]
        usage = await to_thread.run_sync(procfs.by_uid, uids) if uids else {}
        over = []
        for uid, limit, instances in sandboxes:
            # Unsafe-local sandboxes share the platform's uid: measured per tree below.
            rss = sum(p.rss_bytes for p in usage.get(uid, [])) if uid is not None else None
            if rss is None or rss > limit:
                over.append((uid, limit, instances))
        if not over:
            return
        procs = await to_thread.run_sync(procfs.snapshot)
        for uid, limit, instances in over:
            sizes = [
                (sum(e.rss_bytes for e in procfs.tree(procs, p.pid)), name, p)
                for name, p in instances
            ]
            total = sum(s for s, _, _ in sizes)
            if total <= limit or not sizes:
                continue
            size, name, victim = max(sizes, key=lambda t: t[0])
            log.warning(
                "sandbox.watchdog.memory_kill uid=%s process=%s rss_mb=%d limit_mb=%d pid=%d",
                uid if uid is not None else os.getuid(), name, size >> 20, limit >> 20, victim.pid,
            )  # fmt: skip
            victim.kill(f"killed: sandbox memory limit of {limit >> 20} MB exceeded")
