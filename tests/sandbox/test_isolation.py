"""Acceptance tests of the local sandbox's isolation, run in real sandboxes (no mocks)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from appwright.sandbox import procfs
from appwright.sandbox.base import SandboxLimits
from appwright.sandbox.local import LocalSandboxBackend

from .conftest import run

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]


async def test_other_projects_and_data_dir_are_invisible(
    isolated: LocalSandboxBackend, data_dir: Path
) -> None:
    sb = await isolated.create("p1")
    await isolated.create("p2")
    probes = " ; ".join(
        f"cat {path} 2>&1; ls -la {path} 2>&1"
        for path in (
            data_dir / "workspaces" / "p2" / "secret.txt",
            data_dir / "appwright.db",
            data_dir / "secret_key",
            data_dir,
            "/workspace/../p2/secret.txt",
            "../p2/secret.txt",
        )
    )
    out, err, _ev = await run(
        isolated, sb, probes + "; ls / /home; echo own > mine.txt; cat mine.txt"
    )
    text = out + err
    for secret in ("OTHER-PROJECT-SECRET-123", "SQLITE-DB-CONTENT-xyz", "PLATFORM-SECRET-KEY-abc"):
        assert secret not in text
    assert "No such file or directory" in text
    assert "own" in out
    assert (data_dir / "workspaces" / "p1" / "mine.txt").read_text() == "own\n"


async def test_system_is_read_only_and_uid_unprivileged(isolated: LocalSandboxBackend) -> None:
    sb = await isolated.create("p1")
    out, _err, _ = await run(
        isolated, sb, "id -u; touch /usr/x /etc/x /x 2>&1; cat /proc/self/status | grep CapEff"
    )
    assert out.splitlines()[0] == str(sb.uid)
    assert sb.uid is not None and sb.uid >= 1000
    assert out.count("Read-only file system") + out.count("Permission denied") >= 3
    assert "CapEff:\t0000000000000000" in out


async def test_platform_environment_is_invisible(
    isolated: LocalSandboxBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APPWRIGHT_TEST_SECRET", "platform-env-secret-42")
    sb = await isolated.create("p1")
    cmd = "env; cat /proc/*/environ 2>/dev/null | tr '\\0' '\\n'"
    out, _, ev = await run(isolated, sb, cmd, env={"PROJECT_VAR": "project-value"})
    assert ev.exit_code == 0
    assert "platform-env-secret-42" not in out
    assert "APPWRIGHT_TEST_SECRET" not in out
    assert "PROJECT_VAR=project-value" in out
    assert "HOME=/home/user" in out


@pytest.fixture
async def host_listeners() -> AsyncIterator[list[int]]:
    """Two TCP services on the host: one on loopback, one on all interfaces."""

    async def answer(_r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        w.write(b"HOST-SERVICE-REACHED\n")
        await w.drain()
        w.close()

    servers = [
        await asyncio.start_server(answer, "127.0.0.1", 0),
        await asyncio.start_server(answer, "0.0.0.0", 0),  # noqa: S104 — the test's point
    ]
    yield [s.sockets[0].getsockname()[1] for s in servers]
    for s in servers:
        s.close()


CONNECT_JS = """
const net = require('net');
const targets = JSON.parse(process.argv[2]);
let left = targets.length;
for (const [host, port] of targets) {
  const s = net.connect({host, port, timeout: 3000});
  s.on('data', d => { console.log(`REACHED ${host}:${port} ${d}`); s.destroy(); });
  s.on('connect', () => console.log(`CONNECTED ${host}:${port}`));
  s.on('error', e => console.log(`FAILED ${host}:${port} ${e.code}`));
  s.on('timeout', () => { console.log(`FAILED ${host}:${port} timeout`); s.destroy(); });
  s.on('close', () => { if (--left === 0) process.exit(0); });
}
"""


def _host_addresses() -> list[str]:
    addrs = {"127.0.0.1"}
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.123", 9))  # no packet is sent; picks the outbound address
            addrs.add(s.getsockname()[0])
        except OSError:
            pass
    return sorted(addrs)


async def test_host_services_unreachable_but_registry_works(
    isolated: LocalSandboxBackend, host_listeners: list[int], data_dir: Path
) -> None:
    sb = await isolated.create("p1")
    net = isolated._runtimes["p1"].layout.net
    assert net is not None
    loop_port, any_port = host_listeners
    targets = [["127.0.0.1", 5432], ["127.0.0.1", 6379], ["127.0.0.1", loop_port]]
    targets += [[a, any_port] for a in [*_host_addresses(), net.host_ip]]
    targets += [[net.host_ip, 5432], ["10.255.255.53", 53]]
    js = data_dir / "workspaces" / "p1" / "connect.js"
    js.write_text(CONNECT_JS)
    out, err, _ = await run(isolated, sb, f"node connect.js '{json.dumps(targets)}'")
    assert "REACHED" not in out and "CONNECTED" not in out, out + err
    assert out.count("FAILED") == len(targets), out + err
    # The proxy refuses host destinations too.
    out, _, _ = await run(
        isolated,
        sb,
        "curl --noproxy '' -x $HTTPS_PROXY -sS -m 5 https://127.0.0.1/ 2>&1; "
        "curl --noproxy '' -x $HTTPS_PROXY -sS -m 5 http://localhost:6379/ 2>&1",
    )
    assert "CONNECT tunnel failed, response 403" in out, out  # https://127.0.0.1/
    assert "host localhost is not on the allow-list" in out, out
    # ...while the package registry works through it, the way npm is used by the agent.
    (data_dir / "workspaces" / "p1" / "package.json").write_text('{"name":"t","version":"1.0.0"}')
    out, err, ev = await run(
        isolated,
        sb,
        "npm install --no-audit --no-fund is-number@7 && "
        "node -e \"console.log(require('is-number')(5))\"",
        timeout=120,
    )
    assert ev.exit_code == 0, out + err
    assert out.strip().endswith("true")


async def test_host_processes_are_invisible(isolated: LocalSandboxBackend) -> None:
    sb = await isolated.create("p1")
    out, _, _ = await run(isolated, sb, "ps -eo pid,comm --no-headers; ls /proc | grep -c '^[0-9]'")
    *procs, count = out.strip().splitlines()
    assert int(count) <= 8
    names = " ".join(procs)
    for host_proc in ("pytest", "python", "postgres", "redis"):
        assert host_proc not in names


@pytest.fixture
async def platform_server() -> AsyncIterator[str]:
    """A tiny HTTP server on the test's event loop, standing for the platform."""

    async def handle(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        await r.readuntil(b"\r\n\r\n")
        w.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
        await w.drain()
        w.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    server.close()


async def _latencies_while(url: str, task: asyncio.Task[object]) -> list[float]:
    lat = []
    async with httpx.AsyncClient(trust_env=False) as client:
        while not task.done():
            t = time.perf_counter()
            assert (await client.get(url, timeout=5)).text == "ok"
            lat.append(time.perf_counter() - t)
            await asyncio.sleep(0.05)
    return lat


async def test_fork_bomb_is_contained(isolated: LocalSandboxBackend, platform_server: str) -> None:
    sb = await isolated.create(
        "p1", limits=SandboxLimits(max_processes=128, memory_bytes=512 << 20)
    )
    bomb = asyncio.create_task(run(isolated, sb, "b(){ b | b & }; b; sleep 60", timeout=4))
    lat = await _latencies_while(platform_server, bomb)
    _, _, ev = bomb.result()
    assert ev.timed_out
    assert len(lat) > 10 and max(lat) < 1.0, max(lat)
    assert sb.uid is not None
    await asyncio.sleep(0.2)
    assert procfs.by_uid([sb.uid])[sb.uid] == []


async def test_memory_hog_is_contained(isolated: LocalSandboxBackend, platform_server: str) -> None:
    sb = await isolated.create("p1", limits=SandboxLimits(memory_bytes=300 << 20))
    # Four processes of ~120 MB each: every one is under the per-process limit, together
    # they exceed the sandbox's 300 MB, so it is the RSS watchdog that must step in.
    hog = 'node -e "const b=Buffer.alloc(120e6,1);setInterval(()=>b[0]++,100)"'
    task = asyncio.create_task(
        run(isolated, sb, f"for i in 1 2 3 4; do {hog} & done; wait", timeout=30)
    )
    lat = await _latencies_while(platform_server, task)
    _, err, ev = task.result()
    assert not ev.timed_out
    assert "memory limit" in err
    assert ev.duration_s is not None and ev.duration_s < 10
    assert max(lat) < 1.0


async def test_single_allocation_over_limit_fails(isolated: LocalSandboxBackend) -> None:
    sb = await isolated.create("p1", limits=SandboxLimits(memory_bytes=300 << 20))
    _, _err, ev = await run(isolated, sb, 'node -e "Buffer.alloc(1e9, 1)"', timeout=30)
    assert ev.exit_code != 0


async def test_timeout_kills_command_and_children(
    isolated: LocalSandboxBackend, data_dir: Path
) -> None:
    sb = await isolated.create("p1")
    marker = data_dir / "workspaces" / "p1" / "marker"
    cmd = (
        "(sleep 1.5; echo late > marker) & setsid sh -c 'sleep 1.5; echo late > marker2' & sleep 30"
    )
    t = time.monotonic()
    _, _, ev = await run(isolated, sb, cmd, timeout=0.5)
    assert ev.timed_out and ev.exit_code != 0
    assert time.monotonic() - t < 3
    await asyncio.sleep(2)
    assert not marker.exists()
    assert not marker.with_name("marker2").exists()


async def test_exec_streams_output_and_exit_code(backend: LocalSandboxBackend) -> None:
    sb = await backend.create("p1")
    events = [
        ev async for ev in backend.exec(sb, "echo one; sleep 0.3; echo two >&2; exit 3", timeout=10)
    ]
    kinds = [e.kind for e in events]
    assert kinds[0] == "stdout" and kinds[-1] == "exit"
    assert events[-1].exit_code == 3 and not events[-1].timed_out
    assert "two" in "".join(e.data for e in events if e.kind == "stderr")


async def test_cwd_cannot_leave_workspace(backend: LocalSandboxBackend) -> None:
    from appwright.sandbox.base import SandboxError

    sb = await backend.create("p1")
    with pytest.raises(SandboxError):
        await run(backend, sb, "pwd", cwd="../p2")


async def test_unsafe_local_fallback_is_reported(data_dir: Path) -> None:
    from .conftest import make_config

    b = LocalSandboxBackend(make_config(data_dir, isolation="unsafe-local"))
    assert await b.start() == "unsafe-local"
    try:
        sb = await b.create("p1")
        assert sb.isolation == "unsafe-local"
        os.environ["APPWRIGHT_TEST_SECRET2"] = "leak"
        try:
            out, _, ev = await run(b, sb, "env; pwd")
        finally:
            del os.environ["APPWRIGHT_TEST_SECRET2"]
        assert ev.exit_code == 0
        assert "leak" not in out
        assert out.strip().endswith(str(data_dir / "workspaces" / "p1"))
    finally:
        await b.close()


async def test_shared_cache_files_stay_read_only_but_npm_can_replace_them(
    isolated: LocalSandboxBackend, data_dir: Path
) -> None:
    # A node_modules hard-linked from a platform-owned, read-only cache (templates/cache.py).
    cache = data_dir / "cache" / "pkg"
    cache.mkdir(parents=True)
    (cache / "index.js").write_text("module.exports = 1")
    (cache / "index.js").chmod(0o444)
    mods = data_dir / "workspaces" / "p1" / "node_modules" / "pkg"
    mods.mkdir(parents=True)
    os.link(cache / "index.js", mods / "index.js")
    sb = await isolated.create("p1")
    out, _, _ = await run(
        isolated,
        sb,
        "echo poisoned >> node_modules/pkg/index.js 2>&1 || echo refused; "
        "rm -f node_modules/pkg/index.js && echo 'module.exports = 2' > node_modules/pkg/index.js"
        " && echo replaced",
    )
    assert "refused" in out and "replaced" in out
    assert (cache / "index.js").read_text() == "module.exports = 1"
