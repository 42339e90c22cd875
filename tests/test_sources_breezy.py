"""Breezy HR mapper: positions in the recorded ``/json`` format -> SourceFields; the recorded bodies in the corpus
map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.breezy import map_posting
from tests.corpus import require_corpus


def place(city="Lyon", remote=False, **changes):
    base = {
        "country": {"name": "France", "id": "FR"},
        "state": {"id": "ARA", "name": "Auvergne-Rhône-Alpes"},
        "city": city,
        "primary": True,
        "is_remote": remote,
        "name": f"{city}, ARA",
    }
    return {**base, **changes}


def position(**changes):
    base = {
        "id": "0123456789ab",
        "friendly_id": "0123456789ab-payments-engineer",
        "name": "Payments Engineer",
        "url": "https://acme.breezy.hr/p/0123456789ab-payments-engineer",
        "published_date": "2026-11-12T10:00:00.000Z",
        "type": {"id": "fullTime", "name": "Full-Time"},
        "location": place(),
        "locations": [place()],
        "department": "Engineering",
        "salary": "€60k - €70k",
        "description": "<p>Settle card payments in Rust.</p>",
        "company": {"name": "Acme SAS", "friendly_id": "acme"},
    }
    return {**base, **changes}


def test_full_position():
    fields = map_posting(position(), "acme")
    assert (fields.external_id, fields.title, fields.company) == ("0123456789ab", "Payments Engineer", "Acme SAS")
    assert fields.url == fields.apply_url == "https://acme.breezy.hr/p/0123456789ab-payments-engineer"
    assert fields.locations == ["Lyon, Auvergne-Rhône-Alpes, France"]
    assert fields.posted_at == datetime(2026, 11, 12, 10, tzinfo=UTC)
    assert (fields.employment_type, fields.department, fields.workplace) == ("fullTime", "Engineering", None)
    assert fields.pay == []  # the salary is text: it leads the description for the pay parser
    assert fields.description_html.startswith("<p>Salary: €60k - €70k</p>")
    assert "card payments" in fields.description_html


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"locations": [place(remote=True)]}, "remote"),
        ({"locations": [place(), place("Paris", remote=True)]}, "remote"),
        ({"locations": [], "location": place(remote=True)}, "remote"),
        ({}, None),  # false is not on-site: Breezy has no hybrid flag
        ({"locations": [place(remote="yes")]}, None),
    ],
)
def test_work_mode(changes, expected):
    assert map_posting(position(**changes), "acme").workplace == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"locations": [place(), place("Paris")]},
            ["Lyon, Auvergne-Rhône-Alpes, France", "Paris, Auvergne-Rhône-Alpes, France"],
        ),
        ({"locations": [], "location": place(city=None, state=None, country=None, name="Anywhere")}, ["Anywhere"]),
        ({"locations": None, "location": None}, []),
        ({"locations": [place(), place()]}, ["Lyon, Auvergne-Rhône-Alpes, France"]),
    ],
)
def test_locations(changes, expected):
    assert map_posting(position(**changes), "acme").locations == expected


@pytest.mark.parametrize(
    ("changes", "salary_line", "company"),
    [
        ({"salary": ""}, False, "Acme SAS"),
        ({"salary": None, "description": None}, None, "Acme SAS"),
        ({"company": None}, True, "acme"),
    ],
)
def test_salary_text_and_company(changes, salary_line, company):
    fields = map_posting(position(**changes), "acme")
    html = fields.description_html
    assert (None if html is None else html.startswith("<p>Salary:")) is salary_line
    assert fields.company == company


@pytest.mark.parametrize(
    "payload",
    [
        "x",
        position(id=None),
        position(id=""),
        position(location="Lyon"),
        position(locations={}),
        position(type="full"),
    ],
)
def test_unreadable_positions_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "acme")


def test_recorded_bodies_map_and_normalize():
    root = require_corpus("sources", "breezy")
    mapped = 0
    for path in sorted(root.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8")):
            posting = normalize({"source": "breezy", "board": "b", "external_id": item["id"], "payload": item})
            assert posting.title and posting.posted_at and posting.locations, path.name
            mapped += 1
    assert mapped == 4
