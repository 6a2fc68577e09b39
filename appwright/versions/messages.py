"""Commit messages generated from the list of changed files (when no model writes one)."""

from __future__ import annotations

from collections.abc import Sequence

from appwright.versions.models import FileChange

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
