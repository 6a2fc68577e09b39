"""Sandbox tools: terminal commands and dependency installs, always with a timeout.

Commands run through ``ProjectRuntime.execute`` in the project's own sandbox, never on
the platform host. Output returned to the model is cut to its head and tail: the end of
a long log is where the error usually is.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from appwright.agent.tools.context import ToolContext, ToolResult
from appwright.agent.tools.files import ToolFailure

__all__ = ["CommandOutput", "add_dependency", "run_in_sandbox", "send_terminal_command"]

_HEAD = 2_000
_TAIL = 6_000
_INSTALL_TIMEOUT = 300.0
# npm package specs: name or @scope/name, optionally @version/range/tag. Nothing a shell
# would interpret, so a spec can never smuggle in another command.
_PACKAGE = re.compile(r"^(@[a-z0-9][\w.-]*/)?[a-z0-9][\w.-]*(@[\w.^~<>=*|+ -]{1,64})?$", re.I)
_DEV_SERVER = re.compile(
    r"\b(npm|pnpm|yarn|bun)\s+(run\s+)?(dev|start)\b|\bnext\s+dev\b|\bvite(\s|$)"
)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


@dataclass(frozen=True, slots=True)
class CommandOutput:
    """What a sandboxed command printed (stdout and stderr interleaved) and how it ended."""

    exit_code: int | None
    output: str
    timed_out: bool

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


def truncate_output(text: str) -> str:
    """Head and tail of a long output, with the number of characters left out."""
    text = _ANSI.sub("", text)
    if len(text) <= _HEAD + _TAIL:
        return text
    cut = len(text) - _HEAD - _TAIL
    return f"{text[:_HEAD]}\n... ({cut} characters left out) ...\n{text[-_TAIL:]}"


async def run_in_sandbox(ctx: ToolContext, command: str, *, timeout: float) -> CommandOutput:
    """Run ``command`` in the project's sandbox and collect its output."""
    chunks: list[str] = []
    exit_code: int | None = None
    timed_out = False
    async for event in ctx.runtime.execute(
        ctx.project_id, ctx.template.id, command, timeout=timeout
    ):
        if event.kind == "exit":
            exit_code, timed_out = event.exit_code, event.timed_out
        else:
            chunks.append(event.data)
    return CommandOutput(exit_code, truncate_output("".join(chunks)), timed_out)


def _describe(out: CommandOutput, timeout: float) -> str:
    if out.timed_out:
        status = f"stopped after the {timeout:g} s time limit"
    else:
        status = f"exit code {out.exit_code}"
    return f"({status})\n{out.output}".rstrip()


async def send_terminal_command(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Run a shell command in the sandbox; the dev server is refused (it runs on its own)."""
    command = args.get("command")
    if not isinstance(command, str) or not command.strip():
        raise ToolFailure("`command` must be a shell command.")
    if _DEV_SERVER.search(command):
        raise ToolFailure(
            "The dev server already runs on its own and reloads on every change; do not "
            "start it. Use check_for_errors to see build errors."
        )
    out = await run_in_sandbox(ctx, command, timeout=ctx.command_timeout)
    # The command may have changed any file; the turn's commit picks those changes up.
    ctx.changes.mark()
    return ToolResult(
        ok=out.ok,
        content=f"$ {command}\n{_describe(out, ctx.command_timeout)}",
        summary=f"$ {command[:120]}",
        output=out.output,
    )


async def add_dependency(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """``npm install`` packages in the sandbox (package.json and the lock file change)."""
    if ctx.template.package_manager is None:
        raise ToolFailure(
            f"The {ctx.template.name} template has no package manager: load libraries from a "
            "CDN with a pinned version instead."
        )
    packages = [str(p).strip() for p in args.get("packages") or [] if str(p).strip()]
    if not packages:
        raise ToolFailure("Name at least one package, e.g. zod or react-hook-form@7.")
    bad = [p for p in packages if not _PACKAGE.match(p)]
    if bad:
        raise ToolFailure(f"Not a valid npm package name: {', '.join(bad)}.")
    for path in ("package.json", "package-lock.json"):
        await ctx.changes.remember(path)
    dev = ["--save-dev"] if args.get("dev") else []
    command = shlex.join(["npm", "install", "--no-audit", "--no-fund", *dev, *packages])
    out = await run_in_sandbox(ctx, command, timeout=_INSTALL_TIMEOUT)
    ctx.changes.mark("package.json", "package-lock.json")
    names = ", ".join(packages)
    return ToolResult(
        ok=out.ok,
        content=(f"Installed {names}." if out.ok else f"Installing {names} failed")
        + f"\n{_describe(out, _INSTALL_TIMEOUT)}",
        summary=f"npm install {names}",
        output=out.output,
        changed=["package.json"] if out.ok else [],
    )
