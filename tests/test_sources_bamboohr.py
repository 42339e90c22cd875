"""BambooHR mapper: a ``/careers/list`` item, with its ``/careers/{id}/detail`` opening under ``detail`` when it
was read -> SourceFields; the recorded list bodies in the corpus map and normalize without an exception. (The
detail shape follows the documented format: no recorded body exists.)"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.bamboohr import map_posting
from tests.corpus import require_corpus

EMPTY_ATS = {"country": None, "state": None, "province": None, "city": None}


def item(**changes):
    base = {
        "id": "207",
        "jobOpeningName": "Integration Engineer",
        "departmentId": "5",
        "departmentLabel": "R&D",
        "employmentStatusLabel": "Full-Time",
        "employmentType": None,
        "location": {"city": "Halifax", "state": "Nova Scotia"},
        "atsLocation": EMPTY_ATS,
        "isRemote": None,
        "locationType": "0",
    }
    return {**base, **changes}


def detail(**changes):
    base = {
        "id": "207",
        "jobOpeningName": "Integration Engineer (EDI)",
        "description": "<p>Connect our ERP to the suppliers' EDI gateways.</p>",
        "compensation": "CA$90,000 - CA$105,000",
        "datePosted": "2026-10-30",
        "jobOpeningStatus": "Open",
        "jobOpeningShareUrl": "https://initrode.bamboohr.com/careers/207",
        "location": {"city": "Halifax", "state": "Nova Scotia", "postalCode": "B3H", "addressCountry": "Canada"},
    }
    return {**base, **changes}


def test_list_item_alone():
    fields = map_posting(item(), "initrode")
    assert (fields.external_id, fields.title, fields.company) == ("207", "Integration Engineer", "initrode")
    assert fields.url is None  # the spider stores the opening's page as the raw posting's URL
    assert fields.locations == ["Halifax, Nova Scotia"]
    assert (fields.workplace, fields.employment_type, fields.department) == ("onsite", "Full-Time", "R&D")
    assert (fields.description_html, fields.posted_at, fields.pay) == (None, None, [])


def test_with_detail():
    fields = map_posting({**item(), "detail": detail()}, "initrode")
    assert fields.title == "Integration Engineer (EDI)"  # the detail wins
    assert fields.url == "https://initrode.bamboohr.com/careers/207"
    assert fields.posted_at == datetime(2026, 10, 30, tzinfo=UTC)
    assert fields.locations == ["Halifax, Nova Scotia, Canada"]
    assert fields.description_html.startswith("<p>Salary: CA$90,000 - CA$105,000</p>")
    assert "EDI gateways" in fields.description_html
    assert fields.pay == []  # free text: read by the pay parser


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"locationType": "0"}, "onsite"),
        ({"locationType": "1"}, "remote"),
        ({"locationType": "2"}, "hybrid"),
        ({"locationType": "2", "isRemote": True}, "remote"),
        ({"locationType": None}, None),
        ({"locationType": "7"}, None),
        ({"locationType": 1}, "remote"),
    ],
)
def test_work_mode(changes, expected):
    assert map_posting(item(**changes), "b").workplace == expected


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {
                "location": {"city": None, "state": None},
                "atsLocation": {**EMPTY_ATS, "city": "Reno", "country": "US"},
            },
            ["Reno, US"],
        ),
        ({"atsLocation": {**EMPTY_ATS, "city": "Reno", "state": "Nevada"}}, ["Reno, Nevada"]),  # ats first
        ({"location": {"city": None, "state": None}}, []),
        ({"location": None, "atsLocation": None}, []),
    ],
)
def test_locations(changes, expected):
    assert map_posting(item(**changes), "b").locations == expected


def test_empty_detail_fields_keep_the_list_values():
    fields = map_posting({**item(), "detail": detail(jobOpeningName="", location=None, compensation=None)}, "b")
    assert fields.title == "Integration Engineer"
    assert fields.locations == ["Halifax, Nova Scotia"]
    assert not fields.description_html.startswith("<p>Salary:")


@pytest.mark.parametrize("payload", [[], item(id=None), item(id=" "), {**item(), "detail": "oops"}])
def test_unreadable_openings_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "b")


def test_recorded_bodies_map_and_normalize():
    root = require_corpus("sources", "bamboohr")
    mapped = 0
    for path in sorted(root.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        for opening in body["result"] if isinstance(body, dict) else body:  # one capture kept only the array
            posting = normalize(
                {"source": "bamboohr", "board": "b", "external_id": opening["id"], "payload": opening}
            )
            assert posting.title and posting.workplace, path.name
            mapped += 1
    assert mapped == 5
