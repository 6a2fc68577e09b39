"""Run the fake GitHub on a background thread (tests) — the same pattern as ``fake_llm``.

with serve(tmp_path / "github") as github:
    github.state.add_token("ghp_test", "ada")
    settings = Settings(github_api_url=github.url, github_allow_local_remotes=True, ...)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from testing.fakes.github.app import FakeGitHubState, create_app
from testing.threaded import ThreadedServer

__all__ = ["FakeGitHubServer", "serve"]


class FakeGitHubServer:
    """The fake GitHub REST API on 127.0.0.1 (free port), bare repositories in ``repos_dir``."""

    def __init__(self, repos_dir: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.state = FakeGitHubState(repos_dir)
        self._http = ThreadedServer("fake-github", host, port)

    @property
    def url(self) -> str:
        return self._http.url

    def start(self) -> None:
        """Bind and serve; returns once the server accepts connections."""
        self._http.bind()
        self.state.base_url = self.url  # clone URLs and links name the bound port
        self._http.serve(create_app(self.state))

    def stop(self) -> None:
        self._http.stop()


@contextmanager
def serve(repos_dir: Path) -> Iterator[FakeGitHubServer]:
    """Run the fake GitHub for the duration of the block."""
    server = FakeGitHubServer(repos_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()
