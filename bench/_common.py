"""Helpers shared by the benchmarks: figures, a raw HTTP client, the platform as a process.

* ``p50`` / ``p99`` / ``load_average``: how figures are summarised and what the machine
  was doing meanwhile (the development machine is shared; load skews every timing).
* ``RawClient``: a blocking keep-alive HTTP/1.1 client (Content-Length and chunked
  bodies), so latency figures measure the server, not an HTTP library.
* ``Platform``: ``appwright run`` in a subprocess with its own data dir and sandbox
  settings, plus ``Api``: a signed-in API client acting as the browser does (CSRF header).
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
APPWRIGHT = ROOT / ".venv" / "bin" / "appwright"


def p50(values: list[float]) -> float:
    """Median."""
    return statistics.median(values)


def p99(values: list[float]) -> float:
    """99th percentile (inclusive method: defined for any sample size ≥ 2)."""
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def load_average() -> str:
    """``1m/5m/15m`` load averages, to print next to every figure."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}/{five:.2f}/{fifteen:.2f}"


def memory_used_fraction() -> float:
    """Share of RAM not available to new processes (1 − MemAvailable/MemTotal)."""
    info: dict[str, int] = {}
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            key, _, rest = line.partition(":")
            info[key] = int(rest.split()[0])
    return 1 - info["MemAvailable"] / info["MemTotal"]


class RawClient:
    """Blocking keep-alive HTTP/1.1 GETs on one connection; returns milliseconds."""

    def __init__(self, host: str, port: int, headers: Mapping[str, str]) -> None:
        self.sock = socket.create_connection((host, port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        self.buffer = b""

    def close(self) -> None:
        self.sock.close()

    def get(self, path: str = "/") -> tuple[float, int, bytes]:
        """One GET: (milliseconds, status, body)."""
        started = time.perf_counter()
        self.sock.sendall(f"GET {path} HTTP/1.1\r\n{self.headers}\r\n".encode())
        head = self._until(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
        if fields.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while size := int(self._until(b"\r\n").split(b";")[0], 16):
                body += self._take(size)
                self._take(2)
            self._until(b"\r\n")  # no trailers are expected
        else:
            body = self._take(int(fields.get("content-length", "0")))
        return (time.perf_counter() - started) * 1000, status, body

    def _fill(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buffer += chunk

    def _until(self, marker: bytes) -> bytes:
        while marker not in self.buffer:
            self._fill()
        found, _, self.buffer = self.buffer.partition(marker)
        return found

    def _take(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found


@dataclass
class Platform:
    """``appwright run`` as a subprocess, on a free port with its own data dir.

    The sandbox names, uids, subnet and proxy port are the bench's own so that its
    sandboxes never meet those of a platform (or test run) on the same machine.
    """

    root: Path
    port: int
    sandbox_prefix: str = "awb"
    uid_base: int = 200_000
    subnet: str = "10.217.0.0/16"
    proxy_port: int = 3131
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("APPWRIGHT_")}
        return {
            **env,
            "APPWRIGHT_DATA_DIR": str(self.data_dir),
            "APPWRIGHT_ENV": "development",
            "APPWRIGHT_HOST": "127.0.0.1",
            "APPWRIGHT_PORT": str(self.port),
            "APPWRIGHT_LOG_LEVEL": "INFO",
            "APPWRIGHT_SANDBOX_NAME_PREFIX": self.sandbox_prefix,
            "APPWRIGHT_SANDBOX_UID_BASE": str(self.uid_base),
            "APPWRIGHT_SANDBOX_SUBNET": self.subnet,
            "APPWRIGHT_SANDBOX_PROXY_PORT": str(self.proxy_port),
            **self.extra_env,
        }

    def cli(self, *args: str) -> str:
        """Run an ``appwright`` command against this data dir (e.g. ``create-user``)."""
        done = subprocess.run(
            [str(APPWRIGHT), *args], env=self.env(), cwd=self.root, capture_output=True, check=True
        )
        return done.stdout.decode(errors="replace")

    def start(self, timeout_s: float = 90.0) -> None:
        """Start serving and wait for ``/api/health``."""
        self.root.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            # Own session: a Ctrl-C meant for the bench must not kill the server before the
            # bench has cleaned up; ``stop`` ends it.
            self.proc = subprocess.Popen(
                [str(APPWRIGHT), "run", "--host", "127.0.0.1", "--port", str(self.port)],
                env=self.env(),
                cwd=self.root,  # no stray .env from the caller's directory
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"appwright exited while starting:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/api/health", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"appwright did not become healthy:\n{self.log_tail()}")

    def stop(self, timeout_s: float = 30.0) -> None:
        """SIGTERM (the platform stops its sandboxes), SIGKILL past ``timeout_s``."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"


class Api:
    """The platform's API as the SPA uses it: session cookies plus the CSRF header."""

    def __init__(self, base_url: str, email: str, password: str) -> None:
        # Generous: a cold create may install packages while an endpoint waits.
        self.http = httpx.Client(base_url=base_url, timeout=600, trust_env=False)
        self.email, self.password = email, password

    def close(self) -> None:
        self.http.close()

    def _csrf(self) -> None:
        self.http.get("/api/auth/session").raise_for_status()
        self.http.headers["X-CSRF-Token"] = self.http.cookies["appwright_csrf"]

    def signup(self) -> dict[str, Any]:
        self._csrf()
        body = {"email": self.email, "password": self.password, "name": "Bench"}
        response = self.http.post("/api/auth/signup", json=body)
        response.raise_for_status()
        user: dict[str, Any] = response.json()["user"]
        return user

    def signin(self) -> None:
        self._csrf()
        body = {"email": self.email, "password": self.password}
        self.http.post("/api/auth/signin", json=body).raise_for_status()

    def call(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request; signs in again once if the session expired (long benches)."""
        response = self.http.request(method, url, **kwargs)
        if response.status_code == 401:
            self.signin()
            response = self.http.request(method, url, **kwargs)
        response.raise_for_status()
        return response
