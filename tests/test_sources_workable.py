"""Workable mapper: small payloads in the recorded widget API format -> SourceFields; the recorded account in the
corpus maps and normalizes without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.workable import ACCOUNT_KEY, map_posting
from tests.corpus import require_corpus


def job(**changes):
    base = {
        "title": "Platform Engineer",
        "shortcode": "ABC123DEF4",
        "code": "",
        "employment_type": "Full-time",
        "telecommuting": False,
        "department": "Engineering",
        "url": "https://apply.workable.com/j/ABC123DEF4",
        "shortlink": "https://apply.workable.com/j/ABC123DEF4",
        "application_url": "https://apply.workable.com/j/ABC123DEF4/apply",
        "published_on": "2026-03-04",
        "created_at": "2026-03-01",
        "country": "Greece",
        "city": "Athens",
        "state": "Attica",
        "education": "",
        "experience": "Mid-Senior level",
        "locations": [
            {"country": "Greece", "countryCode": "GR", "city": "Athens", "region": "Attica", "hidden": False}
        ],
        "description": "<p>Run our build farm.</p>",
        ACCOUNT_KEY: {"name": "Hellas Robotics"},
    }
    for key, value in changes.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def test_full_job():
    fields = map_posting(job(), "hellas")
    assert fields.title == "Platform Engineer"
    assert fields.external_id == "ABC123DEF4"
    assert fields.company == "Hellas Robotics"
    assert fields.url == "https://apply.workable.com/j/ABC123DEF4"
    assert fields.apply_url == "https://apply.workable.com/j/ABC123DEF4/apply"
    assert fields.locations == ["Athens, Attica, Greece"]
    assert fields.workplace is None  # telecommuting false: onsite or hybrid, unknown
    assert fields.employment_type == "Full-time"
    assert fields.seniority is None
    assert fields.department == "Engineering"
    assert fields.requisition_id is None
    assert fields.posted_at == datetime(2026, 3, 4, tzinfo=UTC)
    assert fields.description_html == "<p>Run our build farm.</p>"
    assert fields.pay == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"telecommuting": True}, "remote"),
        ({"telecommuting": False}, None),
        ({"telecommuting": None}, None),
        ({"telecommuting": "true"}, None),
    ],
)
def test_telecommuting(changes, expected):
    assert map_posting(job(**changes), "hellas").workplace == expected


@pytest.mark.parametrize(
    ("changes", "locations"),
    [
        (
            {
                "locations": [
                    {"country": "United States", "countryCode": "US", "city": "", "region": None, "hidden": False},
                    {
                        "country": "Canada",
                        "countryCode": "CA",
                        "city": "Toronto",
                        "region": "Ontario",
                        "hidden": False,
                    },
                    {"country": "Mexico", "countryCode": "MX", "city": "Monterrey", "region": "", "hidden": True},
                ]
            },
            ["United States", "Toronto, Ontario, Canada"],
        ),
        ({"locations": [], "city": "Berlin", "state": "Berlin", "country": "Germany"}, ["Berlin, Germany"]),
        ({"locations": None, "city": "", "state": "", "country": "Brazil"}, ["Brazil"]),
        ({"locations": [], "city": "", "state": "", "country": ""}, []),
    ],
)
def test_locations(changes, locations):
    assert map_posting(job(**changes), "hellas").locations == locations


@pytest.mark.parametrize(
    ("experience", "expected"),
    [
        ("Internship", "intern"),
        ("Entry level", "junior"),
        ("Associate", None),
        ("Mid-Senior level", None),
        ("", None),
    ],
)
def test_experience_to_seniority(experience, expected):
    assert map_posting(job(experience=experience), "hellas").seniority == expected


@pytest.mark.parametrize(
    ("changes", "posted"),
    [
        ({"published_on": "2026-05-06"}, datetime(2026, 5, 6, tzinfo=UTC)),
        ({"published_on": None, "created_at": "2026-05-01"}, datetime(2026, 5, 1, tzinfo=UTC)),
        ({"published_on": "", "created_at": ""}, None),
    ],
)
def test_posted_at(changes, posted):
    assert map_posting(job(**changes), "hellas").posted_at == posted


def test_company_falls_back_to_the_account_token_and_url_to_shortlink():
    fields = map_posting(job(**{ACCOUNT_KEY: None, "url": None, "application_url": None, "code": "REQ-7"}), "hellas")
    assert fields.company == "hellas"
    assert fields.url == fields.apply_url == "https://apply.workable.com/j/ABC123DEF4"
    assert fields.requisition_id == "REQ-7"


def test_missing_optional_fields():
    fields = map_posting({"shortcode": "Z9"}, "hellas")
    assert (fields.title, fields.external_id, fields.company, fields.workplace) == (None, "Z9", "hellas", None)
    assert fields.locations == [] and fields.description_html is None and fields.posted_at is None


@pytest.mark.parametrize(
    "payload",
    [{"title": "No shortcode"}, {"shortcode": ""}, {"shortcode": "X", "locations": "Athens"}, "job", None],
)
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "hellas")


@pytest.mark.corpus
def test_every_recorded_job_maps_and_normalizes():
    counts = {"jobs": 0, "remote": 0, "described": 0, "located": 0}
    for path in sorted(require_corpus("sources", "other").glob("*workable*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for raw_job in data["jobs"]:
            payload = {**raw_job, ACCOUNT_KEY: {"name": data["name"]}}  # as the spider stores it
            fields = map_posting(payload, "account")
            posting = normalize({"source": "workable", "board": "account", "payload": payload, "url": None})
            assert posting.title and posting.company == data["name"] and posting.posted_at is not None
            counts["jobs"] += 1
            counts["remote"] += fields.workplace == "remote"
            counts["described"] += bool(posting.description_text)
            counts["located"] += bool(posting.locations)
    # 1 recorded account (CrewAI): 4 jobs, 3 telecommuting
    assert counts == {"jobs": 4, "remote": 3, "described": 4, "located": 4}
