"""storage.db: the session settings every connection of an engine gets."""

from __future__ import annotations

from sqlalchemy import text

from storage.db import open_database


def test_every_connection_has_the_backends_settings(db_url):
    engine, Session = open_database(db_url)
    for _ in range(2):  # a fresh connection, then one from the pool after a rollback
        with Session() as session:
            if engine.dialect.name == "postgresql":
                # JIT off for jobscout's short reads (docs/scale.md), and it survives the pool's reset.
                assert session.execute(text("SHOW jit")).scalar() == "off"
            else:
                assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
                assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
            session.rollback()
