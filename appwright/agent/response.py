"""Reading one model response: text for the chat, tool calls as soon as they are complete.

``ResponseReader.feed`` takes the provider's stream events (native tool calls, or text
carrying the XML protocol) and returns the UI events to relay plus the calls that just
became complete. A ``StreamReset`` discards what this attempt produced: the provider
never replays a native call after its ``ToolCallEnd``, so nothing discarded has run.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from appwright.agent.xml_protocol import (
    XmlCallCompleted,
    XmlCallContent,
    XmlCallIncomplete,
    XmlCallStarted,
    XmlStreamParser,
    XmlText,
)
from appwright.llm.types import (
    Stop,
    StreamEvent,
    StreamReset,
    TextDelta,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
    Usage,
)

__all__ = ["AgentEvent", "ReadyCall", "ResponseReader"]

_PATH_ARG = re.compile(r'"path"\s*:\s*("(?:[^"\\]|\\.)*")')
_CONTENT_ARG = re.compile(r'"(?:content|replace)"\s*:\s*"')
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f"}


@dataclass(frozen=True, slots=True)
class AgentEvent:
    """One event of a turn, relayed to the client as an SSE event of the same type."""

    type: str
    data: dict[str, Any]


@dataclass(slots=True)
class ReadyCall:
    """A complete tool call; ``error`` (for the model) means it must not run."""

    id: str
    name: str
    arguments: dict[str, Any]
    error: str | None = None
    replayed: bool = False  # the same call ran before the stream restarted: skip it

    @property
    def signature(self) -> str:
        return self.name + json.dumps(self.arguments, sort_keys=True)


@dataclass(slots=True)
class _StreamingArgs:
    """Pulls ``path`` and the growing file content out of partial JSON arguments."""

    raw: str = ""
    path: str | None = None
    content_at: int | None = None  # index in ``raw`` where the content string starts
    decoded_to: int = 0

    def feed(self, fragment: str) -> str:
        self.raw += fragment
        if self.path is None and (m := _PATH_ARG.search(self.raw)):
            try:
                self.path = str(json.loads(m.group(1)))
            except ValueError:
                self.path = None
        if self.content_at is None:
            m = _CONTENT_ARG.search(self.raw)
            if m is None:
                return ""
            self.content_at = self.decoded_to = m.end()
        return self._decode()

    def _decode(self) -> str:
        out: list[str] = []
        i, raw = self.decoded_to, self.raw
        while i < len(raw):
            ch = raw[i]
            if ch == '"':
                self.content_at = -1  # the string ended; nothing more to stream
                i = len(raw)
                break
            if ch != "\\":
                out.append(ch)
                i += 1
                continue
            if i + 1 >= len(raw):
                break
            code = raw[i + 1]
            if code == "u":
                if i + 6 > len(raw):
                    break
                out.append(chr(int(raw[i + 2 : i + 6], 16)))
                i += 6
            else:
                out.append(_ESCAPES.get(code, code))
                i += 2
        if self.content_at == -1:
            self.decoded_to = len(raw) + 1_000_000_000  # stop decoding for good
        else:
            self.decoded_to = i
        return "".join(out)


@dataclass(slots=True)
class ResponseReader:
    """State of one model response."""

    protocol: Literal["native", "xml"]
    iteration: int
    text: list[str] = field(default_factory=list)
    raw_text: list[str] = field(default_factory=list)
    calls: list[ReadyCall] = field(default_factory=list)
    usage: list[Usage] = field(default_factory=list)
    stop: Stop | None = None
    _parser: XmlStreamParser = field(default_factory=XmlStreamParser)
    _args: dict[str, _StreamingArgs] = field(default_factory=dict)
    # Signatures of calls already executed in this response. They survive a reset: an
    # XML call runs as soon as its text completes, and a retried stream repeats it.
    executed: set[str] = field(default_factory=set)

    def _ev(self, kind: str, **data: Any) -> AgentEvent:
        return AgentEvent(kind, {"iteration": self.iteration, **data})

    def feed(self, event: StreamEvent) -> tuple[list[AgentEvent], list[ReadyCall]]:
        """Translate one provider event."""
        if isinstance(event, TextDelta):
            self.raw_text.append(event.text)
            if self.protocol == "xml":
                return self._xml(self._parser.feed(event.text))
            self.text.append(event.text)
            return [self._ev("text", text=event.text)], []
        if isinstance(event, ToolCallStart):
            self._args[event.id] = _StreamingArgs()
            return [self._ev("tool_call_started", id=event.id, name=event.name)], []
        if isinstance(event, ToolCallDelta):
            state = self._args.setdefault(event.id, _StreamingArgs())
            delta = state.feed(event.fragment)
            if not delta:
                return [], []
            return [self._ev("tool_call_progress", id=event.id, path=state.path, delta=delta)], []
        if isinstance(event, ToolCallEnd):
            error = None
            if event.error is not None:
                error = (
                    f"Your call to {event.name} was not executed: {event.error} "
                    "Send the call again with valid JSON arguments."
                )
            call = ReadyCall(event.id, event.name, event.arguments, error)
            self.calls.append(call)
            return [], [call]
        if isinstance(event, Usage):
            self.usage.append(event)
            return [], []
        if isinstance(event, Stop):
            self.stop = event
            return [], []
        if isinstance(event, StreamReset):
            return [self._reset(event.reason)], []
        return [], []

    def finish(self) -> tuple[list[AgentEvent], list[ReadyCall]]:
        """End of the response: flush the XML parser (an unclosed call is not run)."""
        if self.protocol != "xml":
            return [], []
        return self._xml(self._parser.finish())

    def _reset(self, reason: str) -> AgentEvent:
        self.text.clear()
        self.raw_text.clear()
        self.calls = []
        self._parser = XmlStreamParser()
        self._args.clear()
        return self._ev("reset", reason=reason)

    def _xml(self, events: list[Any]) -> tuple[list[AgentEvent], list[ReadyCall]]:
        out: list[AgentEvent] = []
        ready: list[ReadyCall] = []
        for ev in events:
            call_id = f"xml-{self.iteration}-{getattr(ev, 'index', 0)}"
            if isinstance(ev, XmlText):
                self.text.append(ev.text)
                out.append(self._ev("text", text=ev.text))
            elif isinstance(ev, XmlCallStarted):
                path = ev.attributes.get("path")
                out.append(self._ev("tool_call_started", id=call_id, name=ev.name, path=path))
            elif isinstance(ev, XmlCallContent):
                out.append(self._ev("tool_call_progress", id=call_id, delta=ev.text))
            elif isinstance(ev, XmlCallCompleted):
                call = ReadyCall(call_id, ev.name, ev.arguments, ev.error)
                call.replayed = call.signature in self.executed
                self.calls.append(call)
                ready.append(call)
            elif isinstance(ev, XmlCallIncomplete):
                message = (
                    f"<{ev.name}> was cut off ({ev.reason}) and was not executed. "
                    "Write the whole call again."
                )
                call = ReadyCall(call_id, ev.name, {}, message)
                self.calls.append(call)
                ready.append(call)
        return out, ready

    @property
    def visible_text(self) -> str:
        """What the user reads of this response."""
        return "".join(self.text)
