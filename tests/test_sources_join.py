"""JOIN company pages and mapper: ``__NEXT_DATA__`` -> items; items with or without the job page's JobPosting ->
SourceFields; the recorded page in the corpus reads, maps and normalizes."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.join import CompanyPageError, map_posting, posting_id, read_company_page
from tests.corpus import require_corpus


def page(state) -> str:
    data = json.dumps({"props": {"pageProps": {"initialState": state}}})
    return f'<html><body><script id="__NEXT_DATA__" type="application/json">{data}</script></body></html>'


def item(**changes):
    base = {
        "id": 31000001,
        "idParam": "31000001-devops-engineer",
        "title": "DevOps Engineer",
        "createdAt": "2026-09-14T06:00:00.000Z",
        "employmentType": {"name": "Employee"},
        "workplaceType": "REMOTE",
        "city": {"cityName": "Vienna", "countryName": "Austria"},
        "country": {"iso3166": "AT"},
        "category": {"name": "IT"},
    }
    return {**base, **changes}


JOBPOSTING = {
    "@type": "JobPosting",
    "title": "DevOps Engineer (m/w/d)",
    "description": "<p>Terraform all the things.</p>",
    "employmentType": "FULL_TIME",
    "validThrough": "2026-12-31T00:00:00Z",
    "baseSalary": {"@type": "MonetaryAmount", "currency": "EUR", "value": {"minValue": 60000, "unitText": "YEAR"}},
}


def test_read_company_page():
    company, items, pagination = read_company_page(
        page(
            {"company": {"name": "Initrode"}, "jobs": {"items": [item()], "pagination": {"page": 1, "pageCount": 3}}}
        )
    )
    assert company == {"name": "Initrode"} and pagination["pageCount"] == 3
    assert [posting_id(i) for i in items] == ["31000001"]


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>no script</body></html>",
        '<script id="__NEXT_DATA__">{"props": </script>',
        page({"company": {}}),
        page({"jobs": {"items": "none"}}),
    ],
)
def test_unreadable_company_pages(body):
    with pytest.raises(CompanyPageError):
        read_company_page(body)


def test_item_with_its_job_page():
    payload = {
        "_listing": item(),
        "company": "Initrode",
        "page_url": "https://join.com/companies/initrode/31000001-devops-engineer",
        "jobposting": JOBPOSTING,
    }
    fields = map_posting(payload, "initrode")
    assert (fields.external_id, fields.title, fields.company) == ("31000001", "DevOps Engineer", "Initrode")
    assert fields.url == "https://join.com/companies/initrode/31000001-devops-engineer"
    assert fields.locations == ["Vienna, Austria"] and fields.workplace == "REMOTE"
    assert fields.employment_type == "Employee, FULL_TIME"
    assert fields.posted_at == datetime(2026, 9, 14, 6, tzinfo=UTC)
    assert fields.valid_through == datetime(2026, 12, 31, tzinfo=UTC)
    assert fields.description_html == "<p>Terraform all the things.</p>" and fields.department == "IT"
    [pay] = fields.pay
    assert (pay.min, pay.currency, pay.period) == (60000, "EUR", "year")


@pytest.mark.parametrize(
    ("changes", "locations", "url"),
    [
        ({}, ["Vienna, Austria"], "https://join.com/companies/initrode/31000001-devops-engineer"),
        ({"city": {"cityName": "Graz"}, "idParam": None}, ["Graz, AT"], None),
        ({"city": None, "country": None}, [], "https://join.com/companies/initrode/31000001-devops-engineer"),
    ],
)
def test_item_alone(changes, locations, url):
    fields = map_posting({"_listing": item(**changes)}, "initrode")
    assert fields.locations == locations and fields.url == url
    assert fields.company == "initrode" and fields.pay == [] and fields.description_html is None


@pytest.mark.parametrize("payload", [[], {"jobposting": JOBPOSTING}, {"_listing": item(id=None)}])
def test_unreadable_jobs_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "b")


def test_recorded_page_reads_maps_and_normalizes():
    root = require_corpus("sources", "join")
    jobs = 0
    for path in sorted(root.glob("*.html")):
        company, items, pagination = read_company_page(path.read_bytes())
        assert company.get("name") and pagination.get("pageCount") == 1, path.name
        for job in items:
            payload = {"_listing": job, "company": company["name"]}
            posting = normalize({"source": "join", "board": "b", "external_id": posting_id(job), "payload": payload})
            assert posting.title and posting.locations and posting.posted_at and posting.workplace, path.name
            jobs += 1
    assert jobs == 2
