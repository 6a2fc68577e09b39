"""Bounded in-memory log of a supervised process, mirrored to a file, with live subscribers."""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections import deque
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

from anyio import to_thread

from appwright.sandbox.base import LogLine

_MAX_LINE = 8192
_SUBSCRIBER_QUEUE = 2000
_ROTATE_BYTES = 5 * 1024**2


class LogBuffer:
    """The last ``capacity`` lines in memory; every line appended to ``path``."""

    def __init__(self, path: Path, capacity: int = 2000) -> None:
        self.path = path
        self.lines: deque[LogLine] = deque(maxlen=capacity)
        self._partial: dict[str, str] = {}
        self._pending: list[str] = []
        self._subscribers: set[asyncio.Queue[LogLine]] = set()
        self._flush_lock = asyncio.Lock()

    def feed(self, stream: Literal["stdout", "stderr"], chunk: str) -> None:
        """Add a chunk of output; complete lines are stored, a trailing part waits."""
        text = self._partial.pop(stream, "") + chunk
        *complete, rest = text.split("\n")
        for line in complete:
            self.add(stream, line)
        if len(rest) > _MAX_LINE:
            self.add(stream, rest)
        elif rest:
            self._partial[stream] = rest

    def end(self) -> None:
        """The process exited: flush partial lines."""
        for stream, rest in list(self._partial.items()):
            self.add(stream, rest)  # type: ignore[arg-type]
        self._partial.clear()

    def add(self, stream: Literal["stdout", "stderr", "system"], text: str) -> None:
        """Store one line and hand it to every subscriber."""
        line = LogLine(ts=time.time(), stream=stream, text=text.rstrip("\r")[:_MAX_LINE])
        self.lines.append(line)
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(line.ts))
        self._pending.append(f"{stamp} {stream} {line.text}\n")
        for queue in list(self._subscribers):
            # A subscriber that does not keep up loses lines rather than stalling the process.
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(line)

    async def flush(self) -> None:
        """Append pending lines to the log file (in a thread)."""
        async with self._flush_lock:
            if not self._pending:
                return
            data, self._pending = "".join(self._pending), []
            await to_thread.run_sync(self._write, data)

    def _write(self, data: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            if self.path.stat().st_size > _ROTATE_BYTES:
                os.replace(self.path, self.path.with_suffix(".log.1"))
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(data)

    def tail(self, limit: int | None = None) -> list[LogLine]:
        """The last ``limit`` lines (all kept lines by default)."""
        lines = list(self.lines)
        return lines if limit is None else lines[-limit:] if limit > 0 else []

    async def follow(self, backlog: int = 200) -> AsyncIterator[LogLine]:
        """The last ``backlog`` lines, then every new line until the caller stops."""
        queue: asyncio.Queue[LogLine] = asyncio.Queue(_SUBSCRIBER_QUEUE)
        self._subscribers.add(queue)
        try:
            for line in self.tail(backlog):
                yield line
            while True:
                yield await queue.get()
        finally:
            self._subscribers.discard(queue)
