"""File tools: create, edit by sections, rewrite, delete, rename, read, open/close, search.

Every path goes through the workspace's single validator (``normalize_path`` here for
the canonical form and the protected-path check, ``LocalWorkspace`` again on use, which
also resolves symbolic links). Each change is one atomic write, remembered in the turn's
``TurnChanges`` first so a cancelled turn can be put back.
"""

from __future__ import annotations

import posixpath
from typing import Any

from appwright.agent.edits import EditError, apply_sections
from appwright.agent.elision import detect_elision
from appwright.agent.tools.context import ToolContext, ToolResult
from appwright.workspace import SearchQuery, normalize_path
from appwright.workspace.errors import FileNotFound, PathRejected
from appwright.workspace.text import is_env_file, redact_env, unified_diff

__all__ = [
    "ToolFailure",
    "clean_path",
    "create_file",
    "delete_file",
    "full_file_rewrite",
    "open_files",
    "read_files",
    "rename_file",
    "search_files",
    "update_file_sections",
]

LOCK_FILES = frozenset({"package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lockb"})
_READ_LIMIT = 60_000  # characters of one file returned to the model


class ToolFailure(Exception):
    """A tool refused or failed; the message is the instruction the model receives."""


def clean_path(raw: Any) -> str:
    """The canonical workspace-relative form of a path argument, or a ToolFailure."""
    if not isinstance(raw, str) or not raw.strip():
        raise ToolFailure("The path is missing: give a workspace-relative path like src/App.tsx.")
    try:
        return normalize_path(raw.strip())
    except PathRejected as exc:
        raise ToolFailure(
            f"Refused: {exc.detail}. Use a path relative to the project root "
            "(e.g. src/App.tsx), without '..', '/' at the start, or .git."
        ) from None


def _writable(ctx: ToolContext, raw: Any) -> str:
    path = clean_path(raw)
    name = posixpath.basename(path)
    if path in ctx.template.protected_paths or name in LOCK_FILES:
        raise ToolFailure(
            f"Refused: {path} is managed by the platform or the package manager and must not "
            "be edited. Use add_dependency to change dependencies."
        )
    if path.split("/")[0] == "node_modules":
        raise ToolFailure("Refused: node_modules is installed by the package manager.")
    if is_env_file(path):
        raise ToolFailure(
            f"Refused: {path} holds secrets. Ask the user to set environment variables in "
            "the project settings; reference them in code through process.env / import.meta.env."
        )
    return path


async def _read_text(ctx: ToolContext, path: str) -> str | None:
    try:
        data = await ctx.workspace.read(path)
    except FileNotFound:
        return None
    if b"\x00" in data[:8000]:
        raise ToolFailure(f"{path} is a binary file; it cannot be edited as text.")
    return data.decode("utf-8", errors="replace")


async def _write(ctx: ToolContext, path: str, before: str | None, after: str) -> ToolResult:
    await ctx.changes.remember(path)
    await ctx.workspace.write(path, after.encode("utf-8"))
    ctx.changes.mark(path)
    added = after.count("\n") + (0 if after.endswith("\n") or not after else 1)
    verb = "Created" if before is None else "Updated"
    return ToolResult(
        ok=True,
        content=f"{verb} {path} ({added} lines).",
        summary=f"{verb} {path}",
        path=path,
        diff=unified_diff(path, before, after),
        changed=[path],
    )


def _content(args: dict[str, Any]) -> str:
    content = args.get("content")
    if not isinstance(content, str):
        raise ToolFailure("`content` must be the complete file content as a string.")
    if problem := detect_elision(content):
        raise ToolFailure(problem)
    return content


async def create_file(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Write a new file (an existing one is replaced, and the result says so)."""
    path = _writable(ctx, args.get("path"))
    content = _content(args)
    before = await _read_text(ctx, path)
    result = await _write(ctx, path, before, content)
    if before is not None:
        result.content += " The file already existed and was replaced."
    return result


async def full_file_rewrite(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Replace an existing file's content."""
    path = _writable(ctx, args.get("path"))
    content = _content(args)
    before = await _read_text(ctx, path)
    if before is None:
        raise ToolFailure(f"{path} does not exist; use create_file for a new file.")
    return await _write(ctx, path, before, content)


async def update_file_sections(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Apply search/replace sections; a missing or ambiguous section changes nothing."""
    path = _writable(ctx, args.get("path"))
    before = await _read_text(ctx, path)
    if before is None:
        raise ToolFailure(f"{path} does not exist; use create_file to create it.")
    raw = args.get("sections") or []
    sections = [(str(s.get("search", "")), str(s.get("replace", ""))) for s in raw]
    try:
        after = apply_sections(before, sections)
    except EditError as exc:
        raise ToolFailure(f"{path} was not changed. {exc}") from None
    return await _write(ctx, path, before, after)


async def delete_file(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Delete one file (folders are refused: their content could not be put back)."""
    path = _writable(ctx, args.get("path"))
    before = await _read_text(ctx, path)
    if before is None:
        raise ToolFailure(f"{path} does not exist, so there is nothing to delete.")
    await ctx.changes.remember(path)
    await ctx.workspace.delete(path)
    ctx.changes.mark(path)
    if path in ctx.open_files:
        ctx.open_files.remove(path)
    return ToolResult(
        ok=True,
        content=f"Deleted {path}.",
        summary=f"Deleted {path}",
        path=path,
        diff=unified_diff(path, before, None),
        changed=[path],
    )


async def rename_file(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Move a file; the destination must not exist."""
    src = _writable(ctx, args.get("path"))
    dst = _writable(ctx, args.get("new_path"))
    if await _read_text(ctx, src) is None:
        raise ToolFailure(f"{src} does not exist.")
    if await _read_text(ctx, dst) is not None:
        raise ToolFailure(f"{dst} already exists; delete it first or choose another name.")
    await ctx.changes.remember(src)
    await ctx.changes.remember(dst)
    await ctx.workspace.rename(src, dst)
    ctx.changes.mark(src, dst)
    ctx.open_files[:] = [dst if p == src else p for p in ctx.open_files]
    return ToolResult(
        ok=True,
        content=f"Renamed {src} to {dst}. Update any imports of the old path.",
        summary=f"Renamed {src} → {dst}",
        path=dst,
        changed=[src, dst],
    )


def numbered(text: str) -> str:
    """File text with right-aligned line numbers, as the model reads files."""
    lines = text.splitlines()
    width = len(str(len(lines)))
    return "\n".join(f"{n:>{width}}| {line}" for n, line in enumerate(lines, start=1))


async def _file_block(ctx: ToolContext, raw: Any) -> tuple[str, str]:
    path = clean_path(raw)
    text = await _read_text(ctx, path)
    if text is None:
        raise ToolFailure(f"{path} does not exist.")
    if is_env_file(path):
        text = redact_env(text)
    if len(text) > _READ_LIMIT:
        text = text[:_READ_LIMIT] + "\n... (truncated: the file is longer)"
    return path, f'<file path="{path}">\n{numbered(text)}\n</file>'


async def _blocks(ctx: ToolContext, paths: Any) -> tuple[list[str], list[str]]:
    if not isinstance(paths, list) or not paths:
        raise ToolFailure("Give a list of workspace-relative paths.")
    found, parts, problems = [], [], []
    for raw in paths[:20]:
        try:
            path, block = await _file_block(ctx, raw)
        except ToolFailure as exc:
            problems.append(str(exc))
            continue
        found.append(path)
        parts.append(block)
    if not found:
        raise ToolFailure(" ".join(problems))
    return found, parts + problems


async def read_files(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Return files with line numbers (``.env*`` values redacted)."""
    found, parts = await _blocks(ctx, args.get("paths"))
    return ToolResult(ok=True, content="\n\n".join(parts), summary="Read " + ", ".join(found))


async def open_files(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Open files in the editor (kept in the model's context) and return their content."""
    found, parts = await _blocks(ctx, args.get("files"))
    for path in found:
        if path not in ctx.open_files:
            ctx.open_files.append(path)
    return ToolResult(ok=True, content="\n\n".join(parts), summary="Opened " + ", ".join(found))


async def close_files(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Close files in the editor."""
    files = args.get("files") or []
    closed = [p for p in (clean_path(f) for f in files) if p in ctx.open_files]
    ctx.open_files[:] = [p for p in ctx.open_files if p not in closed]
    return ToolResult(
        ok=True,
        content=f"Closed {', '.join(closed) or 'nothing (none of them was open)'}.",
        summary="Closed " + (", ".join(closed) or "nothing"),
    )


async def search_files(ctx: ToolContext, args: dict[str, Any]) -> ToolResult:
    """Regular-expression search over the project's files (dependencies left out)."""
    pattern = args.get("pattern")
    if not isinstance(pattern, str) or not pattern:
        raise ToolFailure("`pattern` must be a non-empty regular expression.")
    glob = args.get("glob")
    include = [glob] if isinstance(glob, str) and glob else []
    query = SearchQuery(pattern=pattern, regex=True, include=include, max_results=101)
    hits = await ctx.workspace.search(query)
    hits = [h for h in hits if not is_env_file(h.path)]
    if not hits:
        return ToolResult(ok=True, content=f"No matches for /{pattern}/.", summary="No matches")
    lines = [f"{h.path}:{h.line}: {h.preview.strip()}" for h in hits[:100]]
    if len(hits) > 100:
        lines.append("... more matches; narrow the pattern or add a glob.")
    return ToolResult(ok=True, content="\n".join(lines), summary=f"{min(len(hits), 100)} matches")
