"""Slot allocation and workspace ownership for the local backend (blocking helpers).

A slot number gives a sandbox its /30 subnet, its interface names and its uid. The
allocation is kept in ``sandbox/slots.json`` so that a project keeps its uid across
platform restarts (its files stay owned by the same uid).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

_SKIP = frozenset({".git", "node_modules"})
"""Top-level folders the workspace walk leaves out: the platform's ``.git``, and
``node_modules`` (its own walk)."""


class SlotTable:
    """project id → slot, persisted as JSON (atomic replace on every change)."""

    def __init__(self, path: Path, max_slots: int) -> None:
        self.path = path
        self.max_slots = max_slots
        self.slots: dict[str, int] = {}
        if path.exists():
            data = json.loads(path.read_text() or "{}")
            self.slots = {str(k): int(v) for k, v in data.items()}

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.slots, indent=1, sort_keys=True))
        os.replace(tmp, self.path)

    def get_or_allocate(self, project_id: str) -> int:
        """The project's slot, allocating the lowest free one."""
        if project_id in self.slots:
            return self.slots[project_id]
        used = set(self.slots.values())
        # Slot 0 is skipped: its /30 would start at the range's network address.
        slot = next((i for i in range(1, self.max_slots) if i not in used), None)
        if slot is None:
            raise RuntimeError("no free sandbox slot: enlarge the sandbox subnet")
        self.slots[project_id] = slot
        self._save()
        return slot

    def release(self, project_id: str) -> None:
        """Forget the project's slot."""
        if self.slots.pop(project_id, None) is not None:
            self._save()


_DIR_FLAGS = (
    os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
)
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
_VANISHED = frozenset({errno.ENOENT, errno.ELOOP, errno.ENOTDIR, errno.ENXIO, errno.ENODEV})
"""``open`` errors of an entry the sandbox removed, or replaced by a link or a special
file, since it was listed: skipped (the sandbox's own business)."""
MAX_DEPTH = 64
"""Folders deeper than this are not adopted: the walk holds one descriptor per level, and
a sandbox must not be able to exhaust the platform's descriptors with a deep tree."""


def adopt_workspace(root: Path, uid: int, foreign_uids: range) -> int:
    """Give the sandbox uid write access to its workspace; return how many entries changed.

    The workspace root keeps its owner (the platform: git refuses repositories owned by
    another user) but gets the sandbox's group with rwx. Below it, folders and regular
    files become the sandbox's, except ``.git`` and ``node_modules`` at the top (see
    :func:`_adopt_node_modules`).

    Runs as root before every command while the sandbox's processes keep running, so the
    tree may change under it at any moment. Nothing is changed by name: each entry is
    opened relative to its folder's descriptor with ``O_NOFOLLOW`` and the inode that
    ``fstat`` checked is the one ``fchown`` changes. Never changed: links (the sandbox can
    replace them anyway), sockets, FIFOs and devices, anything on another device than the
    workspace, and any non-folder with more than one hard link — such an inode is shared
    with something outside this workspace (the package cache and the other projects linked
    from it), and giving it to the sandbox would let it rewrite what they all run.

    Fast path: an entry already owned by ``uid`` costs one ``fstatat`` (folders are still
    descended into); ``node_modules`` is only walked until it is adopted.
    """
    fd = os.open(root, _DIR_FLAGS)
    try:
        st = os.fstat(fd)
        changed = 0
        if st.st_gid != uid or (st.st_mode & 0o070) != 0o070:
            os.fchown(fd, -1, uid)
            os.fchmod(fd, stat.S_IMODE(st.st_mode) | 0o070)
            changed += 1
        walk = _Walk(uid, st.st_dev)
        walk.folder(fd, 0, skip=_SKIP)
        node_modules = walk.open_child(fd, "node_modules", directory=True)
        if node_modules is not None:
            with _closing(node_modules):
                changed += _adopt_node_modules(node_modules, walk, foreign_uids)
        return changed + walk.changed
    finally:
        os.close(fd)


def _adopt_node_modules(fd: int, workspace: _Walk, foreign: range) -> int:
    """Make ``node_modules`` installable by the sandbox, once per (re)linked tree.

    The folders become the sandbox's (they are this workspace's own, even when the files
    are hard links into the shared cache), so npm can unlink and create entries; files
    stay with their owner unless a previous sandbox uid created them, so cached files
    remain read-only for the sandbox. ``node_modules`` itself is adopted last: a walk that
    did not finish is done again next time, and one owned by the sandbox (adopted, or
    installed by the sandbox itself) is not walked at all.
    """
    st = os.fstat(fd)
    if st.st_uid == workspace.uid or st.st_dev != workspace.dev:
        return 0
    walk = _Walk(workspace.uid, workspace.dev, foreign)
    walk.folder(fd, 1)
    os.fchown(fd, walk.uid, walk.uid)
    return walk.changed + 1


class _Walk:
    """One ownership walk: which entries become ``uid``'s, and how many did."""

    def __init__(self, uid: int, dev: int, foreign: range | None = None) -> None:
        self.uid = uid
        self.dev = dev
        self.foreign = foreign
        """``None``: the workspace (every file becomes the sandbox's); a range: inside
        ``node_modules`` (only files of these uids, earlier sandboxes of the project)."""
        self.changed = 0

    def wants(self, st: os.stat_result) -> bool:
        """Whether this inode becomes the uid's (decided on ``fstat`` of an open fd)."""
        if st.st_uid == self.uid or st.st_dev != self.dev:
            return False
        if stat.S_ISDIR(st.st_mode):
            return True
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            return False  # links, special files; inodes shared with the cache
        return self.foreign is None or st.st_uid in self.foreign

    def open_child(self, dir_fd: int, name: str, *, directory: bool) -> int | None:
        """``name`` in the folder ``dir_fd``, never through a link; None when it is gone or
        is no longer what it was listed as."""
        try:
            return os.open(name, _DIR_FLAGS if directory else _FILE_FLAGS, dir_fd=dir_fd)
        except OSError as exc:
            if exc.errno in _VANISHED:
                return None
            raise

    def folder(self, fd: int, depth: int, skip: frozenset[str] = frozenset()) -> None:
        """Adopt what is below the open folder ``fd`` (already handled itself)."""
        with os.scandir(fd) as it:
            entries = list(it)
        for entry in entries:
            # d_type from the listing: a folder or a link costs no stat call; a file one
            # fstatat (relative to ``fd``) to skip it when it would not change anyway
            # (skipping on an earlier look is safe; changing is decided on the open fd).
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
                if is_dir:
                    if entry.name in skip or depth >= MAX_DEPTH:
                        continue
                elif not entry.is_file(follow_symlinks=False):
                    continue  # links and special files are never changed
                elif not self.wants(entry.stat(follow_symlinks=False)):
                    continue
            except FileNotFoundError:
                continue
            child = self.open_child(fd, entry.name, directory=is_dir)
            if child is None:
                continue
            with _closing(child):
                cst = os.fstat(child)
                if self.wants(cst):
                    os.fchown(child, self.uid, self.uid)
                    self.changed += 1
                if is_dir and cst.st_dev == self.dev:
                    self.folder(child, depth + 1)


@contextlib.contextmanager
def _closing(fd: int) -> Iterator[int]:
    try:
        yield fd
    finally:
        os.close(fd)


def adopt_home(home: Path, uid: int) -> None:
    """Make the sandbox's home and ``home/tmp`` (created if missing) ``uid``'s, mode 0700.

    The home is the sandbox's own: it may have replaced ``tmp`` by a link to anywhere, so
    both are changed through descriptors opened with ``O_NOFOLLOW``, and a ``tmp`` that is
    not a folder is left as the sandbox made it.
    """
    fd = os.open(home, _DIR_FLAGS)
    with _closing(fd):
        os.fchown(fd, uid, uid)
        os.fchmod(fd, 0o700)
        with contextlib.suppress(FileExistsError):
            os.mkdir("tmp", 0o700, dir_fd=fd)
        tmp = _Walk(uid, os.fstat(fd).st_dev).open_child(fd, "tmp", directory=True)
        if tmp is not None:
            with _closing(tmp):
                if os.fstat(tmp).st_dev == os.fstat(fd).st_dev:
                    os.fchown(tmp, uid, uid)
                    os.fchmod(tmp, 0o700)
