"""storage.repository on SQLite and PostgreSQL: batched idempotent upserts, changes, lifecycle, round trips."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from pipeline.model import Location, PayRange, Posting
from storage import models
from storage.db import open_database
from storage.repository import (
    Sighting,
    close_unseen,
    decompress_payload,
    table_counts,
    to_schema,
    upsert_batch,
)

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def make_posting(external_id: str, *, title: str = "Senior Backend Engineer", pay_max: float = 200000.0) -> Posting:
    pay = PayRange(min=150000.0, max=pay_max, currency="USD", period="year", raw="$150,000 - $200,000")
    return Posting(
        title=title,
        source="greenhouse",
        board="acme",
        external_id=external_id,
        company="Acme, Inc.",
        url=f"https://example.test/jobs/{external_id}",
        posted_at=T0 - timedelta(days=3),
        is_backend=True,
        role_reason="title: backend",
        locations=[Location(raw="New York, NY", city="New York", region="NY", country="US")],
        workplace="hybrid",
        seniority="senior",
        pay=pay,
        pay_ranges=[pay],
        skills=["Go", "PostgreSQL"],
        skill_evidence={"Go": "Go", "PostgreSQL": "Postgres"},
        provenance={"pay": "structured"},
        description_text="We build Go services on Postgres.",
    )


def sighting(posting: Posting, at: datetime) -> Sighting:
    return Sighting(posting=posting, payload={"id": posting.external_id, "title": posting.title}, fetched_at=at)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_upsert_is_idempotent_and_only_moves_last_seen(db_url):
    _, Session = open_database(db_url)
    batch = [make_posting(str(i)) for i in range(3)]
    with Session.begin() as s:
        first = upsert_batch(s, [sighting(p, T0) for p in batch])
    assert (first.new, first.updated, first.unchanged) == (3, 0, 0)

    later = T0 + timedelta(hours=6)
    with Session.begin() as s:
        second = upsert_batch(s, [sighting(make_posting(str(i)), later) for i in range(3)])
    assert (second.new, second.updated, second.unchanged) == (0, 0, 3)
    with Session() as s:
        assert count(s, models.Posting) == 3
        assert count(s, models.PostingSource) == 3
        assert count(s, models.PostingChange) == 0
        row = s.scalars(select(models.Posting).where(models.Posting.external_id == "1")).one()
        assert row.first_seen_at == T0
        assert row.last_seen_at == later
        assert row.sources[0].last_seen_at == later


def test_duplicate_keys_in_one_batch_store_one_posting(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        result = upsert_batch(s, [sighting(make_posting("9"), T0), sighting(make_posting("9", title="Renamed"), T0)])
    assert result.new == 1
    with Session() as s:
        assert s.scalars(select(models.Posting.title)).all() == ["Renamed"]


def test_changed_pay_updates_and_records_a_change(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [sighting(make_posting("1"), T0)])
    with Session.begin() as s:
        result = upsert_batch(s, [sighting(make_posting("1", pay_max=230000.0), T0 + timedelta(days=1))])
    assert (result.new, result.updated) == (0, 1)
    with Session() as s:
        change = s.scalars(select(models.PostingChange)).one()
        assert change.field == "pay"
        assert change.old["max"] == 200000.0
        assert change.new["max"] == 230000.0
        assert s.scalars(select(models.Posting.pay_annual_max)).one() == 230000.0


def test_close_unseen_then_reappearing_reopens(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [sighting(make_posting(str(i)), T0) for i in range(3)])
    crawl_start = T0 + timedelta(days=1)
    with Session.begin() as s:
        upsert_batch(s, [sighting(make_posting(str(i)), crawl_start) for i in range(2)])
        closed = close_unseen(s, "greenhouse", "acme", crawl_start, crawl_start)
    assert closed == 1
    with Session() as s:
        gone = s.scalars(select(models.Posting).where(models.Posting.closed_at.is_not(None))).one()
        assert gone.external_id == "2"
        assert table_counts(s)["open_postings"] == 2
    with Session.begin() as s:
        result = upsert_batch(s, [sighting(make_posting("2"), crawl_start + timedelta(days=1))])
    assert result.reopened == 1
    with Session() as s:
        assert table_counts(s)["open_postings"] == 3


def test_schema_round_trip_and_compressed_payload(db_url):
    _, Session = open_database(db_url)
    original = make_posting("42")
    with Session.begin() as s:
        upsert_batch(s, [sighting(original, T0)])
    with Session() as s:
        row = s.scalars(select(models.Posting)).one()
        back = to_schema(row).to_dict()
        assert decompress_payload(row.sources[0].payload_gz) == {"id": "42", "title": original.title}
        skill_names = {k.skill.name: k.skill.category for k in row.skills}
    expected = original.to_dict()
    for key in ("id", "sources", "first_seen_at", "last_seen_at"):
        back.pop(key), expected.pop(key)
    assert back == expected
    assert set(skill_names) == {"Go", "PostgreSQL"}
