"""A small hand-built database for the stats, export and views tests; the expected figures are worked out by hand
in tests/test_stats.py.

Open backend postings (what every command sees by default):

| key | pay (annual) | one figure | seniority | workplace | skills | source | company | first seen (week) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
| a | USD 100k-200k | 150k | senior | remote | Go, PostgreSQL | greenhouse | Acme | Mon 2026-11-02 |
| b | USD 120k-140k | 130k | senior | remote | Go, Kafka | greenhouse | Acme | Sun 2026-11-08 23h |
| c | USD up to 7.5k/month | 90k | mid | hybrid | Python | lever | Globex | Mon 2026-11-09 |
| d | USD from 200k | 200k | staff | onsite | Go, Python | ashby | Initech | Wed 2026-11-11 |
| e | EUR 60k-80k (Berlin) | 70k | mid | onsite | Kafka, Java | lever | Globex | Wed 2026-11-11 |
| f | none | - | junior | remote | Python | greenhouse | Acme | Mon 2026-11-16 |

plus ``g`` (closed; USD 500k, Go) and ``h`` (not a backend role; USD 50k, Go), which only --include-closed and
--all-roles bring in.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from pipeline.model import Location, PayRange, Posting
from storage import models
from storage.db import open_database
from storage.ingest import Sighting, upsert_batch

SAMPLE = {
    # key: (pay, seniority, workplace, skills, source, company, first seen, backend)
    "a": (
        (100000, 200000, "USD", "year"),
        "senior",
        "remote",
        ["Go", "PostgreSQL"],
        "greenhouse",
        "Acme",
        (11, 2, 10),
    ),
    "b": ((120000, 140000, "USD", "year"), "senior", "remote", ["Go", "Kafka"], "greenhouse", "Acme", (11, 8, 23)),
    "c": ((None, 7500, "USD", "month"), "mid", "hybrid", ["Python"], "lever", "Globex", (11, 9, 0)),
    "d": ((200000, None, "USD", "year"), "staff", "onsite", ["Go", "Python"], "ashby", "Initech", (11, 11, 9)),
    "e": ((60000, 80000, "EUR", "year"), "mid", "onsite", ["Kafka", "Java"], "lever", "Globex", (11, 11, 12)),
    "f": (None, "junior", "remote", ["Python"], "greenhouse", "Acme", (11, 16, 8)),
    "g": ((500000, 500000, "USD", "year"), "senior", "remote", ["Go"], "greenhouse", "Acme", (11, 3, 8)),
    "h": ((50000, 50000, "USD", "year"), "mid", "remote", ["Go"], "lever", "Globex", (11, 3, 8)),
}
OPEN_BACKEND = ("a", "b", "c", "d", "e", "f")


def sample_posting(key: str) -> tuple[Posting, datetime]:
    pay_spec, seniority, workplace, skills, source, company, (month, day, hour) = SAMPLE[key]
    pay = PayRange(*pay_spec) if pay_spec else None
    berlin = key == "e"
    location = (
        Location(raw="Berlin, Germany", city="Berlin", country="DE")
        if berlin
        else Location(raw="New York, NY", city="New York", region="NY", country="US")
    )
    posting = Posting(
        title=f"Backend Engineer {key.upper()}",
        source=source,
        board=company.lower(),
        external_id=key,
        company=company,
        url=f"https://example.test/jobs/{key}",
        posted_at=datetime(2026, month, day, tzinfo=UTC),
        is_backend=key != "h",
        role_reason="title: backend" if key != "h" else "title: designer",
        locations=[location],
        workplace=workplace,
        seniority=seniority,
        employment_type="full_time",
        pay=pay,
        pay_ranges=[pay] if pay else [],
        skills=list(skills),
        skill_evidence={name: name for name in skills},
        description_text=f"We build services in {', '.join(skills)}.",
    )
    return posting, datetime(2026, month, day, hour, tzinfo=UTC)


def build_sample(db_url: str):
    """Store the sample postings in the database at ``db_url``; returns the session factory."""
    _, Session = open_database(db_url)
    with Session.begin() as s:
        sightings = []
        for key in SAMPLE:
            posting, seen = sample_posting(key)
            sightings.append(Sighting(posting=posting, payload={"id": key}, fetched_at=seen))
        upsert_batch(s, sightings, {"Go": "language", "Python": "language", "Java": "language"})
        s.execute(
            update(models.Posting)
            .where(models.Posting.external_id == "g")
            .values(closed_at=datetime(2026, 11, 20, tzinfo=UTC))
        )
    return Session
