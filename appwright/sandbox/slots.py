"""Slot allocation and workspace ownership for the local backend (blocking helpers).

A slot number gives a sandbox its /30 subnet, its interface names and its uid. The
allocation is kept in ``sandbox/slots.json`` so that a project keeps its uid across
platform restarts (its files stay owned by the same uid).
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

_SKIP = {".git", "node_modules"}


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


def adopt_workspace(root: Path, uid: int, foreign_uids: range) -> int:
    """Give the sandbox uid write access to its workspace; return how many entries changed.

    The workspace root keeps its owner (the platform: git refuses repositories owned by
    another user) but gets the sandbox's group with rwx. Everything below except ``.git``
    (the platform's history) becomes the sandbox's. ``node_modules`` is only re-owned when
    a previous sandbox uid created it; files hard-linked from a shared package store stay
    the platform's, read-only, so one project cannot poison another's packages.
    """
    changed = 0
    st = root.stat()
    if st.st_gid != uid or (st.st_mode & 0o070) != 0o070:
        os.chown(root, st.st_uid, uid)
        root.chmod(stat.S_IMODE(st.st_mode) | 0o070)
        changed += 1
    for dirpath, dirnames, filenames in os.walk(root):
        top = Path(dirpath) == root
        for name in list(dirnames):
            if top and name in _SKIP:
                dirnames.remove(name)
                if name == "node_modules":
                    changed += _adopt_foreign(root / name, uid, foreign_uids)
        for name in [*dirnames, *filenames]:
            path = Path(dirpath, name)
            pst = path.lstat()
            if pst.st_uid != uid:
                os.lchown(path, uid, uid)
                changed += 1
    return changed


def _adopt_foreign(root: Path, uid: int, foreign: range) -> int:
    """Make ``node_modules`` installable by the sandbox, once per (re)linked tree.

    The directories become the sandbox's (they are this workspace's own, even when the
    files are hard links into the shared cache), so npm can unlink and create entries;
    files stay with their owner unless a previous sandbox uid created them, so cached
    files remain read-only for the sandbox.
    """
    if not root.is_dir() or root.is_symlink() or root.lstat().st_uid == uid:
        return 0
    changed = 0
    for dirpath, dirnames, filenames in os.walk(root):
        os.lchown(dirpath, uid, uid)
        changed += 1
        for name in [*dirnames, *filenames]:
            path = Path(dirpath, name)
            pst = path.lstat()
            if pst.st_uid in foreign or (stat.S_ISLNK(pst.st_mode) and pst.st_uid != uid):
                os.lchown(path, uid, uid)
                changed += 1
    return changed
