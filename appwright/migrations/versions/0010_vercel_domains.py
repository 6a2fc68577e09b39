"""project_domains.target and hosted_records: custom domains of apps live on Vercel

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("project_domains") as batch:
        batch.add_column(
            sa.Column("target", sa.String(length=20), server_default="local", nullable=False)
        )
        batch.add_column(
            sa.Column(
                "hosted_records",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("project_domains") as batch:
        batch.drop_column("hosted_records")
        batch.drop_column("target")
