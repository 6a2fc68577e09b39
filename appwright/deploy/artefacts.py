"""Deployment artefacts: ``deployments/{project}/{deployment}/`` in the data directory.

An artefact is made once and never changed: ``site/`` holds the files a static
deployment serves, ``build.log`` what its build printed. A static site's files come
from the version's tree as git stores it (``git archive`` of the platform's own git
dir, which no sandbox reaches), unpacked with no links of any kind, no special files and
no set-id bits, so serving them can never lead outside the folder.
"""

from __future__ import annotations

import io
import os
import stat
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from appwright.deploy.target import BuildFailed

NOT_PUBLISHED = frozenset({"node_modules", ".git", ".next", ".vite", ".turbo"})
"""Never part of a published site, at any depth."""


class ArtefactRejected(BuildFailed):
    """The version's files cannot be published as they are (the summary says why)."""


def artefact_dir(deployments_dir: Path, project_id: str, deployment_id: str) -> Path:
    return deployments_dir / project_id / deployment_id


def site_dir(artefact: Path) -> Path:
    return artefact / "site"


def log_path(artefact: Path) -> Path:
    return artefact / "build.log"


def _site_members(
    tar: tarfile.TarFile, *, root: str, exclude: Iterable[str]
) -> Iterator[tuple[tarfile.TarInfo, PurePosixPath]]:
    """The files and folders under ``root`` of a version's tar that make the site, each
    with its path relative to ``root``; a link anywhere in it is ``ArtefactRejected``."""
    skip = frozenset(exclude)
    prefix = PurePosixPath(root)
    for member in tar.getmembers():
        path = PurePosixPath(member.name)
        if prefix != PurePosixPath(".") and prefix not in path.parents:
            continue
        rel = path if prefix == PurePosixPath(".") else path.relative_to(prefix)
        if not rel.parts or NOT_PUBLISHED.intersection(rel.parts) or rel.parts[0] in skip:
            continue
        if member.issym() or member.islnk():
            raise ArtefactRejected(
                f"{member.name} is a link; a published site holds files only. "
                "Replace the link with the file and publish again."
            )
        if member.isfile() or member.isdir():
            yield member, rel


def unpack_site(archive: bytes, dest: Path, *, root: str, exclude: Iterable[str]) -> int:
    """Unpack the files under ``root`` of a version's tar ``archive`` into ``dest`` (new).

    ``exclude``: top-level names of ``root`` that are not part of the site (the
    template's dev server, its instructions for the AI). Returns the number of files.
    """
    count = 0
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member, rel in _site_members(tar, root=root, exclude=exclude):
            member = member.replace(name=str(rel), deep=False)
            safe = tarfile.data_filter(member, str(dest))
            if safe is None:
                continue
            tar.extract(safe, dest, set_attrs=False, filter="data")
            count += member.isfile()
    return count


def read_site(archive: bytes, *, root: str, exclude: Iterable[str]) -> list[tuple[str, bytes]]:
    """The files ``unpack_site`` would unpack, as (path relative to ``root``, bytes), in
    memory (for a hosted target to upload), within ``MAX_SITE_BYTES``/``MAX_SITE_FILES``."""
    files: list[tuple[str, bytes]] = []
    total = 0
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member, rel in _site_members(tar, root=root, exclude=exclude):
            if not member.isfile():
                continue
            total += member.size
            if total > MAX_SITE_BYTES or len(files) >= MAX_SITE_FILES:
                raise ArtefactRejected(
                    f"The app is larger than {MAX_SITE_BYTES >> 20} MiB or {MAX_SITE_FILES} files."
                )
            data = tar.extractfile(member)
            files.append((str(rel), data.read() if data is not None else b""))
    return files


MAX_SITE_BYTES = 1024 * 1024 * 1024
MAX_SITE_FILES = 50_000


def copy_site(src: Path, dest: Path) -> int:
    """Copy the regular files under ``src`` (a build's output) into ``dest`` (new).

    ``src`` is in a build workspace whose sandbox is destroyed (no process of it runs),
    but the build chose every name in it: the walk goes by descriptor without following
    a link (a link, at the top or below, is left out), copies contents only (never an
    inode, owner or mode), and stops at a size and a count. Returns the number of files.
    """
    if not os.path.isdir(src) or os.path.islink(src):
        raise ArtefactRejected(f"The build made no {src.name}/ folder to publish.")
    count, total = 0, 0
    dest.mkdir(parents=True)
    for dirpath, dirnames, filenames, dirfd in os.fwalk(src, follow_symlinks=False):
        rel = Path(dirpath).relative_to(src)
        for name in dirnames:
            info = os.stat(name, dir_fd=dirfd, follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                (dest / rel / name).mkdir()
        for name in filenames:
            try:
                fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dirfd)
            except OSError:
                continue  # a link, or gone
            with os.fdopen(fd, "rb") as f:
                if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                    continue
                data = f.read(MAX_SITE_BYTES - total + 1)
            total += len(data)
            count += 1
            if total > MAX_SITE_BYTES or count > MAX_SITE_FILES:
                raise ArtefactRejected(
                    f"The build output is larger than {MAX_SITE_BYTES >> 20} MiB "
                    f"or {MAX_SITE_FILES} files."
                )
            (dest / rel / name).write_bytes(data)
    return count
