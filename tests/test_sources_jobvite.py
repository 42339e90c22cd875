"""Jobvite listing rows and mapper: the hosted listing -> rows; rows with or without the job page's JobPosting ->
SourceFields; the recorded listing in the corpus reads, maps and normalizes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.jobvite import is_listing, map_posting, posting_id, read_listing
from tests.corpus import require_corpus

ROW = {
    "id": "oQq1Rr2s",
    "title": "Payroll Specialist",
    "location": "Tulsa, Oklahoma",
    "path": "/vehement/job/oQq1Rr2s",
}


@pytest.mark.parametrize(
    ("html", "ids", "next_link"),
    [
        (
            '<table class="jv-job-list"><tr><td><a href="/vehement/job/oQq1Rr2s">Payroll</a></td>'
            '<td class="jv-job-list-location">Tulsa</td></tr></table>',
            ["oQq1Rr2s"],
            None,
        ),
        # absolute links, a second link in the same row, a row of another company, a next-page link
        (
            '<table><tr><td><a href="https://jobs.jobvite.com/Vehement/job/oA1?nl=1">A</a>'
            '<a href="/vehement/job/oA1/apply">Apply</a></td></tr>'
            '<tr><td><a href="/other/job/oB2">B</a></td></tr></table>'
            '<a class="jv-pagination-next" href="/vehement/search?p=1">Next</a>',
            ["oA1"],
            "/vehement/search?p=1",
        ),
        ("<table></table>", [], None),
    ],
)
def test_read_listing(html, ids, next_link):
    rows, link = read_listing(html, "vehement")
    assert [r["id"] for r in rows] == ids and link == next_link


def test_read_listing_row_fields():
    html = (
        '<table><tr><td><a href="/vehement/job/oQq1Rr2s"> Payroll\n Specialist </a></td>'
        '<td class="jv-job-list-location">Tulsa, <span>Oklahoma</span></td></tr></table>'
    )
    assert read_listing(html, "vehement")[0] == [ROW]


@pytest.mark.parametrize(
    ("html", "expected"),
    [("<table></table>", True), ('<div class="jv-no-jobs">None open</div>', True), ("<p>Our culture</p>", False)],
)
def test_is_listing(html, expected):
    assert is_listing(html) is expected


def test_row_with_its_job_page():
    jobposting = {
        "@type": "JobPosting",
        "title": "Payroll Specialist II",
        "identifier": {"@type": "PropertyValue", "value": "REQ-88"},
        "description": "<p>Run payroll for four states.</p>",
        "datePosted": "2026-10-20",
        "employmentType": "Full-Time",
        "hiringOrganization": {"name": "Vehement Capital"},
        "jobLocation": {"address": {"addressLocality": "Tulsa", "addressRegion": "OK", "addressCountry": "US"}},
        "baseSalary": {"currency": "USD", "value": {"minValue": 52000, "maxValue": 60000, "unitText": "YEAR"}},
    }
    payload = {
        "_listing": ROW,
        "page_url": "https://jobs.jobvite.com/vehement/job/oQq1Rr2s",
        "jobposting": jobposting,
    }
    fields = map_posting(payload, "vehement")
    assert (fields.external_id, fields.title, fields.company) == (
        "oQq1Rr2s",
        "Payroll Specialist II",
        "Vehement Capital",
    )
    assert fields.url == "https://jobs.jobvite.com/vehement/job/oQq1Rr2s"
    assert fields.locations == ["Tulsa, OK, US"] and fields.employment_type == "Full-Time"
    assert fields.posted_at == datetime(2026, 10, 20, tzinfo=UTC)
    assert [(p.min, p.max, p.currency) for p in fields.pay] == [(52000, 60000, "USD")]


def test_row_alone():
    fields = map_posting({"_listing": ROW}, "vehement")
    assert (fields.title, fields.locations, fields.company) == ("Payroll Specialist", ["Tulsa, Oklahoma"], "vehement")
    assert fields.url == "https://jobs.jobvite.com/vehement/job/oQq1Rr2s" and fields.pay == []


@pytest.mark.parametrize("payload", [[], {"jobposting": {}}, {"_listing": {"title": "no id"}}])
def test_unreadable_jobs_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "b")


def test_recorded_listing_reads_maps_and_normalizes():
    root = require_corpus("sources", "jobvite")
    jobs = 0
    for path in sorted(root.glob("*.html")):
        rows, next_link = read_listing(path.read_bytes(), "feedingamerica")
        assert next_link is None, path.name
        for row in rows:
            posting = normalize(
                {"source": "jobvite", "board": "b", "external_id": posting_id(row), "payload": {"_listing": row}}
            )
            assert posting.title and posting.locations, path.name
            jobs += 1
    assert jobs == 2
