"""The BambooHR spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/bamboohr/globex-list.json follows the recorded ``/careers/list`` format (``meta.totalCount``,
``result`` with ``location``/``atsLocation``, ``isRemote``, ``locationType``); the ``globex-detail-*.json``
files follow the documented ``/careers/{id}/detail`` format (``result.jobOpening``; no recorded body exists: the
step is unverified, docs/sources.md). Texts are our own. Mirror convention: ``{base_url}/{board}/careers/list``,
``{base_url}/{board}/careers/{id}/detail``.
"""

from __future__ import annotations

import json

from crawler.spiders.bamboohr import BambooHRSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

ROOT = FIXTURES / "bamboohr"
IDS = ("12", "15", "19")


def serve(server, board: str = "globex", ids=IDS) -> None:
    server.add(f"/{board}/careers/list", ROOT / "globex-list.json")
    for external_id in ids:
        server.add(f"/{board}/careers/{external_id}/detail", ROOT / f"globex-detail-{external_id}.json")


def crawl_bamboohr(server, db_url, home, boards="globex"):
    return crawl("bamboohr", "--boards", boards, home=home, db_url=db_url, base_url=server.url)


def test_crawl_lists_then_reads_each_detail(http_server, sqlite_url, tmp_path):
    serve(http_server)
    result = crawl_bamboohr(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {"globex": 3}
    paths = [path for _, path, _ in http_server.requests]
    assert paths[0] == "/globex/careers/list"
    assert sorted(paths[1:]) == [f"/globex/careers/{i}/detail" for i in IDS]

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    backend = by_title["Senior Backend Engineer"]
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (140000, 165000, "USD")
    assert backend["provenance"]["pay"] == "text"  # compensation is free text
    assert backend["workplace"] == "hybrid" and backend["provenance"]["workplace"] == "structured"
    assert backend["employment_type"] == "full_time"
    assert backend["posted_at"] == "2026-11-03T00:00:00Z"
    assert backend["url"] == "https://globex.bamboohr.com/careers/12"
    assert [(loc["city"], loc["country"]) for loc in backend["locations"]] == [("Boise", "US")]
    assert "freight quotes" in backend["description_text"]
    data = by_title["Data Engineer"]
    assert (data["workplace"], data["pay"]) == ("remote", None)
    assert [(loc["city"], loc["region"]) for loc in data["locations"]] == [("Provo", "Utah")]
    payroll = by_title["Payroll Specialist"]
    assert (payroll["workplace"], payroll["employment_type"], payroll["pay"]["period"]) == (
        "onsite",
        "part_time",
        "hour",
    )


def test_recrawl_adds_nothing(http_server, sqlite_url, tmp_path):
    serve(http_server)
    for _ in range(2):
        result = crawl_bamboohr(http_server, sqlite_url, tmp_path)
        assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.updated, run.closed) == ("ok", 3, 0, 0, 0)
    assert row_counts(sqlite_url) == (3, 3)


def test_a_failed_detail_keeps_the_list_item(http_server, sqlite_url, tmp_path):
    serve(http_server, ids=("12", "19"))
    http_server.add("/globex/careers/15/detail", Response(b"{}", status=500))
    result = crawl_bamboohr(http_server, sqlite_url, tmp_path)
    run = latest_run(sqlite_url)
    assert (run.new, run.board_counts) == (3, {"globex": 3})
    assert result.stats["jobscout/bamboohr/detail_fallbacks"] == 1
    data = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}["Data Engineer"]
    assert data["description_text"] in (None, "")  # the list item alone: no description
    assert data["url"].endswith("/globex/careers/15")  # the page under the board's base
    assert data["workplace"] == "remote"


def test_a_short_list_is_read_in_part_and_closes_nothing(http_server, sqlite_url, tmp_path):
    serve(http_server)
    result = crawl_bamboohr(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    listing = json.loads((ROOT / "globex-list.json").read_text())
    # the list now claims four openings but holds two: nothing of the board may close
    http_server.add(
        "/globex/careers/list", Response(json.dumps({"meta": {"totalCount": 4}, "result": listing["result"][:2]}))
    )
    result = crawl_bamboohr(http_server, sqlite_url, tmp_path)
    run = latest_run(sqlite_url)
    assert run.status == "partial" and run.closed == 0
    assert "holds 2 of its 4 openings" in run.status_reason


def test_404_fails_the_board_and_a_broken_opening_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    listing = json.loads((ROOT / "globex-list.json").read_text())
    broken = {"meta": {"totalCount": 4}, "result": [{"jobOpeningName": "No id here"}, *listing["result"]]}
    serve(http_server)
    http_server.add("/globex/careers/list", Response(json.dumps(broken)))
    result = crawl_bamboohr(http_server, sqlite_url, tmp_path, boards="gone,globex")
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.board_errors["gone"].startswith("board not found (HTTP 404)")
    assert run.board_counts["globex"] == 3
    assert result.stats["jobscout/bamboohr/parse_errors"] == 1
    assert row_counts(sqlite_url) == (3, 3)


def test_board_urls_real_host_and_mirror():
    assert BambooHRSpider.board_probe_url("globex", {}) == "https://globex.bamboohr.com/careers/list"
    assert BambooHRSpider.board_probe_url("globex", {}, "http://m/") == "http://m/globex/careers/list"
