"""Parsing a native tool call's streamed JSON arguments, tolerating nothing silently."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["parse_tool_arguments"]


def parse_tool_arguments(raw: str) -> tuple[dict[str, Any], str | None]:
    """``(arguments, None)`` for a JSON object (empty text means no arguments), else
    ``({}, error)`` with an error message for the model."""
    if not raw.strip():
        return {}, None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        return {}, (
            f"The tool call's arguments are not valid JSON ({exc.msg} at character "
            f"{exc.pos}). Send the call again with a complete JSON object."
        )
    if not isinstance(value, dict):
        return {}, "The tool call's arguments must be a JSON object."
    return value, None
