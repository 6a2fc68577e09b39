"""Host programs the platform runs as root: absolute paths and a fixed environment.

Nothing a project controls may decide which binary a privileged process executes or how
it is loaded. Programs are looked up once on a fixed search path (never the platform's
inherited ``PATH``, never a relative entry) and run with ``ROOT_ENV`` as their complete
environment, from a cwd the platform owns.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import shutil
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")

TRUSTED_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""Where host programs are looked up: root-owned system directories only."""

ROOT_ENV: dict[str, str] = {"PATH": TRUSTED_PATH, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
"""The complete environment of a privileged helper (copy it before adding to it)."""

ROOT_CWD = "/"
"""cwd of a privileged helper: never a directory a sandbox can write."""


class HostProgramMissing(RuntimeError):
    """A required host program is not installed."""


@functools.cache
def find(name: str) -> str | None:
    """Absolute path of ``name`` on ``TRUSTED_PATH``, or None."""
    return shutil.which(name, path=TRUSTED_PATH)


def require(name: str) -> str:
    """Absolute path of ``name`` on ``TRUSTED_PATH``; raises when it is not installed."""
    path = find(name)
    if path is None:
        raise HostProgramMissing(f"{name} is not installed (looked in {TRUSTED_PATH})")
    return path


async def reaped(process: asyncio.subprocess.Process, outcome: Awaitable[T]) -> T:
    """Await ``outcome`` of ``process`` (its output, its exit code); if that is cancelled or
    fails, kill the process and wait for it before raising: neither it nor its pipes may
    outlive the caller (a server shutting down while a helper runs)."""
    try:
        return await outcome
    except BaseException:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):  # it exited meanwhile
                process.kill()
        await process.wait()
        raise
