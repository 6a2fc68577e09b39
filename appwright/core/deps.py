"""FastAPI dependency aliases shared by every domain's endpoints."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from appwright.core.db import session_scope
from appwright.core.services import Services


def get_services(request: Request) -> Services:
    """The app's context (``app.state.ctx``), which every domain's Protocol describes."""
    services: Services = request.app.state.ctx
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_session(services: ServicesDep) -> AsyncIterator[AsyncSession]:
    async for session in session_scope(services.sessions):
        yield session


# "function" scope: the unit of work commits when the endpoint returns, before the answer
# is sent, so a client acting on the answer at once finds what it was told about.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"
