"""dedup and lifecycle: posting_sources.fingerprint and valid_through, posting_keys, crawl_locks

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("posting_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fingerprint", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("valid_through", sa.DateTime(), nullable=True))
    op.create_table(
        "posting_keys",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("key", "posting_id"),
    )
    with op.batch_alter_table("posting_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posting_keys_posting_id"), ["posting_id"], unique=False)
    op.create_table(
        "crawl_locks",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("board", sa.String(length=200), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("source", "board"),
    )


def downgrade() -> None:
    op.drop_table("crawl_locks")
    with op.batch_alter_table("posting_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_keys_posting_id"))
    op.drop_table("posting_keys")
    with op.batch_alter_table("posting_sources", schema=None) as batch_op:
        batch_op.drop_column("valid_through")
        batch_op.drop_column("fingerprint")
