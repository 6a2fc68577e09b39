"""Keeping a project repository fast: packing loose objects and the commit graph.

Every commit adds a few loose objects (one file each). Past a few hundred, reading the
history means opening hundreds of small files and ``git log`` over 500 versions slows
from ~20 ms to ~300 ms. Git's own auto-gc is disabled (it would run inside a request and
could take seconds), so this module does the equivalent incrementally, in the background:
a geometric repack (cost proportional to what is new) and a split commit-graph.
"""

from __future__ import annotations

import asyncio
import logging
import os

import anyio.to_thread

from appwright.versions.git.runner import Git

log = logging.getLogger(__name__)

LOOSE_SAMPLE_LIMIT = 2
"""Files in ``objects/17`` (1/256 of loose objects) that trigger maintenance: about 512."""

_running: set[str] = set()
_tasks: set[asyncio.Task[None]] = set()


def _loose_sample(git_dir: str) -> int:
    try:
        return len(os.listdir(os.path.join(git_dir, "objects", "17")))
    except FileNotFoundError:
        return 0


async def needs_maintenance(git: Git) -> bool:
    """Whether the repository has enough loose objects to be worth packing (cheap check)."""
    sample = await anyio.to_thread.run_sync(_loose_sample, str(git.git_dir))
    return sample >= LOOSE_SAMPLE_LIMIT


async def maintain(git: Git) -> None:
    """Pack loose objects (geometric repack) and update the commit graph.

    Safe to run while other git commands use the repository (git's own gc relies on
    this), so it does not take the repository lock and never blocks a commit.
    """
    await git.run(
        "-c", "pack.threads=1", "repack", "-d", "-q", "--geometric=2",
        "--no-write-bitmap-index", time_limit=600,
    )  # fmt: skip
    await git.run(
        "commit-graph", "write", "--reachable", "--split", "--no-progress", time_limit=600
    )


async def _maintain_logged(git: Git, key: str) -> None:
    try:
        await maintain(git)
    except Exception:
        log.warning("repository maintenance failed", extra={"git_dir": key}, exc_info=True)
    finally:
        _running.discard(key)


async def schedule_maintenance_if_needed(git: Git) -> bool:
    """Start :func:`maintain` in the background when needed; at most one per repository."""
    key = str(git.git_dir)
    if key in _running or not await needs_maintenance(git):
        return False
    _running.add(key)
    task = asyncio.get_running_loop().create_task(_maintain_logged(git, key))
    _tasks.add(task)  # a strong reference, or the task may be collected mid-flight
    task.add_done_callback(_tasks.discard)
    return True


async def wait_for_maintenance() -> None:
    """Wait until background maintenance started by this process has finished (tests, bench)."""
    while _tasks:
        await asyncio.gather(*list(_tasks), return_exceptions=True)
