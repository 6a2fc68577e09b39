"""Project variables reach the dev server when they change, not only after a platform restart."""

from __future__ import annotations

import time
from pathlib import Path

import anyio
import httpx
import pytest

from appwright.context import AppContext
from appwright.sandbox import procfs
from tests.helpers import create_project, signup

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]


def _dev_server_values(uid: int, key: str) -> set[str | None]:
    """The value of ``key`` in each process of the sandbox uid (None where unset)."""
    values: set[str | None] = set()
    for entry in procfs.by_uid([uid])[uid]:
        try:
            raw = Path(f"/proc/{entry.pid}/environ").read_bytes()
        except (FileNotFoundError, ProcessLookupError):
            continue
        env = dict(i.split("=", 1) for i in raw.decode().split("\0") if "=" in i)
        if env.get("PATH", "").startswith("/workspace/"):
            # The workload (its env applied); not the unprivileged bwrap in front of it.
            values.add(env.get(key))
    return values


async def _wait_value(uid: int, key: str, wanted: str | None) -> set[str | None]:
    deadline = time.monotonic() + 30
    while True:
        found = _dev_server_values(uid, key)
        if found == {wanted} or time.monotonic() > deadline:
            return found
        await anyio.sleep(0.1)


async def _wait_running(client: httpx.AsyncClient, pid: str) -> None:
    deadline = time.monotonic() + 60
    while (await client.get(f"/api/sandbox/{pid}/status")).json()["status"] != "running":
        assert time.monotonic() < deadline, "the dev server did not come up"
        await anyio.sleep(0.1)


async def test_a_changed_variable_reaches_the_running_and_the_woken_dev_server(
    client: httpx.AsyncClient, ctx: AppContext
) -> None:
    await signup(client)
    pid = (await create_project(client, "Env", "static"))["id"]
    assert (await client.post("/api/sandbox/create", json={"project_id": pid})).status_code == 200
    await _wait_running(client, pid)
    sandbox = await ctx.runtime.backend.get(pid)
    assert sandbox is not None
    if sandbox.uid is None:
        pytest.skip("LOUD SKIP: needs root and bubblewrap (per-sandbox uid) to read the env")

    put = await client.put(f"/api/projects/{pid}/env/GREETING", json={"value": "one"})
    assert put.status_code == 200
    await _wait_running(client, pid)
    assert await _wait_value(sandbox.uid, "GREETING", "one") == {"one"}

    await client.put(f"/api/projects/{pid}/env/GREETING", json={"value": "two"})
    await _wait_running(client, pid)
    assert await _wait_value(sandbox.uid, "GREETING", "two") == {"two"}

    # Changed while hibernated: the wake starts with the new value.
    await ctx.runtime.supervisor.hibernate(pid)
    await client.put(f"/api/projects/{pid}/env/GREETING", json={"value": "three"})
    assert ctx.runtime.supervisor.state(pid).status == "hibernated"  # type: ignore[union-attr]
    await ctx.runtime.supervisor.ensure_running(pid)
    assert await _wait_value(sandbox.uid, "GREETING", "three") == {"three"}

    assert (await client.delete(f"/api/projects/{pid}/env/GREETING")).status_code == 204
    await _wait_running(client, pid)
    assert await _wait_value(sandbox.uid, "GREETING", None) == {None}
