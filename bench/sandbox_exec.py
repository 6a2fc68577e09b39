"""Benchmark of the local sandbox backend: create, one-shot exec latency, dev-server start.

Run as root with bubblewrap installed: ``.venv/bin/python bench/sandbox_exec.py``.
Ends with one ``RESULT`` line (see docs/PERFORMANCE.md).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from appwright.sandbox.base import ProcessSpec
from appwright.sandbox.config import LocalSandboxConfig
from appwright.sandbox.local import LocalSandboxBackend
from appwright.sandbox.supervisor import Supervisor

SERVER = "require('http').createServer((q,s)=>s.end('ok')).listen(+process.env.PORT,'0.0.0.0')"


async def main() -> None:
    data = Path(tempfile.mkdtemp(prefix="aw-bench-"))
    (data / "workspaces" / "b1").mkdir(parents=True)
    (data / "workspaces" / "b1" / "server.js").write_text(SERVER)
    cfg = LocalSandboxConfig(
        data_dir=data, name_prefix="bn", subnet="10.232.0.0/24", uid_base=390_000
    )
    backend = LocalSandboxBackend(cfg)
    level = await backend.start()
    t = time.perf_counter()
    sb = await backend.create("b1")
    create_ms = (time.perf_counter() - t) * 1000
    lat = []
    for _ in range(30):
        t = time.perf_counter()
        async for _ev in backend.exec(sb, "true", timeout=10):
            pass
        lat.append((time.perf_counter() - t) * 1000)
    sup = Supervisor(backend, data_dir=data)
    t = time.perf_counter()
    await sup.start("b1", ProcessSpec(name="dev", command="node server.js"))
    state = await sup.ensure_running("b1")
    ready_s = time.perf_counter() - t
    stats = await backend.stats(sb)
    await sup.hibernate("b1")
    hib = await backend.stats(sb)
    t = time.perf_counter()
    await sup.ensure_running("b1")
    wake_s = time.perf_counter() - t
    await sup.close()
    await backend.close(remove_firewall=True)
    print(f"isolation={level} status={state.status}")
    print(
        f"RESULT isolation={level} create_ms={create_ms:.1f} "
        f"exec_true_p50_ms={statistics.median(lat):.1f} exec_true_max_ms={max(lat):.1f} "
        f"node_server_ready_s={ready_s:.2f} wake_s={wake_s:.2f} "
        f"node_server_rss_mb={stats.rss_bytes / 2**20:.1f} hibernated_processes={hib.process_count}"
    )


if __name__ == "__main__":
    asyncio.run(main())
