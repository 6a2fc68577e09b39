"""``ProjectRepo``: versions of one project's workspace, kept in git.

Every change is a forward commit: reverting creates a new commit that restores an old
tree, so no version is ever destroyed. Uncommitted edits are committed as a person
version before anything that would replace the working tree (revert, switch, merge,
pull), so nothing a person typed is lost.
"""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import anyio
import anyio.to_thread

from appwright.versions.git.errors import (
    FileNotInVersion,
    GitCommandError,
    RepositoryNotInitialized,
    VersionNotFound,
)
from appwright.versions.git.maintenance import maintain, schedule_maintenance_if_needed
from appwright.versions.git.messages import Author, build_message, describe_changes
from appwright.versions.git.parsing import (
    LOG_FORMAT,
    parse_cat_file_batch,
    parse_log,
    parse_name_status,
    parse_raw_numstat,
)
from appwright.versions.git.runner import Git
from appwright.versions.git.types import (
    REVERTS_TRAILER,
    AuthorKind,
    FileChange,
    FileDiff,
    GitIdentity,
    RevertResult,
    Version,
)
from appwright.workspace.errors import PathRejected
from appwright.workspace.paths import normalize_path

DEFAULT_GITIGNORE = """\
# Written by appwright: dependencies, build output and caches are never versioned.
node_modules/
.next/
.nuxt/
.output/
.svelte-kit/
.vercel/
.turbo/
.vite/
.cache/
.parcel-cache/
.pnpm-store/
dist/
build/
coverage/
__pycache__/
.venv/
*.log
.DS_Store
.appwright-tmp-*
.env
.env.*.local
.env.local
"""

MAX_DIFF_TEXT_BYTES = 1024 * 1024
"""Files bigger than this get no old/new text in a diff (only counts)."""

_ZERO = "0" * 40
_SAFE_REV = re.compile(r"^[A-Za-z0-9_./~^@{}-]{1,200}$")

GITLINK_MODE = "160000"
"""Mode of a gitlink (submodule) entry: never kept in the index, never committed."""
_GITLINK_MODE_BYTES = (0o160000).to_bytes(4, "big")
"""How a gitlink's mode is stored in an index entry (32-bit big-endian, every version)."""
_NO_COMMIT = re.compile(r"^error: '(.+)' does not have a commit checked out$", re.MULTILINE)
_MAX_ADD_ATTEMPTS = 8


def _write_new_file(directory: Path, name: str, content: bytes) -> bool:
    """Create ``directory/name`` unless an entry of that name exists (symlinks not followed).

    ``directory`` is opened without following a symlink, and the file is created with
    ``O_EXCL | O_NOFOLLOW`` relative to it: an entry the sandbox placed there (a symlink to
    a host path, say) is left alone rather than written through. Returns whether it wrote.
    """
    dir_fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(name, flags, 0o644, dir_fd=dir_fd)
        except OSError as exc:
            if exc.errno in (errno.EEXIST, errno.ELOOP):
                return False
            raise
        with os.fdopen(fd, "wb") as file:
            file.write(content)
        return True
    finally:
        os.close(dir_fd)


class ProjectRepo:
    """The version history of one workspace.

    ``worktree`` is the workspace directory; ``git_dir`` defaults to ``worktree/.git``
    but should live outside the workspace (e.g. ``data/repos/{project}.git``) so code
    running in the sandbox cannot tamper with history or git's config. With
    ``auto_maintenance`` loose objects are packed in the background once they pile up
    (see ``maintenance.py``); call :meth:`maintain` from a job otherwise.
    """

    def __init__(
        self,
        worktree: str | os.PathLike[str],
        git_dir: str | os.PathLike[str] | None = None,
        *,
        auto_maintenance: bool = True,
    ) -> None:
        self.git = Git(worktree, git_dir)
        self.auto_maintenance = auto_maintenance

    # ------------------------------------------------------------------ setup

    async def is_initialized(self) -> bool:
        """Whether the repository exists and has at least one version."""
        if not await anyio.Path(self.git.git_dir / "HEAD").exists():
            return False
        result = await self.git.run("rev-parse", "-q", "--verify", "HEAD", ok=(0, 1))
        return result.returncode == 0

    async def init(self, message: str = "Initial version") -> Version | None:
        """Create the repository (idempotent) and commit the current files as the first version.

        Writes a default ``.gitignore`` (dependencies, build output, caches, local env
        files) when the workspace has none. Returns the initial version, or ``None`` when
        the repository already had commits and nothing changed.
        """
        async with self.git.locked():
            await anyio.Path(self.git.worktree).mkdir(parents=True, exist_ok=True)
            if not await anyio.Path(self.git.git_dir / "HEAD").exists():
                # --git-dir/--work-tree are always passed, so an outside git dir leaves
                # the workspace free of any .git entry (unlike --separate-git-dir).
                await self.git.run("init", "-q", "-b", "main")
            await anyio.to_thread.run_sync(
                _write_new_file, self.git.worktree, ".gitignore", DEFAULT_GITIGNORE.encode()
            )
            return await self.commit_all_locked(message, Author.of("system"))

    # ---------------------------------------------------------------- commits

    async def commit_all(
        self,
        message: str | None,
        author: AuthorKind = "person",
        *,
        identity: GitIdentity | None = None,
        trailers: Mapping[str, str] | None = None,
    ) -> Version | None:
        """Commit every change in the workspace (``git add -A``) as one version.

        ``author`` is recorded in the ``Appwright-Author`` trailer, ``identity`` as git's
        author (defaults per kind); ``trailers`` adds e.g. ``Appwright-Message: <id>``.
        Without a ``message`` one is generated from the changed files ("Update App.tsx").
        Returns the new version with its changed files, or ``None`` when nothing changed.
        """
        await self.require_initialized()
        async with self.git.locked():
            return await self.commit_all_locked(message, Author.of(author, identity), trailers)

    async def require_initialized(self) -> None:
        """Raise ``RepositoryNotInitialized`` unless the repository exists."""
        if not await anyio.Path(self.git.git_dir / "HEAD").exists():
            raise RepositoryNotInitialized("this project has no version history yet")

    async def commit_all_locked(
        self, message: str | None, author: Author, trailers: Mapping[str, str] | None = None
    ) -> Version | None:
        """:meth:`commit_all` for callers already holding :meth:`Git.locked`."""
        await self.add_all_locked()
        if message is None:
            staged = await self.git.run(
                "diff", "--cached", "--name-status", "-z", "-M", "--no-ext-diff", "--no-textconv",
                "--ignore-submodules=all",
            )  # fmt: skip
            message = describe_changes(parse_name_status(staged.text.split("\0")))
        return await self.commit_index_locked(message, author, trailers)

    async def add_all_locked(self, env: Mapping[str, str] | None = None) -> None:
        """Stage every change of the work tree (``git add -A``); caller holds the lock.

        Nested repositories are never staged: git would record one as a gitlink, and with
        a gitlink in the index every later ``add``/``status``/``diff`` runs ``git status``
        *inside* it, as root, under the nested repository's config (its filters, diff
        drivers...), which the sandbox writes. So gitlinks are removed from the index
        before (a tree checked out from an old version or a branch may hold some) and
        after ``add`` (which records the nested repositories it meets); the nested
        repository stays in the work tree, unversioned, like an ignored directory. A
        nested repository without a commit makes ``add`` fail: it is excluded and
        ``add`` retried. ``env`` may name another index (``GIT_INDEX_FILE``).
        """
        index = Path(env["GIT_INDEX_FILE"]) if env and "GIT_INDEX_FILE" in env else None
        index = index or self.git.git_dir / "index"
        await self._drop_gitlinks(index, env)
        excluded: list[str] = []
        for _ in range(_MAX_ADD_ATTEMPTS):
            pathspec = [":(top)", *(f":(top,literal,exclude){p}" for p in excluded)]
            result = await self.git.run(
                "add", "-A", *(["--", *pathspec] if excluded else []), env=env, ok=(0, 128)
            )
            if result.returncode == 0:
                break
            found = [p.rstrip("/") for p in _NO_COMMIT.findall(result.stderr)]
            if not found or set(found) <= set(excluded):
                raise GitCommandError(["add", "-A"], result.returncode, result.stderr)
            excluded += [p for p in found if p not in excluded]
        else:
            raise GitCommandError(["add", "-A"], 128, "too many nested repositories")
        await self._drop_gitlinks(index, env)

    async def _drop_gitlinks(self, index: Path, env: Mapping[str, str] | None) -> None:
        """Remove every gitlink entry from ``index`` (only the index: no file is touched).

        The index is scanned for a gitlink's mode bytes first (a few hundred kB, well
        under a millisecond; the index is always a single file, ``core.splitIndex=false``):
        only when they occur, which other fields make happen now and then, does
        ``ls-files`` list the entries (~5 ms on 5,000 files, too much for every commit).
        """
        try:
            data = await anyio.Path(index).read_bytes()
        except FileNotFoundError:
            return
        if _GITLINK_MODE_BYTES not in data:
            return
        listed = await self.git.run("ls-files", "--stage", "-z", env=env)
        gitlinks = [
            entry.split(b"\t", 1)[1]
            for entry in listed.stdout.split(b"\0")
            if entry.startswith(GITLINK_MODE.encode() + b" ") and b"\t" in entry
        ]
        if gitlinks:
            await self.git.run(
                "update-index", "--force-remove", "-z", "--stdin",
                input=b"".join(p + b"\0" for p in gitlinks), env=env,
            )  # fmt: skip

    async def commit_index_locked(
        self, message: str, author: Author, trailers: Mapping[str, str] | None = None
    ) -> Version | None:
        """Commit what is staged; ``None`` when the index equals HEAD. Caller holds the lock.

        Uses plumbing (``write-tree``, ``commit-tree``, ``update-ref``) rather than
        ``git commit``, which would re-stat every file of the work tree once more.
        """
        tree = (await self.git.run("write-tree")).text.strip()
        # One call for HEAD and its tree; it fails (128) only on an unborn branch, whose
        # first commit has no parent (update-ref below refuses if HEAD did exist).
        head = await self.git.run("rev-parse", "HEAD", "HEAD^{tree}", ok=(0, 128))
        parent, head_tree = head.text.split() if head.returncode == 0 else (None, None)
        if tree == head_tree:
            return None
        new = await self.commit_tree_locked(tree, parent, message, author, trailers)
        await self.git.run("update-ref", "-m", "commit", "HEAD", new, parent or _ZERO)
        return await self.after_commit(new)

    async def commit_tree_locked(
        self,
        tree: str,
        parent: str | None,
        message: str,
        author: Author,
        trailers: Mapping[str, str] | None = None,
    ) -> str:
        """Create a commit object for ``tree`` (no ref moves); returns its hash."""
        text = build_message(message, author.kind, trailers)
        args = ["commit-tree", tree, *(["-p", parent] if parent else []), "-F", "-"]
        result = await self.git.run(*args, input=text.encode(), author=author.identity)
        return result.text.strip()

    async def after_commit(self, rev: str) -> Version:
        """Read back a new version and start background maintenance when it is due."""
        if self.auto_maintenance:
            await schedule_maintenance_if_needed(self.git)
        return (await self._log(["-1", rev]))[0]

    # ------------------------------------------------------------ reading history

    async def first_commit(self) -> str:
        """The root commit of the current branch (its oldest version)."""
        roots = await self.git.run("rev-list", "--max-parents=0", "HEAD")
        return roots.text.split()[-1]

    async def resolve(self, rev: str) -> str:
        """The full hash of a version given as hash (or prefix), branch, ``HEAD~n``..."""
        if not _SAFE_REV.match(rev) or rev.startswith("-") or ".." in rev:
            raise VersionNotFound(rev)
        result = await self.git.run(
            "rev-parse", "-q", "--verify", "--end-of-options", f"{rev}^{{commit}}", ok=(0, 1, 128)
        )
        if result.returncode != 0:
            raise VersionNotFound(rev)
        return result.text.strip()

    async def version(self, rev: str) -> Version:
        """One version with its changed files."""
        full = await self.resolve(rev)
        versions = await self._log(["-1", full])
        return versions[0]

    async def timeline(
        self, ref: str = "HEAD", *, limit: int | None = None, skip: int = 0
    ) -> list[Version]:
        """Versions reachable from ``ref``, newest first, each with its changed files.

        One ``git log`` call whatever the length. An empty repository has no versions.
        """
        try:
            full = await self.resolve(ref)
        except VersionNotFound:
            if ref == "HEAD":
                return []
            raise
        args = [f"--skip={skip}"] if skip else []
        if limit is not None:
            args.append(f"--max-count={limit}")
        return await self._log([*args, full])

    async def versions_between(self, old: str | None, new: str) -> list[Version]:
        """Versions reachable from ``new`` but not from ``old`` (all when ``None``), oldest
        first: what a pull or merge from ``old`` to ``new`` brought in."""
        args = [await self.resolve(new)]
        if old is not None:
            args.insert(0, f"^{await self.resolve(old)}")
        return list(reversed(await self._log(args)))

    async def _log(self, args: Sequence[str]) -> list[Version]:
        result = await self.git.run(
            "log", "-z", "--name-status", "-M", "--diff-merges=first-parent",
            "--ignore-submodules=all", f"--format={LOG_FORMAT}", *args, "--",
        )  # fmt: skip
        return parse_log(result.text)

    async def status(self) -> list[FileChange]:
        """Uncommitted changes in the workspace (what a "save version" would commit).

        Nested repositories (``?? dir/``, the only directories listed with
        ``--untracked-files=all``) are left out: they are never versioned.
        """
        result = await self.git.run(
            "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignore-submodules=all"
        )
        tokens = result.text.split("\0")
        changes: list[FileChange] = []
        i = 0
        while i < len(tokens):
            entry = tokens[i]
            i += 1
            if len(entry) < 4:
                continue
            xy, path = entry[:2], entry[3:]
            if xy == "??" and path.endswith("/"):
                continue
            if "R" in xy:
                changes.append(FileChange(path, "R", tokens[i]))
                i += 1
            elif "?" in xy or "A" in xy:
                changes.append(FileChange(path, "A"))
            elif "D" in xy:
                changes.append(FileChange(path, "D"))
            else:
                changes.append(FileChange(path, "M"))
        return changes

    async def show_file(self, rev: str, path: str) -> bytes:
        """The content of ``path`` as it was in version ``rev``."""
        try:
            rel = normalize_path(path)
        except PathRejected:
            raise FileNotInVersion(rev, path) from None
        full = await self.resolve(rev)
        result = await self.git.run("cat-file", "blob", f"{full}:{rel}", ok=(0, 128))
        if result.returncode != 0:
            raise FileNotInVersion(rev, path)
        return result.stdout

    async def archive(self, rev: str = "HEAD") -> bytes:
        """The files of version ``rev`` as a tar archive (in memory: a project's size).

        Read from the object store only, never from the work tree (which a sandboxed
        process may be changing meanwhile); ``.gitattributes`` come from that version too.
        Raises ``VersionNotFound`` when there is no such version (an empty history).
        """
        full = await self.resolve(rev)
        result = await self.git.run("archive", "--format=tar", full, time_limit=600)
        return result.stdout

    async def diff(
        self,
        old: str,
        new: str,
        *,
        paths: Sequence[str] = (),
        contents: bool = False,
    ) -> list[FileDiff]:
        """Per-file differences between two versions (any order, any branches).

        With ``contents`` each text file under :data:`MAX_DIFF_TEXT_BYTES` carries its old
        and new text (fetched in one ``git cat-file --batch`` call) for a side-by-side view.
        """
        old_full, new_full = await self.resolve(old), await self.resolve(new)
        rels = [normalize_path(p) for p in paths]
        result = await self.git.run(
            "diff", "--raw", "--numstat", "-z", "-M", "--no-abbrev", "--no-ext-diff",
            "--no-textconv", "--ignore-submodules=all", old_full, new_full, "--", *rels,
            worktree=False,
        )  # fmt: skip
        entries = parse_raw_numstat(result.text)
        blobs: dict[str, bytes] = {}
        if contents:
            wanted = {
                blob
                for _c, old_blob, new_blob, added, _d in entries
                if added is not None
                for blob in (old_blob, new_blob)
                if blob != _ZERO
            }
            if wanted:
                batch = await self.git.run(
                    "cat-file", "--batch", input="".join(f"{b}\n" for b in sorted(wanted)).encode()
                )
                blobs = parse_cat_file_batch(batch.stdout)
        return [_file_diff(e, blobs if contents else None) for e in entries]

    async def maintain(self) -> None:
        """Pack loose objects and update the commit graph now (see ``maintenance.py``)."""
        await maintain(self.git)

    # ------------------------------------------------------------------ revert

    async def revert(
        self,
        target: str,
        *,
        author: AuthorKind = "person",
        identity: GitIdentity | None = None,
        message: str | None = None,
        trailers: Mapping[str, str] | None = None,
    ) -> RevertResult:
        """Restore the workspace to version ``target`` as a new forward commit.

        Uncommitted edits are first committed as a person version (``saved``), so they
        stay reachable. Files added since ``target`` are removed, files deleted since are
        restored; ignored files (``node_modules``...) are left alone. The commit says
        "Revert to <short>: <subject>" and carries ``Appwright-Reverts: <hash>``.
        """
        await self.require_initialized()
        async with self.git.locked():
            full = await self.resolve(target)
            saved = await self.commit_all_locked(
                "Save changes before revert", Author.of("person", identity)
            )
            # One process for HEAD, both trees and the target's subject (the revert's two
            # jailed commands cost enough already). ``--no-walk`` lists each commit once
            # in the given order: a single line when the target is HEAD.
            info = await self.git.run(
                "log", "--no-walk=unsorted", "--format=%H%x1f%T%x1f%s", "HEAD", full, "--"
            )
            lines = info.text.splitlines()
            head, head_tree, _ = lines[0].split("\x1f", 2)
            _, target_tree, subject = lines[-1].split("\x1f", 2)
            if head_tree == target_tree:
                return RevertResult(saved, None)
            new = await self.commit_tree_locked(
                target_tree,
                head,
                message or f"Revert to {full[:7]}: {subject}",
                Author.of(author, identity),
                {**(trailers or {}), REVERTS_TRAILER: full},
            )
            # Two-tree read-tree switches index and work tree from HEAD to the target,
            # touching only the files that differ; the branch moves only once that worked.
            await self.git.run("read-tree", "-u", "-m", head, new)
            await self.git.run("update-ref", "-m", "revert", "HEAD", new, head)
            return RevertResult(saved, await self.after_commit(new))


def _file_diff(
    entry: tuple[FileChange, str, str, int | None, int | None],
    blobs: dict[str, bytes] | None,
) -> FileDiff:
    change, old_blob, new_blob, added, deleted = entry
    binary = added is None
    old_text = new_text = None
    if blobs is not None and not binary:
        old_text = _text(blobs.get(old_blob))
        new_text = _text(blobs.get(new_blob))
    return FileDiff(
        path=change.path,
        status=change.status,
        old_path=change.old_path,
        binary=binary,
        additions=added or 0,
        deletions=deleted or 0,
        old_text=old_text,
        new_text=new_text,
    )


def _text(data: bytes | None) -> str | None:
    if data is None or len(data) > MAX_DIFF_TEXT_BYTES:
        return None
    return data.decode("utf-8", "replace")
