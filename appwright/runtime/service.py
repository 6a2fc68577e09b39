"""The projects' runtime: workspaces from templates, their sandboxes and dev servers.

It ties a project to its workspace (``data/workspaces/{id}``), its sandbox and its
supervised dev server. Status changes are published as ``sandbox:status`` events; those
who read the dev server's output (``diagnostics``) are told when it starts and when the
project goes (:class:`DevServerListener`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Protocol

import anyio

from appwright.core.config import Settings
from appwright.core.events import Event, EventBus, project_topic
from appwright.sandbox.base import (
    ExecEvent,
    LogLine,
    ProcessSpec,
    ProjectState,
    RestartPolicy,
    SandboxLimits,
    SandboxStats,
)
from appwright.sandbox.config import LocalSandboxConfig
from appwright.sandbox.egress import DEFAULT_ALLOWED_HOSTS
from appwright.sandbox.local import LocalSandboxBackend
from appwright.sandbox.supervisor import Supervisor
from appwright.templates import Template, get_template, link_dependencies, materialise

log = logging.getLogger("appwright.sandbox")

DEV_PROCESS = "dev"
EnvLoader = Callable[[str], Awaitable[Mapping[str, str]]]


async def _cancelled(task: asyncio.Task[ProjectState]) -> None:
    """Cancel a start and wait until it has stopped (a sandbox half set up is undone)."""
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


class DevServerListener(Protocol):
    """Told when a project's dev server starts and when the project is removed."""

    def started(self, project_id: str) -> None: ...

    def removed(self, project_id: str) -> None: ...


class ProjectRuntime:
    """Workspaces, sandboxes and dev servers of every project on this platform instance."""

    def __init__(self, settings: Settings, events: EventBus, env_loader: EnvLoader) -> None:
        self.settings = settings
        self.events = events
        self._env_loader = env_loader
        data_dir = settings.data_dir.resolve()
        self.config = LocalSandboxConfig(
            data_dir=data_dir,
            subnet=settings.sandbox_subnet,
            name_prefix=settings.sandbox_name_prefix,
            uid_base=settings.sandbox_uid_base,
            proxy_port=settings.sandbox_proxy_port,
            proxy_allowed_hosts=settings.sandbox_egress_hosts or DEFAULT_ALLOWED_HOSTS,
            proxy_max_connection_bytes=settings.sandbox_egress_max_connection_mb * 1024**2,
            proxy_max_sandbox_bytes_per_hour=settings.sandbox_egress_max_sandbox_mb_per_hour
            * 1024**2,
            isolation=settings.sandbox_isolation,
            limits=SandboxLimits(memory_bytes=settings.sandbox_memory_mb * 1024**2),
        )
        self.backend = LocalSandboxBackend(self.config)
        self.supervisor = Supervisor(
            self.backend,
            data_dir=data_dir,
            idle_timeout_s=settings.preview_idle_seconds,
            on_status=self._publish_status,
            env_resolver=env_loader,
        )
        self._started = False
        self._starts: dict[str, asyncio.Task[ProjectState]] = {}
        self._listeners: list[DevServerListener] = []

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Choose the isolation level and bring back the projects that were running."""
        if self._started:
            return
        await self.backend.start()
        self._started = True
        restored = await self.supervisor.restore()
        if restored:
            log.info("sandbox.restored projects=%d", len(restored))

    async def close(self) -> None:
        for task in list(self._starts.values()):
            await _cancelled(task)
        if self._started:
            await self.supervisor.close()
        # Also when only the backend was started (a sandbox made before the runtime
        # started): its listeners and networks must not outlive this runtime.
        await self.backend.close()
        self._started = False

    @property
    def isolation(self) -> str:
        return self.backend.isolation

    @property
    def unavailable_reason(self) -> str | None:
        """Why no project code can run here (isolation ``none``), else None."""
        return self.backend.unavailable_reason

    # ------------------------------------------------------------------ files

    def workspace_dir(self, project_id: str) -> Path:
        return self.config.workspaces / project_id

    async def materialise(self, project_id: str, template_id: str) -> None:
        """Create the project's workspace from its template (its first version is made
        by ``versions.history``)."""
        await materialise(get_template(template_id).id, self.workspace_dir(project_id))

    def add_listener(self, listener: DevServerListener) -> None:
        self._listeners.append(listener)

    async def remove(self, project_id: str) -> None:
        """Stop everything of a deleted project and remove its workspace."""
        start = self._starts.pop(project_id, None)
        if start is not None:
            # A start still linking must not launch a deleted project, nor finish setting
            # its sandbox up after the sandbox is destroyed below.
            await _cancelled(start)
        for listener in self._listeners:
            listener.removed(project_id)
        await self.supervisor.forget(project_id)
        sandbox = await self.backend.get(project_id)
        if sandbox is not None:
            await self.backend.destroy(sandbox)
        path = self.workspace_dir(project_id)
        await anyio.to_thread.run_sync(partial(shutil.rmtree, path, ignore_errors=True))

    # ------------------------------------------------------------------ dev server

    def dev_spec(self, template: Template) -> ProcessSpec:
        return ProcessSpec(
            name=DEV_PROCESS,
            command=template.dev,
            env=dict(template.env),
            port_env=template.port_env,
            readiness_path=template.readiness_path,
            readiness_timeout_s=template.readiness.timeout_s,
            restart=RestartPolicy(mode="always", max_restarts=5),
        )

    async def start_dev_server(self, project_id: str, template_id: str) -> ProjectState:
        """Link the cached dependencies and (re)start the project's dev server.

        Concurrent calls for one project share a single start: project creation starts
        it in the background while the preview link and the gateway's wake ask for it
        too. Separate starts used to race — the second saw a half-linked
        ``node_modules`` as "present", launched the dev server early (exit 127, restarts
        with backoff) and the first then restarted it again.
        """
        # Shielded: a caller that goes away (client disconnect) must not cancel the start
        # the others wait for.
        return await asyncio.shield(self._start_task(project_id, template_id))

    def _start_task(self, project_id: str, template_id: str) -> asyncio.Task[ProjectState]:
        """The project's start in flight, or a new one."""
        task = self._starts.get(project_id)
        if task is None:
            task = asyncio.create_task(self._start_dev_server(project_id, template_id))
            self._starts[project_id] = task
            task.add_done_callback(partial(self._start_done, project_id))
        return task

    def _start_done(self, project_id: str, task: asyncio.Task[ProjectState]) -> None:
        if self._starts.get(project_id) is task:
            del self._starts[project_id]
        if not task.cancelled() and task.exception() is not None:
            log.error("sandbox.start_failed project=%s", project_id, exc_info=task.exception())

    async def _start_dev_server(self, project_id: str, template_id: str) -> ProjectState:
        await self.start()
        template = get_template(template_id)
        await link_dependencies(
            template.id, self.workspace_dir(project_id), self.settings.cache_dir
        )
        env = await self._env_loader(project_id)
        state = await self.supervisor.start(
            project_id, self.dev_spec(template), template=template, env=env
        )
        for listener in self._listeners:
            listener.started(project_id)
        return state

    def start_in_background(self, project_id: str, template_id: str) -> None:
        """Start the dev server without making the caller wait (project creation)."""
        self._start_task(project_id, template_id)  # failures: see _start_done

    def state(self, project_id: str) -> ProjectState | None:
        state = self.supervisor.state(project_id)
        if state is None and project_id in self._starts:
            # Still linking (or installing) the dependencies: the supervisor comes next.
            return ProjectState(project_id=project_id, status="starting")
        return state

    async def ensure_running(
        self, project_id: str, template_id: str, *, wait: bool
    ) -> ProjectState:
        """Wake a hibernated dev server, or start one that was never started here.

        Without ``wait`` it never waits for a first start (linking or, cold, installing
        the dependencies takes seconds to minutes): the preview link and the gateway's
        "starting…" page answer at once while the start goes on.
        """
        if self.supervisor.state(project_id) is None:
            if not wait:
                self._start_task(project_id, template_id)  # failures: see _start_done
                return self.state(project_id) or ProjectState(
                    project_id=project_id, status="starting"
                )
            await self.start_dev_server(project_id, template_id)
        return await self.supervisor.ensure_running(project_id, wait=wait)

    async def restart(self, project_id: str, template_id: str) -> ProjectState:
        if self.supervisor.state(project_id) is None:
            return await self.start_dev_server(project_id, template_id)
        return await self.supervisor.restart(project_id)

    async def env_changed(self, project_id: str) -> None:
        """A project variable changed: a dev server that is up restarts with it now (a
        hibernated or stopped one reads it at its next start)."""
        state = self.supervisor.state(project_id)
        if state is not None and state.status in ("running", "starting"):
            log.info("sandbox.env_changed project=%s restarting=true", project_id)
            await self.supervisor.restart(project_id)

    async def stop(self, project_id: str) -> ProjectState | None:
        if self.supervisor.state(project_id) is None:
            return None
        return await self.supervisor.stop(project_id)

    def logs(self, project_id: str, limit: int | None = None) -> list[LogLine]:
        if self.supervisor.state(project_id) is None:
            return []
        return self.supervisor.logs(project_id, limit)

    async def stats(self, project_id: str) -> SandboxStats | None:
        if self.supervisor.state(project_id) is None:
            return None
        return await self.supervisor.stats(project_id)

    async def execute(
        self, project_id: str, template_id: str, command: str, *, timeout: float, cwd: str = "."
    ) -> AsyncIterator[ExecEvent]:
        """Run a one-shot command in the project's sandbox, streaming its output."""
        await self.start()
        template = get_template(template_id)
        sandbox = await self.backend.create(project_id, template)
        env = await self._env_loader(project_id)
        async for event in self.backend.exec(sandbox, command, timeout=timeout, cwd=cwd, env=env):
            yield event

    async def _publish_status(self, state: ProjectState) -> None:
        topic = project_topic(state.project_id)
        await self.events.publish(topic, Event("sandbox:status", state.model_dump(mode="json")))
        if state.status == "running":
            # A (re)started dev server: open previews reload instead of showing a dead page.
            await self.events.publish(topic, Event("preview:refresh", {"reason": "dev-server"}))
