"""The Remote OK spider against a local server serving ``/api``, run in-process (tests/spiders.py).

tests/fixtures/remoteok/api.json follows the real format (legal notice first, string ids, int salaries, the
mojibake Remote OK sends) with texts of our own.
"""

from __future__ import annotations

import json

from crawler.spiders.remoteok import RemoteOkSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

API = FIXTURES / "remoteok" / "api.json"


def run_crawl(http_server, db_url, tmp_path, *args):
    return crawl("remoteok", *args, home=tmp_path, db_url=db_url, base_url=http_server.url)


def test_feed_is_crawled_and_a_smaller_feed_closes_nothing(http_server, sqlite_url, tmp_path):
    http_server.add("/api", API)
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 4, 4, 4, 0)
    assert run.board_counts == {"remoteok": 4}  # the legal notice is not a posting
    assert run.dropped == {}
    assert http_server.hits("/api") == 1

    postings = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(postings) == {
        "Senior Backend Engineer",
        "Platform Engineer (Go)",
        "Customer Success Manager",
        "AI Trainer (Python)",
    }
    assert all(p["workplace"] == "remote" and p["source"] == "remoteok" for p in postings.values())
    backend = postings["Senior Backend Engineer"]
    assert backend["company"] == "Fjordline Data"
    assert backend["external_id"] == "1140001"
    assert backend["url"] == "https://remoteOK.com/remote-jobs/remote-senior-backend-engineer-fjordline-data-1140001"
    assert backend["pay"]["min"] == 140000 and backend["pay"]["max"] == 180000
    assert (backend["pay"]["currency"], backend["pay"]["period"]) == ("USD", "year")
    assert backend["provenance"]["pay"] == "structured"
    assert backend["remote_regions"] == ["US"]
    assert backend["posted_at"] == "2026-08-14T09:33:20Z"
    assert "we’re rebuilding" in backend["description_text"]  # mojibake repaired
    assert {"Python", "PostgreSQL"} <= set(backend["skills"])
    assert postings["Platform Engineer (Go)"]["pay"] is None  # 0/0 = no salary
    trainer = postings["AI Trainer (Python)"]["pay"]
    assert (trainer["min"], trainer["max"], trainer["period"]) == (30, 45, "hour")
    assert postings["Customer Success Manager"]["locations"][0]["raw"] == "Gdańsk"
    backend_only = {p["title"] for p in query_json(sqlite_url, tmp_path)}
    assert "Senior Backend Engineer" in backend_only and "Customer Success Manager" not in backend_only

    # A windowed feed: the next fetch shows only the two newest jobs; the other two are not closed.
    smaller = json.loads(API.read_text())[:3]
    http_server.add("/api", Response(json.dumps(smaller)))
    second = run_crawl(http_server, sqlite_url, tmp_path)
    assert second.returncode == 0, second.stderr
    run2 = latest_run(sqlite_url)
    assert (run2.status, run2.fetched, run2.new, run2.closed) == ("ok", 2, 0, 0)
    everything = query_json(sqlite_url, tmp_path, "--all-roles", "--include-closed")
    assert len(everything) == 4 and all(p["closed_at"] is None for p in everything)
    assert row_counts(sqlite_url) == (4, 4)


def test_malformed_json_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    http_server.add("/api", Response('[{"last_updated": 1, "legal": "x"}, {"id": "1", "position": "Back'))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 1  # the only board failed
    assert "Traceback" not in result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "failed" and run.errors >= 1
    assert any("malformed JSON" in m for m in run.error_messages)
    assert "remoteok" in run.board_errors
    assert row_counts(sqlite_url) == (0, 0)


def test_unexpected_shape_and_a_job_without_id(http_server, sqlite_url, tmp_path):
    jobs = json.loads(API.read_text())
    del jobs[2]["id"], jobs[2]["slug"]
    http_server.add("/api", Response(json.dumps(jobs)))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode in (0, 3), result.stderr
    run = latest_run(sqlite_url)
    assert run.fetched == 3 and run.errors == 1
    assert any("job without an id" in m for m in run.error_messages)


def test_the_spider_is_a_windowed_feed():
    assert RemoteOkSpider.full_snapshot is False and RemoteOkSpider.needs_boards is False
    assert RemoteOkSpider(base_url="http://127.0.0.1:1").boards == ["remoteok"]
