"""The Rippling spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/rippling/ follows the recorded list formats (the paginated board API, one item per job and
location; the older bare array) with texts of our own; the detail bodies follow the fields jobseek's scraper reads
(no detail is recorded: docs/sources.md marks the step unverified). Mirror convention (one shared host):
``{base_url}/api/v2/board/{slug}/jobs``.
"""

from __future__ import annotations

import json

from crawler.spiders.rippling import RipplingSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

HERE = FIXTURES / "rippling"
LISTING = "/api/v2/board/pied-piper/jobs"
BACKEND, SRE, OFFICE = (
    "0f6a1c52-3d0e-4b7a-9c11-5e2f8a6b7c01",
    "7b2d9e40-aa11-4c3f-8e5d-1f0c2b3a4d02",
    "c3e8f1a2-5b6d-4e7f-8a9b-0c1d2e3f4a03",
)


def page(n: int) -> str:
    return f"{LISTING}?page={n}&pageSize=100"


def serve_board(http_server, *, second_page=True, details=True):
    http_server.add(page(0), HERE / "pied-piper-page0.json")
    if second_page:
        http_server.add(page(1), HERE / "pied-piper-page1.json")
    if details:
        for job, name in ((BACKEND, "backend"), (SRE, "sre"), (OFFICE, "office")):
            http_server.add(f"{LISTING}/{job}", HERE / f"detail-{name}.json")


def test_crawl_reads_every_page_merges_locations_and_maps_the_details(http_server, sqlite_url, tmp_path):
    serve_board(http_server)
    result = crawl("rippling", "--boards", "pied-piper", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {"pied-piper": 3}  # four items, three jobs
    paths = [path for _, path, _ in http_server.requests]
    assert paths[:2] == [page(0), page(1)]  # one page after the other
    assert sorted(paths[2:]) == sorted(f"{LISTING}/{job}" for job in (BACKEND, SRE, OFFICE))

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    backend = by_title["Backend Engineer, Compression Platform"]
    assert backend["company"] == "Pied Piper"
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (150000, 185000, "USD")
    assert backend["provenance"]["pay"] == "structured"
    assert backend["workplace"] == "hybrid" and backend["employment_type"] == "full_time"
    assert backend["posted_at"] == "2026-11-20T17:45:00Z"
    assert len(backend["locations"]) == 2  # one job listed in two places
    assert "middle-out encoder" in backend["description_text"]
    assert backend["url"] == f"https://ats.rippling.com/pied-piper/jobs/{BACKEND}"
    assert by_title["Site Reliability Engineer"]["workplace"] == "remote"
    office = by_title["Office Manager"]
    assert (office["workplace"], office["employment_type"]) == ("onsite", "part_time")
    assert (office["pay"]["min"], office["pay"]["period"]) == (28, "hour")


def test_recrawl_adds_nothing(http_server, sqlite_url, tmp_path):
    serve_board(http_server)
    for _ in range(2):
        result = crawl(
            "rippling", "--boards", "pied-piper", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
        )
        assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.updated) == ("ok", 3, 0, 0)
    assert row_counts(sqlite_url) == (3, 3)


def test_a_failed_later_page_keeps_the_jobs_read_and_marks_the_board_read_in_part(http_server, sqlite_url, tmp_path):
    serve_board(http_server, second_page=False)
    http_server.add(page(1), Response("{}", status=503), Response("{}", status=503), Response("{}", status=503))
    result = crawl("rippling", "--boards", "pied-piper", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    run = latest_run(sqlite_url)
    assert run.board_counts == {"pied-piper": 2}
    assert "page 2: HTTP 503" in result.stats["jobscout/board_incomplete/pied-piper"]
    assert row_counts(sqlite_url) == (2, 2)


def test_a_failed_detail_stores_the_listing_item(http_server, sqlite_url, tmp_path):
    serve_board(http_server, details=False)
    http_server.add(f"{LISTING}/{BACKEND}", HERE / "detail-backend.json")
    result = crawl("rippling", "--boards", "pied-piper", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.stats["jobscout/rippling/detail_fallbacks"] == 2
    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(by_title) == {"Backend Engineer, Compression Platform", "Site Reliability Engineer", "Office Manager"}
    assert by_title["Site Reliability Engineer"]["workplace"] == "remote"  # from the listing item


def test_404_fails_the_board_and_a_job_without_an_id_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    body = json.loads((HERE / "pied-piper-page0.json").read_text())
    body["items"].insert(0, {"name": "No id here", "locations": []})
    body["totalPages"] = 1
    http_server.add(page(0), Response(json.dumps(body)))
    for job, name in ((BACKEND, "backend"), (SRE, "sre")):
        http_server.add(f"{LISTING}/{job}", HERE / f"detail-{name}.json")
    result = crawl(
        "rippling", "--boards", "gone,pied-piper", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.board_errors["gone"].startswith("board not found (HTTP 404)")
    assert run.board_counts["pied-piper"] == 2
    assert result.stats["jobscout/rippling/parse_errors"] == 1
    assert row_counts(sqlite_url) == (2, 2)


def test_an_unreadable_first_page_fails_the_board(http_server, sqlite_url, tmp_path):
    http_server.add(page(0), Response('{"items": "none"}'))
    result = crawl("rippling", "--boards", "pied-piper", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    run = latest_run(sqlite_url)
    assert run.board_errors["pied-piper"].startswith("unexpected response format")
    assert result.stats["jobscout/board_error_kind/pied-piper"] == "format"


def test_the_older_array_format(http_server, sqlite_url, tmp_path):
    listing = "/platform/api/ats/v1/board/hooli-xyz/jobs"
    http_server.add(listing, HERE / "hooli-xyz-v1.json")
    http_server.add(f"{listing}/5d1e2f3a-4b5c-4d6e-9f70-8a9b0c1d2e04", Response("not json"))
    result = crawl(
        "rippling",
        "--boards",
        "hooli-xyz",
        "-a",
        'board_configs={"hooli-xyz": {"api": "v1"}}',
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert latest_run(sqlite_url).board_counts == {"hooli-xyz": 1}
    assert result.stats["jobscout/rippling/detail_fallbacks"] == 1
    [posting] = query_json(sqlite_url, tmp_path, "--all-roles")
    assert posting["title"] == "Platform Engineer" and len(posting["locations"]) == 2


def test_board_urls_real_hosts_and_mirror():
    assert RipplingSpider.board_probe_url("acme") == "https://ats.rippling.com/api/v2/board/acme/jobs"
    assert (
        RipplingSpider.board_probe_url("acme", {"api": "v1"})
        == "https://api.rippling.com/platform/api/ats/v1/board/acme/jobs"
    )
    assert RipplingSpider.board_probe_url("acme", {"api": "v1"}, "http://m") == (
        "http://m/platform/api/ats/v1/board/acme/jobs"
    )
    assert RipplingSpider.board_probe_url("acme", {}, "http://m/") == "http://m/api/v2/board/acme/jobs"
