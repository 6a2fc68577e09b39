"""What the file API's services use from the app's context: where workspaces are, and
autosave. Only these two: the file API sits below the project runtime."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Protocol

from fastapi import Depends

from appwright.core.deps import get_services
from appwright.core.services import Services


class WorkspaceDirs(Protocol):
    def workspace_dir(self, project_id: str) -> Path: ...


class Autosave(Protocol):
    """Told of every change a person saves (``versions.autosave`` makes versions of them)."""

    def touch(self, key: uuid.UUID, /) -> None: ...


class WorkspaceServices(Services, Protocol):
    @property
    def runtime(self) -> WorkspaceDirs: ...

    @property
    def autosave(self) -> Autosave: ...


WorkspaceDep = Annotated[WorkspaceServices, Depends(get_services)]
