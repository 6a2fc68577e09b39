"""Building the right provider for a catalogue entry."""

from __future__ import annotations

from appwright.llm.anthropic_provider import AnthropicProvider
from appwright.llm.catalog import ModelInfo
from appwright.llm.openai_provider import OpenAICompatProvider
from appwright.llm.resilience import RetryPolicy

__all__ = ["create_provider"]


def create_provider(
    model: ModelInfo,
    *,
    api_key: str | None,
    base_url: str | None = None,
    policy: RetryPolicy | None = None,
) -> AnthropicProvider | OpenAICompatProvider:
    """The provider that speaks ``model``'s wire format. Keys come from the caller
    (server settings or the user's encrypted settings) and are never logged."""
    if model.provider == "anthropic":
        if not api_key:
            raise ValueError("an Anthropic model needs an API key")
        return AnthropicProvider(api_key=api_key, base_url=base_url, policy=policy)
    return OpenAICompatProvider(api_key=api_key, base_url=base_url, policy=policy)
