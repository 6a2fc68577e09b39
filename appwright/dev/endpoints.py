"""Development-only helpers: the mail outbox (emails are written there when no SMTP is set).

The outbox shows a signed-in person the mails sent to their own address and nothing else:
every account's verification and reset links are in it. Someone who cannot sign in (a
forgotten password) finds the reset link in the data directory's ``outbox/``, one JSON
file per mail, which only the person running the server can read.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from appwright.auth.deps import OptionalPrincipalDep
from appwright.core.deps import ServicesDep
from appwright.core.errors import NotAuthenticated, ResourceNotFound
from appwright.core.mail import OutboxMailer
from appwright.core.schemas import error_responses

router = APIRouter(prefix="/api/dev", tags=["dev"], responses=error_responses(403, 404))


class OutboxMail(BaseModel):
    id: str
    to: str
    subject: str
    text: str
    created_at: datetime
    links: list[str]


@router.get("/outbox")
async def outbox(ctx: ServicesDep, principal: OptionalPrincipalDep) -> list[OutboxMail]:
    """The signed-in user's emails in the outbox, newest first (development only).

    404 outside development or with SMTP configured; 401 when not signed in (the mails of
    every account are also files in the data directory's ``outbox/``)."""
    if not ctx.settings.is_development or not isinstance(ctx.mailer, OutboxMailer):
        raise ResourceNotFound("The outbox exists only in development without SMTP.")
    if principal is None:
        raise NotAuthenticated(
            "Sign in to see the emails sent to you. Every email is also a file in the "
            "server's data directory, under outbox/."
        )
    mails = await ctx.mailer.list(to=principal.user.email)
    return [OutboxMail.model_validate(m) for m in mails]
