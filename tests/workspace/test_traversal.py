"""Path traversal through every workspace operation is refused, nothing outside touched."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from appwright.workspace.errors import PathRejected
from appwright.workspace.local import LocalWorkspace

from .conftest import Setup

pytestmark = pytest.mark.anyio


def snapshot(base: Path) -> dict[str, bytes | str]:
    """Every entry under ``base`` (except the workspace) with its content or link target."""
    found: dict[str, bytes | str] = {}
    for dirpath, dirnames, filenames in os.walk(base):
        if Path(dirpath) == base and "ws" in dirnames:
            dirnames.remove("ws")
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = str(path.relative_to(base))
            if path.is_symlink():
                found[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                found[rel] = path.read_bytes()
            else:
                found[rel] = "dir"
    return found


BAD_PATHS = [
    "../outside/sentinel.txt",
    "../outside/new.txt",
    "src/../../outside/sentinel.txt",
    "%2e%2e/outside/sentinel.txt",  # "%252e%252e" decoded once by the HTTP layer
    "..%2Foutside%2Fsentinel.txt",
    "..\\outside\\sentinel.txt",
    "/etc/passwd",
    "ok\x00.txt",
    ".git/config",
    "escape/sentinel.txt",
    "escape/new.txt",
    "escape/deeper/new.txt",
    "link-to-sentinel",
    "escape",
]


@pytest.fixture
def attack(setup: Setup) -> Setup:
    (setup.root / "src").mkdir()
    (setup.root / "src" / "keep.txt").write_text("keep")
    (setup.root / ".git").mkdir()
    (setup.root / ".git" / "config").write_text("[core]\n")
    (setup.root / "escape").symlink_to(setup.outside)
    (setup.root / "link-to-sentinel").symlink_to(setup.sentinel)
    return setup


def operations(ws: LocalWorkspace, bad: str) -> list[Callable[[], Awaitable[object]]]:
    return [
        lambda: ws.read(bad),
        lambda: ws.read_versioned(bad),
        lambda: ws.write(bad, b"pwned"),
        lambda: ws.write(bad, b"pwned", if_match="*"),
        lambda: ws.delete(bad),
        lambda: ws.mkdir(bad + "/dir"),
        lambda: ws.rename(bad, "src/moved.txt"),
        lambda: ws.rename("src/keep.txt", bad),
    ]


@pytest.mark.parametrize("bad", BAD_PATHS)
async def test_every_operation_refuses(attack: Setup, bad: str) -> None:
    base = attack.root.parent
    before = snapshot(base)
    for op in operations(attack.ws, bad):
        with pytest.raises(PathRejected):
            await op()
    assert snapshot(base) == before
    assert attack.sentinel.read_text() == "do not touch"
    assert (attack.root / "src" / "keep.txt").read_text() == "keep"
    assert (attack.root / ".git" / "config").read_text() == "[core]\n"
    assert attack.events == []


async def test_sentinel_reachable_only_by_escape(attack: Setup) -> None:
    # The attacks above fail because of the rules, not because the target is missing.
    assert (attack.root / "escape" / "sentinel.txt").read_text() == "do not touch"
