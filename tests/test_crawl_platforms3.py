"""Rippling, Join and Jobvite end to end: the real ``jobscout crawl`` in a subprocess (tests/crawling.py) against a
local server in the mirror layout (one shared host each: ``{URL}/<the real path>``), a re-crawl that adds nothing,
and ``jobscout query`` reading structured pay back. The spiders' contracts are tested in-process
(tests/test_spider_{rippling,join,jobvite}.py)."""

from __future__ import annotations

from tests import crawling
from tests.crawling import FIXTURES, latest_run
from tests.http_server import Response

RIPPLING = "/api/v2/board/pied-piper/jobs"
RIPPLING_JOBS = {
    "0f6a1c52-3d0e-4b7a-9c11-5e2f8a6b7c01": "backend",
    "7b2d9e40-aa11-4c3f-8e5d-1f0c2b3a4d02": "sre",
    "c3e8f1a2-5b6d-4e7f-8a9b-0c1d2e3f4a03": "office",
}
JOIN = "/companies/prestige-worldwide"
JOIN_JOBS = ("20000101-python-backend-developer", "20000102-working-student-data", "20000103-event-manager")
CRAWLS = (("rippling", "pied-piper", 3), ("join", "prestige-worldwide", 3), ("jobvite", "bluthcompany", 2))


def serve(http_server) -> None:
    http_server.add(f"{RIPPLING}?page=0&pageSize=100", FIXTURES / "rippling" / "pied-piper-page0.json")
    http_server.add(f"{RIPPLING}?page=1&pageSize=100", FIXTURES / "rippling" / "pied-piper-page1.json")
    for job, name in RIPPLING_JOBS.items():
        http_server.add(f"{RIPPLING}/{job}", FIXTURES / "rippling" / f"detail-{name}.json")
    http_server.add(JOIN, FIXTURES / "join" / "prestige-worldwide.html")
    http_server.add(f"{JOIN}?page=2", FIXTURES / "join" / "prestige-worldwide-page2.html")
    for job in JOIN_JOBS:
        http_server.add(f"{JOIN}/{job}", FIXTURES / "join" / f"{job}.html")
    http_server.add("/bluthcompany/search", FIXTURES / "jobvite" / "bluthcompany.html")
    for job in ("oAbC1dEf", "oGhI2jKl"):
        http_server.add(f"/bluthcompany/job/{job}", FIXTURES / "jobvite" / f"{job}.html")


def test_three_platforms_crawl_recrawl_and_query(http_server, db_url, tmp_path):
    serve(http_server)
    crawling.crawl_and_recrawl(CRAWLS, http_server, tmp_path, db_url)

    by_title = {p["title"]: p for p in crawling.query_json(db_url, tmp_path, "--all-roles")}
    rippling = by_title["Backend Engineer, Compression Platform"]
    assert (rippling["source"], rippling["pay"]["min"], rippling["pay"]["currency"]) == ("rippling", 150000, "USD")
    assert rippling["provenance"]["pay"] == "structured" and rippling["workplace"] == "hybrid"
    join = by_title["Python Backend Developer"]
    assert (join["source"], join["pay"]["max"], join["pay"]["currency"]) == ("join", 72000, "EUR")
    assert join["provenance"]["pay"] == "structured"
    jobvite = by_title["Backend Software Engineer (Java)"]
    assert (jobvite["source"], jobvite["board"], jobvite["pay"]["max"]) == ("jobvite", "bluthcompany", 160000)
    backend = {p["title"] for p in crawling.query_json(db_url, tmp_path)}
    assert {"Backend Engineer, Compression Platform", "Python Backend Developer"} <= backend


def test_a_jobvite_listing_redirected_off_the_board_is_a_missing_board(http_server, sqlite_url, tmp_path):
    # Scrapy follows the redirect (the in-process harness does not report where it went: this needs the real crawl).
    http_server.add("/retired/search", Response("", status=302, headers={"Location": "/jobvite/welcome"}))
    welcome = Response("<html><body><p>Find jobs</p></body></html>", content_type="text/html")
    http_server.add("/jobvite/welcome", welcome)
    http_server.add("/bluthcompany/search", FIXTURES / "jobvite" / "bluthcompany.html")
    crawling.crawl(
        "jobvite", "--boards", "retired,bluthcompany", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    run = latest_run(sqlite_url)
    assert run.board_errors["retired"].startswith("board not found (redirected to ")
    assert run.board_counts["bluthcompany"] == 2
