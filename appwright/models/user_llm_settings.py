from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, TimestampMixin


class UserLLMSettings(IdMixin, TimestampMixin, Base):
    """A person's own model connection; overrides the server's. The key is encrypted."""

    __tablename__ = "user_llm_settings"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True
    )
    provider: Mapped[str | None] = mapped_column(String(20))
    model: Mapped[str | None] = mapped_column(String(200))
    base_url: Mapped[str | None] = mapped_column(Text)
    api_key_encrypted: Mapped[str | None] = mapped_column(Text)
    tool_protocol: Mapped[str] = mapped_column(String(10), default="auto")
