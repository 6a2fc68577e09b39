"""Command lines and environments of sandboxed processes.

Isolated (``bubblewrap``) commands are started as::

    ip netns exec NS prlimit ... -- nice -n N setpriv --pdeathsig KILL -- \
        bwrap --unshare-pid ... -- setpriv --reuid U ... -- \
        bwrap --unshare-user --disable-userns ... -- /bin/sh -c CMD

``ip netns exec`` puts the process in the sandbox's network namespace, ``prlimit`` sets the
rlimits that the later uid change keeps, a root bubblewrap builds the mount / pid / ipc /
uts namespaces (``/usr`` and a handful of ``/etc`` files read-only, the workspace at
``/workspace`` and a private home writable, a private ``/tmp``), ``setpriv`` drops to the
sandbox's own uid with no capabilities, and an unprivileged bubblewrap forbids nested
user namespaces. The programs up to the outer bubblewrap exec each other, so the pid the
platform holds is bubblewrap's; killing it kills the sandbox's pid 1
(``--die-with-parent``) and, with the pid namespace, every process inside.

The environment is built here from scratch (never inherited from the platform) and passed
through the process environment — not ``--setenv`` — so project secrets do not show in
``/proc/*/cmdline``.
"""

from __future__ import annotations

import os
import posixpath
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from appwright.sandbox.base import IsolationLevel, SandboxLimits
from appwright.sandbox.config import LocalSandboxConfig
from appwright.sandbox.netns import SlotNetwork

SANDBOX_WORKSPACE = "/workspace"
SANDBOX_HOME = "/home/user"
# Paths inside the sandbox (private tmpfs mounts), not the host's shared /tmp.
SANDBOX_TMP = "/tmp"  # noqa: S108
SANDBOX_SHM = "/dev/shm"  # noqa: S108

# /etc entries a Node toolchain needs; everything else of the host's /etc stays hidden.
_ETC_RO = (
    "alternatives",
    "ssl",
    "ca-certificates",
    "ca-certificates.conf",
    "npmrc",
    "nsswitch.conf",
    "localtime",
    "mime.types",
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "os-release",
    "nodejs",
)


@dataclass(frozen=True)
class SandboxLayout:
    """Everything needed to start a process in one project's sandbox."""

    project_id: str
    isolation: IsolationLevel
    workspace: Path
    home: Path
    etc_dir: Path
    uid: int | None
    net: SlotNetwork | None
    limits: SandboxLimits
    proxy_url: str | None


def sandbox_cwd(cwd: str) -> str:
    """Normalise a workspace-relative directory; refuse anything leaving the workspace."""
    if cwd.startswith("/") or "\0" in cwd:
        raise ValueError(f"cwd must be workspace-relative: {cwd!r}")
    norm = posixpath.normpath(cwd or ".")
    if norm == ".." or norm.startswith("../"):
        raise ValueError(f"cwd leaves the workspace: {cwd!r}")
    return "" if norm == "." else norm


def write_etc(layout: SandboxLayout) -> None:
    """Generate the sandbox's own passwd/group/hosts (blocking; small files)."""
    layout.etc_dir.mkdir(parents=True, exist_ok=True)
    uid = layout.uid if layout.uid is not None else os.getuid()
    files = {
        "passwd": f"root:x:0:0::/root:/bin/sh\nuser:x:{uid}:{uid}::{SANDBOX_HOME}:/bin/sh\n"
        "nobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n",
        "group": f"root:x:0:\nuser:x:{uid}:\nnogroup:x:65534:\n",
        "hosts": "127.0.0.1\tlocalhost sandbox\n::1\tlocalhost ip6-localhost\n",
        "hostname": "sandbox\n",
        # No DNS inside: names are resolved by the egress proxy on the host.
        "resolv.conf": "",
    }
    for name, text in files.items():
        (layout.etc_dir / name).write_text(text)
        (layout.etc_dir / name).chmod(0o644)


def build_env(layout: SandboxLayout, extra: Mapping[str, str] | None) -> dict[str, str]:
    """The complete environment of a sandboxed process: fixed basics + proxy + ``extra``."""
    isolated = layout.isolation == "bubblewrap"
    ws = SANDBOX_WORKSPACE if isolated else str(layout.workspace)
    home = SANDBOX_HOME if isolated else str(layout.home)
    env = {
        "PATH": f"{ws}/node_modules/.bin:/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "USER": "user",
        "LOGNAME": "user",
        "SHELL": "/bin/sh",
        "LANG": "C.UTF-8",
        "TERM": "xterm-256color",
        "TMPDIR": SANDBOX_TMP if isolated else str(layout.home / "tmp"),
        "NEXT_TELEMETRY_DISABLED": "1",
        "npm_config_update_notifier": "false",
        "npm_config_fund": "false",
        "npm_config_audit": "false",
        # The workspace root belongs to the platform (its git repository); let git inside
        # the sandbox read it anyway.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "safe.directory",
        "GIT_CONFIG_VALUE_0": "*",
    }
    if layout.proxy_url:
        for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env[key] = layout.proxy_url
        env["npm_config_proxy"] = layout.proxy_url
        env["npm_config_https_proxy"] = layout.proxy_url
        env["NO_PROXY"] = env["no_proxy"] = "localhost,127.0.0.1,::1"
    for key, value in (extra or {}).items():
        if not key or "=" in key or "\0" in key or "\0" in value:
            raise ValueError(f"invalid environment variable name or value: {key!r}")
        env[key] = value
    return env


def _rlimit_args(limits: SandboxLimits, cpu_seconds: int | None) -> list[str]:
    args = [
        f"--nproc={limits.max_processes}",
        f"--fsize={limits.max_file_bytes}",
        f"--nofile={limits.max_open_files}",
        # Per-process data segment: a second line behind the RSS watchdog for a single
        # runaway allocation. RLIMIT_AS would break V8, which reserves huge address ranges.
        f"--data={limits.memory_bytes}",
        "--core=0",
    ]
    if cpu_seconds is not None:
        args.append(f"--cpu={cpu_seconds}")
    return args


def build_argv(
    cfg: LocalSandboxConfig,
    layout: SandboxLayout,
    command: str,
    *,
    cwd: str = ".",
    cpu_seconds: int | None = None,
) -> list[str]:
    """argv that runs ``sh -c command`` inside the sandbox (or unisolated, for unsafe-local)."""
    rel = sandbox_cwd(cwd)
    limits = ["prlimit", *_rlimit_args(layout.limits, cpu_seconds), "--"]
    nice = ["nice", "-n", str(cfg.nice)]
    if layout.isolation != "bubblewrap":
        return [*limits, *nice, "/bin/sh", "-c", command]
    assert layout.net is not None
    assert layout.uid is not None
    uid = str(layout.uid)
    inner_cwd = posixpath.join(SANDBOX_WORKSPACE, rel) if rel else SANDBOX_WORKSPACE
    argv = [
        "ip", "netns", "exec", layout.net.namespace,
        *limits,
        *nice,
        # The outer bubblewrap runs as root so that it can bind paths the sandbox uid could
        # not even traverse (the data dir is private); it dies with the platform.
        "setpriv", "--pdeathsig", "KILL", "--",
        "bwrap",
        "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--die-with-parent", "--new-session", "--hostname", "sandbox",
        "--ro-bind", "/usr", "/usr",
        # Directories bubblewrap creates on its own are 0700 root: readable mount points
        # for the sandbox uid must be made explicitly.
        "--perms", "0755", "--dir", "/etc",
        "--perms", "0755", "--dir", "/home",
    ]  # fmt: skip
    for top in ("bin", "sbin", "lib", "lib64", "lib32"):
        host = Path("/") / top
        if host.is_symlink():
            argv += ["--symlink", os.readlink(host), f"/{top}"]
        elif host.is_dir():
            argv += ["--ro-bind", str(host), f"/{top}"]
    for name in _ETC_RO:
        argv += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for name in ("passwd", "group", "hosts", "hostname", "resolv.conf"):
        argv += ["--ro-bind", str(layout.etc_dir / name), f"/etc/{name}"]
    for host_path, inner in cfg.extra_ro_binds:
        argv += ["--ro-bind", str(host_path), inner]
    argv += [
        "--proc", "/proc",
        "--dev", "/dev",
        "--perms", "1777", "--size", str(256 * 1024**2), "--tmpfs", SANDBOX_TMP,
        "--perms", "1777", "--size", str(64 * 1024**2), "--tmpfs", SANDBOX_SHM,
        "--bind", str(layout.workspace), SANDBOX_WORKSPACE,
        "--bind", str(layout.home), SANDBOX_HOME,
        "--",
        # Then root is dropped for good: the sandbox's own uid, no capabilities at all...
        "setpriv", "--reuid", uid, "--regid", uid, "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--",
        # ...and an unprivileged bubblewrap forbids further user namespaces, which would
        # otherwise hand the sandbox a fresh set of capabilities to probe the kernel with.
        "bwrap", "--unshare-user", "--disable-userns", "--die-with-parent",
        # --dev-bind: a plain --bind would remount nodev and break /dev/null.
        "--dev-bind", "/", "/", "--chdir", inner_cwd,
        "--", "/bin/sh", "-c", command,
    ]  # fmt: skip
    return argv


def bubblewrap_binary() -> str | None:
    """Path of bwrap, if installed."""
    return shutil.which("bwrap")
