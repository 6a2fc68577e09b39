"""Running the git CLI safely from async code.

Every command gets a fixed, minimal environment (no global or system git config, no
terminal prompts, the identity passed per command) and ``-c`` overrides that neutralise
anything a repository's own config could make git execute on this host: hooks, fsmonitor,
pagers, credential helpers. Project code running in the sandbox can write the workspace,
so the repository's content is untrusted; keeping the git directory outside the
workspace (the ``git_dir`` argument) is the recommended layout, and these overrides are
the second line.

Commands touching one repository are serialised by an ``asyncio.Lock`` per git dir
(index.lock would make concurrent ones fail); callers compose several commands under
:meth:`Git.locked`.
"""

from __future__ import annotations

import asyncio
import os
import re
import weakref
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from appwright.versions.errors import GitCommandError, GitTimeout
from appwright.versions.models import GitIdentity

GIT_BINARY = "git"
DEFAULT_TIMEOUT = 60.0

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
    "credential.helper=",
    "commit.gpgsign=false",
    "tag.gpgsign=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "advice.detachedHead=false",
    "init.defaultBranch=main",
    "merge.conflictStyle=merge",
    "diff.renames=true",
    "safe.directory=*",
    "protocol.allow=never",
    "protocol.https.allow=always",
    "protocol.http.allow=always",
    "protocol.file.allow=always",
    "http.lowSpeedLimit=1000",
    "http.lowSpeedTime=30",
)

_URL_USERINFO = re.compile(r"(?<=://)[^/@\s]+@")
_AUTH_HEADER = re.compile(r"(?i)(authorization:\s*)[^\r\n]+")


def redact(text: str) -> str:
    """Remove credentials (URL userinfo, Authorization headers) from a message."""
    return _AUTH_HEADER.sub(r"\1***", _URL_USERINFO.sub("***@", text))


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

    def _env(self, author: GitIdentity | None, extra: Mapping[str, str] | None) -> dict[str, str]:
        committer = PLATFORM_IDENTITY
        author = author or committer
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.git_dir),
            "LC_ALL": "C",
            "LANG": "C",
            "TZ": "UTC",
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
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

    def argv(self, args: Sequence[str]) -> list[str]:
        """The full command line for ``git <args>`` with repository and hardening options."""
        argv = [GIT_BINARY, f"--git-dir={self.git_dir}", f"--work-tree={self.worktree}"]
        for option in _HARDENING:
            argv += ["-c", option]
        return [*argv, *args]

    async def run(
        self,
        *args: str,
        input: bytes | None = None,
        ok: Sequence[int] = (0,),
        author: GitIdentity | None = None,
        env: Mapping[str, str] | None = None,
        time_limit: float = DEFAULT_TIMEOUT,
    ) -> GitResult:
        """Run ``git <args>``; a return code outside ``ok`` raises ``GitCommandError``.

        ``env`` adds variables, e.g. ``GIT_CONFIG_COUNT``/``KEY``/``VALUE`` to pass an auth
        header without it appearing on the command line (visible in ``ps``) or in config.
        """
        process = await asyncio.create_subprocess_exec(
            *self.argv(args),
            cwd=self.worktree,
            env=self._env(author, env),
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
