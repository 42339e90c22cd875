"""Ashby mapper: small payloads in the recorded Posting API format -> SourceFields; the recorded boards in the
corpus map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.ashby import map_posting
from tests.corpus import require_corpus


def job(**changes):
    base = {
        "id": "aaaaaaaa-0000-4000-8000-000000000001",
        "title": "Software Engineer, Backend",
        "department": "Engineering",
        "team": "Backend",
        "employmentType": "FullTime",
        "location": "Austin, TX",
        "secondaryLocations": [],
        "publishedAt": "2026-02-03T04:05:06.789+00:00",
        "isListed": True,
        "isRemote": True,
        "workplaceType": "Hybrid",
        "address": {"postalAddress": {"addressLocality": "Austin", "addressRegion": "Texas"}},
        "jobUrl": "https://jobs.ashbyhq.com/board/aaaaaaaa-0000-4000-8000-000000000001",
        "applyUrl": "https://jobs.ashbyhq.com/board/aaaaaaaa-0000-4000-8000-000000000001/application",
        "descriptionHtml": "<p>Write services.</p>",
        "descriptionPlain": "Write services.",
    }
    for key, value in changes.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def component(kind="Salary", interval="1 YEAR", currency="USD", low=100000, high=150000, summary=None):
    return {
        "id": "c",
        "summary": summary,
        "compensationType": kind,
        "interval": interval,
        "currencyCode": currency,
        "minValue": low,
        "maxValue": high,
    }


def compensation(*tiers, summary=()):
    return {
        "compensationTierSummary": "irrelevant",
        "compensationTiers": [
            {"id": f"t{i}", "title": title, "tierSummary": "x", "components": list(components)}
            for i, (title, components) in enumerate(tiers)
        ],
        "summaryComponents": list(summary),
    }


def test_full_job():
    fields = map_posting(job(), "board")
    assert fields.title == "Software Engineer, Backend"
    assert fields.external_id == "aaaaaaaa-0000-4000-8000-000000000001"
    assert fields.company == "board"
    assert fields.url.endswith("000000000001") and fields.apply_url.endswith("/application")
    assert fields.locations == ["Austin, TX"]
    assert fields.workplace == "hybrid"
    assert fields.employment_type == "FullTime"
    assert fields.department == "Engineering"
    assert fields.posted_at == datetime(2026, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)
    assert fields.description_html == "<p>Write services.</p>" and fields.description_text is None
    assert fields.pay == []


@pytest.mark.parametrize(
    ("comp", "expected"),
    [
        # one tier: salary + equity -> the salary only
        (
            compensation((None, [component(), component("EquityPercentage", "NONE", None, None, None)])),
            [(100000, 150000, "USD", "year", None, 100000)],
        ),
        # labelled tiers, in the board's order
        (
            compensation(
                ("US Tier 1", [component(low=200000, high=250000)]),
                ("Canada", [component(currency="CAD", low=180000, high=220000)]),
            ),
            [(200000, 250000, "USD", "year", "US Tier 1", 200000), (180000, 220000, "CAD", "year", "Canada", 180000)],
        ),
        (
            compensation((None, [component(interval="1 HOUR", low=30, high=38)])),
            [(30, 38, "USD", "hour", None, 62400)],
        ),
        (
            compensation(("Senior", [component(interval="1 MONTH", low=2000, high=2000)])),
            [(2000, 2000, "USD", "month", "Senior", 24000)],
        ),
        (
            compensation((None, [component(interval="1 WEEK", low=2400, high=2400)])),
            [(2400, 2400, "USD", "week", None, 124800)],
        ),
        # bonus, commission and equity cash values are not base pay
        (
            compensation(
                (
                    None,
                    [
                        component("Commission", low=60000, high=90000),
                        component("Bonus", low=5000, high=10000),
                        component("EquityCashValue", low=None, high=None),
                        component(low=90000, high=110000),
                    ],
                )
            ),
            [(90000, 110000, "USD", "year", None, 90000)],
        ),
        # a one-time payout has no period
        (compensation((None, [component(interval="1 TIME", low=60, high=60)])), []),
        # no tiers: summaryComponents
        (
            compensation(summary=[component("EquityPercentage", "NONE", None, None, None), component(low=1, high=2)]),
            [(1, 2, "USD", "year", None, 1)],
        ),
        # empty block (Linear's board: shouldDisplayCompensationOnJobPostings, no tiers)
        (compensation(), []),
        ({"compensationTiers": None, "summaryComponents": None}, []),
        # one-sided and reversed
        (compensation((None, [component(low=None, high=120000)])), [(None, 120000, "USD", "year", None, None)]),
        (compensation((None, [component(low=150000, high=100000)])), [(100000, 150000, "USD", "year", None, 100000)]),
        (compensation((None, [component(low=0, high=0)])), []),
        (compensation((None, [component(currency=None)])), [(100000, 150000, None, "year", None, 100000)]),
    ],
)
def test_compensation(comp, expected):
    pay = map_posting(job(compensation=comp), "board").pay
    assert [(p.min, p.max, p.currency, p.period, p.label, p.annual_min) for p in pay] == expected
    assert all(p.kind == "base" for p in pay)


def test_component_summary_is_kept_as_raw():
    comp = compensation((None, [component(summary="Salary $100K – $150K")]))
    assert map_posting(job(compensation=comp), "board").pay[0].raw == "Salary $100K – $150K"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Remote", "remote"),
        ("Hybrid", "hybrid"),
        ("OnSite", "onsite"),
        ("On-site", "onsite"),
        ("ONSITE", "onsite"),
        ("unspecified", None),
        (None, None),
    ],
)
def test_workplace_type_not_is_remote(value, expected):
    payload = job(workplaceType=value, isRemote=True) if value else job(workplaceType=None, isRemote=True)
    assert map_posting(payload, "board").workplace == expected


@pytest.mark.parametrize(
    ("changes", "locations"),
    [
        (
            {
                "location": "San Francisco",
                "secondaryLocations": [{"location": "New York City", "address": {}}, {"location": "Seattle"}],
            },
            ["San Francisco", "New York City", "Seattle"],
        ),
        ({"location": None}, ["Austin, Texas"]),
        (
            {
                "location": "",
                "address": None,
                "secondaryLocations": [
                    {"address": {"postalAddress": {"addressLocality": "Lyon", "addressCountry": "France"}}}
                ],
            },
            ["Lyon, France"],
        ),
        ({"location": "Remote", "secondaryLocations": [{"location": "Remote"}]}, ["Remote"]),
    ],
)
def test_locations(changes, locations):
    assert map_posting(job(**changes), "board").locations == locations


def test_plain_description_when_no_html_and_organization_name():
    fields = map_posting(job(descriptionHtml="  ", descriptionPlain="Plain text.", organizationName="Acme"), "acme")
    assert (fields.description_html, fields.description_text, fields.company) == (None, "Plain text.", "Acme")


def test_missing_optional_fields():
    fields = map_posting({"id": "x"}, "board")
    assert (fields.title, fields.external_id, fields.company, fields.workplace) == (None, "x", "board", None)
    assert fields.locations == [] and fields.pay == [] and fields.posted_at is None


@pytest.mark.parametrize(
    "payload",
    [{"title": "No id"}, {"id": "  "}, {"id": "x", "compensation": "$100K"}, "job", None],
)
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "board")


@pytest.mark.corpus
def test_every_recorded_board_maps_and_normalizes():
    counts = {"boards": 0, "jobs": 0, "unlisted": 0, "pay": 0, "workplace": 0, "backend": 0}
    for path in sorted(require_corpus("sources", "ashby").glob("*.json")):
        counts["boards"] += 1
        for payload in json.loads(path.read_text(encoding="utf-8"))["jobs"]:
            if payload.get("isListed") is False:
                counts["unlisted"] += 1
                continue
            fields = map_posting(payload, path.stem)
            posting = normalize({"source": "ashby", "board": path.stem, "payload": payload, "url": None})
            assert posting.title and posting.external_id == payload["id"] and posting.posted_at is not None
            assert posting.description_text
            counts["jobs"] += 1
            counts["pay"] += bool(fields.pay)
            counts["workplace"] += fields.workplace is not None
            counts["backend"] += posting.is_backend
    # 17 recorded boards, 331 jobs (1 unlisted); 263 with a structured salary; workplaceType set on 38
    # (absent from the 9 larger, older captures)
    assert {k: v for k, v in counts.items() if k != "backend"} == {
        "boards": 17,
        "jobs": 330,
        "unlisted": 1,
        "pay": 263,
        "workplace": 38,
    }
