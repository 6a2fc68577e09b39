from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, JSONType, utcnow


class VersionHistory(IdMixin, Base):
    """One version of a project: a git commit of its workspace, by the AI or a person."""

    __tablename__ = "version_history"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    message_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    commit_hash: Mapped[str] = mapped_column(String(40))
    description: Mapped[str | None] = mapped_column(Text)
    files_changed: Mapped[Any | None] = mapped_column(JSONType)
    author: Mapped[str] = mapped_column(String(16), default="ai")
    branch: Mapped[str] = mapped_column(String(255), default="main")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
