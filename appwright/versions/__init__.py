"""Version control of project workspaces: git through its CLI, no database here.

``ProjectRepo`` (repo.py) holds init/commit/timeline/diff/revert; ``branches`` and
``remote`` hold branch and push/pull operations taking a ``ProjectRepo``.
"""

from appwright.versions.models import (
    AuthorKind,
    Branch,
    FileChange,
    FileDiff,
    GitIdentity,
    MergeResult,
    RevertResult,
    Version,
)
from appwright.versions.repo import ProjectRepo

__all__ = [
    "AuthorKind",
    "Branch",
    "FileChange",
    "FileDiff",
    "GitIdentity",
    "MergeResult",
    "ProjectRepo",
    "RevertResult",
    "Version",
]
