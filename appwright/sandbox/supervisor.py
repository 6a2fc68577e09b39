"""Process supervisor for dev servers, with PM2 semantics.

One supervised process per project (its dev server): started in the project's sandbox
on a free port, reported ``running`` only once its readiness probe answers, restarted on
crash with exponential backoff up to a cap (then ``crashed``), hibernated after
``idle_timeout_s`` without preview traffic (``touch``) and woken by ``ensure_running``.
Output goes to a bounded ring buffer + ``logs/{project}.log`` and to live subscribers.
Which projects were running is kept in ``supervisor.json`` in the data dir so that
``restore()`` brings them back after a platform restart (env vars are never persisted:
``env_resolver`` supplies them again).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from pathlib import Path

from appwright.sandbox.base import (
    LogLine,
    ProcessSpec,
    ProcessStatus,
    ProjectState,
    SandboxBackend,
    SandboxError,
    SandboxNotFound,
    SandboxStats,
    TemplateSpec,
)
from appwright.sandbox.logbuffer import LogBuffer
from appwright.sandbox.probe import wait_ready
from appwright.sandbox.supervisor_state import StateFile, SupervisedProject

log = logging.getLogger("appwright.sandbox")

StatusCallback = Callable[[ProjectState], Awaitable[None] | None]
EnvResolver = Callable[[str], Awaitable[Mapping[str, str]]]


class Supervisor:
    """Keeps each project's dev server in the state the platform asked for."""

    def __init__(
        self,
        backend: SandboxBackend,
        *,
        data_dir: Path,
        idle_timeout_s: float = 900.0,
        on_status: StatusCallback | None = None,
        env_resolver: EnvResolver | None = None,
        log_lines: int = 2000,
    ) -> None:
        self.backend = backend
        self.idle_timeout_s = idle_timeout_s
        self._on_status = on_status
        self._env_resolver = env_resolver
        self._logs_dir = data_dir / "logs"
        self._log_lines = log_lines
        self._state_file = StateFile(data_dir / "supervisor.json")
        self._projects: dict[str, SupervisedProject] = {}
        self._reaper: asyncio.Task[None] | None = None

    # ----------------------------------------------------------------- public API

    async def start(
        self,
        project_id: str,
        spec: ProcessSpec,
        *,
        template: TemplateSpec | None = None,
        env: Mapping[str, str] | None = None,
    ) -> ProjectState:
        """Register ``spec`` as the project's dev server and start it (waits for nothing)."""
        proj = self._project(project_id, create=True)
        async with proj.lock:
            await self._halt(proj)
            proj.spec, proj.template, proj.env = spec, template, dict(env or {})
            proj.restarts = proj.consecutive = 0
            self._launch(proj)
        await self._persist()
        return proj.state()

    async def ensure_running(self, project_id: str, *, wait: bool = True) -> ProjectState:
        """Wake a hibernated/crashed/stopped project; with ``wait``, return once it is
        ``running`` or has given up (``crashed``). Counts as traffic (see ``touch``)."""
        proj = self._project(project_id)
        proj.last_touch = time.monotonic()
        if proj.status not in ("running", "starting"):
            async with proj.lock:
                if proj.status not in ("running", "starting"):
                    if proj.status == "hibernated":
                        proj.logs.add("system", "waking up")
                    proj.restarts = proj.consecutive = 0
                    self._launch(proj)
            await self._persist()
        if wait:
            timeout = proj.spec.readiness_timeout_s + 10 if proj.spec else 60.0
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(proj.settled(), timeout)
        return proj.state()

    def touch(self, project_id: str) -> None:
        """Record preview traffic: postpones idle hibernation. Cheap, call per request."""
        proj = self._projects.get(project_id)
        if proj is not None:
            proj.last_touch = time.monotonic()

    async def stop(self, project_id: str) -> ProjectState:
        """Stop the dev server on purpose (status ``stopped``; not restored after restart)."""
        proj = self._project(project_id)
        async with proj.lock:
            await self._halt(proj)
            self._set(proj, "stopped", "stopped by the user")
        await self._persist()
        return proj.state()

    async def restart(self, project_id: str) -> ProjectState:
        """Stop and start again, resetting the restart counter."""
        proj = self._project(project_id)
        async with proj.lock:
            await self._halt(proj)
            proj.restarts = proj.consecutive = 0
            self._launch(proj)
        await self._persist()
        return proj.state()

    async def hibernate(self, project_id: str) -> ProjectState:
        """Stop every process of the project's sandbox (0 processes) until the next wake."""
        proj = self._project(project_id)
        async with proj.lock:
            await self._halt(proj)
            if proj.sandbox is not None:
                await self.backend.hibernate(proj.sandbox)
            self._set(proj, "hibernated", None)
            proj.logs.add("system", "hibernated: no preview traffic; the next visit wakes it")
        await self._persist()
        log.info("sandbox.supervisor.hibernated project=%s", project_id)
        return proj.state()

    async def forget(self, project_id: str) -> None:
        """Stop and drop the project (project deleted); its sandbox is destroyed."""
        proj = self._projects.get(project_id)
        if proj is None:
            return
        async with proj.lock:
            await self._halt(proj)
            if proj.sandbox is not None:
                await self.backend.destroy(proj.sandbox)
            self._projects.pop(project_id, None)
        await self._persist()

    def state(self, project_id: str) -> ProjectState | None:
        """Current state, or ``None`` for a project the supervisor does not know."""
        proj = self._projects.get(project_id)
        return proj.state() if proj else None

    def upstream(self, project_id: str) -> str | None:
        """URL of the running dev server (for the preview gateway), else ``None``."""
        proj = self._projects.get(project_id)
        return proj.upstream if proj and proj.status == "running" else None

    def logs(self, project_id: str, limit: int | None = None) -> list[LogLine]:
        """The last lines of the project's dev-server log."""
        return self._project(project_id).logs.tail(limit)

    def follow_logs(self, project_id: str, backlog: int = 200) -> AsyncIterator[LogLine]:
        """Recent lines then every new one, for streaming to the UI."""
        return self._project(project_id).logs.follow(backlog)

    async def stats(self, project_id: str) -> SandboxStats | None:
        """Memory/CPU figures of the project's sandbox, if it has one."""
        proj = self._projects.get(project_id)
        if proj is None or proj.sandbox is None:
            return None
        return await self.backend.stats(proj.sandbox)

    async def restore(self) -> list[str]:
        """After a platform restart: start the projects that were running, register the
        hibernated ones (so they wake on demand). Returns the ids started."""
        started = []
        for project_id, (spec, status) in (await self._state_file.load()).items():
            proj = self._project(project_id, create=True)
            proj.spec = spec
            if status == "running":
                if self._env_resolver is not None:
                    proj.env = dict(await self._env_resolver(project_id))
                self._launch(proj)
                started.append(project_id)
            else:
                self._set(proj, "hibernated", None)
        self._start_reaper()
        log.info("sandbox.supervisor.restored started=%d", len(started))
        return started

    async def close(self) -> None:
        """Platform shutdown: stop processes, keep the persisted wishes for ``restore``."""
        if self._reaper is not None:
            self._reaper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reaper
        for proj in list(self._projects.values()):
            async with proj.lock:
                await self._halt(proj)
            await proj.logs.flush()

    # ----------------------------------------------------------------- internals

    def _project(self, project_id: str, *, create: bool = False) -> SupervisedProject:
        proj = self._projects.get(project_id)
        if proj is None:
            if not create:
                raise SandboxNotFound(f"project {project_id} has no dev server")
            logs = LogBuffer(self._logs_dir / f"{project_id}.log", self._log_lines)
            proj = self._projects[project_id] = SupervisedProject(project_id, logs)
        return proj

    def _launch(self, proj: SupervisedProject) -> None:
        if proj.spec is None:
            raise SandboxError(f"project {proj.project_id} has no dev server to start")
        proj.last_touch = time.monotonic()
        self._set(proj, "starting", None)
        proj.task = asyncio.create_task(self._run(proj))
        self._start_reaper()

    async def _halt(self, proj: SupervisedProject) -> None:
        task, proj.task = proj.task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if proj.sandbox is not None and proj.spec is not None:
            with contextlib.suppress(SandboxNotFound):
                await self.backend.stop_process(proj.sandbox, proj.spec.name)
        proj.upstream = proj.port = None

    def _set(self, proj: SupervisedProject, status: ProcessStatus, detail: str | None) -> None:
        if proj.status == status and proj.detail == detail:
            return
        proj.status, proj.detail = status, detail
        proj.changed()
        state = proj.state()
        log.info("sandbox.supervisor.status project=%s status=%s", proj.project_id, status)
        if self._on_status is not None:
            try:
                result = self._on_status(state)
                if inspect.isawaitable(result):
                    asyncio.ensure_future(result)  # noqa: RUF006 — fire and forget by design
            except Exception:
                log.exception("sandbox.supervisor.callback_error project=%s", proj.project_id)

    async def _refresh_env(self, proj: SupervisedProject) -> None:
        """Every (re)start reads the project's variables anew: a changed variable reaches
        the next start, a restart after a crash and a wake from hibernation alike."""
        if self._env_resolver is None:
            return
        try:
            proj.env = dict(await self._env_resolver(proj.project_id))
        except Exception:
            log.exception("sandbox.supervisor.env_unavailable project=%s", proj.project_id)

    async def _run(self, proj: SupervisedProject) -> None:
        """The life of a dev server: start, probe, watch, restart with backoff."""
        assert proj.spec is not None
        spec = proj.spec
        while True:
            started = time.monotonic()
            await self._refresh_env(proj)
            try:
                code = await self._run_once(proj, spec)
            except (SandboxError, OSError) as exc:
                # Could not even start (bad cwd, sandbox setup failed): retrying won't help.
                proj.logs.add("system", f"could not start: {exc}")
                self._set(proj, "crashed", f"could not start: {exc}")
                return
            ran = time.monotonic() - started
            proj.last_exit_code = code
            if ran >= spec.restart.stable_after_s:
                proj.consecutive = 0
            policy = spec.restart
            if policy.mode == "never" or (policy.mode == "on-failure" and code == 0):
                self._set(proj, "stopped", f"exited with code {code}")
                return
            if proj.consecutive >= policy.max_restarts:
                proj.logs.add("system", f"crashed {proj.consecutive + 1} times in a row; giving up")
                self._set(proj, "crashed", f"exited with code {code}; restart limit reached")
                return
            delay = min(policy.backoff_initial_s * 2**proj.consecutive, policy.backoff_max_s)
            proj.consecutive += 1
            proj.restarts += 1
            proj.logs.add("system", f"exited with code {code}; restarting in {delay:.1f}s")
            self._set(proj, "starting", f"restarting after exit code {code}")
            await asyncio.sleep(delay)

    async def _run_once(self, proj: SupervisedProject, spec: ProcessSpec) -> int | None:
        if proj.sandbox is None:
            proj.sandbox = await self.backend.create(proj.project_id, proj.template)
            proj.isolation = proj.sandbox.isolation
        spec = spec.model_copy(update={"env": {**proj.env, **spec.env}})
        info = await self.backend.start_process(proj.sandbox, spec)
        proj.port, proj.upstream = info.port, info.upstream
        proj.logs.add("system", f"started `{spec.command}` on port {info.port}")
        pump = asyncio.create_task(self._pump(proj, spec.name))
        try:
            if info.upstream and spec.readiness_path is not None:
                ok = await wait_ready(
                    info.upstream + spec.readiness_path, pump, spec.readiness_timeout_s
                )
                if not ok and not pump.done():
                    proj.logs.add("system", "readiness probe timed out; stopping")
                    await self.backend.stop_process(proj.sandbox, spec.name)
            if not pump.done():
                self._set(proj, "running", None)
            return await pump
        finally:
            if not pump.done():
                pump.cancel()
            proj.upstream = None

    async def _pump(self, proj: SupervisedProject, name: str) -> int | None:
        assert proj.sandbox is not None
        code: int | None = None
        async for event in self.backend.process_events(proj.sandbox, name):
            if event.kind == "exit":
                code = event.exit_code
            else:
                proj.logs.feed(event.kind, event.data)
            await proj.logs.flush()
        proj.logs.end()
        await proj.logs.flush()
        return code

    def _start_reaper(self) -> None:
        if self._reaper is None or self._reaper.done():
            self._reaper = asyncio.create_task(self._reap_idle())

    async def _reap_idle(self) -> None:
        while True:
            await asyncio.sleep(max(0.05, min(self.idle_timeout_s / 4, 5.0)))
            now = time.monotonic()
            for proj in list(self._projects.values()):
                idle = now - proj.last_touch
                if proj.status == "running" and idle > self.idle_timeout_s:
                    try:
                        await self.hibernate(proj.project_id)
                    except Exception:
                        log.exception(
                            "sandbox.supervisor.hibernate_error project=%s", proj.project_id
                        )

    async def _persist(self) -> None:
        await self._state_file.save(self._projects.values())
