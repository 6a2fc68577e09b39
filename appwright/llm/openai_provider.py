"""``LLMProvider`` over the official ``openai`` SDK for every OpenAI-compatible endpoint.

OpenAI itself, OpenRouter, Ollama, vLLM and LM Studio differ only in ``base_url`` (and a
few quirks handled here): Chat Completions with streaming, native tools when the model
has them (``ChatRequest.tools`` empty means the caller uses the XML protocol instead).
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

import anyio
import httpx2
import openai
from openai.types.chat import ChatCompletionChunk

from appwright.llm.errors import (
    LLMError,
    error_detail,
    from_status,
)
from appwright.llm.resilience import RetryPolicy, resilient_stream
from appwright.llm.tool_args import parse_tool_arguments
from appwright.llm.types import (
    ChatRequest,
    ImagePart,
    Message,
    Stop,
    StopReason,
    StreamEvent,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    ToolResultPart,
    Usage,
)

__all__ = ["OpenAICompatProvider", "classify_openai_error"]

_STOP_REASONS: Mapping[str, StopReason] = {
    "stop": "end_turn",
    "tool_calls": "tool_use",
    "function_call": "tool_use",
    "length": "max_tokens",
}


class OpenAICompatProvider:
    """Any Chat Completions endpoint; ``base_url=None`` means OpenAI itself."""

    name = "openai"

    def __init__(
        self,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        policy: RetryPolicy | None = None,
        include_usage: bool = True,
        max_tokens_param: Literal["max_tokens", "max_completion_tokens"] | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self._policy = policy or RetryPolicy()
        self._include_usage = include_usage
        # OpenAI's newer models only accept max_completion_tokens; most compatible
        # servers (Ollama, vLLM, LM Studio) only know max_tokens.
        official = base_url is None or "api.openai.com" in base_url
        self._max_tokens_param = max_tokens_param or (
            "max_completion_tokens" if official else "max_tokens"
        )
        self._client = openai.AsyncOpenAI(
            # Local servers need no key, but the SDK insists on one.
            api_key=api_key or "not-needed",
            base_url=base_url,
            max_retries=0,  # retries are ours (resilience.py), with stall handling
            timeout=self._policy.request_timeout,
            default_headers=dict(default_headers or {}),
        )

    async def aclose(self) -> None:
        """Release the HTTP connection pool."""
        await self._client.close()

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Stream one response; see ``LLMProvider``."""
        return resilient_stream(
            lambda: self._attempt(request),
            classify_openai_error,
            self._policy,
            provider="OpenAI-compatible",
        )

    def build_params(self, request: ChatRequest) -> dict[str, Any]:
        """The Chat Completions parameters for ``request`` (without ``stream``)."""
        params: dict[str, Any] = {
            "model": request.model,
            "messages": _messages(request),
            self._max_tokens_param: request.max_tokens,
        }
        if self._include_usage:
            params["stream_options"] = {"include_usage": True}
        if request.tools:
            params["tools"] = [
                {
                    "type": "function",
                    "function": {
                        "name": t.name,
                        "description": t.description,
                        "parameters": t.parameters,
                    },
                }
                for t in request.tools
            ]
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if request.stop_sequences:
            params["stop"] = list(request.stop_sequences)
        return params

    async def _attempt(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        params = self.build_params(request)
        sdk_stream = cast(
            "openai.AsyncStream[ChatCompletionChunk]",
            await self._client.chat.completions.create(stream=True, **params),
        )
        try:
            async for event in _translate(sdk_stream):
                yield event
        finally:
            with anyio.move_on_after(self._policy.close_timeout, shield=True):
                await sdk_stream.close()


@dataclass(slots=True)
class _PendingCall:
    id: str
    name: str
    parts: list[str] = field(default_factory=list)


async def _translate(
    chunks: AsyncIterator[ChatCompletionChunk],
) -> AsyncGenerator[StreamEvent, None]:
    usage: Usage | None = None
    finish: str | None = None
    calls: dict[int, _PendingCall] = {}
    ended = 0

    def finish_calls(below: int | None) -> list[ToolCallEnd]:
        # Calls stream one after another, so a new index means the earlier ones are
        # complete: ending them now lets the agent run them while the rest streams.
        done = []
        for index in sorted(i for i in calls if below is None or i < below):
            pending = calls.pop(index)
            raw = "".join(pending.parts)
            arguments, error = parse_tool_arguments(raw)
            done.append(ToolCallEnd(pending.id, pending.name, arguments, raw, error))
        return done

    async for chunk in chunks:
        if chunk.usage is not None:
            u = chunk.usage
            details = u.prompt_tokens_details
            cached = (details.cached_tokens or 0) if details is not None else 0
            # prompt_tokens includes the cached ones; our Usage counts them apart.
            usage = Usage(
                input_tokens=max(0, u.prompt_tokens - cached),
                output_tokens=u.completion_tokens,
                cache_read_tokens=cached,
            )
        for choice in chunk.choices[:1]:
            delta = choice.delta
            if delta.content:
                yield TextDelta(delta.content)
            for tc in delta.tool_calls or ():
                pending = calls.get(tc.index)
                fn = tc.function
                if pending is None:
                    for end in finish_calls(below=tc.index):
                        ended += 1
                        yield end
                    pending = _PendingCall(
                        tc.id or f"call_{tc.index}", (fn.name if fn else "") or ""
                    )
                    calls[tc.index] = pending
                    yield ToolCallStart(pending.id, pending.name)
                if fn is not None and fn.arguments:
                    pending.parts.append(fn.arguments)
                    yield ToolCallDelta(pending.id, fn.arguments)
            if choice.finish_reason is not None:
                finish = choice.finish_reason
    if finish is None:
        # No finish_reason at all: the body was cut off (a proxy or the server dropped
        # the stream), not a finished answer.
        raise LLMError("The model stream ended before the response was complete.", retryable=True)
    for end in finish_calls(below=None):
        ended += 1
        yield end
    if usage is not None:
        yield usage
    reason: StopReason = _STOP_REASONS.get(finish or "", "other")
    if ended and reason == "end_turn":
        reason = "tool_use"  # Ollama reports "stop" even after tool calls
    yield Stop(reason, finish)


def _messages(request: ChatRequest) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    system = "\n\n".join(s for s in (request.system, request.system_volatile) if s)
    if system:
        # One system message first: some local chat templates reject any other position.
        out.append({"role": "system", "content": system})
    for message in request.messages:
        out.extend(_convert(message))
    return out


def _convert(message: Message) -> list[dict[str, Any]]:
    if message.role == "assistant":
        text = "".join(p.text for p in message.parts if isinstance(p, TextPart))
        entry: dict[str, Any] = {"role": "assistant", "content": text or None}
        calls = [p for p in message.parts if isinstance(p, ToolCallPart)]
        if calls:
            entry["tool_calls"] = [
                {
                    "id": c.id,
                    "type": "function",
                    "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
                }
                for c in calls
            ]
        return [entry]
    # Tool results become "tool" messages, which must directly follow the assistant turn.
    out: list[dict[str, Any]] = [
        {"role": "tool", "tool_call_id": p.tool_call_id, "content": p.content}
        for p in message.parts
        if isinstance(p, ToolResultPart)
    ]
    content: list[dict[str, Any]] = []
    for part in message.parts:
        if isinstance(part, TextPart):
            content.append({"type": "text", "text": part.text})
        elif isinstance(part, ImagePart):
            url = f"data:{part.media_type};base64,{part.data_base64}"
            content.append({"type": "image_url", "image_url": {"url": url}})
    if content:
        if all(c["type"] == "text" for c in content):
            # Plain strings work with every compatible server; content arrays do not.
            out.append({"role": "user", "content": "\n\n".join(c["text"] for c in content)})
        else:
            out.append({"role": "user", "content": content})
    return out


def classify_openai_error(exc: BaseException) -> LLMError:
    """Map an SDK or transport exception to a typed ``LLMError``."""
    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        detail = error_detail(exc.body) or str(exc)
        found = from_status("The model endpoint", status, detail, exc.response.headers)
        return found or LLMError(f"Model endpoint error {status}: {detail}", status_code=status)
    if isinstance(exc, openai.APIError) and not isinstance(exc, openai.APIConnectionError):
        # An error object inside an open stream: usually an upstream hiccup (OpenRouter).
        return LLMError(f"Model stream error: {exc}", retryable=True)
    if isinstance(exc, openai.APIConnectionError | httpx2.TransportError):
        return LLMError(f"Could not reach the model endpoint: {exc}", retryable=True)
    return LLMError(f"Model call failed: {type(exc).__name__}: {exc}")
