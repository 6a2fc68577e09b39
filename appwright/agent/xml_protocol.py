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

* A tag whose name is a registered tool starts a call; any other ``<...>`` is text.
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

    @staticmethod
    def _text(events: list[XmlEvent], text: str) -> None:
        if text:
            events.append(XmlText(text))

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


# --- arguments ------------------------------------------------------------------------

_MARK_SEARCH = re.compile(r"^\s*<{5,9} ?SEARCH\s*$")
_MARK_SPLIT = re.compile(r"^\s*={5,9}\s*$")
_MARK_REPLACE = re.compile(r"^\s*>{5,9} ?REPLACE\s*$")
_TAGGED_SECTION = re.compile(r"<search>\n?(.*?)\n?</search>\s*<replace>\n?(.*?)\n?</replace>", re.S)
_FENCE = re.compile(r"^```[\w.+-]*[ \t]*\n(.*\n)?```[ \t]*\n?$", re.S)


def parse_sections(body: str) -> list[dict[str, str]]:
    """Read SEARCH/REPLACE blocks (or ``<search>``/``<replace>`` pairs) from a tag body.

    Raises ``ValueError`` with a message for the model when the blocks are malformed.
    """
    if "<search>" in body and _MARK_SEARCH.search(body) is None:
        found = _TAGGED_SECTION.findall(body)
        if not found:
            raise ValueError("the <search>/<replace> pairs are malformed")
        return [{"search": s, "replace": r} for s, r in found]
    sections: list[dict[str, str]] = []
    mode = "outside"
    search: list[str] = []
    replace: list[str] = []
    for line in body.split("\n"):
        if mode == "outside":
            if _MARK_SEARCH.match(line):
                mode, search, replace = "search", [], []
            elif line.strip():
                raise ValueError(f"text outside a SEARCH/REPLACE block: {line.strip()[:80]!r}")
        elif mode == "search":
            if _MARK_SPLIT.match(line):
                mode = "replace"
            else:
                search.append(line)
        elif _MARK_REPLACE.match(line):
            sections.append({"search": "\n".join(search), "replace": "\n".join(replace)})
            mode = "outside"
        else:
            replace.append(line)
    if mode != "outside":
        raise ValueError("a SEARCH/REPLACE block is not closed with '>>>>>>> REPLACE'")
    if not sections:
        raise ValueError(
            "no SEARCH/REPLACE blocks found; write '<<<<<<< SEARCH', the current lines, "
            "'=======', the new lines, '>>>>>>> REPLACE'"
        )
    return sections


def _coerce(value: str, schema: dict[str, Any]) -> Any:
    kind = schema.get("type")
    if kind == "boolean":
        return value.strip().lower() in ("true", "1", "yes")
    if kind == "integer":
        return int(value)
    if kind == "array":
        return [item.strip() for item in re.split(r"[,\n]", value) if item.strip()]
    return value


def _strip_outer_fence(content: str, path: object) -> str:
    # Weaker models wrap file content in a Markdown fence; a Markdown file may really
    # start with one, so those keep their content verbatim.
    if isinstance(path, str) and path.lower().endswith((".md", ".mdx", ".markdown")):
        return content
    m = _FENCE.match(content)
    return m.group(1) or "" if m else content


def build_arguments(
    spec: ToolSpec, attributes: dict[str, str], body: str | None
) -> tuple[dict[str, Any], str | None]:
    """Turn a tag's attributes and raw body into the tool's arguments (same shape as
    native tool calls). Returns ``(arguments, error)``; ``error`` is for the model."""
    props = spec.properties
    args: dict[str, Any] = {}
    try:
        for key, value in attributes.items():
            if key in props and key != spec.xml_body:
                args[key] = _coerce(value, props[key])
        if spec.xml_body is not None:
            if body is not None and (body.strip() or (spec.body_kind == "raw" and body)):
                if spec.body_kind == "sections":
                    args[spec.xml_body] = parse_sections(body)
                elif spec.body_kind == "lines":
                    args[spec.xml_body] = [ln.strip() for ln in body.split("\n") if ln.strip()]
                elif spec.xml_body == "content":
                    args["content"] = _strip_outer_fence(body, args.get("path"))
                else:
                    args[spec.xml_body] = body.strip()
            elif spec.xml_body in attributes:
                args[spec.xml_body] = _coerce(attributes[spec.xml_body], props[spec.xml_body])
            elif spec.xml_body == "content" and body is not None:
                args["content"] = ""  # an empty file is a valid file
    except ValueError as exc:
        return args, f"<{spec.name}>: {exc}"
    missing = [name for name in spec.required if name not in args]
    if missing:
        where = ", ".join(
            f"{name} (the tag body)" if name == spec.xml_body else f'{name}="..."'
            for name in missing
        )
        return args, f"<{spec.name}> is missing {where}"
    return args, None


# --- prompt ---------------------------------------------------------------------------


def _param_line(spec: ToolSpec, name: str, schema: dict[str, Any]) -> str:
    kind = schema.get("type", "string")
    if kind == "array":
        kind = "list"
    where = "tag body" if name == spec.xml_body else "attribute"
    if name == spec.xml_body and spec.body_kind == "lines":
        where = "tag body, one per line"
    if name == spec.xml_body and spec.body_kind == "sections":
        where = "tag body, SEARCH/REPLACE blocks"
    need = "required" if name in spec.required else "optional"
    doc = schema.get("description", "")
    return f"- {name} ({kind}, {need}, {where})" + (f": {doc}" if doc else "")


def render_xml_tool_prompt(specs: Iterable[ToolSpec] = TOOL_SPECS) -> str:
    """The system-prompt section that teaches the XML tool-call format and lists the tools."""
    parts = [
        "# Tool calls",
        "",
        "You change the project only through tool calls written as XML tags in your reply. "
        "Text outside the tags is shown to the user.",
        "",
        "- Write each call as a tag named after the tool, on its own lines, never inside a "
        "code fence.",
        "- Attributes hold short values in double quotes; write &amp; &lt; &gt; &quot; for "
        '& < > " inside them.',
        "- A tag's body is taken verbatim up to its closing tag: write file contents exactly "
        "as they should be saved, without escaping, without code fences, and complete "
        '(never "// ... rest of the code" or similar placeholders).',
        '- A tag without body closes itself: <delete_file path="src/old.ts" />.',
        "- Each call runs as soon as its closing tag is written, in the order written.",
        "- To change part of an existing file use update_file_sections with one or more "
        "blocks of '<<<<<<< SEARCH', the exact current lines, '=======', the new lines, "
        "'>>>>>>> REPLACE'. Each search must match exactly one place in the file.",
        "",
        "## Tools",
    ]
    for spec in specs:
        parts += ["", f"### {spec.name}", spec.description]
        params = [_param_line(spec, n, s) for n, s in spec.properties.items()]
        parts += ["Parameters:", *params] if params else ["Parameters: none"]
        parts += ["Example:", spec.xml_example]
    return "\n".join(parts) + "\n"
