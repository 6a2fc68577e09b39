from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, TimestampMixin


class GitHubConnection(IdMixin, TimestampMixin, Base):
    """A person's GitHub token (encrypted with ``SecretBox``), the login it belongs to."""

    __tablename__ = "github_connections"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    token_encrypted: Mapped[str] = mapped_column(Text)
    login: Mapped[str] = mapped_column(String(255))
    scopes: Mapped[str | None] = mapped_column(Text)
