"""Host programs run as root: a helper cut short never keeps running on its own."""

from __future__ import annotations

import asyncio
import os

import pytest

from appwright.core import hostbin

pytestmark = pytest.mark.anyio


async def _sleeper() -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        hostbin.require("sleep"), "30", stdout=asyncio.subprocess.PIPE, env=hostbin.ROOT_ENV
    )


async def test_a_cancelled_helper_is_killed_and_reaped() -> None:
    process = await _sleeper()
    waiting = asyncio.create_task(hostbin.reaped(process, process.communicate()))
    await asyncio.sleep(0.2)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert process.returncode == -9
    with pytest.raises(ProcessLookupError):
        os.kill(process.pid, 0)  # reaped: not even a zombie is left


async def test_a_helper_that_finishes_gives_its_outcome() -> None:
    process = await asyncio.create_subprocess_exec(
        hostbin.require("echo"), "done", stdout=asyncio.subprocess.PIPE, env=hostbin.ROOT_ENV
    )
    out, _ = await hostbin.reaped(process, process.communicate())
    assert (out, process.returncode) == (b"done\n", 0)
