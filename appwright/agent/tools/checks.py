"""``check_for_errors``: real diagnostics from the real toolchain, deduplicated.

Sources, each only when it applies: the dev server's compile errors logged since the
turn began; ``tsc --noEmit`` in the sandbox when the project has a ``tsconfig.json`` and
TypeScript installed; ``node --check`` for JavaScript files changed this turn; a JSON parse
of JSON files changed this turn. Nothing is guessed: no source, no error.
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any

import anyio

from appwright.agent.tools.commands import run_in_sandbox
from appwright.agent.tools.context import ToolContext, ToolResult
from appwright.sandbox.base import LogLine
from appwright.workspace.errors import WorkspaceError

__all__ = ["check_for_errors", "dev_server_errors", "error_signature"]

_MAX_PROBLEMS = 20
_LOG_ERROR = re.compile(
    r"(\berror\b|⨯|Failed to compile|Module not found|SyntaxError|TypeError|ReferenceError"
    r"|Cannot find module|Unexpected token)",
    re.I,
)
_LOG_OK = re.compile(r"(✓|Compiled|compiled successfully|ready in|hmr update|page reload)", re.I)
_TSC_ERROR = re.compile(r"^(?P<loc>[^\s(][^(]*\(\d+,\d+\)): error (?P<code>TS\d+): (?P<msg>.*)$")
_FILE_MARK = "@@appwright-check "
_JS = (".js", ".mjs", ".cjs")
_ESM = re.compile(r"^\s*(import|export)\b", re.M)
_NOISE = re.compile(r"\b\d+(\.\d+)?\s*m?s\b")  # timings differ between identical errors


def dev_server_errors(lines: list[LogLine], *, since: float) -> list[str]:
    """Error lines the dev server logged after ``since`` and after its last success note."""
    recent = [line for line in lines if line.ts >= since and line.stream != "system"]
    last_ok = max((i for i, line in enumerate(recent) if _LOG_OK.search(line.text)), default=-1)
    found: list[str] = []
    for line in recent[last_ok + 1 :]:
        text = line.text.strip()
        if text and _LOG_ERROR.search(text) and text not in found:
            found.append(text[:500])
    return found[:_MAX_PROBLEMS]


def error_signature(problems: list[str]) -> str:
    """A stable fingerprint of a set of problems, to see the same error come back."""
    return "\n".join(sorted({_NOISE.sub("", p).strip() for p in problems}))


async def _exists(ctx: ToolContext, rel: str) -> bool:
    return await anyio.Path(ctx.workspace.root, rel).exists()


async def _typescript(ctx: ToolContext) -> list[str]:
    if not await _exists(ctx, "tsconfig.json") or not await _exists(ctx, "node_modules/.bin/tsc"):
        return []
    out = await run_in_sandbox(
        ctx,
        "./node_modules/.bin/tsc --noEmit -p . --pretty false",
        timeout=ctx.check_timeout,
    )
    if out.timed_out:
        return [f"The TypeScript check did not finish within {ctx.check_timeout:g} s."]
    problems = []
    for line in out.output.splitlines():
        m = _TSC_ERROR.match(line.strip())
        if m:
            problems.append(f"{m['loc']}: error {m['code']}: {m['msg']}")
    if not problems and out.exit_code not in (0, None):
        problems.append(f"tsc failed (exit code {out.exit_code}): {out.output.strip()[-500:]}")
    return problems


def _node_problem(path: str, text: str) -> str | None:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    if not lines:
        return None
    message = next((ln for ln in reversed(lines) if re.match(r"^\w*Error\b", ln)), lines[-1])
    where = re.search(r":(\d+)\s*$", lines[0])
    at = f" (line {where.group(1)})" if where else ""
    return f"{path}{at}: {message.strip()}"


async def _text(ctx: ToolContext, path: str) -> str:
    try:
        return (await ctx.workspace.read(path)).decode("utf-8", errors="replace")
    except WorkspaceError:
        return ""


async def _javascript(ctx: ToolContext) -> list[str]:
    files = [p for p in ctx.changes.changed if p.endswith(_JS) and await _exists(ctx, p)]
    if not files:
        return []
    commands = []
    for path in files:
        quoted = shlex.quote(path)
        # Node 20 silently accepts any .js file with import/export under --check (module
        # detection); reading it as a module from stdin really parses it.
        module = path.endswith(".mjs") or (
            not path.endswith(".cjs") and _ESM.search(await _text(ctx, path)) is not None
        )
        check = (
            f"node --check --input-type=module < {quoted}" if module else f"node --check {quoted}"
        )
        commands.append(f"echo {shlex.quote(_FILE_MARK + path)}; {check} 2>&1")
    script = "; ".join(commands)
    out = await run_in_sandbox(ctx, script, timeout=ctx.check_timeout)
    problems = []
    for chunk in out.output.split(_FILE_MARK)[1:]:
        path, _, text = chunk.partition("\n")
        if (problem := _node_problem(path.strip(), text)) is not None:
            problems.append(problem)
    return problems


async def _json(ctx: ToolContext) -> list[str]:
    problems = []
    for path in ctx.changes.changed:
        if not path.endswith(".json") or not await _exists(ctx, path):
            continue
        try:
            data = await ctx.workspace.read(path)
        except WorkspaceError:
            continue
        try:
            json.loads(data)
        except ValueError as exc:
            # tsconfig.json allows comments; tsc reports its real problems.
            if not path.endswith("tsconfig.json"):
                problems.append(f"{path}: invalid JSON: {exc}")
    return problems


async def find_problems(ctx: ToolContext) -> list[str]:
    """Every problem the sources above report now, deduplicated, at most 20."""
    logs = ctx.runtime.logs(ctx.project_id, 300)
    problems = dev_server_errors(logs, since=ctx.turn_started)
    for source in (_typescript, _javascript, _json):
        for problem in await source(ctx):
            if problem not in problems:
                problems.append(problem)
    return problems[:_MAX_PROBLEMS]


async def check_for_errors(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """The tool: report the project's current build, type and syntax errors."""
    problems = await find_problems(ctx)
    if not problems:
        return ToolResult(ok=True, content="No errors found.", summary="No errors", errors=[])
    listing = "\n".join(f"- {p}" for p in problems)
    return ToolResult(
        ok=True,
        content=f"Found {len(problems)} error(s):\n{listing}\nFix them, then check again.",
        summary=f"{len(problems)} error(s) found",
        errors=problems,
    )
