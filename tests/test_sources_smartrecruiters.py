"""SmartRecruiters mapper: small payloads in the recorded Posting API format (details and list items) ->
SourceFields; the recorded bodies in the corpus map and normalize without an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.smartrecruiters import map_posting
from tests.corpus import require_corpus


def detail(**changes):
    base = {
        "id": "744000000000042",
        "name": "Backend Developer",
        "uuid": "u",
        "refNumber": "REF42X",
        "company": {"identifier": "Initech", "name": "Initech GmbH"},
        "location": {
            "city": "Munich",
            "region": "Bavaria",
            "country": "de",
            "remote": False,
            "hybrid": True,
            "fullLocation": "Munich, Bavaria, Germany",
        },
        "releasedDate": "2026-04-01T10:00:00.000Z",
        "postingUrl": "https://jobs.smartrecruiters.com/Initech/744000000000042-backend-developer",
        "applyUrl": "https://jobs.smartrecruiters.com/Initech/744000000000042-backend-developer?oga=true",
        "jobAd": {
            "sections": {
                "companyDescription": {"title": "Company Description", "text": "<p>We make TPS reports.</p>"},
                "jobDescription": {"title": "Job Description", "text": "<p>Build Kotlin services.</p>"},
                "qualifications": {"title": "Qualifications", "text": "<ul><li>3+ years</li></ul>"},
                "additionalInformation": {"title": "Additional Information", "text": "<p>Free coffee.</p>"},
            }
        },
        "typeOfEmployment": {"id": "permanent", "label": "Full-time"},
        "experienceLevel": {"id": "mid_senior_level", "label": "Mid-Senior Level"},
        "department": {"id": 7, "label": "Engineering"},
    }
    for key, value in changes.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    return base


def test_full_detail():
    fields = map_posting(detail(), "Initech")
    assert fields.title == "Backend Developer"
    assert fields.external_id == "744000000000042"
    assert fields.company == "Initech GmbH"
    assert fields.url == "https://jobs.smartrecruiters.com/Initech/744000000000042-backend-developer"
    assert fields.apply_url.endswith("?oga=true")
    assert fields.locations == ["Munich, Bavaria, Germany"]
    assert fields.workplace == "hybrid"
    assert fields.employment_type == "Full-time"
    assert fields.seniority is None  # mid_senior_level is ambiguous
    assert fields.department == "Engineering"
    assert fields.requisition_id == "REF42X"
    assert fields.posted_at == datetime(2026, 4, 1, 10, tzinfo=UTC)
    html = fields.description_html
    order = ["We make TPS reports", "Build Kotlin services", "<h3>Qualifications</h3>", "3+ years", "Free coffee"]
    assert [html.index(part) for part in order] == sorted(html.index(part) for part in order)
    assert fields.pay == []


@pytest.mark.parametrize(
    ("comp", "expected"),
    [
        ({"min": 34, "max": 47, "currency": "USD", "period": "HOURLY"}, (34, 47, "USD", "hour", 34 * 2080)),
        ({"min": 90000, "max": 110000, "currency": "eur", "period": "YEARLY"}, (90000, 110000, "EUR", "year", 90000)),
        (
            {"min": 90000, "max": 110000, "currency": "EUR", "period": "ANNUALLY"},
            (90000, 110000, "EUR", "year", 90000),
        ),
        ({"min": 4000, "max": 5000, "currency": "PLN", "period": "MONTHLY"}, (4000, 5000, "PLN", "month", 48000)),
        ({"min": 300, "max": None, "currency": "GBP", "period": "DAILY"}, (300, None, "GBP", "day", 78000)),
        ({"min": 800, "max": 900, "currency": "USD", "period": "WEEKLY"}, (800, 900, "USD", "week", 41600)),
    ],
)
def test_compensation(comp, expected):
    [pay] = map_posting(detail(compensation=comp), "Initech").pay
    assert (pay.min, pay.max, pay.currency, pay.period, pay.annual_min) == expected
    assert pay.kind == "base" and pay.raw.startswith("compensation:")


@pytest.mark.parametrize(
    "comp",
    [
        {"min": 0, "max": 0, "currency": "USD", "period": "YEARLY"},
        {"min": 100, "max": 200, "currency": "USD"},
        {"min": 100, "max": 200, "currency": "USD", "period": "PER_PROJECT"},
        "34.52-46.00",
    ],
)
def test_compensation_without_amount_or_period(comp):
    assert map_posting(detail(compensation=comp), "Initech").pay == []


@pytest.mark.parametrize(
    ("location", "locations", "workplace"),
    [
        (
            {"city": "Sandy", "region": "UT", "country": "us", "remote": True, "hybrid": False},
            ["Sandy, UT, US"],
            "remote",
        ),
        ({"fullLocation": "Lyon, France", "remote": False, "hybrid": True}, ["Lyon, France"], "hybrid"),
        (
            {"fullLocation": "Fujisawa, Kanagawa, Japan", "remote": False, "hybrid": False},
            ["Fujisawa, Kanagawa, Japan"],
            None,
        ),
        ({"city": "Oslo", "remote": True, "hybrid": True}, ["Oslo"], "remote"),
        ({}, [], None),
    ],
)
def test_location_and_work_mode(location, locations, workplace):
    fields = map_posting(detail(location=location), "Initech")
    assert (fields.locations, fields.workplace) == (locations, workplace)


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        ({"id": "internship", "label": "Internship"}, "intern"),
        ({"id": "entry_level", "label": "Entry Level"}, "junior"),
        ({"id": "associate", "label": "Associate"}, None),
        ({"id": "mid_senior_level", "label": "Mid-Senior Level"}, None),
        ({"id": "director", "label": "Director"}, None),
        ({"id": "executive", "label": "Executive"}, None),
        ({}, None),
        ("internship", None),
    ],
)
def test_experience_level_to_seniority(level, expected):
    assert map_posting(detail(experienceLevel=level), "Initech").seniority == expected


@pytest.mark.parametrize(
    ("employment", "expected"),
    [
        ({"id": "permanent", "label": "Full-time"}, "Full-time"),
        ({"id": "part-time"}, "part-time"),
        ({"id": "intern", "label": "Intern"}, "Intern"),
        ({}, None),
    ],
)
def test_type_of_employment(employment, expected):
    assert map_posting(detail(typeOfEmployment=employment), "Initech").employment_type == expected


def test_list_item_fallback_has_no_description_and_a_built_url():
    item = detail(jobAd=None, postingUrl=None, applyUrl=None, department={})
    item["ref"] = "https://api.smartrecruiters.com/v1/companies/Initech/postings/744000000000042"
    fields = map_posting(item, "Initech")
    assert fields.description_html is None
    assert fields.url == fields.apply_url == "https://jobs.smartrecruiters.com/Initech/744000000000042"
    assert fields.department is None


def test_missing_optional_fields():
    fields = map_posting({"id": 744000000000042}, "Initech")
    assert (fields.title, fields.external_id, fields.company) == (None, "744000000000042", "Initech")
    assert fields.url == "https://jobs.smartrecruiters.com/Initech/744000000000042"
    assert fields.locations == [] and fields.pay == [] and fields.description_html is None


@pytest.mark.parametrize(
    "payload",
    [
        {"name": "No id"},
        {"id": ""},
        {"id": "1", "location": "Berlin"},
        {"id": "1", "company": "Initech"},
        {"id": "1", "jobAd": "<p>x</p>"},
        [],
    ],
)
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "Initech")


@pytest.mark.corpus
def test_every_recorded_posting_maps_and_normalizes():
    counts = {"postings": 0, "described": 0, "pay": 0, "workplace": 0, "seniority": 0}
    for path in sorted(require_corpus("sources", "other").glob("*smartrecruiters*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for payload in data.get("content", [data]):
            fields = map_posting(payload, "board")
            posting = normalize({"source": "smartrecruiters", "board": "board", "payload": payload, "url": None})
            assert posting.title and posting.company and posting.posted_at is not None and posting.locations
            counts["postings"] += 1
            counts["described"] += fields.description_html is not None
            counts["pay"] += bool(fields.pay)
            counts["workplace"] += fields.workplace is not None
            counts["seniority"] += fields.seniority is not None
    # 3 files: a list of 3 (no jobAd) and 2 details; 1 detail has a structured (HOURLY) compensation; 4 are
    # internships (experienceLevel "internship")
    assert counts == {"postings": 5, "described": 2, "pay": 1, "workplace": 2, "seniority": 4}
