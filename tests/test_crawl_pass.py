"""``jobscout crawl SOURCE`` over the boards table, unit by unit (crawler/commands/crawl_pass.py): real child
processes against the local test server. tests/data/registry.csv gives Greenhouse three boards; units of one
board (``JOBSCOUT_UNIT_BOARDS=1``) make that a pass of several units."""

from __future__ import annotations

import json

from storage.db import open_database
from storage.locks import acquire
from tests.crawling import FAST, FIXTURES, latest_run, run_jobscout

ACME = FIXTURES / "greenhouse" / "acme.json"
NORTHWIND = FIXTURES / "greenhouse" / "northwind.json"


def serve_boards(http_server) -> None:
    http_server.add("/v1/boards/stripe/jobs", ACME)
    http_server.add("/v1/boards/northwind/jobs", NORTHWIND)
    http_server.add("/v1/boards/tailspin/jobs", '{"jobs": [], "meta": {"total": 0}}')


def crawl_pass(http_server, tmp_path, db_url, *args):
    return run_jobscout(
        "crawl",
        "greenhouse",
        "--base-url",
        http_server.url,
        *FAST,
        "-s",
        "JOBSCOUT_UNIT_BOARDS=1",
        *args,
        home=tmp_path,
        db_url=db_url,
        timeout=600,
    )


def test_a_source_is_crawled_unit_by_unit_with_progress_and_a_summary(http_server, sqlite_url, tmp_path):
    serve_boards(http_server)
    result = crawl_pass(http_server, tmp_path, sqlite_url)
    assert result.returncode == 0, result.stderr[-3000:]
    progress = [line for line in result.stderr.splitlines() if line.startswith("greenhouse: unit ")]
    assert len(progress) >= 2  # three boards in units of one: two or three non-empty units
    assert progress[-1].split("; ")[1].startswith("3/3 boards")
    assert "crawl of greenhouse: ok" in result.stdout
    assert "boards: 3 (3 read, 0 failed)" in result.stdout
    for board in ("stripe", "northwind", "tailspin"):
        assert http_server.hits(f"/v1/boards/{board}/jobs") == 1
    # each unit is one run with its boards' results
    _, sessions = open_database(sqlite_url)
    from sqlalchemy import select

    from storage.models import CrawlRun

    with sessions() as session:
        runs = list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))
    assert len(runs) == len(progress)
    results = {board: r for run in runs for board, r in run.board_results.items()}
    assert set(results) == {"stripe", "northwind", "tailspin"}
    assert results["tailspin"] == {"listed": 0, "new": 0, "updated": 0, "closed": 0}
    assert results["stripe"]["new"] == results["stripe"]["listed"] > 0


def test_a_board_being_crawled_is_skipped_and_reported_not_a_refusal(http_server, sqlite_url, tmp_path):
    serve_boards(http_server)
    run_jobscout("db", "upgrade", home=tmp_path, db_url=sqlite_url)
    _, sessions = open_database(sqlite_url)
    with acquire(sessions, "greenhouse", ["stripe"], owner="a single-board crawl"):
        result = crawl_pass(http_server, tmp_path, sqlite_url)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "skipped 1 boards another crawl was reading: stripe" in result.stdout
    assert http_server.hits("/v1/boards/stripe/jobs") == 0
    assert http_server.hits("/v1/boards/northwind/jobs") == 1


def test_a_single_board_can_be_crawled_while_its_neighbours_are_locked(http_server, sqlite_url, tmp_path):
    serve_boards(http_server)
    run_jobscout("db", "upgrade", home=tmp_path, db_url=sqlite_url)
    _, sessions = open_database(sqlite_url)
    with acquire(sessions, "greenhouse", ["northwind", "tailspin"], owner="a unit"):
        result = run_jobscout(
            "crawl",
            "greenhouse",
            "--boards",
            "stripe",
            "--base-url",
            http_server.url,
            *FAST,
            home=tmp_path,
            db_url=sqlite_url,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        # asking for a busy board and a free one crawls the free one and says so
        result = run_jobscout(
            "crawl",
            "greenhouse",
            "--boards",
            "stripe,northwind",
            "--base-url",
            http_server.url,
            *FAST,
            home=tmp_path,
            db_url=sqlite_url,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "skipped 1 boards another crawl is reading: northwind" in result.stderr
    assert latest_run(sqlite_url).boards == ["stripe"]


def test_runs_show_lists_each_boards_result(http_server, sqlite_url, tmp_path):
    http_server.add("/v1/boards/stripe/jobs", ACME)
    http_server.add(
        "/v1/boards/northwind/jobs",
        "busy",
    )
    result = run_jobscout(
        "crawl",
        "greenhouse",
        "--boards",
        "stripe,northwind,gone",
        "--base-url",
        http_server.url,
        *FAST,
        home=tmp_path,
        db_url=sqlite_url,
    )
    assert result.returncode == 4, result.stderr[-3000:]
    run_id = str(latest_run(sqlite_url).id)
    shown = run_jobscout("runs", "show", run_id, home=tmp_path, db_url=sqlite_url).stdout.splitlines()
    board_lines = [line for line in shown if line.startswith("board ")]
    # failed boards first
    assert board_lines[0].startswith("board gone: FAILED (not_found): board not found (HTTP 404)")
    assert board_lines[1].startswith("board northwind: FAILED (format)")
    assert board_lines[2].startswith("board stripe: ") and " new, 0 updated, 0 closed" in board_lines[2]
    data = json.loads(
        run_jobscout("runs", "show", run_id, "--format", "json", home=tmp_path, db_url=sqlite_url).stdout
    )
    assert data["board_results"]["gone"]["kind"] == "not_found"


def test_a_pass_resumes_with_the_units_crawled_longest_ago(sqlite_url):
    from datetime import UTC, datetime, timedelta

    from crawler.commands.crawl_pass import in_resume_order
    from crawler.context import AppContext
    from crawler.units import Unit
    from storage.models import CrawlRun

    units = [Unit("greenhouse", k, 4, (f"b{k}",)) for k in range(4)]
    _, sessions = open_database(sqlite_url)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        # unit 0 crawled an hour ago, unit 1 two days ago, unit 2 never, unit 3 yesterday (and once long before)
        for label, hours in (("0/4", 1), ("1/4", 48), ("3/4", 400), ("3/4", 24)):
            session.add(
                CrawlRun(
                    source="greenhouse", boards=[], args={"unit": label}, started_at=now - timedelta(hours=hours)
                )
            )
        session.add(CrawlRun(source="lever", boards=[], args={"unit": "2/4"}, started_at=now))  # another source
    ordered = in_resume_order(AppContext(db_flag=sqlite_url), "greenhouse", units)
    assert [u.label for u in ordered] == ["2/4", "1/4", "3/4", "0/4"]
