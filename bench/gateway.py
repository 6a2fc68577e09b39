"""Preview gateway overhead vs direct, and warm create → first page per template.

    python bench/gateway.py [--requests 2000] [--create] [--runs 3] [--cache DIR]

Overhead: the same keep-alive GET (small HTML page, instrumented by the gateway) sent
alternately straight to an upstream and through the gateway; upstream and gateway run in
their own processes (uvloop), the client is a plain blocking socket. Figures, no verdict.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
KEY = "bench-key-0123456789abcdef0123456789abcdef"
PAGE = b"<!doctype html><html><head><title>b</title></head><body>" + b"x" * 2000 + b"</body></html>"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def _upstream(port: int) -> None:
    # A minimal keep-alive HTTP server, so the figure is the gateway's, not a framework's.
    response = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: "
        + str(len(PAGE)).encode()
        + b"\r\n\r\n"
        + PAGE
    )

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.readuntil(b"\r\n\r\n"):
                writer.write(response)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    await server.serve_forever()


async def _gateway(port: int, upstream: int) -> None:
    from appwright.preview import GatewayConfig, PreviewAuth, PreviewGateway

    async def resolve(_: str) -> str:
        return f"http://127.0.0.1:{upstream}"

    gateway = PreviewGateway(GatewayConfig(), PreviewAuth(KEY), resolve)
    await gateway.start("127.0.0.1", port)
    await asyncio.Event().wait()


def _run_loop(coro: object) -> None:
    import uvloop

    uvloop.run(coro)  # type: ignore[arg-type]


def _spawn(role: str, *ports: int) -> subprocess.Popen[bytes]:
    args = [sys.executable, __file__, f"--serve-{role}", *map(str, ports)]
    return subprocess.Popen(args, start_new_session=True)


def _wait_port(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return
        except OSError:
            time.sleep(0.02)
    raise SystemExit(f"port {port} never opened")


class Client:
    """Blocking keep-alive HTTP/1.1 client reading Content-Length bodies."""

    def __init__(self, port: int, host: str, cookie: str | None) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        extra = f"Cookie: {cookie}\r\n" if cookie else ""
        self.request = (
            f"GET / HTTP/1.1\r\nHost: {host}\r\nAccept: text/html\r\n{extra}\r\n"
        ).encode()
        self.buffer = b""

    def get(self) -> float:
        started = time.perf_counter()
        self.sock.sendall(self.request)
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self.sock.recv(65536)
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        while len(rest) < length:
            rest += self.sock.recv(65536)
        self.buffer = rest[length:]
        return (time.perf_counter() - started) * 1000


def bench_overhead(requests: int) -> tuple[float, float]:
    from appwright.preview import sign_preview_token

    up_port, gw_port = free_port(), free_port()
    procs = [_spawn("upstream", up_port), _spawn("gateway", gw_port, up_port)]
    try:
        _wait_port(up_port)
        _wait_port(gw_port)
        cookie = "__appwright_preview=" + sign_preview_token(KEY, "p1", "u", typ="cookie")
        direct = Client(up_port, f"127.0.0.1:{up_port}", None)
        via = Client(gw_port, f"p1.preview.localhost:{gw_port}", cookie)
        for _ in range(200):  # warm-up: connections, caches, JIT-free but still
            direct.get()
            via.get()
        d_times, g_times = [], []
        for _ in range(requests):
            d_times.append(direct.get())
            g_times.append(via.get())
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
    q_d = statistics.quantiles(d_times, n=100)
    q_g = statistics.quantiles(g_times, n=100)
    print(f"direct  p50={q_d[49]:.3f} ms p99={q_d[98]:.3f} ms")
    print(f"gateway p50={q_g[49]:.3f} ms p99={q_g[98]:.3f} ms  ({requests} requests each)")
    return q_g[49] - q_d[49], q_g[98] - q_d[98]


async def _create_once(template_id: str, cache: Path, work: Path) -> tuple[float, float]:
    from appwright.templates import get_template, link_dependencies, materialise

    template = get_template(template_id)
    workspace = work / f"{template_id}-{time.monotonic_ns()}"
    port = free_port()
    started = time.perf_counter()
    await materialise(template_id, workspace)
    await link_dependencies(template_id, workspace, cache)
    files_ready = time.perf_counter() - started
    proc = subprocess.Popen(
        ["sh", "-c", template.dev_command_for(port)],
        cwd=workspace,
        env={**os.environ, **template.process_env(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120) as r:
                    if r.status == 200:
                        r.read()
                        break
            except OSError:
                await asyncio.sleep(0.05)
        return files_ready, time.perf_counter() - started
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait()
        shutil.rmtree(workspace, ignore_errors=True)


async def bench_create(cache: Path, runs: int) -> dict[str, float]:
    from appwright.templates import prepare_cache

    results: dict[str, float] = {}
    cache.mkdir(parents=True, exist_ok=True)
    # Workspaces next to the cache: hard links need one filesystem.
    with tempfile.TemporaryDirectory(dir=cache.parent) as tmp:
        for template_id in ("static", "react-vite", "nextjs"):
            await prepare_cache(template_id, cache)  # warm: excluded from the figure
            runs_ = [await _create_once(template_id, cache, Path(tmp)) for _ in range(runs)]
            results[template_id] = statistics.median(total for _, total in runs_)
            print(
                f"create→first page {template_id}: "
                + " ".join(f"{total:.2f}s (files {files:.2f}s)" for files, total in runs_)
            )
    return results


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-upstream":
        _run_loop(_upstream(int(sys.argv[2])))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--serve-gateway":
        _run_loop(_gateway(int(sys.argv[2]), int(sys.argv[3])))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--create", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=ROOT / ".appwright" / "cache")
    args = parser.parse_args()
    p50, p99 = bench_overhead(args.requests)
    result = f"RESULT gateway_overhead_p50_ms={p50:.3f} gateway_overhead_p99_ms={p99:.3f}"
    if args.create:
        created = asyncio.run(bench_create(args.cache, args.runs))
        result += " " + " ".join(
            f"warm_{k.replace('-', '_')}_s={v:.2f}" for k, v in created.items()
        )
    print(result)


if __name__ == "__main__":
    main()
