"""``LocalWorkspace``: a project's files in a directory on this machine.

All blocking work (path resolution included, it stats the disk) runs in a worker thread
through ``anyio.to_thread``. Writes are atomic: a temporary file in the target's folder,
fsync, then ``rename`` over the target, so a reader sees the old or the new content,
never a part. Conditional writes (``if_match``) take an exclusive ``flock`` on the
target's folder for the compare-and-swap, which serialises concurrent writers of this and
other processes on this machine.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import logging
import os
import secrets
import shutil
import stat
from collections.abc import AsyncIterator, Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

import anyio.to_thread

from appwright.workspace.archive import build_zip
from appwright.workspace.base import (
    ChangeKind,
    FileContent,
    FileTree,
    FileVersion,
    OnChange,
    ReplaceResult,
    SearchHit,
    SearchQuery,
)
from appwright.workspace.dirfd import open_dir
from appwright.workspace.errors import (
    AlreadyExists,
    ETagMismatch,
    FileNotFound,
    FileTooLarge,
    NotADirectory,
    NotAFile,
    PathRejected,
)
from appwright.workspace.paths import relative_path, resolve_path
from appwright.workspace.scan import DEFAULT_IGNORED, TMP_PREFIX, scan_tree
from appwright.workspace.search import replace_in_files, search_files

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_MAX_FILE_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_TREE_ENTRIES = 50_000
_NEW_FILE_MODE = 0o644
_ZIP_CHUNK = 256 * 1024


def etag_of(data: bytes) -> str:
    """The ETag of some content: the first 32 hex digits of its SHA-256."""
    return hashlib.sha256(data).hexdigest()[:32]


def _clean_etag(value: str) -> str:
    # Accept what an HTTP layer might pass through untouched: W/"abc" or "abc".
    value = value.strip()
    if value.startswith("W/"):
        value = value[2:]
    return value.strip('"')


def _lexists(name: str, dir_fd: int) -> bool:
    try:
        os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return False
    return True


def _split(rel: str) -> tuple[str, str]:
    """``("folder/sub", "name")`` of a workspace-relative path."""
    parent, _, name = rel.rpartition("/")
    return parent, name


class LocalWorkspace:
    """A workspace in a local directory; implements ``ExtendedWorkspace``.

    ``on_change(paths, kind)`` is awaited after each successful change; its errors are
    logged and never undo or fail the change. ``ignored`` names the folders left out of
    tree, search and export (``.git`` always is).
    """

    def __init__(
        self,
        root: str | os.PathLike[str],
        *,
        on_change: OnChange | None = None,
        ignored: frozenset[str] = DEFAULT_IGNORED,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        max_tree_entries: int = DEFAULT_MAX_TREE_ENTRIES,
    ) -> None:
        self.root = os.path.realpath(root)
        self.on_change = on_change
        self.ignored = ignored
        self.max_file_bytes = max_file_bytes
        self.max_tree_entries = max_tree_entries

    async def _run(self, fn: Callable[[], T]) -> T:
        return await anyio.to_thread.run_sync(fn)

    async def _notify(self, paths: list[str], kind: ChangeKind) -> None:
        if self.on_change is None or not paths:
            return
        try:
            await self.on_change(paths, kind)
        except Exception:
            log.exception("workspace on_change callback failed", extra={"paths": paths})

    # ----------------------------------------------------------------- reading

    def _read_sync(self, path: str, with_version: bool) -> FileContent:
        rel = relative_path(self.root, resolve_path(self.root, path))
        folder, name = _split(rel)
        try:
            dir_fd = open_dir(self.root, folder, path)
        except NotADirectory:
            raise FileNotFound(path) from None
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
        except (FileNotFoundError, NotADirectoryError):
            raise FileNotFound(path) from None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise PathRejected(path, "symbolic link loop") from None
            raise
        finally:
            os.close(dir_fd)
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            raise NotAFile(path)
        if st.st_size > self.max_file_bytes:
            os.close(fd)
            raise FileTooLarge(path, st.st_size, self.max_file_bytes)
        with os.fdopen(fd, "rb") as f:
            data = f.read()
        etag = etag_of(data) if with_version else ""
        return FileContent(data, FileVersion(rel, etag, len(data)))

    async def read(self, path: str) -> bytes:
        """The file's bytes (binary-safe); ``FileNotFound``, ``NotAFile``, ``PathRejected``."""
        return (await self._run(partial(self._read_sync, path, False))).data

    async def read_versioned(self, path: str) -> FileContent:
        """The file's bytes with its ``FileVersion`` (ETag), for a later ``if_match`` write."""
        return await self._run(partial(self._read_sync, path, True))

    # ----------------------------------------------------------------- writing

    @staticmethod
    def _current_etag(dir_fd: int, name: str, path: str) -> str | None:
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:  # a link placed there since the path was resolved
                raise PathRejected(path, "was replaced by a symbolic link") from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise NotAFile(path)
        with os.fdopen(fd, "rb") as f:
            return etag_of(f.read())

    def _write_at(
        self,
        path: str,
        target: Path,
        data: bytes,
        if_match: str | None,
        if_none_match: str | None,
    ) -> FileVersion:
        rel = relative_path(self.root, target)
        folder, name = _split(rel)
        dir_fd = open_dir(self.root, folder, path, create=True)
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX)
            try:
                existing = os.lstat(name, dir_fd=dir_fd)
            except FileNotFoundError:
                existing = None
            if existing is not None and stat.S_ISDIR(existing.st_mode):
                raise NotAFile(path)
            if if_match is not None or if_none_match is not None:
                current = self._current_etag(dir_fd, name, path)
                if if_none_match is not None and current is not None:
                    raise ETagMismatch(path, "no file", current)
                if if_match is not None:
                    wanted = _clean_etag(if_match)
                    if current is None or (wanted != "*" and wanted != current):
                        raise ETagMismatch(path, wanted, current)
            mode = (
                stat.S_IMODE(existing.st_mode)
                if existing is not None and stat.S_ISREG(existing.st_mode)
                else _NEW_FILE_MODE
            )
            tmp = f"{TMP_PREFIX}{secrets.token_hex(8)}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
            fd = os.open(tmp, flags, 0o600, dir_fd=dir_fd)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                    f.flush()
                    os.fchmod(f.fileno(), mode)
                    os.fsync(f.fileno())
                # rename() replaces the entry itself: a link put at ``name`` meanwhile is
                # replaced, never followed.
                os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp, dir_fd=dir_fd)
                raise
            # Make the rename itself durable: the directory entry lives in the folder.
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        return FileVersion(rel, etag_of(data), len(data), existing is None)

    def _write_sync(
        self, path: str, data: bytes, if_match: str | None, if_none_match: str | None
    ) -> FileVersion:
        target = resolve_path(self.root, path)
        return self._write_at(path, target, data, if_match, if_none_match)

    async def write(
        self,
        path: str,
        data: bytes,
        *,
        if_match: str | None = None,
        if_none_match: str | None = None,
    ) -> FileVersion:
        """Write ``data`` atomically and return the new ``FileVersion``.

        Conditions follow HTTP: ``if_match=None`` writes unconditionally; ``if_match="*"``
        requires the file to exist; ``if_match=<etag>`` requires the current content to
        have that ETag (a file deleted meanwhile is a mismatch too); ``if_none_match="*"``
        requires that no file exists (create-only). A failed condition raises
        ``ETagMismatch`` carrying the current ETag and writes nothing. Missing folders are
        created. A write through a symlink inside the workspace writes its target.
        """
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("workspace writes take bytes")
        data = bytes(data)
        if len(data) > self.max_file_bytes:
            raise FileTooLarge(path, len(data), self.max_file_bytes)
        version = await self._run(partial(self._write_sync, path, data, if_match, if_none_match))
        await self._notify([version.path], "created" if version.created else "updated")
        return version

    def _mkdir_sync(self, path: str) -> tuple[str, bool]:
        target = resolve_path(self.root, path)
        rel = relative_path(self.root, target)
        if os.path.lexists(target):
            if os.path.isdir(target) and not os.path.islink(target):
                return rel, False
            raise NotADirectory(path)
        os.close(open_dir(self.root, rel, path, create=True))
        return rel, True

    async def mkdir(self, path: str) -> None:
        """Create a folder (and its parents); succeeds if it already exists."""
        rel, created = await self._run(partial(self._mkdir_sync, path))
        if created:
            await self._notify([rel], "created")

    def _delete_sync(self, path: str) -> str:
        rel = relative_path(self.root, resolve_path(self.root, path, follow_final=False))
        folder, name = _split(rel)
        try:
            dir_fd = open_dir(self.root, folder, path)
        except NotADirectory:
            raise FileNotFound(path) from None
        try:
            try:
                st = os.lstat(name, dir_fd=dir_fd)
            except FileNotFoundError:
                raise FileNotFound(path) from None
            if stat.S_ISDIR(st.st_mode):
                # rmtree never follows symlinks inside the folder; it unlinks them.
                shutil.rmtree(name, dir_fd=dir_fd)
            else:
                os.unlink(name, dir_fd=dir_fd)
        finally:
            os.close(dir_fd)
        return rel

    async def delete(self, path: str) -> None:
        """Delete a file, a symlink (never its target) or a folder with its content."""
        rel = await self._run(partial(self._delete_sync, path))
        await self._notify([rel], "deleted")

    def _rename_sync(self, src: str, dst: str) -> tuple[str, str] | None:
        source = relative_path(self.root, resolve_path(self.root, src, follow_final=False))
        target = relative_path(self.root, resolve_path(self.root, dst, follow_final=False))
        if source == target:
            return None
        if target.startswith(source + "/"):
            raise PathRejected(dst, "a folder cannot be moved into itself")
        (src_folder, src_name), (dst_folder, dst_name) = _split(source), _split(target)
        try:
            src_fd = open_dir(self.root, src_folder, src)
        except NotADirectory:
            raise FileNotFound(src) from None
        try:
            if not _lexists(src_name, src_fd):
                raise FileNotFound(src)
            dst_fd = open_dir(self.root, dst_folder, dst, create=True)
            try:
                if _lexists(dst_name, dst_fd):
                    raise AlreadyExists(dst)
                os.rename(src_name, dst_name, src_dir_fd=src_fd, dst_dir_fd=dst_fd)
            finally:
                os.close(dst_fd)
        finally:
            os.close(src_fd)
        return source, target

    async def rename(self, src: str, dst: str) -> None:
        """Rename or move a file, symlink or folder; ``dst`` must not exist (``AlreadyExists``)."""
        moved = await self._run(partial(self._rename_sync, src, dst))
        if moved is not None:
            await self._notify(list(moved), "renamed")

    # ------------------------------------------------------- listing, search

    async def tree(self) -> FileTree:
        """The nested file tree, ignored folders left out (see ``scan.DEFAULT_IGNORED``)."""
        return await self._run(partial(scan_tree, self.root, self.ignored, self.max_tree_entries))

    async def search(self, query: SearchQuery) -> list[SearchHit]:
        """Matches of the query, in path then line order; see ``SearchQuery``."""
        return await self._run(partial(search_files, self.root, self.ignored, query))

    async def replace(self, query: SearchQuery, replacement: str) -> ReplaceResult:
        """Replace every match of ``query`` in the selected files (``max_results`` unused).

        Each changed file is written atomically; a file changed by someone else between
        our read and write is skipped (reported in ``skipped``), never overwritten.
        """

        def write(rel: str, absolute: str, data: bytes, etag: str) -> FileVersion:
            return self._write_at(rel, Path(absolute), data, etag, None)

        files, count, skipped = await self._run(
            partial(replace_in_files, self.root, self.ignored, query, replacement, etag_of, write)
        )
        await self._notify([f.path for f in files], "updated")
        return ReplaceResult(files, count, skipped)

    async def export_zip(self, prefix: str = "") -> AsyncIterator[bytes]:
        """Stream a zip of the project (ignored folders, ``.git`` and symlinks left out)."""
        archive = await self._run(partial(build_zip, self.root, self.ignored, prefix))
        try:
            while chunk := await self._run(partial(archive.read, _ZIP_CHUNK)):
                yield chunk
        finally:
            archive.close()
