"""storage.views on SQLite and PostgreSQL: the views exist, read what the tables hold, and drop cleanly."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from storage.db import open_database
from storage.views import VIEWS, create_statements, create_views, drop_views, view_sql
from tests.sample_postings import OPEN_BACKEND, SAMPLE, build_sample

FLAT_COLUMNS = [
    "id", "title", "company", "workplace", "seniority", "employment_type", "country", "city",
    "pay_min", "pay_max", "pay_currency", "pay_period", "pay_annual_min", "pay_annual_max",
    "posted_at", "first_seen_at", "last_seen_at", "closed_at", "is_backend", "url", "source", "board", "skills",
]  # fmt: skip


@pytest.fixture
def engine(db_url):
    build_sample(db_url)
    from storage.db import get_engine

    engine = get_engine(db_url)
    with engine.begin() as conn:
        create_views(conn)
    return engine


def by_id(conn, sql: str) -> dict[str, dict]:
    rows = conn.execute(text(sql)).mappings().all()
    return {r["url"].rsplit("/", 1)[1]: dict(r) for r in rows}


def test_views_are_created(engine):
    names = set(inspect(engine).get_view_names())
    assert set(VIEWS) <= names


def test_postings_flat(engine):
    with engine.connect() as conn:
        result = conn.execute(text("SELECT * FROM postings_flat"))
        assert list(result.keys()) == FLAT_COLUMNS
        rows = by_id(conn, "SELECT * FROM postings_flat")
    assert sorted(rows) == sorted(SAMPLE)
    assert rows["a"]["skills"] == "Go, PostgreSQL"
    assert rows["e"]["skills"] == "Java, Kafka"  # alphabetical
    assert (rows["e"]["city"], rows["e"]["country"], rows["e"]["pay_currency"]) == ("Berlin", "DE", "EUR")
    assert (rows["c"]["pay_annual_min"], rows["c"]["pay_annual_max"], rows["c"]["pay_period"]) == (
        None,
        90000.0,
        "month",
    )
    assert rows["g"]["closed_at"] is not None
    assert not rows["h"]["is_backend"]


def test_open_backend_postings(engine):
    with engine.connect() as conn:
        rows = by_id(conn, "SELECT * FROM open_backend_postings")
        assert sorted(rows) == list(OPEN_BACKEND)
        go_remote = conn.execute(
            text(
                "SELECT count(*) FROM open_backend_postings WHERE workplace = 'remote' "
                "AND id IN (SELECT posting_id FROM posting_skills_flat WHERE skill = 'Go')"
            )
        ).scalar()
    assert go_remote == 2


def test_posting_skills_flat(engine):
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT skill, category, count(*) AS n FROM posting_skills_flat GROUP BY skill, category "
                "ORDER BY n DESC, skill"
            )
        ).all()
    counts = {skill: (category, n) for skill, category, n in rows}
    assert counts["Go"] == ("language", 5)  # a, b, d, g, h
    assert counts["Kafka"] == (None, 2)
    assert sum(n for _, n in counts.values()) == sum(len(spec[3]) for spec in SAMPLE.values())


def test_create_twice_then_drop(engine):
    with engine.begin() as conn:
        create_views(conn)  # idempotent
    with engine.begin() as conn:
        drop_views(conn)
    assert not set(VIEWS) & set(inspect(engine).get_view_names())
    with engine.begin() as conn:
        drop_views(conn)  # nothing left to drop: still fine


def test_sql_per_dialect():
    assert "group_concat" in view_sql("postings_flat", "sqlite")
    assert "string_agg" in view_sql("postings_flat", "postgresql")
    assert create_statements("sqlite")[0].startswith("CREATE VIEW postings_flat AS")
    with pytest.raises(ValueError, match="mysql"):
        view_sql("postings_flat", "mysql")


def test_migrations_create_the_views(db_url):
    engine, _ = open_database(db_url)
    assert set(VIEWS) <= set(inspect(engine).get_view_names())
