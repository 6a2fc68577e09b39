"""Directory walks for tree, search and export: fast, ignore-aware, never following links."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from operator import attrgetter

from appwright.workspace.base import FileNode, FileTree
from appwright.workspace.dirfd import open_dir
from appwright.workspace.errors import WorkspaceError

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
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _open_child_dir(parent_fd: int, name: str) -> int | None:
    """The sub-folder ``name`` of an open folder, never through a link (``None`` if gone
    or replaced by a link since it was listed: a sandboxed process may swap it)."""
    try:
        return os.open(name, _DIR_FLAGS, dir_fd=parent_fd)
    except OSError:
        return None


def _sorted_entries(dir_fd: int) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(dir_fd) as it:
            entries = list(it)
    except (PermissionError, FileNotFoundError, NotADirectoryError):
        return []
    entries.sort(key=_name)
    return entries


def scan_tree(root: str, ignored: frozenset[str], max_entries: int) -> FileTree:
    """Build the nested tree under ``root`` (a real, absolute path); blocking.

    Directories come first, then files, each by name. Symlinks are listed as such and
    never followed; folders are opened relative to their parent's descriptor without
    following links, so a folder swapped for a link mid-walk is not entered. Stops after
    ``max_entries`` nodes and sets ``truncated``.
    """
    count = 0
    files = 0
    truncated = False

    def walk(dir_fd: int, rel_dir: str) -> list[FileNode]:
        nonlocal count, files, truncated
        dirs: list[FileNode] = []
        leaves: list[FileNode] = []
        prefix = f"{rel_dir}/" if rel_dir else ""
        for entry in _sorted_entries(dir_fd):
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
                    child = _open_child_dir(dir_fd, name)
                    if child is None:
                        continue
                    try:
                        dirs.append(FileNode(name, rel, "dir", 0, walk(child, rel)))
                    finally:
                        os.close(child)
                elif entry.is_symlink():
                    leaves.append(FileNode(name, rel, "symlink"))
            except FileNotFoundError:
                # Removed while we walked (the dev server or the agent is busy): skip it.
                continue
        return dirs + leaves

    root_fd = os.open(root, _DIR_FLAGS)
    try:
        children = walk(root_fd, "")
    finally:
        os.close(root_fd)
    return FileTree(FileNode("", "", "dir", 0, children), files, truncated)


def iter_files(root: str, ignored: frozenset[str]) -> Iterator[tuple[str, str]]:
    """Yield ``(relative_path, absolute_path)`` of regular files under ``root``, sorted.

    Ignored folders and symlinks are skipped and folders are opened without following
    links, so nothing outside the workspace is reached. Open the files themselves with
    :func:`open_file`, which walks the same way.
    """

    def walk(dir_fd: int, rel_dir: str) -> Iterator[tuple[str, str]]:
        subdirs: list[tuple[str, str]] = []
        for entry in _sorted_entries(dir_fd):
            if _skipped(entry.name, ignored):
                continue
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    subdirs.append((entry.name, rel))
                elif entry.is_file(follow_symlinks=False):
                    yield rel, os.path.join(root, rel)
            except FileNotFoundError:
                continue
        for name, rel in subdirs:
            child = _open_child_dir(dir_fd, name)
            if child is None:
                continue
            try:
                yield from walk(child, rel)
            finally:
                os.close(child)

    root_fd = os.open(root, _DIR_FLAGS)
    try:
        yield from walk(root_fd, "")
    finally:
        os.close(root_fd)


def open_file(root: str, rel: str) -> int | None:
    """A read descriptor of the regular file ``rel`` of the workspace, reached without
    following any link; ``None`` when it vanished, is not a regular file or a folder on
    the way was replaced by a link. The caller closes it."""
    folder, _, name = rel.rpartition("/")
    try:
        dir_fd = open_dir(root, folder, rel)
    except WorkspaceError:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return None
    finally:
        os.close(dir_fd)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)  # a FIFO or device planted in the workspace: never read it
        return None
    return fd
