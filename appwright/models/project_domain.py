from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, JSONType, utcnow


class ProjectDomain(IdMixin, Base):
    """A domain a person added to a published project (``www.example.com``).

    ``name`` (lower-case ASCII, international names in their ``xn--`` form) is unique on
    the server. The gateway answers it with the project's live deployment once
    ``verified_at`` is set: the TXT record ``_appwright.{name}`` holds the token and the
    name points at the platform (see ``deploy/domains.py``).

    A domain added while the live deployment is on a hosted target (``target``: ``vercel``)
    is attached to the person's project there instead: ``hosted_records`` keeps the
    records that target asks for, ``verified_at`` is set once it says the domain is
    verified, and the gateway never answers it (the hosted platform serves it).
    """

    __tablename__ = "project_domains"

    project_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(253), unique=True)
    verification_token: Mapped[str] = mapped_column(String(64))
    verified_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_checked_at: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str | None] = mapped_column(Text)
    target: Mapped[str] = mapped_column(String(20), default="local", server_default="local")
    hosted_records: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
