"""File API (docs/PRODUCT.md §3.6): ``/api/files/{project_id}/...`` — thin; the logic is in
``service``.

Paths are workspace-relative POSIX strings, validated by ``workspace.paths.resolve_path``
(one validator for every endpoint). ETags are sent quoted (``ETag: "<hex>"``).
A root file named ``tree`` or ``download`` collides with those routes on ``GET``; read it
with ``GET /api/files/{project_id}?path=tree``.
"""

from __future__ import annotations

import mimetypes
import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Header, Query, UploadFile, status
from fastapi.responses import JSONResponse, Response, StreamingResponse

from appwright.auth.access import get_project
from appwright.auth.deps import CurrentUser
from appwright.core.deps import SessionDep
from appwright.core.schemas import error_responses
from appwright.workspace import FileVersion, SearchQuery, service
from appwright.workspace.deps import WorkspaceDep
from appwright.workspace.schemas import (
    FileRead,
    FileTreeRead,
    FileWrite,
    FileWritten,
    MkdirRequest,
    Renamed,
    RenameRequest,
    ReplaceResultRead,
    SearchHitRead,
    SearchRequest,
    SearchResult,
    UploadResult,
)

router = APIRouter(
    prefix="/api", tags=["files"], responses=error_responses(400, 401, 403, 404, 409, 412, 413)
)

# Served as themselves with ?raw=1 (an <img>/@font-face can use them); everything else is
# application/octet-stream. The CSP sandbox keeps an SVG opened directly from scripting
# on the platform origin.
_RAW_TYPES = {
    "image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "image/svg+xml",
    "image/x-icon", "image/vnd.microsoft.icon", "image/bmp", "font/woff", "font/woff2",
    "font/ttf", "font/otf", "audio/mpeg", "audio/wav", "audio/ogg", "video/mp4",
    "video/webm", "application/pdf", "text/plain",
}  # fmt: skip
_RAW_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"


def _quoted(etag: str) -> str:
    return f'"{etag}"'


def _written(version: FileVersion) -> FileWritten:
    return FileWritten(
        path=version.path, etag=version.etag, size=version.size, created=version.created
    )


@router.get("/files/{project_id}/tree")
async def get_tree(
    project_id: uuid.UUID, user: CurrentUser, ctx: WorkspaceDep, session: SessionDep
) -> FileTreeRead:
    """The project's file tree (``node_modules``, build output and ``.git`` left out)."""
    project = await get_project(session, user, project_id)
    return FileTreeRead.model_validate(await service.tree(ctx, project))


@router.get("/files/{project_id}/download", response_class=StreamingResponse)
@router.get("/projects/{project_id}/download", response_class=StreamingResponse)
async def download(
    project_id: uuid.UUID, user: CurrentUser, ctx: WorkspaceDep, session: SessionDep
) -> StreamingResponse:
    """The project as a zip (``<name>/...``), without dependencies, build output or history."""
    project = await get_project(session, user, project_id)
    return StreamingResponse(
        service.export_zip(ctx, project),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{service.zip_name(project)}"'},
    )


async def _read(
    project_id: uuid.UUID,
    path: str,
    raw: bool,
    if_none_match: str | None,
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
) -> Response:
    project = await get_project(session, user, project_id)
    found = await service.read_file(ctx, project, path)
    etag = _quoted(found.version.etag)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if if_none_match is not None and etag in [t.strip() for t in if_none_match.split(",")]:
        return Response(status_code=status.HTTP_304_NOT_MODIFIED, headers=headers)
    if raw:
        guessed = mimetypes.guess_type(found.version.path)[0] or ""
        media = guessed if guessed in _RAW_TYPES else "application/octet-stream"
        headers["Content-Security-Policy"] = _RAW_CSP
        return Response(found.data, media_type=media, headers=headers)
    content, encoding = service.encode_content(found.data)
    body = FileRead(
        path=found.version.path,
        content=content,
        encoding="utf-8" if encoding == "utf-8" else "base64",
        etag=found.version.etag,
        size=found.version.size,
    )
    return JSONResponse(body.model_dump(), headers=headers)


_RAW_QUERY = Query(description="Answer the bytes themselves instead of JSON")


@router.get("/files/{project_id}", response_model=FileRead)
async def read_file_by_query(
    project_id: uuid.UUID,
    path: Annotated[str, Query(min_length=1, max_length=1024)],
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
    raw: Annotated[bool, _RAW_QUERY] = False,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """Same as ``GET /api/files/{project_id}/{path}``, the path as a query parameter."""
    return await _read(project_id, path, raw, if_none_match, user, ctx, session)


@router.get("/files/{project_id}/{path:path}", response_model=FileRead)
async def read_file(
    project_id: uuid.UUID,
    path: str,
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
    raw: Annotated[bool, _RAW_QUERY] = False,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """A file: JSON ``{path, content, encoding, etag, size}`` (UTF-8 text as is, anything
    else base64), or with ``?raw=1`` the bytes. ``ETag`` header; ``If-None-Match`` → 304."""
    return await _read(project_id, path, raw, if_none_match, user, ctx, session)


@router.put("/files/{project_id}/{path:path}")
async def write_file(
    project_id: uuid.UUID,
    path: str,
    body: FileWrite,
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
    if_match: Annotated[str | None, Header()] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> JSONResponse:
    """Create or replace a file atomically (201 when created, 200 when replaced).

    ``If-Match: "<etag>"`` writes only over that version, ``If-None-Match: *`` only when
    absent; otherwise 412 ``{"error": "ETagMismatch", "detail", "current_etag"}``.
    """
    project = await get_project(session, user, project_id)
    data = service.decode_content(body.content, body.encoding)
    version = await service.write_file(
        ctx, project, path, data, if_match=if_match, if_none_match=if_none_match
    )
    return JSONResponse(
        _written(version).model_dump(),
        status_code=status.HTTP_201_CREATED if version.created else status.HTTP_200_OK,
        headers={"ETag": _quoted(version.etag)},
    )


@router.delete("/files/{project_id}/{path:path}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_file(
    project_id: uuid.UUID,
    path: str,
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
    if_match: Annotated[str | None, Header()] = None,
) -> None:
    """Delete a file, a symlink (never its target) or a folder with its content."""
    project = await get_project(session, user, project_id)
    await service.delete_file(ctx, project, path, if_match=if_match)


@router.post("/files/{project_id}/rename")
async def rename(
    project_id: uuid.UUID,
    body: RenameRequest,
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
) -> Renamed:
    """Rename or move ``{from, to}``; 409 ``AlreadyExists`` when ``to`` exists."""
    project = await get_project(session, user, project_id)
    source, target = await service.rename(ctx, project, body.from_, body.to)
    return Renamed(from_=source, to=target)


@router.post("/files/{project_id}/mkdir", status_code=status.HTTP_201_CREATED)
async def mkdir(
    project_id: uuid.UUID,
    body: MkdirRequest,
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
) -> dict[str, str]:
    """Create a folder (and its parents); answers ``{path}``."""
    project = await get_project(session, user, project_id)
    return {"path": await service.mkdir(ctx, project, body.path)}


def _query(body: SearchRequest) -> SearchQuery:
    return SearchQuery(
        pattern=body.query,
        regex=body.regex,
        case_sensitive=body.case_sensitive,
        whole_word=body.whole_word,
        include=tuple(body.include),
        exclude=tuple(body.exclude),
        max_results=body.max_results,
    )


@router.post("/files/{project_id}/search")
async def search(
    project_id: uuid.UUID,
    body: SearchRequest,
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
) -> SearchResult | ReplaceResultRead:
    """Search; with ``replace`` set, replace every match and answer the files changed."""
    project = await get_project(session, user, project_id)
    if body.replace is not None:
        result = await service.replace(ctx, project, _query(body), body.replace)
        return ReplaceResultRead(
            files=[_written(f) for f in result.files],
            replacements=result.replacements,
            skipped=result.skipped,
        )
    hits = await service.search(ctx, project, _query(body))
    return SearchResult(
        hits=[
            SearchHitRead(
                path=h.path, line=h.line, column=h.column, length=h.length, preview=h.preview
            )
            for h in hits
        ],
        truncated=len(hits) >= body.max_results,
    )


@router.post("/files/{project_id}/upload", status_code=status.HTTP_201_CREATED)
async def upload(
    project_id: uuid.UUID,
    files: Annotated[list[UploadFile], File(description="images, fonts, media")],
    user: CurrentUser,
    ctx: WorkspaceDep,
    session: SessionDep,
    directory: Annotated[str, Form(max_length=1024)] = "",
    overwrite: Annotated[bool, Form()] = False,
) -> UploadResult:
    """Upload binary assets into ``directory`` (multipart field ``files``, repeatable).

    Each file is limited to ``file_upload_max_bytes`` and the whole request to that plus
    1 MiB (``core.bodylimit``, before the form is parsed); an existing file is refused
    (412 ``ETagMismatch``) unless ``overwrite``.
    """
    limit = ctx.settings.file_upload_max_bytes
    project = await get_project(session, user, project_id)
    targets = [service.upload_path(directory, f.filename or "") for f in files]
    for f in files:
        service.check_upload_size(f.size, limit)
    written: list[FileWritten] = []
    for f, target in zip(files, targets, strict=True):
        data = await f.read(limit + 1)
        service.check_upload_size(len(data), limit)
        version = await service.write_file(
            ctx, project, target, data, if_none_match=None if overwrite else "*"
        )
        written.append(_written(version))
    return UploadResult(files=written)
