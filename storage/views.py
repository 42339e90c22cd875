"""SQL views for people who open the database with sqlite3, psql or Datasette (documented in docs/sql.md).

``VIEWS`` maps each view's name to its ``SELECT`` per dialect (``"sqlite"``, ``"postgresql"``): the statements
differ only where the dialects do (``group_concat`` vs ``string_agg`` for the skills list). The views are listed
in creation order (a later view may read an earlier one); :func:`drop_views` drops them in reverse.

The migrations create them by copying this SQL; :func:`create_views` does the same on a connection (tests, or a
database made without migrations). A migration that rebuilds ``postings``, ``skills`` or ``posting_skills``
(SQLite batch mode copies and renames the table) must drop the views first and create them again afterwards.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

# Skills of posting p as one string, alphabetical, ", "-separated (NULL when it has none).
_SKILLS_SQLITE = """(SELECT group_concat(name, ', ') FROM (
            SELECT s.name AS name FROM posting_skills ps JOIN skills s ON s.id = ps.skill_id
            WHERE ps.posting_id = p.id ORDER BY s.name))"""
_SKILLS_POSTGRESQL = """(SELECT string_agg(s.name, ', ' ORDER BY s.name)
            FROM posting_skills ps JOIN skills s ON s.id = ps.skill_id
            WHERE ps.posting_id = p.id)"""

_POSTINGS_FLAT = """SELECT
    p.id, p.title, p.company, p.workplace, p.seniority, p.employment_type, p.country, p.city,
    p.pay_min, p.pay_max, p.pay_currency, p.pay_period, p.pay_annual_min, p.pay_annual_max,
    p.posted_at, p.first_seen_at, p.last_seen_at, p.closed_at, p.is_backend,
    p.url, p.source, p.board,
    {skills} AS skills
FROM postings p"""

_POSTING_SKILLS_FLAT = """SELECT ps.posting_id, s.name AS skill, s.category
FROM posting_skills ps JOIN skills s ON s.id = ps.skill_id"""

# TRUE is a keyword on both (SQLite 3.23+: TRUE = 1, which is how SQLite stores a boolean).
_OPEN_BACKEND = """SELECT * FROM postings_flat WHERE closed_at IS NULL AND is_backend = TRUE"""

VIEWS: dict[str, dict[str, str]] = {
    "postings_flat": {
        "sqlite": _POSTINGS_FLAT.format(skills=_SKILLS_SQLITE),
        "postgresql": _POSTINGS_FLAT.format(skills=_SKILLS_POSTGRESQL),
    },
    "posting_skills_flat": {"sqlite": _POSTING_SKILLS_FLAT, "postgresql": _POSTING_SKILLS_FLAT},
    "open_backend_postings": {"sqlite": _OPEN_BACKEND, "postgresql": _OPEN_BACKEND},
}


def view_sql(name: str, dialect: str) -> str:
    """The ``SELECT`` of view ``name`` for ``dialect`` (``sqlite`` or ``postgresql``)."""
    try:
        return VIEWS[name][dialect]
    except KeyError:
        raise ValueError(f"no view {name!r} for dialect {dialect!r}") from None


def create_statements(dialect: str) -> list[str]:
    """``CREATE VIEW`` statements in dependency order (what a migration runs)."""
    return [f"CREATE VIEW {name} AS\n{view_sql(name, dialect)}" for name in VIEWS]


def drop_statements() -> list[str]:
    return [f"DROP VIEW IF EXISTS {name}" for name in reversed(VIEWS)]


def create_views(connection: Connection) -> None:
    """(Re)create every view on ``connection``; the caller commits."""
    dialect = connection.dialect.name
    drop_views(connection)
    for statement in create_statements(dialect):
        connection.execute(text(statement))


def drop_views(connection: Connection) -> None:
    for statement in drop_statements():
        connection.execute(text(statement))
