"""The local sandbox backend: bubblewrap + a network namespace per project.

See ``bwrap`` for how a process is isolated, ``netns`` for the network and ``egress`` for
the proxy that is a sandbox's only way out. Without root or bubblewrap the backend runs
``unsafe-local`` (plain subprocesses with a scrubbed environment) and says so loudly.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shutil
import socket
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field

import anyio
from anyio import to_thread

from appwright.core import hostbin
from appwright.sandbox import bwrap, netns, procfs
from appwright.sandbox.base import (
    ExecEvent,
    IsolationLevel,
    ProcessInfo,
    ProcessSpec,
    ProcessStats,
    Sandbox,
    SandboxError,
    SandboxLimits,
    SandboxNotFound,
    SandboxStats,
    SandboxUnavailable,
    TemplateSpec,
)
from appwright.sandbox.config import LocalSandboxConfig
from appwright.sandbox.egress import EgressPolicy, EgressProxy
from appwright.sandbox.runner import SandboxedProcess
from appwright.sandbox.slots import SlotTable, adopt_home, adopt_workspace
from appwright.sandbox.watchdog import MemoryWatchdog

log = logging.getLogger("appwright.sandbox")

_PROJECT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_FIRST_PORT = 3000


def _no_isolation_reason() -> str:
    missing = [t for t in ("bwrap", "setpriv", "prlimit", "ip", "iptables") if not hostbin.find(t)]
    why = (
        "the platform does not run as root"
        if os.geteuid() != 0
        else f"{', '.join(missing)} not installed"
        if missing
        else "bubblewrap cannot create namespaces here"
    )
    return (
        f"Project code cannot run on this server: sandboxes need root and bubblewrap ({why}). "
        "Install bubblewrap, iproute2 and iptables and run appwright as root, or set "
        "APPWRIGHT_SANDBOX_ISOLATION=unsafe-local for single-user development on your own "
        "machine."
    )


@dataclass
class _Runtime:
    """In-memory state of one project's sandbox."""

    sandbox: Sandbox
    layout: bwrap.SandboxLayout
    slot: int | None
    processes: dict[str, tuple[SandboxedProcess, ProcessInfo]] = field(default_factory=dict)
    execs: set[SandboxedProcess] = field(default_factory=set)

    def instances(self) -> list[tuple[str, SandboxedProcess]]:
        named = [(n, p) for n, (p, _) in self.processes.items() if p.running]
        return named + [("exec", p) for p in self.execs if p.running]


class LocalSandboxBackend:
    """``SandboxBackend`` on this machine. Call ``start()`` once, ``close()`` at shutdown."""

    name = "local"

    def __init__(self, cfg: LocalSandboxConfig) -> None:
        self.cfg = cfg
        self.isolation: IsolationLevel = "none"
        self.unavailable_reason: str | None = None
        """Why project code cannot run (isolation ``none``), said in the UI."""
        self._runtimes: dict[str, _Runtime] = {}
        self._lock = asyncio.Lock()
        self._started = False
        self._slots = SlotTable(cfg.state_dir / "slots.json", cfg.max_slots)
        self._proxy: EgressProxy | None = None
        self._watchdog = MemoryWatchdog(self._runtimes_view, cfg.watchdog_interval_s)

    def _runtimes_view(self) -> list[tuple[int | None, int, list[tuple[str, SandboxedProcess]]]]:
        return [
            (rt.sandbox.uid, rt.sandbox.limits.memory_bytes, rt.instances())
            for rt in self._runtimes.values()
        ]

    async def start(self) -> IsolationLevel:
        """Pick the isolation level, remove leftovers of a previous run, start the watchdog."""
        async with self._lock:
            if self._started:
                return self.isolation
            self.cfg.state_dir.mkdir(parents=True, exist_ok=True)
            wanted = self.cfg.isolation
            if wanted != "unsafe-local" and await self._bubblewrap_works():
                self.isolation = "bubblewrap"
                await netns.cleanup_stale(self.cfg, keep=set())
                await to_thread.run_sync(self._kill_stale_uids)
                await netns.setup_firewall(self.cfg)
                extra = [
                    *await netns.host_networks(),
                    self.cfg.subnet,
                    *self.cfg.proxy_extra_denied,
                ]
                policy = EgressPolicy.build(
                    extra,
                    self.cfg.proxy_allowed_ports,
                    allowed_hosts=self.cfg.proxy_allowed_hosts,
                    max_connection_bytes=self.cfg.proxy_max_connection_bytes,
                    max_sandbox_bytes_per_hour=self.cfg.proxy_max_sandbox_bytes_per_hour,
                )
                self._proxy = EgressProxy(policy)
            elif wanted == "unsafe-local":
                # Opt-in only (refused in production, single account: see core.config).
                self.isolation = "unsafe-local"
                log.warning(
                    "sandbox.isolation.UNSAFE level=unsafe-local reason=configured — project "
                    "code runs UNISOLATED with the platform's privileges (single-user "
                    "development only); install bubblewrap and run as root for real sandboxes"
                )
            elif wanted == "auto":
                # No silent fallback to running everyone's code unisolated: nothing runs.
                self.isolation = "none"
                self.unavailable_reason = _no_isolation_reason()
                log.error("sandbox.isolation.NONE %s", self.unavailable_reason)
            else:
                raise SandboxError("bubblewrap isolation required but unavailable (root, bwrap)")
            self._watchdog.start()
            self._started = True
            log.info("sandbox.backend.started isolation=%s", self.isolation)
            return self.isolation

    async def _bubblewrap_works(self) -> bool:
        tools = ("bwrap", "setpriv", "prlimit", "nice")
        if not netns.network_supported() or not all(hostbin.find(t) for t in tools):
            return False
        proc = await asyncio.create_subprocess_exec(
            hostbin.require("bwrap"), "--unshare-pid", "--ro-bind", "/", "/", "--proc", "/proc",
            "--", "/usr/bin/true",
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            env=hostbin.ROOT_ENV, cwd=hostbin.ROOT_CWD,
        )  # fmt: skip
        return await hostbin.reaped(proc, proc.wait()) == 0

    def _uid_range(self) -> range:
        return range(self.cfg.uid_base, self.cfg.uid_base + self.cfg.max_slots)

    def _kill_stale_uids(self) -> None:
        # Sandboxed processes die with the platform (pdeathsig), but a crash between fork
        # and exec could leave one: anything running under our uid range is stale now.
        for uid, procs in procfs.by_uid(self._uid_range()).items():
            if procs:
                procfs.kill_uid(uid)

    async def close(self, *, remove_firewall: bool = False) -> None:
        """Stop every process and tear the networks down (slot allocations are kept)."""
        await self._watchdog.stop()
        for rt in list(self._runtimes.values()):
            await self._release(rt, forget_slot=False)
        if self._proxy is not None:
            await self._proxy.close_all()
        if remove_firewall and self.isolation == "bubblewrap":
            await netns.teardown_firewall(self.cfg)
        self._started = False

    async def create(
        self,
        project_id: str,
        template: TemplateSpec | None = None,
        *,
        limits: SandboxLimits | None = None,
    ) -> Sandbox:
        """Set up (or return) the sandbox around ``workspaces/{project_id}``."""
        if not _PROJECT_ID.match(project_id):
            raise SandboxError(f"invalid project id {project_id!r}")
        await self.start()
        if self.isolation == "none":
            raise SandboxUnavailable(self.unavailable_reason or "no sandbox isolation")
        async with self._lock:
            if (rt := self._runtimes.get(project_id)) is not None:
                return rt.sandbox
            rt = await self._create(project_id, limits or self.cfg.limits)
            self._runtimes[project_id] = rt
        log.info(
            "sandbox.created project=%s isolation=%s uid=%s template=%s",
            project_id, rt.sandbox.isolation, rt.sandbox.uid, template.id if template else None,
        )  # fmt: skip
        return rt.sandbox

    async def _create(self, project_id: str, limits: SandboxLimits) -> _Runtime:
        workspace = self.cfg.workspaces / project_id
        home = self.cfg.state_dir / "homes" / project_id
        etc_dir = self.cfg.state_dir / "etc" / project_id
        isolated = self.isolation == "bubblewrap"
        slot = (
            await to_thread.run_sync(self._slots.get_or_allocate, project_id) if isolated else None
        )
        uid = self.cfg.uid_base + slot if slot is not None else None
        try:
            net = await netns.create_slot_network(self.cfg, slot) if slot is not None else None
            proxy_url = None
            if net is not None and self._proxy is not None:
                await self._proxy.listen(project_id, net.host_ip, self.cfg.proxy_port)
                proxy_url = f"http://{net.host_ip}:{self.cfg.proxy_port}"
            layout = bwrap.SandboxLayout(
                project_id, self.isolation, workspace, home, etc_dir, uid, net, limits, proxy_url
            )
            await to_thread.run_sync(self._prepare_dirs, layout)
        except BaseException:
            # Cancelled or failed half way: a listener or network left behind would hold
            # this slot's address, and the next sandbox on the slot could not start.
            with anyio.CancelScope(shield=True):
                if self._proxy is not None:
                    await self._proxy.close(project_id)
                if slot is not None:
                    await netns.delete_slot_network(self.cfg, slot)
            raise
        sandbox = Sandbox(
            id=f"local-{project_id}",
            project_id=project_id,
            backend=self.name,
            isolation=self.isolation,
            workspace_path=workspace,
            sandbox_workspace=bwrap.SANDBOX_WORKSPACE if isolated else str(workspace),
            uid=uid,
            limits=limits,
        )
        return _Runtime(sandbox, layout, slot)

    def _prepare_dirs(self, layout: bwrap.SandboxLayout) -> None:
        layout.workspace.mkdir(parents=True, exist_ok=True)
        layout.home.mkdir(parents=True, exist_ok=True)
        bwrap.write_etc(layout)
        if layout.uid is None:
            (layout.home / "tmp").mkdir(exist_ok=True)
        else:
            # The home is the sandbox's (it may have made ``tmp`` a link): by descriptor.
            adopt_home(layout.home, layout.uid)
            adopt_workspace(layout.workspace, layout.uid, self._uid_range())

    async def get(self, project_id: str) -> Sandbox | None:
        """The sandbox created for ``project_id`` in this process, if any."""
        rt = self._runtimes.get(project_id)
        return rt.sandbox if rt else None

    def _rt(self, sandbox: Sandbox) -> _Runtime:
        rt = self._runtimes.get(sandbox.project_id)
        if rt is None:
            raise SandboxNotFound(f"no sandbox for project {sandbox.project_id}")
        return rt

    async def _spawn(
        self, rt: _Runtime, cmd: str, cwd: str, env: Mapping[str, str], cpu: int | None
    ) -> SandboxedProcess:
        try:
            plan = bwrap.launch(self.cfg, rt.layout, cmd, env, cwd=cwd, cpu_seconds=cpu)
        except ValueError as exc:
            raise SandboxError(str(exc)) from exc
        if rt.layout.isolation != "bubblewrap":
            if not await anyio.Path(plan.cwd).is_dir():
                raise SandboxError(f"no such directory in the workspace: {cwd}")
        elif rt.layout.uid is not None:
            await to_thread.run_sync(
                adopt_workspace, rt.layout.workspace, rt.layout.uid, self._uid_range()
            )
        return await SandboxedProcess.spawn(
            plan.argv,
            plan.env,
            cwd=plan.cwd,
            stdin=plan.stdin,
            own_group=rt.layout.isolation != "bubblewrap",
        )

    async def exec(
        self,
        sandbox: Sandbox,
        cmd: str,
        *,
        timeout: float,
        cwd: str = ".",
        env: Mapping[str, str] | None = None,
    ) -> AsyncIterator[ExecEvent]:
        """Run ``cmd`` once; stream output; kill it (and its children) past ``timeout``."""
        rt = self._rt(sandbox)
        cpu = max(1, min(sandbox.limits.exec_cpu_seconds, int(timeout) + 1))
        proc = await self._spawn(rt, cmd, cwd, env or {}, cpu)
        rt.execs.add(proc)
        deadline = asyncio.get_running_loop().call_later(timeout, self._expire, proc)
        try:
            while True:
                event = await proc.events()
                yield event
                if event.kind == "exit":
                    break
        finally:
            deadline.cancel()
            rt.execs.discard(proc)
            if proc.running:
                proc.kill("cancelled")

    @staticmethod
    def _expire(proc: SandboxedProcess) -> None:
        proc.timed_out = True
        proc.kill("timeout")

    async def start_process(self, sandbox: Sandbox, spec: ProcessSpec) -> ProcessInfo:
        """Start ``spec`` on its port (or a free one); replaces a process of the same name."""
        rt = self._rt(sandbox)
        await self.stop_process(sandbox, spec.name)
        port = spec.port or self._free_port(rt)
        env = dict(spec.env)
        if spec.port_env:
            env[spec.port_env] = str(port)
        proc = await self._spawn(rt, spec.command.replace("{port}", str(port)), spec.cwd, env, None)
        info = ProcessInfo(
            name=spec.name,
            port=port,
            upstream=await self.upstream(sandbox, port),
            pid=proc.pid,
            started_at=time.time(),
        )
        rt.processes[spec.name] = (proc, info)
        log.info(
            "sandbox.process.started project=%s name=%s port=%d",
            sandbox.project_id,
            spec.name,
            port,
        )
        return info

    def _free_port(self, rt: _Runtime) -> int:
        if rt.layout.isolation == "bubblewrap":
            # The sandbox has its own network namespace: only its own processes compete.
            used = {info.port for p, info in rt.processes.values() if p.running}
            return next(p for p in range(_FIRST_PORT, 65535) if p not in used)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return int(s.getsockname()[1])

    async def process_events(self, sandbox: Sandbox, name: str) -> AsyncIterator[ExecEvent]:
        """Output of process ``name`` since its start, then its ``exit`` event."""
        entry = self._rt(sandbox).processes.get(name)
        if entry is None:
            raise SandboxNotFound(f"no process {name!r} in sandbox {sandbox.id}")
        proc = entry[0]
        while True:
            event = await proc.events()
            yield event
            if event.kind == "exit":
                return

    async def stop_process(self, sandbox: Sandbox, name: str) -> None:
        """TERM the process tree, KILL it after a grace period."""
        entry = self._rt(sandbox).processes.get(name)
        if entry is not None and entry[0].running:
            await entry[0].terminate()
            log.info("sandbox.process.stopped project=%s name=%s", sandbox.project_id, name)

    async def upstream(self, sandbox: Sandbox, port: int) -> str:
        """``http://<sandbox veth address>:port`` (``127.0.0.1`` for unsafe-local)."""
        net = self._rt(sandbox).layout.net
        return f"http://{net.sandbox_ip if net else '127.0.0.1'}:{port}"

    async def stats(self, sandbox: Sandbox) -> SandboxStats:
        """Memory/CPU of the sandbox's processes (read from /proc)."""
        rt = self._rt(sandbox)
        procs = await to_thread.run_sync(procfs.snapshot)
        per: list[ProcessStats] = []
        total: dict[int, procfs.ProcEntry] = {}
        for name, p in rt.instances():
            members = procfs.tree(procs, p.pid)
            total.update({e.pid: e for e in members})
            per.append(
                ProcessStats(
                    name=name,
                    rss_bytes=sum(e.rss_bytes for e in members),
                    cpu_seconds=round(sum(e.cpu_seconds for e in members), 2),
                    process_count=len(members),
                )
            )
        return SandboxStats(
            rss_bytes=sum(e.rss_bytes for e in total.values()),
            cpu_seconds=round(sum(e.cpu_seconds for e in total.values()), 2),
            process_count=len(total),
            memory_limit_bytes=sandbox.limits.memory_bytes,
            processes=per,
        )

    async def hibernate(self, sandbox: Sandbox) -> None:
        """Stop every process of the sandbox; keep its network and workspace."""
        rt = self._rt(sandbox)
        await self._stop_all(rt)

    async def _stop_all(self, rt: _Runtime) -> None:
        for proc, _ in list(rt.processes.values()):
            if proc.running:
                await proc.terminate(grace_s=2.0)
        for proc in list(rt.execs):
            proc.kill("sandbox stopped")
        if rt.sandbox.uid is not None:
            await to_thread.run_sync(procfs.kill_uid, rt.sandbox.uid)

    async def destroy(self, sandbox: Sandbox) -> None:
        """Stop everything and remove the network; the workspace stays."""
        rt = self._runtimes.get(sandbox.project_id)
        if rt is not None:
            await self._release(rt, forget_slot=True)
            log.info("sandbox.destroyed project=%s", sandbox.project_id)

    async def _release(self, rt: _Runtime, *, forget_slot: bool) -> None:
        await self._stop_all(rt)
        self._runtimes.pop(rt.sandbox.project_id, None)
        if self._proxy is not None:
            await self._proxy.close(rt.sandbox.project_id)
        if rt.slot is not None:
            await netns.delete_slot_network(self.cfg, rt.slot)
        if forget_slot:
            await to_thread.run_sync(self._slots.release, rt.sandbox.project_id)
            with contextlib.suppress(FileNotFoundError):
                await to_thread.run_sync(shutil.rmtree, rt.layout.etc_dir)
