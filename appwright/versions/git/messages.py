"""Commit authors and messages: trailers, and summaries generated from the changed files."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from appwright.versions.git.types import AUTHOR_TRAILER, AuthorKind, FileChange, GitIdentity

AI_IDENTITY = GitIdentity("Appwright AI", "ai@appwright.local")
PERSON_IDENTITY = GitIdentity("Appwright user", "user@appwright.local")
SYSTEM_IDENTITY = GitIdentity("Appwright", "appwright@localhost")

_TRAILER_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9-]{0,63}$")
_VERBS = {"A": "Add", "M": "Update", "D": "Delete", "R": "Rename", "C": "Copy", "T": "Update"}
_MAX_NAMES = 3
_MAX_LENGTH = 72


def _name(change: FileChange) -> str:
    name = change.path.rsplit("/", 1)[-1]
    if change.status == "R" and change.old_path:
        return f"{change.old_path.rsplit('/', 1)[-1]} → {name}"
    return name


def describe_changes(changes: Sequence[FileChange]) -> str:
    """A one-line summary such as "Update App.tsx, page.tsx; add logo.svg".

    Groups by kind of change in a fixed order (add, update, rename, delete), names at most
    three files per group and counts the rest, and keeps under 72 characters.
    """
    if not changes:
        return "No changes"
    groups: dict[str, list[str]] = {}
    for change in changes:
        groups.setdefault(_VERBS[change.status], []).append(_name(change))
    parts: list[str] = []
    for verb in ("Add", "Update", "Rename", "Copy", "Delete"):
        names = groups.get(verb)
        if not names:
            continue
        shown = ", ".join(names[:_MAX_NAMES])
        more = len(names) - _MAX_NAMES
        if more > 0:
            shown += f" and {more} more file{'s' if more > 1 else ''}"
        parts.append(f"{verb.lower() if parts else verb} {shown}")
    summary = "; ".join(parts)
    if len(summary) > _MAX_LENGTH:
        total = len(changes)
        verbs = ", ".join(v.lower() for v in groups)
        summary = f"{verbs.capitalize()} {total} file{'s' if total > 1 else ''}"
    return summary


@dataclass(frozen=True, slots=True)
class Author:
    """Who makes a commit: the kind recorded in the trailer and the git identity."""

    kind: AuthorKind
    identity: GitIdentity

    @classmethod
    def of(cls, kind: AuthorKind, identity: GitIdentity | None = None) -> Author:
        """The given kind with a default identity unless one is given (a person's name)."""
        default = {"ai": AI_IDENTITY, "person": PERSON_IDENTITY, "system": SYSTEM_IDENTITY}
        return cls(kind, identity or default[kind])


def _one_line(text: str) -> str:
    return " ".join(text.split())


def build_message(
    message: str, author: AuthorKind, trailers: Mapping[str, str] | None = None
) -> str:
    """Commit message with the ``Appwright-Author`` trailer (and any other trailers).

    Trailer values are folded to one line so a value can never inject another trailer.
    """
    subject, _, body = message.strip().partition("\n")
    lines = [_one_line(subject) or "Update files"]
    if body.strip():
        lines += ["", body.strip()]
    lines += ["", f"{AUTHOR_TRAILER}: {author}"]
    for key, value in (trailers or {}).items():
        if not _TRAILER_KEY.match(key) or key == AUTHOR_TRAILER:
            raise ValueError(f"invalid trailer key {key!r}")
        lines.append(f"{key}: {_one_line(value)}")
    return "\n".join(lines) + "\n"
