"""full-text search (SQLite FTS5 / PostgreSQL tsvector) and watches

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

The search index is backend-specific and lives outside the SQLAlchemy models (see storage.migrate.include_object):
on SQLite an external-content FTS5 table kept in step by triggers; on PostgreSQL a generated tsvector column with
a GIN index. A later migration that recreates the postings table on SQLite must recreate the triggers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

SQLITE_FTS = [
    # '#' and '+' are token characters so that C#, C++ and F# are searchable as themselves.
    """CREATE VIRTUAL TABLE postings_fts USING fts5(title, description_text, content='postings',
       content_rowid='id', tokenize="porter unicode61 tokenchars '#+'")""",
    """CREATE TRIGGER postings_fts_ai AFTER INSERT ON postings BEGIN
         INSERT INTO postings_fts(rowid, title, description_text) VALUES (new.id, new.title, new.description_text);
       END""",
    """CREATE TRIGGER postings_fts_ad AFTER DELETE ON postings BEGIN
         INSERT INTO postings_fts(postings_fts, rowid, title, description_text)
         VALUES ('delete', old.id, old.title, old.description_text);
       END""",
    """CREATE TRIGGER postings_fts_au AFTER UPDATE OF title, description_text ON postings BEGIN
         INSERT INTO postings_fts(postings_fts, rowid, title, description_text)
         VALUES ('delete', old.id, old.title, old.description_text);
         INSERT INTO postings_fts(rowid, title, description_text) VALUES (new.id, new.title, new.description_text);
       END""",
    "INSERT INTO postings_fts(postings_fts) VALUES ('rebuild')",
]

POSTGRES_FTS = [
    """ALTER TABLE postings ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
         setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
         setweight(to_tsvector('english', coalesce(description_text, '')), 'B')) STORED""",
    "CREATE INDEX ix_postings_search_vector ON postings USING gin (search_vector)",
]


def upgrade() -> None:
    statements = SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else POSTGRES_FTS
    for statement in statements:
        op.execute(statement)

    op.create_table(
        "watches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("notify", sa.Text(), nullable=False),
        sa.Column("pay_changes", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_run_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "watch_hits",
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("found_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["watch_id"], ["watches.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("watch_id", "posting_id"),
    )
    op.create_table(
        "watch_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("watch_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["watch_id"], ["watches.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("watch_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_deliveries_watch_id"), ["watch_id"], unique=False)


def downgrade() -> None:
    op.drop_table("watch_deliveries")
    op.drop_table("watch_hits")
    op.drop_table("watches")
    if op.get_bind().dialect.name == "sqlite":
        for name in ("postings_fts_ai", "postings_fts_ad", "postings_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS postings_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_postings_search_vector")
        op.execute("ALTER TABLE postings DROP COLUMN IF EXISTS search_vector")
