from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, JSONType, TimestampMixin


class Deployment(IdMixin, TimestampMixin, Base):
    """One publish of one version of a project to one target (local or Vercel).

    ``status`` goes ``queued → building → ready | error | canceled``; a ready deployment's
    artefact never changes, so rolling back is switching ``projects.live_deployment_id``.
    """

    __tablename__ = "deployments"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    target: Mapped[str] = mapped_column(String(20))
    commit_sha: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    url: Mapped[str | None] = mapped_column(Text)
    external_id: Mapped[str | None] = mapped_column(String(255))
    error_summary: Mapped[str | None] = mapped_column(Text)
    build_errors: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    """A failed build's errors read from its log: ``{file, line, column, message}``."""
    started_at: Mapped[datetime | None] = mapped_column()
    finished_at: Mapped[datetime | None] = mapped_column()
