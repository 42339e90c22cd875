"""Issue 5's "done" scenario on both backends, crawls run in-process (tests/spiders.py); concurrent crawls and the
crawl lock through the real ``jobscout crawl`` (subprocesses, tests/crawling.py).

Fixtures under tests/fixtures/dedup/ follow the real Greenhouse and RemoteOK formats with texts of our own: a
board where one requisition is advertised in two cities, a second capture with one job removed and one pay range
raised, and a RemoteOK copy (trimmed text, other URL, "Inc." dropped) of one of the board's jobs.
"""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import func, select

from storage import models
from storage.db import open_database
from storage.locks import acquire
from tests import crawling
from tests.crawling import FAST, FIXTURES, jobscout_command
from tests.spiders import crawl, run_jobscout

BOARD = FIXTURES / "dedup" / "greenhouse_board.json"
BOARD_V2 = FIXTURES / "dedup" / "greenhouse_board_v2.json"
REMOTEOK = FIXTURES / "dedup" / "remoteok.json"
PATH = "/v1/boards/dedupco/jobs"


def last_run(db_url: str) -> models.CrawlRun:
    _, Session = open_database(db_url)
    with Session() as s:
        return s.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(1)).one()


def counts(db_url: str) -> dict[str, int]:
    _, Session = open_database(db_url)
    with Session() as s:
        return {
            "postings": s.scalar(select(func.count()).select_from(models.Posting)),
            "open": s.scalar(
                select(func.count()).select_from(models.Posting).where(models.Posting.closed_at.is_(None))
            ),
            "sources": s.scalar(select(func.count()).select_from(models.PostingSource)),
            "changes": s.scalar(select(func.count()).select_from(models.PostingChange)),
        }


def test_recrawl_then_removed_and_changed_then_aggregator_copy(http_server, db_url, tmp_path):
    http_server.add(PATH, BOARD)
    first = crawl("greenhouse", "--boards", "dedupco", home=tmp_path, db_url=db_url, base_url=http_server.url)
    assert first.returncode == 0, first.stderr
    run = last_run(db_url)
    # Four ids, three openings: BWR-1001 is one requisition advertised in New York and Austin.
    assert (run.status, run.fetched, run.new, run.updated, run.closed) == ("ok", 4, 3, 0, 0)
    assert counts(db_url) == {"postings": 3, "open": 3, "sources": 4, "changes": 0}

    again = crawl("greenhouse", "--boards", "dedupco", home=tmp_path, db_url=db_url, base_url=http_server.url)
    assert again.returncode == 0, again.stderr
    run = last_run(db_url)
    assert (run.fetched, run.new, run.updated, run.closed) == (4, 0, 0, 0)

    http_server.add(PATH, BOARD_V2)
    third = crawl("greenhouse", "--boards", "dedupco", home=tmp_path, db_url=db_url, base_url=http_server.url)
    assert third.returncode == 0, third.stderr
    run = last_run(db_url)
    assert (run.fetched, run.new, run.updated, run.closed) == (3, 0, 1, 1)
    assert counts(db_url) == {"postings": 3, "open": 2, "sources": 4, "changes": 1}

    _, Session = open_database(db_url)
    with Session() as s:
        fleet = s.scalars(select(models.Posting).where(models.Posting.requisition_id == "BWR-1001")).one()
        assert sorted(loc["city"] for loc in fleet.locations) == ["Austin", "New York"]
        assert len(fleet.sources) == 2
        change = s.scalars(select(models.PostingChange)).one()
        assert change.field == "pay" and change.old["max"] == 190000 and change.new["max"] == 205000
        closed = s.scalars(select(models.Posting).where(models.Posting.closed_at.is_not(None))).one()
        assert closed.title == "Data Engineer"

    http_server.add("/api", REMOTEOK)
    fourth = crawl("remoteok", home=tmp_path, db_url=db_url, base_url=http_server.url)
    assert fourth.returncode == 0, fourth.stderr
    run = last_run(db_url)
    assert (run.fetched, run.new) == (2, 1)  # the Brightwave copy links to the ATS posting; Quillpoint is new
    assert counts(db_url)["postings"] == 4
    with Session() as s:
        platform = s.scalars(select(models.Posting).where(models.Posting.title == "Platform Engineer")).one()
        assert sorted(src.source for src in platform.sources) == ["greenhouse", "remoteok"]
        assert platform.source == "greenhouse"  # the ATS stays canonical
        assert platform.pay_annual_max == 205000
        platform_id = platform.id
    shown = run_jobscout("show", str(platform_id), "--format", "json", home=tmp_path, db_url=db_url)
    assert shown.returncode == 0, shown.stderr
    assert '"remoteok"' in shown.stdout and '"changes"' in shown.stdout


def test_concurrent_crawls_of_different_sources(http_server, db_url, tmp_path):
    """A Greenhouse and a RemoteOK crawl writing at once: no "database is locked", no duplicate posting."""
    http_server.add(PATH, BOARD)
    http_server.add("/api", REMOTEOK)
    procs = []
    for source, extra in (("greenhouse", ["--boards", "dedupco"]), ("remoteok", [])):
        argv = [*jobscout_command(), "crawl", source, "--base-url", http_server.url, *FAST, *extra]
        env = _env(tmp_path, db_url)
        procs.append(subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for proc in procs:
        _out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        assert "database is locked" not in err
    assert counts(db_url)["postings"] == 4  # 3 Brightwave openings (one also on RemoteOK) + Quillpoint
    assert counts(db_url)["sources"] == 6


def test_a_second_crawl_of_the_same_board_is_refused(http_server, sqlite_url, tmp_path):
    http_server.add(PATH, BOARD)
    _, Session = open_database(sqlite_url)
    held = acquire(Session, "greenhouse", ["dedupco"], owner="test")
    try:
        refused = crawling.crawl(
            "greenhouse", "--boards", "dedupco", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
        )
        assert refused.returncode == 6
        assert "greenhouse/dedupco is being crawled by pid" in refused.stderr
        assert len(refused.stderr.strip().splitlines()) == 1
        other = crawling.crawl(
            "greenhouse", "--boards", "other", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
        )
        assert other.returncode in (1, 4)  # another board is not locked (404 here: failed)
    finally:
        held.release()
    ok = crawling.crawl(
        "greenhouse", "--boards", "dedupco", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert ok.returncode == 0, ok.stderr


def _env(home, db_url):
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    env.update(
        JOBSCOUT_CONFIG=str(home / "config.toml"),
        JOBSCOUT_DATA_DIR=str(home / "data"),
        JOBSCOUT_DB_URL=db_url,
        PYTHONWARNINGS="error::DeprecationWarning",
    )
    env.setdefault("PATH", os.defpath)
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    return env
