"""schema.org JobPosting JSON-LD: lenient block loading, the walk, the mapping, and a contract check over the
recorded career pages in the shared corpus."""

from __future__ import annotations

import json

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.jsonld import extract_job_postings, load_lenient, map_posting, posting_id, read_page
from tests.corpus import require_corpus

JOB = {"@type": "JobPosting", "title": "Backend Engineer"}


def page(*blocks: str, head: str = "") -> str:
    scripts = "".join(f'<script type="application/ld+json">{b}</script>' for b in blocks)
    return f"<!DOCTYPE html><html><head>{head}{scripts}</head><body><p>x</p></body></html>"


@pytest.mark.parametrize(
    ("block", "values"),
    [
        ('{"a": 1}', [{"a": 1}]),
        ('{"a": [1, 2,], "b": {"c": 3,},}', [{"a": [1, 2], "b": {"c": 3}}]),  # trailing commas
        ('<!--\n{"a": 1}\n-->', [{"a": 1}]),  # HTML comment wrapper
        ('//<![CDATA[\n{"a": 1}\n//]]>', [{"a": 1}]),  # CDATA, commented out the JS way
        ('<![CDATA[{"a": 1}]]>', [{"a": 1}]),
        ('{"a": "line one\nline two\ttab"}', [{"a": "line one\nline two\ttab"}]),  # raw control characters
        ('{"a": "it\\\'s"}', [{"a": "it's"}]),  # invalid escape \'
        ('{"a": 1}{"b": 2}', [{"a": 1}, {"b": 2}]),  # concatenated objects
        ('{"a": 1},\n{"b": 2};', [{"a": 1}, {"b": 2}]),
        ('/* generated */ {"a": "http://x.example/y"} // end', [{"a": "http://x.example/y"}]),
        ("{&quot;a&quot;: 1}", [{"a": 1}]),  # the block written entity-escaped
        ('{"a": "\\u00e9\\uZZ"}', [{"a": "é\\uZZ"}]),  # a broken \\u escape is kept as text
        ('\ufeff {"a": 1}', [{"a": 1}]),
        ('{"a": 1} {"broken": } {"c": 3}', [{"a": 1}, {"c": 3}]),  # a broken object does not hide the next
        ("", []),
        ("not json at all", []),
    ],
)
def test_load_lenient(block, values):
    assert load_lenient(block) == values


@pytest.mark.parametrize(
    ("html", "titles"),
    [
        (page(json.dumps(JOB)), ["Backend Engineer"]),
        (page(json.dumps({"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, JOB]})), [JOB["title"]]),
        (page(json.dumps([{"@type": "Organization"}, {**JOB, "title": "A"}, {**JOB, "title": "B"}])), ["A", "B"]),
        (  # nested: an ItemList of postings
            page(json.dumps({"@type": "ItemList", "itemListElement": [{"@type": "ListItem", "item": JOB}]})),
            ["Backend Engineer"],
        ),
        (page(json.dumps({**JOB, "@type": ["JobPosting", "Thing"]})), ["Backend Engineer"]),
        (page(json.dumps({**JOB, "@type": "http://schema.org/JobPosting"})), ["Backend Engineer"]),
        (page(json.dumps({**JOB, "@type": "schema:JobPosting"})), ["Backend Engineer"]),
        (page(json.dumps(JOB), json.dumps(JOB)), ["Backend Engineer"]),  # repeated markup kept once
        (page(json.dumps({"@type": "WebSite", "name": "x"})), []),
        ("<html><body><p>No markup here</p></body></html>", []),
        ("", []),
        (  # Built In writes the type attribute entity-escaped
            f'<html><head><script type="application/ld&#x2B;json">{json.dumps(JOB)}</script></head></html>',
            ["Backend Engineer"],
        ),
        (  # other attributes and a charset parameter
            f'<script data-rh="true" type="application/ld+json; charset=utf-8">{json.dumps(JOB)}</script>',
            ["Backend Engineer"],
        ),
        (f'<script type="application/json">{json.dumps(JOB)}</script>', []),  # not JSON-LD
        (f'<?xml version="1.0" encoding="utf-8"?><html><head>{page(json.dumps(JOB))}', ["Backend Engineer"]),
        (page(json.dumps(JOB)).encode("utf-8"), ["Backend Engineer"]),  # bytes
    ],
)
def test_extract_job_postings(html, titles):
    assert [p["title"] for p in extract_job_postings(html, "https://jobs.example/p/1")] == titles


def test_relative_url_resolved_against_page_and_base_href():
    job = {**JOB, "url": "/careers/42"}
    assert extract_job_postings(page(json.dumps(job)), "https://jobs.example/p/1")[0]["url"] == (
        "https://jobs.example/careers/42"
    )
    html = page(json.dumps(job), head='<base href="https://cdn.example/site/">')
    assert extract_job_postings(html, "https://jobs.example/p/1")[0]["url"] == "https://cdn.example/careers/42"


def test_unreadable_blocks_are_counted():
    data = read_page(page("{ this is : not json", json.dumps(JOB)), "https://jobs.example/")
    assert (data.blocks, data.unreadable, len(data.postings)) == (2, 1, 1)


def mapped(**job):
    return map_posting({"page_url": "https://jobs.example/p/1?ref=x", "jobposting": {**JOB, **job}}, "jobs.example")


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        (
            {"@type": "MonetaryAmount", "currency": "USD",
             "value": {"@type": "QuantitativeValue", "minValue": 150000, "maxValue": 190000, "unitText": "YEAR"}},
            [(150000, 190000, "USD", "year")],
        ),
        (
            {"currency": "eur", "value": {"minValue": "4,500", "maxValue": "5,500", "unitText": "MONTH"}},
            [(4500, 5500, "EUR", "month")],
        ),
        ({"currency": "GBP", "value": {"value": 600, "unitText": "DAY"}}, [(600, 600, "GBP", "day")]),
        ({"currency": "USD", "value": {"value": 55, "unitText": "HOURLY"}}, [(55, 55, "USD", "hour")]),
        ({"currency": "USD", "value": 120000, "unitText": "YEAR"}, [(120000, 120000, "USD", "year")]),
        ({"currency": "USD", "value": {"minValue": 130000}}, [(130000, None, "USD", "year")]),  # no unit: magnitude
        ({"currency": "USD", "value": {"minValue": 40, "maxValue": 60}}, [(40, 60, "USD", "hour")]),
        ({"currency": "USD", "value": {"minValue": 2000, "maxValue": 3000}}, [(2000, 3000, "USD", None)]),
        ({"currency": "USD", "value": {"minValue": 0, "maxValue": 0, "unitText": "YEAR"}}, []),  # placeholder
        (
            [{"currency": "USD", "value": {"minValue": 100, "maxValue": 120, "unitText": "WEEK"}},
             {"currency": "CAD", "value": {"minValue": 90000, "maxValue": 99000, "unitText": "YEAR"}}],
            [(100, 120, "USD", "week"), (90000, 99000, "CAD", "year")],
        ),
        ("$120k", []),  # free text is the text parser's job
        (None, []),
    ],
)  # fmt: skip
def test_base_salary(salary, expected):
    fields = mapped(baseSalary=salary)
    assert [(r.min, r.max, r.currency, r.period) for r in fields.pay] == expected


@pytest.mark.parametrize(
    ("job_location", "locations"),
    [
        (
            {"@type": "Place", "address": {"addressLocality": "San Francisco", "addressRegion": "California",
                                           "addressCountry": "United States"}},
            ["San Francisco, California, United States"],
        ),
        (
            [{"address": {"addressCountry": "USA"}}, {"address": {"addressCountry": "USA", "addressRegion": "CA"}},
             {"address": {"addressCountry": "USA", "addressRegion": "CA", "addressLocality": "Oakland"}},
             {"address": {"addressCountry": "USA", "addressRegion": "CA", "addressLocality": "Fremont"}}],
            ["Oakland, CA, USA", "Fremont, CA, USA"],  # Built In's ancestor entries dropped
        ),
        (
            [{"address": {"addressLocality": "Hong Kong", "addressRegion": "UNAVAILABLE", "addressCountry": "HK",
                          "streetAddress": "UNAVAILABLE"}}],
            ["Hong Kong, HK"],  # iCIMS placeholders
        ),
        ({"address": {"addressLocality": "Berlin", "addressCountry": {"@type": "Country", "name": "DE"}}},
         ["Berlin, DE"]),
        ({"address": "Remote, Canada"}, ["Remote, Canada"]),
        ("London, UK", ["London, UK"]),
        ({"@type": "Place", "name": "Head office"}, ["Head office"]),
        ({"address": {"addressLocality": "Singapore", "addressCountry": "Singapore"}}, ["Singapore"]),
        (None, []),
    ],
)  # fmt: skip
def test_job_location(job_location, locations):
    assert mapped(jobLocation=job_location).locations == locations


def test_mapping_fields():
    fields = mapped(
        title="Senior Backend Engineer &amp; Tech Lead ",
        identifier={"@type": "PropertyValue", "name": "Acme", "value": 123},
        hiringOrganization={"@type": "Organization", "name": "Acme &amp; Co"},
        jobLocationType="TELECOMMUTE",
        applicantLocationRequirements=[{"@type": "Country", "name": "USA"}, {"@type": "Country", "name": "CAN"},
                                       {"@type": "AdministrativeArea", "name": "EMEA"}],
        employmentType=["FULL_TIME", "CONTRACTOR"],
        datePosted="2026-06-13",
        validThrough="2026-07-13T00:01:45+00:00",
        description="&lt;p&gt;Go and Kafka&lt;/p&gt;",
        url="https://jobs.example/p/1",
        skills=["Go", {"@type": "DefinedTerm", "name": "Kafka"}],
        directApply=True,
    )  # fmt: skip
    assert fields.origin == "jsonld"
    assert (fields.title, fields.company, fields.external_id) == (
        "Senior Backend Engineer & Tech Lead",
        "Acme & Co",
        "123",
    )
    assert (fields.workplace, fields.remote_regions) == ("remote", ["US", "CA", "EMEA"])
    assert fields.employment_type == "FULL_TIME, CONTRACTOR"
    assert fields.posted_at.isoformat() == "2026-06-13T00:00:00+00:00"
    assert fields.valid_through.isoformat() == "2026-07-13T00:01:45+00:00"
    assert fields.description_html == "&lt;p&gt;Go and Kafka&lt;/p&gt;"
    assert fields.tags == ["Go", "Kafka"]
    assert fields.url == "https://jobs.example/p/1"
    payload = {"page_url": "https://jobs.example/p/1", "jobposting": {**JOB, "description": fields.description_html}}
    posting = normalize({"source": "jsonld", "board": "jobs.example", "payload": payload})
    assert posting.description_text == "Go and Kafka"


def test_remote_regions_only_for_telecommute_jobs():
    fields = mapped(applicantLocationRequirements={"@type": "Country", "name": "USA"})
    assert (fields.workplace, fields.remote_regions) == (None, [])


@pytest.mark.parametrize(
    ("identifier", "expected"),
    [
        ({"@type": "PropertyValue", "value": "9383286"}, "9383286"),
        ("REQ-7", "REQ-7"),
        (42, "42"),
        ([{"@type": "PropertyValue", "value": ""}, {"value": "B-2"}], "B-2"),
    ],
)
def test_identifier(identifier, expected):
    assert posting_id({**JOB, "identifier": identifier}, "https://jobs.example/p/1") == expected


def test_identifier_fallback_is_a_stable_hash_of_page_and_title():
    a = posting_id(JOB, "https://jobs.example/p/1?b=2&a=1#top")
    assert a == posting_id(JOB, "https://jobs.example/p/1?a=1&b=2") and a.startswith("urlhash:")
    assert a != posting_id({**JOB, "title": "Other"}, "https://jobs.example/p/1?a=1&b=2")
    assert a != posting_id(JOB, "https://jobs.example/p/2")


def test_no_url_falls_back_to_the_page():
    assert mapped().url == "https://jobs.example/p/1?ref=x"


@pytest.mark.parametrize("payload", [{}, {"page_url": "x"}, {"jobposting": "x"}, []])
def test_unreadable_payload_is_a_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "jobs.example")


# Recorded pages: JobPostings found (the others carry no JobPosting JSON-LD: LinkedIn, Indeed, Glassdoor, SEEK,
# Greenhouse- and Lever-hosted pages, a Databricks career page).
CORPUS_COUNTS = {
    "JACKAS5_resume-helper__linkedin_jobs_guest_search.html": 0,
    "KernSharma_intern-radar__tests_fixtures_jd_icims_job.html": 1,
    "Mohanarangan123_JOB-SEARCH-BOT-__linkedin_python-developer-jobs-chennai.html": 0,
    "Mohanarangan123_JOB-SEARCH-BOT-__linkedin_python-developer-jobs.html": 0,
    "Mohanarangan123_JOB-SEARCH-BOT-__linkedin_remote-python-developer-jobs.html": 0,
    "dinie_coverletterer__tests_fixtures_linkedin_job.html": 0,
    "dinie_coverletterer__tests_fixtures_seek_job.html": 0,
    "taejoonn_job-search__job_search_templates_glassdoor.html": 0,
    "taejoonn_job-search__job_search_templates_indeed.html": 0,
    "yiakhuat_hermes-agent-setup__ats1.html": 1,
    "yiakhuat_hermes-agent-setup__ats10.html": 0,
    "yiakhuat_hermes-agent-setup__ats2.html": 1,
    "yiakhuat_hermes-agent-setup__ats3.html": 0,
    "yiakhuat_hermes-agent-setup__ats4.html": 0,
    "yiakhuat_hermes-agent-setup__ats5.html": 0,
    "yiakhuat_hermes-agent-setup__ats8.html": 1,
    **{f"yiakhuat_hermes-agent-setup__job{i}.html": 1 for i in range(1, 10)},
}


@pytest.mark.corpus
def test_contract_recorded_pages_extract_map_and_normalize():
    folder = require_corpus("sources", "jsonld_html")
    found = {}
    for path in sorted(folder.glob("*.html")):
        url = f"https://pages.example/{path.stem}"
        data = read_page(path.read_bytes(), url)
        assert data.unreadable == 0, path.name
        found[path.name] = len(data.postings)
        for job in data.postings:
            payload = {"page_url": url, "jobposting": job}
            posting = normalize({"source": "jsonld", "board": "pages.example", "payload": payload})
            assert posting.title and posting.company and posting.posted_at, path.name
            assert posting.description_text, path.name
    assert found == CORPUS_COUNTS


@pytest.mark.corpus
def test_contract_built_in_salary_and_locations():
    path = require_corpus("sources", "jsonld_html", "yiakhuat_hermes-agent-setup__job7.html")
    (job,) = extract_job_postings(path.read_bytes(), "https://www.builtinsf.com/job/x/8638596")
    posting = normalize(
        {"source": "jsonld", "board": "www.builtinsf.com", "payload": {"page_url": "u", "jobposting": job}}
    )
    assert posting.external_id == "8638596" and posting.workplace == "remote"
    assert posting.remote_regions[:2] == ["CA", "US"]
    assert all(loc.city for loc in posting.locations)  # "USA" and "California, USA" entries dropped
    path = require_corpus("sources", "jsonld_html", "yiakhuat_hermes-agent-setup__job1.html")
    (job,) = extract_job_postings(path.read_bytes(), "https://www.builtinsf.com/job/x/9383286")
    posting = normalize(
        {"source": "jsonld", "board": "www.builtinsf.com", "payload": {"page_url": "u", "jobposting": job}}
    )
    assert (posting.pay.min, posting.pay.max, posting.pay.period) == (192000, 264000, "year")
    assert posting.provenance["pay"] == "jsonld"
