"""Value types of the version-control layer (frozen dataclasses, JSON-friendly)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

AuthorKind = Literal["ai", "person", "system"]
"""Who made a version: the agent, a person (editor saves, GitHub pushes), or the platform."""

FileStatus = Literal["A", "M", "D", "R", "C", "T"]
"""Added, modified, deleted, renamed, copied, type changed (e.g. file ↔ symlink)."""

AUTHOR_TRAILER = "Appwright-Author"
REVERTS_TRAILER = "Appwright-Reverts"


@dataclass(frozen=True, slots=True)
class GitIdentity:
    """A name and email as git records them."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class FileChange:
    """One changed path of a version; ``old_path`` is set for renames and copies."""

    path: str
    status: FileStatus
    old_path: str | None = None


@dataclass(frozen=True, slots=True)
class Version:
    """One commit as the timeline shows it.

    ``message`` is the subject line; ``trailers`` holds the ``Key: value`` trailers
    (``Appwright-Author``, ``Appwright-Message``, ...). ``files`` are relative to the first
    parent, so a merge lists what it brought in.
    """

    hash: str
    short_hash: str
    parents: list[str]
    author_kind: AuthorKind
    author_name: str
    author_email: str
    date: datetime
    message: str
    trailers: dict[str, str] = field(default_factory=dict)
    files: list[FileChange] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileDiff:
    """How one file differs between two versions.

    ``additions``/``deletions`` count lines (0 for binary). ``old_text``/``new_text`` are
    filled only when contents were requested, the file is text and not over the size
    limit; ``None`` also means "absent on that side" for added/deleted files.
    """

    path: str
    status: FileStatus
    old_path: str | None
    binary: bool
    additions: int
    deletions: int
    old_text: str | None = None
    new_text: str | None = None


@dataclass(frozen=True, slots=True)
class RevertResult:
    """``saved``: uncommitted edits committed first (a person version), or ``None``.

    ``version``: the new forward commit restoring the target, ``None`` when the current
    content already equals the target's.
    """

    saved: Version | None
    version: Version | None


@dataclass(frozen=True, slots=True)
class Branch:
    """A local branch: its name, the commit it points to, whether it is checked out."""

    name: str
    head: str
    current: bool


@dataclass(frozen=True, slots=True)
class MergeResult:
    """Outcome of a merge or pull that did not conflict.

    ``version`` is the new head when something was merged (the merge commit, or the
    fast-forwarded head); ``up_to_date`` when there was nothing to merge; ``saved`` holds
    the uncommitted edits committed before merging.
    """

    version: Version | None
    fast_forward: bool = False
    up_to_date: bool = False
    saved: Version | None = None
