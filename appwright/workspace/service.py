"""The file API's logic: a person's reads and writes of a project's workspace.

Every change is published as ``file:updated`` on the project's topic with
``author: "person"``, so editors (and the preview) update live, and restarts the
project's idle-autosave timer (``versions.autosave``): edits left alone become a version.
Conflicts with the AI are caught by the workspace's conditional writes (``If-Match`` →
``ETagMismatch``).
"""

from __future__ import annotations

import base64
import binascii
import posixpath
from collections.abc import AsyncIterator, Sequence
from typing import Any

from appwright.core.errors import BadRequest, PayloadTooLarge
from appwright.core.events import Event, project_topic
from appwright.models import Project
from appwright.workspace import (
    ChangeKind,
    FileContent,
    FileTree,
    FileVersion,
    LocalWorkspace,
    ReplaceResult,
    SearchHit,
    SearchQuery,
    normalize_path,
)
from appwright.workspace.deps import WorkspaceServices
from appwright.workspace.errors import ETagMismatch

UPLOAD_EXTENSIONS = frozenset(
    {
        # images
        "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp", "tif", "tiff",
        # fonts
        "woff", "woff2", "ttf", "otf", "eot",
        # media and documents an app commonly ships
        "mp3", "wav", "ogg", "mp4", "webm", "pdf",
    }
)  # fmt: skip
"""What ``upload`` accepts: binary assets. Text files are created through ``PUT``."""


def workspace_of(ctx: WorkspaceServices, project: Project) -> LocalWorkspace:
    """The project's workspace. Events are published by this module, with ETags."""
    return LocalWorkspace(ctx.runtime.workspace_dir(str(project.id)))


async def publish_change(
    ctx: WorkspaceServices,
    project: Project,
    paths: Sequence[str],
    kind: ChangeKind,
    *,
    etags: dict[str, str] | None = None,
    author: str = "person",
    **extra: Any,
) -> None:
    """Publish ``file:updated`` ``{path, paths, kind, etag, etags, author}``.

    ``path``/``etag`` describe the first path (the common one-file case); ``etags`` maps
    every written path to its new ETag (empty for deletes and renames).
    """
    if not paths:
        return
    etags = etags or {}
    first = paths[0]
    data: dict[str, Any] = {
        "path": first,
        "paths": list(paths),
        "kind": kind,
        "etag": etags.get(first),
        "etags": etags,
        "author": author,
        **extra,
    }
    await ctx.events.publish(project_topic(str(project.id)), Event("file:updated", data))


def decode_content(content: str, encoding: str) -> bytes:
    """The bytes of a ``FileWrite``; bad base64 is a 400 a person can act on."""
    if encoding == "base64":
        try:
            return base64.b64decode(content, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("content is not valid base64") from None
    return content.encode("utf-8", "surrogatepass")


def encode_content(data: bytes) -> tuple[str, str]:
    """``(content, encoding)``: UTF-8 text as is (no NUL), anything else base64."""
    if b"\x00" not in data:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    return base64.b64encode(data).decode("ascii"), "base64"


async def tree(ctx: WorkspaceServices, project: Project) -> FileTree:
    """The project's file tree, dependencies and build output left out."""
    return await workspace_of(ctx, project).tree()


async def read_file(ctx: WorkspaceServices, project: Project, path: str) -> FileContent:
    """A file's bytes and ETag."""
    return await workspace_of(ctx, project).read_versioned(path)


async def write_file(
    ctx: WorkspaceServices,
    project: Project,
    path: str,
    data: bytes,
    *,
    if_match: str | None = None,
    if_none_match: str | None = None,
) -> FileVersion:
    """Write a file atomically, honouring ``If-Match`` / ``If-None-Match: *``.

    A stale ``if_match`` raises ``ETagMismatch`` (412, with the current ETag) and writes
    nothing, so a person's save never overwrites what the AI wrote since they read it.
    """
    if if_none_match is not None and if_none_match.strip() != "*":
        raise BadRequest("If-None-Match supports only '*' (create the file only if absent)")
    version = await workspace_of(ctx, project).write(
        path, data, if_match=if_match, if_none_match=if_none_match
    )
    kind: ChangeKind = "created" if version.created else "updated"
    await publish_change(ctx, project, [version.path], kind, etags={version.path: version.etag})
    ctx.autosave.touch(project.id)
    return version


async def delete_file(
    ctx: WorkspaceServices, project: Project, path: str, *, if_match: str | None = None
) -> None:
    """Delete a file or folder; with ``if_match`` a file changed since it was read stays.

    The ETag check and the unlink are two steps (the workspace has no conditional
    delete); the window is a few microseconds, and a lost race loses nothing: the AI's
    newer content is still in the AI turn's commit.
    """
    workspace = workspace_of(ctx, project)
    rel = normalize_path(path)
    if if_match is not None:
        current = (await workspace.read_versioned(rel)).version.etag
        wanted = if_match.strip().removeprefix("W/").strip('"')
        if wanted not in ("*", current):
            raise ETagMismatch(rel, wanted, current)
    await workspace.delete(rel)
    await publish_change(ctx, project, [rel], "deleted")
    ctx.autosave.touch(project.id)


async def rename(ctx: WorkspaceServices, project: Project, src: str, dst: str) -> tuple[str, str]:
    """Rename or move a file or folder; returns the canonical ``(from, to)``."""
    source, target = normalize_path(src), normalize_path(dst)
    await workspace_of(ctx, project).rename(source, target)
    await publish_change(ctx, project, [source, target], "renamed")
    ctx.autosave.touch(project.id)
    return source, target


async def mkdir(ctx: WorkspaceServices, project: Project, path: str) -> str:
    """Create a folder (and parents); succeeds when it exists."""
    rel = normalize_path(path)
    await workspace_of(ctx, project).mkdir(rel)
    await publish_change(ctx, project, [rel], "created")
    return rel


async def search(ctx: WorkspaceServices, project: Project, query: SearchQuery) -> list[SearchHit]:
    """Matches across the project's text files (see ``SearchQuery``)."""
    return await workspace_of(ctx, project).search(query)


async def replace(
    ctx: WorkspaceServices, project: Project, query: SearchQuery, replacement: str
) -> ReplaceResult:
    """Replace every match; files changed by someone else meanwhile are skipped."""
    result = await workspace_of(ctx, project).replace(query, replacement)
    etags = {f.path: f.etag for f in result.files}
    await publish_change(ctx, project, list(etags), "updated", etags=etags)
    if etags:
        ctx.autosave.touch(project.id)
    return result


def upload_path(directory: str, filename: str) -> str:
    """Where an uploaded file goes: ``directory/basename``, its extension allowed."""
    name = posixpath.basename(filename.replace("\\", "/")).strip()
    if not name or name in (".", ".."):
        raise BadRequest("the uploaded file has no usable name")
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in UPLOAD_EXTENSIONS:
        raise BadRequest(
            f"{name!r}: only images, fonts and media can be uploaded "
            f"({', '.join(sorted(UPLOAD_EXTENSIONS))}); create text files in the editor"
        )
    folder = normalize_path(directory, allow_root=True)
    return normalize_path(f"{folder}/{name}" if folder else name)


def check_upload_size(size: int | None, limit: int) -> None:
    """Refuse an upload over the configured size limit (413)."""
    if size is not None and size > limit:
        raise PayloadTooLarge(f"uploads are limited to {limit // (1024 * 1024)} MB per file")


def export_zip(ctx: WorkspaceServices, project: Project) -> AsyncIterator[bytes]:
    """The project's files as a streamed zip (dependencies, ``.git``, symlinks left out)."""
    prefix = _slug(project.name) + "/"
    return workspace_of(ctx, project).export_zip(prefix)


def _slug(name: str) -> str:
    slug = "".join(c if c.isalnum() or c in "-_" else "-" for c in name.strip().lower())
    return slug.strip("-")[:60] or "project"


def zip_name(project: Project) -> str:
    return f"{_slug(project.name)}.zip"
