"""GitHub: per-user connections (encrypted token), project clone URL, branch, webhook secret

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "github_connections",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_encrypted", sa.Text(), nullable=False),
        sa.Column("login", sa.String(length=255), nullable=False),
        sa.Column("scopes", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_github_connections_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_github_connections")),
        sa.UniqueConstraint("user_id", name=op.f("uq_github_connections_user_id")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("github_clone_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("github_default_branch", sa.String(255), nullable=True))
        batch_op.add_column(sa.Column("github_webhook_secret_encrypted", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("github_webhook_secret_encrypted")
        batch_op.drop_column("github_default_branch")
        batch_op.drop_column("github_clone_url")
    op.drop_table("github_connections")
