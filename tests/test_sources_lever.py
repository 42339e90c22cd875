"""Lever mapper: small payloads in the recorded Postings API format -> SourceFields; the recorded bodies in the
corpus map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.lever import map_posting
from tests.corpus import require_corpus


def posting(**changes):
    base = {
        "id": "11111111-2222-3333-4444-555555555555",
        "text": "Backend Engineer",
        "categories": {
            "commitment": "Full-time",
            "department": "Engineering",
            "location": "Toronto, ON",
            "team": "Core API",
            "allLocations": ["Toronto, ON"],
        },
        "country": "CA",
        "workplaceType": "hybrid",
        "createdAt": 1767225600000,
        "description": "<div>We build APIs.</div>",
        "descriptionPlain": "We build APIs.",
        "lists": [{"text": "Requirements", "content": "<li>Python</li><li>PostgreSQL</li>"}],
        "additional": "<div>Benefits galore.</div>",
        "additionalPlain": "Benefits galore.",
        "hostedUrl": "https://jobs.lever.co/site/11111111-2222-3333-4444-555555555555",
        "applyUrl": "https://jobs.lever.co/site/11111111-2222-3333-4444-555555555555/apply",
    }
    for key, value in changes.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def test_full_posting():
    fields = map_posting(posting(), "site")
    assert fields.title == "Backend Engineer"
    assert fields.external_id == "11111111-2222-3333-4444-555555555555"
    assert fields.company == "site"
    assert fields.url == "https://jobs.lever.co/site/11111111-2222-3333-4444-555555555555"
    assert fields.apply_url.endswith("/apply")
    assert fields.locations == ["Toronto, ON"]
    assert fields.workplace == "hybrid"
    assert fields.employment_type == "Full-time"
    assert fields.department == "Engineering"
    assert fields.posted_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert fields.pay == []
    html = fields.description_html
    assert html.index("We build APIs") < html.index("<h3>Requirements</h3>") < html.index("Benefits galore")
    assert "<ul><li>Python</li><li>PostgreSQL</li></ul>" in html
    assert fields.origin == "structured"


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        (
            {"min": 120000, "max": 150000, "currency": "USD", "interval": "per-year-salary"},
            (120000, 150000, "USD", "year", 120000, 150000),
        ),
        (
            {"min": 45, "max": 60, "currency": "usd", "interval": "per-hour-wage"},
            (45, 60, "USD", "hour", 45 * 2080, 60 * 2080),
        ),
        (
            {"interval": "per-month-salary", "currency": "EUR", "min": 5000, "max": 6500},
            (5000, 6500, "EUR", "month", 60000, 78000),
        ),
        (
            {"min": 900, "max": 1100, "currency": "GBP", "interval": "per-week-salary"},
            (900, 1100, "GBP", "week", 46800, 57200),
        ),
        (
            {"min": 400, "max": 500, "currency": "EUR", "interval": "per-day-wage"},
            (400, 500, "EUR", "day", 104000, 130000),
        ),
        (
            {"min": 150000, "currency": "USD", "interval": "per-year-salary"},
            (150000, None, "USD", "year", 150000, None),
        ),
        (
            {"min": 190000, "max": 160000, "currency": "USD", "interval": "per-year-salary"},
            (160000, 190000, "USD", "year", 160000, 190000),
        ),
    ],
)
def test_salary_range(salary, expected):
    [pay] = map_posting(posting(salaryRange=salary), "site").pay
    assert (pay.min, pay.max, pay.currency, pay.period, pay.annual_min, pay.annual_max) == expected
    assert pay.kind == "base" and pay.label is None
    assert "salaryRange" in pay.raw


@pytest.mark.parametrize(
    "salary",
    [
        {"min": 0, "max": 0, "currency": "USD", "interval": "per-year-salary"},
        {"min": None, "max": None, "currency": "USD", "interval": "per-year-salary"},
        {"min": 5000, "max": 5000, "currency": "USD", "interval": "one-time"},
        {"min": 100000, "max": 120000, "currency": "USD"},
        "120k",
        [],
    ],
)
def test_salary_range_without_a_usable_amount_or_period(salary):
    assert map_posting(posting(salaryRange=salary), "site").pay == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("remote", "remote"),
        ("hybrid", "hybrid"),
        ("onsite", "onsite"),
        ("On-site", "onsite"),
        ("ONSITE", "onsite"),
        ("unspecified", None),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_workplace_type(value, expected):
    payload = posting(workplaceType=value) if value is not None else posting(workplaceType=None)
    assert map_posting(payload, "site").workplace == expected


@pytest.mark.parametrize(
    ("categories", "locations", "department", "employment"),
    [
        (
            {"location": "Stockholm", "allLocations": ["Stockholm", "London"], "team": "Platform"},
            ["Stockholm", "London"],
            "Platform",
            None,
        ),
        ({"location": "Remote - US", "commitment": "Contract"}, ["Remote - US"], None, "Contract"),
        ({"allLocations": ["Berlin", "  ", None, "Berlin"]}, ["Berlin"], None, None),
        ({"location": "Paris", "allLocations": ["Lyon"]}, ["Paris", "Lyon"], None, None),
        ({}, [], None, None),
    ],
)
def test_categories(categories, locations, department, employment):
    fields = map_posting(posting(categories=categories), "site")
    assert fields.locations == locations
    assert fields.department == department
    assert fields.employment_type == employment


def test_plain_only_description_is_rebuilt_as_html():
    payload = posting(description=None, additional=None, lists=[])
    payload["descriptionPlain"] = "About us\n\u00a0\nWe use <Rust> & Go.\n"
    payload["additionalPlain"] = "Perks\n"
    html = map_posting(payload, "site").description_html
    assert html == "<div>About us</div><div>We use &lt;Rust&gt; &amp; Go.</div>\n<div>Perks</div>"


def test_description_parts_and_salary_description():
    payload = posting(description=None, lists=[{"text": 'What You"ll Do', "content": "<div><p>Ship it</p></div>"}])
    payload["opening"] = "<p>Opening.</p>"
    payload["descriptionBody"] = "<p>Body.</p>"
    payload["salaryDescription"] = "<div>Pay depends on location.</div>"
    html = map_posting(payload, "site").description_html
    assert html.split("\n") == [
        "<p>Opening.</p>",
        "<p>Body.</p>",
        '<h3>What You"ll Do</h3>',
        "<div><div><p>Ship it</p></div></div>",
        "<div>Pay depends on location.</div>",
        "<div>Benefits galore.</div>",
    ]


def test_missing_optional_fields():
    fields = map_posting({"id": "abc"}, "site")
    assert (fields.title, fields.external_id, fields.company) == (None, "abc", "site")
    assert fields.locations == [] and fields.pay == [] and fields.description_html is None
    assert fields.posted_at is None and fields.workplace is None and fields.url is None


@pytest.mark.parametrize(
    "payload",
    [
        {"text": "No id"},
        {"id": "", "text": "Empty id"},
        {"id": None},
        {"id": "x", "categories": ["Engineering"]},
        ["not", "an", "object"],
        None,
    ],
)
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "site")


def recorded_postings():
    for path in sorted(require_corpus("sources", "lever").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        yield from data if isinstance(data, list) else [data]


@pytest.mark.corpus
def test_every_recorded_posting_maps_and_normalizes():
    counts = {"postings": 0, "pay": 0, "workplace": 0, "posted": 0, "described": 0}
    for payload in recorded_postings():
        fields = map_posting(payload, "site")
        posting_ = normalize({"source": "lever", "board": "site", "payload": payload, "url": None})
        counts["postings"] += 1
        counts["pay"] += bool(fields.pay)
        counts["workplace"] += fields.workplace is not None
        counts["posted"] += posting_.posted_at is not None
        counts["described"] += len(posting_.description_text) > 100
        assert posting_.title and posting_.external_id == payload["id"]
    # 5 files: 14 postings (Palantir, Outreach, Spotify, Match Group); 4 state a salaryRange
    assert counts == {"postings": 14, "pay": 4, "workplace": 14, "posted": 14, "described": 14}
