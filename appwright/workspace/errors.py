"""Errors raised by the workspace layer, part of the one ``AppError`` hierarchy."""

from __future__ import annotations

from typing import Any, ClassVar

from appwright.core.errors import AppError


class WorkspaceError(AppError):
    """Base of every workspace error; ``detail`` is a message a person can act on."""

    status_code: ClassVar[int] = 400


class PathRejected(WorkspaceError):
    """The path is not acceptable: traversal, absolute, control characters, `.git`, escape."""

    status_code = 400

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"path {path!r} rejected: {reason}")
        self.path = path
        self.reason = reason


class FileNotFound(WorkspaceError):
    """No file (or directory, where one is expected) exists at the path."""

    status_code = 404

    def __init__(self, path: str) -> None:
        super().__init__(f"{path!r} does not exist")
        self.path = path


class NotAFile(WorkspaceError):
    """The path names a directory (or something else) where a regular file is needed."""

    status_code = 400

    def __init__(self, path: str) -> None:
        super().__init__(f"{path!r} is not a regular file")
        self.path = path


class NotADirectory(WorkspaceError):
    """The path names a file where a directory is needed."""

    status_code = 400

    def __init__(self, path: str) -> None:
        super().__init__(f"{path!r} is not a directory")
        self.path = path


class AlreadyExists(WorkspaceError):
    """The destination of a rename/mkdir already exists."""

    status_code = 409

    def __init__(self, path: str) -> None:
        super().__init__(f"{path!r} already exists")
        self.path = path


class ETagMismatch(WorkspaceError):
    """A conditional write lost a race: the file changed (or appeared/vanished) meanwhile.

    ``current_etag`` is the file's ETag now (``None`` when it does not exist), so the
    caller can show both versions and let the person choose; nothing was written.
    """

    status_code = 412

    def __init__(self, path: str, expected: str, current_etag: str | None) -> None:
        now = "it no longer exists" if current_etag is None else f"it is now {current_etag}"
        super().__init__(f"{path!r} changed since it was read (expected {expected}, {now})")
        self.path = path
        self.expected = expected
        self.current_etag = current_etag
        if current_etag is not None:
            self.headers["ETag"] = f'"{current_etag}"'

    def body(self) -> dict[str, Any]:
        return {**super().body(), "current_etag": self.current_etag}


class FileTooLarge(WorkspaceError):
    """The file exceeds the workspace's size limit for reads or writes."""

    status_code = 413

    def __init__(self, path: str, size: int, limit: int) -> None:
        super().__init__(f"{path!r} is {size} bytes, over the {limit}-byte limit")
        self.path = path
        self.size = size
        self.limit = limit


class InvalidSearch(WorkspaceError):
    """The search query cannot run (bad regular expression, empty pattern, bad glob)."""

    status_code = 400
