"""The Breezy HR spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/breezy/initech.json follows the recorded ``/json`` format (an array of positions with ``type``,
``location``/``locations`` with ``is_remote``, ``department``, a free-text ``salary``, a short ``description``,
``company``) with texts of our own. Mirror convention: ``{base_url}/{board}/json``.
"""

from __future__ import annotations

import json

from crawler.spiders.breezy import BreezySpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

INITECH = FIXTURES / "breezy" / "initech.json"


def list_path(board: str) -> str:
    return f"/{board}/json"


def test_crawl_maps_positions(http_server, sqlite_url, tmp_path):
    http_server.add(list_path("initech"), INITECH)
    result = crawl("breezy", "--boards", "initech", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {"initech": 3}
    [(method, path, _)] = http_server.requests
    assert (method, path) == ("GET", list_path("initech"))

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    backend = by_title["Backend Engineer (Python)"]
    assert backend["company"] == "Initech"
    # the salary is text: read by the pay parser from the description's leading line
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (130000, 155000, "USD")
    assert backend["provenance"]["pay"] == "text"
    assert backend["workplace"] == "remote" and backend["provenance"]["workplace"] == "structured"
    assert backend["employment_type"] == "full_time"
    assert backend["posted_at"] == "2026-10-20T08:00:00Z"
    assert backend["url"] == "https://initech.breezy.hr/p/a1b2c3d4e5f6-backend-engineer-python"
    assert [(loc["city"], loc["country"]) for loc in backend["locations"]] == [("Austin", "US")]
    sre = by_title["Site Reliability Engineer"]
    assert (sre["pay"], sre["employment_type"]) == (None, "contract")
    assert sre["workplace"] is None  # is_remote false is not "on-site": left unknown
    assert [loc["raw"] for loc in sre["locations"]] == ["Denver, Colorado, United States"]
    desk = by_title["Receptionist"]
    assert (desk["pay"]["period"], desk["employment_type"]) == ("hour", "part_time")


def test_recrawl_adds_nothing(http_server, sqlite_url, tmp_path):
    http_server.add(list_path("initech"), INITECH)
    for _ in range(2):
        result = crawl("breezy", "--boards", "initech", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
        assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.updated, run.closed) == ("ok", 3, 0, 0, 0)
    assert row_counts(sqlite_url) == (3, 3)


def test_404_fails_the_board_and_a_broken_position_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    positions = json.loads(INITECH.read_text())
    http_server.add(list_path("initech"), Response(json.dumps([{"name": "No id here"}, *positions])))
    http_server.add(list_path("chotchkies"), Response(json.dumps({"positions": positions})))
    result = crawl(
        "breezy", "--boards", "gone,chotchkies,initech", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.board_errors["gone"].startswith("board not found (HTTP 404)")
    assert run.board_errors["chotchkies"] == "unexpected response format"  # an object, not the array
    assert run.board_counts["initech"] == 3
    assert result.stats["jobscout/breezy/parse_errors"] == 2  # the position without an id, the changed format
    assert row_counts(sqlite_url) == (3, 3)


def test_board_urls_real_host_and_mirror():
    assert BreezySpider.board_probe_url("initech", {}) == "https://initech.breezy.hr/json"
    assert BreezySpider.board_probe_url("initech", {}, "http://m") == "http://m/initech/json"
