"""Where a project's history lives, and its history's start, copy and end.

Each project's repository is ``data/repos/{id}.git``: a git dir outside the workspace,
so sandboxed code cannot rewrite history, with the workspace as its work tree. A new
project's first version holds the template's files; a duplicate's first version holds
the files of the source's current version (``duplicate.py``); deleting a project
removes its history with it.
"""

from __future__ import annotations

import shutil
from functools import partial

import anyio

from appwright.runtime.service import ProjectRuntime
from appwright.templates import get_template
from appwright.versions.git.duplicate import duplicate_version
from appwright.versions.git.repo import ProjectRepo

__all__ = ["duplicate_history", "remove_history", "repo_for", "start_history"]


def repo_for(runtime: ProjectRuntime, project_id: str) -> ProjectRepo:
    """The project's repository (git dir outside the workspace)."""
    git_dir = runtime.settings.repos_dir.resolve() / f"{project_id}.git"
    return ProjectRepo(runtime.workspace_dir(project_id), git_dir)


async def start_history(runtime: ProjectRuntime, project_id: str, template_id: str) -> None:
    """The first version of a project just made from its template."""
    await anyio.Path(runtime.settings.repos_dir).mkdir(parents=True, exist_ok=True)
    name = get_template(template_id).name
    await repo_for(runtime, project_id).init(f"Create the project from the {name} template")


async def duplicate_history(runtime: ProjectRuntime, source_id: str, project_id: str) -> None:
    """A duplicate's workspace and first version: the files of the source's current
    version (not its history, dependencies or build output; edits not yet saved as a
    version stay in the source). Never read from the source's live workspace, and
    nothing is left behind on failure: see ``duplicate.py``."""
    await anyio.Path(runtime.settings.repos_dir).mkdir(parents=True, exist_ok=True)
    await anyio.Path(runtime.workspace_dir(project_id).parent).mkdir(parents=True, exist_ok=True)
    await duplicate_version(
        repo_for(runtime, source_id),
        repo_for(runtime, project_id),
        "Duplicate of another project",
    )


async def remove_history(runtime: ProjectRuntime, project_id: str) -> None:
    """Remove a deleted project's history (its workspace goes with ``runtime.remove``)."""
    git_dir = repo_for(runtime, project_id).git.git_dir
    await anyio.to_thread.run_sync(partial(shutil.rmtree, git_dir, ignore_errors=True))
