"""Published apps' sandboxes, beside the project's own: one-shot builds, and servers.

A build gets a fresh workspace (``workspaces/{build_id}``, filled by the caller from a
version's tree, never from the live workspace) and a fresh sandbox with its own uid,
network and egress proxy; the template's dependencies are linked from the cache as for
a dev server (installed in the sandbox when the version's lock file differs). After the
build the sandbox is destroyed — its processes killed — before anyone reads the output,
so nothing of the build changes files while the platform copies them.

A server app (``next start``) keeps its built workspace and runs under the supervisor
as ``app-{deployment}``: a sandbox of its own that hibernates when idle like a dev
server does, and wakes on the next request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from appwright.runtime.service import ProjectRuntime
from appwright.sandbox.base import ProcessSpec, ProjectState, RestartPolicy
from appwright.templates import Template, link_dependencies

BUILD_TIMEOUT_S = 900.0


@dataclass(frozen=True, slots=True)
class BuildRun:
    exit_code: int | None
    timed_out: bool
    step: str
    """The command that ended the run (the install, or the build)."""

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out


async def run_build(
    runtime: ProjectRuntime,
    build_id: str,
    template: Template,
    env: Mapping[str, str],
    on_output: Callable[[str], None],
    *,
    timeout: float = BUILD_TIMEOUT_S,
) -> BuildRun:
    """Run the template's build in ``workspaces/{build_id}``; the sandbox is gone after."""
    assert template.build is not None
    await runtime.start()
    workspace = runtime.workspace_dir(build_id)
    linked = await link_dependencies(template.id, workspace, runtime.settings.cache_dir)
    steps = [template.build]
    if linked.needs_install and template.install:
        steps.insert(0, template.install)
    limits = runtime.config.limits.model_copy(
        update={"memory_bytes": runtime.settings.build_memory_mb * 1024**2}
    )
    sandbox = await runtime.backend.create(build_id, template, limits=limits)
    try:
        for step in steps:
            on_output(f"$ {step}\n")
            code, timed_out = None, False
            async for event in runtime.backend.exec(sandbox, step, timeout=timeout, env=env):
                if event.kind == "exit":
                    code, timed_out = event.exit_code, event.timed_out
                else:
                    on_output(event.data)
            if code != 0 or timed_out:
                return BuildRun(code, timed_out, step)
        return BuildRun(0, False, steps[-1])
    finally:
        await runtime.backend.destroy(sandbox)


async def discard_build(runtime: ProjectRuntime, build_id: str) -> None:
    """Remove a build's workspace (and its sandbox, were it still there)."""
    await runtime.remove(build_id)


APP_PROCESS = "app"


def app_spec(template: Template) -> ProcessSpec:
    """The production server of a published app."""
    assert template.start is not None
    return ProcessSpec(
        name=APP_PROCESS,
        command=template.start,
        env={**template.env, "NODE_ENV": "production"},
        port_env=template.port_env,
        readiness_path=template.readiness_path,
        readiness_timeout_s=template.readiness.timeout_s,
        restart=RestartPolicy(mode="always", max_restarts=5),
    )


async def serve_app(
    runtime: ProjectRuntime, app_id: str, template: Template, env: Mapping[str, str]
) -> ProjectState:
    """Start the app's server if this process never did (a first start, or after a
    platform restart), else wake it; answers at once."""
    await runtime.start()
    if runtime.supervisor.state(app_id) is None:
        return await runtime.supervisor.start(
            app_id, app_spec(template), template=template, env=env
        )
    return await runtime.supervisor.ensure_running(app_id, wait=False)


async def app_started(runtime: ProjectRuntime, app_id: str) -> ProjectState:
    """Wait until the app's server serves (``running``) or gave up (``crashed``)."""
    return await runtime.supervisor.ensure_running(app_id, wait=True)
