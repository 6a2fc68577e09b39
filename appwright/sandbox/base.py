"""The sandbox interface (ARCHITECTURE §3): what the platform needs from a sandbox engine.

The same Protocol is implemented by the local backend (bubblewrap + network namespace,
``appwright.sandbox.local``) and, later, by remote engines (Daytona, E2B). Everything
here is engine-neutral:

* files are reached through the project's workspace (the ``workspace/`` domain); a local
  sandbox exposes its directory as ``Sandbox.workspace_path``, a remote one leaves it
  ``None`` and the workspace domain talks to the engine's file API instead;
* one-shot commands stream their output (``exec`` yields ``ExecEvent``s);
* long-running processes (dev server, start server) are started by name, their output is
  read with ``process_events`` and they are stopped by name;
* each port a process listens on is reached through ``upstream(port)`` — a URL the
  preview gateway proxies to.

Values crossing the interface are pydantic models so they serialise for the API, the
event bus and the supervisor's state file without extra schemas.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

IsolationLevel = Literal["bubblewrap", "unsafe-local", "none"]
"""How strongly a sandbox is isolated from the host.

``bubblewrap``: own mount/pid/ipc/uts/net namespaces, unprivileged uid, only the workspace
writable, egress through a proxy that refuses host and private destinations.
``unsafe-local``: plain subprocess in the workspace directory with a scrubbed environment —
only when configured explicitly (single-user development); the UI and logs say so loudly.
``none``: ``auto`` found no isolation — no project code runs, and the UI says why.
"""

ProcessStatus = Literal["starting", "running", "crashed", "hibernated", "stopped"]
"""Status of a project's supervised dev server (see ``appwright.sandbox.supervisor``)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


@runtime_checkable
class TemplateSpec(Protocol):
    """The little a sandbox needs to know about a project template.

    Concrete templates live in ``appwright/templates/`` and carry much more (name,
    description, AI rules...). ``dev_command`` may contain ``{port}``, replaced by the
    port chosen for the dev server; the port is also passed in the env var ``port_env``
    when that is set.
    """

    @property
    def id(self) -> str: ...

    @property
    def install_command(self) -> str | None: ...

    @property
    def dev_command(self) -> str: ...

    @property
    def port_env(self) -> str | None: ...

    @property
    def readiness_path(self) -> str: ...


class SandboxLimits(_Frozen):
    """Resource limits of one sandbox (local backend: rlimits + an RSS watchdog)."""

    memory_bytes: int = 2 * 1024**3
    """Resident memory of the whole sandbox; past it the biggest process tree is killed."""
    max_processes: int = 512
    """Processes + threads of the sandbox's uid (RLIMIT_NPROC)."""
    max_file_bytes: int = 1024**3
    """Largest file a sandbox process may write (RLIMIT_FSIZE)."""
    exec_cpu_seconds: int = 600
    """CPU time of a one-shot command (RLIMIT_CPU); long-running processes have none."""
    max_open_files: int = 4096


class Sandbox(_Frozen):
    """A project's sandbox. Returned by ``create``; passed back to every other call."""

    id: str
    project_id: str
    backend: str
    """Engine name: ``local``, ``daytona``, ``e2b`` ..."""
    isolation: IsolationLevel
    workspace_path: Path | None
    """Host directory of the project's files (local engines); ``None`` for remote ones."""
    sandbox_workspace: str = "/workspace"
    """Path of the workspace as commands inside the sandbox see it (their cwd root)."""
    uid: int | None = None
    """Host uid the sandbox's processes run as (local bubblewrap); files the platform
    writes into the workspace should be readable by it (mode 0644, or owned by it)."""
    limits: SandboxLimits = Field(default_factory=SandboxLimits)


class ExecEvent(_Frozen):
    """One event of a command's output stream.

    ``stdout``/``stderr``: ``data`` holds a chunk of decoded text (UTF-8, invalid bytes
    replaced; chunk boundaries are arbitrary). ``exit``: the last event; ``exit_code`` is the
    process's code (negative = killed by that signal) and ``timed_out`` tells that the
    platform killed it for running past its timeout.
    """

    kind: Literal["stdout", "stderr", "exit"]
    data: str = ""
    exit_code: int | None = None
    timed_out: bool = False
    duration_s: float | None = None


class RestartPolicy(_Frozen):
    """PM2-style restart rules applied by the supervisor."""

    mode: Literal["always", "on-failure", "never"] = "on-failure"
    max_restarts: int = 5
    """Restarts in a row (without a stable run in between) before status ``crashed``."""
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 15.0
    stable_after_s: float = 30.0
    """A run at least this long resets the restart counter and the backoff."""


class ProcessSpec(_Frozen):
    """A long-running process to start in a sandbox (dev server, production server)."""

    name: str = Field(pattern=r"^[a-zA-Z0-9_.-]{1,64}$")
    command: str
    """Shell command (``sh -c``), run inside the sandbox; ``{port}`` is replaced."""
    env: dict[str, str] = Field(default_factory=dict)
    """Extra environment (the project's env vars are added by the caller). Never persisted."""
    cwd: str = "."
    """Workspace-relative directory to start in."""
    port: int | None = None
    """Port to listen on; ``None`` lets the backend choose a free one."""
    port_env: str | None = "PORT"
    """Env var that carries the port to the process (in addition to ``{port}``)."""
    readiness_path: str | None = "/"
    """HTTP path probed until it answers (any status < 500); ``None`` = ready when started."""
    readiness_timeout_s: float = 120.0
    restart: RestartPolicy = Field(default_factory=RestartPolicy)


class ProcessInfo(_Frozen):
    """A process the backend started."""

    name: str
    port: int | None
    upstream: str | None
    """URL the gateway proxies to (``upstream(port)``), ``None`` without a port."""
    pid: int | None = None
    """Host pid of the process's sandbox (local backend), for diagnostics only."""
    started_at: float
    """``time.time()`` at start."""
    running: bool = True
    exit_code: int | None = None


class ProcessStats(_Frozen):
    """Resource figures of one named process (with all its children)."""

    name: str
    rss_bytes: int
    cpu_seconds: float
    process_count: int


class SandboxStats(_Frozen):
    """Resource figures of a whole sandbox, read from /proc for the local backend."""

    rss_bytes: int
    cpu_seconds: float
    """User + system CPU time consumed by the live processes so far."""
    process_count: int
    memory_limit_bytes: int
    processes: list[ProcessStats] = Field(default_factory=list)


class SandboxBackend(Protocol):
    """A sandbox engine. Every method is safe to call concurrently for different sandboxes."""

    name: str
    """Engine name, e.g. ``local``."""

    async def create(
        self,
        project_id: str,
        template: TemplateSpec | None = None,
        *,
        limits: SandboxLimits | None = None,
    ) -> Sandbox:
        """Create (or re-attach to, when it exists) the sandbox of ``project_id``.

        The workspace itself is materialised by the projects/templates domain; ``create``
        prepares the isolation around it (namespaces, network, ownership).
        """
        ...

    async def get(self, project_id: str) -> Sandbox | None:
        """The live sandbox of a project, if one was created in this process."""
        ...

    def exec(
        self,
        sandbox: Sandbox,
        cmd: str,
        *,
        timeout: float,
        cwd: str = ".",
        env: Mapping[str, str] | None = None,
    ) -> AsyncIterator[ExecEvent]:
        """Run a one-shot shell command and stream its output, ending with an ``exit`` event.

        Past ``timeout`` seconds the command and all its children are killed and the exit
        event has ``timed_out=True``. Use as ``async for event in backend.exec(...)``;
        leaving the loop early kills the command too.
        """
        ...

    async def start_process(self, sandbox: Sandbox, spec: ProcessSpec) -> ProcessInfo:
        """Start a long-running process (replacing a running one of the same name)."""
        ...

    def process_events(self, sandbox: Sandbox, name: str) -> AsyncIterator[ExecEvent]:
        """Output of the process ``name`` since it started, then one ``exit`` event.

        Single consumer (the supervisor); the iterator ends after the exit event.
        """
        ...

    async def stop_process(self, sandbox: Sandbox, name: str) -> None:
        """Stop a process and its children (SIGTERM, then SIGKILL after a grace period)."""
        ...

    async def upstream(self, sandbox: Sandbox, port: int) -> str:
        """Base URL (``http://host:port``) at which the platform reaches ``port`` inside."""
        ...

    async def stats(self, sandbox: Sandbox) -> SandboxStats:
        """Current memory/CPU/process figures of the sandbox."""
        ...

    async def hibernate(self, sandbox: Sandbox) -> None:
        """Stop every process; keep the workspace and what ``create`` set up. 0 processes."""
        ...

    async def destroy(self, sandbox: Sandbox) -> None:
        """Stop everything and release what ``create`` set up. The workspace is kept."""
        ...


class ProjectState(_Frozen):
    """What the supervisor knows about a project's dev server (API / UI / events)."""

    project_id: str
    status: ProcessStatus
    isolation: IsolationLevel | None = None
    upstream: str | None = None
    port: int | None = None
    restarts: int = 0
    last_exit_code: int | None = None
    detail: str | None = None
    """A sentence for the UI when something went wrong (crash reason, timeout)."""
    updated_at: float = 0.0


class SandboxError(Exception):
    """A sandbox operation failed in a way the caller can report (bad input, no sandbox)."""


class SandboxNotFound(SandboxError, LookupError):
    """No sandbox, or no process of that name, exists for the project."""


class SandboxUnavailable(SandboxError):
    """This server cannot isolate project code, so it runs none (the message says why)."""


class LogLine(_Frozen):
    """One line of a supervised process's output."""

    ts: float
    """``time.time()`` when the line was read."""
    stream: Literal["stdout", "stderr", "system"]
    """``system`` lines are the supervisor's own notes (started, crashed, restarting...)."""
    text: str
