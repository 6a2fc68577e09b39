"""Request and response bodies of ``/api/version-history/{project_id}/...``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from appwright.core.schemas import InputModel, NoNulStr
from appwright.versions.git.types import FileDiff, MergeResult, RevertResult, Version
from appwright.versions.service import TimelineEntry

FileStatusRead = Literal["A", "M", "D", "R", "C", "T"]


class FileChangeRead(BaseModel):
    """``status``: Added, Modified, Deleted, Renamed (``old_path`` set), Copied, Type change."""

    path: str
    status: FileStatusRead
    old_path: str | None = None


class VersionRead(BaseModel):
    """One version: ``id`` is the commit hash; ``message_id`` the chat message that made it."""

    id: str
    hash: str
    short_hash: str
    description: str
    author: Literal["ai", "person", "system"]
    author_name: str
    date: datetime
    parents: list[str]
    files: list[FileChangeRead]
    files_changed: list[str]
    message_id: uuid.UUID | None = None
    reverts: str | None = Field(default=None, description="the version this one restored")

    @classmethod
    def of(cls, version: Version, message_id: uuid.UUID | None = None) -> VersionRead:
        return cls(
            id=version.hash,
            hash=version.hash,
            short_hash=version.short_hash,
            description=version.message,
            author=version.author_kind,
            author_name=version.author_name,
            date=version.date,
            parents=version.parents,
            files=[
                FileChangeRead(path=f.path, status=f.status, old_path=f.old_path)
                for f in version.files
            ],
            files_changed=[f.path for f in version.files],
            message_id=message_id,
            reverts=version.trailers.get("Appwright-Reverts"),
        )

    @classmethod
    def entry(cls, entry: TimelineEntry) -> VersionRead:
        return cls.of(entry.version, entry.message_id)


def version_or_none(version: Version | None) -> VersionRead | None:
    return VersionRead.of(version) if version is not None else None


class TimelinePage(BaseModel):
    """Versions of the current branch, newest first; ``has_more`` when older ones follow."""

    items: list[VersionRead]
    branch: str | None
    offset: int
    limit: int
    has_more: bool


class StatusRead(BaseModel):
    """Unsaved changes (what "save version" would commit) on the current branch."""

    branch: str | None
    changes: list[FileChangeRead]


class SaveRequest(InputModel):
    message: str | None = Field(default=None, max_length=2000)


class SavedVersion(BaseModel):
    """The new version, or ``null`` when there was nothing to save."""

    version: VersionRead | None


class FileDiffRead(BaseModel):
    """One file's change; ``old_text``/``new_text`` for Monaco's diff editor (``null`` when
    binary, too big, or absent on that side)."""

    path: str
    status: FileStatusRead
    old_path: str | None
    binary: bool
    additions: int
    deletions: int
    old_text: str | None
    new_text: str | None

    @classmethod
    def of(cls, d: FileDiff) -> FileDiffRead:
        return cls(
            path=d.path,
            status=d.status,
            old_path=d.old_path,
            binary=d.binary,
            additions=d.additions,
            deletions=d.deletions,
            old_text=d.old_text,
            new_text=d.new_text,
        )


class DiffRead(BaseModel):
    from_: str = Field(serialization_alias="from")
    to: str
    files: list[FileDiffRead]


class RevertRequest(InputModel):
    commit_hash: NoNulStr = Field(min_length=4, max_length=200)


class RevertRead(BaseModel):
    """``version``: the new commit restoring the target (``null`` when already equal);
    ``saved``: the pending edits saved first (``null`` when there were none)."""

    restored: str
    version: VersionRead | None
    saved: VersionRead | None

    @classmethod
    def of(cls, restored: str, result: RevertResult) -> RevertRead:
        return cls(
            restored=restored,
            version=version_or_none(result.version),
            saved=version_or_none(result.saved),
        )


class RestoreToMessageRequest(InputModel):
    message_id: uuid.UUID


class BranchRead(BaseModel):
    name: str
    head: str
    current: bool


class BranchList(BaseModel):
    branches: list[BranchRead]
    current: str | None


class BranchCreate(InputModel):
    name: NoNulStr = Field(min_length=1, max_length=200)
    start: NoNulStr = Field(default="HEAD", max_length=200, description="version to start from")
    switch: bool = False


class BranchCreated(BaseModel):
    branch: BranchRead
    saved: VersionRead | None


class BranchSwitch(InputModel):
    name: NoNulStr = Field(min_length=1, max_length=200)


class BranchSwitched(BaseModel):
    branch: str
    head: str
    saved: VersionRead | None


class BranchMerge(InputModel):
    source: NoNulStr = Field(min_length=1, max_length=200)
    message: str | None = Field(default=None, max_length=2000)


class MergeRead(BaseModel):
    """A merge or pull without conflict (a conflict is 409 ``MergeConflict`` with ``files``)."""

    version: VersionRead | None
    fast_forward: bool
    up_to_date: bool
    saved: VersionRead | None

    @classmethod
    def of(cls, result: MergeResult) -> MergeRead:
        return cls(
            version=version_or_none(result.version),
            fast_forward=result.fast_forward,
            up_to_date=result.up_to_date,
            saved=version_or_none(result.saved),
        )


class FileAtVersion(BaseModel):
    """A file as it was in a version (UTF-8 text, or base64)."""

    path: str
    rev: str
    content: str
    encoding: Literal["utf-8", "base64"]
