"""The model catalogue: limits, capabilities and prices of the models appwright knows.

Prices are US dollars per million tokens, as providers publish them. The context
builder uses ``context_window``/``max_output`` for its budgets, the agent uses
``supports_tools`` to pick native tool calling or the XML protocol, and usage rows get
their cost from ``cost_usd``. Deployments extend or override the list through
``ModelCatalog.with_models`` (e.g. from settings).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from appwright.llm.types import Usage

__all__ = ["DEFAULT_CATALOG", "GENERIC_LOCAL", "ModelCatalog", "ModelInfo", "cost_usd"]

ProviderKind = Literal["anthropic", "openai"]


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """One model's limits, capabilities and prices (USD per million tokens)."""

    id: str
    provider: ProviderKind
    label: str
    context_window: int
    max_output: int
    supports_tools: bool = True
    supports_vision: bool = False
    input_price: float = 0.0
    output_price: float = 0.0
    cache_read_price: float = 0.0
    cache_write_price: float = 0.0

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ModelInfo:
        """Build from configuration (unknown keys are an error, so typos are noticed)."""
        return cls(**dict(data))


def cost_usd(model: ModelInfo, usage: Usage) -> float:
    """The price of one call. ``usage.input_tokens`` excludes cached tokens."""
    total = (
        usage.input_tokens * model.input_price
        + usage.output_tokens * model.output_price
        + usage.cache_read_tokens * model.cache_read_price
        + usage.cache_write_tokens * model.cache_write_price
    )
    return round(total / 1_000_000, 8)


def _claude(id_: str, label: str, price_in: float, price_out: float, max_output: int) -> ModelInfo:
    # Anthropic bills cache reads at 0.1x and 5-minute cache writes at 1.25x the input price.
    return ModelInfo(
        id_,
        "anthropic",
        label,
        context_window=200_000,
        max_output=max_output,
        supports_vision=True,
        input_price=price_in,
        output_price=price_out,
        cache_read_price=round(price_in * 0.1, 4),
        cache_write_price=round(price_in * 1.25, 4),
    )


def _gpt(
    id_: str,
    label: str,
    window: int,
    max_output: int,
    price_in: float,
    price_out: float,
    cached: float,
) -> ModelInfo:
    # OpenAI caches prompts automatically: no write surcharge, reads at a discount.
    return ModelInfo(
        id_,
        "openai",
        label,
        context_window=window,
        max_output=max_output,
        supports_vision=True,
        input_price=price_in,
        output_price=price_out,
        cache_read_price=cached,
        cache_write_price=0.0,
    )


GENERIC_LOCAL = ModelInfo(
    "local",
    "openai",
    "Local model (Ollama, LM Studio, vLLM)",
    context_window=32_768,
    max_output=4_096,
    # Many local models call tools poorly; the XML protocol works with any of them.
    supports_tools=False,
)

DEFAULT_CATALOG: tuple[ModelInfo, ...] = (
    _claude("claude-sonnet-4-5", "Claude Sonnet 4.5", 3.0, 15.0, 64_000),
    _claude("claude-sonnet-4-0", "Claude Sonnet 4", 3.0, 15.0, 64_000),
    _claude("claude-haiku-4-5", "Claude Haiku 4.5", 1.0, 5.0, 64_000),
    _claude("claude-3-5-haiku-latest", "Claude Haiku 3.5", 0.8, 4.0, 8_192),
    _claude("claude-opus-4-5", "Claude Opus 4.5", 5.0, 25.0, 64_000),
    _claude("claude-opus-4-1", "Claude Opus 4.1", 15.0, 75.0, 32_000),
    _gpt("gpt-4o", "GPT-4o", 128_000, 16_384, 2.5, 10.0, 1.25),
    _gpt("gpt-4o-mini", "GPT-4o mini", 128_000, 16_384, 0.15, 0.6, 0.075),
    _gpt("gpt-4.1", "GPT-4.1", 1_047_576, 32_768, 2.0, 8.0, 0.5),
    _gpt("gpt-4.1-mini", "GPT-4.1 mini", 1_047_576, 32_768, 0.4, 1.6, 0.1),
    _gpt("gpt-4.1-nano", "GPT-4.1 nano", 1_047_576, 32_768, 0.1, 0.4, 0.025),
    GENERIC_LOCAL,
)


class ModelCatalog:
    """Looks models up by id; unknown ids fall back to the generic local entry."""

    def __init__(self, models: Iterable[ModelInfo] = DEFAULT_CATALOG) -> None:
        self._models = {model.id: model for model in models}

    def __iter__(self) -> Iterator[ModelInfo]:
        return iter(self._models.values())

    def __contains__(self, model_id: object) -> bool:
        return model_id in self._models

    def get(self, model_id: str) -> ModelInfo | None:
        """The entry for ``model_id``, or None."""
        return self._models.get(model_id)

    def resolve(self, model_id: str) -> ModelInfo:
        """The entry for ``model_id``; an unknown model (a local one, say) gets the generic
        local limits under its own id and a zero price."""
        found = self._models.get(model_id)
        return found if found is not None else replace(GENERIC_LOCAL, id=model_id, label=model_id)

    def with_models(self, models: Iterable[ModelInfo]) -> ModelCatalog:
        """A catalogue where ``models`` add to or replace entries with the same id."""
        merged = dict(self._models)
        merged.update({model.id: model for model in models})
        return ModelCatalog(merged.values())

    def cost(self, model_id: str, usage: Usage) -> float:
        """USD cost of ``usage`` on ``model_id`` (0 for unknown models)."""
        return cost_usd(self.resolve(model_id), usage)
