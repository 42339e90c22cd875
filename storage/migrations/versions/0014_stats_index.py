"""stats at a million postings: the columns of the open backend postings that jobscout stats reads, in one index

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07

An index only (docs/scale.md, issue 22), partial, and like 0012's outside the models (storage.migrate.UNMODELLED:
its name starts with ``ix_postings_sort_``). ``jobscout stats`` copies ``storage.stats.STATS_COLUMNS`` of the
filtered postings into a temporary table first (storage.stats.materialized); for the open backend postings (the
default) that read one wide row of ``postings`` per posting (descriptions inline), 238k rows at 1M postings. With
this index the copy reads the index alone: at 1M on SQLite 1.5-2.3 s of CPU became 0.5-0.9 s, and on PostgreSQL
the 1.2 s sequential scan of the table a 0.1 s index-only scan. Only open backend postings have entries (the index
is 29-35 MB at 1M); its cost to ingest at 1M is measured in docs/scale.md.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# storage.stats.STATS_COLUMNS. On SQLite the filter's columns come first, then workplace and seniority: with an index
# of only the (closed_at, is_backend) equalities beside 0012's, its planner read a --workplace filter through the
# single-column workplace index (every posting, open or closed), and a copy filtered by workplace or seniority
# reads this index too. jobscout query's sorted plans are unchanged (tests/test_query.py).
COLUMNS = "source, company_key, company, pay_currency, pay_annual_min, pay_annual_max, first_seen_at, posted_at"
SQLITE_INDEX = f"""CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_stats
    ON postings (closed_at, is_backend, workplace, seniority, id, {COLUMNS})
    WHERE closed_at IS NULL AND is_backend = 1"""
POSTGRESQL_INDEX = f"""CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_stats
    ON postings (id) INCLUDE ({COLUMNS}, workplace, seniority) WHERE closed_at IS NULL AND is_backend"""


def upgrade() -> None:
    op.execute(SQLITE_INDEX if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_INDEX)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_postings_sort_open_backend_stats")
