"""Discovering local and OpenAI-compatible models (the fake server stands in for both)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from appwright.llm import (
    AnthropicProvider,
    ChatRequest,
    Message,
    ModelCatalog,
    OpenAICompatProvider,
    TextDelta,
    create_provider,
)
from appwright.llm.local import list_openai_models, ollama_openai_base_url, probe_ollama
from testing.fake_llm import FakeLLMServer, serve

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def llm() -> Iterator[FakeLLMServer]:
    with serve() as server:
        yield server


async def test_probe_finds_an_ollama_like_server(llm: FakeLLMServer) -> None:
    assert await probe_ollama(llm.url) == ["fake-model"]
    assert ollama_openai_base_url(llm.url + "/") == llm.openai_base_url


async def test_probe_returns_none_when_nothing_answers() -> None:
    # Port 9 (discard) on loopback: nothing listens there on a test machine.
    assert await probe_ollama("http://127.0.0.1:9", http_timeout=0.5) is None


async def test_openai_model_list(llm: FakeLLMServer) -> None:
    assert await list_openai_models(llm.openai_base_url, api_key="k") == ["fake-model"]
    assert await list_openai_models("http://127.0.0.1:9", http_timeout=0.5) == []


async def test_factory_picks_the_wire_format_from_the_catalogue(llm: FakeLLMServer) -> None:
    catalog = ModelCatalog()
    claude = create_provider(catalog.resolve("claude-haiku-4-5"), api_key="k", base_url=llm.url)
    local = create_provider(catalog.resolve("qwen3"), api_key=None, base_url=llm.openai_base_url)
    try:
        assert isinstance(claude, AnthropicProvider)
        assert isinstance(local, OpenAICompatProvider)
        reply = [e async for e in local.stream(ChatRequest("qwen3", (Message.user("hi"),)))]
        assert "".join(e.text for e in reply if isinstance(e, TextDelta)) == "Echo: hi"
    finally:
        await claude.aclose()
        await local.aclose()
    with pytest.raises(ValueError, match="API key"):
        create_provider(catalog.resolve("claude-haiku-4-5"), api_key=None)
