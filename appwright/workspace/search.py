"""Search and replace across workspace files (blocking helpers run in a worker thread)."""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from fnmatch import fnmatchcase

from appwright.workspace.base import FileVersion, SearchHit, SearchQuery
from appwright.workspace.errors import ETagMismatch, InvalidSearch
from appwright.workspace.scan import iter_files

MAX_SEARCH_FILE_BYTES = 2 * 1024 * 1024
"""Larger files (bundles, lock files, data dumps) are skipped by search and replace."""

MAX_PATTERN_LENGTH = 1000
_PREVIEW_CHARS = 240
_BINARY_SNIFF = 8192


def compile_query(query: SearchQuery) -> re.Pattern[str]:
    """Turn a query into one compiled regular expression; :class:`InvalidSearch` if bad."""
    if not query.pattern:
        raise InvalidSearch("the search pattern is empty")
    if len(query.pattern) > MAX_PATTERN_LENGTH:
        raise InvalidSearch(f"the search pattern is longer than {MAX_PATTERN_LENGTH} characters")
    if query.max_results < 1:
        raise InvalidSearch("max_results must be at least 1")
    source = query.pattern if query.regex else re.escape(query.pattern)
    if query.whole_word:
        source = rf"\b(?:{source})\b"
    flags = 0 if query.case_sensitive else re.IGNORECASE
    try:
        return re.compile(source, flags)
    except re.error as exc:
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


def _read_text(path: str) -> tuple[bytes, str] | None:
    """Bytes and strict UTF-8 text of a searchable file, ``None`` for binary/huge/vanished."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_SEARCH_FILE_BYTES:
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
        content = _read_text(absolute)
        if content is not None:
            yield rel, absolute, content[0], content[1]


def search_files(root: str, ignored: frozenset[str], query: SearchQuery) -> list[SearchHit]:
    """All matches, file by file in path order, line by line, up to ``max_results``."""
    pattern = compile_query(query)
    hits: list[SearchHit] = []
    for rel, _abs, _data, text in candidate_files(root, ignored, query):
        if pattern.search(text) is None:
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            for match in pattern.finditer(line):
                if match.end() == match.start():
                    continue  # an empty match (e.g. "x*") is no hit a person wants to see
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
) -> tuple[list[FileVersion], int, list[str]]:
    """Replace every match in every selected text file.

    In regex mode ``replacement`` uses Python's syntax (``\\1``, ``\\g<name>``); in text
    mode it is literal. Each file is written atomically only if it did not change since it
    was read; files that changed meanwhile are left alone and returned as skipped.
    Returns ``(changed files, replacement count, skipped paths)``.
    """
    pattern = compile_query(query)
    # A bad template (e.g. "\\9") raises at the first match, which is in the first file
    # to be written, so an invalid replacement never leaves a half-done replace-all.
    changed: list[FileVersion] = []
    skipped: list[str] = []
    total = 0
    for rel, absolute, data, text in candidate_files(root, ignored, query):
        if query.regex:
            try:
                new_text, count = pattern.subn(replacement, text)
            except (re.error, IndexError) as exc:
                raise InvalidSearch(f"invalid replacement: {exc}") from None
        else:
            new_text, count = pattern.subn(lambda _m: replacement, text)
        if count == 0 or new_text == text:
            continue
        try:
            changed.append(write(rel, absolute, new_text.encode("utf-8"), etag_of(data)))
        except ETagMismatch:
            skipped.append(rel)
            continue
        total += count
    return changed, total, skipped
