"""The Remotive spider against a local server, run in-process (tests/spiders.py).

tests/fixtures/remotive/remote-jobs.json follows the real format (the envelope's warning and legal notice,
int ids, zone-less dates, free-text salary) with texts of our own; it is served with a UTF-8 BOM as one
recorded body has.
"""

from __future__ import annotations

import json

from crawler.spiders.remotive import RemotiveSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

BODY = FIXTURES / "remotive" / "remote-jobs.json"
PATH = "/api/remote-jobs"


def run_crawl(http_server, db_url, tmp_path, *args):
    return crawl("remotive", *args, home=tmp_path, db_url=db_url, base_url=http_server.url)


def test_feed_with_a_bom_is_crawled_and_a_smaller_feed_closes_nothing(http_server, sqlite_url, tmp_path):
    http_server.add(PATH, Response(b"\xef\xbb\xbf" + BODY.read_bytes()))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 4, 4, 4, 0)
    assert run.board_counts == {"remotive": 4}
    [(_, path, _)] = [r for r in http_server.requests if r[1].startswith(PATH)]
    assert path == f"{PATH}?category=software-dev"

    postings = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(postings) == {
        "Backend Engineer (Python)",
        "Senior Go Developer",
        "Product Designer",
        "Site Reliability Engineer",
    }
    assert all(p["workplace"] == "remote" for p in postings.values())
    backend = postings["Backend Engineer (Python)"]
    assert backend["company"] == "Larkspur Health"
    assert backend["external_id"] == "2095001"
    assert backend["url"] == "https://remotive.com/remote-jobs/software-development/backend-engineer-python-2095001"
    assert backend["posted_at"] == "2026-08-12T14:03:11Z"
    assert backend["employment_type"] == "full_time"
    assert backend["remote_regions"] == ["US"]
    assert backend["pay"]["min"] == 120000 and backend["pay"]["max"] == 150000
    assert backend["provenance"]["pay"] == "text"  # the salary field is text
    assert postings["Senior Go Developer"]["employment_type"] == "contract"
    assert postings["Senior Go Developer"]["pay"] is None
    assert postings["Site Reliability Engineer"]["remote_regions"] == ["Americas", "Europe"]
    designer = postings["Product Designer"]
    assert designer["pay"]["period"] == "hour" and designer["remote_regions"] == ["Worldwide"]

    body = json.loads(BODY.read_text())
    body["jobs"] = body["jobs"][2:]
    http_server.add(PATH, Response(json.dumps(body)))
    second = run_crawl(http_server, sqlite_url, tmp_path)
    assert second.returncode == 0, second.stderr
    run2 = latest_run(sqlite_url)
    assert (run2.status, run2.fetched, run2.new, run2.closed) == ("ok", 2, 0, 0)
    everything = query_json(sqlite_url, tmp_path, "--all-roles", "--include-closed")
    assert len(everything) == 4 and all(p["closed_at"] is None for p in everything)


def test_malformed_json_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    http_server.add(PATH, Response('{"jobs": [{"id": 1, "title": "Back'))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "failed" and run.errors >= 1
    assert any("malformed JSON" in m for m in run.error_messages)
    assert row_counts(sqlite_url) == (0, 0)


def test_the_spider_is_a_windowed_feed():
    assert RemotiveSpider.full_snapshot is False and RemotiveSpider.needs_boards is False
