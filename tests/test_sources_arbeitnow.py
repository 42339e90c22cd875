"""Arbeitnow mapper: payloads in the real ``/api/job-board-api`` format (texts of our own) -> SourceFields."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.arbeitnow import map_posting
from tests.corpus import require_corpus


def job(**overrides):
    base = {
        "slug": "backend-engineer-python-berlin-412001",
        "company_name": "Kranich Logistik GmbH",
        "title": "Backend Engineer (Python) (m/w/d)",
        "description": "<p>Python, FastAPI, PostgreSQL.</p>",
        "remote": False,
        "url": "https://www.arbeitnow.com/jobs/companies/kranich-logistik-gmbh/backend-engineer-python-berlin-412001",
        "tags": ["Software Development"],
        "job_types": ["Full-time permanent", "berufserfahren"],
        "location": "Berlin",
        "created_at": 1786790000,
    }
    base.update(overrides)
    return base


def test_a_full_payload():
    f = map_posting(job(), "arbeitnow")
    assert f.external_id == "backend-engineer-python-berlin-412001"
    assert (f.title, f.company) == ("Backend Engineer (Python) (m/w/d)", "Kranich Logistik GmbH")
    assert f.url == f.apply_url and f.url.endswith("/backend-engineer-python-berlin-412001")
    assert f.locations == ["Berlin"]
    assert f.workplace is None  # remote: false says nothing
    assert f.employment_type == "Full-time permanent, berufserfahren"
    assert f.posted_at == datetime.fromtimestamp(1786790000, UTC)
    assert f.tags == ["Software Development"]
    assert f.pay == []


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"remote": True}, "workplace", "remote"),
        ({"remote": False}, "workplace", None),
        ({"remote": "true"}, "workplace", None),  # only the JSON boolean counts
        ({"job_types": []}, "employment_type", None),
        ({"job_types": ["Side"]}, "employment_type", "Side"),
        ({"job_types": "Freelance"}, "employment_type", None),
        ({"location": "Hamburg, Berlin"}, "locations", ["Hamburg, Berlin"]),
        ({"location": ""}, "locations", []),
        ({"created_at": "1786790000"}, "posted_at", datetime.fromtimestamp(1786790000, UTC)),
        ({"created_at": None}, "posted_at", None),
        ({"tags": None}, "tags", []),
        ({"description": "  "}, "description_html", None),
    ],
)
def test_field_table(overrides, field, expected):
    assert getattr(map_posting(job(**overrides), "arbeitnow"), field) == expected


@pytest.mark.parametrize(
    ("job_types", "expected"),
    [
        (["Full-time permanent", "berufserfahren"], "full_time"),
        (["Freelance"], "contract"),
        (["Internship"], "internship"),
        (["berufserfahren"], None),
    ],
)
def test_job_types_reach_the_employment_parser(job_types, expected):
    posting = normalize({"source": "arbeitnow", "board": "arbeitnow", "payload": job(job_types=job_types)})
    assert posting.employment_type == expected


@pytest.mark.parametrize("payload", [job(slug=None), job(slug=""), job(slug=412001), [job()], None])
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "arbeitnow")


RECORDED = {
    "Creampanda_jobscout__arbeitnow_jobs.json": 100,  # a complete page: data + links + meta
    "TheGamer406_BreteAI-Backend__tests_fixtures_arbeitnow.json": 3,
    "lcarlini_JobSearchAggregator__tests_fixtures_arbeitnow.json": 5,
}


@pytest.mark.parametrize(("name", "count"), sorted(RECORDED.items()))
def test_contract_every_recorded_body_maps_and_normalizes(name, count):
    data = json.loads(require_corpus("sources", "arbeitnow", name).read_bytes())
    postings = [normalize({"source": "arbeitnow", "board": "arbeitnow", "payload": j}) for j in data["data"]]
    assert len(postings) == count
    assert all(p.title and p.external_id for p in postings)
    remote = [j["slug"] for j in data["data"] if j["remote"] is True]
    assert {p.external_id for p in postings if p.provenance.get("workplace") == "structured"} == set(remote)
