"""The local target: artefacts in the data directory, served by the platform's gateway.

A template whose site is its files as they are (``publish.site == "."``, no build) is
unpacked from the version's tree. One with a build (Vite) is built in a sandbox of its
own from a clean copy of the version (``runtime/builds.py``) and its output folder is
copied out. Server apps (Next.js ``next start``) are not published here yet.
"""

from __future__ import annotations

import uuid

import anyio

from appwright.core.errors import BadRequest
from appwright.deploy.artefacts import copy_site, site_dir, unpack_site
from appwright.deploy.target import BuildFailed, BuildJob, BuildOutcome
from appwright.preview.sites import Site
from appwright.runtime.builds import discard_build, run_build
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
        if template.publish.site is not None:
            return
        raise CannotPublish(
            f"Publishing {template.name} apps is not available yet: this server publishes "
            "static sites and single-page apps (Static site, React + Vite, Vue + Vite) so far."
        )

    async def build(self, job: BuildJob) -> BuildOutcome:
        spec = job.template.publish
        assert spec.site is not None
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
        return BuildOutcome(site=Site(dest, job.deployment_id, spa=spec.spa))

    async def _build(self, job: BuildJob, archive: bytes) -> int:
        build_id = f"build-{uuid.UUID(job.deployment_id).hex}"
        workspace = self.runtime.workspace_dir(build_id)
        env = {k: v for k, v in job.env.items() if k.startswith(PUBLIC_PREFIXES)}
        env["NODE_ENV"] = "production"
        try:
            await anyio.to_thread.run_sync(
                lambda: unpack_site(archive, workspace, root=".", exclude=())
            )
            job.log.write(f"Building version {job.commit_sha[:12]} in a fresh sandbox.")
            run = await run_build(self.runtime, build_id, job.template, env, job.log.write_chunk)
            if not run.ok:
                why = "ran too long" if run.timed_out else f"exited with code {run.exit_code}"
                raise BuildFailed(f"The build failed: `{run.step}` {why}. See the build log.")
            output = workspace / (job.template.publish.site or ".")
            return await anyio.to_thread.run_sync(lambda: copy_site(output, site_dir(job.artefact)))
        finally:
            with anyio.CancelScope(shield=True):
                await discard_build(self.runtime, build_id)
