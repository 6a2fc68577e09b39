"""The local target: artefacts in the data directory, served by the platform's gateway."""

from __future__ import annotations

import anyio

from appwright.core.errors import BadRequest
from appwright.deploy.artefacts import site_dir, unpack_site
from appwright.deploy.target import BuildFailed, BuildJob, BuildOutcome
from appwright.preview.sites import Site
from appwright.templates.catalogue import Template


class CannotPublish(BadRequest):
    """Apps of this kind cannot be published here yet (the message says which work)."""


class LocalTarget:
    name = "local"

    def check(self, template: Template) -> None:
        spec = template.publish
        if spec.site == "." and template.build is None:
            return
        raise CannotPublish(
            f"Publishing {template.name} apps is not available yet: this server publishes "
            "static sites (the Static site template) so far."
        )

    async def build(self, job: BuildJob) -> BuildOutcome:
        spec = job.template.publish
        assert spec.site is not None
        job.log.write(f"Publishing version {job.commit_sha[:12]} as a static site.")
        archive = await job.archive()
        dest = site_dir(job.artefact)
        count = await anyio.to_thread.run_sync(
            lambda: unpack_site(archive, dest, root=spec.site or ".", exclude=spec.exclude)
        )
        if not (dest / "index.html").is_file():
            raise BuildFailed("The site has no index.html at its top: add one and publish again.")
        job.log.write(f"{count} files ready.")
        return BuildOutcome(site=Site(dest, job.deployment_id, spa=spec.spa))
