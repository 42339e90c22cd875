"""Remotive mapper: payloads in the real ``/api/remote-jobs`` format (texts of our own) -> SourceFields."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.remotive import map_posting
from tests.corpus import require_corpus


def job(**overrides):
    base = {
        "id": 2095001,
        "url": "https://remotive.com/remote-jobs/software-development/backend-engineer-2095001",
        "title": "Backend Engineer",
        "company_name": "Larkspur Health",
        "company_logo": "https://remotive.com/job/2095001/logo",
        "category": "Software Development",
        "tags": ["python", "django"],
        "job_type": "full_time",
        "publication_date": "2026-08-12T14:03:11",
        "candidate_required_location": "USA",
        "salary": "",
        "description": "<p>Build Django services.</p>",
    }
    base.update(overrides)
    return base


def test_a_full_payload():
    f = map_posting(job(), "remotive")
    assert (f.external_id, f.title, f.company) == ("2095001", "Backend Engineer", "Larkspur Health")
    assert f.url == f.apply_url == "https://remotive.com/remote-jobs/software-development/backend-engineer-2095001"
    assert f.locations == ["USA"]
    assert f.remote_regions == ["US"]
    assert f.workplace == "remote"
    assert f.employment_type == "full_time"
    assert f.posted_at == datetime(2026, 8, 12, 14, 3, 11, tzinfo=UTC)  # no zone -> UTC
    assert f.tags == ["python", "django"]
    assert f.description_html == "<p>Build Django services.</p>"
    assert f.pay == []  # the salary is text, never structured pay


@pytest.mark.parametrize(
    ("salary", "description", "expected"),
    [
        ("", "<p>Body</p>", "<p>Body</p>"),
        ("$120k - $150k", "<p>Body</p>", "<p>Salary: $120k - $150k</p>\n<p>Body</p>"),
        ("OTE $25k <> $35k", "<p>Body</p>", "<p>Salary: OTE $25k &lt;&gt; $35k</p>\n<p>Body</p>"),
        ("$18 - $22/hr", "", "<p>Salary: $18 - $22/hr</p>\n"),
        ("", "", None),
        (None, "<p>Body</p>", "<p>Body</p>"),
    ],
)
def test_salary_goes_into_the_description_as_a_line(salary, description, expected):
    assert map_posting(job(salary=salary, description=description), "remotive").description_html == expected


def test_salary_text_reaches_the_pay_parser():
    posting = normalize({"source": "remotive", "board": "remotive", "payload": job(salary="$120,000 - $150,000")})
    assert posting.pay is not None
    assert (posting.pay.min, posting.pay.max, posting.pay.currency) == (120000, 150000, "USD")
    assert posting.provenance["pay"] == "text"
    assert posting.description_text.startswith("Salary: $120,000 - $150,000")


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"candidate_required_location": "Americas, Europe, Israel"}, "locations", ["Americas, Europe, Israel"]),
        ({"candidate_required_location": ""}, "locations", []),
        ({"job_type": ""}, "employment_type", None),
        ({"job_type": "freelance"}, "employment_type", "freelance"),
        (
            {"publication_date": "2026-08-12T14:03:11+02:00"},
            "posted_at",
            datetime(2026, 8, 12, 12, 3, 11, tzinfo=UTC),
        ),
        ({"publication_date": ""}, "posted_at", None),
        ({"tags": None}, "tags", []),
        ({"company_name": None}, "company", None),
        ({"id": "2095009"}, "external_id", "2095009"),
        ({"url": ""}, "url", None),
    ],
)
def test_field_table(overrides, field, expected):
    assert getattr(map_posting(job(**overrides), "remotive"), field) == expected


@pytest.mark.parametrize("payload", [job(id=None), job(id=""), job(id=True), [job()], None, "x"])
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "remotive")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("USA", ["US"]),
        ("Worldwide", ["Worldwide"]),
        ("Americas, Europe, Israel", ["Americas", "Europe", "IL"]),
        ("Europe, UK, Germany, France, European timezones", ["Europe", "GB", "DE", "FR"]),
        ("USA, CST (UTC-6)", ["UTC-6", "US"]),
        ("", []),
    ],
)
def test_required_location_gives_remote_regions(value, expected):
    assert map_posting(job(candidate_required_location=value), "remotive").remote_regions == expected


def test_remote_regions_come_from_the_required_location():
    posting = normalize(
        {"source": "remotive", "board": "remotive", "payload": job(candidate_required_location="Americas, Europe")}
    )
    assert posting.workplace == "remote"
    assert posting.remote_regions == ["Americas", "Europe"]


RECORDED = {
    "TheGamer406_BreteAI-Backend__tests_fixtures_remotive.json": 3,
    "WorkVerse__remotive_remote-jobs.json": 35,  # starts with a UTF-8 BOM
    "ikevinxie_remote-jobs-collector__tests_fixtures_remotive.json": 4,
    "lcarlini_JobSearchAggregator__tests_fixtures_remotive.json": 5,
    "nacefmoula_internship-hunter__tests_fixtures_remotive.json": 18,
}


@pytest.mark.parametrize(("name", "count"), sorted(RECORDED.items()))
def test_contract_every_recorded_body_maps_and_normalizes(name, count):
    """Raw ``remotive.com/api/remote-jobs`` bodies (some trimmed, some without the envelope's notices)."""
    data = json.loads(require_corpus("sources", "remotive", name).read_bytes())  # bytes: the BOM is tolerated
    postings = [normalize({"source": "remotive", "board": "remotive", "payload": j}) for j in data["jobs"]]
    assert len(postings) == count
    assert all(p.title and p.external_id and p.workplace == "remote" for p in postings)


def test_the_reshaped_dataset_is_not_an_api_payload():
    """datasets/Snoopy-CL_jobpulse__remotive_jobs.json was reshaped by another scraper (job_id, skills, ...):
    it is refused rather than mapped into half-empty postings."""
    data = json.loads(require_corpus("sources", "datasets", "Snoopy-CL_jobpulse__remotive_jobs.json").read_bytes())
    rows = data if isinstance(data, list) else data.get("jobs", [])
    assert rows
    with pytest.raises(MappingError):
        map_posting(rows[0], "remotive")
