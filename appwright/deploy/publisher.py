"""The publisher: runs deployments in the background and keeps what each address serves.

One publisher per platform process. A publish request makes a ``queued`` deployment row
(``service.py``) and hands its id here; the build runs as a task, moving the row to
``building`` and then ``ready`` (the project's live pointer moves to it) or ``error``
(the live pointer stays where it was, so the earlier deployment keeps serving). The
map from slug to what is live (a static site, or a server app's sandbox) is kept in
memory for the gateway, loaded at start and changed on each publish and rollback.

A server app that stops being live is hibernated (a rollback to it wakes it on its next
request). When a project is deleted (``removed``, as the runtime tells its listeners)
its address stops answering and its artefacts and app sandboxes are removed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from appwright.core.config import Settings
from appwright.core.events import Event, EventBus, project_topic
from appwright.deploy import repository
from appwright.deploy.artefacts import artefact_dir, log_path
from appwright.deploy.build_errors import parse_build_errors
from appwright.deploy.domain_routes import DomainRoutes
from appwright.deploy.local import LocalTarget, app_id
from appwright.deploy.target import BuildFailed, BuildJob, BuildLog, DeployTarget, HostedTarget
from appwright.models import Deployment
from appwright.preview.sites import AppServer, Site
from appwright.templates.catalogue import get_template

log = logging.getLogger(__name__)

Archive = Callable[[str, str], Awaitable[bytes]]
"""(project id, commit) → that version's files as a tar archive."""
ProjectEnv = Callable[[str], Awaitable[Mapping[str, str]]]
Served = Site | AppServer


def _now() -> datetime:
    return datetime.now(UTC)


class Publisher:
    def __init__(
        self,
        settings: Settings,
        sessions: async_sessionmaker[AsyncSession],
        events: EventBus,
        archive: Archive,
        env: ProjectEnv,
        local: LocalTarget,
        hosted: Mapping[str, HostedTarget] | None = None,
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.events = events
        self.archive = archive
        self.env = env
        self.local = local
        self.hosted: dict[str, HostedTarget] = dict(hosted or {})
        self.targets: dict[str, DeployTarget] = {"local": local, **self.hosted}
        self._sites: dict[str, Served] = {}
        self._slugs: dict[uuid.UUID, str] = {}
        self._apps: dict[str, tuple[str, str]] = {}
        """A live server app's sandbox id → (project id, template id), for ``wake_app``."""
        self._chores: set[asyncio.Task[None]] = set()
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._loaded = False
        self.domains = DomainRoutes(self.live)
        """Verified custom domains → their project (``domains.site``: the gateway's)."""

    # The gateway's lookup: in memory, no I/O.
    def site(self, slug: str) -> Served | None:
        return self._sites.get(slug)

    def live(self, project_id: uuid.UUID) -> Served | None:
        """What the project's address serves now, if anything."""
        slug = self._slugs.get(project_id)
        return self._sites.get(slug) if slug is not None else None

    async def wake_app(self, runtime_id: str) -> None:
        """The gateway found a live server app not serving: start or wake it."""
        found = self._apps.get(runtime_id)
        if found is not None:
            project_id, template = found
            await self.local.wake(runtime_id, get_template(template), await self.env(project_id))

    def target(self, name: str) -> DeployTarget:
        return self.targets[name]

    def artefact(self, project_id: uuid.UUID, deployment_id: uuid.UUID) -> Path:
        return artefact_dir(self.settings.deployments_dir, str(project_id), str(deployment_id))

    def url(self, slug: str) -> str:
        """``http://{slug}.{apps_domain}[:port]/``, matching the platform's scheme and port."""
        return self.settings.published_url(slug)

    async def load(self) -> None:
        """Serve what was live before a restart; end deployments a restart interrupted."""
        if self._loaded:
            return
        self._loaded = True
        async with self.sessions() as session:
            for slug, template, dep in await repository.live_sites(session):
                self.set_live(slug, dep, template)
            self.domains.replace(await repository.verified_domains(session))
            for dep in await repository.unfinished(session):
                dep.status, dep.finished_at = "error", _now()
                dep.error_summary = "The platform restarted during this build: publish again."
            await session.commit()

    def set_live(self, slug: str, dep: Deployment, template: str) -> None:
        """Serve ``dep`` at ``slug``; the project's earlier address, if other, serves nothing."""
        self._unpublish(dep.project_id)
        self._slugs[dep.project_id] = slug
        served = self.local.served(
            str(dep.id), get_template(template), self.artefact(dep.project_id, dep.id)
        )
        self._sites[slug] = served
        if isinstance(served, AppServer):
            self._apps[served.runtime_id] = (str(dep.project_id), template)

    def live_elsewhere(self, project_id: uuid.UUID) -> None:
        """The project's live deployment is a hosted one: its address here serves nothing."""
        self._unpublish(project_id)

    def _unpublish(self, project_id: uuid.UUID) -> None:
        """The project's address answers nothing; its server app, if any, goes to sleep."""
        slug = self._slugs.pop(project_id, None)
        old = self._sites.pop(slug, None) if slug is not None else None
        if isinstance(old, AppServer):
            self._apps.pop(old.runtime_id, None)
            self._chore(self.local.retire(old.runtime_id))

    def _chore(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            try:
                await work
            except Exception:
                log.exception("deploy.chore_failed")

        task = asyncio.create_task(run())
        self._chores.add(task)
        task.add_done_callback(self._chores.discard)

    # The runtime's listener (``DevServerListener``): a deleted project is unpublished.
    def started(self, project_id: str) -> None:
        pass

    def removed(self, project_id: str) -> None:
        try:
            pid = uuid.UUID(project_id)
        except ValueError:
            return  # a build's or an app's own sandbox
        self._unpublish(pid)
        self.domains.forget(pid)
        self._chore(self._remove_artefacts(pid))

    async def _remove_artefacts(self, project_id: uuid.UUID) -> None:
        folder = anyio.Path(self.settings.deployments_dir / str(project_id))
        if await folder.is_dir():
            async for dep in folder.iterdir():
                with contextlib.suppress(ValueError):  # not a deployment's folder
                    await self.local.discard(app_id(dep.name))
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))

    def start(self, deployment_id: uuid.UUID) -> None:
        """Build ``deployment_id`` (a queued row) in the background."""
        task = asyncio.create_task(self._run(deployment_id), name=f"deploy-{deployment_id}")
        self._tasks[deployment_id] = task
        task.add_done_callback(lambda _: self._tasks.pop(deployment_id, None))

    async def wait(self, deployment_id: uuid.UUID) -> None:
        """Until the deployment's build task ends (tests, the benchmark)."""
        task = self._tasks.get(deployment_id)
        if task is not None:
            await asyncio.shield(task)

    async def _run(self, deployment_id: uuid.UUID) -> None:
        try:
            await self._build(deployment_id)
        except Exception:
            log.exception("deployment failed", extra={"deployment_id": str(deployment_id)})
            await self._finish(deployment_id, "error", "The build failed on the server.")

    async def _build(self, deployment_id: uuid.UUID) -> None:
        async with self.sessions() as session:
            found = await repository.with_project(session, deployment_id)
            if found is None:
                return
            dep, project = found
            dep.status, dep.started_at = "building", _now()
            await session.commit()
            project_id, template_id, sha = str(project.id), project.template, dep.commit_sha
            user_id, slug = dep.user_id, project.publish_slug
            target = self.target(dep.target)
        await self._announce(project_id, deployment_id, "building", None)
        artefact = self.artefact(uuid.UUID(project_id), deployment_id)
        await anyio.Path(artefact).mkdir(parents=True, exist_ok=True)
        job = BuildJob(
            project_id=project_id,
            deployment_id=str(deployment_id),
            template=get_template(template_id),
            commit_sha=sha,
            archive=lambda: self.archive(project_id, sha),
            env=await self.env(project_id),
            artefact=artefact,
            log=BuildLog(log_path(artefact)),
            user_id=str(user_id) if user_id else None,
            slug=slug,
        )
        try:
            outcome = await target.build(job)
        except BuildFailed as exc:
            job.log.write(f"Failed: {exc.summary}")
            text = await anyio.Path(job.log.path).read_text(encoding="utf-8", errors="replace")
            errors = [e.as_dict() for e in parse_build_errors(text)]
            await self._finish(deployment_id, "error", exc.summary, errors=errors)
            return
        await self._finish(
            deployment_id, "ready", None, hosted_url=outcome.url, external_id=outcome.external_id
        )

    async def _finish(
        self,
        deployment_id: uuid.UUID,
        status: str,
        error: str | None,
        *,
        hosted_url: str | None = None,
        errors: list[dict[str, object]] | None = None,
        external_id: str | None = None,
    ) -> None:
        async with self.sessions() as session:
            found = await repository.with_project(session, deployment_id)
            if found is None:
                return
            dep, project = found
            dep.status, dep.finished_at, dep.error_summary = status, _now(), error
            dep.build_errors = errors or None
            if status == "ready":
                slug = project.publish_slug
                dep.url = hosted_url or (self.url(slug) if slug else None)
                project.live_deployment_id = dep.id
                if slug and dep.target == "local":
                    self.set_live(slug, dep, project.template)
                if dep.target != "local":
                    dep.external_id = external_id
                    self.live_elsewhere(project.id)
            await session.commit()
            project_id, url = str(project.id), dep.url
        await self._announce(project_id, deployment_id, status, url, error=error)
        await self.events.publish(
            project_topic(project_id),
            Event(
                "build:complete",
                {
                    "deployment_id": str(deployment_id),
                    "ok": status == "ready",
                    "error": error,
                    "errors": errors or [],
                },
            ),
        )

    async def _announce(
        self,
        project_id: str,
        deployment_id: uuid.UUID,
        status: str,
        url: str | None,
        *,
        error: str | None = None,
    ) -> None:
        data = {"deployment_id": str(deployment_id), "status": status, "url": url, "error": error}
        await self.events.publish(project_topic(project_id), Event("deployment:status", data))

    async def close(self) -> None:
        tasks = [*self._tasks.values(), *self._chores]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
