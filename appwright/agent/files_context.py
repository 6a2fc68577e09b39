"""Which project files the model sees, within a token budget.

The model always gets the compressed file tree. File contents are chosen by relevance:
files open in the editor, files named in the message, files changed recently, their
import neighbours, then the project's entry points, until the budget is spent. Lock
files, dependencies, build output and binaries are never included; ``.env*`` files appear
with their variable names only.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from appwright.agent.tools.files import LOCK_FILES
from appwright.workspace import FileNode, LocalWorkspace
from appwright.workspace.errors import WorkspaceError
from appwright.workspace.text import is_env_file, redact_env

__all__ = ["FileContext", "collect_files", "compress_tree", "estimate_tokens", "import_targets"]

_BINARY_EXT = frozenset(
    [
        ".png",
        ".jpg",
        ".jpeg",
        ".gif",
        ".webp",
        ".ico",
        ".bmp",
        ".avif",
        ".woff",
        ".woff2",
        ".ttf",
        ".otf",
        ".eot",
        ".mp3",
        ".mp4",
        ".webm",
        ".wav",
        ".pdf",
        ".zip",
        ".gz",
        ".tgz",
        ".wasm",
        ".lockb",
        ".map",
    ]
)
_ENTRY_POINTS = (
    "package.json",
    "index.html",
    "src/App.tsx",
    "src/App.vue",
    "src/main.tsx",
    "pages/index.tsx",
    "pages/_app.tsx",
    "app/page.tsx",
    "app/layout.tsx",
    "script.js",
    "styles.css",
)
_IMPORT = re.compile(
    r"""(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*|\bsrc=|\bhref=)["']([^"'\s]+)["']"""
)
_RESOLVE_SUFFIXES = (
    "",
    ".ts",
    ".tsx",
    ".js",
    ".jsx",
    ".mjs",
    ".vue",
    ".css",
    "/index.ts",
    "/index.tsx",
    "/index.js",
)
_PATHLIKE = re.compile(r"[\w@.-]+(?:/[\w@.-]+)*\.\w{1,6}")


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate (about four characters per token for code and English)."""
    return len(text) // 4 + 1


@dataclass(slots=True)
class FileContext:
    """The files chosen for one turn."""

    tree: str
    files: dict[str, str] = field(default_factory=dict)
    omitted: list[str] = field(default_factory=list)
    all_paths: list[str] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.tree) + sum(estimate_tokens(t) for t in self.files.values())


def _walk(node: FileNode, out: list[str]) -> None:
    for child in node.children:
        if child.type == "dir":
            _walk(child, out)
        else:
            out.append(child.path)


def _relevant_file(path: str) -> bool:
    name = posixpath.basename(path)
    ext = posixpath.splitext(name)[1].lower()
    return name not in LOCK_FILES and ext not in _BINARY_EXT


def compress_tree(paths: Iterable[str]) -> str:
    """One line per folder with its file names: far fewer tokens than a nested tree."""
    folders: dict[str, list[str]] = {}
    for path in sorted(paths):
        folder, _, name = path.rpartition("/")
        folders.setdefault(folder, []).append(name)
    lines = []
    for folder in sorted(folders):
        names = ", ".join(folders[folder])
        lines.append(f"{folder}/: {names}" if folder else f"./: {names}")
    return "\n".join(lines)


def import_targets(path: str, text: str, known: set[str]) -> list[str]:
    """Project files that ``path`` imports (relative, ``@/`` and root-relative specifiers)."""
    found: list[str] = []
    base = posixpath.dirname(path)
    for spec in _IMPORT.findall(text):
        if spec.startswith("./") or spec.startswith("../"):
            stems = [posixpath.normpath(posixpath.join(base, spec))]
        elif spec.startswith("@/") or spec.startswith("~/"):
            stems = [spec[2:], f"src/{spec[2:]}"]
        elif spec.startswith("/") and not spec.startswith("//"):
            stems = [spec[1:]]
        else:
            continue
        for stem in stems:
            hit = next((stem + s for s in _RESOLVE_SUFFIXES if stem + s in known), None)
            if hit is not None and hit not in found:
                found.append(hit)
                break
    return found


def mentioned_files(message: str, paths: list[str]) -> list[str]:
    """Files the message names by path, by file name, or by a distinctive stem."""
    hits: list[str] = []
    named = {m.strip("./") for m in _PATHLIKE.findall(message)}
    for path in paths:
        name = posixpath.basename(path)
        stem = posixpath.splitext(name)[0]
        if (
            path in named
            or name in named
            or (
                len(stem) >= 4
                and stem.lower() not in ("index", "main", "page", "layout")
                and re.search(rf"\b{re.escape(stem)}\b", message, re.I)
            )
        ):
            hits.append(path)
    return hits


async def _read(workspace: LocalWorkspace, path: str) -> str | None:
    try:
        data = await workspace.read(path)
    except WorkspaceError:
        return None
    if b"\x00" in data[:8000]:
        return None
    text = data.decode("utf-8", errors="replace")
    return redact_env(text) if is_env_file(path) else text


async def collect_files(
    workspace: LocalWorkspace,
    *,
    message: str,
    open_files: list[str],
    recent: list[str],
    budget_tokens: int,
) -> FileContext:
    """Choose file contents for the model in relevance order until ``budget_tokens``."""
    tree = await workspace.tree()
    paths: list[str] = []
    _walk(tree.root, paths)
    known = set(paths)
    context = FileContext(tree=compress_tree(paths), all_paths=paths)
    spent = context.tokens
    cache: dict[str, str | None] = {}

    async def text_of(path: str) -> str | None:
        if path not in cache:
            cache[path] = await _read(workspace, path) if _relevant_file(path) else None
        return cache[path]

    first = [*open_files, *mentioned_files(message, paths), *recent]
    neighbours: list[str] = []
    for path in first:
        if path in known and (text := await text_of(path)) is not None:
            neighbours += import_targets(path, text, known)
    queue = [*first, *neighbours, *_ENTRY_POINTS]
    for path in dict.fromkeys(queue):
        if path not in known or path in context.files or is_env_file(path):
            continue
        text = await text_of(path)
        if text is None:
            continue
        cost = estimate_tokens(text) + 12
        if spent + cost > budget_tokens:
            context.omitted.append(path)
            continue
        context.files[path] = text
        spent += cost
    return context
