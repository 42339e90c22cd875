"""The We Work Remotely spider over category RSS feeds served locally, run in-process (tests/spiders.py).

tests/fixtures/weworkremotely/*.rss follow the real feeds (2022 and 2026 item fields, entity-escaped HTML
descriptions, "Company: Role" titles) with texts of our own; ``expires_at`` is set in 2099 so that the windowed
closing rule (close on valid_through) leaves them open whatever day the suite runs.
"""

from __future__ import annotations

import pytest

from crawler.spiders.base import SpiderArgumentError
from crawler.spiders.weworkremotely import DEFAULT_CATEGORIES, WeWorkRemotelySpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

BACKEND, FULLSTACK, DEVOPS = DEFAULT_CATEGORIES


def path(category: str) -> str:
    return f"/categories/{category}.rss"


def body(category: str) -> Response:
    return Response(
        (FIXTURES / "weworkremotely" / f"{category}.rss").read_bytes(), content_type="application/rss+xml"
    )


def serve_all(http_server):
    for category in DEFAULT_CATEGORIES:
        http_server.add(path(category), body(category))


def run_crawl(http_server, db_url, tmp_path, *args):
    return crawl("weworkremotely", *args, home=tmp_path, db_url=db_url, base_url=http_server.url)


def test_three_categories_are_crawled_and_a_smaller_feed_closes_nothing(http_server, sqlite_url, tmp_path):
    serve_all(http_server)
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 6, 6, 6, 0)
    assert run.board_counts == {BACKEND: 3, FULLSTACK: 2, DEVOPS: 1}
    assert all(http_server.hits(path(c)) == 1 for c in DEFAULT_CATEGORIES)

    postings = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert {title: p["company"] for title, p in postings.items()} == {
        "Senior Backend Engineer (Go, PostgreSQL)": "Saltmarsh Analytics",
        "Backend Developer: Payments API - 100% remote": "Verdant Ops",
        "Wanted: Ruby on Rails engineer for our course platform": "Copperline Training Institute",
        "Full-Stack Engineer (Node.js, React)": "Birchbark",
        "Product Designer": "Kestrel & Finch",
        "Site Reliability Engineer": "Granite Peak",
    }
    assert all(p["workplace"] == "remote" for p in postings.values())
    go = postings["Senior Backend Engineer (Go, PostgreSQL)"]
    assert (go["board"], go["external_id"]) == (
        BACKEND,
        "remote-jobs/saltmarsh-analytics-senior-backend-engineer-go-postgresql",
    )
    assert (
        go["url"]
        == "https://weworkremotely.com/remote-jobs/saltmarsh-analytics-senior-backend-engineer-go-postgresql"
    )
    assert go["remote_regions"] == ["US"]
    assert go["employment_type"] == "full_time"
    assert go["posted_at"] == "2026-08-12T16:20:00Z"
    assert {"Go", "PostgreSQL"} <= set(go["skills"])
    assert "Headquarters: Portland, OR" in go["description_text"]
    assert postings["Backend Developer: Payments API - 100% remote"]["employment_type"] == "contract"
    assert postings["Site Reliability Engineer"]["remote_regions"] == ["LATAM"]
    assert postings["Site Reliability Engineer"]["board"] == DEVOPS

    # Next fetch: the back-end feed lists only its newest item; nothing is closed.
    feed = (FIXTURES / "weworkremotely" / f"{BACKEND}.rss").read_text()
    first_item_end = feed.index("</item>") + len("</item>")
    http_server.add(path(BACKEND), Response(feed[:first_item_end] + "\n  </channel>\n</rss>\n"))
    second = run_crawl(http_server, sqlite_url, tmp_path)
    assert second.returncode == 0, second.stderr
    run2 = latest_run(sqlite_url)
    assert (run2.status, run2.fetched, run2.new, run2.closed) == ("ok", 4, 0, 0)
    everything = query_json(sqlite_url, tmp_path, "--all-roles", "--include-closed")
    assert len(everything) == 6 and all(p["closed_at"] is None for p in everything)


@pytest.mark.parametrize(
    ("bad_body", "message"),
    [
        (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Acme: Back', "malformed XML"),
        (b"<html><body>Maintenance</body></html>", "not an RSS feed"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE rss [\n <!ENTITY a "aaaaaaaaaa">\n'
            + b"".join(
                b' <!ENTITY a%d "%s">\n' % (i, (b"&a%d;" % (i - 1) if i > 1 else b"&a;") * 10) for i in range(1, 10)
            )
            + b']>\n<rss version="2.0"><channel><item><title>Bomb: &a9;</title><guid>g</guid></item></channel></rss>',
            "entities",
        ),
    ],
)
def test_an_unreadable_feed_is_a_counted_parse_error_and_the_others_go_on(
    http_server, sqlite_url, tmp_path, bad_body, message
):
    serve_all(http_server)
    http_server.add(path(FULLSTACK), Response(bad_body, content_type="application/rss+xml"))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 4, result.stderr  # partial
    assert "Traceback" not in result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "partial" and run.errors >= 1
    assert set(run.board_errors) == {FULLSTACK} and message in run.board_errors[FULLSTACK]
    assert any(message in m for m in run.error_messages)
    assert row_counts(sqlite_url) == (4, 4)


def test_an_expired_item_is_closed_by_the_windowed_rule(http_server, sqlite_url, tmp_path):
    """Absence from a feed closes nothing, but ``expires_at`` (-> valid_through) in the past does."""
    serve_all(http_server)
    feed = (FIXTURES / "weworkremotely" / f"{DEVOPS}.rss").read_text()
    expired = feed.replace("Fri, 11 Sep 2099 08:00:00 +0000", "Fri, 11 Sep 2020 08:00:00 +0000")
    assert expired != feed
    http_server.add(path(DEVOPS), Response(expired))
    result = run_crawl(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.fetched, run.new, run.closed) == (6, 6, 1)
    closed = [p for p in query_json(sqlite_url, tmp_path, "--all-roles", "--include-closed") if p["closed_at"]]
    assert [p["title"] for p in closed] == ["Site Reliability Engineer"]


def test_boards_pick_categories(http_server, sqlite_url, tmp_path):
    serve_all(http_server)
    result = run_crawl(http_server, sqlite_url, tmp_path, "--boards", DEVOPS)
    assert result.returncode == 0, result.stderr
    assert latest_run(sqlite_url).board_counts == {DEVOPS: 1}
    assert http_server.hits(path(BACKEND)) == 0


def test_arguments():
    assert WeWorkRemotelySpider().boards == list(DEFAULT_CATEGORIES)
    assert WeWorkRemotelySpider(boards="remote-front-end-programming-jobs.rss").boards == [
        "remote-front-end-programming-jobs"
    ]
    with pytest.raises(SpiderArgumentError):
        WeWorkRemotelySpider(boards="../etc/passwd")
    assert WeWorkRemotelySpider.full_snapshot is False and WeWorkRemotelySpider.needs_boards is False
