"""Fixtures: a workspace next to an "outside" folder holding a sentinel file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from appwright.workspace.base import ChangeKind
from appwright.workspace.local import LocalWorkspace


@dataclass
class Setup:
    root: Path
    outside: Path
    sentinel: Path
    events: list[tuple[list[str], ChangeKind]]
    ws: LocalWorkspace


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    root = tmp_path / "ws"
    root.mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    sentinel = outside / "sentinel.txt"
    sentinel.write_text("do not touch")
    events: list[tuple[list[str], ChangeKind]] = []

    async def on_change(paths: list[str], kind: ChangeKind) -> None:
        events.append((paths, kind))

    return Setup(root, outside, sentinel, events, LocalWorkspace(root, on_change=on_change))
