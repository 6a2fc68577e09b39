"""Search and replace across workspace files (blocking helpers run in a worker thread).

Patterns run on the ``regex`` module (``re``-compatible syntax) for its time limit: a
pathological expression such as ``(a|aa)+$`` backtracks exponentially, and one search
must not hold a worker thread for minutes. A search or replace-all that runs past
:data:`SEARCH_TIME_LIMIT_S` is refused with a clear message; a replace-all computes every
file's new text before it writes any, so running out of time never leaves it half done.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator, Sequence
from fnmatch import fnmatchcase

import regex

from appwright.workspace.base import FileVersion, SearchHit, SearchQuery
from appwright.workspace.errors import ETagMismatch, InvalidSearch
from appwright.workspace.scan import iter_files, open_file

MAX_SEARCH_FILE_BYTES = 2 * 1024 * 1024
"""Larger files (bundles, lock files, data dumps) are skipped by search and replace."""

MAX_PATTERN_LENGTH = 1000
SEARCH_TIME_LIMIT_S = 5.0
"""The longest one search or replace-all may spend matching (its regular expressions)."""
_PREVIEW_CHARS = 240
_BINARY_SNIFF = 8192


class _Deadline:
    """What is left of the time limit, as the ``timeout`` the ``regex`` calls take."""

    def __init__(self, limit_s: float) -> None:
        self.limit_s = limit_s
        self.end = time.monotonic() + limit_s

    def left(self) -> float:
        return max(0.001, self.end - time.monotonic())

    def exceeded(self) -> InvalidSearch:
        return InvalidSearch(
            f"the search took longer than {self.limit_s:g} s; the regular expression "
            "probably backtracks too much (e.g. nested repetition like (a+)+): simplify it"
        )


def compile_query(query: SearchQuery) -> regex.Pattern[str]:
    """Turn a query into one compiled regular expression; :class:`InvalidSearch` if bad."""
    if not query.pattern:
        raise InvalidSearch("the search pattern is empty")
    if len(query.pattern) > MAX_PATTERN_LENGTH:
        raise InvalidSearch(f"the search pattern is longer than {MAX_PATTERN_LENGTH} characters")
    if query.max_results < 1:
        raise InvalidSearch("max_results must be at least 1")
    source = query.pattern if query.regex else regex.escape(query.pattern)
    if query.whole_word:
        source = rf"\b(?:{source})\b"
    flags = regex.V0 | (0 if query.case_sensitive else regex.IGNORECASE)
    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        raise InvalidSearch(f"invalid regular expression: {exc}") from None


def glob_match(path: str, pattern: str) -> bool:
    """Match a workspace-relative path against a VS Code-style glob.

    A pattern without ``/`` matches the file name anywhere; ``**/`` matches zero or more
    folders; a trailing ``/`` or ``/**`` matches everything under a folder.
    """
    pattern = pattern.strip()
    if not pattern:
        return False
    if pattern.endswith("/"):
        pattern += "**"
    if "/" not in pattern:
        name = path.rsplit("/", 1)[-1]
        if fnmatchcase(name, pattern):
            return True
        # "src" also matches every file below a folder named src.
        return any(fnmatchcase(part, pattern) for part in path.split("/")[:-1])
    if fnmatchcase(path, pattern):
        return True
    # fnmatch's "*" crosses "/", so "**/" only needs a zero-folder variant.
    return "**/" in pattern and fnmatchcase(path, pattern.replace("**/", ""))


def _selected(path: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    if include and not any(glob_match(path, p) for p in include):
        return False
    return not any(glob_match(path, p) for p in exclude)


def _read_text(root: str, rel: str) -> tuple[bytes, str] | None:
    """Bytes and strict UTF-8 text of a searchable file, ``None`` for binary/huge/vanished."""
    fd = open_file(root, rel)
    if fd is None:
        return None
    if os.fstat(fd).st_size > MAX_SEARCH_FILE_BYTES:
        os.close(fd)
        return None
    with os.fdopen(fd, "rb") as f:
        data = f.read(MAX_SEARCH_FILE_BYTES + 1)
    if b"\x00" in data[:_BINARY_SNIFF]:
        return None
    try:
        return data, data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _preview(line: str, start: int, end: int) -> str:
    line = line.rstrip("\r")
    if len(line) <= _PREVIEW_CHARS:
        return line
    left = max(0, start - _PREVIEW_CHARS // 3)
    return line[left : left + max(_PREVIEW_CHARS, end - left)]


def candidate_files(
    root: str, ignored: frozenset[str], query: SearchQuery
) -> Iterator[tuple[str, str, bytes, str]]:
    """Yield ``(rel, abs, bytes, text)`` of text files selected by the query's globs."""
    for rel, absolute in iter_files(root, ignored):
        if not _selected(rel, query.include, query.exclude):
            continue
        content = _read_text(root, rel)
        if content is not None:
            yield rel, absolute, content[0], content[1]


def search_files(
    root: str,
    ignored: frozenset[str],
    query: SearchQuery,
    time_limit_s: float = SEARCH_TIME_LIMIT_S,
) -> list[SearchHit]:
    """All matches, file by file in path order, line by line, up to ``max_results``."""
    pattern = compile_query(query)
    deadline = _Deadline(time_limit_s)
    hits: list[SearchHit] = []
    try:
        for rel, _abs, _data, text in candidate_files(root, ignored, query):
            if pattern.search(text, timeout=deadline.left()) is None:
                continue
            for number, line in enumerate(text.split("\n"), start=1):
                for match in pattern.finditer(line, timeout=deadline.left()):
                    if match.end() == match.start():
                        continue  # an empty match (e.g. "x*") is no hit a person wants
                    hits.append(
                        SearchHit(
                            path=rel,
                            line=number,
                            column=match.start() + 1,
                            length=match.end() - match.start(),
                            preview=_preview(line, match.start(), match.end()),
                        )
                    )
                    if len(hits) >= query.max_results:
                        return hits
    except TimeoutError:
        raise deadline.exceeded() from None
    return hits


WriteFn = Callable[[str, str, bytes, str], FileVersion]
"""``(rel, abs, new_bytes, if_match_etag) -> FileVersion``: an atomic conditional write."""


def replace_in_files(
    root: str,
    ignored: frozenset[str],
    query: SearchQuery,
    replacement: str,
    etag_of: Callable[[bytes], str],
    write: WriteFn,
    time_limit_s: float = SEARCH_TIME_LIMIT_S,
) -> tuple[list[FileVersion], int, list[str]]:
    """Replace every match in every selected text file.

    In regex mode ``replacement`` uses Python's syntax (``\\1``, ``\\g<name>``); in text
    mode it is literal. Every file's new text is computed first (an invalid replacement or
    the time limit refuses the whole replace-all before anything is written); then each
    file is written atomically only if it did not change since it was read, and files that
    changed meanwhile are left alone and returned as skipped.
    Returns ``(changed files, replacement count, skipped paths)``.
    """
    pattern = compile_query(query)
    deadline = _Deadline(time_limit_s)
    planned: list[tuple[str, str, bytes, str, int]] = []
    try:
        for rel, absolute, data, text in candidate_files(root, ignored, query):
            if query.regex:
                try:
                    new_text, count = pattern.subn(replacement, text, timeout=deadline.left())
                except (regex.error, IndexError) as exc:
                    raise InvalidSearch(f"invalid replacement: {exc}") from None
            else:
                new_text, count = pattern.subn(
                    lambda _m: replacement, text, timeout=deadline.left()
                )
            if count and new_text != text:
                planned.append((rel, absolute, data, new_text, count))
    except TimeoutError:
        raise deadline.exceeded() from None
    changed: list[FileVersion] = []
    skipped: list[str] = []
    total = 0
    for rel, absolute, data, new_text, count in planned:
        try:
            changed.append(write(rel, absolute, new_text.encode("utf-8"), etag_of(data)))
        except ETagMismatch:
            skipped.append(rel)
            continue
        total += count
    return changed, total, skipped
