"""Alembic, driven from code: ``jobscout db upgrade`` and the automatic upgrade on first use."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


# Backend-specific objects created outside the models: the search index of migration 0005 (see
# storage/search.py) and the sort indexes of migration 0007 (SQLite and PostgreSQL need different definitions).
UNMODELLED = ("postings_fts", "search_vector", "ix_postings_search_vector", "ix_postings_sort_")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate filter: leave the unmodelled backend-specific objects alone."""
    return not (name and name.startswith(UNMODELLED))


def alembic_config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


class SchemaError(RuntimeError):
    """The database's schema is not one this jobscout knows (a newer jobscout's, or not jobscout's)."""


def heads() -> list[str]:
    return list(ScriptDirectory.from_config(alembic_config()).get_heads())


def check_known(revision: str | None) -> None:
    """Raise :class:`SchemaError` when ``revision`` (the database's) is none of this jobscout's migrations: a newer
    jobscout migrated it, and this one must not touch it."""
    if revision is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    if revision in {rev.revision for rev in script.walk_revisions()}:
        return
    head = ",".join(script.get_heads())
    if revision.isdigit() and head.isdigit() and int(revision) > int(head):
        raise SchemaError(f"database schema {revision} is newer than this jobscout ({head}): upgrade jobscout")
    raise SchemaError(
        f"database schema revision {revision!r} is not one this jobscout knows (its newest is {head}): "
        "a database of a newer jobscout (upgrade jobscout), or not a jobscout database"
    )


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_if_needed(engine: Engine) -> bool:
    """Apply pending migrations; cheap when the database is already at head (one SELECT). Raises
    :class:`SchemaError` for a schema this jobscout does not know (it is left untouched)."""
    current = current_revision(engine)
    if current in heads():
        return False
    check_known(current)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes opening a fresh database at once (two crawls) must not both create the tables.
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7210005)")
            current = MigrationContext.configure(conn).get_current_revision()
            if current in heads():
                return False
            check_known(current)
        cfg = alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    return True
