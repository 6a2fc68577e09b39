from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, utcnow


class ProjectBackend(IdMixin, Base):
    """A project's database (``backend/``): which provider holds it and how to reach it.

    ``credentials_encrypted`` is the provider's credentials (role names and passwords,
    host, port, database) as JSON, encrypted with the platform's ``SecretBox`` as
    project variables are. One backend per project.
    """

    __tablename__ = "project_backends"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), unique=True
    )
    provider: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    credentials_encrypted: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
