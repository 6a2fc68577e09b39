"""Shared package cache: one installed ``node_modules`` per template and lock file.

Decision (measured with ``bench/gateway.py --create``): a new workspace gets a
**hard-linked copy** (``cp -al``) of the cached tree.

* It is a real directory inside the workspace, so Next.js/webpack, Turbopack and Vite all
  resolve it as the project's own (Turbopack refuses a ``node_modules`` symlink pointing
  outside the project root: "Symlink node_modules is invalid").
* No file data is copied: linking Next.js's 25k files takes ~0.6 s, Vite's ~0.2 s.
* The sandbox needs no extra mount, and the cache is never written through it: the cached
  files are read-only and owned by the platform, so a sandbox uid cannot change them in
  place (npm replaces files by unlink + create, which only touches the workspace's own
  directory entries).
* Cache and workspaces must be on one filesystem (both live in the data dir); across
  filesystems it falls back to a plain copy.
* Linking is still 25k ``link()`` calls (0.6 s quiet, 2.7 s under load for Next.js) on
  the path to the first preview, so a **spare** linked tree is kept ready next to each
  entry: a new workspace takes it with one ``rename()`` and a low-priority background
  thread links the next spare. Same tree, same ownership as ``cp -al`` would give.

When a project's dependencies diverge from the template's lock (the agent adds a
package), ``detach_dependencies`` gives the workspace its own writable copy, then the
sandbox runs ``npm install`` there.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import stat
import subprocess
import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Literal

import anyio

from appwright.core.errors import AppError
from appwright.templates.catalogue import TEMPLATES_ROOT, Template, get_template

LOCK_FILES = ("package.json", "package-lock.json")
"""Files copied into a cache entry to install it."""
_DEPENDENCY_KEYS = (
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
    "overrides",
    "allowScripts",
)

LinkMode = Literal["hardlink", "copy", "none", "present"]


class DependencyInstallFailed(AppError):
    """Installing a template's dependencies into the cache failed."""

    status_code = 502


@dataclass(frozen=True)
class LinkResult:
    """What ``link_dependencies`` did to a workspace."""

    mode: LinkMode
    """``hardlink``: linked from the cache; ``copy``: copied (cache on another filesystem);
    ``none``: the template has no dependencies; ``present``: the workspace already had them."""
    needs_install: bool
    """True when the workspace's package files differ from the cached lock: run the
    template's install command in the sandbox (after ``detach_dependencies``)."""


def lock_hash(folder: Path) -> str:
    """Short digest of what decides a project's installed packages.

    The lock file plus the dependency sections of ``package.json`` (not its scripts or
    name: editing those must not invalidate the cache). Missing files count as empty.
    """
    digest = hashlib.sha256()
    package = folder / "package.json"
    raw = package.read_bytes() if package.is_file() else b""
    try:
        manifest = json.loads(raw) if raw else {}
        relevant = (
            {k: manifest.get(k) for k in _DEPENDENCY_KEYS}
            if isinstance(manifest, dict)
            else raw.decode(errors="replace")
        )
        digest.update(json.dumps(relevant, sort_keys=True).encode())
    except ValueError:
        digest.update(raw)  # unparsable: any change counts
    lock = folder / "package-lock.json"
    digest.update(b"\0" + (lock.read_bytes() if lock.is_file() else b""))
    return digest.hexdigest()[:16]


def cache_entry(template: Template, cache_root: Path) -> Path:
    """Folder holding ``node_modules`` for the template's current lock file."""
    return cache_root / "templates" / f"{template.id}-{lock_hash(template.path)}"


async def prepare_cache(
    template_id: str, cache_root: Path, *, root: Path = TEMPLATES_ROOT
) -> Path | None:
    """Install the template's dependencies into the cache once; return the entry folder.

    Idempotent and safe under concurrent calls from tasks, threads and processes: the
    install runs under an exclusive ``flock`` and publishes the entry by an atomic rename,
    so a reader sees either no entry or a complete one. ``None`` for templates without
    dependencies.
    """
    template = get_template(template_id, root)
    if not template.needs_install:
        return None
    entry = cache_entry(template, cache_root)
    if (entry / "node_modules").is_dir():
        return entry
    entry.parent.mkdir(parents=True, exist_ok=True)
    lock_path = entry.parent / f".{entry.name}.lock"
    with lock_path.open("a") as lock_file:
        # flock blocks: wait for it in a worker thread, not on the event loop.
        await anyio.to_thread.run_sync(fcntl.flock, lock_file.fileno(), fcntl.LOCK_EX)
        try:
            if not (entry / "node_modules").is_dir():
                await _install_into(template, entry)
        finally:
            fcntl.flock(lock_file.fileno(), fcntl.LOCK_UN)
    return entry


async def _install_into(template: Template, entry: Path) -> None:
    staging = entry.with_name(f"{entry.name}.staging-{os.getpid()}")
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(staging, ignore_errors=True))
    staging.mkdir(parents=True)
    for name in (*LOCK_FILES, ".npmrc"):
        if (template.path / name).is_file():
            shutil.copy2(template.path / name, staging / name)
    assert template.install is not None
    result = await anyio.run_process(
        ["sh", "-c", template.install],
        cwd=staging,
        env=_install_env(),
        check=False,
        stderr=subprocess.STDOUT,  # one log, in order
    )
    if result.returncode != 0:
        tail = result.stdout.decode(errors="replace")[-2000:]
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(staging, ignore_errors=True))
        raise DependencyInstallFailed(
            f"Installing the {template.name} template's packages failed "
            f"(exit {result.returncode}):\n{tail}"
        )
    await anyio.to_thread.run_sync(_make_read_only, staging / "node_modules")
    staging.rename(entry)


def _install_env() -> dict[str, str]:
    # Install scripts of the template's (pinned) packages run here, outside a sandbox:
    # give them what npm needs and none of the platform's settings or secrets.
    keep = ("PATH", "HOME", "LANG", "TMPDIR", "SSL_CERT_FILE", "NODE_EXTRA_CA_CERTS")
    env = {k: v for k, v in os.environ.items() if k in keep or k.lower().startswith("npm_config_")}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    return {**env, "NEXT_TELEMETRY_DISABLED": "1", "CI": "1"}


def _make_read_only(tree: Path) -> None:
    # Files shared by hard links must never be written in place; directories keep their
    # write bit so the platform can still delete an outdated entry.
    for dirpath, _dirnames, filenames in os.walk(tree):
        for name in filenames:
            path = os.path.join(dirpath, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                os.chmod(path, stat.S_IMODE(mode) & ~0o222)


async def link_dependencies(
    template_id: str, workspace_dir: Path, cache_root: Path, *, root: Path = TEMPLATES_ROOT
) -> LinkResult:
    """Give ``workspace_dir`` the template's ``node_modules`` from the cache.

    Prepares the cache entry if needed (the cold path), then hard-links it into the
    workspace. Leaves an existing ``node_modules`` alone.
    """
    template = get_template(template_id, root)
    if not template.needs_install:
        return LinkResult(mode="none", needs_install=False)
    diverged = lock_hash(workspace_dir) != lock_hash(template.path)
    target = workspace_dir / "node_modules"
    if target.exists() or target.is_symlink():
        return LinkResult(mode="present", needs_install=diverged)
    entry = await prepare_cache(template_id, cache_root, root=root)
    assert entry is not None
    mode: LinkMode = "hardlink"
    if not await anyio.to_thread.run_sync(_take_spare, entry, target):
        linked = await anyio.run_process(
            ["cp", "-al", str(entry / "node_modules"), str(target)], check=False
        )
        if linked.returncode != 0:
            # Typically EXDEV: the cache is on another filesystem. Copy instead.
            await anyio.to_thread.run_sync(lambda: shutil.rmtree(target, ignore_errors=True))
            await anyio.run_process(["cp", "-a", str(entry / "node_modules"), str(target)])
            mode = "copy"
    if mode == "hardlink":
        _refill_spare(entry)
    return LinkResult(mode=mode, needs_install=diverged)


_refilling: set[Path] = set()
_refilling_lock = threading.Lock()


def _spare_path(entry: Path) -> Path:
    """A ready hard-linked copy of ``entry/node_modules`` for the next workspace."""
    return entry.parent / f".{entry.name}.spare"


def _take_spare(entry: Path, target: Path) -> bool:
    """Move the spare tree to ``target``; False when there is none (not made yet, taken
    by a concurrent create) or it cannot be renamed there (another filesystem)."""
    try:
        os.rename(_spare_path(entry), target)
    except OSError:
        return False
    return True


def _refill_spare(entry: Path) -> None:
    """Link the next spare in a daemon thread (one per entry at a time)."""
    with _refilling_lock:
        if entry in _refilling:
            return
        _refilling.add(entry)
    threading.Thread(
        target=_make_spare, args=(entry,), name="spare-node-modules", daemon=True
    ).start()


def _make_spare(entry: Path) -> None:
    spare = _spare_path(entry)
    staging = spare.with_name(f"{spare.name}.{os.getpid()}-{threading.get_ident()}")
    try:
        if not spare.exists():
            # Niced: it runs while a dev server is starting, which matters more.
            done = subprocess.run(
                ["nice", "-n", "10", "cp", "-al", str(entry / "node_modules"), str(staging)],
                check=False,
                capture_output=True,
            )
            if done.returncode == 0:
                os.rename(staging, spare)  # atomic; fails if another process made one
    except OSError:
        pass
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        with _refilling_lock:
            _refilling.discard(entry)


async def detach_dependencies(workspace_dir: Path, owner: tuple[int, int] | None = None) -> None:
    """Replace the workspace's linked ``node_modules`` by its own writable copy.

    Needed before ``npm install`` runs in a workspace whose packages diverge from the
    template's: the linked files are the cache's and read-only. ``owner`` (uid, gid) is
    the sandbox user that will run the install.
    """
    target = workspace_dir / "node_modules"
    if not target.is_dir() or target.is_symlink():
        return
    fresh = workspace_dir / ".node_modules.detaching"
    old = workspace_dir / ".node_modules.detached"
    for leftover in (fresh, old):
        await anyio.to_thread.run_sync(partial(shutil.rmtree, leftover, ignore_errors=True))
    await anyio.run_process(["cp", "-a", str(target), str(fresh)])
    await anyio.to_thread.run_sync(_make_writable, fresh, owner)
    target.rename(old)
    fresh.rename(target)
    await anyio.to_thread.run_sync(lambda: shutil.rmtree(old, ignore_errors=True))


def _make_writable(tree: Path, owner: tuple[int, int] | None) -> None:
    for dirpath, dirnames, filenames in os.walk(tree):
        for name in [".", *dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            if owner is not None:
                os.lchown(path, *owner)
            if not stat.S_ISLNK(st.st_mode):
                os.chmod(path, stat.S_IMODE(st.st_mode) | 0o200)
