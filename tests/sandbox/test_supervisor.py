"""Supervisor tests: real dev servers in real sandboxes (bubblewrap when available)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from appwright.sandbox import procfs
from appwright.sandbox.base import LogLine, ProcessSpec, ProjectState, RestartPolicy
from appwright.sandbox.local import LocalSandboxBackend
from appwright.sandbox.supervisor import Supervisor

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]

# Serves on $PORT (all interfaces, so the platform reaches it over the veth); /health is
# the readiness probe; after `limit` requests to / it exits with code 1 (a crash).
SERVER_JS = """
const http = require('http');
const limit = Number(process.env.CRASH_AFTER || 1e9);
let served = 0;
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  served += 1;
  res.end(`hello ${served}`);
  console.log(`served ${served}`);
  if (served >= limit) setTimeout(() => process.exit(1), 10);
}).listen(Number(process.env.PORT), '0.0.0.0', () => console.log('listening'));
"""


def spec(**env: str) -> ProcessSpec:
    return ProcessSpec(
        name="dev",
        command="node server.js",
        env=env,
        readiness_path="/health",
        readiness_timeout_s=20,
        restart=RestartPolicy(max_restarts=3, backoff_initial_s=0.2, backoff_max_s=1),
    )


@pytest.fixture
def workspace(data_dir: Path) -> Path:
    ws = data_dir / "workspaces" / "p1"
    (ws / "server.js").write_text(SERVER_JS)
    return ws


async def get(url: str) -> str:
    async with httpx.AsyncClient(trust_env=False, timeout=5) as client:
        return (await client.get(url)).text


async def wait_for(cond: object, timeout: float = 15) -> None:
    async def loop() -> None:
        while not cond():  # type: ignore[operator]
            await asyncio.sleep(0.05)

    await asyncio.wait_for(loop(), timeout)


async def test_crashed_dev_server_restarts_and_serves_again(
    backend: LocalSandboxBackend, data_dir: Path, workspace: Path
) -> None:
    seen: list[ProjectState] = []
    sup = Supervisor(backend, data_dir=data_dir, on_status=seen.append)
    try:
        await sup.start("p1", spec(CRASH_AFTER="2"))
        state = await sup.ensure_running("p1")
        assert state.status == "running", sup.logs("p1")
        assert state.upstream is not None
        if backend.isolation == "bubblewrap":
            assert not state.upstream.startswith("http://127.")
        assert await get(state.upstream) == "hello 1"
        assert await get(state.upstream) == "hello 2"  # the server exits after this one
        await wait_for(lambda: (s := sup.state("p1")) is not None and s.restarts >= 1)
        state = await sup.ensure_running("p1")
        assert state.status == "running"
        assert await get(f"{state.upstream}/") == "hello 1"
        statuses = [s.status for s in seen]
        assert statuses.count("running") >= 2 and "starting" in statuses[1:]
        texts = [line.text for line in sup.logs("p1")]
        assert "served 2" in texts and any("restarting" in t for t in texts)
        assert (data_dir / "logs" / "p1.log").read_text().count("listening") >= 2
        stats = await sup.stats("p1")
        assert stats is not None and stats.rss_bytes > 10 << 20 and stats.process_count >= 1
    finally:
        await sup.close()


async def test_restart_cap_marks_crashed(
    backend: LocalSandboxBackend, data_dir: Path, workspace: Path
) -> None:
    sup = Supervisor(backend, data_dir=data_dir)
    try:
        failing = spec().model_copy(update={"command": "echo boom >&2; exit 3"})
        await sup.start("p1", failing)
        state = await sup.ensure_running("p1")
        assert state.status == "crashed"
        assert state.restarts == 3 and state.last_exit_code == 3
        assert sum(line.text == "boom" for line in sup.logs("p1")) == 4
    finally:
        await sup.close()


async def test_idle_hibernation_wake_and_restore(
    backend: LocalSandboxBackend, data_dir: Path, workspace: Path
) -> None:
    sup = Supervisor(backend, data_dir=data_dir, idle_timeout_s=1.0)
    await sup.start("p1", spec())
    state = await sup.ensure_running("p1")
    assert state.status == "running"
    sandbox = await backend.get("p1")
    assert sandbox is not None
    # Traffic keeps it awake...
    for _ in range(6):
        sup.touch("p1")
        await asyncio.sleep(0.25)
    assert sup.state("p1").status == "running"  # type: ignore[union-attr]
    # ...silence puts it to sleep with no process left.
    await wait_for(lambda: sup.state("p1").status == "hibernated", timeout=5)  # type: ignore[union-attr]
    stats = await backend.stats(sandbox)
    assert stats.process_count == 0
    if sandbox.uid is not None:
        assert procfs.by_uid([sandbox.uid])[sandbox.uid] == []
    # The next preview request wakes it.
    state = await sup.ensure_running("p1")
    assert state.status == "running"
    assert (await get(state.upstream or "")).startswith("hello")
    # A platform restart brings it back.
    await sup.close()
    await backend.close()
    await backend.start()
    sup2 = Supervisor(backend, data_dir=data_dir)
    try:
        assert await sup2.restore() == ["p1"]
        state = await sup2.ensure_running("p1")
        assert state.status == "running"
        assert (await get(state.upstream or "")).startswith("hello")
    finally:
        await sup2.close()


async def test_follow_logs_streams_new_lines(
    backend: LocalSandboxBackend, data_dir: Path, workspace: Path
) -> None:
    sup = Supervisor(backend, data_dir=data_dir)
    try:
        await sup.start("p1", spec())
        state = await sup.ensure_running("p1")
        follower = sup.follow_logs("p1", backlog=0)

        async def next_served() -> LogLine:
            # "listening" may still be on its way: the probe can be answered before the
            # server's first output line has been read.
            async for line in follower:
                if line.text != "listening":
                    return line
            raise AssertionError("the log ended")

        nxt = asyncio.ensure_future(next_served())
        await get(state.upstream or "")
        line = await asyncio.wait_for(nxt, 5)
        assert line.text == "served 1" and line.stream == "stdout"
        await follower.aclose()  # type: ignore[attr-defined]
        stopped = await sup.stop("p1")
        assert stopped.status == "stopped" and stopped.upstream is None
    finally:
        await sup.close()
