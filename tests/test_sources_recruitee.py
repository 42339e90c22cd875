"""Recruitee mapper: offers in the recorded ``/api/offers/`` format -> SourceFields; the recorded bodies in the
corpus map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.recruitee import employment_hint, map_posting, recruitee_datetime
from tests.corpus import require_corpus


def offer(**changes):
    base = {
        "id": 9001,
        "title": "Data Platform Engineer",
        "status": "published",
        "company_name": "Vandelay Industries",
        "location": "Lisbon, Lisboa, Portugal",
        "city": "Lisbon",
        "state_name": "Lisboa",
        "country": "Portugal",
        "country_code": "PT",
        "locations": [{"name": "Lisbon", "city": "Lisbon", "state": "Lisboa", "country": "Portugal"}],
        "remote": False,
        "hybrid": False,
        "on_site": False,
        "employment_type_code": "fulltime_permanent",
        "experience_code": "experienced",
        "department": "Data",
        "tags": ["spark", " airflow "],
        "description": "<p>Move our batch jobs to streaming.</p>",
        "requirements": "<ul><li>Scala or Python</li></ul>",
        "salary": {"min": None, "max": None, "period": None, "currency": None},
        "published_at": "2026-11-18 16:30:00 UTC",
        "created_at": "2026-11-17 09:00:00 UTC",
        "close_at": None,
        "careers_url": "https://vandelay.recruitee.com/o/data-platform-engineer",
        "careers_apply_url": "https://vandelay.recruitee.com/o/data-platform-engineer/c/new",
    }
    return {**base, **changes}


def test_full_offer():
    fields = map_posting(offer(), "vandelay")
    assert (fields.external_id, fields.title, fields.company) == (
        "9001",
        "Data Platform Engineer",
        "Vandelay Industries",
    )
    assert fields.url == "https://vandelay.recruitee.com/o/data-platform-engineer"
    assert fields.apply_url.endswith("/c/new")
    assert fields.locations == ["Lisbon, Lisboa, Portugal"]
    assert fields.posted_at == datetime(2026, 11, 18, 16, 30, tzinfo=UTC)
    assert fields.employment_type == "fulltime, permanent"
    assert fields.tags == ["spark", "airflow"] and fields.department == "Data"
    assert fields.pay == [] and fields.workplace is None and fields.seniority is None
    html = fields.description_html
    assert html.index("streaming") < html.index("Scala or Python")


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"remote": True}, "remote"),
        ({"hybrid": True}, "hybrid"),
        ({"on_site": True}, "onsite"),
        ({"remote": True, "hybrid": True}, "remote"),
        ({}, None),
        ({"remote": "yes"}, None),
    ],
)
def test_work_mode_flags(flags, expected):
    assert map_posting(offer(**flags), "b").workplace == expected


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ({"min": "52000", "max": "61000", "period": "year", "currency": "eur"}, (52000, 61000, "EUR", "year")),
        ({"min": "18.5", "max": None, "period": "hour", "currency": "GBP"}, (18.5, None, "GBP", "hour")),
        ({"min": "3900", "max": "4400", "period": "month", "currency": "PLN"}, (3900, 4400, "PLN", "month")),
        # a yearly figure written in thousands is not a salary: not taken
        ({"min": "60.00", "max": "70.00", "period": "year", "currency": "USD"}, None),
        ({"min": "52000", "max": "61000", "period": None, "currency": "EUR"}, None),
        ({"min": None, "max": None, "period": None, "currency": None}, None),
        (None, None),
    ],
)
def test_salary(salary, expected):
    pay = map_posting(offer(salary=salary), "b").pay
    assert ((pay[0].min, pay[0].max, pay[0].currency, pay[0].period) if pay else None) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("fulltime_permanent", "fulltime, permanent"),
        ("fulltime_fixed_term", "fulltime, fixed_term"),
        ("parttime_permanent", "parttime, permanent"),
        ("freelance", "freelance"),
        ("", None),
        (None, None),
    ],
)
def test_employment_hint(code, expected):
    assert employment_hint(code) == expected


@pytest.mark.parametrize(
    ("changes", "locations"),
    [
        ({"locations": []}, ["Lisbon, Lisboa, Portugal"]),
        ({"locations": [], "location": None}, ["Lisbon, Lisboa, Portugal"]),
        (
            {"locations": [], "location": "Remote job", "city": None, "state_name": None, "country": None},
            ["Remote job"],
        ),
        (
            {"locations": [{"city": "Porto", "country": "Portugal"}, {"city": "Porto", "country": "Portugal"}]},
            ["Porto, Portugal"],
        ),
    ],
)
def test_locations(changes, locations):
    assert map_posting(offer(**changes), "b").locations == locations


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-18 16:30:00 UTC", datetime(2026, 11, 18, 16, 30, tzinfo=UTC)),
        ("2026-11-18T16:30:00Z", datetime(2026, 11, 18, 16, 30, tzinfo=UTC)),
        ("", None),
        (None, None),
        ("soon", None),
    ],
)
def test_dates(value, expected):
    assert recruitee_datetime(value) == expected


@pytest.mark.parametrize(
    "payload", [[], offer(id=None), offer(id=""), offer(locations="Lisbon"), offer(salary="50k")]
)
def test_unreadable_offers_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "b")


def test_recorded_bodies_map_and_normalize():
    root = require_corpus("sources", "recruitee")
    mapped = 0
    for path in sorted(root.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["offers"]:
            posting = normalize(
                {"source": "recruitee", "board": "b", "external_id": str(item["id"]), "payload": item}
            )
            assert posting.title and posting.posted_at, path.name
            mapped += 1
    assert mapped == 8
