"""One sandboxed OS process: spawn it, stream its output as ExecEvents, kill it.

Output is read by two tasks into a bounded queue: a consumer that does not keep up makes
the process block on its pipe (backpressure) instead of growing the platform's memory.
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import logging
import os
import signal
import time
from collections.abc import Mapping, Sequence
from typing import Literal

from anyio import to_thread

from appwright.sandbox import procfs
from appwright.sandbox.base import ExecEvent

log = logging.getLogger("appwright.sandbox")

_QUEUE_CHUNKS = 256
_COALESCE_S = 0.01
_READ_SIZE = 64 * 1024
# After the main process exits, how long a background child may keep the pipes open
# (unsafe-local only: with a pid namespace every process is gone with pid 1).
_PIPE_LINGER_S = 0.5


async def _gather_more(stream: asyncio.StreamReader, room: int) -> bytes:
    """Coalesce what arrives within a few ms: unbuffered writers (curl's stderr, progress
    bars) would otherwise produce one event per character."""
    more = b""
    while room > 0:
        try:
            part = await asyncio.wait_for(stream.read(room), _COALESCE_S)
        except TimeoutError:
            break
        if not part:
            break
        more += part
        room -= len(part)
    return more


def _memfile(data: bytes) -> int:
    """A close-on-exec in-memory file holding ``data``, positioned at its start."""
    fd = os.memfd_create("appwright-stdin", os.MFD_CLOEXEC)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.lseek(fd, 0, os.SEEK_SET)
    except BaseException:
        os.close(fd)
        raise
    return fd


class SandboxedProcess:
    """A running sandboxed command; ``events`` yields its output then one ``exit``."""

    def __init__(self, proc: asyncio.subprocess.Process, *, own_group: bool) -> None:
        self.proc = proc
        self.own_group = own_group
        self.started = time.monotonic()
        self.kill_reason: str | None = None
        self.timed_out = False
        self._queue: asyncio.Queue[ExecEvent] = asyncio.Queue(_QUEUE_CHUNKS)
        self.exit_code: int | None = None
        self.finished = asyncio.Event()
        self._task = asyncio.create_task(self._pump())

    @classmethod
    async def spawn(
        cls,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        cwd: str,
        own_group: bool,
        stdin: bytes | None = None,
    ) -> SandboxedProcess:
        """Start ``argv`` with exactly ``env`` (nothing inherited from the platform).

        ``stdin``: bytes the process reads on its stdin (an in-memory file, so any size
        is written before the start and nothing blocks); None gives it ``/dev/null``.
        """
        stdin_fd = _memfile(stdin) if stdin is not None else None
        try:
            proc = await cls._create(argv, env, cwd, stdin_fd)
        finally:
            if stdin_fd is not None:
                os.close(stdin_fd)
        return cls(proc, own_group=own_group)

    @staticmethod
    async def _create(
        argv: Sequence[str], env: Mapping[str, str], cwd: str, stdin_fd: int | None
    ) -> asyncio.subprocess.Process:
        return await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL if stdin_fd is None else stdin_fd,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=dict(env),
            cwd=cwd,
            # Own session: a signal to the platform's terminal never reaches sandboxes,
            # and unsafe-local can kill the whole group.
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        """Host pid (the outer bubblewrap for isolated sandboxes)."""
        return self.proc.pid

    @property
    def running(self) -> bool:
        """Whether the process has not exited yet."""
        return self.proc.returncode is None

    async def _read(
        self, stream: asyncio.StreamReader | None, kind: Literal["stdout", "stderr"]
    ) -> None:
        if stream is None:
            return
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        while chunk := await stream.read(_READ_SIZE):
            chunk += await _gather_more(stream, _READ_SIZE - len(chunk))
            text = decoder.decode(chunk)
            if text:
                await self._queue.put(ExecEvent(kind=kind, data=text))
        if tail := decoder.decode(b"", final=True):
            await self._queue.put(ExecEvent(kind=kind, data=tail))

    async def _pump(self) -> None:
        readers = asyncio.gather(
            self._read(self.proc.stdout, "stdout"), self._read(self.proc.stderr, "stderr")
        )
        code = await self.proc.wait()
        try:
            await asyncio.wait_for(asyncio.shield(readers), _PIPE_LINGER_S)
        except TimeoutError:
            self._kill_group()
            readers.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await readers
        self.exit_code = code
        if self.kill_reason:
            await self._queue.put(ExecEvent(kind="stderr", data=f"\n[{self.kill_reason}]\n"))
        await self._queue.put(
            ExecEvent(
                kind="exit",
                exit_code=code,
                timed_out=self.timed_out,
                duration_s=round(time.monotonic() - self.started, 3),
            )
        )
        self.finished.set()

    async def events(self) -> ExecEvent:
        """The next event (the ``exit`` event is the last one)."""
        return await self._queue.get()

    def _kill_group(self) -> None:
        if self.own_group:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)

    def kill(self, reason: str | None = None) -> None:
        """SIGKILL the process and everything it started (its pid namespace or group)."""
        if reason and not self.kill_reason:
            self.kill_reason = reason
            log.info("sandbox.process.killed pid=%d reason=%s", self.proc.pid, reason)
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
        self._kill_group()

    async def terminate(self, grace_s: float = 3.0) -> None:
        """SIGTERM the whole tree, then SIGKILL what is left after ``grace_s``."""
        if self.proc.returncode is None:
            if self.own_group:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.proc.pid, signal.SIGTERM)
            else:
                procs = await to_thread.run_sync(procfs.snapshot)
                # Only the workload (the sandbox uid) gets TERM: the root bubblewrap
                # monitors would take the whole pid namespace down without a grace period.
                me = os.getuid()
                pids = [p.pid for p in procfs.tree(procs, self.proc.pid) if p.uid != me]
                await to_thread.run_sync(procfs.signal_pids, pids, signal.SIGTERM)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.proc.wait(), grace_s)
        self.kill()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.finished.wait(), 5.0)
