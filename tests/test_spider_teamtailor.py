"""The Teamtailor spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/teamtailor/vandelay.json follows the recorded ``/jobs.json`` format (a JSON Feed 1.1 whose items
embed a schema.org JobPosting under ``_jobposting``) with texts of our own. Mirror convention:
``{base_url}/{board}/jobs.json``, custom domains likewise.
"""

from __future__ import annotations

import json

from crawler.spiders.teamtailor import TeamtailorSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

VANDELAY = FIXTURES / "teamtailor" / "vandelay.json"


def feed_path(board: str) -> str:
    return f"/{board}/jobs.json"


def test_crawl_maps_the_feed(http_server, sqlite_url, tmp_path):
    http_server.add(feed_path("vandelay"), VANDELAY)
    result = crawl("teamtailor", "--boards", "vandelay", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {"vandelay": 3}

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    backend = by_title["Backend Engineer (Kotlin)"]
    assert backend["company"] == "Vandelay Industries"
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (55000, 65000, "SEK")
    assert (backend["pay"]["period"], backend["provenance"]["pay"]) == ("month", "structured")
    assert backend["employment_type"] == "full_time"
    assert backend["posted_at"] == "2026-11-05T08:00:00Z"
    assert backend["url"] == "https://vandelay.teamtailor.com/jobs/9100001-backend-engineer-kotlin"
    assert [(loc["city"], loc["country"]) for loc in backend["locations"]] == [("Stockholm", "SE")]
    assert "latex catalogue" in backend["description_text"]
    devops = by_title["DevOps Engineer"]
    assert devops["workplace"] == "remote" and devops["provenance"]["workplace"] == "structured"
    assert by_title["Office Manager"]["pay"] is None


def test_recrawl_adds_nothing(http_server, sqlite_url, tmp_path):
    http_server.add(feed_path("vandelay"), VANDELAY)
    for _ in range(2):
        result = crawl(
            "teamtailor", "--boards", "vandelay", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
        )
        assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.updated, run.closed) == ("ok", 3, 0, 0, 0)
    assert row_counts(sqlite_url) == (3, 3)


def test_custom_domain_404_and_a_broken_item(http_server, sqlite_url, tmp_path):
    feed = json.loads(VANDELAY.read_text())
    feed["items"].append({"content_html": "<p>An item without id, title or url.</p>", "_jobposting": {}})
    # a custom careers domain is a board token that is a host name; the mirror serves it under that token
    http_server.add(feed_path("careers.vandelay.example"), Response(json.dumps(feed)))
    http_server.add(feed_path("kramerica"), Response(b"<html>not a feed</html>", content_type="text/html"))
    result = crawl(
        "teamtailor",
        "--boards",
        "gone,kramerica,careers.vandelay.example",
        "-a",
        'board_configs={"careers.vandelay.example": {"host": "careers.vandelay.example"}}',
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.board_errors["gone"].startswith("board not found (HTTP 404)")
    assert run.board_errors["kramerica"] == "unreadable response"
    assert run.board_counts["careers.vandelay.example"] == 3
    assert result.stats["jobscout/teamtailor/parse_errors"] == 2  # the item without an id, the HTML body
    assert row_counts(sqlite_url) == (3, 3)


def test_board_urls_subdomain_custom_domain_and_mirror():
    assert TeamtailorSpider.board_probe_url("vandelay", {}) == "https://vandelay.teamtailor.com/jobs.json"
    host = {"host": "career.vandelay.example"}
    assert TeamtailorSpider.board_probe_url("career.vandelay.example", host) == (
        "https://career.vandelay.example/jobs.json"
    )
    assert TeamtailorSpider.board_probe_url("x.na.teamtailor.com", {}) == "https://x.na.teamtailor.com/jobs.json"
    for junk in ("javascript:alert(1)", "evil.example/path", "", 7):  # not a host name: the subdomain is used
        assert TeamtailorSpider.board_probe_url("vandelay", {"host": junk}) == (
            "https://vandelay.teamtailor.com/jobs.json"
        )
    # an explicit base_url wins over the config
    assert TeamtailorSpider.board_probe_url("career.vandelay.example", host, "http://m/") == (
        "http://m/career.vandelay.example/jobs.json"
    )
