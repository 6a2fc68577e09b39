"""What versions (and the chat, which makes versions) use from the app's context: the
project runtime, and the file API's services (change events, autosave)."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends

from appwright.core.deps import get_services
from appwright.runtime.deps import RuntimeServices
from appwright.runtime.service import ProjectRuntime
from appwright.workspace.deps import WorkspaceServices


class VersionsServices(RuntimeServices, WorkspaceServices, Protocol):
    @property
    def runtime(self) -> ProjectRuntime: ...


VersionsDep = Annotated[VersionsServices, Depends(get_services)]
