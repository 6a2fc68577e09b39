"""The single path validator of the product.

Every workspace-relative path that arrives from an API request or an agent tool call
goes through :func:`resolve_path` before anything touches the disk. The rules:

* POSIX, relative, at most :data:`MAX_PATH_LENGTH` characters and
  :data:`MAX_SEGMENT_BYTES` bytes per segment;
* no ``..``, no ``.`` or empty segments (a leading ``./`` and one trailing ``/`` are
  tolerated, because models and editors send them), no backslashes, no NUL or other
  control characters, no ``~`` home shortcut, no drive letters;
* the same rules hold for the path percent-decoded once more, so a double-encoded
  ``%2e%2e`` cannot turn into ``..`` in some later layer;
* nothing inside any ``.git`` directory, for reads and writes alike (git internals are
  reachable only through ``appwright.versions``);
* after resolving symbolic links the path must stay inside the workspace root; a link
  that points outside is refused whatever the operation.

A residual race remains: a process inside the sandbox could swap a checked directory for
a symlink between this check and the use. Final components are opened with
``O_NOFOLLOW`` by the workspace to narrow it; the sandbox confines what such a process
could reach in the first place.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from appwright.workspace.errors import PathRejected

MAX_PATH_LENGTH = 1024
MAX_SEGMENT_BYTES = 255

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DRIVE = re.compile(r"^[A-Za-z]:")


def _is_git_dir_name(segment: str) -> bool:
    # Case-insensitive and ignoring trailing dots/spaces: on case-insensitive or
    # Windows-like filesystems ".GIT" or ".git." name the same directory.
    return segment.rstrip(". ").casefold() == ".git"


def _check_syntax(original: str, path: str) -> list[str]:
    """Validate ``path`` (``original`` is what the caller sent, for messages)."""
    if len(path) > MAX_PATH_LENGTH:
        raise PathRejected(original, f"longer than {MAX_PATH_LENGTH} characters")
    if "\x00" in path:
        raise PathRejected(original, "contains a NUL byte")
    if _CONTROL.search(path):
        raise PathRejected(original, "contains control characters")
    if "\\" in path:
        raise PathRejected(original, "contains a backslash; use '/' as the separator")
    if path.startswith("/"):
        raise PathRejected(
            original, "absolute paths are not allowed; use a workspace-relative path"
        )
    if _DRIVE.match(path):
        raise PathRejected(original, "drive letters are not allowed")
    if path.startswith("~"):
        raise PathRejected(original, "'~' (home directory) is not allowed")
    while path.startswith("./"):
        path = path[2:]
    if path.endswith("/"):
        path = path[:-1]
    if path in ("", "."):
        return []
    segments = path.split("/")
    for segment in segments:
        if segment == "":
            raise PathRejected(original, "contains an empty segment ('//')")
        if segment == "..":
            raise PathRejected(original, "'..' segments are not allowed")
        if segment == ".":
            raise PathRejected(original, "'.' segments are not allowed inside a path")
        if len(segment.encode("utf-8", "surrogatepass")) > MAX_SEGMENT_BYTES:
            raise PathRejected(original, f"a segment is longer than {MAX_SEGMENT_BYTES} bytes")
        if _is_git_dir_name(segment):
            raise PathRejected(original, "the .git directory is not accessible")
    return segments


def normalize_path(path: str, *, allow_root: bool = False) -> str:
    """Validate the syntax of a workspace-relative path and return its canonical form.

    The canonical form has no leading ``./`` and no trailing ``/``; the workspace root is
    ``""`` and is accepted only with ``allow_root=True``. Raises :class:`PathRejected`.
    """
    if not isinstance(path, str):
        raise PathRejected(repr(path), "must be a string")
    segments = _check_syntax(path, path)
    decoded = unquote(path, errors="replace") if "%" in path else path
    if decoded != path:
        try:
            _check_syntax(path, decoded)
        except PathRejected as exc:
            raise PathRejected(path, f"once percent-decoded, {exc.reason}") from None
    if not segments and not allow_root:
        raise PathRejected(path, "names the workspace root, not a file")
    return "/".join(segments)


def resolve_path(
    root: str | os.PathLike[str],
    path: str,
    *,
    allow_root: bool = False,
    follow_final: bool = True,
) -> Path:
    """Return the absolute, symlink-resolved location of ``path`` inside ``root``.

    Raises :class:`PathRejected` when the syntax is refused (see the module docstring) or
    when resolving symbolic links leaves the root or lands inside a ``.git`` directory.
    The path need not exist; links in its existing prefix are resolved.

    With ``follow_final=False`` the last component is kept as named (delete and rename act
    on a link itself, not on its target), but a final symlink whose target lies outside
    the workspace is still refused.
    """
    rel = normalize_path(path, allow_root=allow_root)
    root_real = os.path.realpath(root)
    if not rel:
        return Path(root_real)
    if follow_final:
        real = _inside(root_real, os.path.realpath(os.path.join(root_real, rel)), path)
    else:
        parent, _, name = rel.rpartition("/")
        parent_real = os.path.realpath(os.path.join(root_real, parent)) if parent else root_real
        if parent_real != root_real:
            _inside(root_real, parent_real, path)
        real = os.path.join(parent_real, name)
        if os.path.islink(real):
            _inside(root_real, os.path.realpath(real), path)
    return Path(real)


def _inside(root_real: str, real: str, path: str) -> str:
    """Refuse ``real`` unless it lies strictly inside ``root_real`` and outside ``.git``."""
    if real == root_real:
        raise PathRejected(path, "resolves to the workspace root")
    if not real.startswith(root_real + os.sep):
        raise PathRejected(path, "resolves outside the workspace (symbolic link)")
    inner = real[len(root_real) + 1 :]
    if any(_is_git_dir_name(segment) for segment in inner.split(os.sep)):
        raise PathRejected(path, "resolves into the .git directory")
    return real


def relative_path(root: str | os.PathLike[str], absolute: str | os.PathLike[str]) -> str:
    """Workspace-relative POSIX form of an absolute path returned by :func:`resolve_path`."""
    root_real = os.path.realpath(root)
    rel = os.path.relpath(os.fspath(absolute), root_real)
    return "" if rel == "." else rel.replace(os.sep, "/")
