from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from appwright.models.base import Base, IdMixin, TimestampMixin


class Project(IdMixin, TimestampMixin, Base):
    __tablename__ = "projects"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str | None] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(100))
    github_repo_url: Mapped[str | None] = mapped_column(Text)
    github_clone_url: Mapped[str | None] = mapped_column(Text)
    github_default_branch: Mapped[str | None] = mapped_column(String(255))
    github_webhook_secret_encrypted: Mapped[str | None] = mapped_column(Text)
    vercel_deployment_url: Mapped[str | None] = mapped_column(Text)
    publish_slug: Mapped[str | None] = mapped_column(String(63), unique=True)
    """The published app's host label: ``{publish_slug}.{apps_domain}``."""
    live_deployment_id: Mapped[uuid.UUID | None] = mapped_column()
    """The ready deployment the published URL serves (no foreign key: the two tables point
    at each other; the service keeps it one of this project's ready deployments)."""
    deploy_on_push: Mapped[bool] = mapped_column(default=False, server_default=false())
    """Publish (on this server) each push to the linked GitHub repository's current branch."""
    sandbox_id: Mapped[str | None] = mapped_column(String(255))
    supabase_connected: Mapped[bool] = mapped_column(default=False)
    firebase_connected: Mapped[bool] = mapped_column(default=False)
