"""Hand-built databases for the ``jobscout serve`` tests.

The catalog (open backend postings unless said otherwise; every expected search result in tests/test_serve_api.py
is worked out from this table):

| key | title, company | source | skills | pay (annual) | work mode | level | type |
| --- | --- | --- | --- | --- | --- | --- | --- |
| k1 | Platform Engineer, Northwind | greenhouse 2x | Go, PostgreSQL | USD 160k-210k | remote (US) | senior | FT |
| k2 | API Developer, Contoso | lever | Python, Apache Kafka | EUR 70k-90k | hybrid | mid | contract |
| k3 | Data Platform Engineer, Fabrikam | ashby | Go, Apache Kafka | none | onsite | staff | FT |
| k4 | Site Reliability Engineer, Tailspin | greenhouse | K8s, Python | USD 120-140k | remote (world) | junior | PT |
| k5 | Product Designer, Litware | greenhouse | Python | USD 90k | remote | mid | FT |
| k6 | Backend Engineer, Proseware | greenhouse | Go | USD 200k-250k | remote | senior | FT |

| key | location | visa | posted | last seen |
| --- | --- | --- | --- | --- |
| k1 | New York, US | yes | 10-15 | 10-18 |
| k2 | Berlin, DE | no | 10-05 | 10-06 |
| k3 | London, GB | - | 10-12 | 10-13 |
| k4 | Remote | - | - | 10-20 |
| k5 | New York, US | - | 10-14 | 10-14 |
| k6 | New York, US | - | 10-01 | 10-01 |

FT/PT: full_time/part_time; K8s: Kubernetes; remote (world): remote_regions Worldwide. k5 is not a backend role
(only ``all_roles`` shows it); k6 is closed (only ``include_closed``). k1's description is stored as Greenhouse sends
it (entity-escaped HTML) with hostile markup in it; its pay was raised from 150k-190k on a later sighting (one
``pay`` change), and it was seen on a second board. All dates are 2026.
"""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from pipeline.model import Location, PayRange, Posting
from storage import models
from storage.db import open_database
from storage.ingest import Sighting, upsert_batch

NYC = Location(raw="New York, NY", city="New York", region="NY", country="US")
BERLIN = Location(raw="Berlin, Germany", city="Berlin", country="DE")
LONDON = Location(raw="London, UK", city="London", country="GB")
REMOTE = Location(raw="Remote")
CATEGORIES = {"Go": "language", "Python": "language", "PostgreSQL": "database", "Apache Kafka": "messaging"}
CATEGORIES["Kubernetes"] = "container"

# What a hostile board could put in a description: every piece below must be gone from the posting page.
HOSTILE_HTML = (
    "<h2>About the team</h2>"
    "<p>We run the <strong>payments</strong> platform. <a href='https://northwind.example/team'>Meet us</a>.</p>"
    "<script>document.title = 'owned'</script>"
    "<p onclick=\"alert('click')\">Clicking this paragraph must do nothing.</p>"
    "<img src='https://tracker.example/pixel.gif' onerror=\"alert('img')\">"
    "<iframe src='https://evil.example/frame'></iframe>"
    "<a href='javascript:alert(1)'>a script link</a>"
    "<style>body { display: none }</style>"
    "<ul><li>Go services</li><li>PostgreSQL tuning</li></ul>"
)


def usd(low: float | None, high: float | None) -> PayRange:
    return PayRange(min=low, max=high, currency="USD", period="year")


def _day(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 12, 0, tzinfo=UTC)


def _posting(key: str, title: str, company: str, source: str, **values) -> Posting:
    pay = values.pop("pay", None)
    base = Posting(
        title=title,
        source=source,
        board=company.lower(),
        external_id=key,
        company=company,
        url=f"https://jobs.example/{company.lower()}/{key}",
        is_backend=True,
        role_reason="title: engineer",
        employment_type="full_time",
        pay=pay,
        pay_ranges=[pay] if pay else [],
        description_text=f"{title} at {company}.",
    )
    posting = replace(base, **values)
    posting.skill_evidence = {s: s.lower() for s in posting.skills}
    return posting


def catalog() -> dict[str, tuple[Posting, dict, datetime]]:
    """key -> (posting, payload, first sighting) of the table above (k1's second sighting is stored separately)."""
    k1 = _posting(
        "k1",
        "Platform Engineer",
        "Northwind",
        "greenhouse",
        skills=["Go", "PostgreSQL"],
        pay=usd(150000, 190000),
        workplace="remote",
        remote_regions=["US"],
        seniority="senior",
        locations=[NYC],
        visa_sponsorship=True,
        posted_at=_day(10, 15),
        description_text="We run the payments platform with event sourcing. Go services, PostgreSQL tuning.",
    )
    k1_payload = {
        "id": "k1",
        "title": "Platform Engineer",
        "absolute_url": k1.url,
        "content": html.escape(HOSTILE_HTML),
    }
    return {
        "k1": (k1, k1_payload, _day(10, 16)),
        "k2": (
            _posting(
                "k2",
                "API Developer",
                "Contoso",
                "lever",
                skills=["Python", "Apache Kafka"],
                pay=PayRange(min=70000, max=90000, currency="EUR", period="year"),
                workplace="hybrid",
                seniority="mid",
                employment_type="contract",
                locations=[BERLIN],
                visa_sponsorship=False,
                posted_at=_day(10, 5),
            ),
            {"id": "k2"},
            _day(10, 6),
        ),
        "k3": (
            _posting(
                "k3",
                "Data Platform Engineer",
                "Fabrikam",
                "ashby",
                skills=["Go", "Apache Kafka"],
                workplace="onsite",
                seniority="staff",
                locations=[LONDON],
                posted_at=_day(10, 12),
            ),
            {"id": "k3"},
            _day(10, 13),
        ),
        "k4": (
            _posting(
                "k4",
                "Site Reliability Engineer",
                "Tailspin",
                "greenhouse",
                skills=["Kubernetes", "Python"],
                pay=usd(120000, 140000),
                workplace="remote",
                remote_regions=["Worldwide"],
                seniority="junior",
                employment_type="part_time",
                locations=[REMOTE],
                posted_at=None,
            ),
            {"id": "k4"},
            _day(10, 20),
        ),
        "k5": (
            _posting(
                "k5",
                "Product Designer",
                "Litware",
                "greenhouse",
                skills=["Python"],
                pay=usd(90000, 90000),
                workplace="remote",
                seniority="mid",
                locations=[NYC],
                posted_at=_day(10, 14),
                is_backend=False,
                role_reason="title: designer",
            ),
            {"id": "k5"},
            _day(10, 14),
        ),
        "k6": (
            _posting(
                "k6",
                "Backend Engineer",
                "Proseware",
                "greenhouse",
                skills=["Go"],
                pay=usd(200000, 250000),
                workplace="remote",
                seniority="senior",
                locations=[NYC],
                posted_at=_day(10, 1),
            ),
            {"id": "k6"},
            _day(10, 1),
        ),
    }


def build_catalog(db_url: str) -> dict[str, int]:
    """Store the catalog at ``db_url``; returns key -> posting id."""
    _, Session = open_database(db_url)
    items = catalog()
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, payload, seen) for p, payload, seen in items.values()], CATEGORIES)
    k1, payload, _ = items["k1"]
    raised = replace(k1, pay=usd(160000, 210000), pay_ranges=[usd(160000, 210000)])
    # The same job on a second board of the same company (the canonical URL links it to k1).
    elsewhere = replace(k1, board="northwind-eu", external_id="k1-eu")
    with Session.begin() as s:
        upsert_batch(
            s,
            [Sighting(raised, payload, _day(10, 18)), Sighting(elsewhere, {"id": "k1-eu"}, _day(10, 17))],
            CATEGORIES,
        )
    with Session.begin() as s:
        s.execute(update(models.Posting).where(models.Posting.external_id == "k6").values(closed_at=_day(10, 3)))
        ids = {ext: pid for ext, pid in s.execute(select(models.Posting.external_id, models.Posting.id))}
    return {key: ids[key] for key in items}


def build_many(db_url: str, n: int) -> None:
    """``n`` plain open backend postings (for paging): "Engineer 001" ... posted one day apart, newest last."""
    _, Session = open_database(db_url)
    sightings = []
    for i in range(1, n + 1):
        posting = _posting(
            f"m{i:03d}",
            f"Engineer {i:03d}",
            f"Company {i:03d}",
            "greenhouse",
            skills=["Go"] if i % 2 else ["Python"],
            pay=usd(100000 + 1000 * i, 150000 + 1000 * i),
            workplace="remote" if i % 3 else "onsite",
            seniority="senior",
            locations=[NYC],
            posted_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=i),
        )
        sightings.append(Sighting(posting, {"id": posting.external_id}, _day(10, 1)))
    with Session.begin() as s:
        upsert_batch(s, sightings, CATEGORIES)
