"""Run bookkeeping: one ``crawl_runs`` row per crawl, with its counts, status and errors.

Status rules (also in docs/operations.md):

- ``failed``: the crawl did not finish normally, or every board failed;
- ``degraded``: parse errors exceed ``JOBSCOUT_DEGRADED_PARSE_ERROR_SHARE`` of the payloads fetched (and number at
  least ``JOBSCOUT_DEGRADED_MIN_PARSE_ERRORS``), or a board
  listed nothing although it had at least ``JOBSCOUT_DEGRADED_MIN_PREVIOUS`` open postings before the run
  (a changed format or a broken endpoint, usually);
- ``partial``: some boards failed, the others were stored;
- ``ok``: everything listed was read.

Only an ``ok`` run of a full-snapshot source with no parse error closes the postings its boards no longer list. At
the end of an ``ok`` or ``partial`` run of a windowed feed (``full_snapshot = False``), that source's sightings
close when their ``valid_through`` passed or they went unseen for ``JOBSCOUT_WINDOWED_CLOSE_AFTER_DAYS``. A
posting closes when all its sources are closed.
"""

from __future__ import annotations

import logging
import os
import socket
from typing import Any

from scrapy import signals

from crawler.database import for_crawler
from storage import models
from storage.repository import close_unseen, close_windowed, open_count, start_run, utcnow

logger = logging.getLogger(__name__)

MAX_ERROR_MESSAGES = 50


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < MAX_ERROR_MESSAGES:
            try:
                self.messages.append(record.getMessage()[:500])
            except Exception:  # a bad log format must not break the crawl
                self.messages.append(str(record.msg)[:500])


def _prefixed(stats: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {key[len(prefix) :]: value for key, value in stats.items() if key.startswith(prefix)}


class CrawlRunRecorder:
    def __init__(self, crawler):
        self.crawler = crawler
        settings = crawler.settings
        self.parse_error_share = settings.getfloat("JOBSCOUT_DEGRADED_PARSE_ERROR_SHARE", 0.10)
        self.min_parse_errors = settings.getint("JOBSCOUT_DEGRADED_MIN_PARSE_ERRORS", 3)
        self.min_previous = settings.getint("JOBSCOUT_DEGRADED_MIN_PREVIOUS", 5)
        self.windowed_close_days = settings.getfloat("JOBSCOUT_WINDOWED_CLOSE_AFTER_DAYS", 30)
        self.run_id: int | None = None
        self.previous_open: dict[str, int] = {}
        self.errors = _ErrorCollector()
        self.session_factory = for_crawler(crawler).sessions

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        boards = list(getattr(spider, "boards", []) or [])
        args = {"base_url": getattr(spider, "base_url", None)}
        with self.session_factory.begin() as session:
            run = start_run(session, spider.name, boards, args)
            run.schedule_id = self.crawler.settings.getint("JOBSCOUT_SCHEDULE_ID") or None
            run.pid, run.host = os.getpid(), socket.gethostname()[:200]
            self.run_id = run.id
            self.previous_open = {board: open_count(session, spider.name, board) for board in boards}
        self.crawler.stats.set_value("jobscout/run_id", self.run_id)
        logging.getLogger().addHandler(self.errors)

    def spider_closed(self, spider, reason: str) -> None:
        logging.getLogger().removeHandler(self.errors)
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        status, why = self.status(spider, reason, stats)
        board_counts = _prefixed(stats, "jobscout/board_count/")
        board_errors = _prefixed(stats, "jobscout/board_error/")
        now = utcnow()
        with self.session_factory.begin() as session:
            run = session.get(models.CrawlRun, self.run_id)
            closed = 0
            if status == "ok" and getattr(spider, "full_snapshot", False):
                for board in board_counts:
                    closed += close_unseen(session, spider.name, board, run.started_at, now)
            elif status in ("ok", "partial") and not getattr(spider, "full_snapshot", False):
                # A windowed feed's absence means nothing: close by expiry or after days unseen.
                closed += close_windowed(session, spider.name, now, self.windowed_close_days)
            run.finished_at = now
            run.status = status
            run.status_reason = why
            run.fetched = stats.get("jobscout/fetched", 0)
            run.kept = stats.get("jobscout/kept", 0) - stats.get("jobscout/dropped/store_error", 0)
            run.new = stats.get("jobscout/new", 0)
            run.updated = stats.get("jobscout/updated", 0)
            run.closed = closed
            run.errors = stats.get("jobscout/errors", 0) + sum(_prefixed(stats, "spider_exceptions/").values())
            run.dropped = _prefixed(stats, "jobscout/dropped/")
            run.board_counts = board_counts
            run.board_errors = board_errors
            # Some spiders learn their boards as they go (HN finds the month's thread): record what was crawled.
            run.boards = list(dict.fromkeys([*run.boards, *(getattr(spider, "boards", None) or []), *board_counts]))
            run.error_messages = self.errors.messages
        self.crawler.stats.set_value("jobscout/status", status)
        self.crawler.stats.set_value("jobscout/closed", closed)
        log = logger.warning if status in ("degraded", "failed", "partial") else logger.info
        log("crawl run %s of %s: %s%s", self.run_id, spider.name, status, f" ({why})" if why else "")

    def status(self, spider, reason: str, stats: dict[str, Any]) -> tuple[str, str | None]:
        boards = list(getattr(spider, "boards", []) or [])
        board_errors = _prefixed(stats, "jobscout/board_error/")
        board_counts = _prefixed(stats, "jobscout/board_count/")
        if reason != "finished":
            return "failed", f"crawl ended early: {reason}"
        if boards and len(board_errors) >= len(boards):
            return "failed", "every board failed: " + "; ".join(f"{b}: {e}" for b, e in board_errors.items())
        fetched = stats.get("jobscout/fetched", 0)
        parse_errors = stats.get(f"jobscout/{spider.name}/parse_errors", 0)
        if parse_errors >= self.min_parse_errors and parse_errors > self.parse_error_share * max(fetched, 1):
            return "degraded", f"{parse_errors} parse errors for {fetched} payloads fetched"
        emptied = [
            board
            for board, before in self.previous_open.items()
            if before >= self.min_previous and board not in board_errors and not board_counts.get(board)
        ]
        if emptied:
            return "degraded", "boards listed nothing after having postings: " + ", ".join(
                f"{b} (had {self.previous_open[b]})" for b in emptied
            )
        if board_errors:
            return "partial", "; ".join(f"{b}: {e}" for b, e in board_errors.items())
        # A board read only in part (a later page failed): what was read is stored, but the run is not complete.
        incomplete = _prefixed(stats, "jobscout/board_incomplete/")
        if incomplete:
            return "partial", "; ".join(f"{b} incomplete: {e}" for b, e in incomplete.items())
        return "ok", None
