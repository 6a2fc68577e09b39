"""Where deployments go: the ``DeployTarget`` interface and what crosses it.

A target turns one version of a project into something served: the local target (the
embedded default) makes an artefact in the data directory that the gateway serves; a
hosted one (Vercel) uploads the files and waits for its build. The publisher
(``publisher.py``) owns the deployment rows and the live pointer; a target only builds.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from appwright.deploy.domain_schemas import DnsRecord
from appwright.preview.sites import AppServer, Site
from appwright.templates.catalogue import Template


class BuildLog:
    """The lines a build prints, kept in the deployment's ``build.log``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def write(self, line: str) -> None:
        """One line of the platform's own."""
        self.write_chunk(line.rstrip("\n") + "\n")

    def write_chunk(self, text: str) -> None:
        """Output of a build command as it comes (chunks need not end lines)."""
        with self.path.open("a", encoding="utf-8") as f:
            f.write(text)


@dataclass(frozen=True, slots=True)
class BuildJob:
    project_id: str
    deployment_id: str
    template: Template
    commit_sha: str
    archive: Callable[[], Awaitable[bytes]]
    """The version's files as a tar archive, read from the platform's git dir."""
    env: Mapping[str, str]
    """The production environment (the project's variables)."""
    artefact: Path
    """This deployment's folder (exists, empty but for the log)."""
    log: BuildLog
    user_id: str | None = None
    """The person who asked for the deployment (a hosted target deploys with their token)."""
    slug: str | None = None
    """The project's address label (a hosted target names its project after it)."""


@dataclass(frozen=True, slots=True)
class BuildOutcome:
    served: Site | AppServer | None = None
    """What the gateway answers with for a ready local deployment."""
    url: str | None = None
    """Where a hosted target serves it."""
    external_id: str | None = None
    """The hosted target's id of the deployment (to make it live again on a rollback)."""


@dataclass(frozen=True, slots=True)
class HostedDomain:
    """A custom domain as the hosted platform has it on the person's project there."""

    verified: bool
    records: tuple[DnsRecord, ...]
    """What to create at the domain's DNS provider: the record that routes it to the
    hosted platform first, then any it asks for to prove who controls the domain."""
    problem: str | None = None
    """Why it is not verified yet, in the hosted platform's words."""


class BuildFailed(Exception):
    """The build ran and failed; ``summary`` says why in a line a person can act on."""

    def __init__(self, summary: str) -> None:
        super().__init__(summary)
        self.summary = summary


class DeployTarget(Protocol):
    name: str

    def check(self, template: Template) -> None:
        """Raise an ``AppError`` saying why this target cannot publish such apps."""
        ...

    async def build(self, job: BuildJob) -> BuildOutcome:
        """Make the deployment; raise ``BuildFailed`` when its build fails."""
        ...


class HostedTarget(DeployTarget, Protocol):
    """A target that deploys to someone else's platform with the person's own account."""

    async def connected(self, user_id: uuid.UUID) -> bool:
        """Whether the person has connected an account this target can deploy with."""
        ...

    async def promote(self, user_id: uuid.UUID, external_id: str) -> None:
        """Make an earlier ready deployment (``BuildOutcome.external_id``) live again;
        raise an ``AppError`` saying why it cannot be."""
        ...

    async def add_domain(self, user_id: uuid.UUID, slug: str, name: str) -> HostedDomain:
        """Attach ``name`` to the person's project named ``slug`` there; raise an
        ``AppError`` saying why it cannot be (a ``Conflict`` when the domain is taken)."""
        ...

    async def verify_domain(self, user_id: uuid.UUID, slug: str, name: str) -> HostedDomain:
        """Ask the hosted platform to verify the domain now."""
        ...

    async def remove_domain(self, user_id: uuid.UUID, slug: str, name: str) -> None:
        """Detach the domain from the project there (one already gone is no error)."""
        ...
