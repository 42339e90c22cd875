"""The scheduler daemon: runs the crawls of the ``schedules`` table, unattended, for months.

Design, and why:

- Schedules live in jobscout's own ``schedules`` table, which the CLI edits at any time. APScheduler's job stores
  must not be shared between processes, so the daemon keeps APScheduler in memory and *synchronises* it from the
  table: at start, every ``reload_every`` seconds and on SIGHUP.
- Each run is a child ``jobscout crawl`` process (Twisted's reactor runs once per process) in its own process
  group, killed at the schedule's timeout (SIGTERM, then SIGKILL) and recorded as failed; the next run proceeds.
- One run per schedule at a time (``max_instances=1``: an overlapping run is skipped and logged), missed runs
  coalesced, a misfire grace time, per-schedule jitter. The child obeys the same per-(source, board) lock and
  per-source minimum interval as a crawl started by hand, and reports them through its exit code.
- SIGTERM/SIGINT: no new runs start; running crawls get ``grace`` seconds to finish, then are stopped (SIGTERM,
  which Scrapy turns into a clean close: the open batch is committed or rolled back, never half-written), then
  killed. No child outlives the daemon.
- Queue mode (``jobscout scheduler run --queue``, crawler/queue.py): ``enqueue`` replaces the child: a due run
  is claimed in the ``schedules`` table and its units are published for workers on any host.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from apscheduler.events import EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler import outcome
from crawler.after_crawl import follow
from storage import models
from storage.models import utcnow

logger = logging.getLogger("jobscout.scheduler")

KILL_AFTER_TERM_S = 10.0


class ScheduleError(ValueError):
    """A schedule definition that cannot be used (bad cron expression, duration, source)."""


def parse_duration(text: str) -> int:
    """ "10s", "30m", "6h", "1d", "1h30m" or plain seconds -> seconds."""
    import re

    value = str(text).strip().lower()
    if len(value) > 100:  # int() refuses more than 4300 digits; no duration needs a hundred characters
        raise ScheduleError(f"duration {value[:20]!r}... is out of range (too long)")
    if value.isdigit():
        return int(value)
    parts = re.findall(r"(\d+)\s*([smhdw])", value)
    if not parts or "".join(f"{n}{u}" for n, u in parts) != re.sub(r"\s+", "", value):
        raise ScheduleError(f"not a duration: {text!r} (use e.g. 10s, 30m, 6h, 1d)")
    unit = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
    return sum(int(n) * unit[u] for n, u in parts)


def make_trigger(schedule: models.Schedule):
    jitter = schedule.jitter_seconds or None
    if schedule.cron:
        try:
            trigger = CronTrigger.from_crontab(schedule.cron, timezone="UTC")
        except ValueError as exc:
            raise ScheduleError(f"not a cron expression: {schedule.cron!r} ({exc})") from exc
        trigger.jitter = jitter  # APScheduler 3's from_crontab takes no jitter; the trigger honours the attribute
        return trigger
    if schedule.interval_seconds:
        return IntervalTrigger(seconds=schedule.interval_seconds, timezone="UTC", jitter=jitter)
    raise ScheduleError(f"schedule {schedule.id} has neither cron nor interval")


def validate_cron(expr: str) -> None:
    try:
        CronTrigger.from_crontab(expr, timezone="UTC")
    except ValueError as exc:
        raise ScheduleError(f"not a cron expression: {expr!r} ({exc})") from exc


def crawl_argv(db_url: str, schedule: models.Schedule, normalize_processes: int | None = None) -> list[str]:
    """The child command line: exactly what a user would type, plus the schedule id for the run record, and
    ``JOBSCOUT_NORMALIZE_PROCESSES`` when the daemon names one (several crawls at once: one process each)."""
    from crawler.runner import child_argv

    opts = schedule.options or {}
    extra = [f"JOBSCOUT_NORMALIZE_PROCESSES={normalize_processes}"] if normalize_processes is not None else []
    return child_argv(
        db_url,
        schedule.source,
        **{name: str(opts[name]) for name in ("boards", "base_url", "urls", "sitemap") if opts.get(name)},
        spider_args=list(opts.get("args", [])),
        settings=[*extra, *opts.get("settings", []), f"JOBSCOUT_SCHEDULE_ID={schedule.id}"],
    )


@dataclass
class RunningCrawl:
    schedule_id: int
    process: subprocess.Popen
    started_at: datetime


@dataclass
class Daemon:
    db_url: str
    session_factory: sessionmaker[Session]
    max_runs: int | None = None
    reload_every: float = 30.0
    grace: float = 30.0
    misfire_grace: int = 300
    max_workers: int = 4
    finished_runs: int = 0
    started_runs: int = 0
    #: Queue mode: ``enqueue(schedule_id)`` publishes the due run's units (None: another scheduler claimed it).
    enqueue: Callable[[int], int | None] | None = None
    running: dict[int, RunningCrawl] = field(default_factory=dict)
    _loaded: dict[int, datetime] = field(default_factory=dict)  # schedule id -> updated_at loaded
    _stop: threading.Event = field(default_factory=threading.Event)
    _reload: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.scheduler = BackgroundScheduler(
            executors={"default": ThreadPoolExecutor(self.max_workers)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": self.misfire_grace},
            timezone="UTC",
        )
        self.scheduler.add_listener(self._on_skipped, EVENT_JOB_MAX_INSTANCES | EVENT_JOB_MISSED)

    # --- lifecycle ---------------------------------------------------------------------------------------
    def run(self) -> int:
        """Run until SIGTERM/SIGINT or ``max_runs`` finished runs; returns the exit code."""
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        previous[signal.SIGHUP] = signal.signal(signal.SIGHUP, self._on_hup)
        try:
            self.sync()
            self.scheduler.start()
            logger.info(
                "scheduler started: %d schedules, reloading every %.0fs", len(self._loaded), self.reload_every
            )
            next_reload = time.monotonic() + self.reload_every
            while not self._stop.wait(0.2):
                if self._reload.is_set() or time.monotonic() >= next_reload:
                    self._reload.clear()
                    self.sync()
                    next_reload = time.monotonic() + self.reload_every
            self.shutdown()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0

    def _on_signal(self, signum, _frame) -> None:
        logger.info("received %s: no new runs; stopping", signal.Signals(signum).name)
        self._stop.set()

    def _on_hup(self, _signum, _frame) -> None:
        logger.info("received SIGHUP: reloading schedules")
        self._reload.set()

    def shutdown(self) -> None:
        """Stop starting runs, give running crawls ``grace`` seconds, then stop them; leave no child behind."""
        self.scheduler.pause()
        deadline = time.monotonic() + self.grace
        while self._running_processes() and time.monotonic() < deadline:
            time.sleep(0.2)
        for crawl in self._running_processes():
            logger.warning(
                "stopping schedule %s's crawl (pid %s): grace period over", crawl.schedule_id, crawl.process.pid
            )
            self._terminate(crawl.process)
        self.scheduler.shutdown(wait=True)
        logger.info("scheduler stopped after %d runs", self.finished_runs)

    def _running_processes(self) -> list[RunningCrawl]:
        with self._lock:
            return [c for c in self.running.values() if c.process.poll() is None]

    # --- schedules -> APScheduler -----------------------------------------------------------------------
    def sync(self) -> None:
        """Make APScheduler's jobs match the ``schedules`` table (added, changed, paused, removed)."""
        with self.session_factory() as session:
            rows = session.scalars(select(models.Schedule)).all()
        wanted = {row.id: row for row in rows if not row.paused}
        for schedule_id in list(self._loaded):
            if schedule_id not in wanted:
                self._remove_job(schedule_id)
                logger.info("schedule %s removed or paused", schedule_id)
        for schedule_id, row in wanted.items():
            if self._loaded.get(schedule_id) == row.updated_at:
                continue
            try:
                trigger = make_trigger(row)
            except ScheduleError as exc:
                logger.error("schedule %s ignored: %s", schedule_id, exc)
                continue
            self.scheduler.add_job(
                self.run_schedule,
                trigger,
                args=[schedule_id],
                id=str(schedule_id),
                replace_existing=True,
                name=f"{row.source} #{schedule_id}",
            )
            verb = "changed" if schedule_id in self._loaded else "loaded"
            self._loaded[schedule_id] = row.updated_at
            logger.info("schedule %s %s: %s %s", schedule_id, verb, row.source, describe_trigger(row))

    def _remove_job(self, schedule_id: int) -> None:
        self._loaded.pop(schedule_id, None)
        if self.scheduler.get_job(str(schedule_id)):
            self.scheduler.remove_job(str(schedule_id))

    def _on_skipped(self, event: JobExecutionEvent) -> None:
        why = "still running" if event.code == EVENT_JOB_MAX_INSTANCES else "missed (coalesced)"
        logger.warning("schedule %s: run skipped: the previous run is %s", event.job_id, why)

    # --- one run -----------------------------------------------------------------------------------------
    def normalize_processes(self) -> int | None:
        """The children's ``JOBSCOUT_NORMALIZE_PROCESSES``: 1 each when up to ``max_workers`` > 1 crawls run at
        once (crawler.settings.child_normalize_processes; docs/scale.md, "Processes"), else their default."""
        from crawler.settings import child_normalize_processes

        return child_normalize_processes(self.max_workers)

    def run_schedule(self, schedule_id: int) -> None:
        if self._stop.is_set():
            return
        if self.enqueue is not None:
            self._enqueue(schedule_id)
            return
        with self.session_factory() as session:
            schedule = session.get(models.Schedule, schedule_id)
            if schedule is None or schedule.paused:
                return
            argv = crawl_argv(self.db_url, schedule, self.normalize_processes())
            timeout = schedule.timeout_seconds
            source = schedule.source
        with self._lock:
            # --max-runs counts runs started, not only finished: with several workers, a run starting while the
            # last allowed one is still going would otherwise make one more.
            if self.max_runs is not None and self.started_runs >= self.max_runs:
                return
            self.started_runs += 1
        started = utcnow()
        # Its own process group, so a timeout or shutdown stops the crawl and anything it started.
        process = subprocess.Popen(argv, stdout=sys.stderr, stderr=sys.stderr, start_new_session=True)
        with self._lock:
            self.running[schedule_id] = RunningCrawl(schedule_id, process, started)
        self._mark(schedule_id, started=started, status="running")
        logger.info("schedule %s: started %s (pid %s)", schedule_id, " ".join(argv[3:]), process.pid)
        try:
            code = process.wait(timeout=timeout)
            status = outcome.status_for_exit(code)
            reason = None if status in (outcome.OK, outcome.SKIPPED, outcome.LOCKED) else f"crawl exited {code}"
        except subprocess.TimeoutExpired:
            logger.warning("schedule %s: crawl exceeded its %ss timeout; killing it", schedule_id, timeout)
            self._terminate(process)
            status, reason = outcome.FAILED, f"killed at its {timeout}s timeout"
        finally:
            with self._lock:
                self.running.pop(schedule_id, None)
        if process.returncode is not None and process.returncode < 0:
            # A killed crawl cannot release its (source, board) locks: free them now, not at their expiry.
            from storage.locks import release_pid

            release_pid(self.session_factory, process.pid)
        if self._stop.is_set() and process.returncode is not None and process.returncode < 0:
            status, reason = outcome.FAILED, "stopped at scheduler shutdown"
        elif status == outcome.INTERRUPTED:
            reason = f"the crawl was killed by signal {-process.returncode}"
        if status in (outcome.FAILED, outcome.INTERRUPTED):
            self._record_end(schedule_id, started, status, reason or status)
        self._mark(schedule_id, finished=utcnow(), status=status)
        log = logger.info if status in (outcome.OK, outcome.SKIPPED, outcome.LOCKED) else logger.warning
        log("schedule %s: run finished: %s%s", schedule_id, status, f" ({reason})" if reason else "")
        follow(self.session_factory, source, status, started)
        self._count_run()

    def _count_run(self) -> None:
        with self._lock:
            self.finished_runs += 1
            done = self.max_runs is not None and self.finished_runs >= self.max_runs
        if done:
            logger.info("reached --max-runs %s: stopping", self.max_runs)
            self._stop.set()

    def _enqueue(self, schedule_id: int) -> None:
        """Queue mode: publish the due run's units; a run another scheduler claimed does not count."""
        try:
            published = self.enqueue(schedule_id)
        except Exception:  # a broker or database outage must not take the scheduler down; the next firing retries
            logger.exception("schedule %s: enqueueing its units failed", schedule_id)
            return
        if published is not None:
            self._count_run()

    def _terminate(self, process: subprocess.Popen) -> None:
        for sig, wait in ((signal.SIGTERM, KILL_AFTER_TERM_S), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                return
            try:
                process.wait(timeout=wait)
                # The group may hold grandchildren: make sure they go too.
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            except subprocess.TimeoutExpired:
                continue
            return

    def _mark(
        self, schedule_id: int, *, status: str, started: datetime | None = None, finished: datetime | None = None
    ) -> None:
        with self.session_factory.begin() as session:
            schedule = session.get(models.Schedule, schedule_id)
            if schedule is None:
                return
            schedule.last_status = status
            if started:
                schedule.last_started_at = started
            if finished:
                schedule.last_finished_at = finished

    def _record_end(self, schedule_id: int, started: datetime, status: str, reason: str) -> None:
        """A killed or crashed child cannot finish its crawl_runs row: close it (or create one) with ``status``."""
        now = utcnow()
        with self.session_factory.begin() as session:
            rows = session.scalars(
                select(models.CrawlRun).where(
                    models.CrawlRun.schedule_id == schedule_id,
                    models.CrawlRun.started_at >= started - timedelta(seconds=1),
                )
            ).all()
            if not rows:
                schedule = session.get(models.Schedule, schedule_id)
                run = models.CrawlRun(
                    source=schedule.source if schedule else "?",
                    boards=[],
                    args={"schedule_id": schedule_id},
                    started_at=started,
                    schedule_id=schedule_id,
                )
                session.add(run)
                rows = [run]
            for run in rows:
                if run.finished_at is None:
                    run.status = status
                    run.status_reason = reason
                    run.finished_at = now


def describe_trigger(schedule: models.Schedule) -> str:
    if schedule.cron:
        return f"cron {schedule.cron!r}"
    seconds = schedule.interval_seconds or 0
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0 and seconds >= size:
            return f"every {seconds // size}{unit}"
    return f"every {seconds}s"
