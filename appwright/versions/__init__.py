"""Versions of a project: every AI turn and every save is a commit that can be restored.

Two layers: ``versions.git`` is git itself (no database, no platform services); the
modules here join it with the platform: ``history`` (where a project's repository
lives, its first version, duplicate and removal), ``service`` and ``branch_service``
(the timeline with its chat links, revert, save, branches), ``repository`` (their
queries), ``summary`` (commit messages written by the owner's model) and ``autosave``.
"""

from appwright.versions.git.repo import ProjectRepo
from appwright.versions.git.types import (
    AuthorKind,
    Branch,
    FileChange,
    FileDiff,
    GitIdentity,
    MergeResult,
    RevertResult,
    Version,
)

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
