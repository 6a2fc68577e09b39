from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, TimestampMixin


class VercelConnection(IdMixin, TimestampMixin, Base):
    """A person's Vercel token (encrypted with ``SecretBox``), the account it acts for and
    the team it deploys into (``None``: the personal account)."""

    __tablename__ = "vercel_connections"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    token_encrypted: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(255))
    team_id: Mapped[str | None] = mapped_column(String(255))
    team_name: Mapped[str | None] = mapped_column(String(255))
