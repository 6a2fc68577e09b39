"""What the platform (root) does in sandbox-controlled folders while the sandbox runs.

Real sandboxes: the sandbox moves shared cache files around, swaps folders for links to
the host while the ownership walk runs, plants a link at its home's ``tmp``; the platform
must never give it a cache inode or change a host file.
"""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path

import pytest

from appwright.sandbox.local import LocalSandboxBackend
from appwright.sandbox.slots import MAX_DEPTH, adopt_workspace
from appwright.templates import detach_dependencies, link_dependencies, prepare_cache
from appwright.templates.catalogue import _catalogue
from tests.sandbox.swapper import swapping

from .conftest import run

pytestmark = [pytest.mark.anyio, pytest.mark.sandbox]

CACHED = "module.exports = 1\n"


@pytest.fixture
async def isolated(backend: LocalSandboxBackend) -> LocalSandboxBackend:
    if backend.isolation != "bubblewrap":
        pytest.skip(
            "LOUD SKIP: needs root and bubblewrap — what the platform does in "
            "sandbox-controlled folders (ownership walk, cache links) is NOT tested here"
        )
    return backend


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A templates root with one template whose "install" makes ``node_modules/dep``."""
    root = tmp_path / "templates"
    folder = root / "tiny"
    folder.mkdir(parents=True)
    manifest = {
        "id": "tiny",
        "name": "Tiny",
        "description": "test",
        "stack": ["js"],
        "install": (
            "mkdir -p node_modules/dep && echo 'module.exports = 1' > node_modules/dep/index.js"
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


async def _linked(tiny: Path, data_dir: Path, *projects: str) -> Path:
    """Link the tiny template's packages into the projects' workspaces; the cache entry."""
    cache = data_dir / "cache"
    for project in projects:
        ws = data_dir / "workspaces" / project
        for name in ("package.json", "package-lock.json"):
            (ws / name).write_bytes((tiny / "tiny" / name).read_bytes())
        result = await link_dependencies("tiny", ws, cache, root=tiny)
        assert result.mode == "hardlink"
    entry = await prepare_cache("tiny", cache, root=tiny)
    assert entry is not None
    return entry


def _host_folder(path: Path, files: int) -> dict[str, tuple[int, int, int]]:
    """A host folder of root-only files (and a sub-folder); owner, group and mode of each."""
    (path / "sub").mkdir(parents=True)
    for i in range(files):
        (path / f"host-secret-{i}.txt").write_text("HOST-SECRET")
        (path / "sub" / f"host-secret-{i}.txt").write_text("HOST-SECRET")
    return _owners(path)


def _owners(path: Path) -> dict[str, tuple[int, int, int]]:
    found = {".": _owner(path)}
    for dirpath, dirnames, filenames in os.walk(path):
        for name in [*dirnames, *filenames]:
            full = Path(dirpath, name)
            found[str(full.relative_to(path))] = _owner(full)
    return found


def _owner(path: Path) -> tuple[int, int, int]:
    st = path.lstat()
    return st.st_uid, st.st_gid, st.st_mode


async def test_a_moved_cache_file_is_never_given_to_the_sandbox(
    isolated: LocalSandboxBackend, data_dir: Path, tiny: Path
) -> None:
    entry = await _linked(tiny, data_dir, "p1", "p2")
    cached = entry / "node_modules" / "dep" / "index.js"
    other = data_dir / "workspaces" / "p2" / "node_modules" / "dep" / "index.js"
    assert other.stat().st_ino == cached.stat().st_ino
    sb = await isolated.create("p1")
    # node_modules' folders are the sandbox's: it may move the shared file out of it...
    out, err, _ = await run(
        isolated, sb, "mkdir -p src && mv node_modules/dep/index.js src/stolen.js && echo moved"
    )
    assert "moved" in out, err
    # ...but the ownership walk before the next command must not give it that inode.
    out, _, _ = await run(
        isolated,
        sb,
        "chmod u+w src/stolen.js 2>&1; (echo poisoned >> src/stolen.js) 2>/dev/null "
        "&& echo written || echo refused; stat -c %u src/stolen.js",
    )
    assert "refused" in out and "written" not in out, out
    assert cached.read_text() == CACHED and other.read_text() == CACHED
    st = cached.stat()
    assert (st.st_uid, st.st_mode & 0o222) == (0, 0), "the cache file changed owner or mode"
    # npm's way still works: replace the file by a new one (the workspace's own).
    out, _, _ = await run(
        isolated, sb, "rm -f src/stolen.js && echo mine > src/stolen.js && cat src/stolen.js"
    )
    assert out == "mine\n"
    assert cached.read_text() == CACHED


async def test_the_ownership_walk_never_follows_a_swapped_folder(
    isolated: LocalSandboxBackend, data_dir: Path, tmp_path: Path
) -> None:
    host = tmp_path / "host"
    before = _host_folder(host, 100)
    ws = data_dir / "workspaces" / "p1"
    names = [f"d{i}" for i in range(8)]
    for name in names:
        (ws / name).mkdir()
        (ws / name / "keep.txt").write_text("project file")
    sb = await isolated.create("p1")
    assert sb.uid is not None
    failures: list[str] = []
    async with swapping(isolated, sb, host, names):
        for _ in range(50):  # every command runs the walk first
            try:
                _out, err, ev = await run(isolated, sb, "true")
            except Exception as exc:  # the walk itself failed: reported below
                failures.append(repr(exc))
            else:
                if ev.exit_code != 0:
                    failures.append(err)
    after = _owners(host)
    changed = [name for name, owner in after.items() if before.get(name) != owner]
    assert changed == [], f"{len(changed)} of {len(before)} host entries changed owner or mode"
    assert failures == []
    # The walk still adopts what the platform wrote (a folder of the project, wherever the
    # swapper left it).
    (ws / "written-by-the-platform.txt").write_text("x")
    await run(isolated, sb, "true")
    assert (ws / "written-by-the-platform.txt").stat().st_uid == sb.uid


async def test_a_link_at_the_home_tmp_is_not_followed(
    isolated: LocalSandboxBackend, data_dir: Path, tmp_path: Path
) -> None:
    host = tmp_path / "host-dir"
    before = _host_folder(host, 2)
    sb = await isolated.create("p1")
    out, _, _ = await run(
        isolated, sb, f'rm -rf "$HOME/tmp" && ln -s {host} "$HOME/tmp" && echo ok'
    )
    assert out == "ok\n"
    await isolated.destroy(sb)
    again = await isolated.create("p1")  # prepares the home again
    assert _owners(host) == before
    out, _, ev = await run(isolated, again, "echo alive")
    assert (out, ev.exit_code) == ("alive\n", 0)


async def test_the_walk_skips_shared_special_and_too_deep_entries(
    isolated: LocalSandboxBackend, data_dir: Path
) -> None:
    # Direct calls: what the walk changes, entry kind by entry kind.
    ws = data_dir / "workspaces" / "p1"
    uid = 123_456
    (ws / "plain.txt").write_text("x")
    (ws / "shared.txt").write_text("x")
    os.link(ws / "shared.txt", data_dir / "shared-elsewhere.txt")
    os.mkfifo(ws / "fifo")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(ws / "sock"))
    os.symlink("/etc", ws / "link")
    deep = ws
    for i in range(MAX_DEPTH + 2):
        deep = deep / f"l{i}"
    deep.mkdir(parents=True)
    (ws / ".git").mkdir()
    (ws / ".git" / "HEAD").write_text("x")
    adopt_workspace(ws, uid, range(uid, uid + 1))
    assert (ws / "plain.txt").stat().st_uid == uid
    assert (ws / "l0").stat().st_uid == uid
    for name in ("shared.txt", "fifo", "sock", "link", ".git", ".git/HEAD"):
        assert (ws / name).lstat().st_uid == 0, name
    assert deep.stat().st_uid == 0  # below MAX_DEPTH: left alone
    root = ws.stat()
    assert (root.st_uid, root.st_gid, root.st_mode & 0o070) == (0, uid, 0o070)
    assert stat.S_ISLNK((ws / "link").lstat().st_mode)
    assert Path("/etc").stat().st_uid == 0


async def test_detach_makes_the_projects_own_copy_inside_the_sandbox(
    backend: LocalSandboxBackend, data_dir: Path, tiny: Path
) -> None:
    entry = await _linked(tiny, data_dir, "p1")
    cached = entry / "node_modules" / "dep" / "index.js"
    ws = data_dir / "workspaces" / "p1"
    sb = await backend.create("p1")
    await detach_dependencies(backend, sb)
    own = ws / "node_modules" / "dep" / "index.js"
    assert own.stat().st_ino != cached.stat().st_ino
    if sb.uid is not None:
        assert own.stat().st_uid == sb.uid  # made by the sandbox itself
    out, _, _ = await run(
        backend, sb, "echo changed > node_modules/dep/index.js && cat node_modules/dep/index.js"
    )
    assert out == "changed\n"
    assert cached.read_text() == CACHED
    assert sorted(p.name for p in ws.iterdir() if p.name.startswith(".node_modules")) == []
    await detach_dependencies(backend, sb)  # again: its own copy is copied again, still fine
    assert own.read_text() == "changed\n"
