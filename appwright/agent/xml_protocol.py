"""The XML tool-call protocol for models without native tool calling, parsed while streaming.

Format (documented to the model by ``render_xml_tool_prompt``)::

    Some text for the user.
    <create_file path="src/Hello.tsx">
    export const Hello = () => <p>Hi</p>;
    </create_file>
    <update_file_sections path="src/App.tsx">
    <<<<<<< SEARCH
    <h1>Welcome</h1>
    =======
    <h1>Welcome back</h1>
    >>>>>>> REPLACE
    </update_file_sections>
    <delete_file path="src/old.ts" />

* A tag whose name is a registered tool starts a call; any other ``<...>`` is text, and
  so is a tool tag right after a backtick (the model naming a tool in inline code).
* Attributes carry short parameters; HTML entities in them are decoded.
* The body is raw up to the matching ``</name>``: ``<`` (JSX, generics), ``&`` and code
  fences inside it are kept verbatim. One newline right after the opening tag is framing
  and dropped. How a body becomes a parameter is the tool's ``body_kind``.
* A call completes the moment its closing tag (or ``/>``) arrives, so it can run while
  the rest of the response streams. A call still open when the stream ends is reported as
  ``XmlCallIncomplete`` and must not be executed.

``XmlStreamParser`` is fed chunks of any size (one character works) and returns events;
the events for a response are the same whatever the chunking, except that text and
content may be split into different pieces.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from appwright.agent.tool_specs import TOOL_SPECS, ToolSpec
from appwright.agent.xml_format import build_arguments, parse_sections, render_xml_tool_prompt

__all__ = [
    "XmlCallCompleted",
    "XmlCallContent",
    "XmlCallIncomplete",
    "XmlCallStarted",
    "XmlEvent",
    "XmlStreamParser",
    "XmlText",
    "build_arguments",
    "parse_sections",
    "render_xml_tool_prompt",
]

# An opening tag longer than this is not a tool call (no tool has attributes this long);
# giving up keeps a stray "<create_file" in prose from swallowing the rest of the reply.
_MAX_OPEN_TAG = 4096


@dataclass(frozen=True, slots=True)
class XmlText:
    """Text outside tool calls, for the chat."""

    text: str


@dataclass(frozen=True, slots=True)
class XmlCallStarted:
    """A call's opening tag is complete: name and decoded attributes are known."""

    index: int
    name: str
    attributes: dict[str, str]


@dataclass(frozen=True, slots=True)
class XmlCallContent:
    """More of a call's raw body (a file's content as it is generated)."""

    index: int
    name: str
    text: str


@dataclass(frozen=True, slots=True)
class XmlCallCompleted:
    """A call closed. ``error`` (a message for the model) is set when its arguments are
    invalid; such a call must not be executed."""

    index: int
    name: str
    arguments: dict[str, Any]
    error: str | None = None


@dataclass(frozen=True, slots=True)
class XmlCallIncomplete:
    """The stream ended inside a call. Never execute it."""

    index: int
    name: str
    attributes: dict[str, str]
    body: str
    reason: str


XmlEvent = XmlText | XmlCallStarted | XmlCallContent | XmlCallCompleted | XmlCallIncomplete

_NAME_START = re.compile(r"<([A-Za-z_][\w-]*)")
_ATTR = re.compile(r"""([A-Za-z_][\w:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>/]+))""")


@dataclass(slots=True)
class _OpenCall:
    index: int
    spec: ToolSpec
    attributes: dict[str, str]
    close: re.Pattern[str]
    body: list[str] = field(default_factory=list)
    at_body_start: bool = True


class XmlStreamParser:
    """Incremental parser: ``feed(chunk)`` and finally ``finish()``, each returning events."""

    def __init__(self, specs: Iterable[ToolSpec] = TOOL_SPECS) -> None:
        self._specs = {spec.name: spec for spec in specs}
        self._buf = ""
        self._state: Literal["text", "open", "body"] = "text"
        self._call: _OpenCall | None = None
        self._next_index = 0
        self._prev = ""  # last character of text emitted, to spot `<tag>` in inline code

    def feed(self, chunk: str) -> list[XmlEvent]:
        """Consume the next piece of the response."""
        self._buf += chunk
        events: list[XmlEvent] = []
        while self._step(events):
            pass
        return _coalesce(events)

    def finish(self) -> list[XmlEvent]:
        """End of stream: flush held-back text and report an unclosed call."""
        events: list[XmlEvent] = []
        if self._state == "text":
            self._text(events, self._buf)
        elif self._state == "open":
            name = _NAME_START.match(self._buf)
            events.append(
                XmlCallIncomplete(
                    self._next_index,
                    name.group(1) if name else "",
                    {},
                    "",
                    "the opening tag was never completed (the response was cut off)",
                )
            )
            self._next_index += 1
        else:
            call = self._call
            assert call is not None
            self._content(events, call, self._buf)
            events.append(
                XmlCallIncomplete(
                    call.index,
                    call.spec.name,
                    call.attributes,
                    "".join(call.body),
                    f"the closing </{call.spec.name}> tag never arrived (the response was cut off)",
                )
            )
        self._buf = ""
        self._state = "text"
        self._call = None
        return _coalesce(events)

    # --- states ---------------------------------------------------------------------

    def _step(self, events: list[XmlEvent]) -> bool:
        """Advance one step; False when more input is needed."""
        if self._state == "text":
            return self._step_text(events)
        if self._state == "open":
            return self._step_open(events)
        return self._step_body(events)

    def _step_text(self, events: list[XmlEvent]) -> bool:
        buf = self._buf
        lt = buf.find("<")
        if lt == -1:
            self._text(events, buf)
            self._buf = ""
            return False
        self._text(events, buf[:lt])
        buf = self._buf = buf[lt:]
        if self._prev == "`":
            # `<create_file>` in inline code is the model talking about a tool.
            return self._not_a_tag(events)
        m = _NAME_START.match(buf)
        if m is None:
            if len(buf) == 1:
                return False  # a lone "<": the name may come in the next chunk
            return self._not_a_tag(events)
        name = m.group(1)
        if m.end() == len(buf):
            # The name may still grow: wait only while it can become a tool's name.
            if any(tool.startswith(name) for tool in self._specs):
                return False
            return self._not_a_tag(events)
        if name not in self._specs or buf[m.end()] not in " \t\r\n/>":
            return self._not_a_tag(events)
        self._state = "open"
        return True

    def _not_a_tag(self, events: list[XmlEvent]) -> bool:
        self._text(events, "<")
        self._buf = self._buf[1:]
        return True

    def _step_open(self, events: list[XmlEvent]) -> bool:
        buf = self._buf
        gt = _tag_end(buf)
        if gt == -1:
            if len(buf) > _MAX_OPEN_TAG:
                self._state = "text"
                return self._not_a_tag(events)
            return False
        tag = buf[: gt + 1]
        self._buf = buf[gt + 1 :]
        m = _NAME_START.match(tag)
        assert m is not None
        spec = self._specs[m.group(1)]
        attributes = _attrs(tag[m.end() : -1])
        index = self._next_index
        self._next_index += 1
        self._prev = ""
        events.append(XmlCallStarted(index, spec.name, dict(attributes)))
        if tag[:-1].rstrip().endswith("/"):
            events.append(_complete(index, spec, attributes, None))
            self._state = "text"
            return True
        self._call = _OpenCall(index, spec, attributes, re.compile(rf"</{spec.name}\s*>"))
        self._state = "body"
        return True

    def _step_body(self, events: list[XmlEvent]) -> bool:
        call = self._call
        assert call is not None
        buf = self._buf
        m = call.close.search(buf)
        if m is not None:
            self._content(events, call, buf[: m.start()])
            self._buf = buf[m.end() :]
            events.append(_complete(call.index, call.spec, call.attributes, "".join(call.body)))
            self._call = None
            self._state = "text"
            return True
        # Hold back a tail that may be the start of the closing tag; stream the rest.
        hold = len(buf)
        last = buf.rfind("<")
        if last != -1 and _may_close(buf[last:], call.spec.name):
            hold = last
        if call.at_body_start and buf in ("", "\r"):
            hold = 0  # wait to see whether the framing newline follows
        self._content(events, call, buf[:hold])
        self._buf = buf[hold:]
        return False

    # --- helpers --------------------------------------------------------------------

    def _text(self, events: list[XmlEvent], text: str) -> None:
        if text:
            events.append(XmlText(text))
            self._prev = text[-1]

    @staticmethod
    def _content(events: list[XmlEvent], call: _OpenCall, text: str) -> None:
        if call.at_body_start and text:
            call.at_body_start = False
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
        if text:
            call.body.append(text)
            events.append(XmlCallContent(call.index, call.spec.name, text))


def _coalesce(events: list[XmlEvent]) -> list[XmlEvent]:
    """Merge neighbouring text (or same-call content) pieces produced by one feed."""
    out: list[XmlEvent] = []
    for event in events:
        last = out[-1] if out else None
        if isinstance(event, XmlText) and isinstance(last, XmlText):
            out[-1] = XmlText(last.text + event.text)
        elif (
            isinstance(event, XmlCallContent)
            and isinstance(last, XmlCallContent)
            and last.index == event.index
        ):
            out[-1] = XmlCallContent(event.index, event.name, last.text + event.text)
        else:
            out.append(event)
    return out


def _tag_end(buf: str) -> int:
    """Index of the ``>`` closing an opening tag, skipping quoted attribute values."""
    quote = ""
    for i, ch in enumerate(buf):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == ">":
            return i
    return -1


def _attrs(raw: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in _ATTR.finditer(raw):
        value = next((g for g in m.groups()[1:] if g is not None), "")
        out[m.group(1)] = html.unescape(value)
    return out


def _may_close(tail: str, name: str) -> bool:
    close = f"</{name}"
    if close.startswith(tail):
        return True
    return tail.startswith(close) and not tail[len(close) :].strip()


def _complete(index: int, spec: ToolSpec, attrs: dict[str, str], body: str | None) -> XmlEvent:
    arguments, error = build_arguments(spec, attrs, body)
    return XmlCallCompleted(index, spec.name, arguments, error)
