"""Rippling mapper: listing items (both recorded shapes, merged per job) and details in the documented shape ->
SourceFields; the recorded bodies in the corpus map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.rippling import employment_hint, map_posting, merge_items, pay_ranges, posting_id
from tests.corpus import require_corpus


def item(place="Lyon, France", mode="HYBRID", **changes):
    base = {
        "id": "a1b2c3d4-0000-4000-8000-000000000001",
        "name": "API Engineer",
        "url": "https://ats.rippling.com/globex/jobs/a1b2c3d4-0000-4000-8000-000000000001",
        "department": {"name": "Platform"},
        "locations": [{"name": place, "city": place.split(",")[0], "countryCode": "FR", "workplaceType": mode}],
        "language": "fr-FR",
    }
    return {**base, **changes}


def detail(**changes):
    base = {
        "name": "API Engineer (Go)",
        "companyName": "Globex",
        "employmentType": {"label": "SALARIED_FT"},
        "createdOn": "2026-10-01T07:00:00Z",
        "description": {"company": "<p>About the company.</p>", "role": "<p>About the role.</p>"},
        "payRangeDetails": [{"rangeStart": 55000, "rangeEnd": 68000, "currency": "eur", "frequency": "YEARLY"}],
    }
    return {**base, **changes}


def test_detail_with_its_listing_item():
    fields = map_posting({**detail(), "_listing": item()}, "globex")
    assert (fields.external_id, fields.title, fields.company) == (
        "a1b2c3d4-0000-4000-8000-000000000001",
        "API Engineer (Go)",
        "Globex",
    )
    assert (
        fields.url == fields.apply_url == "https://ats.rippling.com/globex/jobs/a1b2c3d4-0000-4000-8000-000000000001"
    )
    assert fields.locations == ["Lyon, France"] and fields.workplace == "HYBRID"
    assert fields.employment_type == "full-time" and fields.department == "Platform"
    assert fields.posted_at == datetime(2026, 10, 1, 7, tzinfo=UTC)
    assert fields.description_html.index("company") < fields.description_html.index("role")
    [pay] = fields.pay
    assert (pay.min, pay.max, pay.currency, pay.period) == (55000, 68000, "EUR", "year")


def test_listing_item_alone():
    fields = map_posting({"_listing": item()}, "globex")
    assert fields.title == "API Engineer" and fields.company == "globex"
    assert fields.pay == [] and fields.description_html is None and fields.posted_at is None


def test_merge_items_folds_one_job_listed_per_place():
    first, second = item("Lyon, France"), item("Nantes, France")
    other = item(id="a1b2c3d4-0000-4000-8000-000000000002")
    merged = merge_items([first, second, other, {"name": "no id"}])
    assert [posting_id(j) for j in merged] == [posting_id(first), posting_id(other)]
    assert [loc["name"] for loc in merged[0]["locations"]] == ["Lyon, France", "Nantes, France"]


def test_merge_items_older_shape():
    rows = [
        {"uuid": "u-1", "name": "Analyst", "workLocation": {"label": "Leeds, United Kingdom"}},
        {"uuid": "u-1", "name": "Analyst", "workLocation": {"label": "Remote (United Kingdom)"}},
    ]
    [job] = merge_items(rows)
    fields = map_posting({"_listing": job}, "b")
    assert fields.external_id == "u-1"
    assert fields.locations == ["Leeds, United Kingdom", "Remote (United Kingdom)"]
    assert fields.workplace is None  # the older shape has no work-mode field


@pytest.mark.parametrize(
    ("modes", "expected"),
    [(["REMOTE"], "REMOTE"), (["ON_SITE", "ON_SITE"], "ON_SITE"), (["ON_SITE", "REMOTE"], None), ([None], None)],
)
def test_work_mode_when_the_locations_agree(modes, expected):
    listing = item(locations=[{"name": f"Place {n}", "workplaceType": m} for n, m in enumerate(modes)])
    assert map_posting({"_listing": listing}, "b").workplace == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ({"label": "SALARIED_FT"}, "full-time"),
        ({"label": "HOURLY_PT"}, "part-time"),
        ({"label": "CONTRACTOR"}, "contractor"),
        ({"label": "TEMP_SEASONAL"}, "temp seasonal"),
        ("INTERN", "intern"),
        ({}, None),
        (None, None),
    ],
)
def test_employment_hint(label, expected):
    assert employment_hint(label) == expected


@pytest.mark.parametrize(
    ("details", "expected"),
    [
        (
            {"rangeStart": "41.5", "rangeEnd": "47", "currency": "USD", "frequency": "HOURLY"},
            [(41.5, 47, "USD", "hour")],
        ),
        (
            [{"rangeStart": 90000, "rangeEnd": 80000, "currency": "GBP", "frequency": "ANNUAL"}],
            [(80000, 90000, "GBP", "year")],
        ),
        (
            {"rangeStart": 5000, "rangeEnd": None, "currency": "CHF", "frequency": "monthly"},
            [(5000, None, "CHF", "month")],
        ),
        ({"rangeStart": 70000, "rangeEnd": 90000, "currency": "USD", "frequency": "SOMETIMES"}, []),
        ({"rangeStart": 0, "rangeEnd": 0, "currency": "USD", "frequency": "YEARLY"}, []),
        ([], []),
        (None, []),
        ("competitive", []),
    ],
)
def test_pay_ranges(details, expected):
    assert [(p.min, p.max, p.currency, p.period) for p in pay_ranges(details)] == expected


@pytest.mark.parametrize(
    "payload",
    [[], {"name": "no listing"}, {"_listing": {"name": "no id"}}, {"_listing": item(locations="Lyon")}],
)
def test_unreadable_jobs_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "b")


def test_recorded_bodies_map_and_normalize():
    root = require_corpus("sources", "rippling")
    jobs = 0
    for path in sorted(root.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else data["items"]
        for job in merge_items(items):
            posting = normalize(
                {"source": "rippling", "board": "b", "external_id": posting_id(job), "payload": {"_listing": job}}
            )
            assert posting.title and posting.locations, path.name
            jobs += 1
    assert jobs == 3  # two jobs of the older array, one job listed in two places in the newer format
