"""query speed at a million postings on PostgreSQL: the workplace/seniority index carries the pay columns

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07

Indexes only, PostgreSQL only (docs/scale.md, issue 22); on SQLite nothing changes. Like 0012's it lives outside
the models (storage.migrate.UNMODELLED: the name starts with ``ix_postings_sort_``).

``ix_postings_sort_open_backend_facets_pay`` replaces 0012's ``..._facets``: the same keys (the open backend
postings by workplace and seniority, newest first) with the pay columns as INCLUDEd payload. ``jobscout query``
on PostgreSQL asks for the first page's ids before their rows (storage.query._ids_first), so the README's first
query (``--workplace remote --seniority senior --skill Go --min-pay 180000``) is an index-only walk of that index
that tests the pay terms on the index entries and stops at the 50th match. With 0012's index the pay terms needed
each posting's row, and the planner preferred ANDing the bitmaps of the single-column indexes (8,260 rows fetched
at 1M to keep 50: 600-800 ms on the development machine, against 20 ms now).
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CREATE = """CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_facets_pay
    ON postings (workplace, seniority, posted_at DESC NULLS LAST, id DESC)
    INCLUDE (pay_currency, pay_annual_max, pay_annual_min)
    WHERE closed_at IS NULL AND is_backend"""
# 0012's, to put back on a downgrade.
FACETS_0012 = """CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_facets
    ON postings (workplace, seniority, posted_at DESC NULLS LAST, id DESC)
    WHERE closed_at IS NULL AND is_backend"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(CREATE)
    op.execute("DROP INDEX IF EXISTS ix_postings_sort_open_backend_facets")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FACETS_0012)
    op.execute("DROP INDEX IF EXISTS ix_postings_sort_open_backend_facets_pay")
