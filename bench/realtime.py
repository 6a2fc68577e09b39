"""Realtime: a file written through the file API → ``file:updated`` at a subscribed client.

    .venv/bin/python bench/realtime.py [--writes 300]

Starts ``appwright run`` as a subprocess (temporary data dir, the bench's own sandbox
names/uids/subnet, a free port), signs up, creates a ``static`` project and opens the
project WebSocket through the public port (the gateway relays it to the app), as an open
workspace does. Then it writes one file again and again through ``PUT /api/files/…`` and
times, for each write, from sending the request until the socket delivers the
``file:updated`` event naming that file. The write's own HTTP round trip is reported too.

Last line: ``RESULT file_event_p50_ms=… file_event_p99_ms=… write_http_p50_ms=…``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import Api, Platform, load_average, p50, p99
from bench.gateway import free_port

PATH = "notes/realtime.txt"
WARMUP = 20


def _wait_event(socket: ClientConnection, path: str, timeout_s: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        message = json.loads(socket.recv(timeout=max(0.0, deadline - time.monotonic())))
        if message.get("type") == "file:updated" and path in message["data"].get("paths", []):
            found: dict[str, Any] = message
            return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="aw-bench-realtime-"))
    platform = Platform(
        root, free_port(), sandbox_prefix="awr", uid_base=210_000, subnet="10.218.0.0/16",
        proxy_port=3132,
    )  # fmt: skip
    api = Api(platform.base_url, "bench@example.com", "bench password 1")
    load_start = load_average()
    event_ms: list[float] = []
    http_ms: list[float] = []
    try:
        platform.start()
        api.signup()
        body = {"name": "Realtime", "template": "static"}
        project = api.call("POST", "/api/projects", json=body).json()
        cookies = "; ".join(f"{name}={value}" for name, value in api.http.cookies.items())
        url = f"ws://127.0.0.1:{platform.port}/ws/projects/{project['id']}"
        with connect(url, additional_headers={"Cookie": cookies}) as socket:
            hello = json.loads(socket.recv(timeout=10))
            assert hello["type"] == "hello", hello
            for n in range(WARMUP + args.writes):
                started = time.perf_counter()
                api.call("PUT", f"/api/files/{project['id']}/{PATH}", json={"content": f"{n}\n"})
                answered = time.perf_counter()
                event = _wait_event(socket, PATH)
                arrived = time.perf_counter()
                assert event["data"]["author"] == "person", event
                if n >= WARMUP:
                    event_ms.append((arrived - started) * 1000)
                    http_ms.append((answered - started) * 1000)
    finally:
        api.close()
        platform.stop()
        shutil.rmtree(root, ignore_errors=True)
    print(f"load average at start {load_start}, at the end {load_average()}")
    print(
        f"write through the file API → file:updated on the project socket: "
        f"p50 {p50(event_ms):.2f} ms, p99 {p99(event_ms):.2f} ms over {len(event_ms)} writes"
    )
    print(f"  the write's HTTP round trip alone: p50 {p50(http_ms):.2f} ms")
    print(
        f"RESULT file_event_p50_ms={p50(event_ms):.2f} file_event_p99_ms={p99(event_ms):.2f} "
        f"write_http_p50_ms={p50(http_ms):.2f}"
    )


if __name__ == "__main__":
    main()
