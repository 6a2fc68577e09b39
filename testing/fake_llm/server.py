"""Running the fake LLM server: in a background thread for tests, or in the foreground.

    with serve() as llm:                      # free port on 127.0.0.1
        client = anthropic.AsyncAnthropic(base_url=llm.url, api_key="test")
        openai_client = openai.AsyncOpenAI(base_url=llm.openai_base_url, api_key="test")
        ...
        assert llm.requests()[-1]["body"]["model"] == "claude-sonnet-4-5"

``python -m testing.fake_llm --port 8788`` (or ``appwright fake-llm``) runs it in the
foreground.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from testing.fake_llm.app import FakeLLMState, create_app
from testing.fake_llm.scenarios import DEFAULT_SCENARIOS_DIR
from testing.threaded import ThreadedServer

__all__ = ["FakeLLMServer", "main", "run", "serve"]


class FakeLLMServer:
    """The fake server on a background thread with its own event loop."""

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, scenarios_dir: Path | None = None
    ) -> None:
        self.state = FakeLLMState(scenarios_dir or DEFAULT_SCENARIOS_DIR)
        self._http = ThreadedServer("fake-llm", host, port)

    @property
    def url(self) -> str:
        """Base URL for the Anthropic SDK (it appends ``/v1/messages``)."""
        return self._http.url

    @property
    def openai_base_url(self) -> str:
        """Base URL for the OpenAI SDK (it appends ``/chat/completions``)."""
        return f"{self.url}/v1"

    def requests(self) -> list[dict[str, Any]]:
        """Every request received (method, path, headers without credentials, JSON body,
        status, outcome: ``completed`` / ``disconnected`` / ``pending``)."""
        return self.state.requests()

    def clear(self) -> None:
        """Forget recorded requests and fault counters."""
        self.state.clear()

    def start(self) -> None:
        """Bind and serve; returns once the server accepts connections."""
        self._http.serve(create_app(self.state))

    def stop(self) -> None:
        """Stop serving and join the thread."""
        self._http.stop()


@contextmanager
def serve(
    host: str = "127.0.0.1", port: int = 0, scenarios_dir: Path | None = None
) -> Iterator[FakeLLMServer]:
    """Run the fake server on a background thread for the duration of the block."""
    server = FakeLLMServer(host, port, scenarios_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def run(host: str = "127.0.0.1", port: int = 8788, scenarios_dir: Path | None = None) -> None:
    """Serve in the foreground until interrupted."""
    app = create_app(FakeLLMState(scenarios_dir or DEFAULT_SCENARIOS_DIR))
    uvicorn.run(app, host=host, port=port, log_level="info", timeout_graceful_shutdown=1)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m testing.fake_llm [--host H] [--port P] [--scenarios DIR]``."""
    parser = argparse.ArgumentParser(
        prog="fake-llm", description="Fake Anthropic/OpenAI server replaying scenarios."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8788)
    parser.add_argument("--scenarios", type=Path, default=None, help="scenario directory")
    args = parser.parse_args(argv)
    run(args.host, args.port, args.scenarios)
    return 0
