"""Vercel endpoints: connect a token, see the connection, forget it."""

from __future__ import annotations

from fastapi import APIRouter, status

from appwright.auth.deps import CurrentUser
from appwright.core.deps import ServicesDep, SessionDep
from appwright.core.schemas import error_responses
from appwright.integrations.vercel import service
from appwright.integrations.vercel.schemas import VercelConnectionRead, VercelTokenSet
from appwright.models import VercelConnection

router = APIRouter(
    prefix="/api/integrations/vercel",
    tags=["vercel"],
    responses=error_responses(400, 401, 404, 502),
)


def _read(connection: VercelConnection | None) -> VercelConnectionRead:
    if connection is None:
        return VercelConnectionRead(connected=False)
    return VercelConnectionRead(
        connected=True,
        username=connection.username,
        team_id=connection.team_id,
        team_name=connection.team_name,
        connected_at=connection.updated_at,
    )


@router.get("")
async def get_connection(user: CurrentUser, session: SessionDep) -> VercelConnectionRead:
    """Whether Vercel is connected, and the account and team deployments go to."""
    return _read(await service.connection_of(session, user.id))


@router.put("")
async def set_connection(
    body: VercelTokenSet, user: CurrentUser, ctx: ServicesDep, session: SessionDep
) -> VercelConnectionRead:
    """Connect with a token (validated by ``GET /v2/user``, and the team's
    ``GET /v2/teams/{id}``; stored encrypted). 400 when Vercel refuses it."""
    return _read(await service.connect(session, ctx, user, body.token, body.team_id))


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
async def delete_connection(user: CurrentUser, session: SessionDep) -> None:
    await service.disconnect(session, user)
