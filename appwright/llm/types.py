"""Provider-neutral request and stream-event types for ``LLMProvider``.

The agent builds a ``ChatRequest`` once; each provider translates it to its wire format
and translates the wire stream back into the small ``StreamEvent`` vocabulary below.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal, Protocol

__all__ = [
    "ChatRequest",
    "ImagePart",
    "LLMProvider",
    "Message",
    "Part",
    "Stop",
    "StopReason",
    "StreamEvent",
    "StreamReset",
    "TextDelta",
    "TextPart",
    "ToolCallDelta",
    "ToolCallEnd",
    "ToolCallPart",
    "ToolCallStart",
    "ToolDefinition",
    "ToolResultPart",
    "Usage",
]


# --- request ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextPart:
    """Plain text in a message."""

    text: str


@dataclass(frozen=True, slots=True)
class ImagePart:
    """An image for vision models: base64 data and its media type (``image/png`` ...)."""

    media_type: str
    data_base64: str


@dataclass(frozen=True, slots=True)
class ToolCallPart:
    """A tool call the assistant made earlier in the conversation."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ToolResultPart:
    """The result of a tool call, sent back in a user turn."""

    tool_call_id: str
    content: str
    is_error: bool = False


Part = TextPart | ImagePart | ToolCallPart | ToolResultPart


@dataclass(frozen=True, slots=True)
class Message:
    """One conversation turn. Tool results travel in ``user`` turns, as in Anthropic's API."""

    role: Literal["user", "assistant"]
    parts: tuple[Part, ...]

    @classmethod
    def user(cls, text: str) -> Message:
        """A user turn with only text."""
        return cls("user", (TextPart(text),))

    @classmethod
    def assistant(cls, text: str) -> Message:
        """An assistant turn with only text."""
        return cls("assistant", (TextPart(text),))


@dataclass(frozen=True, slots=True)
class ToolDefinition:
    """A tool offered to a model with native tool calling."""

    name: str
    description: str
    parameters: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """Everything a provider needs for one model call.

    ``system`` is the stable prefix of the system prompt (identity, rules, tool docs):
    providers that support prompt caching mark it cacheable. ``system_volatile`` holds
    what changes every call (date and time, iteration counters) and is never cached.
    """

    model: str
    messages: tuple[Message, ...]
    system: str = ""
    system_volatile: str = ""
    tools: tuple[ToolDefinition, ...] = ()
    max_tokens: int = 8192
    temperature: float | None = None
    stop_sequences: tuple[str, ...] = ()


# --- stream events ---------------------------------------------------------------------

StopReason = Literal["end_turn", "tool_use", "max_tokens", "stop_sequence", "other"]


@dataclass(frozen=True, slots=True)
class TextDelta:
    """A piece of assistant text."""

    text: str


@dataclass(frozen=True, slots=True)
class ToolCallStart:
    """A native tool call began; its arguments follow as ``ToolCallDelta`` fragments."""

    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A fragment of a tool call's JSON arguments, as generated."""

    id: str
    fragment: str


@dataclass(frozen=True, slots=True)
class ToolCallEnd:
    """A complete tool call. ``error`` is set (and ``arguments`` empty) when the model's
    arguments were not a JSON object; the call must then not be executed."""

    id: str
    name: str
    arguments: dict[str, Any]
    raw_arguments: str
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Usage:
    """Token counts of one model call. ``input_tokens`` excludes cached tokens."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0


@dataclass(frozen=True, slots=True)
class Stop:
    """The response ended. ``raw`` is the provider's own reason string."""

    reason: StopReason
    raw: str | None = None


@dataclass(frozen=True, slots=True)
class StreamReset:
    """The provider restarted the response after a stall or transient error: discard the
    partial output received since the last ``StreamReset`` (or the start)."""

    reason: str


StreamEvent = TextDelta | ToolCallStart | ToolCallDelta | ToolCallEnd | Usage | Stop | StreamReset


class LLMProvider(Protocol):
    """A chat model behind some wire format."""

    def stream(self, request: ChatRequest) -> AsyncIterator[StreamEvent]:
        """Stream one response.

        Closing the iterator (``aclose()``, or ``contextlib.aclosing`` around the loop) or
        cancelling the consuming task closes the HTTP stream at once.
        """
        ...
