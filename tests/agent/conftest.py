"""Agent tests: the real app over HTTP, the real SDK clients against the fake LLM server,
for both wire formats (Anthropic, OpenAI) and both tool protocols (native, XML).

They run on SQLite only: the database is not what they exercise (tests/chat runs the
chat API on both databases).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from appwright.core.config import Settings
from appwright.migrations import upgrade_sync
from testing.fake_llm import FakeLLMServer, serve
from tests.chat.sse import llm_settings

WIRES = [("anthropic", "native"), ("anthropic", "xml"), ("openai", "native"), ("openai", "xml")]


@pytest.fixture(scope="session")
def fake_llm() -> Iterator[FakeLLMServer]:
    with serve() as server:
        yield server


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('agent-db') / 'appwright.db'}"
    upgrade_sync(url)
    return url


@pytest.fixture(params=WIRES, ids=[f"{p}-{t}" for p, t in WIRES])
def wire(request: pytest.FixtureRequest) -> tuple[str, str]:
    value: tuple[str, str] = request.param
    return value


@pytest.fixture
def settings(
    database_url: str, tmp_path: Path, fake_llm: FakeLLMServer, wire: tuple[str, str]
) -> Settings:
    return llm_settings(
        database_url, tmp_path / "data", fake_llm.url, provider=wire[0], protocol=wire[1]
    )
