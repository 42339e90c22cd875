"""storage.ingest's multi-row inserts (``_insert_rows``): the rows and the full-text index they store are the ones
SQLAlchemy's executemany stores; the rest of the write path is tested in tests/test_repository.py."""

from __future__ import annotations

import math
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, insert, select, text

from pipeline.model import Location, PayRange, Posting
from pipeline.normalize import normalize_text
from storage import models
from storage.db import open_database
from storage.ingest import _Columns, _insert_rows
from storage.mapping import apply_posting, set_identity

T0 = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)

# (title, description, pay, locations, skills): values of every kind a postings row holds (JSON lists and objects,
# dates, floats, nulls, non-ASCII text), in our own words.
CASES = [
    ("Backend Developer", "Write Go services; run them on Postgres.", (90000.0, 120000.0), ["Lisbon"], ["Go"]),
    ("Ingénieur logiciel", "Développer des API en Python, déployées sur Kubernetes.", None, [], ["Python"]),
    ("Platform Engineer (C#)", "C# and F# on .NET; some C++ too.", (70.5, 85.25), ["Oslo", "Bergen"], []),
    ("SRE", "", None, ["Remote"], ["Kubernetes", "Terraform"]),
    ("Data Engineer", "Kafka pipelines \u2014 \U0001f680 streaming at scale.", (50000.0, None), [], ["Kafka"]),
]


def posting(i: int, case: tuple) -> Posting:
    title, description, pay, places, skills = case
    ranges = [PayRange(min=pay[0], max=pay[1], currency="EUR", period="year", raw="stated")] if pay else []
    return Posting(
        title=title,
        source="lever",
        board="tests",
        external_id=f"job-{i}",
        company="Example Co",
        url=f"https://jobs.example.test/{i}",
        posted_at=T0 - timedelta(days=i) if i % 2 else None,
        is_backend=bool(i % 2),
        locations=[Location(raw=place, city=place) for place in places],
        pay=ranges[0] if ranges else None,
        pay_ranges=ranges,
        skills=skills,
        skill_evidence={name: name.lower() for name in skills},
        provenance={"pay": "structured"} if pay else {},
        description_text=description,
    )


def posting_row(i: int, case: tuple, row_id: int) -> dict:
    """A postings row as the ingest builds one (storage.ingest._BatchWriter.insert_fresh)."""
    row = _Columns(first_seen_at=T0, last_seen_at=T0 + timedelta(hours=i), updated_at=T0)
    set_identity(row, posting(i, case))
    row.id = row_id
    apply_posting(row, posting(i, case), f"digest-{i}")
    return vars(row)


def stored(session, ids: range) -> list[tuple]:
    """The stored columns of ``ids``' rows (id and external_id left out), as the database returns them."""
    table = models.Posting.__table__
    columns = [c for c in table.c if c.name not in ("id", "external_id")]
    rows = session.execute(select(*columns).where(table.c.id.in_(list(ids))).order_by(table.c.id)).all()
    return [tuple(row) for row in rows]


def test_multirow_inserts_store_what_sqlalchemys_insert_stores(db_url):
    table = models.Posting.__table__
    _, Session = open_database(db_url)
    with Session.begin() as s:
        _insert_rows(s.connection(), table, [posting_row(i, c, 1 + i) for i, c in enumerate(CASES)])
        s.connection().execute(insert(table), [posting_row(i, c, 101 + i) for i, c in enumerate(CASES)])
    with Session() as s:
        ours, theirs = stored(s, range(1, 100)), stored(s, range(101, 200))
        assert len(ours) == len(CASES) and ours == theirs
        # Read through the ORM (JSON and UTC dates decoded), the values are the ones written.
        first = s.get(models.Posting, 1)
        assert first.last_seen_at == T0 and first.locations[0]["city"] == "Lisbon" and first.pay_max == 120000.0


def fts_instances(url: str) -> list[tuple]:
    """Every (term, row, column, offset) of the full-text index, after FTS5's own integrity check."""
    engine, _ = open_database(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO postings_fts(postings_fts, rank) VALUES ('integrity-check', 1)"))
        conn.execute(text("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, postings_fts, 'instance')"))
        return [tuple(row) for row in conn.execute(text("SELECT * FROM temp.terms ORDER BY 1, 2, 3, 4"))]


def test_the_full_text_index_is_the_one_row_by_row_inserts_build(tmp_path):
    rows = [posting_row(i, c, 1 + i) for i, c in enumerate(CASES * 3)]
    urls = {}
    for how in ("multirow", "executemany"):
        urls[how] = f"sqlite:///{tmp_path / how}.db"
        _, Session = open_database(urls[how])
        for start in (0, 7):  # two transactions: the second batch lands in an index that has segments
            with Session.begin() as s:
                chunk = rows[start : start + 7] if start == 0 else rows[start:]
                if how == "multirow":
                    _insert_rows(s.connection(), models.Posting.__table__, chunk)
                else:
                    s.connection().execute(insert(models.Posting.__table__), chunk)
    ours = fts_instances(urls["multirow"])
    assert ours and ours == fts_instances(urls["executemany"])
    assert ("c#", 3, "description_text", 0) in ours  # '#' stays inside a token (storage/search.py)


@pytest.mark.parametrize("limit, rows", [(60, 10), (100, 3), (32766, 40)])
def test_rows_beyond_the_variable_limit_go_in_as_several_statements(sqlite_url, limit, rows):
    table = models.Posting.__table__
    batch = [posting_row(i, CASES[i % len(CASES)], 1 + i) for i in range(rows)]
    engine, Session = open_database(sqlite_url)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith('INSERT INTO "postings"') or statement.startswith("INSERT INTO postings"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    with Session.begin() as s:
        s.connection().connection.driver_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
        _insert_rows(s.connection(), table, batch)
    event.remove(engine, "before_cursor_execute", count)
    per_statement = max(1, limit // len(batch[0]))
    assert len(statements) == math.ceil(rows / per_statement)
    with Session() as s:
        assert s.scalar(select(text("count(*)")).select_from(table)) == rows


def test_rows_that_leave_out_a_column_with_a_default_get_the_default(sqlite_url):
    table = models.Posting.__table__
    without_default = [posting_row(0, CASES[0], 1), posting_row(1, CASES[1], 2)]
    for row in without_default:
        del row["is_backend"]  # SQLAlchemy's insert fills the column's default in: the multi-row path leaves it
    _, Session = open_database(sqlite_url)
    with Session.begin() as s:
        _insert_rows(s.connection(), table, without_default)
    with Session() as s:
        assert [s.get(models.Posting, i).is_backend for i in (1, 2)] == [False, False]


def test_values_go_to_their_columns_by_name_whatever_the_order_of_a_rows_keys(sqlite_url):
    rows = [posting_row(0, CASES[0], 1), posting_row(1, CASES[1], 2)]
    rows[1]["department"] = "Platform"
    rows[1] = dict(reversed(rows[1].items()))
    _, Session = open_database(sqlite_url)
    with Session.begin() as s:
        _insert_rows(s.connection(), models.Posting.__table__, rows)
    with Session() as s:
        second = s.get(models.Posting, 2)
        assert (second.department, second.title, second.external_id) == ("Platform", CASES[1][0], "job-1")


def test_a_payload_compresses_to_the_same_bytes_whatever_the_time(monkeypatch):
    import time

    from storage.ingest import decompress_payload, prepare

    posting = normalize_text("Backend Engineer\nGo and Kafka.")
    payload = {"title": "Backend Engineer", "content": "Go and Kafka."}
    first = prepare(posting, payload).payload_gz
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3600)
    assert prepare(posting, payload).payload_gz == first  # gzip's header holds no timestamp
    assert decompress_payload(first) == payload
