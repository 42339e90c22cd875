"""source limits: per-source minimum interval between fetches (Remotive: at most 4 a day)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "source_limits",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("min_interval_seconds", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("source"),
    )
    op.bulk_insert(
        table,
        [
            {
                "source": "remotive",
                "min_interval_seconds": 6 * 3600,
                "reason": "Remotive's API terms: at most 4 requests a day",
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("source_limits")
