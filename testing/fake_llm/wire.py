"""Anthropic Messages and OpenAI Chat Completions wire formats for the fake LLM server.

Each ``*_stream`` generator yields ``Frame``s: an SSE payload and whether it carries
generated content (the server paces and stalls on those). The shapes follow the
providers' documented streaming events closely enough for the official SDKs to parse.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from testing.fake_llm.scenarios import ToolCall, Turn

__all__ = [
    "Frame",
    "Prompt",
    "anthropic_error",
    "anthropic_message",
    "anthropic_prompt",
    "anthropic_stream",
    "openai_completion",
    "openai_error",
    "openai_prompt",
    "openai_stream",
]


@dataclass(frozen=True, slots=True)
class Frame:
    """One SSE event to send; ``content`` marks a delta of generated text or arguments."""

    data: str
    content: bool = False
    final: bool = False  # carries the stop reason: everything generated was sent before it


@dataclass(frozen=True, slots=True)
class Prompt:
    """What the fake model needs from a request, whichever wire format it came in."""

    model: str
    stream: bool
    include_usage: bool
    user_texts: tuple[str, ...]  # user-written text of each user turn, oldest first
    assistant_turns: int
    # For each entry of ``user_texts``: how many assistant messages follow that message.
    replies_after: tuple[int, ...]
    latest_result: str  # text of the tool results / user content after the last reply
    cached_prefix: str  # the system text marked cacheable (Anthropic), else ""
    input_tokens: int


def _replies_after(messages: list[Any], assistant: list[int]) -> tuple[int, ...]:
    """For each user message (in order): how many assistant messages come after it."""
    users = [i for i, m in enumerate(messages) if m.get("role") == "user"]
    return tuple(sum(1 for a in assistant if a > u) for u in users)


def _chunks(text: str, size: int) -> Iterator[str]:
    for i in range(0, len(text), size):
        yield text[i : i + size]


def _args_json(call: ToolCall, bad: bool) -> str:
    raw = json.dumps(call.arguments)
    # Cut mid-object: what a model emits when it loses track of its JSON.
    return raw[: max(1, len(raw) - 2)] + ' "oops' if bad else raw


def _sse(event: str | None, payload: dict[str, Any]) -> str:
    data = json.dumps(payload)
    return f"event: {event}\ndata: {data}\n\n" if event else f"data: {data}\n\n"


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(
            _text_of(b.get("text") or b.get("content")) for b in content if isinstance(b, dict)
        )
    return ""


# --- Anthropic ------------------------------------------------------------------------


def anthropic_prompt(body: dict[str, Any]) -> Prompt:
    """Read an Anthropic Messages request."""
    messages = body.get("messages") or []
    user_texts: list[str] = []
    for m in messages:
        if m.get("role") != "user":
            continue
        content = m.get("content")
        blocks = content if isinstance(content, list) else [{"type": "text", "text": content}]
        user_texts.append(
            "\n".join(str(b.get("text", "")) for b in blocks if b.get("type") == "text")
        )
    assistant = [i for i, m in enumerate(messages) if m.get("role") == "assistant"]
    after = messages[assistant[-1] + 1 :] if assistant else []
    replies_after = _replies_after(messages, assistant)
    system = body.get("system") or ""
    cached = ""
    if isinstance(system, list):
        cached = "".join(b.get("text", "") for b in system if b.get("cache_control"))
    return Prompt(
        model=str(body.get("model", "fake")),
        stream=bool(body.get("stream")),
        include_usage=True,
        user_texts=tuple(user_texts),
        assistant_turns=len(assistant),
        replies_after=replies_after,
        latest_result="\n".join(_text_of(m.get("content")) for m in after),
        cached_prefix=cached,
        input_tokens=max(1, len(json.dumps(body)) // 4),
    )


def _anthropic_usage(turn: Turn, prompt: Prompt, cache: tuple[int, int]) -> dict[str, int]:
    read, write = cache
    output = max(
        1, (len(turn.text) + sum(len(json.dumps(c.arguments)) for c in turn.tool_calls)) // 4
    )
    return {
        "input_tokens": turn.usage.get("input_tokens", max(1, prompt.input_tokens - read - write)),
        "output_tokens": turn.usage.get("output_tokens", output),
        "cache_read_input_tokens": turn.usage.get("cache_read_tokens", read),
        "cache_creation_input_tokens": turn.usage.get("cache_write_tokens", write),
    }


def _tool_id(call: ToolCall, prefix: str) -> str:
    return call.id or f"{prefix}{uuid.uuid4().hex[:20]}"


def anthropic_stream(
    turn: Turn, prompt: Prompt, cache: tuple[int, int], bad_json: bool
) -> Iterator[Frame]:
    """The SSE events of one streamed Messages response."""
    usage = _anthropic_usage(turn, prompt, cache)
    start_usage = dict(usage, output_tokens=1)
    message: dict[str, Any] = {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": prompt.model,
        "content": [],
        "stop_reason": None,
        "stop_sequence": None,
        "usage": start_usage,
    }
    yield Frame(_sse("message_start", {"type": "message_start", "message": message}))
    yield Frame(_sse("ping", {"type": "ping"}))
    index = 0
    if turn.text:
        block: dict[str, Any] = {"type": "text", "text": ""}
        yield Frame(
            _sse(
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": block},
            )
        )
        for piece in _chunks(turn.text, turn.chunk_size):
            delta = {"type": "text_delta", "text": piece}
            yield Frame(
                _sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": 0, "delta": delta},
                ),
                True,
            )
        yield Frame(_sse("content_block_stop", {"type": "content_block_stop", "index": 0}))
        index = 1
    for call in turn.tool_calls:
        block = {
            "type": "tool_use",
            "id": _tool_id(call, "toolu_"),
            "name": call.name,
            "input": {},
        }
        yield Frame(
            _sse(
                "content_block_start",
                {"type": "content_block_start", "index": index, "content_block": block},
            )
        )
        for piece in _chunks(_args_json(call, bad_json), turn.chunk_size):
            delta = {"type": "input_json_delta", "partial_json": piece}
            yield Frame(
                _sse(
                    "content_block_delta",
                    {"type": "content_block_delta", "index": index, "delta": delta},
                ),
                True,
            )
        yield Frame(_sse("content_block_stop", {"type": "content_block_stop", "index": index}))
        index += 1
    stop = turn.stop_reason or ("tool_use" if turn.tool_calls else "end_turn")
    yield Frame(
        _sse(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": stop, "stop_sequence": None},
                "usage": {"output_tokens": usage["output_tokens"]},
            },
        ),
        final=True,
    )
    yield Frame(_sse("message_stop", {"type": "message_stop"}))


def anthropic_message(turn: Turn, prompt: Prompt, cache: tuple[int, int]) -> dict[str, Any]:
    """A non-streamed Messages response."""
    content: list[dict[str, Any]] = [{"type": "text", "text": turn.text}] if turn.text else []
    content += [
        {"type": "tool_use", "id": _tool_id(c, "toolu_"), "name": c.name, "input": c.arguments}
        for c in turn.tool_calls
    ]
    return {
        "id": f"msg_{uuid.uuid4().hex[:24]}",
        "type": "message",
        "role": "assistant",
        "model": prompt.model,
        "content": content,
        "stop_reason": turn.stop_reason or ("tool_use" if turn.tool_calls else "end_turn"),
        "stop_sequence": None,
        "usage": _anthropic_usage(turn, prompt, cache),
    }


def anthropic_error(status: int, message: str) -> dict[str, Any]:
    """An Anthropic error body."""
    kind = {401: "authentication_error", 429: "rate_limit_error", 529: "overloaded_error"}.get(
        status, "api_error"
    )
    return {"type": "error", "error": {"type": kind, "message": message}}


# --- OpenAI ---------------------------------------------------------------------------


def openai_prompt(body: dict[str, Any]) -> Prompt:
    """Read an OpenAI Chat Completions request."""
    messages = body.get("messages") or []
    user_texts = [_text_of(m.get("content")) for m in messages if m.get("role") == "user"]
    assistant = [i for i, m in enumerate(messages) if m.get("role") == "assistant"]
    after = messages[assistant[-1] + 1 :] if assistant else []
    replies_after = _replies_after(messages, assistant)
    options = body.get("stream_options") or {}
    return Prompt(
        model=str(body.get("model", "fake")),
        stream=bool(body.get("stream")),
        include_usage=bool(options.get("include_usage")),
        user_texts=tuple(user_texts),
        assistant_turns=len(assistant),
        replies_after=replies_after,
        latest_result="\n".join(_text_of(m.get("content")) for m in after),
        cached_prefix="",
        input_tokens=max(1, len(json.dumps(body)) // 4),
    )


def _openai_usage(turn: Turn, prompt: Prompt) -> dict[str, Any]:
    output = max(
        1, (len(turn.text) + sum(len(json.dumps(c.arguments)) for c in turn.tool_calls)) // 4
    )
    cached = turn.usage.get("cache_read_tokens", 0)
    prompt_tokens = turn.usage.get("input_tokens", prompt.input_tokens) + cached
    completion = turn.usage.get("output_tokens", output)
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion,
        "total_tokens": prompt_tokens + completion,
        "prompt_tokens_details": {"cached_tokens": cached},
    }


def openai_stream(turn: Turn, prompt: Prompt, bad_json: bool) -> Iterator[Frame]:
    """The SSE chunks of one streamed Chat Completions response."""
    base = {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": prompt.model,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> str:
        choice = {"index": 0, "delta": delta, "finish_reason": finish, "logprobs": None}
        return _sse(None, {**base, "choices": [choice]})

    yield Frame(chunk({"role": "assistant", "content": ""}))
    for piece in _chunks(turn.text, turn.chunk_size):
        yield Frame(chunk({"content": piece}), True)
    for i, call in enumerate(turn.tool_calls):
        head = {
            "index": i,
            "id": _tool_id(call, "call_"),
            "type": "function",
            "function": {"name": call.name, "arguments": ""},
        }
        yield Frame(chunk({"tool_calls": [head]}))
        for piece in _chunks(_args_json(call, bad_json), turn.chunk_size):
            yield Frame(
                chunk({"tool_calls": [{"index": i, "function": {"arguments": piece}}]}), True
            )
    finish = turn.stop_reason or ("tool_calls" if turn.tool_calls else "stop")
    yield Frame(chunk({}, finish), final=True)
    if prompt.include_usage:
        yield Frame(_sse(None, {**base, "choices": [], "usage": _openai_usage(turn, prompt)}))
    yield Frame("data: [DONE]\n\n")


def openai_completion(turn: Turn, prompt: Prompt) -> dict[str, Any]:
    """A non-streamed Chat Completions response."""
    message: dict[str, Any] = {"role": "assistant", "content": turn.text or None}
    if turn.tool_calls:
        message["tool_calls"] = [
            {
                "id": _tool_id(c, "call_"),
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(c.arguments)},
            }
            for c in turn.tool_calls
        ]
    finish = turn.stop_reason or ("tool_calls" if turn.tool_calls else "stop")
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": prompt.model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": _openai_usage(turn, prompt),
    }


def openai_error(status: int, message: str) -> dict[str, Any]:
    """An OpenAI error body."""
    kind = {401: "invalid_api_key", 429: "rate_limit_exceeded"}.get(status, "server_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": kind}}
