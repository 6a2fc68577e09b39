"""Published apps as the gateway sees them: static sites (files of an immutable artefact
folder, answered here) and app servers (proxied to their sandbox).

A published app is public and on its own origin (``{slug}.{apps_domain}``); a static one
(the static template, a Vite build) is served from its deployment's artefact folder with
no upstream at all. The folder never changes once its deployment is ready, so each file
is read once and kept (up to a memory budget), and the validator is the deployment id.

Only regular files inside the folder are served: the artefact is made by the platform
with no links (``deploy/artefacts.py``), and a name is resolved here component by
component with ``O_NOFOLLOW`` all the same.
"""

from __future__ import annotations

import mimetypes
import os
import stat
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

CACHE_BYTES = 64 * 1024 * 1024
"""Memory for file contents, over all sites (least recently used goes first)."""
MAX_CACHED_FILE = 4 * 1024 * 1024
MAX_FILE = 256 * 1024 * 1024

_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".webmanifest": "application/manifest+json",
    ".wasm": "application/wasm",
}


@dataclass(frozen=True, slots=True)
class Site:
    """A ready static deployment: where its files are and what identifies them."""

    root: Path
    deployment_id: str
    spa: bool = False
    """Paths without a file and without an extension answer ``/index.html`` (client-side
    routing of single-page apps)."""


@dataclass(frozen=True, slots=True)
class AppServer:
    """A ready server deployment (``next start``): the gateway proxies to its sandbox."""

    runtime_id: str
    """Its supervised sandbox (``app-{deployment}``), as ``resolve_upstream`` knows it."""
    deployment_id: str


@dataclass(frozen=True, slots=True)
class SiteResponse:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class _File:
    body: bytes
    content_type: str


class SiteFiles:
    """Answers GET/HEAD for sites; keeps recently read files in memory."""

    def __init__(self, cache_bytes: int = CACHE_BYTES) -> None:
        self._cache: OrderedDict[tuple[str, str], _File] = OrderedDict()
        self._cache_bytes = cache_bytes
        self._used = 0

    def respond(
        self, site: Site, method: str, target: str, if_none_match: str | None
    ) -> SiteResponse:
        if method not in ("GET", "HEAD"):
            return _plain(405, "Method not allowed.", [("Allow", "GET, HEAD")])
        parts = _parts(target)
        if parts is None:
            return _plain(400, "Bad path.")
        found = self._file(site, parts)
        if found is None and site.spa and (not parts or "." not in parts[-1]):
            parts = ["index.html"]
            found = self._file(site, parts)
        if found is None:
            notfound = self._file(site, ["404.html"])
            if notfound is not None:
                return _response(404, notfound, site, ["404.html"], method)
            return _plain(404, "Not found.")
        etag = f'"{site.deployment_id}"'
        if if_none_match is not None and etag in {t.strip() for t in if_none_match.split(",")}:
            return SiteResponse(304, [("ETag", etag), *_cache_headers(parts)], b"")
        return _response(200, found, site, parts, method)

    def _file(self, site: Site, parts: list[str]) -> _File | None:
        if any(p.startswith(".") and p != ".well-known" for p in parts):
            return None  # hidden files are not part of a site
        key = (str(site.root), "/".join(parts))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        data = _read(site.root, parts)
        if data is None:
            return None
        file = _File(data, _content_type(parts[-1]))
        if len(data) <= MAX_CACHED_FILE:
            self._cache[key] = file
            self._used += len(data)
            while self._used > self._cache_bytes and self._cache:
                _, old = self._cache.popitem(last=False)
                self._used -= len(old.body)
        return file


def _parts(target: str) -> list[str] | None:
    """The path's components (``index.html`` for folders); None for a path to refuse."""
    path = unquote(target.split("?", 1)[0].split("#", 1)[0])
    if not path.startswith("/") or "\0" in path or "\\" in path:
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    if path.endswith("/") or not parts:
        parts.append("index.html")
    return parts


def _read(root: Path, parts: list[str]) -> bytes | None:
    """A regular file's bytes, opened without following any link; None when absent."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(root, flags | os.O_DIRECTORY)
    except OSError:
        return None
    try:
        for i, name in enumerate(parts):
            last = i == len(parts) - 1
            try:
                nxt = os.open(name, flags | (0 if last else os.O_DIRECTORY), dir_fd=fd)
            except OSError:
                return None
            os.close(fd)
            fd = nxt
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            # "/docs" is "/docs/index.html".
            try:
                nxt = os.open("index.html", flags, dir_fd=fd)
            except OSError:
                return None
            os.close(fd)
            fd = nxt
            info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_FILE:
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    finally:
        os.close(fd)


def _content_type(name: str) -> str:
    ext = os.path.splitext(name)[1].lower()
    if ext in _TYPES:
        return _TYPES[ext]
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def _cache_headers(parts: list[str]) -> list[tuple[str, str]]:
    # Bundlers put content-hashed names under assets/ (Vite) or _next/static (Next.js):
    # those never change. Everything else is revalidated (a publish changes it).
    if parts and parts[0] in ("assets", "_next"):
        return [("Cache-Control", "public, max-age=31536000, immutable")]
    return [("Cache-Control", "public, no-cache")]


def _response(status: int, file: _File, site: Site, parts: list[str], method: str) -> SiteResponse:
    headers = [
        ("Content-Type", file.content_type),
        ("ETag", f'"{site.deployment_id}"'),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Length", str(len(file.body))),
        *_cache_headers(parts),
    ]
    return SiteResponse(status, headers, b"" if method == "HEAD" else file.body)


def _plain(status: int, text: str, extra: list[tuple[str, str]] | None = None) -> SiteResponse:
    body = text.encode()
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        *(extra or []),
    ]
    return SiteResponse(status, headers, body)
