"""The Vercel target: a version's files uploaded to the person's own Vercel account.

Each build deploys with the token of the person who asked for it (``BuildJob.user_id``),
looked up when the build starts (``credentials``, wired in ``context.py``), so a revoked
token or a disconnected account is found then. The Vercel project is named after the
project's address label (``BuildJob.slug``) and is created with the template's framework
settings on the first publish. Before each deployment the project's variables are set on
it: the ones meant for the browser (``PUBLIC_PREFIXES``) as ``plain``, the others
``encrypted``; no value is ever written into the build log. Vercel's build events are
copied into the build log as they come, then the deployment is waited for until it is
``READY`` (its production address is the outcome) or fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import anyio

from appwright.core.config import Settings
from appwright.core.errors import BadRequest
from appwright.deploy.artefacts import read_site
from appwright.deploy.local import PUBLIC_PREFIXES, CannotPublish
from appwright.deploy.target import BuildFailed, BuildJob, BuildLog, BuildOutcome, HostedDomain
from appwright.deploy.vercel.client import VercelClient
from appwright.deploy.vercel.domains import hosted_domain, refusal
from appwright.deploy.vercel.errors import VercelAuthError, VercelError
from appwright.deploy.vercel.wire import DeploymentFile, EnvTarget, EnvType, ProjectSettings
from appwright.templates.catalogue import Template
from appwright.workspace.errors import PathRejected

FRAMEWORKS: dict[str, ProjectSettings] = {
    "nextjs": ProjectSettings(framework="nextjs"),
    "react-vite": ProjectSettings(framework="vite", output_directory="dist"),
    "vue-vite": ProjectSettings(framework="vite", output_directory="dist"),
    "static": ProjectSettings(),
}
"""How Vercel builds each template's apps (``static``: no framework, no build)."""
ENV_TARGETS: tuple[EnvTarget, ...] = ("production", "preview")
NOT_CONNECTED = "Connect Vercel in Settings first."
RECONNECT = (
    "Vercel no longer accepts the saved token (revoked or expired): reconnect Vercel in "
    "Settings, then publish again."
)


@dataclass(frozen=True, slots=True)
class VercelCredentials:
    """What deploys as the person: their token and the team to deploy into."""

    token: str = field(repr=False)
    team_id: str | None = None


CredentialsOf = Callable[[uuid.UUID], Awaitable[VercelCredentials | None]]
"""The person's (user id) Vercel credentials, ``None`` when Vercel is not connected."""


class VercelNotConnected(BadRequest):
    """The person has not connected Vercel (or no longer has)."""


class VercelTarget:
    name = "vercel"

    def __init__(
        self, settings: Settings, credentials: CredentialsOf, *, poll_interval: float = 2.0
    ) -> None:
        self.settings = settings
        self.credentials = credentials
        self.poll_interval = poll_interval

    def check(self, template: Template) -> None:
        if template.id not in FRAMEWORKS:
            raise CannotPublish(f"{template.name} apps cannot be published on Vercel yet.")

    async def connected(self, user_id: uuid.UUID) -> bool:
        return await self.credentials(user_id) is not None

    async def _client(self, user_id: uuid.UUID) -> VercelClient:
        found = await self.credentials(user_id)
        if found is None:
            raise VercelNotConnected(NOT_CONNECTED)
        return VercelClient(self.settings.vercel_api_url, found.token, team_id=found.team_id)

    async def promote(self, user_id: uuid.UUID, external_id: str) -> None:
        """Make an earlier ready deployment production again on Vercel (no rebuild), in
        the Vercel project it belongs to."""
        async with await self._client(user_id) as vercel:
            project_id = (await vercel.get_deployment(external_id)).project_id
            if project_id is None:
                raise VercelError("invalid_response", "Vercel named no project of the deployment")
            await vercel.promote(project_id, external_id)

    async def add_domain(self, user_id: uuid.UUID, slug: str, name: str) -> HostedDomain:
        """Attach ``name`` to the Vercel project ``slug`` (verified at once unless it
        belongs to another Vercel account, which its TXT record then proves). One the
        project has already (added on Vercel's dashboard) is taken as it is."""
        async with await self._client(user_id) as vercel:
            try:
                return hosted_domain(await vercel.add_domain(slug, name))
            except VercelAuthError:
                raise
            except VercelError as exc:
                if exc.status not in (400, 409):
                    raise refusal(exc, name, slug) from None
                refused = exc
            try:
                return hosted_domain(await vercel.get_domain(slug, name))
            except VercelAuthError:
                raise
            except VercelError:
                raise refusal(refused, name, slug) from None

    async def verify_domain(self, user_id: uuid.UUID, slug: str, name: str) -> HostedDomain:
        """Vercel's verification of the domain now; when it refuses, the domain as Vercel
        has it (with the records it still asks for) and Vercel's reason."""
        async with await self._client(user_id) as vercel:
            try:
                return hosted_domain(await vercel.verify_domain(slug, name))
            except VercelAuthError:
                raise
            except VercelError as exc:
                if exc.status != 400:
                    raise refusal(exc, name, slug) from None
                problem = exc.message
            try:
                return hosted_domain(await vercel.get_domain(slug, name), problem)
            except VercelError as exc:
                raise refusal(exc, name, slug) from None

    async def remove_domain(self, user_id: uuid.UUID, slug: str, name: str) -> None:
        async with await self._client(user_id) as vercel:
            try:
                await vercel.remove_domain(slug, name)
            except VercelError as exc:
                if exc.status != 404:
                    raise refusal(exc, name, slug) from None

    async def build(self, job: BuildJob) -> BuildOutcome:
        if job.user_id is None or job.slug is None:
            raise BuildFailed(NOT_CONNECTED)
        try:
            async with await self._client(uuid.UUID(job.user_id)) as vercel:
                return await self._deploy(vercel, job, job.slug)
        except VercelNotConnected:
            raise BuildFailed(NOT_CONNECTED) from None
        except VercelAuthError:
            raise BuildFailed(RECONNECT) from None
        except VercelError as exc:
            raise BuildFailed(exc.detail) from None
        except PathRejected as exc:
            raise BuildFailed(f"A file cannot be published on Vercel: {exc.detail}") from None
        except TimeoutError:
            raise BuildFailed("The Vercel build did not end in 30 minutes.") from None

    async def _deploy(self, vercel: VercelClient, job: BuildJob, name: str) -> BuildOutcome:
        settings = FRAMEWORKS[job.template.id]
        files = await self._files(job)
        job.log.write(f"Publishing version {job.commit_sha[:12]} to Vercel ({len(files)} files).")
        project = await vercel.ensure_project(name, settings)
        await self._sync_env(vercel, project.id, job)
        deployment = await vercel.create_deployment(name, files, settings)
        job.log.write(f"Vercel is building deployment {deployment.id}.")
        await self._copy_events(vercel, deployment.id, job.log)
        done = await vercel.wait(deployment.id, interval=self.poll_interval)
        if done.ready_state == "READY":
            job.log.write(f"Ready at {done.url}")
            return BuildOutcome(url=done.url, external_id=done.id)
        if done.ready_state == "CANCELED":
            raise BuildFailed("The deployment was canceled on Vercel.")
        why = done.error_message or done.error_code or "see the build log"
        raise BuildFailed(f"The Vercel build failed: {why}")

    async def _files(self, job: BuildJob) -> list[DeploymentFile]:
        """The version's files: the site as it is (no build), else the whole source."""
        archive = await job.archive()
        exclude = job.template.publish.exclude if job.template.build is None else ()
        return await anyio.to_thread.run_sync(
            lambda: [
                DeploymentFile.of(path, data)
                for path, data in read_site(archive, root=".", exclude=exclude)
            ]
        )

    async def _sync_env(self, vercel: VercelClient, project_id: str, job: BuildJob) -> None:
        public = 0
        for key, value in sorted(job.env.items()):
            browser = key.startswith(PUBLIC_PREFIXES)
            public += browser
            kind: EnvType = "plain" if browser else "encrypted"
            await vercel.upsert_env(project_id, key, value, ENV_TARGETS, type=kind)
        if job.env:
            job.log.write(
                f"{len(job.env)} environment variables set on the Vercel project "
                f"({public} visible to the browser, the others encrypted)."
            )

    async def _copy_events(self, vercel: VercelClient, deployment_id: str, log: BuildLog) -> None:
        """Vercel's build log into ``log`` until the build ends (a broken stream is noted;
        the deployment is still waited for)."""
        try:
            async for event in vercel.events(deployment_id):
                if event.text:
                    log.write(event.text)
        except VercelAuthError:
            raise
        except VercelError:
            log.write("The rest of the build log could not be read from Vercel.")
