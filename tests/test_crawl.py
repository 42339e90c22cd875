"""Crawls of Greenhouse boards on a local server, then ``jobscout query``: in-process (tests/spiders.py) for what
the spider, the pipelines and the run recorder decide; through the real ``jobscout crawl`` in a subprocess
(tests/crawling.py) for one crawl-and-query on each backend, retries, ``Retry-After``, robots.txt, ``scrapy crawl``
and ``crawl all``.

Greenhouse bodies under tests/fixtures/greenhouse follow the real API format (field names, entity-escaped
content, currency_range metadata) with texts of our own.
"""

from __future__ import annotations

import json

import pytest

from tests import crawling
from tests.crawling import FIXTURES, latest_run, row_counts, run_jobscout
from tests.http_server import Response
from tests.spiders import crawl, query_json

ACME = FIXTURES / "greenhouse" / "acme.json"
NORTHWIND = FIXTURES / "greenhouse" / "northwind.json"


def board_path(token: str) -> str:
    return f"/v1/boards/{token}/jobs"


def test_crawl_store_query_and_recrawl_adds_nothing(http_server, db_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    http_server.add(board_path("northwind"), NORTHWIND)

    first = crawling.crawl(
        "greenhouse", "--boards", "acme,northwind", home=tmp_path, db_url=db_url, base_url=http_server.url
    )
    assert first.returncode == 0, first.stderr
    assert "ok" in first.stdout
    run = latest_run(db_url)
    assert (run.status, run.fetched, run.kept, run.new, run.updated, run.errors) == ("ok", 7, 7, 7, 0, 0)
    assert run.board_counts == {"acme": 5, "northwind": 2}
    assert row_counts(db_url) == (7, 7)
    assert http_server.hits(board_path("acme")) == 1
    assert "content=true" in next(p for _, p, _ in http_server.requests if p.startswith(board_path("acme")))

    backend = crawling.query_json(db_url, tmp_path)
    titles = {p["title"] for p in backend}
    assert "Senior Backend Engineer, Routing Platform" in titles
    assert "Backend Engineer (Python)" in titles
    assert not titles & {"Frontend Engineer, Customer Portal", "Account Executive, Mid-Market", "Data Scientist"}
    every = crawling.query_json(db_url, tmp_path, "--all-roles")
    assert len(every) == 7

    by_title = {p["title"]: p for p in backend}
    routing = by_title["Senior Backend Engineer, Routing Platform"]
    assert routing["schema_version"] == 1
    assert routing["pay"]["min"] == 165000 and routing["pay"]["max"] == 210000
    assert routing["pay"]["currency"] == "USD" and routing["pay"]["period"] == "year"
    assert routing["provenance"]["pay"] == "structured"
    assert {"Go", "Python", "PostgreSQL", "Apache Kafka", "Kubernetes"} <= set(routing["skills"])
    assert routing["skill_evidence"]["Apache Kafka"] == "Kafka"
    assert routing["workplace"] == "hybrid"
    assert routing["company"] == "Acme Logistics"
    assert routing["sources"][0]["external_id"] == "7100001"
    platform = by_title["Staff Platform Engineer"]
    assert platform["workplace"] == "remote"
    assert platform["pay"]["min"] == 190000 and platform["provenance"]["pay"] == "text"  # 0.01 placeholder ignored
    assert by_title["Backend Engineer (Python)"]["pay"]["currency"] == "CAD"

    second = crawling.crawl(
        "greenhouse", "--boards", "acme,northwind", home=tmp_path, db_url=db_url, base_url=http_server.url
    )
    assert second.returncode == 0, second.stderr
    run2 = latest_run(db_url)
    assert (run2.status, run2.fetched, run2.new, run2.updated, run2.closed) == ("ok", 7, 0, 0, 0)
    assert row_counts(db_url) == (7, 7)
    again = {p["title"]: p for p in crawling.query_json(db_url, tmp_path)}
    assert again["Staff Platform Engineer"]["first_seen_at"] == platform["first_seen_at"]
    assert again["Staff Platform Engineer"]["last_seen_at"] > platform["last_seen_at"]


def test_filters_reach_the_database(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    assert (
        crawl("greenhouse", "--boards", "acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url).returncode
        == 0
    )
    remote = query_json(sqlite_url, tmp_path, "--workplace", "remote")
    assert [p["title"] for p in remote] == ["Staff Platform Engineer"]
    rich = query_json(sqlite_url, tmp_path, "--min-pay", "200000")
    assert {p["title"] for p in rich} == {"Senior Backend Engineer, Routing Platform", "Staff Platform Engineer"}
    assert query_json(sqlite_url, tmp_path, "--min-pay", "250000") == []
    golang = query_json(sqlite_url, tmp_path, "--skill", "golang")
    assert [p["title"] for p in golang] == ["Senior Backend Engineer, Routing Platform"]
    euros = query_json(sqlite_url, tmp_path, "--min-pay", "80000", "--currency", "EUR", "--exact-currency")
    assert [p["title"] for p in euros] == ["Software Engineer II, Billing API"]
    # Without --exact-currency the USD ranges are converted to EUR (ECB rates) and compared too.
    converted = query_json(sqlite_url, tmp_path, "--min-pay", "80000", "--currency", "EUR")
    assert {p["title"] for p in converted} == {p["title"] for p in euros} | {p["title"] for p in rich}


def test_404_board_fails_alone(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    result = crawl("greenhouse", "--boards", "gone,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.status == "partial"
    assert "HTTP 404" in run.board_errors["gone"]
    assert "gone" in result.stdout and "404" in result.stdout
    assert row_counts(sqlite_url) == (5, 5)


def test_malformed_json_is_counted_and_the_other_board_goes_on(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("broken"), Response('{"jobs": [{"id": 1, "title": "Back'))
    http_server.add(board_path("acme"), ACME)
    result = crawl(
        "greenhouse", "--boards", "broken,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4
    run = latest_run(sqlite_url)
    assert run.errors >= 1 and "broken" in run.board_errors
    assert any("malformed JSON" in m for m in run.error_messages)
    assert row_counts(sqlite_url) == (5, 5)


def test_http_500_is_retried_then_the_board_fails(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("flaky"), Response("oops", status=500, content_type="text/plain"))
    http_server.add(board_path("acme"), ACME)
    result = crawling.crawl(
        "greenhouse", "--boards", "flaky,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4
    assert http_server.hits(board_path("flaky")) == 3  # the first try and RETRY_TIMES=2 retries
    assert "HTTP 500" in latest_run(sqlite_url).board_errors["flaky"]


def test_429_with_retry_after_is_honoured(http_server, sqlite_url, tmp_path):
    http_server.add(
        board_path("acme"),
        Response('{"error": "rate limited"}', status=429, headers={"Retry-After": "1"}),
        ACME,
    )
    result = crawling.crawl(
        "greenhouse", "--boards", "acme", "-v", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 0, result.stderr
    assert http_server.hits(board_path("acme")) == 2
    assert "retrying in 1.0s" in result.stderr
    assert latest_run(sqlite_url).new == 5


def test_robots_txt_is_obeyed(http_server, sqlite_url, tmp_path):
    http_server.add(
        "/robots.txt", Response("User-agent: *\nDisallow: /v1/boards/private/\n", content_type="text/plain")
    )
    http_server.add(board_path("private"), ACME)
    http_server.add(board_path("acme"), ACME)
    result = crawling.crawl(
        "greenhouse", "--boards", "private,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr  # partial: the disallowed board fails, the other is stored
    assert http_server.hits("/robots.txt") == 1 and http_server.hits(board_path("private")) == 0
    assert "Forbidden by robots.txt" in latest_run(sqlite_url).board_errors["private"]
    assert row_counts(sqlite_url) == (5, 5)


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (410, True), (429, False), (500, False), (503, False)])
def test_robots_txt_that_cannot_tell_disallows_everything(http_server, sqlite_url, tmp_path, status, allowed):
    """RFC 9309: robots.txt missing (4xx) allows all; a server error (or a 429) means complete disallow, and the
    boards it forbids fail (closing nothing) rather than being read as if allowed."""
    http_server.add(board_path("acme"), ACME)
    first = crawling.crawl(
        "greenhouse", "--boards", "acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert first.returncode == 0, first.stderr
    http_server.add("/robots.txt", Response("<h1>down</h1>", status=status, headers={"Retry-After": "0"}))
    again = crawling.crawl(
        "greenhouse", "--boards", "acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    run = latest_run(sqlite_url)
    if allowed:
        assert again.returncode == 0 and run.status == "ok" and http_server.hits(board_path("acme")) == 2
    else:
        assert again.returncode == 1, again.stderr  # failed: its only board was forbidden
        assert "Forbidden by robots.txt" in run.board_errors["acme"] and run.closed == 0
        assert http_server.hits(board_path("acme")) == 1  # only the first crawl's request
        assert http_server.hits("/robots.txt") == 1 + 3  # the first crawl, then a try and two retries
        assert "treated as disallowing everything" in again.stderr
    assert row_counts(sqlite_url) == (5, 5)


def test_empty_board_and_posting_without_title(http_server, sqlite_url, tmp_path):
    jobs = json.loads(ACME.read_text())["jobs"][:2]
    jobs[1]["title"] = "   "
    http_server.add(board_path("empty"), Response('{"jobs": [], "meta": {"total": 0}}'))
    http_server.add(board_path("acme"), Response(json.dumps({"jobs": jobs, "meta": {"total": 2}})))
    result = crawl("greenhouse", "--boards", "empty,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert run.board_counts == {"empty": 0, "acme": 2}
    assert run.dropped == {"missing_title": 1}
    assert (run.fetched, run.kept, run.new) == (2, 1, 1)
    assert "missing_title: 1" in result.stdout


def test_a_crawl_failing_halfway_leaves_stored_postings_intact(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    http_server.add(board_path("northwind"), NORTHWIND)
    assert (
        crawl(
            "greenhouse", "--boards", "acme,northwind", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
        ).returncode
        == 0
    )
    before = {p["id"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}

    http_server.add(
        board_path("northwind"), Response("<html>Bad gateway</html>", status=502, content_type="text/html")
    )
    jobs = json.loads(ACME.read_text())["jobs"][:3]  # acme now lists only 3 of its 5 jobs
    http_server.add(board_path("acme"), Response(json.dumps({"jobs": jobs})))
    result = crawl(
        "greenhouse", "--boards", "acme,northwind", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4
    run = latest_run(sqlite_url)
    # Closing is per board: the failed board closes nothing; acme, read whole, closes the 2 it no longer lists.
    assert run.status == "partial" and run.closed == 2
    after = {p["id"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles", "--include-closed")}
    assert after.keys() == before.keys()  # closed postings stay stored
    for pid, posting in before.items():
        assert after[pid]["title"] == posting["title"]
        assert after[pid]["pay"] == posting["pay"]
    listed = {str(job["id"]) for job in jobs}
    still_open = {p["id"] for p in after.values() if p["closed_at"] is None}
    assert {pid for pid, p in after.items() if p["board"] == "northwind"} <= still_open
    assert {pid for pid, p in after.items() if p["board"] == "acme" and p["closed_at"] is not None} == {
        pid for pid, p in before.items() if p["board"] == "acme" and p["external_id"] not in listed
    }


def test_complete_crawl_closes_what_the_board_no_longer_lists(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    assert (
        crawl("greenhouse", "--boards", "acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url).returncode
        == 0
    )
    jobs = json.loads(ACME.read_text())["jobs"][1:]
    http_server.add(board_path("acme"), Response(json.dumps({"jobs": jobs})))
    assert (
        crawl("greenhouse", "--boards", "acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url).returncode
        == 0
    )
    assert latest_run(sqlite_url).closed == 1
    open_titles = {p["title"] for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert "Senior Backend Engineer, Routing Platform" not in open_titles
    closed = query_json(sqlite_url, tmp_path, "--all-roles", "--include-closed")
    assert len(closed) == 5


def scrapy_crawl(http_server, tmp_path, **env_vars: str):
    """``scrapy crawl greenhouse -a boards=acme`` from the checkout, as a Scrapy user runs it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    env.update(JOBSCOUT_CONFIG=str(tmp_path / "none.toml"), **env_vars)
    argv = ["crawl", "greenhouse", "-a", "boards=acme", "-a", f"base_url={http_server.url}"]
    fast = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *argv, *fast],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_scrapy_crawl_works_as_scrapy_users_expect(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    result = scrapy_crawl(http_server, tmp_path, JOBSCOUT_DB_URL=sqlite_url)
    assert result.returncode == 0, result.stderr[-2000:]
    assert row_counts(sqlite_url) == (5, 5)
    assert latest_run(sqlite_url).status == "ok"


def test_crawl_all_runs_every_source_in_its_own_process(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("stripe"), ACME)  # a registered Greenhouse board; the other boards answer 404
    result = run_jobscout(
        "crawl",
        "all",
        "--base-url",
        http_server.url,
        "-s",
        "DOWNLOAD_DELAY=0",
        "-s",
        "AUTOTHROTTLE_ENABLED=False",
        "-s",
        "RETRY_TIMES=0",
        home=tmp_path,
        db_url=sqlite_url,
        timeout=600,
    )
    summary = dict(line.split(None, 1) for line in result.stdout.splitlines()[-21:] if line.strip())
    assert set(summary) == {
        "arbeitnow",
        "ashby",
        "bamboohr",
        "breezy",
        "greenhouse",
        "hn",
        "jobvite",
        "join",
        "jsonld",
        "lever",
        "personio",
        "pinpoint",
        "recruitee",
        "remoteok",
        "remotive",
        "rippling",
        "smartrecruiters",
        "teamtailor",
        "weworkremotely",
        "workable",
        "workday",
    }
    assert summary["jsonld"].startswith("skipped")
    assert summary["greenhouse"] == "partial"  # stripe stored, the other registered boards failed
    assert summary["remoteok"] == "failed"
    assert result.returncode == 1  # the worst outcome
    assert http_server.hits("/api") == 1 and http_server.hits(board_path("northwind")) == 1  # tests/data/registry.csv
    assert row_counts(sqlite_url)[0] == 5
    # the new platforms' registered boards are requested in the mirror layout (and answer 404 here)
    assert http_server.hits("/hooli/api/offers/") == 1 and http_server.hits("/wonka/xml") == 1
    assert http_server.hits("/umbrella/wd5/UmbrellaCareers/wday/cxs/umbrella/UmbrellaCareers/jobs") == 1
    assert summary["workday"] == summary["recruitee"] == summary["personio"] == "failed"
    assert http_server.hits("/dunder/postings.json") == http_server.hits("/initech/json") == 1
    assert http_server.hits("/globex/careers/list") == http_server.hits("/vandelay/jobs.json") == 1
    assert http_server.hits("/careers.vandelay.example/jobs.json") == 1  # a custom domain, mirrored likewise
    assert summary["pinpoint"] == summary["breezy"] == summary["bamboohr"] == summary["teamtailor"] == "failed"
    assert (
        http_server.hits("/api/v2/board/pied-piper/jobs") == 1
        and http_server.hits("/companies/prestige-worldwide") == 1
    )
    assert http_server.hits("/bluthcompany/search") == 1
    assert summary["rippling"] == summary["join"] == summary["jobvite"] == "failed"


def test_scrapy_crawl_on_a_fresh_machine_creates_the_default_data_directory(http_server, tmp_path):
    http_server.add(board_path("acme"), ACME)
    data_dir = tmp_path / "fresh" / "share" / "jobscout"  # nothing of it exists yet
    result = scrapy_crawl(http_server, tmp_path, JOBSCOUT_DATA_DIR=str(data_dir))
    assert result.returncode == 0, result.stderr
    db_url = f"sqlite:///{data_dir / 'jobscout.db'}"
    assert (latest_run(db_url).status, row_counts(db_url)[0]) == ("ok", 5)
