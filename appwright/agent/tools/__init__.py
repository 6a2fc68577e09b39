"""The executors of the agent's twelve tools, behind one ``execute_tool`` entry point.

Arguments are validated against the shared registry (``tool_specs``) first; every failure
becomes a plain message for the model (``ToolResult(ok=False)``), never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from appwright.agent.tool_specs import get_tool_spec, validate_arguments
from appwright.agent.tools import checks, commands, files
from appwright.agent.tools.context import ToolContext, ToolResult, TurnChanges
from appwright.agent.tools.files import ToolFailure
from appwright.workspace.errors import WorkspaceError

__all__ = [
    "ToolContext",
    "ToolResult",
    "TurnChanges",
    "execute_tool",
    "safe_order",
]

log = logging.getLogger("appwright.agent")

Executor = Callable[[ToolContext, dict[str, Any]], Awaitable[ToolResult]]

_EXECUTORS: dict[str, Executor] = {
    "create_file": files.create_file,
    "update_file_sections": files.update_file_sections,
    "full_file_rewrite": files.full_file_rewrite,
    "delete_file": files.delete_file,
    "rename_file": files.rename_file,
    "read_files": files.read_files,
    "open_files_in_editor": files.open_files,
    "close_files_in_editor": files.close_files,
    "search_files": files.search_files,
    "send_terminal_command": commands.send_terminal_command,
    "check_for_errors": checks.check_for_errors,
    "add_dependency": commands.add_dependency,
}

# Calls that are ready together run deletes first, then renames, edits, writes; reads and
# commands after the files they may depend on (Dyad's order, minus SQL).
_RANK = {
    "delete_file": 0,
    "rename_file": 1,
    "add_dependency": 2,
    "update_file_sections": 3,
    "full_file_rewrite": 4,
    "create_file": 4,
}


def safe_order(names: list[str]) -> list[int]:
    """Indices of ``names`` in the order a batch of ready calls is applied (stable)."""
    return sorted(range(len(names)), key=lambda i: _RANK.get(names[i], 9))


async def execute_tool(ctx: ToolContext, name: str, arguments: dict[str, Any]) -> ToolResult:
    """Run one tool call; never raises for a bad call, a refused path or a failed command."""
    spec = get_tool_spec(name)
    executor = _EXECUTORS.get(name)
    if spec is None or executor is None:
        known = ", ".join(sorted(_EXECUTORS))
        return ToolResult(ok=False, content=f"There is no tool named {name!r}. Tools: {known}.")
    if problem := validate_arguments(spec, arguments):
        return ToolResult(ok=False, content=problem, summary=f"{name}: invalid arguments")
    try:
        return await executor(ctx, arguments)
    except ToolFailure as exc:
        return ToolResult(ok=False, content=str(exc), summary=f"{name} refused")
    except WorkspaceError as exc:
        return ToolResult(ok=False, content=f"{exc.detail}.", summary=f"{name} failed")
    except Exception:
        log.exception("agent.tool_failed tool=%s project=%s", name, ctx.project_id)
        return ToolResult(
            ok=False,
            content=f"{name} failed because of an internal problem; try another way.",
            summary=f"{name} failed",
        )
