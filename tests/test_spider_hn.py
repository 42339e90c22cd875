"""The HN spider against a local Algolia stand-in, run in-process (tests/spiders.py), then ``jobscout query``.

Bodies under tests/fixtures/hn follow the Algolia HN Search API format (hit fields, ``_highlightResult``,
``nbPages``; comment HTML with ``<p>`` separators and ``&#x2F;`` entities) with texts of our own: the March 2026
thread spans two comment pages and holds a reply on each page and a deleted comment.
"""

from __future__ import annotations

import json

from tests.crawling import FIXTURES, latest_run
from tests.http_server import Response
from tests.spiders import crawl, query_json

HN = FIXTURES / "hn"
STORIES = "/api/v1/search_by_date?tags=story,author_whoishiring"


def comments(story: int | str, page: int) -> str:
    return f"/api/v1/search_by_date?tags=comment,story_{story}&hitsPerPage=100&page={page}"


def serve_march(server) -> None:
    server.add(STORIES, HN / "stories.json")
    server.add(comments(47000001, 0), HN / "comments_march_p0.json")
    server.add(comments(47000001, 1), HN / "comments_march_p1.json")
    server.add(comments(46857488, 0), HN / "comments_february.json")


def test_latest_hiring_thread_two_pages_replies_and_deleted_skipped(http_server, sqlite_url, tmp_path):
    serve_march(http_server)
    result = crawl("hn", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr

    paths = [p for _, p, _ in http_server.requests]
    assert paths.count(STORIES) == 1
    assert paths.count(comments(47000001, 0)) == 1 and paths.count(comments(47000001, 1)) == 1
    assert not any("story_47000003" in p or "story_47000002" in p for p in paths)  # hired / freelancer threads
    assert comments(46857488, 0) not in paths  # an older hiring thread

    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 5, 5, 5, 0)
    assert run.board_counts == {"47000001": 5}
    assert run.boards == ["47000001"]  # the thread found during the crawl is recorded
    assert run.dropped == {"deleted_or_empty": 1}

    every = {p["external_id"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(every) == {"47000101", "47000102", "47000103", "47000106", "47000107"}  # no reply, no deleted
    quill = every["47000101"]
    assert quill["source"] == "hn" and quill["board"] == "47000001"
    assert (quill["company"], quill["title"]) == ("Quillbyte", "Senior Backend Engineer")
    assert quill["url"] == "https://news.ycombinator.com/item?id=47000101"
    assert quill["posted_at"] == "2026-03-02T14:00:00Z"
    assert quill["workplace"] == "remote"
    assert quill["employment_type"] == "full_time"
    assert quill["pay"]["currency"] == "EUR" and (quill["pay"]["min"], quill["pay"]["max"]) == (85000, 105000)
    assert quill["provenance"]["pay"] == "text"
    assert {"Go", "PostgreSQL", "Kubernetes"} <= set(quill["skills"])
    assert "https://quillbyte.example/jobs" in quill["description_text"]
    assert quill["description_text"].startswith("Quillbyte | Senior Backend Engineer |")

    harbor = every["47000102"]  # a " - " separated first line
    assert (harbor["company"], harbor["title"]) == ("Harbor Analytics", "Staff Software Engineer, Data Platform")
    assert harbor["workplace"] == "onsite"
    assert harbor["locations"][0]["city"] == "New York"
    orbital = every["47000107"]  # a " / " separated first line (written &#x2F;)
    assert (orbital["company"], orbital["title"]) == ("Orbital Freight", "Platform Engineer")
    assert orbital["employment_type"] == "contract" and orbital["workplace"] == "remote"
    pinecrest = every["47000106"]
    assert pinecrest["pay"]["min"] == 140000 and pinecrest["pay"]["max"] == 165000

    backend = {p["external_id"] for p in query_json(sqlite_url, tmp_path)}
    assert "47000103" not in backend  # Marketing Lead
    assert {"47000101", "47000106"} <= backend


def test_thread_argument_reads_that_month_only(http_server, sqlite_url, tmp_path):
    serve_march(http_server)
    result = crawl("hn", "-a", "thread=46857488", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    assert http_server.hits("/api/v1/search_by_date") == 1
    assert [p for _, p, _ in http_server.requests if p != "/robots.txt"] == [comments(46857488, 0)]
    run = latest_run(sqlite_url)
    assert (run.status, run.kept, run.boards, run.board_counts) == ("ok", 2, ["46857488"], {"46857488": 2})
    titles = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(titles) == {"Embedded Software Engineer", "Senior Java Developer"}
    assert titles["Senior Java Developer"]["workplace"] == "hybrid"
    assert titles["Senior Java Developer"]["company"] == "Fernwood Bank"


def test_recrawl_adds_nothing_and_closes_nothing(http_server, sqlite_url, tmp_path):
    serve_march(http_server)
    assert crawl("hn", home=tmp_path, db_url=sqlite_url, base_url=http_server.url).returncode == 0
    page0 = json.loads((HN / "comments_march_p0.json").read_text())
    page0["hits"] = page0["hits"][:1]  # the window moved on: most comments no longer listed
    http_server.add(comments(47000001, 0), Response(json.dumps(page0)))
    http_server.add(comments(47000001, 1), Response(json.dumps({**page0, "hits": [], "page": 1})))
    assert crawl("hn", home=tmp_path, db_url=sqlite_url, base_url=http_server.url).returncode == 0
    run = latest_run(sqlite_url)
    assert (run.status, run.new, run.closed) == ("ok", 0, 0)  # windowed: absence closes nothing
    assert len(query_json(sqlite_url, tmp_path, "--all-roles")) == 5


def test_no_hiring_thread_fails_the_crawl(http_server, sqlite_url, tmp_path):
    stories = json.loads((HN / "stories.json").read_text())
    stories["hits"] = [h for h in stories["hits"] if "hiring?" not in h["title"]]
    http_server.add(STORIES, Response(json.dumps(stories)))
    result = crawl("hn", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 1, result.stdout + result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "failed" and run.fetched == 0
    assert any("Who is hiring" in m for m in run.error_messages)


def test_malformed_comment_page_fails_the_thread(http_server, sqlite_url, tmp_path):
    http_server.add(comments(46857488, 0), Response('{"hits": [{"objectID": "1", "comment_te'))
    result = crawl("hn", "-a", "thread=46857488", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 1, result.stdout + result.stderr  # its only board failed
    run = latest_run(sqlite_url)
    assert run.status == "failed" and "46857488" in run.board_errors
    assert any("malformed JSON" in m for m in run.error_messages)


def test_a_comment_listing_roles_is_one_posting_per_role_and_reprocess_rebuilds_each(
    http_server, sqlite_url, tmp_path
):
    from crawler.commands.reprocess import reprocess_all
    from storage.db import open_database

    http_server.add(comments(47100001, 0), HN / "comments_april_multirole.json")
    result = crawl("hn", "-a", "thread=47100001", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.kept, run.new) == ("ok", 3, 3)
    every = {p["external_id"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(every) == {"47100101#1", "47100101#2", "47100102"}
    controls, director = every["47100101#1"], every["47100101#2"]
    assert (controls["title"], director["title"]) == ("Senior Controls Engineer", "Director of Engineering")
    assert controls["company"] == director["company"] == "Tidewell Robotics"
    assert (controls["pay"]["min"], director["pay"]["min"]) == (170000, 230000)  # each its own, not one span
    assert controls["id"] != director["id"]  # two openings, though one comment URL

    _, sessions = open_database(sqlite_url)
    stats = reprocess_all(sessions)
    assert (stats["sources"], stats["failed"], stats["postings_changed"]) == (3, 0, 0)
    again = {p["external_id"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert again["47100101#2"]["title"] == "Director of Engineering" and again["47100101#2"]["pay"]["min"] == 230000
