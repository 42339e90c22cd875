"""storage.maintenance on SQLite and PostgreSQL: pruning in batches deletes exactly what one transaction did."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from pipeline.model import Location, Posting
from storage import models
from storage.db import open_database
from storage.ingest import Sighting, upsert_batch
from storage.maintenance import POSTING_CHILDREN, prune, prune_batches

T0 = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)


def job(n: int) -> Posting:
    return Posting(
        title=f"Platform Engineer {n}",
        source="lever",
        board="initech",
        external_id=f"job-{n}",
        company=f"Initech {n}",
        url=f"https://jobs.example.test/initech/{n}",
        posted_at=T0,
        is_backend=True,
        locations=[Location(raw="Oslo", city="Oslo", country="NO")],
        skills=["Rust", "Redis"],
        description_text=f"Opening {n}: queues and caches.",
    )


@pytest.fixture
def store(db_url):
    """Nine postings; 1-7 closed on day 1..7 (7 is closed after the cut-off), 8 and 9 open; a watch hit on 2."""
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(job(n), {"n": n}, T0 + timedelta(days=n % 3)) for n in range(1, 10)])
    with Session.begin() as s:
        for n in range(1, 8):
            s.execute(
                update(models.Posting)
                .where(models.Posting.external_id == f"job-{n}")
                .values(closed_at=T0 + timedelta(days=n))
            )
        watch = models.Watch(name="w", filters={}, notify="stdout", created_at=T0)
        s.add(watch)
        s.flush()
        two = s.scalar(select(models.Posting.id).where(models.Posting.external_id == "job-2"))
        s.add(models.WatchHit(watch_id=watch.id, posting_id=two, found_at=T0))
    return Session


def remaining(Session) -> tuple[list[str], dict[str, int]]:
    """The postings left, and per child table how many of its rows belong to postings 7-9 / all rows."""
    with Session() as s:
        left = sorted(s.scalars(select(models.Posting.external_id)))
        kept = select(models.Posting.id).where(models.Posting.external_id.in_(["job-7", "job-8", "job-9"]))
        children = {
            m.__tablename__: (
                s.scalar(select(func.count()).select_from(m).where(m.posting_id.in_(kept))),
                s.scalar(select(func.count()).select_from(m)),
            )
            for m in POSTING_CHILDREN
        }
    return left, children


@pytest.mark.parametrize("batch", [2, 1000])
def test_prune_in_batches_deletes_the_closed_postings_and_their_rows(store, batch):
    before = remaining(store)[1]
    assert before["watch_hits"] == (0, 1) and before["posting_sources"][0] == 3
    steps = []
    with store() as s:
        for step in prune_batches(s, T0 + timedelta(days=6, hours=1), None, batch=batch):
            s.commit()
            steps.append(step["postings_deleted"])
    assert sum(steps) == 6
    assert len(steps) == (3 if batch == 2 else 1)  # six postings, two per batch
    left, children = remaining(store)
    assert left == ["job-7", "job-8", "job-9"]
    # Every row of a deleted posting is gone (job-2's watch hit too); every row of a kept one is still there.
    assert children == {table: (kept, kept) for table, (kept, _) in before.items()}


def test_prune_in_batches_drops_old_payloads(store):
    with store() as s:
        steps = list(prune_batches(s, None, T0 + timedelta(days=1, hours=1), batch=2))
        s.commit()
    # Last seen on day 0 or 1 (n % 3): jobs 1, 3, 4, 6, 7, 9 -> six payloads, in batches of two.
    assert [step["payloads_dropped"] for step in steps] == [2, 2, 2]
    with store() as s:
        kept = s.scalar(select(func.count()).where(models.PostingSource.payload_gz.is_not(None)))
    assert kept == 3


def test_prune_is_the_batches_in_one_transaction(store):
    with store.begin() as s:
        out = prune(s, T0 + timedelta(days=3, hours=1), T0 + timedelta(days=100))
    assert out == {"postings_deleted": 3, "payloads_dropped": 6}
    assert remaining(store)[0] == [f"job-{n}" for n in range(4, 10)]


def test_nothing_closed_before_the_date_deletes_nothing(store):
    with store() as s:
        assert list(prune_batches(s, T0, None)) == []  # nothing closed before day 1
    assert len(remaining(store)[0]) == 9
