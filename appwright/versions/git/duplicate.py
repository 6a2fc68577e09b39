"""A duplicate's files and history, from the source project's current version.

The source's sandbox keeps running while it is duplicated and controls every path of its
workspace: a copy of the live folder made by the platform (root) could be led through a
folder swapped for a link and copy the host's files into the duplicate. The files
therefore come from the source's history instead — ``git archive`` of its current
version, read from the platform's git dir, which no sandbox can reach — and are unpacked
with ``tarfile``'s ``data`` filter (no absolute names, no ``..``, no links leaving the
folder, no devices, no set-id bits) into a folder no sandbox has yet. A failure at any
step removes the new workspace and repository again.
"""

from __future__ import annotations

import io
import os
import shutil
import tarfile
from functools import partial
from pathlib import Path, PurePosixPath

import anyio

from appwright.core.errors import Conflict
from appwright.versions.git.errors import VersionNotFound
from appwright.versions.git.repo import ProjectRepo

NOT_COPIED = frozenset({"node_modules", ".next", ".vite", "dist", ".turbo"})
"""Never copied (at any depth), even when committed: dependencies are linked anew and
build output is rebuilt."""


class CannotDuplicate(Conflict):
    """The source project cannot be duplicated as it is (the message says why)."""


async def duplicate_version(source: ProjectRepo, target: ProjectRepo, message: str) -> None:
    """Give ``target`` (a new project: neither workspace nor history exist yet) the files of
    ``source``'s current version, committed as its first version with ``message``.

    Raises ``CannotDuplicate`` when the source has no version yet or its version holds a
    link the unpacking refuses, ``Conflict`` when the target exists; on any failure (or
    cancellation) nothing of the target is left behind.
    """
    workspace, git_dir = target.git.worktree, target.git.git_dir
    if await anyio.to_thread.run_sync(_any_exists, workspace, git_dir):
        raise Conflict("The new project's folder exists already; nothing was copied.")
    try:
        if not await source.is_initialized():
            raise VersionNotFound("HEAD")
        archive = await source.archive()
    except VersionNotFound:
        raise CannotDuplicate(
            "This project has no saved version yet, so there is nothing to duplicate."
        ) from None
    made: list[Path] = []
    try:
        await anyio.Path(workspace).mkdir()
        made.append(workspace)
        await anyio.to_thread.run_sync(_unpack, archive, workspace)
        made.append(git_dir)
        await target.init(message)
    except BaseException:
        with anyio.CancelScope(shield=True):
            for path in made:
                await anyio.to_thread.run_sync(partial(shutil.rmtree, path, ignore_errors=True))
        raise


def _any_exists(*paths: Path) -> bool:
    return any(os.path.lexists(path) for path in paths)


def _unpack(archive: bytes, folder: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        try:
            tar.extractall(folder, filter=_keep)  # noqa: S202 - the data filter, see _keep
        except tarfile.FilterError as exc:
            raise CannotDuplicate(
                f"This project cannot be duplicated: its current version has {exc}. "
                "Change that, save a version and try again."
            ) from None


def _keep(member: tarfile.TarInfo, dest: str) -> tarfile.TarInfo | None:
    if NOT_COPIED.intersection(PurePosixPath(member.name).parts):
        return None
    return tarfile.data_filter(member, dest)
