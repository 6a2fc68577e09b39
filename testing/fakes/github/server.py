"""Run the fake GitHub on a background thread (tests) — the same pattern as ``fake_llm``.

with serve(tmp_path / "github") as github:
    github.state.add_token("ghp_test", "ada")
    settings = Settings(github_api_url=github.url, github_allow_local_remotes=True, ...)
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from testing.fakes.github.app import FakeGitHubState, create_app

__all__ = ["FakeGitHubServer", "serve"]


class FakeGitHubServer:
    """The fake GitHub REST API on 127.0.0.1 (free port), bare repositories in ``repos_dir``."""

    def __init__(self, repos_dir: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = FakeGitHubState(repos_dir)
        self._host = host
        self._port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def url(self) -> str:
        return f"http://{self._host}:{self._port}"

    def start(self) -> None:
        """Bind and serve; returns once the server accepts connections."""
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self._host, self._port))
        self._port = sock.getsockname()[1]
        self._socket = sock
        self.state.base_url = self.url
        config = uvicorn.Config(
            create_app(self.state), log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, name="fake-github", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the fake GitHub server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None


@contextmanager
def serve(repos_dir: Path) -> Iterator[FakeGitHubServer]:
    """Run the fake GitHub for the duration of the block."""
    server = FakeGitHubServer(repos_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()
