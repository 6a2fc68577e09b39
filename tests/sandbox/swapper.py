"""A sandboxed process that keeps swapping workspace folders for links to a host folder.

Each of ``names`` is exchanged with a link to ``host`` by ``renameat2(RENAME_EXCHANGE)``:
the name always exists and is a folder or a link at any instant, so a platform walk that
follows names rather than descriptors lands in ``host`` sooner or later. The link to the
host only makes sense outside the sandbox (the host folder is not mounted inside): it is
the platform, running as root on the host, that would follow it.
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

from appwright.sandbox.base import Sandbox, SandboxBackend

_SCRIPT = r"""
import ctypes, os, sys
host, names = sys.argv[1], sys.argv[2:]
libc = ctypes.CDLL(None, use_errno=True)
os.makedirs(".swap", exist_ok=True)
for i, name in enumerate(names):
    os.symlink(host, f".swap/{i}")
print("swapping", flush=True)
n = 0
while True:
    for i, name in enumerate(names):
        if libc.renameat2(-100, name.encode(), -100, f".swap/{i}".encode(), 2) != 0:
            sys.exit(f"renameat2: {os.strerror(ctypes.get_errno())}")
    n += 1
"""


def swap_command(host: str, names: Sequence[str]) -> str:
    """Shell command for ``exec``: prints ``swapping`` once it started, runs until killed."""
    return shlex.join(["python3", "-c", _SCRIPT, host, *names])


@contextlib.asynccontextmanager
async def swapping(
    backend: SandboxBackend, sb: Sandbox, host: Path, names: Sequence[str]
) -> AsyncIterator[None]:
    """A sandboxed process swapping ``names`` with links to ``host`` for the whole block."""
    started = asyncio.Event()
    output: list[str] = []

    async def swap() -> None:
        async for event in backend.exec(sb, swap_command(str(host), names), timeout=120):
            output.append(event.data)
            if "swapping" in event.data:
                started.set()
        started.set()

    task = asyncio.create_task(swap())
    try:
        await asyncio.wait_for(started.wait(), 20)
        assert not task.done(), f"the swapper ended early: {''.join(output)}"
        yield
        assert not task.done(), f"the swapper ended early: {''.join(output)}"
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
