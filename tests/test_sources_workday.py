"""Workday mapper: payloads in the recorded CXS format (a detail with its ``_listing`` item, or the item alone)
-> SourceFields; the recorded bodies in the corpus map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.workday import map_posting, posting_id, workplace_hint
from tests.corpus import require_corpus

BOARD = "initrode/wd3/InitrodeJobs"
PATH = "/job/Leeds-UK/Backend-Engineer_R7001"


def listing(**changes):
    item = {
        "title": "Backend Engineer",
        "externalPath": PATH,
        "locationsText": "Leeds, UK",
        "postedOn": "Posted Yesterday",
        "bulletFields": ["R7001"],
    }
    return {k: v for k, v in {**item, **changes}.items() if v is not None}


def detail(**changes):
    info = {
        "id": "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e",
        "title": "Backend Engineer (Payments)",
        "jobDescription": "<p>We move money between ledgers.</p>",
        "location": "Leeds, UK",
        "postedOn": "Posted Yesterday",
        "startDate": "2026-11-29",
        "timeType": "Full time",
        "jobReqId": "R7001",
        "jobPostingId": "Backend-Engineer_R7001",
        "externalUrl": f"https://initrode.wd3.myworkdayjobs.com/InitrodeJobs{PATH}",
    }
    info = {k: v for k, v in {**info, **changes}.items() if v is not None}
    return {"jobPostingInfo": info, "hiringOrganization": {"name": "GB01 Initrode Ltd"}, "_listing": listing()}


def test_detail_with_its_listing_item():
    fields = map_posting(detail(), BOARD)
    assert fields.external_id == "Backend-Engineer_R7001"
    assert fields.title == "Backend Engineer (Payments)"  # the detail's title wins
    assert fields.company == "initrode"
    assert fields.url == fields.apply_url == f"https://initrode.wd3.myworkdayjobs.com/InitrodeJobs{PATH}"
    assert fields.locations == ["Leeds, UK"]
    assert fields.employment_type == "Full time"
    assert fields.posted_at == datetime(2026, 11, 29, tzinfo=UTC)
    assert fields.requisition_id == "R7001"
    assert fields.pay == [] and fields.workplace is None
    assert "ledgers" in fields.description_html


def test_the_listing_item_alone():
    fields = map_posting({"_listing": listing(remoteType="Remote")}, BOARD)
    assert (fields.external_id, fields.title, fields.locations) == (
        "Backend-Engineer_R7001",
        "Backend Engineer",
        ["Leeds, UK"],
    )
    assert fields.workplace == "Remote" and fields.description_html is None and fields.posted_at is None


@pytest.mark.parametrize(
    ("changes", "locations"),
    [
        ({"additionalLocations": ["York, UK", "Leeds, UK"]}, ["Leeds, UK", "York, UK"]),
        ({"location": None}, ["Leeds, UK"]),  # from the listing's locationsText
    ],
)
def test_locations(changes, locations):
    assert map_posting(detail(**changes), BOARD).locations == locations


def test_a_counted_locations_text_is_no_place():
    payload = {"_listing": listing(locationsText="4 Locations")}
    assert map_posting(payload, BOARD).locations == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Flex", "hybrid"),
        ("flex", "hybrid"),
        ("Remote", "Remote"),
        ("Onsite", "Onsite"),
        ("", None),
        (None, None),
        (3, None),
    ],
)
def test_workplace_hint(value, expected):
    assert workplace_hint(value) == expected


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"externalPath": "/job/Somewhere/Data-Engineer_R12-2"}, "Data-Engineer_R12-2"),
        ({"externalPath": "/job/Somewhere/Data-Engineer_R12/"}, "Data-Engineer_R12"),
        ({"jobPostingId": "Tester_R5"}, "Tester_R5"),
        ({"externalPath": "", "externalUrl": "https://x.wd1.myworkdayjobs.com/S/job/P/Tester_R6?src=1"}, "Tester_R6"),
        ({"externalPath": 17}, None),
        ({}, None),
        ("not an object", None),
    ],
)
def test_posting_id(item, expected):
    assert posting_id(item) == expected


@pytest.mark.parametrize(
    "payload",
    [[], {"jobPostingInfo": "text"}, {"_listing": ["x"]}, {"jobPostingInfo": {"title": "No id"}}, {}],
)
def test_unreadable_payloads_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, BOARD)


def test_recorded_bodies_map_and_normalize():
    root = require_corpus("sources")
    paths = sorted((root / "workday").glob("*.json")) + sorted((root / "other").glob("*workday*.json"))
    mapped = 0
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        payloads = [{"_listing": item} for item in data["jobPostings"]] if "jobPostings" in data else [data]
        for payload in payloads:
            if "jobPostingInfo" in payload and posting_id(payload["jobPostingInfo"]) is None:
                continue
            posting = normalize({"source": "workday", "board": "t/wd1/s", "external_id": "x", "payload": payload})
            assert posting.title, path.name
            mapped += 1
    assert mapped >= 30
