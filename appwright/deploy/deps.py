"""What the deploy domain uses from the app's context."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends

from appwright.core.deps import get_services
from appwright.deploy.publisher import Publisher
from appwright.runtime.deps import RuntimeServices


class DeployServices(RuntimeServices, Protocol):
    @property
    def publisher(self) -> Publisher: ...


DeployDep = Annotated[DeployServices, Depends(get_services)]
