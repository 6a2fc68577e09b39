"""Deployment artefacts: ``deployments/{project}/{deployment}/`` in the data directory.

An artefact is made once and never changed: ``site/`` holds the files a static
deployment serves, ``build.log`` what its build printed. A static site's files come
from the version's tree as git stores it (``git archive`` of the platform's own git
dir, which no sandbox reaches), unpacked with no links of any kind, no special files and
no set-id bits, so serving them can never lead outside the folder.
"""

from __future__ import annotations

import io
import tarfile
from collections.abc import Iterable
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


def unpack_site(archive: bytes, dest: Path, *, root: str, exclude: Iterable[str]) -> int:
    """Unpack the files under ``root`` of a version's tar ``archive`` into ``dest`` (new).

    ``exclude``: top-level names of ``root`` that are not part of the site (the
    template's dev server, its instructions for the AI). Returns the number of files.
    """
    skip = frozenset(exclude)
    prefix = PurePosixPath(root)
    count = 0
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
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
            if not (member.isfile() or member.isdir()):
                continue
            member = member.replace(name=str(rel), deep=False)
            safe = tarfile.data_filter(member, str(dest))
            if safe is None:
                continue
            tar.extract(safe, dest, set_attrs=False, filter="data")
            count += member.isfile()
    return count
