"""storage.migrations: one head, and the migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.db import open_database
from storage.migrate import current_revision, heads, include_object, upgrade_if_needed
from storage.models import Base


def test_single_head():
    assert len(heads()) == 1, f"migrations have several heads: {heads()}; merge them"


def test_migrations_match_models(db_url):
    engine, _ = open_database(db_url)
    assert current_revision(engine) == heads()[0]
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        diff = compare_metadata(context, Base.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_upgrade_is_a_no_op_at_head(db_url):
    engine, _ = open_database(db_url)
    assert upgrade_if_needed(engine) is False
