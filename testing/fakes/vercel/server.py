"""Run the fake Vercel on a background thread (tests) — the same pattern as the GitHub fake.

with serve() as vercel:
    vercel.state.add_token("vercel_test_token", "ada")
    client = VercelClient(vercel.url, "vercel_test_token")
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from testing.fakes.vercel.app import create_app
from testing.fakes.vercel.state import FakeVercelState
from testing.threaded import ThreadedServer

__all__ = ["FakeVercelServer", "serve"]


class FakeVercelServer:
    """The fake Vercel REST API on 127.0.0.1 (a free port unless ``port`` is given)."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, step_seconds: float = 0.05
    ) -> None:
        self.state = FakeVercelState(step_seconds=step_seconds)
        self._http = ThreadedServer("fake-vercel", host, port)

    @property
    def url(self) -> str:
        return self._http.url

    def start(self) -> None:
        """Bind and serve; returns once the server accepts connections."""
        self._http.serve(create_app(self.state))

    def stop(self) -> None:
        self._http.stop()


@contextmanager
def serve(*, step_seconds: float = 0.05) -> Iterator[FakeVercelServer]:
    """Run the fake Vercel for the duration of the block (builds advance every step)."""
    server = FakeVercelServer(step_seconds=step_seconds)
    server.start()
    try:
        yield server
    finally:
        server.stop()
