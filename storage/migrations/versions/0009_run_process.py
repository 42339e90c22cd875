"""crawl_runs: the process that runs the crawl (pid, host), room for the ``interrupted`` status, board holds

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07

A run whose process died (SIGKILL, a lost host) stays ``running`` unless something can tell it is dead: the pid
and host say which process to look for. ``interrupted`` (11 characters) does not fit the old String(10).
``board_holds``: the boards a run held back for a shrink past the blast radius (crawler.closing), which the
next crawl of the board confirms. Existing rows get NULL pid/host: they finished long ago, or are judged by
their lock alone.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.alter_column("status", existing_type=sa.String(10), type_=sa.String(16), existing_nullable=False)
        batch.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("host", sa.String(200), nullable=True))
        batch.add_column(sa.Column("board_holds", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("board_holds")
        batch.drop_column("host")
        batch.drop_column("pid")
        batch.alter_column("status", existing_type=sa.String(16), type_=sa.String(10), existing_nullable=False)
