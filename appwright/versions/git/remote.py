"""Push to and pull from a remote repository (GitHub or any git HTTP server).

No remote is ever configured: the URL is given per call and the credentials travel as an
``http.extraHeader`` in the git process's environment (``GIT_CONFIG_COUNT``/``KEY``/
``VALUE``), so they are neither written to ``.git/config`` nor visible on a command line.
Only ``https://`` remotes are accepted unless ``allow_local`` (tests, single-user setups)
also admits ``http://``, ``file://`` and local paths: in a multi-user server a local path
would let one project read or overwrite another's repository.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from appwright.versions.git.branches import check_branch_name, current_branch, merge_locked
from appwright.versions.git.errors import (
    PushRejected,
    RemoteBranchNotFound,
    RemoteError,
    RemoteRejected,
)
from appwright.versions.git.messages import Author
from appwright.versions.git.repo import GITLINK_MODE, ProjectRepo
from appwright.versions.git.runner import redact
from appwright.versions.git.types import AuthorKind, GitIdentity, MergeResult

NETWORK_TIMEOUT = 120.0


def basic_auth_header(username: str, password: str) -> str:
    """An ``Authorization: Basic`` header; for GitHub use ``x-access-token`` and the token."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return f"Authorization: Basic {token}"


def check_remote_url(url: str, *, allow_local: bool = False) -> str:
    """Return ``url`` if it may be used as a remote, else raise ``RemoteRejected``."""
    if not url or url.startswith("-") or any(ord(c) < 32 or c == " " for c in url):
        raise RemoteRejected("the remote URL is empty or contains invalid characters")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https" or (allow_local and scheme == "http"):
        if not parts.hostname:
            raise RemoteRejected("the remote URL has no host")
        if parts.username or parts.password:
            raise RemoteRejected("put credentials in the token setting, not in the URL")
        return url
    if allow_local and (scheme == "file" or (not scheme and os.path.isabs(url))):
        return url
    raise RemoteRejected(f"only https:// remotes are allowed, not {redact(url)!r}")


def _auth_env(auth_header: str | None) -> Mapping[str, str]:
    if not auth_header:
        return {}
    if "\n" in auth_header or "\r" in auth_header:
        raise RemoteRejected("the auth header must be a single line")
    return {
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.extraHeader",
        "GIT_CONFIG_VALUE_0": auth_header,
    }


@dataclass(frozen=True, slots=True)
class PushResult:
    """What was pushed: the local branch, the remote branch and the commit now there."""

    branch: str
    remote_branch: str
    head: str


async def push(
    repo: ProjectRepo,
    url: str,
    *,
    branch: str | None = None,
    remote_branch: str | None = None,
    auth_header: str | None = None,
    force: bool = False,
    allow_local: bool = False,
) -> PushResult:
    """Push ``branch`` (default: the current one) to ``remote_branch`` (default: same name).

    A remote that has versions we lack raises ``PushRejected`` (pull first) unless
    ``force``; authentication or network failures raise ``RemoteError``.
    """
    check_remote_url(url, allow_local=allow_local)
    env = _auth_env(auth_header)
    async with repo.git.locked():
        local = branch or await current_branch(repo)
        if local is None:
            raise RemoteRejected("HEAD is detached; choose a branch to push")
        target = remote_branch or local
        await check_branch_name(repo, local)
        await check_branch_name(repo, target)
        head = await repo.resolve(f"refs/heads/{local}")
        args = ["push", "--porcelain", "--no-verify", "--no-recurse-submodules"]
        if force:
            args.append("--force")
        result = await repo.git.run(
            *args, "--", url, f"refs/heads/{local}:refs/heads/{target}",
            ok=(0, 1, 128), env=env, time_limit=NETWORK_TIMEOUT,
        )  # fmt: skip
        if result.returncode != 0:
            output = result.stderr + result.text
            if "[rejected]" in output or "non-fast-forward" in output or "fetch first" in output:
                raise PushRejected(
                    f"the remote branch {target!r} has versions this project lacks; pull first"
                )
            raise RemoteError(f"push failed: {output.strip()[:1000]}")
        return PushResult(local, target, head)


async def _fetch_locked(repo: ProjectRepo, url: str, branch: str, env: Mapping[str, str]) -> str:
    """Fetch ``branch`` from ``url`` and return the fetched commit (kept in FETCH_HEAD)."""
    result = await repo.git.run(
        "fetch", "--no-tags", "--no-write-fetch-head", "--recurse-submodules=no", "--", url,
        f"+refs/heads/{branch}:refs/appwright/fetched",
        ok=(0, 1, 128), env=env, time_limit=NETWORK_TIMEOUT,
    )  # fmt: skip
    if result.returncode != 0:
        if "couldn't find remote ref" in result.stderr:
            raise RemoteBranchNotFound(branch)
        raise RemoteError(f"fetch failed: {result.stderr.strip()[:1000]}")
    return await repo.resolve("refs/appwright/fetched")


async def check_no_submodules(repo: ProjectRepo, commit: str, branch: str) -> None:
    """Refuse a commit whose tree holds gitlinks (submodules): ``RemoteRejected``.

    Versions never contain nested repositories (``ProjectRepo.add_all_locked``): a
    checked-out gitlink is an empty directory the sandbox could fill with a repository
    of its own, whose config git would then honour. A ``.gitmodules`` file alone is
    harmless: nothing reads it without gitlinks.
    """
    listed = await repo.git.run("ls-tree", "-r", "-z", "--full-tree", commit)
    gitlinks = [
        entry.split("\t", 1)[-1]
        for entry in listed.text.split("\0")
        if entry.startswith(f"{GITLINK_MODE} ")
    ]
    if gitlinks:
        names = ", ".join(sorted(gitlinks)[:5]) + (", ..." if len(gitlinks) > 5 else "")
        raise RemoteRejected(
            f"the remote branch {branch!r} contains git submodules ({names}), which project "
            "versions do not support; remove them from the branch and pull again"
        )


async def fetch(
    repo: ProjectRepo,
    url: str,
    *,
    remote_branch: str,
    auth_header: str | None = None,
    allow_local: bool = False,
) -> str:
    """Fetch ``remote_branch`` without merging; returns its commit hash."""
    check_remote_url(url, allow_local=allow_local)
    await check_branch_name(repo, remote_branch)
    async with repo.git.locked():
        return await _fetch_locked(repo, url, remote_branch, _auth_env(auth_header))


async def pull(
    repo: ProjectRepo,
    url: str,
    *,
    remote_branch: str | None = None,
    auth_header: str | None = None,
    author: AuthorKind = "person",
    identity: GitIdentity | None = None,
    allow_local: bool = False,
) -> MergeResult:
    """Fetch ``remote_branch`` (default: the current branch's name) and merge it.

    Pending edits are committed first. Fast-forwards when possible, else a merge version;
    a conflict aborts the merge and raises ``MergeConflict`` listing the files.
    """
    check_remote_url(url, allow_local=allow_local)
    env = _auth_env(auth_header)
    await repo.require_initialized()
    async with repo.git.locked():
        local = await current_branch(repo)
        target = remote_branch or local
        if target is None:
            raise RemoteRejected("HEAD is detached; name the remote branch to pull")
        await check_branch_name(repo, target)
        saved = await repo.commit_all_locked(
            "Save changes before pulling", Author.of("person", identity)
        )
        fetched = await _fetch_locked(repo, url, target, env)
        await check_no_submodules(repo, fetched, target)
        return await merge_locked(
            repo,
            fetched,
            f"remote branch {target}",
            Author.of(author, identity),
            message=f"Merge remote branch {target}",
            fast_forward=True,
            saved=saved,
        )
