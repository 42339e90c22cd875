"""Pinpoint mapper: postings in the recorded ``postings.json`` format -> SourceFields; the recorded bodies in the
corpus map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.pinpoint import map_posting
from tests.corpus import require_corpus


def posting(**changes):
    base = {
        "id": "88001",
        "title": "API Engineer",
        "url": "https://acme.pinpointhq.com/en/postings/0000aaaa-0000-4000-8000-000000000001",
        "path": "/en/postings/0000aaaa-0000-4000-8000-000000000001",
        "description": "<div>We route parcels across three countries.</div>",
        "key_responsibilities": "<ul><li>Own the tracking API</li></ul>",
        "key_responsibilities_header": "The work",
        "skills_knowledge_expertise": "<ul><li>Ruby or Elixir</li></ul>",
        "skills_knowledge_expertise_header": "The skills",
        "benefits": "<div>Bike scheme.</div>",
        "benefits_header": "Extras",
        "compensation": "$95,000 - $115,000 / year",
        "compensation_minimum": 95000.0,
        "compensation_maximum": 115000.0,
        "compensation_currency": "usd",
        "compensation_frequency": "year",
        "compensation_visible": True,
        "deadline_at": "2026-12-20T12:00:00.000Z",
        "employment_type": "full_time",
        "employment_type_text": "Full Time",
        "workplace_type": "hybrid",
        "workplace_type_text": "Hybrid",
        "reporting_to": "CTO",
        "job": {"id": "1", "requisition_id": "AC-7", "department": {"id": "2", "name": "Platform"}, "division": None},
        "location": {"id": "3", "city": "Toronto", "name": "Canada", "province": "Ontario", "postal_code": None},
    }
    return {**base, **changes}


def test_full_posting():
    fields = map_posting(posting(), "acme")
    assert (fields.external_id, fields.title, fields.company) == ("88001", "API Engineer", "acme")
    assert fields.url.endswith("/en/postings/0000aaaa-0000-4000-8000-000000000001")
    assert fields.locations == ["Toronto, Ontario, Canada"]
    [pay] = fields.pay
    assert (pay.min, pay.max, pay.currency, pay.period, pay.raw) == (
        95000,
        115000,
        "USD",
        "year",
        "$95,000 - $115,000 / year",
    )
    assert (fields.workplace, fields.employment_type) == ("hybrid", "full_time")
    assert fields.valid_through == datetime(2026, 12, 20, 12, tzinfo=UTC)
    assert fields.posted_at is None  # Pinpoint sends no posted date
    assert (fields.department, fields.requisition_id) == ("Platform", "AC-7")
    html = fields.description_html
    assert html.index("parcels") < html.index("The work") < html.index("tracking API") < html.index("Bike")
    assert "Salary:" not in html  # the structured pay is enough


@pytest.mark.parametrize(
    ("changes", "expected", "salary_line"),
    [
        # hidden by the employer: neither the figures nor the text are taken
        ({"compensation_visible": False}, None, False),
        (
            {"compensation_frequency": "hourly", "compensation_minimum": 40, "compensation_maximum": 48},
            (40, 48),
            False,
        ),
        ({"compensation_maximum": None}, (95000, None), False),
        # visible text without usable figures: a leading "Salary:" line for the text pay parser
        ({"compensation_minimum": None, "compensation_maximum": None}, None, True),
        ({"compensation_frequency": "per sprint"}, None, True),
        ({"compensation": None, "compensation_minimum": None, "compensation_maximum": None}, None, False),
        # a reduced capture without the flag: figures taken when present
        ({"compensation_visible": None}, (95000, 115000), False),
    ],
)
def test_compensation(changes, expected, salary_line):
    fields = map_posting(posting(**changes), "acme")
    assert ((fields.pay[0].min, fields.pay[0].max) if fields.pay else None) == expected
    assert ("Salary:" in fields.description_html) is salary_line


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        ({"city": "Leeds", "name": "Remote", "province": "West Yorkshire"}, ["Leeds, West Yorkshire"]),
        ({"city": "Oslo", "name": "Oslo", "province": None}, ["Oslo"]),
        ({"city": None, "name": "Germany", "province": None}, ["Germany"]),
        ({"city": None, "name": "Remote", "province": None}, []),
        (None, []),
    ],
)
def test_locations(location, expected):
    assert map_posting(posting(location=location), "acme").locations == expected


def test_reduced_capture_uses_the_text_fields():
    reduced = {k: posting()[k] for k in ("id", "title", "url", "description", "location")}
    fields = map_posting({**reduced, "employment_type_text": "Part Time", "workplace_type_text": "Fully remote"}, "a")
    assert (fields.employment_type, fields.workplace, fields.pay) == ("Part Time", "Fully remote", [])


@pytest.mark.parametrize(
    "payload", [[], posting(id=None), posting(id=""), posting(id=True), posting(location="Leeds"), posting(job=[])]
)
def test_unreadable_postings_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "acme")


def test_recorded_bodies_map_and_normalize():
    root = require_corpus("sources", "pinpoint")
    mapped = 0
    for path in sorted(root.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        for item in body["data"] if isinstance(body, dict) else body:  # one capture kept only the array
            posting_ = normalize({"source": "pinpoint", "board": "b", "external_id": item["id"], "payload": item})
            assert posting_.title and posting_.locations and posting_.workplace == "remote", path.name
            mapped += 1
    assert mapped == 4
