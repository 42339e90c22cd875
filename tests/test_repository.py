"""Storage on SQLite and PostgreSQL: batched idempotent upserts, changes, lifecycle, round trips."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from pipeline.merge import merge
from pipeline.model import Location, PayRange, Posting
from storage import models
from storage.db import open_database
from storage.ingest import (
    Resighting,
    Sighting,
    decompress_payload,
    known_payloads,
    payload_digest,
    touch_sources,
    upsert_batch,
)
from storage.lifecycle import close_unseen
from storage.maintenance import table_counts
from storage.mapping import to_schema

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


def test_known_payloads_say_which_normalizer_stored_each_payload(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [sighting(make_posting("1"), T0)])
        stamped = sighting(make_posting("2"), T0)
        stamped.normalized_by = "v1"
        upsert_batch(s, [stamped])
    with Session() as s:
        known = known_payloads(s, "greenhouse", "acme")
        assert known_payloads(s, "greenhouse", "other") == {}
    assert known == {
        "1": (payload_digest({"id": "1", "title": "Senior Backend Engineer"}), None),
        "2": (payload_digest({"id": "2", "title": "Senior Backend Engineer"}), "v1"),
    }
    # A payload seen again but changed is normalized again, and stamped by whoever normalized it.
    with Session.begin() as s:
        again = sighting(make_posting("1", title="Staff Backend Engineer"), T0 + timedelta(days=1))
        again.normalized_by = "v2"
        upsert_batch(s, [again])
    with Session() as s:
        assert known_payloads(s, "greenhouse", "acme")["1"][1] == "v2"


def test_touch_sources_moves_last_seen_and_reopens_without_other_changes(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [sighting(make_posting(str(i)), T0) for i in range(3)])
    crawl_start = T0 + timedelta(days=1)
    with Session.begin() as s:
        upsert_batch(s, [sighting(make_posting(str(i)), crawl_start) for i in range(2)])
        assert close_unseen(s, "greenhouse", "acme", crawl_start, crawl_start) == 1
    with Session() as s:
        before = {r.external_id: to_schema(r).to_dict() for r in s.scalars(select(models.Posting))}
    later = crawl_start + timedelta(days=1)
    with Session.begin() as s:
        result = touch_sources(
            s,
            [
                Resighting("greenhouse", "acme", "0", later),
                Resighting("greenhouse", "acme", "2", later),  # the closed one is back
                Resighting("greenhouse", "acme", "2", later - timedelta(seconds=1)),  # listed twice: the latest wins
                Resighting("greenhouse", "acme", "unknown", later),  # never stored: ignored
            ],
        )
    assert (result.unchanged, result.reopened, result.new, result.updated) == (2, 1, 0, 0)
    with Session() as s:
        rows = {r.external_id: r for r in s.scalars(select(models.Posting))}
        assert rows["0"].last_seen_at == later and rows["0"].sources[0].last_seen_at == later
        assert rows["0"].sources[0].fetched_at == later
        assert rows["2"].closed_at is None and rows["2"].sources[0].closed_at is None
        assert rows["2"].last_seen_at == later
        assert rows["1"].last_seen_at == crawl_start  # not re-sighted: untouched
        assert table_counts(s)["open_postings"] == 3
        assert count(s, models.PostingChange) == 0
        after = {k: to_schema(r).to_dict() for k, r in rows.items()}
    for key in before:
        for moved in ("last_seen_at", "closed_at", "sources"):
            before[key].pop(moved), after[key].pop(moved)
        assert after[key] == before[key]
    # An older sighting never moves last_seen_at back.
    with Session.begin() as s:
        touch_sources(s, [Resighting("greenhouse", "acme", "0", T0)])
    with Session() as s:
        row = s.scalars(select(models.Posting).where(models.Posting.external_id == "0")).one()
        assert row.last_seen_at == later and row.sources[0].last_seen_at == later


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


# --- dedup across sources, merging, lifecycle, reprocess, prune -------------------------------------------------
COPY_TEXT = (
    "We build Go services on Postgres for the routing platform that plans forty thousand deliveries a day, with "
    "Kafka between the services and Kubernetes underneath. You will own APIs end to end, from design documents to "
    "production incidents, and mentor two engineers. Five years of backend experience and good SQL are expected."
)


def ats_posting(external_id: str = "1", requisition_id: str | None = None) -> Posting:
    p = make_posting(external_id)
    p.description_text = COPY_TEXT
    p.requisition_id = requisition_id or f"REQ-{external_id}"
    return p


def aggregator_copy(external_id: str = "r1", *, pay: bool = False) -> Posting:
    text_pay = PayRange(min=140000.0, max=190000.0, currency="USD", period="year", raw="$140k-$190k")
    return Posting(
        title="Senior Backend Engineer",
        source="remotive",
        board="remotive",
        external_id=external_id,
        company="Acme",
        url=f"https://remotive.example/jobs/{external_id}?utm_source=feed",
        locations=[Location(raw="New York", city="New York", country="US")],
        workplace="hybrid",
        pay=text_pay if pay else None,
        pay_ranges=[text_pay] if pay else [],
        provenance={"pay": "text"} if pay else {},
        employment_type="full_time",
        description_text="Apply today. " + COPY_TEXT[:260],
    )


def test_an_aggregator_copy_becomes_another_source_of_the_ats_posting(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [sighting(ats_posting("1"), T0)])
    with Session.begin() as s:
        result = upsert_batch(s, [sighting(aggregator_copy(), T0 + timedelta(hours=1))])
    assert (result.new, result.merged) == (0, 1)
    with Session() as s:
        row = s.scalars(select(models.Posting)).one()
        assert [(x.source, x.external_id) for x in row.sources] == [("greenhouse", "1"), ("remotive", "r1")]
        assert row.source == "greenhouse"
        assert row.pay_annual_max == 200000.0  # structured ATS pay kept over the copy's
        assert row.employment_type == "full_time"  # a gap filled from the copy
        assert count(s, models.PostingKey) > 0


def test_the_ats_arriving_later_becomes_canonical_and_keeps_the_earliest_first_seen(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [sighting(aggregator_copy(pay=True), T0)])
    with Session.begin() as s:
        result = upsert_batch(s, [sighting(ats_posting("1"), T0 + timedelta(days=2))])
    assert (result.new, result.merged) == (0, 1)
    with Session() as s:
        row = s.scalars(select(models.Posting)).one()
        assert (row.source, row.external_id) == ("greenhouse", "1")
        assert row.first_seen_at == T0
        assert row.pay_annual_max == 200000.0 and row.provenance["pay"] == "structured"
        assert len(row.sources) == 2


def test_one_requisition_in_several_cities_is_one_posting_with_several_locations(db_url):
    _, Session = open_database(db_url)
    austin = ats_posting("2", requisition_id="REQ-1")
    austin.locations = [Location(raw="Austin, TX", city="Austin", region="TX", country="US")]
    with Session.begin() as s:
        result = upsert_batch(s, [sighting(ats_posting("1", requisition_id="REQ-1"), T0), sighting(austin, T0)])
    assert (result.new, result.merged) == (1, 1)
    with Session() as s:
        row = s.scalars(select(models.Posting)).one()
        assert [loc["city"] for loc in row.locations] == ["New York", "Austin"]
        assert count(s, models.PostingChange) == 0


def test_windowed_feed_closes_by_expiry_or_days_unseen_and_all_sources_must_close(db_url):
    from storage.lifecycle import close_windowed

    _, Session = open_database(db_url)
    expiring = aggregator_copy("r2")
    expiring.company, expiring.title = "Globex", "Data Engineer"
    expiring.valid_through = T0 + timedelta(days=3)
    with Session.begin() as s:
        upsert_batch(s, [sighting(ats_posting("1"), T0), sighting(aggregator_copy("r1"), T0), sighting(expiring, T0)])
    with Session.begin() as s:
        assert close_windowed(s, "remotive", T0 + timedelta(days=1), 30) == 0
        assert close_windowed(s, "remotive", T0 + timedelta(days=4), 30) == 1  # valid_through passed
        # Unseen for 31 days: the copy's source closes, but its posting still has an open ATS source.
        assert close_windowed(s, "remotive", T0 + timedelta(days=31), 30) == 0
    with Session() as s:
        row = s.scalars(select(models.Posting).where(models.Posting.source == "greenhouse")).one()
        assert row.closed_at is None
        assert {x.source: x.closed_at is not None for x in row.sources} == {"greenhouse": False, "remotive": True}
    with Session.begin() as s:
        assert close_unseen(s, "greenhouse", "acme", T0 + timedelta(days=40), T0 + timedelta(days=40)) == 1


def test_reprocess_counts_an_unreadable_payload_and_rebuilds_the_others(sqlite_url):
    from crawler.commands.reprocess import reprocess_all

    _, Session = open_database(sqlite_url)
    good = {"id": 7, "title": "Backend Engineer", "content": "&lt;p&gt;Go and Kafka services.&lt;/p&gt;"}
    stale = [make_posting(str(i), title=f"Backend Engineer {i}") for i in (6, 7, 8)]
    for p in stale:
        p.skills = []
    payloads = [{"title": "no id: the mapper refuses it"}, good, {**good, "id": 8}]
    with Session.begin() as s:
        sightings = [Sighting(posting=p, payload=raw, fetched_at=T0) for p, raw in zip(stale, payloads, strict=True)]
        upsert_batch(s, sightings)
    done = reprocess_all(Session, batch=2)
    assert (done["sources"], done["failed"], done["postings_changed"]) == (3, 1, 2)
    with Session() as s:
        skills = {row.external_id: {k.skill.name for k in row.skills} for row in s.scalars(select(models.Posting))}
    assert skills["6"] == set() and "Go" in skills["7"] and "Go" in skills["8"]


def test_reprocess_rebuilds_from_payloads_and_prune_deletes(db_url):
    from crawler.commands.reprocess import reprocess_all
    from storage.maintenance import prune

    _, Session = open_database(db_url)
    raw = {
        "id": 4242,
        "title": "Backend Engineer (Python)",
        "company_name": "Acme",
        "absolute_url": "https://boards.greenhouse.io/acme/jobs/4242",
        "location": {"name": "Remote - US"},
        "content": "&lt;p&gt;Python and PostgreSQL services. Pay: $120,000 - $150,000 a year.&lt;/p&gt;",
        "metadata": [],
        "updated_at": "2026-11-20T09:00:00-05:00",
    }
    stale = make_posting("4242", title="Backend Engineer (Python)")
    stale.skills = []
    with Session.begin() as s:
        upsert_batch(s, [Sighting(posting=stale, payload=raw, fetched_at=T0)])
    dry = reprocess_all(Session, dry_run=True, batch=1)
    assert dry["sources"] == 1 and dry["postings_changed"] == 1 and "skills" in dry["fields"]
    with Session() as s:
        assert s.scalars(select(models.Posting)).one().skills == []  # dry run wrote nothing
    done = reprocess_all(Session)
    assert done["fields"] == dry["fields"]
    with Session() as s:
        row = s.scalars(select(models.Posting)).one()
        assert {k.skill.name for k in row.skills} >= {"Python", "PostgreSQL"}
        assert count(s, models.PostingChange) == 0  # parsers changed, not the job
    assert reprocess_all(Session)["postings_changed"] == 0

    with Session.begin() as s:
        row = s.scalars(select(models.Posting)).one()
        row.closed_at = T0
        out = prune(s, closed_before=T0 + timedelta(days=1), raw_older_than=None)
    assert out["postings_deleted"] == 1
    with Session() as s:
        assert count(s, models.Posting) == count(s, models.PostingSource) == count(s, models.PostingKey) == 0


def stored_state(db_url: str) -> list[tuple]:
    """Every posting as schema v1 (ids left out), with its sources, keys, skills and location rows."""
    _, Session = open_database(db_url)
    with Session() as s:
        out = []
        for row in s.scalars(select(models.Posting).order_by(models.Posting.source, models.Posting.external_id)):
            data = to_schema(row).to_dict()
            data.pop("id")
            keys = s.scalars(select(models.PostingKey.key).where(models.PostingKey.posting_id == row.id)).all()
            loc = models.PostingLocation
            places = s.execute(
                select(loc.position, loc.city_key, loc.country).where(loc.posting_id == row.id).order_by(loc.position)
            ).all()
            fingerprints = [x.fingerprint for x in row.sources]
            out.append((json.dumps(data, sort_keys=True, default=str), sorted(keys), places, fingerprints))
        return out


def another_database(db_url: str, tmp_path):
    """A second empty database on ``db_url``'s backend."""
    from tests.databases import database_url

    where = tmp_path / "other"
    where.mkdir()
    return database_url("postgresql" if db_url.startswith("postgresql") else "sqlite", where)


def test_a_batch_that_duplicates_its_own_new_posting_stores_what_one_batch_per_sighting_does(db_url, tmp_path):
    """New postings go in without the ORM unless a later sighting of their batch duplicates them: both paths must
    give the rows that one sighting per batch gives."""
    unrelated = make_posting("2", title="Staff Platform Engineer")
    unrelated.description_text = "We run Kafka and Rust services. " * 8
    batch = [sighting(ats_posting("1"), T0), sighting(unrelated, T0), sighting(aggregator_copy(pay=True), T0)]
    _, Session = open_database(db_url)
    with Session.begin() as s:
        result = upsert_batch(s, batch)
    assert (result.new, result.merged) == (2, 1)
    with another_database(db_url, tmp_path) as url:
        _, Other = open_database(url)
        for one in batch:
            with Other.begin() as s:
                upsert_batch(s, [one])
        assert stored_state(db_url) == stored_state(url)
    assert len(stored_state(db_url)) == 2 and len(stored_state(db_url)[0][3]) == 2  # the ATS posting: both sources


def test_a_prepared_sighting_stores_what_an_unprepared_one_does(db_url, tmp_path):
    from storage.ingest import prepare

    postings = [ats_posting("1"), make_posting("2", title="Data Engineer"), aggregator_copy()]
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [sighting(p, T0) for p in postings])
    with another_database(db_url, tmp_path) as url:
        _, Other = open_database(url)
        prepared = [sighting(p, T0) for p in postings]
        for one in prepared:
            one.prepared = prepare(one.posting, one.payload)
        with Other.begin() as s:
            upsert_batch(s, prepared)
        assert stored_state(url) == stored_state(db_url)


def test_a_stored_posting_duplicated_among_its_siblings_stores_what_one_batch_per_sighting_does(db_url, tmp_path):
    """A later batch holds the aggregator's copy of a stored ATS posting (found as a stored candidate, whose skills
    and description load only when merged into) among other openings of the same company under the same text
    (each another requisition: passed over before matching)."""

    def sibling(external_id: str) -> Posting:
        p = ats_posting(external_id)
        p.title = f"Backend Engineer, team {external_id}"
        return p

    first = [sighting(ats_posting("1"), T0), sighting(sibling("2"), T0)]
    later_copy = aggregator_copy(pay=True)
    later_copy.skills, later_copy.skill_evidence = ["Go", "Kafka"], {"Go": "golang", "Kafka": "kafka"}
    later = [sighting(p, T0 + timedelta(hours=1)) for p in (sibling("3"), later_copy, sibling("4"))]
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, first)
    with Session.begin() as s:
        result = upsert_batch(s, later)
    assert (result.new, result.merged) == (2, 1)
    with Session() as s:
        ats = s.scalars(select(models.Posting).where(models.Posting.external_id == "1")).one()
        assert [(x.source, x.external_id) for x in ats.sources] == [("greenhouse", "1"), ("remotive", "r1")]
        assert ats.description_text == COPY_TEXT
        merged = merge(ats_posting("1"), later_copy, canonical=False, reason="fingerprint").posting
        assert to_schema(ats).skills == merged.skills and to_schema(ats).skill_evidence == merged.skill_evidence
        assert count(s, models.Posting) == 4
    # (the other database's end disposes every engine: nothing of the first database is used after it)
    with another_database(db_url, tmp_path) as url:
        _, Other = open_database(url)
        for one in first + later:
            with Other.begin() as s:
                upsert_batch(s, [one])
        assert stored_state(db_url) == stored_state(url)


def test_sources_of_several_boards_in_one_batch_are_found_through_the_identity_index(db_url):
    from sqlalchemy import text

    from storage.ingest import _identity_in

    _, Session = open_database(db_url)
    postings = [make_posting(str(i), title=f"Backend Engineer {i}", pay_max=200000.0 + i) for i in range(4)]
    for p in postings[2:]:
        p.board, p.source, p.company = "globex", "lever", "Globex"
    with Session.begin() as s:
        assert upsert_batch(s, [sighting(p, T0) for p in postings]).new == 4
    later = T0 + timedelta(days=1)
    with Session.begin() as s:
        # Same external ids on other boards are other sources: only the four stored ones are found.
        seen = [Resighting(p.source, p.board, p.external_id, later) for p in postings]
        seen += [Resighting("lever", "acme", "0", later), Resighting("greenhouse", "globex", "2", later)]
        assert touch_sources(s, seen).unchanged == 4
        again = upsert_batch(s, [sighting(p, later) for p in postings])
        assert (again.new, again.unchanged + again.updated) == (0, 4)
        if s.get_bind().dialect.name == "sqlite":
            ps = models.PostingSource
            keys = [(p.source, p.board, p.external_id) for p in postings]
            stmt = select(ps.id).where(_identity_in(ps.source, ps.board, ps.external_id, keys))
            compiled = stmt.compile(dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True})
            plan = " | ".join(row[-1] for row in s.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
            # One index search per board, never a scan of every stored source (a row-value IN over VALUES was).
            assert "SCAN" not in plan and plan.count("SEARCH posting_sources USING COVERING INDEX") == 2, plan
