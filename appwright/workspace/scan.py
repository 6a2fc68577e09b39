"""Directory walks for tree, search and export: fast, ignore-aware, never following links."""

from __future__ import annotations

import os
from collections.abc import Iterator
from operator import attrgetter

from appwright.workspace.base import FileNode, FileTree

DEFAULT_IGNORED: frozenset[str] = frozenset(
    {
        "node_modules",
        ".git",
        ".next",
        ".nuxt",
        ".output",
        ".svelte-kit",
        ".vercel",
        ".turbo",
        ".vite",
        ".cache",
        ".parcel-cache",
        ".pnpm-store",
        "dist",
        "build",
        "coverage",
        "__pycache__",
        ".pytest_cache",
        ".mypy_cache",
        ".venv",
    }
)
"""Dependency, build and cache folders left out of the tree, search and export."""

TMP_PREFIX = ".appwright-tmp-"
"""Prefix of the temporary files of atomic writes; never listed."""


def _skipped(name: str, ignored: frozenset[str]) -> bool:
    # .git is never listed whatever the configuration: its internals are not files
    # of the project (see paths.py).
    return name in ignored or name == ".git" or name.startswith(TMP_PREFIX)


_name = attrgetter("name")


def _sorted_entries(directory: str) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(directory) as it:
            entries = list(it)
    except (PermissionError, FileNotFoundError, NotADirectoryError):
        return []
    entries.sort(key=_name)
    return entries


def scan_tree(root: str, ignored: frozenset[str], max_entries: int) -> FileTree:
    """Build the nested tree under ``root`` (a real, absolute path); blocking.

    Directories come first, then files, each by name. Symlinks are listed as such and
    never followed. Stops after ``max_entries`` nodes and sets ``truncated``.
    """
    count = 0
    files = 0
    truncated = False

    def walk(directory: str, rel_dir: str) -> list[FileNode]:
        nonlocal count, files, truncated
        dirs: list[FileNode] = []
        leaves: list[FileNode] = []
        prefix = f"{rel_dir}/" if rel_dir else ""
        for entry in _sorted_entries(directory):
            name = entry.name
            # Inlined _skipped(): this loop runs once per file of the project.
            if name in ignored or name == ".git" or name.startswith(TMP_PREFIX):
                continue
            if count >= max_entries:
                truncated = True
                break
            count += 1
            rel = prefix + name
            try:
                # Regular files first: the common case, answered from d_type without a stat.
                if entry.is_file(follow_symlinks=False):
                    size = entry.stat(follow_symlinks=False).st_size
                    leaves.append(FileNode(name, rel, "file", size))
                    files += 1
                elif entry.is_dir(follow_symlinks=False):
                    dirs.append(FileNode(name, rel, "dir", 0, walk(entry.path, rel)))
                elif entry.is_symlink():
                    leaves.append(FileNode(name, rel, "symlink"))
            except FileNotFoundError:
                # Removed while we walked (the dev server or the agent is busy): skip it.
                continue
        return dirs + leaves

    children = walk(root, "")
    return FileTree(FileNode("", "", "dir", 0, children), files, truncated)


def iter_files(root: str, ignored: frozenset[str]) -> Iterator[tuple[str, str]]:
    """Yield ``(relative_path, absolute_path)`` of regular files under ``root``, sorted.

    Ignored folders and symlinks are skipped, so nothing outside the workspace is reached.
    """
    stack: list[tuple[str, str]] = [(root, "")]
    while stack:
        directory, rel_dir = stack.pop()
        subdirs: list[tuple[str, str]] = []
        for entry in _sorted_entries(directory):
            if _skipped(entry.name, ignored):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append((entry.path, rel))
                elif entry.is_file(follow_symlinks=False):
                    yield rel, entry.path
            except FileNotFoundError:
                continue
        # Reverse so that popping visits sub-directories in name order.
        stack.extend(reversed(subdirs))
