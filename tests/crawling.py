"""Running the real ``jobscout crawl`` in a subprocess (Twisted's reactor runs once per process).

For crawls whose test needs the engine or the command (downloader middlewares, the lock, processes); the spider
contract tests run in-process through ``tests.spiders``, which takes the same arguments."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from storage import models
from storage.db import open_database

FIXTURES = Path(__file__).parent / "fixtures"

# Politeness delays are for real sites; against the local test server they only slow the suite down.
FAST = (
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "JOBSCOUT_RETRY_BACKOFF_BASE=0.05",
    "-s",
    "RETRY_TIMES=2",
)


def jobscout_command() -> list[str]:
    exe = shutil.which("jobscout", path=str(Path(sys.executable).parent))
    return [exe] if exe else [sys.executable, "-m", "crawler.cli"]


def jobscout_env(home: Path, db_url: str | None = None) -> dict[str, str]:
    """The environment of a ``jobscout`` child: no JOBSCOUT_* of the caller, config and data under ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    env.update(
        JOBSCOUT_CONFIG=str(home / "config.toml"),
        JOBSCOUT_DATA_DIR=str(home / "data"),
        # The suite's small registry (tests/conftest.py), not the shipped ~19,000 boards.
        JOBSCOUT_REGISTRY=os.environ.get("JOBSCOUT_REGISTRY", ""),
        PYTHONWARNINGS="error::DeprecationWarning",
    )
    if db_url:
        env["JOBSCOUT_DB_URL"] = db_url
    return env


def run_jobscout(
    *argv: str, home: Path, db_url: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*jobscout_command(), *argv],
        env=jobscout_env(home, db_url),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def crawl(source: str, *args: str, home: Path, db_url: str, base_url: str) -> subprocess.CompletedProcess:
    return run_jobscout("crawl", source, "--base-url", base_url, *FAST, *args, home=home, db_url=db_url)


def latest_run(db_url: str) -> models.CrawlRun:
    _, Session = open_database(db_url)
    with Session() as s:
        return s.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(1)).one()


def row_counts(db_url: str) -> tuple[int, int]:
    _, Session = open_database(db_url)
    with Session() as s:
        return (
            s.scalar(select(func.count()).select_from(models.Posting)),
            s.scalar(select(func.count()).select_from(models.PostingSource)),
        )


def query_json(db_url: str, tmp_path, *args: str) -> list[dict]:
    result = run_jobscout("query", "--format", "json", *args, home=tmp_path, db_url=db_url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def crawl_and_recrawl(crawls, http_server, home: Path, db_url: str) -> None:
    """Crawl each ``(source, board, count)`` once (every posting new, the run ``ok``), then again (nothing new,
    updated or closed): the platform end-to-end tests' common part, each crawl a real ``jobscout crawl``."""
    stored = 0
    for source, board, count in crawls:
        result = crawl(source, "--boards", board, home=home, db_url=db_url, base_url=http_server.url)
        assert result.returncode == 0, result.stderr
        run = latest_run(db_url)
        assert (run.source, run.status, run.fetched, run.new, run.errors) == (source, "ok", count, count, 0)
        assert run.board_counts == {board: count}
        stored += count
        assert row_counts(db_url) == (stored, stored)

    for source, board, count in crawls:
        again = crawl(source, "--boards", board, home=home, db_url=db_url, base_url=http_server.url)
        assert again.returncode == 0, again.stderr
        run = latest_run(db_url)
        assert (run.status, run.fetched, run.new, run.updated, run.closed) == ("ok", count, 0, 0, 0)
    assert row_counts(db_url) == (stored, stored)
