"""crawl_runs.board_results: each board's result in a run (listed, new, updated, closed, error and its kind)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07

A registry unit crawls a hundred boards in one run; ``jobscout runs show`` and liveness need each board's line, not
only the run's totals. Existing runs get NULL (their ``board_counts``/``board_errors`` still say what they did).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("board_results", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("board_results")
