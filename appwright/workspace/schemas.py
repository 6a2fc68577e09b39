"""Request and response bodies of the file API (``/api/files/{project_id}/...``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from appwright.core.schemas import InputModel, NoNulStr

Encoding = Literal["utf-8", "base64"]


class FileNodeRead(BaseModel):
    """One node of the tree; ``children`` is empty for files and symlinks."""

    model_config = ConfigDict(from_attributes=True)

    name: str
    path: str
    type: Literal["file", "dir", "symlink"]
    size: int
    children: list[FileNodeRead] = []


class FileTreeRead(BaseModel):
    """The project's files (dependencies, build output and ``.git`` left out)."""

    model_config = ConfigDict(from_attributes=True)

    root: FileNodeRead
    file_count: int
    truncated: bool


class FileRead(BaseModel):
    """A file's content: UTF-8 text as is, anything else base64 (``encoding`` says which)."""

    path: str
    content: str
    encoding: Encoding
    etag: str
    size: int


class FileWrite(InputModel):
    """``content`` as text, or base64 with ``encoding: "base64"`` (binary files)."""

    content: str
    encoding: Encoding = "utf-8"


class FileWritten(BaseModel):
    """The file after a write: its new ETag (also in the ``ETag`` header)."""

    path: str
    etag: str
    size: int
    created: bool


class RenameRequest(InputModel):
    """Rename or move a file or folder; ``to`` must not exist."""

    model_config = ConfigDict(populate_by_name=True)

    from_: NoNulStr = Field(alias="from", min_length=1, max_length=1024)
    to: NoNulStr = Field(min_length=1, max_length=1024)


class Renamed(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    from_: str = Field(alias="from")
    to: str


class MkdirRequest(InputModel):
    path: str = Field(min_length=1, max_length=1024)


class SearchRequest(InputModel):
    """Search (and optionally replace) across the project's text files.

    ``query`` is literal text unless ``regex``; globs match workspace-relative paths
    (``*.tsx``, ``src/**``). With ``replace`` set every match is replaced (``$1``-style
    groups are not expanded; use ``\\1`` with ``regex``).
    """

    query: str = Field(min_length=1, max_length=1000)
    regex: bool = False
    case_sensitive: bool = False
    whole_word: bool = False
    include: list[NoNulStr] = Field(default_factory=list, max_length=50)
    exclude: list[NoNulStr] = Field(default_factory=list, max_length=50)
    max_results: int = Field(default=1000, ge=1, le=10_000)
    replace: str | None = Field(default=None, max_length=100_000)


class SearchHitRead(BaseModel):
    """One match: 1-based line and column (characters), ``preview`` is the line."""

    path: str
    line: int
    column: int
    length: int
    preview: str


class SearchResult(BaseModel):
    """Matches in path then line order; ``truncated`` when ``max_results`` was reached."""

    hits: list[SearchHitRead]
    truncated: bool


class ReplaceResultRead(BaseModel):
    """Files changed by a replace-all with their new ETags; ``skipped`` changed meanwhile."""

    files: list[FileWritten]
    replacements: int
    skipped: list[str]


class UploadResult(BaseModel):
    files: list[FileWritten]
