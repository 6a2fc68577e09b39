"""The shared package cache, with a tiny fake template (no network)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import anyio
import pytest

from appwright.templates import detach_dependencies, link_dependencies, prepare_cache
from appwright.templates.catalogue import _catalogue

pytestmark = pytest.mark.anyio


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "templates"
    folder = root / "tiny"
    folder.mkdir(parents=True)
    counter = tmp_path / "installs.log"
    manifest = {
        "id": "tiny",
        "name": "Tiny",
        "description": "test",
        "stack": ["js"],
        "install": (
            f"echo run >> {counter} && sleep 0.2 && mkdir -p node_modules/dep "
            "&& echo 'module.exports = 1' > node_modules/dep/index.js"
        ),
        "dev": "node index.js --port {port}",
        "build": None,
        "start": None,
        "port": {"env": "PORT"},
    }
    (folder / "template.json").write_text(json.dumps(manifest))
    (folder / "AI_RULES.md").write_text("rules")
    (folder / "package.json").write_text('{"name": "tiny"}')
    (folder / "package-lock.json").write_text('{"lockfileVersion": 3}')
    _catalogue.cache_clear()
    return root


async def test_prepare_once_under_concurrency(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    results: list[Path | None] = []

    async def prepare() -> None:
        results.append(await prepare_cache("tiny", cache, root=root))

    async with anyio.create_task_group() as tg:
        for _ in range(4):
            tg.start_soon(prepare)
    assert len(set(results)) == 1
    assert (tmp_path / "installs.log").read_text() == "run\n"
    entry = results[0]
    assert entry is not None
    cached = entry / "node_modules" / "dep" / "index.js"
    assert not os.access(cached, os.W_OK) or os.geteuid() == 0
    assert cached.stat().st_mode & 0o222 == 0  # read-only: shared by hard links


async def test_link_hardlinks_and_detach_makes_private(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    ws = tmp_path / "ws"
    ws.mkdir()
    for name in ("package.json", "package-lock.json"):
        (ws / name).write_bytes((root / "tiny" / name).read_bytes())
    result = await link_dependencies("tiny", ws, cache, root=root)
    assert (result.mode, result.needs_install) == ("hardlink", False)
    linked = ws / "node_modules" / "dep" / "index.js"
    entry = await prepare_cache("tiny", cache, root=root)
    assert entry is not None
    assert linked.stat().st_ino == (entry / "node_modules/dep/index.js").stat().st_ino

    (ws / "package.json").write_text('{"name": "tiny", "dependencies": {"x": "1.0.0"}}')
    again = await link_dependencies("tiny", ws, cache, root=root)
    assert (again.mode, again.needs_install) == ("present", True)
    await detach_dependencies(ws)
    assert linked.stat().st_ino != (entry / "node_modules/dep/index.js").stat().st_ino
    linked.write_text("changed")  # the workspace's own copy now
    assert (entry / "node_modules/dep/index.js").read_text() == "module.exports = 1\n"
