"""Root git never runs what the workspace (written by the sandbox) configures.

The platform runs git as root on a work tree that project code controls. These tests set
the traps a sandbox could set — a nested repository whose config defines a clean filter,
a textconv driver and an fsmonitor; a gitlink checked out from an old version or pulled
from GitHub; a ``.gitignore`` symlink; a ``git`` earlier on ``PATH``; a directory swapped
for a symlink to a host directory while git reads the work tree — and check that nothing
ran (no marker file), that no gitlink (mode ``160000``) is ever committed and that no host
file reaches a version. The same traps through a real bubblewrap sandbox and the HTTP API
are in ``tests/versions/test_sandbox_traps.py``.
"""

from __future__ import annotations

import os
import shutil
import stat
import threading
import time
from pathlib import Path

import anyio
import anyio.to_thread
import pytest

from appwright.versions import service
from appwright.versions.git import remote
from appwright.versions.git.errors import GitCommandError, RemoteRejected
from appwright.versions.git.repo import ProjectRepo
from appwright.versions.git.runner import SYSTEM_PATH, jail_available, touches_worktree

from .conftest import git

pytestmark = pytest.mark.anyio

CAN_JAIL = os.geteuid() == 0 and shutil.which("bwrap", path=SYSTEM_PATH) is not None


def plant_nested_repo(worktree: Path, markers: Path, name: str = "sub") -> Path:
    """What a sandbox can do: a nested repository whose config runs programs.

    Its file ``f`` has a clean/smudge filter and a textconv driver, and the repository an
    fsmonitor hook; each writes ``id -u`` to a marker file in ``markers``. The filter is
    configured after the repository's own commit, so only someone else's git can run it.
    """
    nested = worktree / name
    git(worktree, "init", "-q", name)
    (nested / ".gitattributes").write_text("f filter=x diff=x\n")
    (nested / "f").write_text("hello\n")
    git(nested, "add", "-A")
    git(nested, "commit", "-q", "-m", "nested")
    git(nested, "config", "filter.x.clean", f"id -u >> {markers}/filter.log; cat")
    git(nested, "config", "filter.x.smudge", f"id -u >> {markers}/filter.log; cat")
    git(nested, "config", "diff.x.textconv", f"id -u >> {markers}/textconv.log; cat")
    git(nested, "config", "core.fsmonitor", f"id -u >> {markers}/fsmonitor.log; false")
    os.utime(nested / "f")  # dirty for git's stat check: a status in it would clean f
    return nested


def ran(markers: Path) -> dict[str, str]:
    """Which planted programs ran, and as whom (``{"filter.log": "0\\n"}``)."""
    return {p.name: p.read_text() for p in sorted(markers.glob("*.log"))}


async def tree_modes(repo: ProjectRepo, rev: str = "HEAD") -> dict[str, str]:
    listed = await repo.git.run("ls-tree", "-r", "-z", "--full-tree", rev)
    entries = [e for e in listed.text.split("\0") if e]
    return {e.split("\t", 1)[1]: e.split(" ", 1)[0] for e in entries}


async def index_modes(repo: ProjectRepo) -> dict[str, str]:
    listed = await repo.git.run("ls-files", "--stage", "-z")
    entries = [e for e in listed.text.split("\0") if e]
    return {e.split("\t", 1)[1]: e.split(" ", 1)[0] for e in entries}


@pytest.fixture
def markers(tmp_path: Path) -> Path:
    path = tmp_path / "markers"
    path.mkdir()
    path.chmod(0o777)  # the planted programs may run as anyone
    return path


async def test_nested_repository_is_never_recorded_and_its_drivers_never_run(
    repo: ProjectRepo, worktree: Path, markers: Path
) -> None:
    plant_nested_repo(worktree, markers)
    (worktree / "index.html").write_text("<h1>v1</h1>\n")

    # What "save version", the status badge and the unsaved-changes diff do.
    before = await repo.status()
    saved = await repo.commit_all(None)
    after = await repo.status()
    assert saved is not None
    unchanged = await repo.diff(saved.hash, await service.working_snapshot(repo))
    (worktree / "index.html").write_text("<h1>v2</h1>\n")
    os.utime(worktree / "sub" / "f")
    changed = await repo.diff(saved.hash, await service.working_snapshot(repo), contents=True)
    second = await repo.commit_all("second")
    await repo.revert(saved.hash)
    await repo.status()

    assert ran(markers) == {}
    assert {c.path for c in before} == {"index.html"} and after == []
    assert [f.path for f in saved.files] == ["index.html"]
    modes = await tree_modes(repo, saved.hash)
    assert "160000" not in modes.values() and "sub" not in modes
    assert "160000" not in (await index_modes(repo)).values()
    assert unchanged == [] and [f.path for f in changed] == ["index.html"]
    assert second is not None and "160000" not in (await tree_modes(repo)).values()
    # The nested repository is still there, untracked (never versioned).
    raw = await repo.git.run("status", "--porcelain", "-uall", "--ignore-submodules=all")
    assert "?? sub/" in raw.text.splitlines()
    assert (worktree / "sub" / "f").read_text() == "hello\n"


async def test_nested_repository_without_a_commit_does_not_block_saving(
    repo: ProjectRepo, worktree: Path
) -> None:
    git(worktree, "init", "-q", "empty")  # `git add -A` fails on it: "does not have a commit"
    git(worktree, "init", "-q", "also empty")
    (worktree / "app.js").write_text("x\n")
    assert {c.path for c in await repo.status()} == {"app.js"}
    saved = await repo.commit_all(None)
    assert saved is not None and [f.path for f in saved.files] == ["app.js"]
    assert set(await tree_modes(repo)) == {".gitignore", "app.js"}


async def commit_with_gitlink(repo: ProjectRepo, worktree: Path) -> str:
    """A version holding a gitlink and a ``.gitmodules``, as old histories may (plumbing)."""
    (worktree / ".gitmodules").write_text('[submodule "sub"]\n\tpath = sub\n\turl = ./sub\n')
    await repo.git.run("add", "--", ".gitmodules")
    await repo.git.run("update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},sub")
    tree = (await repo.git.run("write-tree")).text.strip()
    head = (await repo.git.run("rev-parse", "HEAD")).text.strip()
    commit = (
        await repo.git.run("commit-tree", tree, "-p", head, "-m", "old version with a gitlink")
    ).text.strip()
    await repo.git.run("update-ref", "HEAD", commit)
    return commit


async def test_gitlink_checked_out_from_an_old_version_is_inert(
    repo: ProjectRepo, worktree: Path, markers: Path
) -> None:
    first = (await repo.git.run("rev-parse", "HEAD")).text.strip()
    old = await commit_with_gitlink(repo, worktree)
    await repo.revert(first)
    await repo.revert(old)  # the index now holds the gitlink, ``sub/`` is an empty dir
    assert (await index_modes(repo)).get("sub") == "160000"
    # The sandbox fills the checked-out submodule with a repository of its own.
    (worktree / "sub").rmdir()
    plant_nested_repo(worktree, markers)

    await repo.status()
    await service.working_snapshot(repo)
    (worktree / "page.html").write_text("new\n")
    saved = await repo.commit_all(None)
    await repo.status()

    assert ran(markers) == {}
    assert saved is not None
    assert "160000" not in (await tree_modes(repo)).values()
    assert "160000" not in (await index_modes(repo)).values()


@pytest.fixture
def upstream(repo: ProjectRepo, tmp_path: Path) -> Path:
    """A clone of the project pushed to a bare "GitHub" repository."""
    bare = tmp_path / "github.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo.git.git_dir), str(bare))
    return bare


def push_upstream_change(upstream: Path, tmp_path: Path, *, gitlink: bool) -> None:
    clone = tmp_path / "someone"
    git(tmp_path, "clone", "-q", str(upstream), str(clone))
    (clone / ".gitmodules").write_text(
        '[submodule "sub"]\n\tpath = sub\n\turl = ./evil\n\tupdate = !id -u > /dev/null\n'
        "[fetch]\n\trecurseSubmodules = true\n"
    )
    git(clone, "add", ".gitmodules")
    if gitlink:
        git(clone, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},sub")
    git(clone, "commit", "-q", "-m", "add a submodule")
    git(clone, "push", "-q", "origin", "HEAD:main")


async def test_pull_of_a_tree_with_submodules_is_refused(
    repo: ProjectRepo, worktree: Path, upstream: Path, tmp_path: Path, markers: Path
) -> None:
    push_upstream_change(upstream, tmp_path, gitlink=True)
    head = (await repo.git.run("rev-parse", "HEAD")).text.strip()
    with pytest.raises(RemoteRejected, match="submodules"):
        await remote.pull(repo, str(upstream), allow_local=True)
    assert (await repo.git.run("rev-parse", "HEAD")).text.strip() == head
    assert not (worktree / "sub").exists() and not (worktree / ".gitmodules").exists()
    # Even with the sandbox's repository where the submodule would go, nothing runs.
    plant_nested_repo(worktree, markers)
    with pytest.raises(RemoteRejected):
        await remote.pull(repo, str(upstream), allow_local=True)
    await repo.status()
    assert ran(markers) == {}
    assert "160000" not in (await tree_modes(repo)).values()


async def test_pulled_gitmodules_without_gitlinks_is_an_ordinary_file(
    repo: ProjectRepo, worktree: Path, upstream: Path, tmp_path: Path, markers: Path
) -> None:
    push_upstream_change(upstream, tmp_path, gitlink=False)
    plant_nested_repo(worktree, markers)
    result = await remote.pull(repo, str(upstream), allow_local=True)
    assert result.version is not None
    assert "update = !id -u" in (worktree / ".gitmodules").read_text()
    (worktree / "x.txt").write_text("x\n")
    await repo.commit_all(None)
    await repo.status()
    assert ran(markers) == {}
    assert (await tree_modes(repo))[".gitmodules"] == "100644"
    assert "160000" not in (await tree_modes(repo)).values()


async def test_init_does_not_write_through_a_gitignore_symlink(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    target = tmp_path / "host" / "created-by-root"
    target.parent.mkdir()
    (ws / ".gitignore").symlink_to(target)
    await ProjectRepo(ws, tmp_path / "repo.git").init()
    assert not target.exists()
    assert (ws / ".gitignore").is_symlink()


async def test_git_and_its_helpers_come_from_the_system_path(
    repo: ProjectRepo, worktree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A directory the sandbox could write, first on the platform's PATH.
    planted = tmp_path / "bin"
    planted.mkdir()
    marker = tmp_path / "planted-ran"
    for name in ("git", "sh", "cat", "id"):
        script = planted / name
        script.write_text(f'#!/bin/sh\necho {name} >> {marker}\nexec /usr/bin/{name} "$@"\n')
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{planted}:{os.environ['PATH']}")
    (worktree / "a.txt").write_text("a\n")
    await repo.status()
    await repo.commit_all(None)
    assert not marker.exists()

    command = repo.git.command(["status"], worktree=True, jailed=False)
    assert command.env["PATH"] == SYSTEM_PATH and command.cwd == "/"
    assert os.path.isabs(command.argv[0])
    assert not any(a.startswith("safe.directory") for a in command.argv)
    quiet = repo.git.command(["log"], worktree=False, jailed=False)
    assert f"--work-tree={os.devnull}" in quiet.argv


def test_commands_that_touch_the_work_tree_are_recognised() -> None:
    for args in (
        ["add", "-A"],
        ["status"],
        ["diff"],
        ["diff", "HEAD"],
        ["read-tree", "-u", "-m", "a", "b"],
        ["merge", "x"],
        ["switch", "main"],
        ["reset", "--hard"],
        ["update-index", "--force-remove"],
        ["checkout", "x"],
        ["some-new-command"],
    ):
        assert touches_worktree(args), args
    for args in (
        ["log"],
        ["diff", "--cached"],
        ["read-tree", "HEAD"],
        ["-c", "pack.threads=1", "repack"],
        ["cat-file", "--batch"],
        ["fetch", "--", "url"],
    ):
        assert not touches_worktree(args), args


async def test_a_command_wrongly_run_without_the_work_tree_fails_closed(
    repo: ProjectRepo,
) -> None:
    with pytest.raises(GitCommandError, match="work tree"):
        await repo.git.run("add", "-A", worktree=False)


# --------------------------------------------------------------------------- the jail


@pytest.fixture
async def jailed() -> None:
    if not CAN_JAIL:
        pytest.skip(
            "LOUD SKIP: the work-tree jail needs root and bubblewrap; "
            "the symlink-race test did not run"
        )
    assert await jail_available(), "bubblewrap is installed but the jail probe failed"


def _opened_by_git(path: Path) -> bool:
    """Whether some process has ``path`` open (git hashing it)."""
    wanted = str(path)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == wanted:
                    return True
        except OSError:
            continue
    return False


def _swap_when_git_reads(big: Path, directory: Path, host: Path, done: threading.Event) -> bool:
    """Replace ``directory`` by a symlink to ``host`` while git hashes ``big``.

    git has listed the work tree by then (``a/big.bin`` sorts before ``z/``) and opens
    ``z/secret.txt`` once it is done with the big file: the swap lands in git's window
    between listing a path and opening it, every time.
    """
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not done.is_set():
        if _opened_by_git(big):
            directory.rename(directory.with_name("z.real"))
            directory.symlink_to(host, target_is_directory=True)
            os.lchown(directory, 160_999, 160_999)
            return True
        time.sleep(0.0005)
    return False


async def test_directory_swapped_for_a_host_symlink_never_reaches_a_version(
    jailed: None, repo: ProjectRepo, worktree: Path, tmp_path: Path
) -> None:
    host = tmp_path / "host-secrets"  # stands for /root, /etc, another project...
    host.mkdir()
    (host / "secret.txt").write_text("HOST-SECRET-6f1d\n")
    big = worktree / "a" / "big.bin"
    big.parent.mkdir()
    big.write_bytes(os.urandom(48 * 1024 * 1024))  # git takes a while to deflate it
    (worktree / "z").mkdir()
    (worktree / "z" / "secret.txt").write_text("decoy\n")

    done = threading.Event()
    swapped: list[bool] = []
    failure: GitCommandError | None = None

    async def swap() -> None:
        swapped.append(
            await anyio.to_thread.run_sync(_swap_when_git_reads, big, worktree / "z", host, done)
        )

    async with anyio.create_task_group() as group:
        group.start_soon(swap)
        try:
            await repo.commit_all("race")
        except GitCommandError as exc:
            failure = exc
        finally:
            done.set()
    assert swapped == [True], "the test never caught git reading the big file"
    # Jailed, git finds nothing behind the symlink: the save fails on that file, or
    # records it as deleted; it never reads the host's.
    assert failure is None or "secret.txt" in failure.detail

    objects = await repo.git.run("cat-file", "--batch-all-objects", "--batch")
    assert b"HOST-SECRET" not in objects.stdout
    assert stat.S_ISLNK((worktree / "z").lstat().st_mode)
