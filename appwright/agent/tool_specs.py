"""The agent's tools as data: one registry shared by native function calling and the XML protocol.

Each ``ToolSpec`` carries the JSON schema the native protocols send, plus how the XML
protocol spells the same call (which parameter travels as the raw tag body, and how that
body is read). Both protocols produce the same ``arguments`` dict for a call, so the
executor never needs to know which protocol the model used.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

from appwright.llm.types import ToolDefinition

__all__ = [
    "TOOL_SPECS",
    "BodyKind",
    "ToolSpec",
    "get_tool_spec",
    "tool_definitions",
    "validate_arguments",
]

BodyKind = Literal["raw", "lines", "sections"]
"""How an XML tag body becomes a parameter: verbatim text, one item per line, or
SEARCH/REPLACE blocks (``update_file_sections``)."""


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """One tool: the name and schema the model sees, and its XML spelling."""

    name: str
    description: str
    parameters: Mapping[str, Any]
    xml_example: str
    changes_files: bool = False
    xml_body: str | None = None
    body_kind: BodyKind = "raw"

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required parameters."""
        return tuple(self.parameters.get("required", ()))

    @property
    def properties(self) -> Mapping[str, Any]:
        """The JSON schema of each parameter, by name."""
        props: Mapping[str, Any] = self.parameters.get("properties", {})
        return props

    def definition(self) -> ToolDefinition:
        """The provider-neutral definition sent to models with native tool calling."""
        return ToolDefinition(self.name, self.description, dict(self.parameters))


def _schema(required: list[str], **props: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(
        {
            "type": "object",
            "properties": dict(props),
            "required": required,
            "additionalProperties": False,
        }
    )


_PATH = {"type": "string", "description": "Workspace-relative POSIX path, e.g. src/App.tsx"}
_PATHS = {"type": "array", "items": {"type": "string"}, "description": "Workspace-relative paths"}
_CONTENT = {"type": "string", "description": "The complete file content, nothing elided"}
_SECTIONS = {
    "type": "array",
    "description": "Search/replace pairs applied in order",
    "items": {
        "type": "object",
        "properties": {
            "search": {
                "type": "string",
                "description": "Exact current lines (unique in the file)",
            },
            "replace": {"type": "string", "description": "The lines that replace them"},
        },
        "required": ["search", "replace"],
        "additionalProperties": False,
    },
}

TOOL_SPECS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "create_file",
        "Create a new file with the given complete content (parent folders are created).",
        _schema(["path", "content"], path=_PATH, content=_CONTENT),
        '<create_file path="src/components/Hello.tsx">\n'
        "export function Hello() {\n  return <p>Hello</p>;\n}\n</create_file>",
        changes_files=True,
        xml_body="content",
    ),
    ToolSpec(
        "update_file_sections",
        "Change parts of an existing file. Each search must match exactly one place in the "
        "current file (whitespace differences are tolerated); copy it from the file. Prefer "
        "this over full_file_rewrite for any change to an existing file.",
        _schema(["path", "sections"], path=_PATH, sections=_SECTIONS),
        '<update_file_sections path="src/App.tsx">\n<<<<<<< SEARCH\n'
        "      <h1>Welcome</h1>\n=======\n      <h1>Welcome back</h1>\n>>>>>>> REPLACE\n"
        "</update_file_sections>",
        changes_files=True,
        xml_body="sections",
        body_kind="sections",
    ),
    ToolSpec(
        "full_file_rewrite",
        "Replace the whole content of an existing file. Only when most of the file changes; "
        "the content must be complete, never elided.",
        _schema(["path", "content"], path=_PATH, content=_CONTENT),
        '<full_file_rewrite path="src/index.css">\nbody { margin: 0; }\n</full_file_rewrite>',
        changes_files=True,
        xml_body="content",
    ),
    ToolSpec(
        "delete_file",
        "Delete a file.",
        _schema(["path"], path=_PATH),
        '<delete_file path="src/old.ts" />',
        changes_files=True,
    ),
    ToolSpec(
        "rename_file",
        "Rename or move a file.",
        _schema(["path", "new_path"], path=_PATH, new_path=_PATH),
        '<rename_file path="src/a.ts" new_path="src/lib/a.ts" />',
        changes_files=True,
    ),
    ToolSpec(
        "read_files",
        "Read the current content of files (returned with line numbers).",
        _schema(["paths"], paths=_PATHS),
        "<read_files>\nsrc/App.tsx\nsrc/main.tsx\n</read_files>",
        xml_body="paths",
        body_kind="lines",
    ),
    ToolSpec(
        "open_files_in_editor",
        "Open files in the user's editor and keep their content in your context.",
        _schema(["files"], files=_PATHS),
        "<open_files_in_editor>\nsrc/App.tsx\n</open_files_in_editor>",
        xml_body="files",
        body_kind="lines",
    ),
    ToolSpec(
        "close_files_in_editor",
        "Close files in the editor and drop them from your context.",
        _schema(["files"], files=_PATHS),
        "<close_files_in_editor>\nsrc/App.tsx\n</close_files_in_editor>",
        xml_body="files",
        body_kind="lines",
    ),
    ToolSpec(
        "search_files",
        "Search the project's files for a regular expression; returns matching lines.",
        _schema(
            ["pattern"],
            pattern={"type": "string", "description": "Regular expression"},
            glob={"type": "string", "description": "Only files matching this glob"},
        ),
        '<search_files pattern="useState\\(" glob="src/**/*.tsx" />',
    ),
    ToolSpec(
        "send_terminal_command",
        "Run a shell command in the project's sandbox (not the dev server, which runs on "
        "its own). Returns its output.",
        _schema(["command"], command={"type": "string", "description": "The shell command"}),
        "<send_terminal_command>npm run lint</send_terminal_command>",
        xml_body="command",
    ),
    ToolSpec(
        "check_for_errors",
        "Check the project for build, type and runtime errors.",
        _schema([]),
        "<check_for_errors />",
    ),
    ToolSpec(
        "add_dependency",
        "Install npm packages into the project (one per line, optionally with a version).",
        _schema(
            ["packages"],
            packages={"type": "array", "items": {"type": "string"}},
            dev={"type": "boolean", "description": "Install as devDependencies"},
        ),
        '<add_dependency dev="false">\nzod\nreact-hook-form@7\n</add_dependency>',
        changes_files=True,
        xml_body="packages",
        body_kind="lines",
    ),
)

_BY_NAME = {spec.name: spec for spec in TOOL_SPECS}


def get_tool_spec(name: str) -> ToolSpec | None:
    """The registered tool called ``name``, if any."""
    return _BY_NAME.get(name)


def tool_definitions(specs: tuple[ToolSpec, ...] = TOOL_SPECS) -> list[ToolDefinition]:
    """Definitions for a model with native tool calling."""
    return [spec.definition() for spec in specs]


def _type_error(name: str, value: Any, schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind == "string" and not isinstance(value, str):
        return f"`{name}` must be a string"
    if kind == "boolean" and not isinstance(value, bool):
        return f"`{name}` must be true or false"
    if kind == "array":
        if not isinstance(value, list):
            return f"`{name}` must be a list"
        items = schema.get("items", {})
        for n, item in enumerate(value):
            if items.get("type") == "string" and not isinstance(item, str):
                return f"`{name}[{n}]` must be a string"
            if items.get("type") == "object":
                if not isinstance(item, dict):
                    return f"`{name}[{n}]` must be an object"
                for key, sub in items.get("properties", {}).items():
                    if key in items.get("required", ()) and key not in item:
                        return f"`{name}[{n}]` is missing `{key}`"
                    if key in item and (problem := _type_error(key, item[key], sub)):
                        return f"`{name}[{n}]`: {problem}"
    return None


def validate_arguments(spec: ToolSpec, arguments: Mapping[str, Any]) -> str | None:
    """Check a call's arguments against the tool's schema (required parameters and their
    types, one level into lists). Returns a message for the model, or None when valid.
    Unknown extra parameters are ignored: models add them, and they do no harm."""
    missing = [name for name in spec.required if name not in arguments]
    if missing:
        return f"{spec.name}: missing " + ", ".join(f"`{name}`" for name in missing)
    for name, schema in spec.properties.items():
        if name in arguments and (problem := _type_error(name, arguments[name], schema)):
            return f"{spec.name}: {problem}"
    return None
