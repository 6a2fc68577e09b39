"""``LLMProvider`` over the official ``anthropic`` SDK (Messages API, streaming, native tools).

The stable system prefix carries a ``cache_control`` breakpoint (caching tools + system),
and the newest message carries a second one so an agent loop re-reads its own history
from the cache on every iteration.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from typing import Any, cast

import anthropic
import anyio
import httpx2
from anthropic.types import (
    RawContentBlockDeltaEvent,
    RawContentBlockStartEvent,
    RawContentBlockStopEvent,
    RawMessageDeltaEvent,
    RawMessageStartEvent,
    RawMessageStreamEvent,
)

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

__all__ = ["AnthropicProvider", "classify_anthropic_error"]

_EPHEMERAL = {"type": "ephemeral"}
_STOP_REASONS: Mapping[str, StopReason] = {
    "end_turn": "end_turn",
    "tool_use": "tool_use",
    "max_tokens": "max_tokens",
    "stop_sequence": "stop_sequence",
}
# Error types Anthropic sends inside an already-open stream (HTTP 200) that mean "try again".
_RETRYABLE_STREAM_ERRORS = frozenset({"overloaded_error", "api_error", "rate_limit_error"})


class AnthropicProvider:
    """Claude models through the Messages API."""

    name = "anthropic"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
    ) -> None:
        self._policy = policy or RetryPolicy()
        self._client = anthropic.AsyncAnthropic(
            api_key=api_key,
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
            classify_anthropic_error,
            self._policy,
            provider="Anthropic",
        )

    def build_params(self, request: ChatRequest) -> dict[str, Any]:
        """The Messages API parameters for ``request`` (without ``stream``)."""
        params: dict[str, Any] = {
            "model": request.model,
            "max_tokens": request.max_tokens,
            "messages": _messages(request.messages),
        }
        system: list[dict[str, Any]] = []
        if request.system:
            system.append({"type": "text", "text": request.system, "cache_control": _EPHEMERAL})
        if request.system_volatile:
            system.append({"type": "text", "text": request.system_volatile})
        if system:
            params["system"] = system
        if request.tools:
            params["tools"] = [
                {"name": t.name, "description": t.description, "input_schema": t.parameters}
                for t in request.tools
            ]
        if request.temperature is not None:
            params["temperature"] = request.temperature
        if request.stop_sequences:
            params["stop_sequences"] = list(request.stop_sequences)
        return params

    async def _attempt(self, request: ChatRequest) -> AsyncGenerator[StreamEvent, None]:
        params = self.build_params(request)
        sdk_stream = cast(
            "anthropic.AsyncStream[RawMessageStreamEvent]",
            await self._client.messages.create(stream=True, **params),
        )
        try:
            async for event in _translate(sdk_stream):
                yield event
        finally:
            with anyio.move_on_after(self._policy.close_timeout, shield=True):
                await sdk_stream.close()


async def _translate(
    sdk_stream: AsyncIterator[RawMessageStreamEvent],
) -> AsyncGenerator[StreamEvent, None]:
    usage = Usage()
    stop: str | None = None
    tools: dict[int, tuple[str, str, list[str]]] = {}
    async for event in sdk_stream:
        if isinstance(event, RawMessageStartEvent):
            u = event.message.usage
            usage = Usage(
                input_tokens=u.input_tokens,
                output_tokens=u.output_tokens,
                cache_read_tokens=u.cache_read_input_tokens or 0,
                cache_write_tokens=u.cache_creation_input_tokens or 0,
            )
        elif isinstance(event, RawContentBlockStartEvent):
            block = event.content_block
            if block.type == "tool_use":
                tools[event.index] = (block.id, block.name, [])
                yield ToolCallStart(block.id, block.name)
            elif block.type == "text" and block.text:
                yield TextDelta(block.text)
        elif isinstance(event, RawContentBlockDeltaEvent):
            delta = event.delta
            if delta.type == "text_delta":
                yield TextDelta(delta.text)
            elif delta.type == "input_json_delta" and event.index in tools:
                call_id, _, parts = tools[event.index]
                parts.append(delta.partial_json)
                yield ToolCallDelta(call_id, delta.partial_json)
        elif isinstance(event, RawContentBlockStopEvent):
            if event.index in tools:
                call_id, name, parts = tools.pop(event.index)
                raw = "".join(parts)
                arguments, error = parse_tool_arguments(raw)
                yield ToolCallEnd(call_id, name, arguments, raw, error)
        elif isinstance(event, RawMessageDeltaEvent):
            stop = event.delta.stop_reason or stop
            d = event.usage
            # message_delta usage is cumulative; fields it omits keep their start values.
            usage = Usage(
                input_tokens=usage.input_tokens if d.input_tokens is None else d.input_tokens,
                output_tokens=d.output_tokens,
                cache_read_tokens=usage.cache_read_tokens
                if d.cache_read_input_tokens is None
                else d.cache_read_input_tokens,
                cache_write_tokens=usage.cache_write_tokens
                if d.cache_creation_input_tokens is None
                else d.cache_creation_input_tokens,
            )
        elif event.type == "message_stop":
            yield usage
            yield Stop(_STOP_REASONS.get(stop or "", "other"), stop)
            return
    # The body ended without message_stop: the connection dropped mid-response.
    raise LLMError("The Anthropic stream ended before the message was complete.", retryable=True)


def _messages(messages: tuple[Message, ...]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in messages:
        # The API rejects empty text blocks; an empty part carries nothing anyway.
        blocks = [
            _block(part)
            for part in message.parts
            if not (isinstance(part, TextPart) and not part.text)
        ]
        if blocks:
            out.append({"role": message.role, "content": blocks})
    if out:
        # Second cache breakpoint on the newest block: the conversation so far is reused
        # by the next call of the same agent loop.
        out[-1]["content"][-1]["cache_control"] = _EPHEMERAL
    return out


def _block(part: TextPart | ImagePart | ToolCallPart | ToolResultPart) -> dict[str, Any]:
    if isinstance(part, TextPart):
        return {"type": "text", "text": part.text}
    if isinstance(part, ImagePart):
        return {
            "type": "image",
            "source": {"type": "base64", "media_type": part.media_type, "data": part.data_base64},
        }
    if isinstance(part, ToolCallPart):
        return {"type": "tool_use", "id": part.id, "name": part.name, "input": part.arguments}
    return {
        "type": "tool_result",
        "tool_use_id": part.tool_call_id,
        "content": part.content,
        "is_error": part.is_error,
    }


def classify_anthropic_error(exc: BaseException) -> LLMError:
    """Map an SDK or transport exception to a typed ``LLMError``."""
    if isinstance(exc, LLMError):
        return exc
    if isinstance(exc, anthropic.APIStatusError):
        status = exc.status_code
        detail = error_detail(exc.body) or str(exc)
        if status == 200:  # an error event inside the stream
            kind = _error_type(exc.body)
            return LLMError(
                f"Anthropic stream error ({kind}): {detail}",
                retryable=kind in _RETRYABLE_STREAM_ERRORS,
            )
        found = from_status("Anthropic", status, detail, exc.response.headers)
        return found or LLMError(f"Anthropic error {status}: {detail}", status_code=status)
    if isinstance(exc, anthropic.APIConnectionError | httpx2.TransportError):
        return LLMError(f"Could not reach Anthropic: {exc}", retryable=True)
    return LLMError(f"Anthropic call failed: {type(exc).__name__}: {exc}")


def _error_type(body: object) -> str:
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("type", "error"))
    return "error"
