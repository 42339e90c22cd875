"""query speed at a million postings: per-currency pay order and workplace/seniority facets of open backend postings

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07

Indexes only (docs/scale.md, issue 22). Like 0007's sort indexes they are backend-specific (PostgreSQL: partial,
NULLS LAST; SQLite: the equality-prefixed shape its planner picks) and live outside the models
(storage.migrate.UNMODELLED: their names start with ``ix_postings_sort_``).

- ``..._currency_pay``: the converted pay sort reads each currency's best-paid open backend postings
  (storage.query._pay_candidates). Through ``ix_postings_pay (pay_currency, pay_annual_max)`` each branch read
  every posting of the currency, open or closed, backend or not, and fetched its row to find out; here it reads
  only the open backend ones, and from the index alone.
- ``..._facets``: ``--workplace remote --seniority senior`` (the README's first query) reads the open backend
  postings of that workplace and seniority newest first, instead of every open backend posting newest first
  until 50 match.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

SQLITE_INDEXES = [
    """CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_currency_pay
       ON postings (closed_at, is_backend, pay_currency, pay_annual_max DESC, id DESC)""",
    """CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_facets
       ON postings (closed_at, is_backend, workplace, seniority, posted_at)""",
]
POSTGRESQL_INDEXES = [
    """CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_currency_pay
       ON postings (pay_currency, pay_annual_max DESC, id DESC) WHERE closed_at IS NULL AND is_backend""",
    """CREATE INDEX IF NOT EXISTS ix_postings_sort_open_backend_facets
       ON postings (workplace, seniority, posted_at DESC NULLS LAST, id DESC)
       WHERE closed_at IS NULL AND is_backend""",
]


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for statement in SQLITE_INDEXES if sqlite else POSTGRESQL_INDEXES:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_postings_sort_open_backend_facets")
    op.execute("DROP INDEX IF EXISTS ix_postings_sort_open_backend_currency_pay")
