"""The privileged launcher: nothing a project controls reaches the root part of the chain.

Reproduction (issue "sandbox boundary", 1): a project variable ``PATH=.:/usr/sbin:…`` and
an executable ``ip`` in the workspace made the launcher (``ip netns exec … bwrap …``,
spawned with the sandbox's environment and the workspace as cwd) run ``./ip`` as root.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from appwright.core import hostbin
from appwright.sandbox import procfs
from appwright.sandbox.base import ProcessSpec
from appwright.sandbox.bwrap import reserved_env_problem
from appwright.sandbox.local import LocalSandboxBackend

from .conftest import run

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]

_HOSTILE = ("ip", "prlimit", "nice", "setpriv", "bwrap", "sh")


def _plant_programs(workspace: Path, marker: Path) -> None:
    """Executables named like the launcher's programs that record who ran them."""
    for name in _HOSTILE:
        prog = workspace / name
        prog.write_text(f"#!/bin/sh\nid -u >> {marker}\necho {name} >> {marker}\n")
        prog.chmod(0o755)


async def test_project_path_cannot_pick_the_launchers_programs(
    isolated: LocalSandboxBackend, data_dir: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran-as-root"
    workspace = data_dir / "workspaces" / "p1"
    _plant_programs(workspace, marker)
    sb = await isolated.create("p1")
    env = {
        "PATH": ".:/usr/sbin:/usr/bin:/bin",
        "LD_PRELOAD": str(workspace / "evil.so"),
        "BASH_ENV": str(workspace / "ip"),
        "ENV": str(workspace / "ip"),
    }
    out, err, ev = await run(isolated, sb, "echo ok; echo PATH=$PATH", env=env)
    assert ev.exit_code == 0, err
    assert "ok" in out
    # The sandbox's own PATH won: the project cannot move the workspace in front of /usr.
    assert "PATH=/workspace/node_modules/.bin:/usr/local/bin:/usr/bin:/bin" in out
    assert not marker.exists(), f"a planted program ran: {marker.read_text()}"

    # The dev server path (a long-running process) too.
    info = await isolated.start_process(
        sb, ProcessSpec(name="dev", command="sleep 30", env=env, readiness_path=None)
    )
    try:
        await asyncio.sleep(0.3)
        assert not marker.exists(), f"a planted program ran: {marker.read_text()}"
        assert info.pid is not None
    finally:
        await isolated.stop_process(sb, "dev")


def _cmdline(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


async def test_root_part_of_the_chain_has_a_fixed_env_and_cwd(
    isolated: LocalSandboxBackend,
) -> None:
    sb = await isolated.create("p1")
    secret = "s3cr3t-value-NOT-for-root"
    info = await isolated.start_process(
        sb,
        ProcessSpec(name="dev", command="sleep 30", env={"API_TOKEN": secret}, readiness_path=None),
    )
    try:
        await asyncio.sleep(0.3)
        assert info.pid is not None
        procs = procfs.snapshot()
        members = procfs.tree(procs, info.pid)
        root = [p for p in members if p.uid == 0]
        workload = [p for p in members if p.uid == sb.uid]
        assert root and workload
        for p in root:
            # Root processes: the fixed environment, no project value, cwd "/".
            assert _environ(p.pid) == hostbin.ROOT_ENV, p
            assert secret.encode() not in _cmdline(p.pid)
        assert os.readlink(f"/proc/{info.pid}/cwd") == "/"
        sleeper = next(p for p in workload if _cmdline(p.pid).startswith(b"sleep"))
        assert _environ(sleeper.pid)["API_TOKEN"] == secret
        assert os.readlink(f"/proc/{sleeper.pid}/cwd") == "/workspace"
    finally:
        await isolated.stop_process(sb, "dev")


async def test_values_reach_the_sandbox_byte_for_byte(isolated: LocalSandboxBackend) -> None:
    sb = await isolated.create("p1")
    tricky = 'it\'s $(id -u) `whoami` "quoted"\nsecond line; rm -rf / ; \\ end'
    out, err, ev = await run(
        isolated, sb, 'printf %s "$TRICKY"; test -t 0 || cat', env={"TRICKY": tricky}
    )
    assert ev.exit_code == 0, err
    # The value arrives unchanged and stdin is empty again (the env script is not left on it).
    assert out == tricky


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("DATABASE_URL", True),
        ("NEXT_PUBLIC_API", True),
        ("NODE_OPTIONS", True),
        ("PATH", False),
        ("HOME", False),
        ("LD_PRELOAD", False),
        ("LD_LIBRARY_PATH", False),
        ("GCONV_PATH", False),
        ("BASH_ENV", False),
        ("ENV", False),
        ("HTTPS_PROXY", False),
        ("GIT_CONFIG_COUNT", False),
        ("1ABC", False),
        ("A-B", False),
    ],
)
def test_names_that_change_how_the_sandbox_starts_are_refused(name: str, allowed: bool) -> None:
    assert (reserved_env_problem(name) is None) is allowed
