"""What the project database API uses from the app's context: the providers, the
runtime (a provisioned database's variables restart the dev server) and the file API's
services (a migration is a file change of the workspace)."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends

from appwright.backend.registry import Backends
from appwright.core.deps import get_services
from appwright.runtime.deps import RuntimeServices
from appwright.runtime.service import ProjectRuntime
from appwright.workspace.deps import WorkspaceServices


class BackendServices(RuntimeServices, WorkspaceServices, Protocol):
    @property
    def runtime(self) -> ProjectRuntime: ...

    @property
    def backends(self) -> Backends: ...


BackendDep = Annotated[BackendServices, Depends(get_services)]
