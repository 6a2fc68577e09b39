"""project_domains: custom domains of published projects

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "project_domains",
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=253), nullable=False),
        sa.Column("verification_token", sa.String(length=64), nullable=False),
        sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_domains_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_domains")),
        sa.UniqueConstraint("name", name=op.f("uq_project_domains_name")),
    )
    with op.batch_alter_table("project_domains", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_domains_project_id"), ["project_id"])


def downgrade() -> None:
    with op.batch_alter_table("project_domains", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_domains_project_id"))
    op.drop_table("project_domains")
