"""The project's files: one path validator, the ``Workspace`` protocol, a local implementation."""

from appwright.workspace.base import (
    ChangeKind,
    ExtendedWorkspace,
    FileContent,
    FileNode,
    FileTree,
    FileVersion,
    OnChange,
    ReplaceResult,
    SearchHit,
    SearchQuery,
    Workspace,
)
from appwright.workspace.local import LocalWorkspace, etag_of
from appwright.workspace.paths import normalize_path, relative_path, resolve_path

__all__ = [
    "ChangeKind",
    "ExtendedWorkspace",
    "FileContent",
    "FileNode",
    "FileTree",
    "FileVersion",
    "LocalWorkspace",
    "OnChange",
    "ReplaceResult",
    "SearchHit",
    "SearchQuery",
    "Workspace",
    "etag_of",
    "normalize_path",
    "relative_path",
    "resolve_path",
]
