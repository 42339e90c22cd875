"""boards: the board registry in the database (shipped, user and discovered boards, their liveness); registry_loads

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07

The rows are loaded after the schema is up to date, by ``crawler.boards.sync`` (``jobscout db upgrade`` and the
first command that opens the database): one bulk ``INSERT ... ON CONFLICT DO NOTHING`` per registry file content,
recorded in ``registry_loads`` so a new package version adds its new boards and never touches existing rows.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "boards",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("token", sa.String(300), nullable=False),
        sa.Column("token_key", sa.String(300), nullable=False),
        sa.Column("company", sa.String(300), nullable=True),
        sa.Column("config", sa.JSON(), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("first_seen_at", sa.DateTime(), nullable=False),
        sa.Column("last_ok_at", sa.DateTime(), nullable=True),
        sa.Column("last_listed", sa.Integer(), nullable=True),
        sa.Column("last_checked_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("missing_since", sa.DateTime(), nullable=True),
        sa.Column("gone_since", sa.DateTime(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.UniqueConstraint("source", "token_key", name="uq_boards_source_token_key"),
    )
    op.create_index("ix_boards_source_status", "boards", ["source", "status"])
    op.create_table(
        "registry_loads",
        sa.Column("fingerprint", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("registry_loads")
    op.drop_index("ix_boards_source_status", table_name="boards")
    op.drop_table("boards")
