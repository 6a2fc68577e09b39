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
  directory entries), and the ownership walk (``sandbox/slots.py``) never gives a file
  with more than one link to the sandbox, wherever in the workspace the sandbox moved it.
* The workspace is the sandbox's to change at any moment, so the platform never copies
  or links *into* it: a tree is built in a platform-only staging folder next to the
  workspace (or is the spare, in the cache folder) and enters the workspace with one
  ``rename()``, which does not follow a link planted at ``node_modules`` and fails when
  anything but an empty folder is there.
* Cache and workspaces must be on one filesystem (both live in the data dir); across
  filesystems it falls back to a plain copy.
* Linking is still 25k ``link()`` calls (0.6 s quiet, 2.7 s under load for Next.js) on
  the path to the first preview, so a **spare** linked tree is kept ready next to each
  entry: a new workspace takes it with one ``rename()`` and a low-priority background
  thread links the next spare. Same tree, same ownership as ``cp -al`` would give.

When a project's dependencies diverge from the template's lock (the agent adds a
package), ``detach_dependencies`` gives the workspace its own writable copy — made inside
the sandbox, as the sandbox's uid — then the sandbox runs ``npm install`` there.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import secrets
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
from appwright.sandbox.base import Sandbox, SandboxBackend
from appwright.templates.catalogue import TEMPLATES_ROOT, Template, get_template
from appwright.workspace.scan import open_file

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
    raw = _read_regular(folder, "package.json")
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
    digest.update(b"\0" + _read_regular(folder, "package-lock.json"))
    return digest.hexdigest()[:16]


_MAX_MANIFEST_BYTES = 64 * 1024**2


def _read_regular(folder: Path, name: str) -> bytes:
    """``folder/name`` if it is a regular file (empty otherwise).

    ``folder`` may be a workspace, whose sandbox can make these names links to anything
    on the host (``/dev/zero``, a FIFO, the platform's secrets): they are opened with
    ``O_NOFOLLOW | O_NONBLOCK`` and read only when regular, up to a bound.
    """
    try:
        fd = open_file(str(folder), name)
    except OSError:
        return b""
    if fd is None:
        return b""
    with os.fdopen(fd, "rb") as file:
        data = file.read(_MAX_MANIFEST_BYTES + 1)
    # Too big to be a real manifest: never equal to a template's.
    return b"\0too-large" if len(data) > _MAX_MANIFEST_BYTES else data


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
    workspace: the spare tree, or a tree linked in a staging folder next to the workspace,
    enters it with one ``rename``. Leaves an existing ``node_modules`` alone (also one the
    sandbox makes while this runs).
    """
    template = get_template(template_id, root)
    if not template.needs_install:
        return LinkResult(mode="none", needs_install=False)
    diverged = await anyio.to_thread.run_sync(_diverged, workspace_dir, template.path)
    target = workspace_dir / "node_modules"
    present = LinkResult(mode="present", needs_install=diverged)
    if await anyio.to_thread.run_sync(os.path.lexists, target):
        return present
    entry = await prepare_cache(template_id, cache_root, root=root)
    assert entry is not None
    taken = await anyio.to_thread.run_sync(_take_spare, entry, target)
    if taken == "occupied":
        return present
    mode = "hardlink" if taken == "taken" else await _link_fresh(entry, workspace_dir)
    if mode is None:
        return present
    if mode == "hardlink":
        _refill_spare(entry)
    return LinkResult(mode=mode, needs_install=diverged)


def _diverged(workspace_dir: Path, template_dir: Path) -> bool:
    return lock_hash(workspace_dir) != lock_hash(template_dir)


_OCCUPIED = frozenset({errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR, errno.EISDIR})
"""``rename`` errors when ``node_modules`` appeared in the workspace meanwhile."""


def _place(tree: Path, target: Path) -> Literal["placed", "failed", "occupied"]:
    """Move a finished tree to ``target`` (the workspace's ``node_modules``) by one rename.

    ``target`` is inside the workspace, where the sandbox may just have created something:
    rename neither follows a link there nor merges into a folder (it replaces only an
    empty one). ``failed``: ``tree`` is missing or on another filesystem.
    """
    try:
        os.rename(tree, target)
    except OSError as exc:
        return "occupied" if exc.errno in _OCCUPIED else "failed"
    return "placed"


async def _link_fresh(entry: Path, workspace_dir: Path) -> LinkMode | None:
    """Link (or, across filesystems, copy) the entry into a staging folder next to the
    workspace — the workspaces folder is the platform's: no sandbox sees it — and move it
    in. ``None`` when the workspace got a ``node_modules`` meanwhile."""
    staging = workspace_dir.parent / f".{workspace_dir.name}.node_modules-{secrets.token_hex(6)}"
    source = str(entry / "node_modules")
    try:
        mode: LinkMode = "hardlink"
        linked = await anyio.run_process(["cp", "-al", source, str(staging)], check=False)
        if linked.returncode != 0:
            # Typically EXDEV: the cache is on another filesystem. Copy instead.
            await anyio.to_thread.run_sync(partial(shutil.rmtree, staging, ignore_errors=True))
            await anyio.run_process(["cp", "-a", source, str(staging)])
            mode = "copy"
        placed = await anyio.to_thread.run_sync(_place, staging, workspace_dir / "node_modules")
        if placed == "failed":
            raise OSError(f"cannot move the linked packages into {workspace_dir}")
        return mode if placed == "placed" else None
    finally:
        with anyio.CancelScope(shield=True):
            await anyio.to_thread.run_sync(partial(shutil.rmtree, staging, ignore_errors=True))


_refilling: set[Path] = set()
_refilling_lock = threading.Lock()


def _spare_path(entry: Path) -> Path:
    """A ready hard-linked copy of ``entry/node_modules`` for the next workspace."""
    return entry.parent / f".{entry.name}.spare"


def _take_spare(entry: Path, target: Path) -> Literal["taken", "missing", "occupied"]:
    """Move the spare tree to ``target``; ``missing`` when there is none (not made yet,
    taken by a concurrent create) or it cannot be renamed there (another filesystem),
    ``occupied`` when ``target`` exists (the spare stays for the next workspace)."""
    placed = _place(_spare_path(entry), target)
    return "taken" if placed == "placed" else "missing" if placed == "failed" else placed


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


_DETACH = (
    "set -e; [ -d node_modules ] && [ ! -L node_modules ] || exit 0; "
    "rm -rf .node_modules.detaching .node_modules.detached; "
    "cp -a node_modules .node_modules.detaching; "
    "chmod -R u+w .node_modules.detaching; "
    "mv -T node_modules .node_modules.detached; "
    "mv -T .node_modules.detaching node_modules; "
    "rm -rf .node_modules.detached"
)


async def detach_dependencies(
    backend: SandboxBackend, sandbox: Sandbox, *, timeout: float = 900
) -> None:
    """Replace the workspace's linked ``node_modules`` by its own writable copy.

    Needed before ``npm install`` runs in a workspace whose packages diverge from the
    template's: the linked files are the cache's and read-only. The copy is made inside
    the sandbox, by the sandbox's uid (the owner of every new file): the platform follows
    none of the workspace's paths, and the sandbox can read the cached files but not
    change them. Raises ``DependencyInstallFailed`` when the copy fails.
    """
    output: list[str] = []
    exit_code: int | None = None
    timed_out = False
    async for event in backend.exec(sandbox, _DETACH, timeout=timeout):
        if event.kind == "exit":
            exit_code, timed_out = event.exit_code, event.timed_out
        else:
            output.append(event.data)
    if exit_code != 0:
        why = "took too long" if timed_out else f"failed (exit {exit_code})"
        raise DependencyInstallFailed(
            f"Making the project's own copy of its packages {why}:\n{''.join(output)[-2000:]}"
        )
