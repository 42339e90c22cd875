"""The Arbeitnow spider following ``links.next`` on a local server, run in-process (tests/spiders.py).

tests/fixtures/arbeitnow/page{1,2}.json follow the real format (``data``/``links``/``meta``; ``links.next`` an
absolute www.arbeitnow.com URL, re-based onto the test server) with texts of our own.
"""

from __future__ import annotations

import json

import pytest

from crawler.spiders.arbeitnow import ArbeitnowSpider
from crawler.spiders.base import SpiderArgumentError
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

PAGE1 = FIXTURES / "arbeitnow" / "page1.json"
PAGE2 = FIXTURES / "arbeitnow" / "page2.json"
PATH = "/api/job-board-api"


def run_crawl(http_server, db_url, tmp_path, *args):
    return crawl("arbeitnow", *args, home=tmp_path, db_url=db_url, base_url=http_server.url)


def serve(http_server, page1=PAGE1, page2=PAGE2):
    http_server.add(PATH, page1)
    http_server.add(f"{PATH}?page=2", page2)


def test_two_pages_are_followed_and_a_smaller_feed_closes_nothing(http_server, sqlite_url, tmp_path):
    serve(http_server)
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 5, 5, 5, 0)
    assert run.board_counts == {"arbeitnow": 5}
    assert [p for _, p, _ in http_server.requests if p.startswith(PATH)] == [PATH, f"{PATH}?page=2"]

    postings = {p["external_id"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert len(postings) == 5
    java = postings["senior-java-developer-remote-412002"]
    assert (java["title"], java["company"]) == ("Senior Java Developer", "Nordlicht Software")
    assert java["workplace"] == "remote" and java["provenance"]["workplace"] == "structured"
    assert java["employment_type"] == "contract"  # job_types ["Freelance"]
    python = postings["backend-engineer-python-berlin-412001"]
    assert python["title"] == "Backend Engineer (Python) (m/w/d)"
    assert python["provenance"].get("workplace") != "structured"  # remote: false is no hint
    assert python["employment_type"] == "full_time"
    assert python["locations"][0]["city"] == "Berlin" and python["locations"][0]["country"] == "DE"
    assert python["url"].startswith("https://www.arbeitnow.com/jobs/companies/")
    assert [loc["raw"] for loc in postings["devops-engineer-hamburg-411990"]["locations"]] == ["Hamburg", "Berlin"]
    assert postings["werkstudent-marketing-munich-412003"]["employment_type"] == "part_time"  # "Side"

    # The next fetch: one page, three jobs; the two older ones are not closed.
    smaller = json.loads(PAGE1.read_text())
    smaller["links"]["next"] = None
    http_server.add(PATH, Response(json.dumps(smaller)))
    second = run_crawl(http_server, sqlite_url, tmp_path)
    assert second.returncode == 0, second.stderr
    run2 = latest_run(sqlite_url)
    assert (run2.status, run2.fetched, run2.new, run2.closed) == ("ok", 3, 0, 0)
    everything = query_json(sqlite_url, tmp_path, "--all-roles", "--include-closed")
    assert len(everything) == 5 and all(p["closed_at"] is None for p in everything)


def test_max_pages_stops_the_crawl(http_server, sqlite_url, tmp_path):
    serve(http_server)
    result = run_crawl(http_server, sqlite_url, tmp_path, "--arg", "max_pages=1")
    assert result.returncode == 0, result.stderr
    assert latest_run(sqlite_url).fetched == 3
    assert http_server.hits(PATH) == 1


def test_a_job_moved_to_the_next_page_is_fetched_once(http_server, sqlite_url, tmp_path):
    page2 = json.loads(PAGE2.read_text())
    page2["data"].insert(0, json.loads(PAGE1.read_text())["data"][2])  # new jobs pushed it down a page
    serve(http_server, page2=Response(json.dumps(page2)))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.fetched, run.new) == (5, 5) and run.board_counts == {"arbeitnow": 5}


@pytest.mark.parametrize(
    ("page2", "message"),
    [
        (Response('{"data": [{"slug": "x", "title": "Back'), "malformed JSON"),
        (Response("<html>Bad gateway</html>", status=502, content_type="text/html"), "HTTP 502"),
    ],
)
def test_a_failed_second_page_keeps_the_first(http_server, sqlite_url, tmp_path, page2, message):
    serve(http_server, page2=page2)
    result = run_crawl(http_server, sqlite_url, tmp_path)
    # Page 1 is stored and usable, so the board is not failed, but the run did not read everything: partial.
    assert result.returncode == 4, result.stderr
    assert "Traceback" not in result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "partial" and "incomplete" in run.status_reason and run.errors >= 1
    assert run.board_counts == {"arbeitnow": 3} and run.board_errors == {}
    assert any(message in m for m in run.error_messages)
    assert row_counts(sqlite_url) == (3, 3)


def test_a_failed_first_page_fails_the_board(http_server, sqlite_url, tmp_path):
    serve(http_server, page1=Response('{"data": {"unexpected": true}}'))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 1
    run = latest_run(sqlite_url)
    assert run.status == "failed" and "unexpected response format" in run.board_errors["arbeitnow"]
    assert any("no 'data' list" in m for m in run.error_messages)


@pytest.mark.parametrize(
    ("base_url", "next_url", "expected"),
    [
        (
            "http://127.0.0.1:8123",
            "https://www.arbeitnow.com/api/job-board-api?tags%5B0%5D=python&page=2",
            "http://127.0.0.1:8123/api/job-board-api?tags%5B0%5D=python&page=2",
        ),
        (
            None,
            "https://arbeitnow.com/api/job-board-api?page=3",
            "https://www.arbeitnow.com/api/job-board-api?page=3",
        ),
        ("http://127.0.0.1:8123", "/api/job-board-api?page=2", "http://127.0.0.1:8123/api/job-board-api?page=2"),
        ("http://127.0.0.1:8123", "javascript:alert(1)", None),
    ],
)
def test_links_next_is_rebased_onto_base_url(base_url, next_url, expected):
    assert ArbeitnowSpider(base_url=base_url).rebase(next_url) == expected


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_bad_max_pages_is_refused(value):
    with pytest.raises(SpiderArgumentError):
        ArbeitnowSpider(max_pages=value)


def test_defaults():
    spider = ArbeitnowSpider()
    assert (spider.max_pages, spider.boards, spider.base_url) == (50, ["arbeitnow"], "https://www.arbeitnow.com")
    assert ArbeitnowSpider.full_snapshot is False and ArbeitnowSpider.needs_boards is False
