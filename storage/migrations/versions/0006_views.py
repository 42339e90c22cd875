"""SQL views for sqlite3 / psql / Datasette users: postings_flat, posting_skills_flat, open_backend_postings

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28

The SQL is copied from storage/views.py as it was when this migration was written (a migration must not change
when the application code does). A later migration that rebuilds postings, skills or posting_skills on SQLite
must drop these views first and create them again afterwards (see docs/sql.md).
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

SQLITE = [
    """CREATE VIEW postings_flat AS
SELECT
    p.id, p.title, p.company, p.workplace, p.seniority, p.employment_type, p.country, p.city,
    p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_annual_min, p.pay_annual_max,
    p.posted_at, p.first_seen_at, p.last_seen_at, p.closed_at, p.is_backend,
    p.url, p.source, p.board,
    (SELECT group_concat(name, ', ') FROM (
            SELECT s.name AS name FROM posting_skills ps JOIN skills s ON s.id = ps.skill_id
            WHERE ps.posting_id = p.id ORDER BY s.name)) AS skills
FROM postings p""",
    """CREATE VIEW posting_skills_flat AS
SELECT ps.posting_id, s.name AS skill, s.category
FROM posting_skills ps JOIN skills s ON s.id = ps.skill_id""",
    """CREATE VIEW open_backend_postings AS
SELECT * FROM postings_flat WHERE closed_at IS NULL AND is_backend = TRUE""",
]

POSTGRESQL = [
    """CREATE VIEW postings_flat AS
SELECT
    p.id, p.title, p.company, p.workplace, p.seniority, p.employment_type, p.country, p.city,
    p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_annual_min, p.pay_annual_max,
    p.posted_at, p.first_seen_at, p.last_seen_at, p.closed_at, p.is_backend,
    p.url, p.source, p.board,
    (SELECT string_agg(s.name, ', ' ORDER BY s.name)
            FROM posting_skills ps JOIN skills s ON s.id = ps.skill_id
            WHERE ps.posting_id = p.id) AS skills
FROM postings p""",
    """CREATE VIEW posting_skills_flat AS
SELECT ps.posting_id, s.name AS skill, s.category
FROM posting_skills ps JOIN skills s ON s.id = ps.skill_id""",
    """CREATE VIEW open_backend_postings AS
SELECT * FROM postings_flat WHERE closed_at IS NULL AND is_backend = TRUE""",
]

DROP = [
    """DROP VIEW IF EXISTS open_backend_postings""",
    """DROP VIEW IF EXISTS posting_skills_flat""",
    """DROP VIEW IF EXISTS postings_flat""",
]


def upgrade() -> None:
    for statement in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP:
        op.execute(statement)
