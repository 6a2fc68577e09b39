"""The shared package cache, with a tiny fake template (no network)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import anyio
import pytest

from appwright.templates import cache as cache_module
from appwright.templates import link_dependencies, lock_hash, prepare_cache
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


async def test_link_hardlinks_and_reports_divergence(root: Path, tmp_path: Path) -> None:
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
    # detach_dependencies copies inside the sandbox: tests/sandbox/test_platform_file_ops.py


async def test_link_never_writes_through_a_link_planted_meanwhile(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The sandbox may create node_modules (here: a link to a host folder) between the
    # platform's check and its linking, with or without a spare tree ready.
    cache = tmp_path / "cache"
    host = tmp_path / "host"
    host.mkdir()
    prepare = cache_module.prepare_cache
    planted: list[Path] = []

    async def prepare_then_plant(*args: Any, **kwargs: Any) -> Path | None:
        entry = await prepare(*args, **kwargs)
        if planted:
            planted[-1].symlink_to(host, target_is_directory=True)
        return entry

    monkeypatch.setattr(cache_module, "prepare_cache", prepare_then_plant)
    workspaces = tmp_path / "workspaces"
    (workspaces / "plain").mkdir(parents=True)
    plain = await link_dependencies("tiny", workspaces / "plain", cache, root=root)
    assert plain.mode == "hardlink"
    spare = await _spare_ready(cache)
    for name in ("with-spare", "without-spare"):
        if name == "without-spare":
            shutil.rmtree(spare)
        ws = workspaces / name
        ws.mkdir()
        planted.append(ws / "node_modules")
        result = await link_dependencies("tiny", ws, cache, root=root)
        assert result.mode == "present"
        assert list(host.iterdir()) == []
        assert (ws / "node_modules").is_symlink()
        if name == "with-spare":
            assert spare.is_dir()  # kept for the next workspace
    assert [p.name for p in workspaces.iterdir() if p.name.startswith(".")] == []


async def test_link_takes_the_spare_in_one_rename(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for name in ("a", "b"):
        ws = tmp_path / "workspaces" / name
        ws.mkdir(parents=True)
        if name == "b":
            await _spare_ready(cache)
        result = await link_dependencies("tiny", ws, cache, root=root)
        assert result.mode == "hardlink"
        assert (ws / "node_modules" / "dep" / "index.js").read_text() == "module.exports = 1\n"
    leftovers = [p.name for p in (tmp_path / "workspaces").iterdir() if p.name.startswith(".")]
    assert leftovers == []


async def test_lock_hash_never_reads_through_links_or_special_files(
    root: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    empty = lock_hash(ws)
    os.mkfifo(ws / "package.json")  # reading it would block the platform
    secret = tmp_path / "platform-secret"
    secret.write_text('{"lockfileVersion": 3}')
    (ws / "package-lock.json").symlink_to(secret)  # a host file: never read through a link
    assert lock_hash(ws) == empty


async def _spare_ready(cache: Path) -> Path:
    with anyio.fail_after(10):
        while not (spares := list((cache / "templates").glob(".*.spare"))):
            await anyio.sleep(0.02)
    return spares[0]
