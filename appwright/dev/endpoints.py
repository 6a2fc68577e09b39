"""Development-only helpers: the mail outbox (emails are written there when no SMTP is set)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from appwright.core.deps import CtxDep
from appwright.core.errors import ResourceNotFound
from appwright.core.mail import OutboxMailer

router = APIRouter(prefix="/api/dev", tags=["dev"])


class OutboxMail(BaseModel):
    id: str
    to: str
    subject: str
    text: str
    created_at: datetime
    links: list[str]


@router.get("/outbox")
async def outbox(ctx: CtxDep) -> list[OutboxMail]:
    """Emails written to the outbox, newest first (development only)."""
    if not ctx.settings.is_development or not isinstance(ctx.mailer, OutboxMailer):
        raise ResourceNotFound("The outbox exists only in development without SMTP.")
    return [OutboxMail.model_validate(m) for m in await ctx.mailer.list()]
