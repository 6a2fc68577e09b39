"""The local target: artefacts in the data directory, served by the platform's gateway.

A template whose site is its files as they are (``publish.site == "."``, no build) is
unpacked from the version's tree. One with a build (Vite) is built in a sandbox of its
own from a clean copy of the version (``runtime/builds.py``) and its output folder is
copied out. A server app (Next.js) is built the same way, keeps its built workspace and
runs its ``start`` command in a sandbox of its own (``app-{deployment}``), which
hibernates when idle and wakes on the next request.

A build sees only the variables meant for the browser (``PUBLIC_PREFIXES``): what a
build prints into its output is public. A server app gets all of the project's
variables when it runs, as its server's environment.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from pathlib import Path

import anyio

from appwright.core.errors import BadRequest
from appwright.deploy.artefacts import copy_site, site_dir, unpack_site
from appwright.deploy.target import BuildFailed, BuildJob, BuildOutcome
from appwright.preview.sites import AppServer, Site
from appwright.runtime.builds import app_started, discard_build, run_build, serve_app
from appwright.runtime.service import ProjectRuntime
from appwright.templates.catalogue import Template

PUBLIC_PREFIXES = ("VITE_", "NEXT_PUBLIC_", "PUBLIC_")
"""The variables a static site's build may see: the ones meant for the browser. A site
has no server, so any other value given to its build could only end up in its files."""


class CannotPublish(BadRequest):
    """Apps of this kind cannot be published here yet (the message says which work)."""


class LocalTarget:
    name = "local"

    def __init__(self, runtime: ProjectRuntime) -> None:
        self.runtime = runtime

    def check(self, template: Template) -> None:
        if template.publish.site is not None or (template.build and template.start):
            return
        raise CannotPublish(f"{template.name} apps have no way to be published here.")

    def served(self, deployment_id: str, template: Template, artefact: Path) -> Site | AppServer:
        """What the gateway answers with for a ready deployment."""
        if template.publish.site is None:
            return AppServer(app_id(deployment_id), deployment_id)
        return Site(site_dir(artefact), deployment_id, spa=template.publish.spa)

    async def wake(self, runtime_id: str, template: Template, env: Mapping[str, str]) -> None:
        await serve_app(self.runtime, runtime_id, template, env)

    async def retire(self, runtime_id: str) -> None:
        """A server app no longer live sleeps (its built workspace stays for a rollback)."""
        if self.runtime.supervisor.state(runtime_id) is not None:
            await self.runtime.supervisor.hibernate(runtime_id)

    async def discard(self, runtime_id: str) -> None:
        """A server app's sandbox and built workspace are removed (its project was deleted)."""
        await discard_build(self.runtime, runtime_id)

    async def build(self, job: BuildJob) -> BuildOutcome:
        spec = job.template.publish
        if spec.site is None:
            return await self._build_server(job)
        dest = site_dir(job.artefact)
        archive = await job.archive()
        if job.template.build is None:
            job.log.write(f"Publishing version {job.commit_sha[:12]} as it is (no build).")
            count = await anyio.to_thread.run_sync(
                lambda: unpack_site(archive, dest, root=spec.site or ".", exclude=spec.exclude)
            )
        else:
            count = await self._build(job, archive)
        if not (dest / "index.html").is_file():
            raise BuildFailed("The site has no index.html at its top: add one and publish again.")
        job.log.write(f"{count} files ready.")
        return BuildOutcome(served=self.served(job.deployment_id, job.template, job.artefact))

    async def _build_in(self, job: BuildJob, build_id: str, archive: bytes) -> None:
        workspace = self.runtime.workspace_dir(build_id)
        env = {k: v for k, v in job.env.items() if k.startswith(PUBLIC_PREFIXES)}
        env["NODE_ENV"] = "production"
        await anyio.to_thread.run_sync(
            lambda: unpack_site(archive, workspace, root=".", exclude=())
        )
        job.log.write(f"Building version {job.commit_sha[:12]} in a fresh sandbox.")
        run = await run_build(self.runtime, build_id, job.template, env, job.log.write_chunk)
        if not run.ok:
            why = "ran too long" if run.timed_out else f"exited with code {run.exit_code}"
            raise BuildFailed(f"The build failed: `{run.step}` {why}. See the build log.")

    async def _build(self, job: BuildJob, archive: bytes) -> int:
        build_id = f"build-{uuid.UUID(job.deployment_id).hex}"
        workspace = self.runtime.workspace_dir(build_id)
        try:
            await self._build_in(job, build_id, archive)
            output = workspace / (job.template.publish.site or ".")
            return await anyio.to_thread.run_sync(lambda: copy_site(output, site_dir(job.artefact)))
        finally:
            with anyio.CancelScope(shield=True):
                await discard_build(self.runtime, build_id)

    async def _build_server(self, job: BuildJob) -> BuildOutcome:
        runtime_id = app_id(job.deployment_id)
        archive = await job.archive()
        try:
            await self._build_in(job, runtime_id, archive)
            job.log.write("Starting the app's server.")
            await serve_app(self.runtime, runtime_id, job.template, job.env)
            state = await app_started(self.runtime, runtime_id)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await discard_build(self.runtime, runtime_id)
            raise
        if state.status != "running":
            for line in self.runtime.logs(runtime_id, 40):
                job.log.write(line.text)
            with anyio.CancelScope(shield=True):
                await discard_build(self.runtime, runtime_id)
            raise BuildFailed("The app was built but its server did not start. See the log.")
        job.log.write("The app's server is up.")
        return BuildOutcome(served=self.served(job.deployment_id, job.template, job.artefact))


APP_PREFIX = "app-"


def app_id(deployment_id: str) -> str:
    """The supervised sandbox a server deployment runs in."""
    return f"{APP_PREFIX}{uuid.UUID(deployment_id).hex}"


def deployment_of_app(sandbox_id: str) -> uuid.UUID | None:
    """The deployment whose server runs in ``sandbox_id``, or None for another sandbox."""
    if not sandbox_id.startswith(APP_PREFIX):
        return None
    try:
        return uuid.UUID(sandbox_id.removeprefix(APP_PREFIX))
    except ValueError:
        return None
