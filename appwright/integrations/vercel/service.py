"""Vercel for a person: the token (validated with ``GET /v2/user``, stored encrypted with
``ctx.secrets``) and the team it deploys into. The deploy domain's ``VercelTarget`` gets
the decrypted token per build through :func:`credentials_of` (wired in ``context.py``)."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from appwright.core.errors import BadRequest, ResourceNotFound
from appwright.core.security import SecretBox
from appwright.core.services import Services
from appwright.deploy.vercel import VercelAuthError, VercelClient, VercelError
from appwright.deploy.vercel.target import VercelCredentials
from appwright.integrations.vercel import repository
from appwright.models import User, VercelConnection

log = logging.getLogger("appwright.vercel")


class VercelTokenRefused(BadRequest):
    """Vercel does not accept the token (wrong, expired or revoked)."""


class VercelTeamRefused(BadRequest):
    """The token cannot act for the team named."""


def client_for(ctx: Services, token: str, team_id: str | None = None) -> VercelClient:
    return VercelClient(ctx.settings.vercel_api_url, token, team_id=team_id)


async def connection_of(session: AsyncSession, user_id: uuid.UUID) -> VercelConnection | None:
    """The person's Vercel connection, if any."""
    return await repository.connection_of(session, user_id)


async def _team_name(ctx: Services, token: str, team_id: str) -> str:
    try:
        async with client_for(ctx, token, team_id) as vercel:
            return await vercel.get_team(team_id)
    except VercelError as exc:
        if isinstance(exc, VercelAuthError) or exc.status in (403, 404):
            raise VercelTeamRefused(
                f"The token cannot deploy into the team {team_id!r}: check the team id "
                "(Team Settings on vercel.com), or give the token access to that team."
            ) from None
        raise


async def connect(
    session: AsyncSession, ctx: Services, user: User, token: str, team_id: str | None
) -> VercelConnection:
    """Validate ``token`` (and its access to ``team_id``) and store it encrypted;
    replaces an earlier connection. Nothing is stored when Vercel refuses it."""
    token = token.strip()
    if not token or any(c.isspace() for c in token):
        raise BadRequest("Paste the token without spaces or line breaks.")
    try:
        async with client_for(ctx, token) as vercel:
            account = await vercel.get_user()
    except VercelAuthError:
        raise VercelTokenRefused(
            "Vercel refused the token (wrong, expired or revoked): create a new one at "
            "vercel.com/account/tokens and paste it here."
        ) from None
    team_name = await _team_name(ctx, token, team_id) if team_id else None
    connection = await connection_of(session, user.id)
    if connection is None:
        connection = VercelConnection(user_id=user.id, token_encrypted="", username="")
        session.add(connection)
    connection.token_encrypted = ctx.secrets.encrypt(token)
    connection.username = account.username
    connection.team_id = team_id
    connection.team_name = team_name
    await session.flush()
    log.info("vercel.connected user=%s username=%s team=%s", user.id, account.username, team_id)
    return connection


async def disconnect(session: AsyncSession, user: User) -> None:
    """Forget the person's token (what was deployed stays on Vercel)."""
    connection = await connection_of(session, user.id)
    if connection is None:
        raise ResourceNotFound("Vercel is not connected.")
    await session.delete(connection)
    await session.flush()


async def credentials_of(
    session: AsyncSession, secrets: SecretBox, user_id: uuid.UUID
) -> VercelCredentials | None:
    """The person's decrypted token and team, or ``None`` when Vercel is not connected."""
    connection = await connection_of(session, user_id)
    if connection is None:
        return None
    return VercelCredentials(secrets.decrypt(connection.token_encrypted), connection.team_id)
