"""What the domains that work on a project's runtime use from the app's context."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends

from appwright.core.deps import get_services
from appwright.core.services import Services
from appwright.runtime.service import ProjectRuntime


class RuntimeServices(Services, Protocol):
    @property
    def runtime(self) -> ProjectRuntime: ...


RuntimeDep = Annotated[RuntimeServices, Depends(get_services)]
