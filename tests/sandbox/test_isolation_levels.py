"""Which isolation a server runs with: ``auto`` never falls back to running code unisolated."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

_PROBE = """
import asyncio, sys
from pathlib import Path
from appwright.sandbox.base import SandboxUnavailable
from appwright.sandbox.config import LocalSandboxConfig
from appwright.sandbox.local import LocalSandboxBackend

async def main() -> None:
    backend = LocalSandboxBackend(LocalSandboxConfig(data_dir=Path(sys.argv[1])))
    print("level", await backend.start())
    try:
        await backend.create("p1")
        print("CREATED")
    except SandboxUnavailable as exc:
        print("refused", exc)
    await backend.close()

asyncio.run(main())
"""


def test_auto_without_root_runs_no_project_code_and_says_why() -> None:
    with tempfile.TemporaryDirectory(prefix="aw-noroot-") as tmp:
        _probe_without_root(Path(tmp))


def _probe_without_root(data: Path) -> None:
    argv = [sys.executable, "-c", _PROBE, str(data)]
    if os.geteuid() == 0:
        # The platform without root: the same backend started by an unprivileged user
        # (pytest's own tmp dirs are private to root, hence a fresh folder in /tmp).
        data.chmod(0o777)
        argv = [
            "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", *argv,
        ]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd="/", check=False)
    assert done.returncode == 0, done.stderr
    assert "level none" in done.stdout
    assert "CREATED" not in done.stdout
    assert "refused Project code cannot run on this server" in done.stdout
    assert "the platform does not run as root" in done.stdout
    assert "APPWRIGHT_SANDBOX_ISOLATION=unsafe-local" in done.stdout
    assert "sandbox.isolation.NONE" in done.stderr  # and the log says so


@pytest.mark.anyio
async def test_sandbox_status_carries_the_reason(tmp_path: Path) -> None:
    """The UI reads the reason from the status endpoint (detail) before anything started."""
    from appwright.sandbox.config import LocalSandboxConfig
    from appwright.sandbox.local import LocalSandboxBackend

    backend = LocalSandboxBackend(LocalSandboxConfig(data_dir=tmp_path))
    assert backend.isolation == "none"  # nothing runs until start() found isolation
    assert backend.unavailable_reason is None
