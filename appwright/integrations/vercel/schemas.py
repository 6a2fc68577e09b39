"""Bodies of ``/api/integrations/vercel``."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from appwright.core.schemas import InputModel


class VercelTokenSet(InputModel):
    token: str = Field(
        min_length=1,
        max_length=500,
        pattern=r"^[\x21-\x7e]+$",
        repr=False,
        description="A Vercel access token (vercel.com/account/tokens): printable ASCII "
        "without spaces.",
    )
    team_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The team to deploy into (``team_…``); the personal account when omitted.",
    )


class VercelConnectionRead(BaseModel):
    """The connection: the account and team it deploys into (never the token)."""

    connected: bool
    username: str | None = None
    team_id: str | None = None
    team_name: str | None = None
    connected_at: datetime | None = None
