"""Errors raised by the version-control layer.

Part of the one ``AppError`` hierarchy. Messages never carry credentials (URLs and auth
headers are redacted before they get here); an unexpected git failure (500) is logged
and answered without git's output (``core.handlers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from appwright.core.errors import AppError


class VersionsError(AppError):
    """Base of every version-control error; ``detail`` is a message a person can act on."""

    status_code: ClassVar[int] = 400


class GitCommandError(VersionsError):
    """git failed in an unexpected way; ``stderr`` is redacted."""

    status_code = 500

    def __init__(self, args: Sequence[str], returncode: int, stderr: str) -> None:
        command = " ".join(args)
        super().__init__(f"git {command} failed ({returncode}): {stderr.strip()[:2000]}")
        self.args_ = list(args)
        self.returncode = returncode
        self.stderr = stderr


class GitTimeout(VersionsError):
    """A git command ran past its time limit and was killed (slow or unreachable remote)."""

    status_code = 504


class RepositoryNotInitialized(VersionsError):
    """The project has no git repository (or no commit) yet."""

    status_code = 409


class VersionNotFound(VersionsError):
    """The given version (commit) does not exist in this project's history."""

    status_code = 404

    def __init__(self, rev: str) -> None:
        super().__init__(f"version {rev!r} not found")
        self.rev = rev


class FileNotInVersion(VersionsError):
    """The file did not exist in the requested version."""

    status_code = 404

    def __init__(self, rev: str, path: str) -> None:
        super().__init__(f"{path!r} does not exist in version {rev!r}")
        self.rev = rev
        self.path = path


class MergeConflict(VersionsError):
    """A merge or pull conflicted; it was aborted and the working tree left as before.

    ``files`` lists the conflicting workspace-relative paths.
    """

    status_code = 409

    def __init__(self, source: str, files: Sequence[str]) -> None:
        listed = ", ".join(files) if files else "(git reported no file)"
        super().__init__(f"merging {source} conflicts in: {listed}; the merge was aborted")
        self.source = source
        self.files = list(files)

    def body(self) -> dict[str, Any]:
        return {**super().body(), "files": self.files}


class InvalidBranchName(VersionsError):
    """The branch name is not a valid git branch name."""

    status_code = 400

    def __init__(self, name: str) -> None:
        super().__init__(f"{name!r} is not a valid branch name")
        self.name = name


class BranchNotFound(VersionsError):
    """No local branch has that name."""

    status_code = 404

    def __init__(self, name: str) -> None:
        super().__init__(f"branch {name!r} not found")
        self.name = name


class BranchExists(VersionsError):
    """A branch with that name already exists."""

    status_code = 409

    def __init__(self, name: str) -> None:
        super().__init__(f"branch {name!r} already exists")
        self.name = name


class CannotDeleteCurrentBranch(VersionsError):
    """The branch to delete is checked out; switch to another branch first."""

    status_code = 409

    def __init__(self, name: str) -> None:
        super().__init__(f"branch {name!r} is the current branch; switch away before deleting it")
        self.name = name


class BranchNotMerged(VersionsError):
    """Deleting the branch would lose versions that exist nowhere else (pass ``force``)."""

    status_code = 409

    def __init__(self, name: str) -> None:
        super().__init__(
            f"branch {name!r} has versions not merged into the current branch; "
            "merge it first or delete with force"
        )
        self.name = name


class RemoteRejected(VersionsError):
    """The remote URL is not allowed (scheme, embedded credentials, local path)."""

    status_code = 400


class RemoteError(VersionsError):
    """The remote could not be reached or refused us (authentication, not found, network)."""

    status_code = 502


class RemoteBranchNotFound(VersionsError):
    """The remote has no branch of that name (e.g. an empty repository)."""

    status_code = 404

    def __init__(self, branch: str) -> None:
        super().__init__(f"the remote has no branch {branch!r}")
        self.branch = branch


class PushRejected(VersionsError):
    """The remote has versions we do not have; pull (and merge) before pushing."""

    status_code = 409
