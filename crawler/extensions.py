"""Run bookkeeping: one ``crawl_runs`` row per crawl, with its counts, status, errors, and the closing step.

The status and which boards may close are decided by :func:`crawler.closing.judge` (the rules, and the stats they
read, are in that module and in docs/operations.md). In short: a board's postings close only after a complete,
successful crawl of that board with no store error and no shrink past the blast radius; a full-snapshot source
closes, per proven board, the postings the board no longer lists. At the end of an ``ok`` or ``partial`` run of a
windowed feed (``full_snapshot = False``) with no lost write, that source's sightings close when their
``valid_through`` passed or they went unseen for ``JOBSCOUT_WINDOWED_CLOSE_AFTER_DAYS``. A posting closes when all
its sources are closed.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from scrapy import signals
from sqlalchemy.exc import SQLAlchemyError

from crawler import outcome
from crawler.boards import liveness_rules
from crawler.closing import ClosingRules, board_stats, judge, unproven_reason
from crawler.database import error_line, for_crawler
from storage import models
from storage.boards import record_answers
from storage.lifecycle import close_unseen, close_windowed, open_counts
from storage.liveness import this_host
from storage.models import utcnow
from storage.runs import previous_holds, start_run

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
        self.rules = ClosingRules.from_settings(settings)
        self.windowed_close_days = settings.getfloat("JOBSCOUT_WINDOWED_CLOSE_AFTER_DAYS", 30)
        self.liveness = liveness_rules(settings)
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
        if unit := self.crawler.settings.get("JOBSCOUT_UNIT"):
            args["unit"] = unit  # K/U: a registry pass resumes with the units crawled longest ago
        with self.session_factory.begin() as session:
            run = start_run(session, spider.name, boards, args)
            run.schedule_id = self.crawler.settings.getint("JOBSCOUT_SCHEDULE_ID") or None
            run.pid, run.host = os.getpid(), this_host()
            self.run_id = run.id
            self.previous_open = open_counts(session, spider.name, boards)
        self.crawler.stats.set_value("jobscout/run_id", self.run_id)
        logging.getLogger().addHandler(self.errors)

    def spider_closed(self, spider, reason: str) -> None:
        logging.getLogger().removeHandler(self.errors)
        if self.run_id is None:
            return
        stats = self.crawler.stats.get_stats()
        boards = board_stats(stats, list(getattr(spider, "boards", []) or []))
        full_snapshot = getattr(spider, "full_snapshot", False)
        try:
            verdict, closed = self._finish(spider, reason, stats, boards, full_snapshot)
        except (SQLAlchemyError, OSError) as exc:
            # A full disk or a lost database: the run stays ``running`` (found ``interrupted`` once this process is
            # gone), nothing closed, and the runner reports the crawl failed. One line, not a signal traceback.
            logger.error(
                "crawl run %s of %s: cannot record its end, nothing closed: %s",
                self.run_id,
                spider.name,
                error_line(exc),
            )
            return
        for board, hold in verdict.holds.items():
            logger.warning(
                "%s/%s held: %d of its %d open postings would close at once (past the blast radius); nothing "
                "closed, the next crawl confirms",
                spider.name,
                board,
                hold["closing"],
                hold["open"],
            )
        for board in verdict.confirmed:
            logger.warning(
                "%s/%s: the shrink held back by the previous crawl is confirmed; closing", spider.name, board
            )
        self.crawler.stats.set_value("jobscout/status", verdict.status)
        self.crawler.stats.set_value("jobscout/closed", closed)
        log = logger.info if verdict.status == outcome.OK else logger.warning
        reason_text = f" ({verdict.reason})" if verdict.reason else ""
        log("crawl run %s of %s: %s%s", self.run_id, spider.name, verdict.status, reason_text)

    def _finish(self, spider, reason: str, stats, boards, full_snapshot: bool):
        """Judge the run, close what its proven boards no longer list and write the run's end: one transaction, so
        the verdict, the closing and the run row land together or not at all."""
        now = utcnow()
        with self.session_factory.begin() as session:
            run = session.get(models.CrawlRun, self.run_id)
            listed = [name for name, b in boards.items() if b.listed is not None and unproven_reason(b) is None]
            closing = (
                open_counts(session, spider.name, listed, seen_before=run.started_at)
                if full_snapshot and reason == "finished"
                else {}
            )
            verdict = judge(
                source=spider.name,
                end_reason=reason,
                stats=stats,
                boards=boards,
                open_before=self.previous_open,
                closing=closing,
                held_before=previous_holds(session, spider.name, self.run_id, list(closing)),
                rules=self.rules,
            )
            closed = 0
            closed_by_board: dict[str, int] = {}
            if full_snapshot:
                for board in verdict.proven:
                    closed_by_board[board] = close_unseen(session, spider.name, board, run.started_at, now)
                    closed += closed_by_board[board]
            elif verdict.status in (outcome.OK, outcome.PARTIAL) and not any(b.store_errors for b in boards.values()):
                # A windowed feed's absence means nothing: close by expiry or after days unseen.
                closed += close_windowed(session, spider.name, now, self.windowed_close_days)
            run.finished_at = now
            run.status = verdict.status
            run.status_reason = verdict.reason
            run.fetched = stats.get("jobscout/fetched", 0)
            run.kept = stats.get("jobscout/kept", 0) - stats.get("jobscout/dropped/store_error", 0)
            run.new = stats.get("jobscout/new", 0)
            run.updated = stats.get("jobscout/updated", 0)
            run.closed = closed
            # spider_exceptions/count already sums the per-class spider_exceptions/<Class> counts.
            run.errors = stats.get("jobscout/errors", 0) + stats.get("spider_exceptions/count", 0)
            run.dropped = _prefixed(stats, "jobscout/dropped/")
            run.board_counts = {name: b.listed for name, b in boards.items() if b.listed is not None}
            run.board_errors = {name: b.error for name, b in boards.items() if b.error}
            run.board_holds = verdict.holds
            run.board_results = {name: b.result(closed_by_board.get(name, 0)) for name, b in boards.items()}
            # Some spiders learn their boards as they go (HN finds the month's thread): record what was crawled.
            run.boards = list(dict.fromkeys([*run.boards, *boards]))
            if getattr(spider, "needs_boards", False):  # platform boards: what the crawl learnt about each one
                record_answers(session, spider.name, {name: b.answer() for name, b in boards.items()}, self.liveness)
            run.error_messages = self.errors.messages
        return verdict, closed
