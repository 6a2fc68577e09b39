"""Parsers for git's machine-readable output (``-z`` forms, so any file name survives)."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from appwright.versions.git.types import (
    AUTHOR_TRAILER,
    AuthorKind,
    FileChange,
    FileStatus,
    Version,
)

_RS, _US, _GS = "\x1e", "\x1f", "\x1d"

LOG_FORMAT = (
    "%x1e%H%x1f%h%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%(trailers:unfold,only,separator=%x1d)%x1f%s"
)
"""``git log -z --name-status`` format parsed by :func:`parse_log`."""

_AUTHOR_KINDS: frozenset[str] = frozenset({"ai", "person", "system"})
_STATUSES: frozenset[str] = frozenset({"A", "M", "D", "R", "C", "T"})


def _status(code: str) -> FileStatus:
    # R100/C075 carry a similarity score; U (unmerged) or X never appear in commits.
    letter = code[:1]
    return cast(FileStatus, letter if letter in _STATUSES else "M")


def parse_name_status(tokens: list[str]) -> list[FileChange]:
    """Parse ``--name-status -z`` tokens: ``S path`` or ``Rnnn old new``."""
    changes: list[FileChange] = []
    i = 0
    while i < len(tokens):
        code = tokens[i]
        if not code:
            i += 1
            continue
        status = _status(code)
        if status in ("R", "C") and i + 2 < len(tokens):
            changes.append(FileChange(tokens[i + 2], status, tokens[i + 1]))
            i += 3
        elif i + 1 < len(tokens):
            changes.append(FileChange(tokens[i + 1], status))
            i += 2
        else:
            break
    return changes


def _trailers(raw: str) -> dict[str, str]:
    trailers: dict[str, str] = {}
    for item in raw.split(_GS):
        key, sep, value = item.partition(":")
        if sep and key.strip():
            trailers[key.strip()] = value.strip()
    return trailers


def parse_log(output: str) -> list[Version]:
    """Parse ``git log -z --name-status --format=LOG_FORMAT`` output, newest first."""
    versions: list[Version] = []
    for record in output.split(_RS)[1:]:
        header, _, rest = record.partition("\0")
        fields = header.split(_US, 7)
        if len(fields) < 8:
            continue
        full, short, parents, name, email, date, trailers_raw, subject = fields
        trailers = _trailers(trailers_raw)
        kind = trailers.get(AUTHOR_TRAILER, "person").lower()
        versions.append(
            Version(
                hash=full,
                short_hash=short,
                parents=parents.split(),
                author_kind=cast(AuthorKind, kind if kind in _AUTHOR_KINDS else "person"),
                author_name=name,
                author_email=email,
                date=datetime.fromisoformat(date),
                message=subject,
                trailers=trailers,
                files=parse_name_status(rest.lstrip("\n").split("\0")),
            )
        )
    return versions


def parse_raw_numstat(output: str) -> list[tuple[FileChange, str, str, int | None, int | None]]:
    """Parse ``git diff --raw --numstat -z --no-abbrev``.

    Returns ``(change, old_blob, new_blob, additions, deletions)`` per file; the counts
    are ``None`` for binary files. Raw entries come first, then the numstat entries in
    the same order.
    """
    tokens = output.split("\0")
    raw: list[tuple[FileChange, str, str]] = []
    i = 0
    while i < len(tokens) and tokens[i].startswith(":"):
        meta = tokens[i][1:].split()
        old_blob, new_blob, code = meta[2], meta[3], meta[4]
        status = _status(code)
        if status in ("R", "C"):
            raw.append((FileChange(tokens[i + 2], status, tokens[i + 1]), old_blob, new_blob))
            i += 3
        else:
            raw.append((FileChange(tokens[i + 1], status), old_blob, new_blob))
            i += 2
    counts: list[tuple[int | None, int | None]] = []
    while i < len(tokens):
        entry = tokens[i]
        if not entry:
            i += 1
            continue
        added, deleted, path = entry.split("\t", 2)
        counts.append(
            (None, None) if added == "-" else (int(added), int(deleted)),
        )
        # A rename's numstat entry has an empty path followed by old and new names.
        i += 3 if path == "" else 1
    result: list[tuple[FileChange, str, str, int | None, int | None]] = []
    for index, (change, old_blob, new_blob) in enumerate(raw):
        added_n, deleted_n = counts[index] if index < len(counts) else (0, 0)
        result.append((change, old_blob, new_blob, added_n, deleted_n))
    return result


def parse_cat_file_batch(output: bytes) -> dict[str, bytes]:
    """Parse ``git cat-file --batch`` output into ``{object id: content}``."""
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(output):
        end = output.index(b"\n", pos)
        header = output[pos:end].decode()
        pos = end + 1
        parts = header.split()
        if len(parts) < 3:  # "<id> missing"
            continue
        size = int(parts[2])
        blobs[parts[0]] = output[pos : pos + size]
        pos += size + 1
    return blobs
