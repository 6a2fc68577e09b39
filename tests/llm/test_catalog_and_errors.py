"""Model catalogue, cost, Retry-After parsing and error classification."""

from __future__ import annotations

import email.utils

import anthropic
import httpx2
import openai
import pytest

from appwright.llm import (
    DEFAULT_CATALOG,
    LLMAuthError,
    LLMRateLimited,
    LLMRequestError,
    ModelCatalog,
    ModelInfo,
    RetryPolicy,
    Usage,
    cost_usd,
)
from appwright.llm.anthropic_provider import classify_anthropic_error
from appwright.llm.errors import parse_retry_after
from appwright.llm.openai_provider import classify_openai_error
from appwright.llm.tool_args import parse_tool_arguments


def test_default_catalogue_covers_the_expected_families() -> None:
    ids = {m.id for m in DEFAULT_CATALOG}
    assert {"claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-4-1"} <= ids
    assert {"gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "local"} <= ids
    for model in DEFAULT_CATALOG:
        assert model.max_output < model.context_window


def test_cost_counts_every_token_kind() -> None:
    sonnet = ModelCatalog().resolve("claude-sonnet-4-5")
    usage = Usage(
        input_tokens=1_000_000,
        output_tokens=100_000,
        cache_read_tokens=1_000_000,
        cache_write_tokens=1_000_000,
    )
    # 3 + 1.5 + 0.30 + 3.75 dollars
    assert cost_usd(sonnet, usage) == pytest.approx(8.55)


def test_unknown_models_resolve_to_free_local_limits_and_overrides_apply() -> None:
    catalog = ModelCatalog()
    local = catalog.resolve("qwen2.5-coder:7b")
    assert local.id == "qwen2.5-coder:7b"
    assert not local.supports_tools
    assert catalog.cost("qwen2.5-coder:7b", Usage(1000, 1000)) == 0
    custom = ModelInfo.from_dict(
        {
            "id": "qwen2.5-coder:7b",
            "provider": "openai",
            "label": "Qwen",
            "context_window": 131072,
            "max_output": 8192,
        }
    )
    extended = catalog.with_models([custom])
    assert extended.resolve("qwen2.5-coder:7b").context_window == 131072
    assert "gpt-4o" in extended


def test_retry_after_forms() -> None:
    assert parse_retry_after({"Retry-After": "3"}) == 3
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    when = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after({"retry-after": when}, now=1_000_000) == pytest.approx(30)
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


def test_backoff_grows_and_is_capped() -> None:
    policy = RetryPolicy(base_delay=1, max_delay=4)
    assert 0.8 <= policy.backoff(1) <= 1.2
    assert 1.6 <= policy.backoff(2) <= 2.4
    assert policy.backoff(10) <= 4 * 1.2


def _response(status: int, headers: dict[str, str] | None = None) -> httpx2.Response:
    return httpx2.Response(
        status, headers=headers or {}, request=httpx2.Request("POST", "http://llm.test/")
    )


def test_anthropic_errors_are_typed() -> None:
    limited = classify_anthropic_error(
        anthropic.RateLimitError(
            "slow down", response=_response(429, {"retry-after": "2"}), body=None
        )
    )
    assert isinstance(limited, LLMRateLimited)
    assert limited.retry_after == 2
    auth = classify_anthropic_error(
        anthropic.AuthenticationError("no", response=_response(401), body=None)
    )
    assert isinstance(auth, LLMAuthError)
    assert not auth.retryable
    bad = classify_anthropic_error(
        anthropic.BadRequestError(
            "bad",
            response=_response(400),
            body={"error": {"type": "invalid_request_error", "message": "prompt is too long"}},
        )
    )
    assert isinstance(bad, LLMRequestError)
    assert "prompt is too long" in str(bad)
    overloaded = classify_anthropic_error(
        anthropic.APIStatusError(
            "x",
            response=_response(200),
            body={"type": "error", "error": {"type": "overloaded_error", "message": "busy"}},
        )
    )
    assert overloaded.retryable
    dropped = classify_anthropic_error(httpx2.RemoteProtocolError("peer closed"))
    assert dropped.retryable


def test_openai_errors_are_typed() -> None:
    limited = classify_openai_error(
        openai.RateLimitError(
            "slow", response=_response(429, {"retry-after-ms": "1500"}), body=None
        )
    )
    assert isinstance(limited, LLMRateLimited)
    assert limited.retry_after == 1.5
    server = classify_openai_error(
        openai.InternalServerError("boom", response=_response(502), body=None)
    )
    assert server.retryable
    assert server.status_code == 502
    assert isinstance(
        classify_openai_error(
            openai.PermissionDeniedError("no", response=_response(403), body=None)
        ),
        LLMAuthError,
    )


def test_tool_arguments_parse() -> None:
    assert parse_tool_arguments("") == ({}, None)
    assert parse_tool_arguments('{"a": 1}') == ({"a": 1}, None)
    args, error = parse_tool_arguments('{"a": ')
    assert args == {}
    assert error is not None
    assert parse_tool_arguments("[1]")[1] == "The tool call's arguments must be a JSON object."
