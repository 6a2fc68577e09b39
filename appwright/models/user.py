from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, JSONType, TimestampMixin


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(255), unique=True)
    name: Mapped[str | None] = mapped_column(String(255))
    avatar_url: Mapped[str | None] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None]
    subscription_tier: Mapped[str] = mapped_column(String(50), default="free")
    subscription_end_date: Mapped[datetime | None]
    api_usage_limit: Mapped[int] = mapped_column(default=1_000_000)
    api_usage_current: Mapped[int] = mapped_column(default=0)
    theme: Mapped[str] = mapped_column(String(16), default="system")
    is_admin: Mapped[bool] = mapped_column(default=False)
    # The code editor's preferences (``EditorSettings``); ``None`` until first changed.
    editor_settings: Mapped[Any | None] = mapped_column(JSONType)
