"""Branches of a project: list, create, switch, merge (with a conflict report), delete.

Switching, merging and pulling first commit uncommitted edits as a person version on
the current branch (documented choice: auto-commit rather than refuse), so a switch never
loses work and the working tree is always clean before git replaces it.
"""

from __future__ import annotations

import anyio

from appwright.versions.git.errors import (
    BranchExists,
    BranchNotFound,
    BranchNotMerged,
    CannotDeleteCurrentBranch,
    InvalidBranchName,
    MergeConflict,
)
from appwright.versions.git.messages import Author, build_message
from appwright.versions.git.repo import ProjectRepo
from appwright.versions.git.types import AuthorKind, Branch, GitIdentity, MergeResult, Version


async def check_branch_name(repo: ProjectRepo, name: str) -> None:
    """Raise ``InvalidBranchName`` unless ``name`` is a valid git branch name."""
    if not name or name.startswith("-") or len(name) > 200:
        raise InvalidBranchName(name)
    result = await repo.git.run("check-ref-format", "--branch", name, ok=(0, 1, 128))
    if result.returncode != 0:
        raise InvalidBranchName(name)


async def _exists(repo: ProjectRepo, name: str) -> bool:
    result = await repo.git.run(
        "show-ref", "--verify", "--quiet", f"refs/heads/{name}", ok=(0, 1, 128)
    )
    return result.returncode == 0


async def current_branch(repo: ProjectRepo) -> str | None:
    """The checked-out branch, ``None`` when HEAD is detached.

    Read from the ``HEAD`` file as git itself does (``ref: refs/heads/<name>``): this is
    asked on every commit and timeline read, and a git process costs milliseconds.
    """
    try:
        head = (await anyio.Path(repo.git.git_dir / "HEAD").read_text()).strip()
    except FileNotFoundError:
        return None
    prefix = "ref: refs/heads/"
    return head[len(prefix) :] if head.startswith(prefix) else None


async def list_branches(repo: ProjectRepo) -> list[Branch]:
    """Local branches sorted by name, the current one flagged."""
    result = await repo.git.run(
        "for-each-ref", "--format=%(refname:short)%1f%(objectname)%1f%(HEAD)", "refs/heads"
    )
    branches: list[Branch] = []
    for line in result.text.splitlines():
        name, head, marker = line.split("\x1f")
        branches.append(Branch(name, head, marker == "*"))
    return branches


async def create_branch(
    repo: ProjectRepo, name: str, *, start: str = "HEAD", switch: bool = False
) -> Branch:
    """Create branch ``name`` at version ``start`` (restore-to-message forks from there).

    With ``switch`` the new branch is checked out (pending edits committed first).
    """
    await check_branch_name(repo, name)
    async with repo.git.locked():
        if await _exists(repo, name):
            raise BranchExists(name)
        head = await repo.resolve(start)
        await repo.git.run("branch", "--no-track", "--", name, head)
    if switch:
        await switch_branch(repo, name)
    return Branch(name, head, switch)


async def switch_branch(
    repo: ProjectRepo, name: str, *, identity: GitIdentity | None = None
) -> Version | None:
    """Check out branch ``name``; returns the version that saved pending edits, if any."""
    await check_branch_name(repo, name)
    async with repo.git.locked():
        if not await _exists(repo, name):
            raise BranchNotFound(name)
        current = await current_branch(repo)
        saved = await repo.commit_all_locked(
            f"Save changes before switching to {name}", Author.of("person", identity)
        )
        if current != name:
            await repo.git.run("switch", "--no-guess", "-q", name)
        return saved


async def merge_locked(
    repo: ProjectRepo,
    source: str,
    label: str,
    author: Author,
    *,
    message: str,
    fast_forward: bool,
    saved: Version | None,
) -> MergeResult:
    """Merge commit ``source`` into the current branch; caller holds the lock, tree clean.

    On conflict the merge is aborted (work tree and index as before) and
    ``MergeConflict`` lists the conflicting paths.
    """
    head = await repo.resolve("HEAD")
    base = await repo.git.run("merge-base", "--is-ancestor", source, head, ok=(0, 1))
    if base.returncode == 0:
        return MergeResult(None, up_to_date=True, saved=saved)
    ff = await repo.git.run("merge-base", "--is-ancestor", head, source, ok=(0, 1))
    if fast_forward and ff.returncode == 0:
        await repo.git.run("merge", "--ff-only", "-q", source)
        return MergeResult(await repo.version("HEAD"), fast_forward=True, saved=saved)
    text = build_message(message, author.kind)
    result = await repo.git.run(
        "merge", "--no-ff", "--no-edit", "-q", "-m", text, source,
        ok=(0, 1, 2, 128), author=author.identity,
    )  # fmt: skip
    if result.returncode != 0:
        unmerged = await repo.git.run(
            "diff", "--name-only", "--diff-filter=U", "-z", "--ignore-submodules=all",
            "--no-ext-diff", "--no-textconv",
        )  # fmt: skip
        files = sorted(p for p in unmerged.text.split("\0") if p)
        await repo.git.run("merge", "--abort", ok=(0, 128))
        # --abort restores the pre-merge state; reset covers a merge that stopped
        # before recording MERGE_HEAD (e.g. untracked files in the way).
        await repo.git.run("reset", "-q", "--hard", head)
        raise MergeConflict(label, files or _mentioned_paths(result.stderr + result.text))
    return MergeResult(await repo.version("HEAD"), saved=saved)


def _mentioned_paths(output: str) -> list[str]:
    # "error: The following untracked working tree files would be overwritten by merge:"
    # is followed by tab-indented paths.
    return [line.strip() for line in output.splitlines() if line.startswith("\t")]


async def merge_branch(
    repo: ProjectRepo,
    source: str,
    *,
    author: AuthorKind = "person",
    identity: GitIdentity | None = None,
    message: str | None = None,
) -> MergeResult:
    """Merge branch ``source`` into the current branch as a merge version.

    Pending edits are committed first. A conflict raises ``MergeConflict`` with the
    conflicting files, after aborting: the workspace is left exactly as before the merge.
    """
    await check_branch_name(repo, source)
    async with repo.git.locked():
        if not await _exists(repo, source):
            raise BranchNotFound(source)
        current = await current_branch(repo) or "HEAD"
        saved = await repo.commit_all_locked(
            f"Save changes before merging {source}", Author.of("person", identity)
        )
        return await merge_locked(
            repo,
            f"refs/heads/{source}",
            source,
            Author.of(author, identity),
            message=message or f"Merge branch {source} into {current}",
            fast_forward=False,
            saved=saved,
        )


async def delete_branch(repo: ProjectRepo, name: str, *, force: bool = False) -> None:
    """Delete branch ``name``; never the current one, and an unmerged one only with ``force``."""
    await check_branch_name(repo, name)
    async with repo.git.locked():
        if not await _exists(repo, name):
            raise BranchNotFound(name)
        if await current_branch(repo) == name:
            raise CannotDeleteCurrentBranch(name)
        if not force:
            merged = await repo.git.run(
                "merge-base", "--is-ancestor", f"refs/heads/{name}", "HEAD", ok=(0, 1)
            )
            if merged.returncode != 0:
                raise BranchNotMerged(name)
        await repo.git.run("branch", "-D", "--", name)
