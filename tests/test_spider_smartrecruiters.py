"""The SmartRecruiters spider against a local server (list pages, then one detail per posting), run in-process
(tests/spiders.py), then ``jobscout query``; the retried detail through the real ``jobscout crawl``.

tests/fixtures/smartrecruiters/acme/ holds a postings list (``offset``, ``limit``, ``totalFound``, ``content``)
and one detail per posting (``jobAd.sections``, ``compensation``, ``postingUrl``) in the recorded format, with
texts of our own.
"""

from __future__ import annotations

import json

from tests import crawling
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

COMPANY = "AcmeFreight"
DIR = FIXTURES / "smartrecruiters" / "acme"
LISTING = json.loads((DIR / "postings.json").read_text())
IDS = [item["id"] for item in LISTING["content"]]


def list_path(company: str = COMPANY) -> str:
    return f"/v1/companies/{company}/postings"


def page_path(limit: int, offset: int, company: str = COMPANY) -> str:
    return f"{list_path(company)}?limit={limit}&offset={offset}"


def detail_path(posting_id: str, company: str = COMPANY) -> str:
    return f"{list_path(company)}/{posting_id}"


def page(offset: int, limit: int) -> Response:
    body = {**LISTING, "offset": offset, "limit": limit, "content": LISTING["content"][offset : offset + limit]}
    return Response(json.dumps(body))


def serve_details(server, skip: tuple[str, ...] = ()) -> None:
    for posting_id in IDS:
        if posting_id not in skip:
            server.add(detail_path(posting_id), DIR / f"{posting_id}.json")


def test_pages_until_total_found_and_fetches_every_detail(http_server, sqlite_url, tmp_path):
    http_server.add(page_path(2, 0), page(0, 2))
    http_server.add(page_path(2, 2), page(2, 2))
    serve_details(http_server)
    result = crawl(
        "smartrecruiters",
        "--boards",
        COMPANY,
        "-a",
        "page_size=2",
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 3, 3, 3, 0)
    assert run.board_counts == {COMPANY: 3}
    listed = [p for _, p, _ in http_server.requests if p.startswith(list_path() + "?")]
    assert listed == [page_path(2, 0), page_path(2, 2)]  # totalFound (3) reached: no third page
    assert all(http_server.hits(detail_path(i)) == 1 for i in IDS)

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(by_title) == {
        "Senior Backend Engineer (Java)",
        "Software Engineer Intern, Backend",
        "Warehouse Operations Lead",
    }
    java = by_title["Senior Backend Engineer (Java)"]
    assert java["is_backend"] is True
    assert java["company"] == "Acme Freight"
    assert java["external_id"] == IDS[0]
    assert java["url"].startswith("https://jobs.smartrecruiters.com/AcmeFreight/744000100000001-")
    assert java["apply_url"].endswith("?oga=true")
    assert java["workplace"] == "hybrid" and java["provenance"]["workplace"] == "structured"
    assert java["employment_type"] == "full_time"
    assert java["posted_at"] == "2026-06-10T14:00:00Z"
    assert [loc["raw"] for loc in java["locations"]] == ["Austin, TX, United States"]
    assert java["locations"][0]["country"] == "US"
    # sections joined: the qualifications and the additional information are in the text
    assert "5+ years of backend development" in java["description_text"]
    assert (java["pay"]["min"], java["pay"]["max"], java["provenance"]["pay"]) == (140000, 175000, "text")
    assert {"Java", "PostgreSQL", "AWS"} <= set(java["skills"])

    intern = by_title["Software Engineer Intern, Backend"]
    assert intern["workplace"] == "remote"
    assert (intern["pay"]["min"], intern["pay"]["max"], intern["pay"]["period"]) == (32, 38, "hour")
    assert intern["provenance"]["pay"] == "structured"
    assert (intern["seniority"], intern["provenance"]["seniority"]) == ("intern", "structured")
    assert intern["employment_type"] == "internship"

    lead = by_title["Warehouse Operations Lead"]
    assert lead["workplace"] is None  # remote and hybrid both false: unknown, not onsite
    assert lead["pay"] is None


def test_a_failed_detail_falls_back_to_the_list_item(http_server, sqlite_url, tmp_path):
    http_server.add(page_path(100, 0), page(0, 100))
    serve_details(http_server, skip=(IDS[1], IDS[2]))
    http_server.add(detail_path(IDS[1]), Response('{"id": "744000100000002", "name": "Softw'))
    http_server.add(detail_path(IDS[2]), Response("gateway down", status=502, content_type="text/plain"))
    # End to end: the 502 goes through the retry middleware before the errback.
    result = crawling.crawl(
        "smartrecruiters", "--boards", COMPANY, home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new) == ("ok", 3, 3)
    assert run.errors == 3  # the malformed detail (a parse error, and its fallback) and the 502 fallback
    assert http_server.hits(detail_path(IDS[2])) == 3  # the first try and RETRY_TIMES=2 retries
    assert sum("storing the list item" in m for m in run.error_messages) == 2
    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    fallback = by_title["Warehouse Operations Lead"]
    assert fallback["description_text"] == ""
    assert fallback["company"] == "Acme Freight"
    assert fallback["url"] == f"https://jobs.smartrecruiters.com/{COMPANY}/{IDS[2]}"
    assert by_title["Senior Backend Engineer (Java)"]["description_text"]


def test_404_company_fails_alone_and_malformed_list_is_counted(http_server, sqlite_url, tmp_path):
    http_server.add(page_path(100, 0), page(0, 100))
    serve_details(http_server)
    http_server.add(page_path(100, 0, "Broken"), Response('{"offset": 0, "limit": 100, "totalFound": 3, "cont'))
    result = crawl(
        "smartrecruiters",
        "--boards",
        f"Gone,Broken,{COMPANY}",
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert result.returncode == 4, result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "partial"
    assert "HTTP 404" in run.board_errors["Gone"]
    assert "Broken" in run.board_errors
    assert any("malformed JSON" in m for m in run.error_messages)
    assert row_counts(sqlite_url) == (3, 3)
