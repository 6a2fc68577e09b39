"""What a tool runs with: the server-side authority (user, project, workspace) and the
turn's record of changed files.

Tools never take a project, user or absolute location from their arguments: everything
they can reach hangs off ``ToolContext``, built by the chat service for the caller.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from appwright.runtime.service import ProjectRuntime
from appwright.templates import Template
from appwright.workspace import LocalWorkspace
from appwright.workspace.errors import FileNotFound, WorkspaceError

__all__ = ["ToolContext", "ToolResult", "TurnChanges"]


@dataclass(slots=True)
class ToolResult:
    """The outcome of one tool call.

    ``content`` goes back to the model (plain, instructive text, never a traceback);
    ``summary``, ``diff`` and ``output`` are for the chat UI.
    """

    ok: bool
    content: str
    summary: str = ""
    path: str | None = None
    diff: str | None = None
    output: str | None = None
    changed: list[str] = field(default_factory=list)
    errors: list[str] | None = None  # set by check_for_errors: the problems found

    def for_ui(self) -> dict[str, Any]:
        """The compact form sent in ``tool_call_finished`` and stored on the message."""
        data: dict[str, Any] = {"ok": self.ok, "summary": self.summary or self.content[:200]}
        for key in ("path", "diff", "output"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if not self.ok:
            data["error"] = self.content[:2000]
        if self.errors is not None:
            data["errors"] = self.errors
        return data


class TurnChanges:
    """The files one turn touched, with their content before the turn.

    Every tool remembers a path before changing it, so a cancelled or failed turn can put
    each file back exactly as it was (each restore is itself an atomic write).
    """

    def __init__(self, workspace: LocalWorkspace) -> None:
        self._workspace = workspace
        self.originals: dict[str, bytes | None] = {}
        self.changed: list[str] = []
        self.last_change: float = 0.0

    async def remember(self, path: str) -> None:
        """Keep ``path``'s current content (or its absence) unless already kept this turn."""
        if path in self.originals:
            return
        try:
            self.originals[path] = await self._workspace.read(path)
        except FileNotFound:
            self.originals[path] = None

    def mark(self, *paths: str) -> None:
        """Record that ``paths`` changed (after the change succeeded)."""
        self.last_change = time.monotonic()
        for path in paths:
            if path not in self.changed:
                self.changed.append(path)

    async def restore(self) -> list[str]:
        """Put every touched file back as it was before the turn; returns the paths."""
        restored: list[str] = []
        for path, data in reversed(list(self.originals.items())):
            with contextlib.suppress(WorkspaceError):
                if data is None:
                    with contextlib.suppress(FileNotFound):
                        await self._workspace.delete(path)
                else:
                    await self._workspace.write(path, data)
                restored.append(path)
        return restored


@dataclass(slots=True)
class ToolContext:
    """Authority and state for the tools of one turn."""

    user_id: uuid.UUID
    project_id: str
    template: Template
    workspace: LocalWorkspace
    runtime: ProjectRuntime
    changes: TurnChanges
    open_files: list[str] = field(default_factory=list)
    command_timeout: float = 120.0
    check_timeout: float = 90.0
    turn_started: float = field(default_factory=time.time)
