"""Command lines and environments of sandboxed processes.

Isolated (``bubblewrap``) commands are started as::

    /usr/bin/ip netns exec NS /usr/bin/prlimit ... -- /usr/bin/nice -n N \
        /usr/bin/setpriv --pdeathsig KILL -- /usr/bin/bwrap --unshare-pid ... -- \
        /usr/bin/setpriv --reuid U ... -- /usr/bin/bwrap --unshare-user --disable-userns \
        --clearenv ... -- /bin/sh -c '. /dev/stdin; exec </dev/null; exec /bin/sh -c "$1"' - CMD

``ip netns exec`` puts the process in the sandbox's network namespace, ``prlimit`` sets the
rlimits that the later uid change keeps, a root bubblewrap builds the mount / pid / ipc /
uts namespaces (``/usr`` and a handful of ``/etc`` files read-only, the workspace at
``/workspace`` and a private home writable, a private ``/tmp``), ``setpriv`` drops to the
sandbox's own uid with no capabilities, and an unprivileged bubblewrap forbids nested
user namespaces. The programs up to the outer bubblewrap exec each other, so the pid the
platform holds is bubblewrap's; killing it kills the sandbox's pid 1
(``--die-with-parent``) and, with the pid namespace, every process inside.

Everything up to the privilege drop runs as root, so nothing the project controls reaches
it: every program is an absolute path found on a fixed system search path, the process
environment is ``hostbin.ROOT_ENV`` and the cwd is ``/`` (the sandbox's own cwd is set by
the unprivileged bubblewrap's ``--chdir``). The sandbox's environment — the basics built
here plus the project's variables — travels as a shell script of ``export`` lines on the
command's stdin (a memfd) and is applied by the sandbox's first shell *after* the drop
(``--clearenv`` first, so nothing of the root chain's environment is left). Values never
appear on a command line (``/proc/*/cmdline``) nor in a root process's environment.
"""

from __future__ import annotations

import os
import posixpath
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from appwright.core import hostbin
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


_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

PLATFORM_ENV_NAMES = frozenset(
    {
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "TMPDIR", "PWD", "OLDPWD",
        "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy",
        "NO_PROXY", "no_proxy", "npm_config_proxy", "npm_config_https_proxy",
    }
)  # fmt: skip
"""Names the sandbox sets itself: a project variable cannot replace them."""

LOADER_ENV_NAMES = frozenset(
    {
        "GCONV_PATH", "GETCONF_DIR", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "NLSPATH",
        "RESOLV_HOST_CONF", "RES_OPTIONS", "TZDIR", "BASH_ENV", "ENV", "IFS", "PS4",
        "SHELLOPTS", "BASHOPTS", "CDPATH",
    }
)  # fmt: skip
"""Names that change how programs or shells start (with every ``LD_*`` and ``MALLOC_*``)."""


def reserved_env_problem(name: str) -> str | None:
    """Why ``name`` cannot be a project variable, or None when it can."""
    if not _ENV_NAME.match(name):
        return "Variable names use letters, digits and underscores and do not start with a digit."
    if name in PLATFORM_ENV_NAMES:
        return f"{name} is set by the sandbox itself and cannot be changed."
    if (
        name in LOADER_ENV_NAMES
        or name.startswith(("LD_", "MALLOC_", "GIT_", "APPWRIGHT_"))
        or name.upper().startswith("BWRAP")
    ):
        return f"{name} changes how the sandbox starts programs and cannot be set."
    return None


def build_env(layout: SandboxLayout, extra: Mapping[str, str] | None) -> dict[str, str]:
    """The complete environment of a sandboxed process: ``extra`` + fixed basics + proxy.

    Reserved names in ``extra`` (``reserved_env_problem``; the API refuses them, but rows
    stored before may hold them) are dropped: the sandbox's own values always win.
    """
    isolated = layout.isolation == "bubblewrap"
    ws = SANDBOX_WORKSPACE if isolated else str(layout.workspace)
    home = SANDBOX_HOME if isolated else str(layout.home)
    env: dict[str, str] = {}
    for key, value in (extra or {}).items():
        if not _ENV_NAME.match(key) or "\0" in value:
            raise ValueError(f"invalid environment variable name or value: {key!r}")
        if reserved_env_problem(key) is None:
            env[key] = value
    env.update(
        {
            "PATH": f"{ws}/node_modules/.bin:/usr/local/bin:/usr/bin:/bin",
            "HOME": home,
            "USER": "user",
            "LOGNAME": "user",
            "SHELL": "/bin/sh",
            "TMPDIR": SANDBOX_TMP if isolated else str(layout.home / "tmp"),
            # The workspace root belongs to the platform; let git inside the sandbox read it.
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "safe.directory",
            "GIT_CONFIG_VALUE_0": "*",
        }
    )
    for key, value in (
        ("LANG", "C.UTF-8"),
        ("TERM", "xterm-256color"),
        ("NEXT_TELEMETRY_DISABLED", "1"),
        ("npm_config_update_notifier", "false"),
        ("npm_config_fund", "false"),
        ("npm_config_audit", "false"),
    ):
        env.setdefault(key, value)
    if layout.proxy_url:
        for key in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env[key] = layout.proxy_url
        env["npm_config_proxy"] = layout.proxy_url
        env["npm_config_https_proxy"] = layout.proxy_url
        env["NO_PROXY"] = env["no_proxy"] = "localhost,127.0.0.1,::1"
    return env


def env_script(env: Mapping[str, str]) -> bytes:
    """``env`` as POSIX ``export`` lines (values single-quoted), read by the sandbox's
    first shell after the privilege drop."""
    lines = [f"export {key}={shlex.quote(value)}\n" for key, value in env.items()]
    return "".join(lines).encode()


@dataclass(frozen=True)
class Launch:
    """How to start one sandboxed command on the host."""

    argv: list[str]
    env: dict[str, str]
    """The process environment of ``argv[0]``."""
    cwd: str
    """Host cwd of ``argv[0]``."""
    stdin: bytes | None
    """Fed on stdin (the sandbox's environment script); None: ``/dev/null``."""


# Applies the environment script on stdin, detaches stdin, then runs the command ($1).
_APPLY_ENV = '. /dev/stdin || exit 126; exec </dev/null; exec /bin/sh -c "$1"'


def launch(
    cfg: LocalSandboxConfig,
    layout: SandboxLayout,
    command: str,
    extra_env: Mapping[str, str] | None,
    *,
    cwd: str = ".",
    cpu_seconds: int | None = None,
) -> Launch:
    """Everything needed to start ``sh -c command`` in the sandbox (raises ValueError)."""
    env = build_env(layout, extra_env)
    argv = build_argv(cfg, layout, command, cwd=cwd, cpu_seconds=cpu_seconds)
    if layout.isolation != "bubblewrap":
        # No privilege drop here: the platform's own uid runs the command directly.
        host_cwd = layout.workspace / sandbox_cwd(cwd)
        return Launch(argv, env, str(host_cwd), None)
    return Launch(argv, dict(hostbin.ROOT_ENV), hostbin.ROOT_CWD, env_script(env))


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
    limits = [hostbin.require("prlimit"), *_rlimit_args(layout.limits, cpu_seconds), "--"]
    nice = [hostbin.require("nice"), "-n", str(cfg.nice)]
    if layout.isolation != "bubblewrap":
        return [*limits, *nice, "/bin/sh", "-c", command]
    setpriv, bwrap = hostbin.require("setpriv"), hostbin.require("bwrap")
    assert layout.net is not None
    assert layout.uid is not None
    uid = str(layout.uid)
    inner_cwd = posixpath.join(SANDBOX_WORKSPACE, rel) if rel else SANDBOX_WORKSPACE
    argv = [
        hostbin.require("ip"), "netns", "exec", layout.net.namespace,
        *limits,
        *nice,
        # The outer bubblewrap runs as root so that it can bind paths the sandbox uid could
        # not even traverse (the data dir is private); it dies with the platform.
        setpriv, "--pdeathsig", "KILL", "--",
        bwrap,
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
        setpriv, "--reuid", uid, "--regid", uid, "--clear-groups",
        "--inh-caps=-all", "--bounding-set=-all", "--",
        # ...and an unprivileged bubblewrap forbids further user namespaces, which would
        # otherwise hand the sandbox a fresh set of capabilities to probe the kernel with.
        bwrap, "--unshare-user", "--disable-userns", "--die-with-parent", "--clearenv",
        # --dev-bind: a plain --bind would remount nodev and break /dev/null.
        "--dev-bind", "/", "/", "--chdir", inner_cwd,
        "--", "/bin/sh", "-c", _APPLY_ENV, "appwright-sandbox", command,
    ]  # fmt: skip
    return argv
