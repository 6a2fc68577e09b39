"""Running the git CLI safely from async code.

Project code running in the sandbox can write every file of the workspace, so the
workspace's content is untrusted, and git runs as root. The repository's own directory
(``git_dir``) lives outside the workspace (``data/repos/{id}.git``, root-owned), and every
command is built so that nothing the sandbox writes can make root git run a program,
read a host file or write one:

* **No configuration of the project's.** The environment is fixed and complete
  (``PATH`` a system path, no system or global config, no system attributes, ``cwd`` is
  ``/``), and ``-c`` overrides (:data:`_HARDENING`) neutralise what a config could make
  git execute: hooks, fsmonitor, pager, editor, credential helpers, and every kind of
  submodule recursion. git never reads a config file the sandbox can write: the only
  repository config is ``git_dir/config``. A *nested* repository in the workspace has its
  own config (filters, diff drivers, fsmonitor...) that git would honour if it ran inside
  it: git does that only for gitlinks (mode ``160000`` index entries) — status and diff
  check whether a submodule is dirty by running ``git status`` in it, and ``git add -A``
  does so for gitlinks already in the index whatever the options. ``ProjectRepo`` keeps
  the index free of gitlinks (``repo.add_all_locked``), commands that compare the work
  tree pass ``--ignore-submodules=all``, fetch and push never recurse, and a pull whose
  tree contains gitlinks is refused (``remote.py``).
* **No work tree where none is needed.** Commands that only read or write the object
  store, refs and index (log, cat-file, commit-tree, update-ref...) get
  ``--work-tree=/dev/null``: a command wrongly thought not to need the work tree fails
  ("must be run in a work tree") rather than reading the workspace outside the jail.
* **The work tree in a jail.** The sandbox can swap a directory of the workspace for a
  symlink while root git reads or writes below it (git checks leading symlinks, then
  opens: a race), so that ``git add`` would store ``/etc/shadow`` or a checkout write
  into ``/root``. When running as root with bubblewrap, commands that touch the work
  tree run in a private mount namespace (:func:`jail_prefix`) holding only ``/usr``
  read-only, ``/dev/null`` and ``/dev/urandom``, the work tree at its own path and the git
  directory at a random path: a symlink to a host path leads nowhere, and the git
  directory cannot be named by one. Capabilities are reduced to ``CAP_DAC_OVERRIDE``
  and ``CAP_FOWNER`` (root must read and write the sandbox's files).

  Cost, measured (``bench/versions.py``, and old/new code interleaved on one repository):
  bubblewrap adds 3-5 ms to a command on an idle machine (up to ~13 ms when both cores
  are saturated); a revert runs two jailed commands (``add -A``, ``read-tree -u``) among
  ten, and one fewer git process than before (``revert`` reads HEAD, both trees and the
  subject in one ``log``), so ``revert_500`` stays within noise of the unjailed figures
  (p50 127-141 ms vs 146-149 ms before, same machine and hour); a save or a status costs
  one jailed command, +5-8 % at moderate load. Status stays jailed although it stores no
  content: through the race its untracked listing would show a host directory's names.
  Commands that do not touch the work tree (log, show, cat-file, commit-tree, update-ref,
  fetch, push...) are not jailed: they open nothing the sandbox can write.

Commands touching one repository are serialised by an ``asyncio.Lock`` per git dir
(index.lock would make concurrent ones fail); callers compose several commands under
:meth:`Git.locked`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import weakref
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from appwright.versions.git.errors import GitCommandError, GitTimeout
from appwright.versions.git.types import GitIdentity

log = logging.getLogger("appwright.versions")

SYSTEM_PATH = "/usr/sbin:/usr/bin:/sbin:/bin"
"""``PATH`` of every git process, and where git and bubblewrap are looked up: root-owned
system directories only, never the platform's inherited ``PATH``."""

DEFAULT_TIMEOUT = 60.0

NO_WORKTREE = os.devnull
"""``--work-tree`` of commands that must not touch the work tree (git fails if they try)."""

JAIL_GIT_DIR = "/.appwright-git-"
"""Prefix of the git directory's random mount point inside the jail."""

JAIL_CAPABILITIES = ("CAP_DAC_OVERRIDE", "CAP_FOWNER")
"""What root keeps in the jail: read and write the sandbox-owned files of the work tree."""

jail_enabled: bool | None = None
"""``None``: jail work-tree commands when running as root with a working bubblewrap;
``False``: never (tests and benchmarks compare); ``True``: always (fails without bwrap)."""

PLATFORM_IDENTITY = GitIdentity("Appwright", "appwright@localhost")
"""The committer of every version; the author varies with who made the change."""

_HARDENING: tuple[str, ...] = (
    "core.hooksPath=/dev/null",
    "core.fsmonitor=false",
    "core.pager=cat",
    "core.editor=true",
    "core.quotepath=false",
    "core.autocrlf=false",
    "core.safecrlf=false",
    "core.symlinks=true",
    "core.untrackedCache=true",
    # No attributes or ignore rules from outside the repository (the defaults are under
    # $HOME); the index stays one file (``repo.py`` scans it for gitlinks).
    "core.attributesFile=/dev/null",
    "core.excludesFile=/dev/null",
    "core.splitIndex=false",
    # Never run git in a nested repository (whose config the sandbox writes).
    "submodule.recurse=false",
    "diff.ignoreSubmodules=all",
    "status.submoduleSummary=false",
    "fetch.recurseSubmodules=false",
    "push.recurseSubmodules=no",
    "log.mailmap=false",
    "credential.helper=",
    "commit.gpgsign=false",
    "tag.gpgsign=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "advice.detachedHead=false",
    "advice.addEmbeddedRepo=false",
    "init.defaultBranch=main",
    "merge.conflictStyle=merge",
    "diff.renames=true",
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.http.allow=always",
    "protocol.file.allow=always",
    "http.lowSpeedLimit=1000",
    "http.lowSpeedTime=30",
)
# No ``safe.directory``: git checks ownership only when it discovers a repository, never
# for ours (always given as --git-dir); ``*`` would declare the sandbox's repositories safe.

_NO_WORKTREE_COMMANDS = frozenset(
    {
        "branch",
        "cat-file",
        "check-ref-format",
        "commit-graph",
        "commit-tree",
        "count-objects",
        "fetch",
        "for-each-ref",
        "log",
        "ls-files",
        "ls-tree",
        "merge-base",
        "push",
        "repack",
        "rev-list",
        "rev-parse",
        "show-ref",
        "update-ref",
        "write-tree",
    }
)
"""Subcommands that read and write only the git directory (objects, refs, index)."""

_URL_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
_AUTH_HEADER = re.compile(r"(?i)(authorization:\s*)[^\r\n]+")


def redact(text: str) -> str:
    """Remove credentials (URL userinfo, Authorization headers) from a message."""
    return _AUTH_HEADER.sub(r"\1***", _URL_USERINFO.sub("***@", text))


@functools.cache
def host_program(name: str) -> str | None:
    """Absolute path of ``name`` on :data:`SYSTEM_PATH`, or None."""
    return shutil.which(name, path=SYSTEM_PATH)


def git_binary() -> str:
    """Absolute path of git (``GitCommandError`` when it is not installed)."""
    path = host_program("git")
    if path is None:
        raise GitCommandError(["--version"], 127, f"git is not installed in {SYSTEM_PATH}")
    return path


def touches_worktree(args: Sequence[str]) -> bool:
    """Whether ``git <args>`` may read or write the work tree (unknown commands: yes)."""
    i = 0
    while i < len(args) and args[i] == "-c":
        i += 2
    if i >= len(args):
        return True
    command, rest = args[i], args[i + 1 :]
    if command in _NO_WORKTREE_COMMANDS:
        return False
    if command == "diff":
        return "--cached" not in rest and "--staged" not in rest
    if command == "read-tree":
        return "-u" in rest
    return True


@functools.cache
def _system_mounts() -> tuple[str, ...]:
    """bwrap arguments giving the jail the host's programs and libraries, read-only."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = f"/{name}"
        if os.path.islink(path):
            args += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            args += ["--ro-bind", path, path]
    # git reads /dev/urandom for temporary file names; hooks & co. point at /dev/null.
    for device in (os.devnull, "/dev/urandom"):
        args += ["--dev-bind", device, device]
    return tuple(args)


def jail_prefix(bwrap: str, worktree: Path, git_dir: Path, jail_git_dir: str) -> list[str]:
    """The bwrap command line before git's: work tree at its path, git dir at a random one."""
    argv = [bwrap, "--die-with-parent", "--cap-drop", "ALL"]
    for cap in JAIL_CAPABILITIES:
        argv += ["--cap-add", cap]
    argv += _system_mounts()
    argv += ["--bind", str(worktree), str(worktree), "--bind", str(git_dir), jail_git_dir]
    return [*argv, "--chdir", jail_git_dir, "--"]


_jail_probe: bool | None = None


async def jail_available() -> bool:
    """Whether work-tree commands run jailed (see :data:`jail_enabled`).

    Probed once per process: root, bubblewrap installed, and a jailed ``git --version``
    that works (a container without the right to create namespaces says no; versions then
    run unjailed, with a warning).
    """
    global _jail_probe
    if jail_enabled is not None:
        return jail_enabled
    if _jail_probe is None:
        _jail_probe = await _probe_jail()
    return _jail_probe


async def _probe_jail() -> bool:
    bwrap, git = host_program("bwrap"), host_program("git")
    if os.geteuid() != 0 or bwrap is None or git is None:
        if os.geteuid() == 0:
            log.warning("versions.git_unjailed reason=%s", "bubblewrap not installed")
        return False
    failure = await asyncio.to_thread(_jailed_git_fails, bwrap, git)
    if failure:
        log.warning("versions.git_unjailed reason=%s", failure[:300])
        return False
    return True


def _jailed_git_fails(bwrap: str, git: str) -> str | None:
    """Run ``git --version`` in a jail around two empty directories; its error, if any."""
    with tempfile.TemporaryDirectory(prefix="appwright-jail-probe-") as tmp:
        work, repo = Path(tmp, "work"), Path(tmp, "repo")
        work.mkdir()
        repo.mkdir()
        argv = [*jail_prefix(bwrap, work, repo, JAIL_GIT_DIR + "probe"), git, "--version"]
        try:
            subprocess.run(
                argv,
                cwd="/",
                env={"PATH": SYSTEM_PATH, "LC_ALL": "C"},
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                check=True,
                timeout=30,
            )
        except subprocess.CalledProcessError as exc:
            return (exc.stderr or b"").decode("utf-8", "replace").strip() or str(exc)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return str(exc)
    return None


@dataclass(frozen=True, slots=True)
class GitResult:
    """Output of a finished git command."""

    returncode: int
    stdout: bytes
    stderr: str

    @property
    def text(self) -> str:
        """stdout decoded as UTF-8 (undecodable bytes replaced)."""
        return self.stdout.decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class Command:
    """How one git command is started: argv, complete environment and cwd."""

    argv: list[str]
    env: dict[str, str]
    cwd: str
    jailed: bool


_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()


def _lock_for(key: str) -> asyncio.Lock:
    lock = _locks.get(key)
    if lock is None:
        lock = asyncio.Lock()
        _locks[key] = lock
    return lock


class Git:
    """A git CLI bound to one work tree and git directory."""

    def __init__(
        self, worktree: str | os.PathLike[str], git_dir: str | os.PathLike[str] | None = None
    ) -> None:
        self.worktree = Path(os.path.realpath(worktree))
        self.git_dir = Path(os.path.realpath(git_dir)) if git_dir else self.worktree / ".git"
        self._lock = _lock_for(str(self.git_dir))

    def locked(self) -> AbstractAsyncContextManager[None]:
        """Hold the repository's lock across several commands."""
        return self._lock

    def _env(
        self, git_dir: str, author: GitIdentity | None, extra: Mapping[str, str] | None
    ) -> dict[str, str]:
        committer = PLATFORM_IDENTITY
        author = author or committer
        env = {
            "PATH": SYSTEM_PATH,
            "HOME": git_dir,
            "LC_ALL": "C",
            "LANG": "C",
            "TZ": "UTC",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
            "GIT_ATTR_NOSYSTEM": "1",
            "GIT_NO_REPLACE_OBJECTS": "1",
            "GIT_TERMINAL_PROMPT": "0",
            "GIT_ASKPASS": "true",
            "SSH_ASKPASS": "true",
            "GIT_AUTHOR_NAME": author.name,
            "GIT_AUTHOR_EMAIL": author.email,
            "GIT_COMMITTER_NAME": committer.name,
            "GIT_COMMITTER_EMAIL": committer.email,
        }
        if extra:
            env.update(extra)
        return env

    def command(
        self,
        args: Sequence[str],
        *,
        worktree: bool,
        jailed: bool,
        author: GitIdentity | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Command:
        """The complete command for ``git <args>`` (see the module docstring)."""
        git_dir = str(self.git_dir)
        prefix: list[str] = []
        cwd = "/"
        work_tree = str(self.worktree) if worktree else NO_WORKTREE
        if args and args[0] == "init":
            # init records the work tree in the config (core.worktree) and reads no file.
            work_tree, jailed = str(self.worktree), False
        if jailed:
            bwrap = host_program("bwrap")
            if bwrap is None:
                raise GitCommandError(list(args), 127, "bubblewrap is not installed")
            inner = JAIL_GIT_DIR + secrets.token_hex(8)
            prefix = jail_prefix(bwrap, self.worktree, self.git_dir, inner)
            env = {k: _jail_path(v, git_dir, inner) for k, v in (env or {}).items()}
            git_dir = inner
        argv = [*prefix, git_binary(), f"--git-dir={git_dir}", f"--work-tree={work_tree}"]
        for option in _HARDENING:
            argv += ["-c", option]
        return Command([*argv, *args], self._env(git_dir, author, env), cwd, jailed)

    async def run(
        self,
        *args: str,
        input: bytes | None = None,
        ok: Sequence[int] = (0,),
        author: GitIdentity | None = None,
        env: Mapping[str, str] | None = None,
        time_limit: float = DEFAULT_TIMEOUT,
        worktree: bool | None = None,
    ) -> GitResult:
        """Run ``git <args>``; a return code outside ``ok`` raises ``GitCommandError``.

        ``env`` adds variables, e.g. ``GIT_CONFIG_COUNT``/``KEY``/``VALUE`` to pass an auth
        header without it appearing on the command line (visible in ``ps``) or in config;
        a path under the git dir (``GIT_INDEX_FILE``) is translated for the jail.
        ``worktree`` says whether the command uses the work tree (default: guessed from
        the subcommand by :func:`touches_worktree`); those run jailed when available.
        """
        uses_worktree = touches_worktree(args) if worktree is None else worktree
        jailed = uses_worktree and await jail_available()
        command = self.command(args, worktree=uses_worktree, jailed=jailed, author=author, env=env)
        process = await asyncio.create_subprocess_exec(
            *command.argv,
            cwd=command.cwd,
            env=command.env,
            stdin=asyncio.subprocess.PIPE if input is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            stdout, stderr = await asyncio.wait_for(process.communicate(input), time_limit)
        except TimeoutError:
            process.kill()
            await process.wait()
            raise GitTimeout(f"git {args[0]} took longer than {time_limit:.0f} s") from None
        except BaseException:
            # Cancelled (client went away): do not leave git running on its own.
            if process.returncode is None:
                process.kill()
                await process.wait()
            raise
        assert process.returncode is not None
        result = GitResult(process.returncode, stdout, redact(stderr.decode("utf-8", "replace")))
        if result.returncode not in ok:
            raise GitCommandError(
                [redact(a) for a in args], result.returncode, result.stderr or redact(result.text)
            )
        return result


def _jail_path(value: str, git_dir: str, inner: str) -> str:
    if value == git_dir or value.startswith(git_dir + "/"):
        return inner + value[len(git_dir) :]
    return value
