"""The Pinpoint spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/pinpoint/dunder.json follows the recorded ``postings.json`` format (``data`` with the description
sections and their headers, ``compensation_*`` fields with ``compensation_visible``, ``workplace_type``,
``employment_type``, ``job`` and ``location`` objects) with texts of our own. Mirror convention:
``{base_url}/{board}/postings.json``.
"""

from __future__ import annotations

import json

from crawler.spiders.pinpoint import PinpointSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

DUNDER = FIXTURES / "pinpoint" / "dunder.json"


def postings_path(board: str) -> str:
    return f"/{board}/postings.json"


def test_crawl_maps_postings_with_structured_pay(http_server, sqlite_url, tmp_path):
    http_server.add(postings_path("dunder"), DUNDER)
    result = crawl("pinpoint", "--boards", "dunder", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {"dunder": 3}
    [(method, path, headers)] = http_server.requests
    assert (method, path, headers.get("Accept")) == ("GET", postings_path("dunder"), "application/json")

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    backend = by_title["Senior Backend Engineer (Go)"]
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (72000, 88000, "EUR")
    assert backend["provenance"]["pay"] == "structured"
    assert backend["workplace"] == "hybrid" and backend["provenance"]["workplace"] == "structured"
    assert backend["employment_type"] == "full_time"
    assert backend["url"] == "https://dunder.pinpointhq.com/en/postings/5d1c0a4e-0000-4000-8000-00000000a001"
    assert [loc["country"] for loc in backend["locations"]] == ["IE"]
    text = backend["description_text"]
    # every section, in page order, with its header
    assert text.index("order-routing") < text.index("Your week") < text.index("gRPC") < text.index("Four-day")
    platform = by_title["Platform Engineer"]
    assert platform["pay"] is None  # hidden by the employer: the figures are not taken
    assert platform["workplace"] == "remote"
    assert [loc["raw"] for loc in platform["locations"]] == ["Manchester, Greater Manchester"]
    shift = by_title["Warehouse Shift Lead"]
    assert (shift["pay"]["min"], shift["pay"]["period"], shift["workplace"]) == (14.5, "hour", "onsite")
    assert shift["employment_type"] == "part_time"


def test_recrawl_adds_nothing_and_a_dropped_posting_closes(http_server, sqlite_url, tmp_path):
    http_server.add(postings_path("dunder"), DUNDER)
    for _ in range(2):
        result = crawl("pinpoint", "--boards", "dunder", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
        assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.updated, run.closed) == ("ok", 3, 0, 0, 0)
    assert row_counts(sqlite_url) == (3, 3)
    data = json.loads(DUNDER.read_text())["data"]
    http_server.add(postings_path("dunder"), Response(json.dumps({"data": data[:2]})))
    result = crawl("pinpoint", "--boards", "dunder", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.closed) == ("ok", 2, 1)  # a full snapshot: the unlisted posting closes


def test_404_fails_the_board_and_a_broken_posting_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    data = json.loads(DUNDER.read_text())["data"]
    http_server.add(postings_path("dunder"), Response(json.dumps({"data": [{"title": "No id here"}, *data]})))
    http_server.add(postings_path("creed"), Response(json.dumps({"postings": []})))
    result = crawl(
        "pinpoint", "--boards", "gone,creed,dunder", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.board_errors["gone"].startswith("board not found (HTTP 404)")
    assert run.board_errors["creed"] == "unexpected response format"
    assert run.board_counts["dunder"] == 3
    assert result.stats["jobscout/pinpoint/parse_errors"] == 2  # the posting without an id, the changed format
    assert row_counts(sqlite_url) == (3, 3)


def test_board_urls_real_host_and_mirror():
    assert PinpointSpider.board_probe_url("dunder", {}) == "https://dunder.pinpointhq.com/postings.json"
    assert PinpointSpider.board_probe_url("Dunder", {}) == "https://dunder.pinpointhq.com/postings.json"
    assert PinpointSpider.board_probe_url("dunder", {}, "http://m/") == "http://m/dunder/postings.json"
