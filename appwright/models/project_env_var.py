from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, TimestampMixin


class ProjectEnvVar(IdMixin, TimestampMixin, Base):
    """A project environment variable; the value is encrypted at rest."""

    __tablename__ = "project_env_vars"
    __table_args__ = (UniqueConstraint("project_id", "key", name="uq_project_env_vars_key"),)

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(128))
    value_encrypted: Mapped[str] = mapped_column(Text)
