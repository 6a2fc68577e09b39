"""Fixtures for sandbox tests: a real local backend in a temporary data dir.

Each test run uses its own interface prefix, subnet and uid range so that concurrent runs
on one machine (and a real platform) do not step on each other.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from appwright.sandbox.base import ExecEvent, Sandbox, SandboxLimits
from appwright.sandbox.config import LocalSandboxConfig
from appwright.sandbox.local import LocalSandboxBackend

_RUN = secrets.randbelow(200)
CAN_ISOLATE = os.geteuid() == 0 and shutil.which("bwrap") is not None


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A platform data dir with a database file and two project workspaces."""
    data = tmp_path / "data"
    (data / "workspaces" / "p1").mkdir(parents=True)
    (data / "workspaces" / "p2").mkdir(parents=True)
    (data / "appwright.db").write_text("SQLITE-DB-CONTENT-xyz")
    (data / "secret_key").write_text("PLATFORM-SECRET-KEY-abc")
    (data / "workspaces" / "p2" / "secret.txt").write_text("OTHER-PROJECT-SECRET-123")
    return data


def make_config(data_dir: Path, **overrides: object) -> LocalSandboxConfig:
    """A config private to this test run."""
    base: dict[str, object] = {
        "data_dir": data_dir,
        "name_prefix": f"t{_RUN:x}",
        "subnet": f"10.231.{_RUN}.0/24",
        "uid_base": 300_000 + _RUN * 100,
        "limits": SandboxLimits(memory_bytes=512 * 1024**2, max_processes=256),
    }
    base.update(overrides)
    return LocalSandboxConfig(**base)  # type: ignore[arg-type]


@pytest.fixture
async def backend(data_dir: Path) -> AsyncIterator[LocalSandboxBackend]:
    """A started local backend; bubblewrap whenever this machine allows it."""
    b = LocalSandboxBackend(make_config(data_dir))
    level = await b.start()
    if CAN_ISOLATE:
        assert level == "bubblewrap"
    try:
        yield b
    finally:
        await b.close(remove_firewall=True)


@pytest.fixture
async def isolated(backend: LocalSandboxBackend) -> LocalSandboxBackend:
    """The backend, for tests that only make sense with real isolation."""
    if backend.isolation != "bubblewrap":
        pytest.skip("needs root and bubblewrap")
    return backend


async def run(
    backend: LocalSandboxBackend, sandbox: Sandbox, cmd: str, timeout: float = 30, **kw: object
) -> tuple[str, str, ExecEvent]:
    """Run a command to completion: (stdout, stderr, exit event)."""
    out: list[str] = []
    err: list[str] = []
    last = None
    async for ev in backend.exec(sandbox, cmd, timeout=timeout, **kw):  # type: ignore[arg-type]
        if ev.kind == "stdout":
            out.append(ev.data)
        elif ev.kind == "stderr":
            err.append(ev.data)
        else:
            last = ev
    assert last is not None
    return "".join(out), "".join(err), last
