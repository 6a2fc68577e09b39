"""The ``Workspace`` protocol (ARCHITECTURE §3) and the value types crossing it.

Paths crossing this interface are workspace-relative POSIX strings, validated by
:func:`appwright.workspace.paths.resolve_path`. Values are frozen dataclasses so the
endpoint layer can return them directly (FastAPI serialises dataclasses) or copy them
into its own pydantic schemas.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

ChangeKind = Literal["created", "updated", "deleted", "renamed"]
"""What happened to the paths reported to an :data:`OnChange` callback.

``renamed`` reports ``[src, dst]``; a directory path covers everything under it."""

OnChange = Callable[[list[str], ChangeKind], Awaitable[None]]
"""Called after every successful write/delete/rename/mkdir, e.g. to publish ``file:updated``."""

NodeType = Literal["file", "dir", "symlink"]


@dataclass(frozen=True, slots=True)
class FileVersion:
    """The state of a file after a write (or when read): ``etag`` is a content hash.

    The ETag is the first 32 hex digits of the SHA-256 of the content, unquoted; the
    HTTP layer adds the quotes. Equal content means equal ETag, whoever wrote it.
    """

    path: str
    etag: str
    size: int
    created: bool = False


@dataclass(frozen=True, slots=True)
class FileContent:
    """A file's bytes together with its version, so an editor can send ``If-Match`` later."""

    data: bytes
    version: FileVersion


@dataclass(slots=True)
class FileNode:
    """One node of the file tree. ``children`` is empty for files and symlinks.

    Not frozen: a frozen dataclass's ``__init__`` costs about three times as much, which
    shows on trees of thousands of files; treat it as read-only all the same.
    """

    name: str
    path: str
    type: NodeType
    size: int = 0
    children: list[FileNode] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class FileTree:
    """The project's files, ignored folders left out; ``truncated`` when over the limit."""

    root: FileNode
    file_count: int
    truncated: bool = False


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A search across the workspace.

    ``pattern`` is literal text unless ``regex`` (Python ``re`` syntax). Globs match the
    workspace-relative path; a glob without ``/`` also matches the file name anywhere
    (``*.tsx``), ``**/`` matches zero or more folders. Files that look binary or are over
    the search size limit are skipped.
    """

    pattern: str
    regex: bool = False
    case_sensitive: bool = False
    whole_word: bool = False
    include: Sequence[str] = ()
    exclude: Sequence[str] = ()
    max_results: int = 1000


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One match: 1-based ``line`` and ``column`` (in characters), ``length`` in characters.

    ``preview`` is the line, cut to a few hundred characters around the match.
    """

    path: str
    line: int
    column: int
    length: int
    preview: str


@dataclass(frozen=True, slots=True)
class ReplaceResult:
    """Outcome of a replace-all: the files changed (new versions) and the replacement count.

    ``skipped`` lists files that changed between reading and writing (another writer got
    there first); they were left untouched and can be retried.
    """

    files: list[FileVersion]
    replacements: int
    skipped: list[str] = field(default_factory=list)


class Workspace(Protocol):
    """The project's files, wherever they live (local disk now, a remote sandbox later)."""

    async def read(self, path: str) -> bytes: ...

    async def write(
        self, path: str, data: bytes, *, if_match: str | None = None
    ) -> FileVersion: ...

    async def delete(self, path: str) -> None: ...

    async def rename(self, src: str, dst: str) -> None: ...

    async def tree(self) -> FileTree: ...

    async def search(self, query: SearchQuery) -> list[SearchHit]: ...


class ExtendedWorkspace(Workspace, Protocol):
    """What the file API needs on top of the core protocol; ``LocalWorkspace`` has it all."""

    async def read_versioned(self, path: str) -> FileContent: ...

    async def mkdir(self, path: str) -> None: ...

    async def replace(self, query: SearchQuery, replacement: str) -> ReplaceResult: ...

    def export_zip(self) -> AsyncIterator[bytes]: ...
