"""Folders of a workspace opened one component at a time, never through a symbolic link.

:func:`~appwright.workspace.paths.resolve_path` decides where a path lands, but between
that check and the use of the path a process in the project's sandbox could replace a
folder on the way with a symbolic link to somewhere else, and the platform (which may run
as root) would follow it. Every change of the workspace therefore opens the folder it
acts in with :func:`open_dir`: from the workspace root, one ``openat(O_NOFOLLOW |
O_DIRECTORY)`` per component of the already resolved (symlink-free) path, and then acts
on the final name relative to that folder's descriptor (``dir_fd``). A link appearing on
the way makes the walk fail instead of leaving the workspace.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat

from appwright.workspace.errors import FileNotFound, NotADirectory, PathRejected

__all__ = ["open_dir"]

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC


def _refusal(parent_fd: int, part: str, path: str, walked: str) -> Exception:
    """Why ``part`` could not be opened as a folder: a link (refused) or not a folder."""
    try:
        st = os.lstat(part, dir_fd=parent_fd)
    except FileNotFoundError:
        return FileNotFound(path)
    if stat.S_ISLNK(st.st_mode):
        return PathRejected(path, "a folder on the way was replaced by a symbolic link")
    return NotADirectory(walked)


def open_dir(root_real: str, rel_dir: str, path: str, *, create: bool = False) -> int:
    """A descriptor of folder ``rel_dir`` (``""``: the root) of the workspace ``root_real``.

    ``rel_dir`` is a resolved workspace-relative folder (no ``..``, no links expected);
    ``path`` is what the caller asked for, for error messages. With ``create`` missing
    folders are made. The caller closes the descriptor. Raises :class:`PathRejected` when
    a component is a symbolic link, :class:`NotADirectory` when it is a file and
    :class:`FileNotFound` when it is missing (without ``create``).
    """
    fd = os.open(root_real, _DIR_FLAGS)
    walked = ""
    try:
        for part in rel_dir.split("/") if rel_dir else []:
            walked = f"{walked}/{part}" if walked else part
            if create:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(part, 0o777, dir_fd=fd)
            try:
                child = os.open(part, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                raise FileNotFound(path) from None
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise _refusal(fd, part, path, walked) from None
                raise
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise
