"""How XML tool-call tags become tool arguments, and the prompt text that teaches the format.

Split from ``xml_protocol`` (the streaming parser) so each stays small; the parser calls
``build_arguments`` when a tag closes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from appwright.agent.tool_specs import TOOL_SPECS, ToolSpec

__all__ = ["build_arguments", "parse_sections", "render_xml_tool_prompt"]

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
