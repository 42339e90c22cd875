"""query speed: posting_locations (narrow, indexed --city/--country) and sort indexes for open backend postings

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

Adds tables and indexes only (no table is rebuilt, so the SQL views of 0006 stay as they are).

- ``posting_locations``: one row per entry of ``postings.locations`` (city lower-cased, country upper-cased),
  kept in step by the application (storage.models.sync_locations); backfilled here from the JSON in batches.
- Indexes that hand the open backend postings (``jobscout query``'s default set) over in the order the two sorts
  read them (``posted_at DESC NULLS LAST, id DESC``; ``pay_annual_max DESC NULLS LAST, id DESC``). They are
  backend-specific (PostgreSQL: partial indexes with NULLS LAST; SQLite sorts NULLs last in DESC order already,
  refuses NULLS LAST in an index, and picks equality-prefixed indexes), so they live outside the models like the
  search index (storage.migrate.UNMODELLED).
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 2000

# SQLite: the newest-first sort is already served by ix_postings_open_backend_posted (closed_at, is_backend,
# posted_at, then the rowid); its planner prefers an index with equality terms over a partial one, so the pay
# sort gets the same shape.
SQLITE_INDEXES = [
    """CREATE INDEX ix_postings_sort_open_backend_pay
       ON postings (closed_at, is_backend, pay_annual_max DESC, id DESC)""",
]
POSTGRESQL_INDEXES = [
    """CREATE INDEX ix_postings_sort_open_backend_posted ON postings (posted_at DESC NULLS LAST, id DESC)
       WHERE closed_at IS NULL AND is_backend""",
    """CREATE INDEX ix_postings_sort_open_backend_pay ON postings (pay_annual_max DESC NULLS LAST, id DESC)
       WHERE closed_at IS NULL AND is_backend""",
]


def _location_rows(posting_id: int, locations) -> list[dict]:
    # A copy of storage.models.location_rows as it is now (a migration must not change with the application).
    if isinstance(locations, str):
        locations = json.loads(locations)
    rows = []
    for position, loc in enumerate(locations or []):
        if not isinstance(loc, dict):
            continue
        city, region, country = loc.get("city"), loc.get("region"), loc.get("country")
        rows.append(
            {
                "posting_id": posting_id,
                "position": position,
                "city_key": city.lower()[:200] if city else None,
                "region": region[:200] if region else None,
                "country": country.upper()[:2] if country else None,
            }
        )
    return rows


def upgrade() -> None:
    table = op.create_table(
        "posting_locations",
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("city_key", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("posting_id", "position"),
    )
    # Backfill before indexing (one index build, not row-by-row maintenance), in batches of ids (bounded memory).
    bind = op.get_bind()
    postings = sa.table("postings", sa.column("id", sa.Integer), sa.column("locations", sa.Text))
    last = 0
    while True:
        batch = bind.execute(
            sa.select(postings.c.id, postings.c.locations)
            .where(postings.c.id > last)
            .order_by(postings.c.id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        rows = [row for pid, locations in batch for row in _location_rows(pid, locations)]
        if rows:
            bind.execute(sa.insert(table), rows)
        last = batch[-1][0]
    op.create_index("ix_posting_locations_city", "posting_locations", ["city_key", "posting_id"])
    op.create_index("ix_posting_locations_country", "posting_locations", ["country", "posting_id"])
    for statement in SQLITE_INDEXES if bind.dialect.name == "sqlite" else POSTGRESQL_INDEXES:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_postings_sort_open_backend_pay")
    op.execute("DROP INDEX IF EXISTS ix_postings_sort_open_backend_posted")
    op.drop_index("ix_posting_locations_country", table_name="posting_locations")
    op.drop_index("ix_posting_locations_city", table_name="posting_locations")
    op.drop_table("posting_locations")
