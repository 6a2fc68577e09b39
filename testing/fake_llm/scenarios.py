"""Scenario files and prompt markers of the fake LLM server.

A scenario (``scenarios/<name>.yaml`` or ``.json``) is chosen by ``tc=<name>`` in the
conversation's user text::

    description: Create a file, then fix it if the check reports an error.
    turns:
      - text: "I'll add the counter."      # the first assistant turn
        chunk_size: 12                     # characters per streamed delta (default 16)
        chunk_delay: 0.01                  # seconds between deltas (default 0)
        tool_calls:
          - name: create_file
            arguments: {path: src/Counter.tsx, content: "export {};\\n"}
      - branches:                          # the second turn reacts to the tool results
          - if_result_contains: error
            text: Fixing it.
          - text: All done.                # no condition: the default

The turn answered is the number of assistant messages that follow the user message
carrying the marker, so the agent loop replays a scenario by sending its history back.
``text`` may contain the XML tool-call format for models without native tools.
Optional per turn: ``stop_reason`` and ``usage`` (``input_tokens``, ``output_tokens``,
``cache_read_tokens``, ``cache_write_tokens``).

Fault markers, also in the user text: ``[401]``, ``[429]``, ``[500]``, ``[503]``, ``[529]``
fail a request once (``[429x3]`` three times, ``[429:2]`` with ``Retry-After: 2``); ``[stall:N]``
stops sending for N seconds after the first delta of every attempt, ``[stall-once:N]`` only
on the first, ``[stall-late:N]`` after all content (every tool call complete) but before
the stop reason; ``[bad-tool-json]`` streams tool arguments that are not valid JSON;
``[delay:S]`` sets the delay between deltas; ``[drop]`` ends the first attempt's response
early, right after its first delta (a stream cut off by a proxy).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "DEFAULT_SCENARIOS_DIR",
    "Faults",
    "ToolCall",
    "Turn",
    "load_scenario",
    "parse_faults",
    "select_turn",
]

DEFAULT_SCENARIOS_DIR = Path(__file__).parent / "scenarios"
_SCENARIO_NAME = re.compile(r"\btc=([\w.-]+)")
_HTTP_FAULT = re.compile(r"\[(401|429|500|503|529)(?:x(\d+))?(?::(\d+))?\]")
_STALL = re.compile(r"\[stall(-once|-late)?:(\d+(?:\.\d+)?)\]")
_DELAY = re.compile(r"\[delay:(\d+(?:\.\d+)?)\]")


@dataclass(frozen=True, slots=True)
class ToolCall:
    """A native tool call the fake model makes."""

    name: str
    arguments: dict[str, Any]
    id: str | None = None


@dataclass(frozen=True, slots=True)
class Turn:
    """One assistant reply."""

    text: str = ""
    tool_calls: tuple[ToolCall, ...] = ()
    chunk_size: int = 16
    chunk_delay: float = 0.0
    stop_reason: str | None = None
    usage: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Faults:
    """Faults requested by markers in the prompt."""

    http_status: int | None = None
    http_times: int = 1
    retry_after: int = 1
    stall_seconds: float | None = None
    stall_once: bool = False
    stall_late: bool = False
    bad_tool_json: bool = False
    delay: float | None = None
    drop: bool = False


def parse_faults(text: str) -> Faults:
    """Read the fault markers in ``text``."""
    http = _HTTP_FAULT.search(text)
    stall = _STALL.search(text)
    delay = _DELAY.search(text)
    return Faults(
        http_status=int(http.group(1)) if http else None,
        http_times=int(http.group(2)) if http and http.group(2) else 1,
        retry_after=int(http.group(3)) if http and http.group(3) else 1,
        stall_seconds=float(stall.group(2)) if stall else None,
        stall_once=bool(stall and stall.group(1) == "-once"),
        stall_late=bool(stall and stall.group(1) == "-late"),
        bad_tool_json="[bad-tool-json]" in text,
        delay=float(delay.group(1)) if delay else None,
        drop="[drop]" in text,
    )


def scenario_name(text: str) -> str | None:
    """The ``tc=<name>`` marker in ``text``, if any."""
    m = _SCENARIO_NAME.search(text)
    return m.group(1) if m else None


def load_scenario(name: str, directory: Path = DEFAULT_SCENARIOS_DIR) -> list[Any] | None:
    """The raw turn list of scenario ``name``, or None when there is no such file."""
    for suffix in (".yaml", ".yml", ".json"):
        path = directory / f"{name}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            data = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
            turns = data.get("turns") if isinstance(data, dict) else data
            if not isinstance(turns, list):
                raise ValueError(f"scenario {name}: 'turns' must be a list")
            return turns
    return None


def _turn(raw: dict[str, Any]) -> Turn:
    calls = tuple(
        ToolCall(c["name"], dict(c.get("arguments") or {}), c.get("id"))
        for c in raw.get("tool_calls") or ()
    )
    return Turn(
        text=str(raw.get("text") or ""),
        tool_calls=calls,
        chunk_size=max(1, int(raw.get("chunk_size", 16))),
        chunk_delay=float(raw.get("chunk_delay", 0.0)),
        stop_reason=raw.get("stop_reason"),
        usage={k: int(v) for k, v in (raw.get("usage") or {}).items()},
    )


def select_turn(turns: list[Any], assistant_turns: int, latest_result: str) -> Turn:
    """The turn to answer after ``assistant_turns`` replies, given the newest tool results."""
    if assistant_turns >= len(turns):
        return Turn(text=f"(The scenario has no turn {assistant_turns + 1}; it is finished.)")
    raw = turns[assistant_turns]
    if isinstance(raw, dict) and "branches" in raw:
        for branch in raw["branches"]:
            needle = branch.get("if_result_contains")
            absent = branch.get("if_result_lacks")
            if needle is not None and needle not in latest_result:
                continue
            if absent is not None and absent in latest_result:
                continue
            return _turn(branch)
        return Turn(text="(No branch of this scenario turn matched the tool results.)")
    if not isinstance(raw, dict):
        raise ValueError(f"scenario turn {assistant_turns + 1} must be a mapping")
    return _turn(raw)
