"""Crawl units on a Celery queue with a Redis broker: schedulers on any host enqueue, workers on any host crawl.

One PostgreSQL holds everything; Redis only carries messages. The pieces, and why:

- **A message is one crawl unit** (:mod:`crawler.units`): ``{"source", "unit": "K/U" or None, crawl options,
  "schedule_id", "timeout", "claimed_at"}``. A worker runs it as a child ``jobscout crawl SOURCE --unit K/U`` built by
  :func:`crawler.runner.child_argv` against the *worker's* database URL, exactly like the scheduler's children
  (Twisted's reactor runs once per process; a process per unit bounds memory), and reads the exit code back with
  :func:`crawler.outcome.status_for_exit`. Crawls are idempotent, so a unit that runs twice stores nothing twice.
- **At least once.** ``acks_late``: a message is acknowledged when its unit has ended, never when it starts. A
  worker that dies (SIGKILL, a lost host) leaves its message unacknowledged in Redis; after the transport's
  *visibility timeout* another worker's sweep puts it back on the queue and the unit simply runs again. The
  visibility timeout must be longer than the longest unit (a schedule's ``--timeout`` bounds each unit), or a
  slow unit is handed to a second worker while it still runs (harmless: it meets the lock and retries).
- **Locks.** A unit whose boards are all locked by another crawl exits 6 (``locked``): the task is *retried* after
  the lock's expiry (``JOBSCOUT_LOCK_TTL_SECONDS``, at most half the visibility timeout), never acknowledged as
  done. A lock whose holder died on another host expires by itself (storage.locks); on the same host it is taken
  over at once (storage.liveness).
- **One enqueue per due run across any number of schedulers**: the ``schedules`` row is *claimed* by a
  conditional ``UPDATE schedules SET last_started_at = now WHERE id = ? AND (last_started_at IS NULL OR
  last_started_at <= now - period / 2)``; the database serialises concurrent updates of one row (PostgreSQL
  re-checks the condition on the row the first writer committed), so one scheduler's row count is 1 and every
  other's is 0. Only the winner publishes the schedule's units, inside the claiming transaction (a publish that
  fails rolls the claim back). Celery's own once-only tools are not used: the table is already shared.
- **Watches and discovery follow each unit** (crawler.after_crawl), as they follow each crawl in the scheduler;
  watch runs are serialised across workers by a database lock, so no posting is delivered twice.
- **Workers use Celery's threads pool.** Each task only waits on its child process; the child is in its own
  session (a worker's SIGTERM does not reach it, so the unit finishes) and gets SIGTERM when its worker dies
  (Linux ``PR_SET_PDEATHSIG``), so a killed worker leaves no crawl behind to race the redelivered unit.

docs/scale.md shows how to run one scheduler and N workers; ``jobscout worker`` is crawler/commands/worker.py.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from crawler import outcome
from storage import models

logger = logging.getLogger("jobscout.queue")

TASK = "jobscout.crawl_unit"
QUEUE = "jobscout"
#: Longer than the longest unit: the default schedule ``--timeout`` is 30 minutes, a unit about 1-2 (docs/scale.md).
DEFAULT_VISIBILITY_TIMEOUT = 7200
#: A unit that keeps meeting a held lock gives up after this many retries (a dead holder's lock expires in one TTL).
MAX_LOCK_RETRIES = 48
KILL_AFTER_TERM_S = 10.0

#: The crawl options a message carries, as ``schedules.options`` and :func:`crawler.runner.child_argv` name them.
_OPTIONS = ("boards", "base_url", "urls", "sitemap")


def make_app(
    broker_url: str,
    *,
    visibility_timeout: float = DEFAULT_VISIBILITY_TIMEOUT,
    db_url: str | None = None,
    normalize_processes: int | None = None,
):
    """The Celery app on ``broker_url`` (``redis://HOST:PORT/DB``) with the crawl-unit task registered.

    ``db_url`` is the database the worker's crawls write to (each host may spell it differently, so messages do not
    carry it); a scheduler that only publishes needs none. ``normalize_processes``: the units'
    ``JOBSCOUT_NORMALIZE_PROCESSES`` (a worker running several units at once gives each 1), None for their
    default."""
    from celery import Celery

    app = Celery("jobscout", broker=broker_url, set_as_current=False)
    # Sweep for abandoned messages often enough that a short visibility timeout (tests) is honoured in seconds.
    restore_every = max(1, min(10, int(visibility_timeout // 5)))
    app.conf.update(
        broker_transport_options={
            "visibility_timeout": visibility_timeout,
            "unacked_restore_interval": restore_every,
            "unacked_restore_throttle": 1,
        },
        broker_connection_retry_on_startup=True,
        task_default_queue=QUEUE,
        task_serializer="json",
        accept_content=["json"],
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        # One message reserved per running unit: a dead worker strands no queue of units behind it.
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        jobscout_db_url=db_url,
        jobscout_visibility_timeout=visibility_timeout,
        jobscout_normalize_processes=normalize_processes,
    )
    app.task(bind=True, name=TASK, max_retries=MAX_LOCK_RETRIES)(crawl_unit)
    return app


# --- the scheduler side: claim a due run, publish its units ------------------------------------------------------
def period_seconds(schedule: models.Schedule, now: datetime | None = None) -> float:
    """The schedule's period: its interval, or for a cron the shortest gap between its next few fire times."""
    if schedule.interval_seconds:
        return float(schedule.interval_seconds)
    from apscheduler.triggers.cron import CronTrigger

    trigger = CronTrigger.from_crontab(schedule.cron, timezone="UTC")
    fire = trigger.get_next_fire_time(None, now or datetime.now(UTC))
    gaps = []
    for _ in range(4):
        later = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
        gaps.append((later - fire).total_seconds())
        fire = later
    return min(gaps)


def claim(session: Session, schedule: models.Schedule, now: datetime) -> bool:
    """Claim the schedule's run due ``now`` for this scheduler (see the module doc); True for the one winner.

    A run was claimed already when ``last_started_at`` lies within half a period: schedulers whose clocks (or
    triggers' phases and jitter) differ by less than that agree on which firing is the period's one run."""
    cutoff = now - timedelta(seconds=period_seconds(schedule, now) / 2)
    won = session.execute(
        update(models.Schedule)
        .where(
            models.Schedule.id == schedule.id,
            or_(models.Schedule.last_started_at.is_(None), models.Schedule.last_started_at <= cutoff),
        )
        .values(last_started_at=now, last_status="queued")
        .execution_options(synchronize_session=False)
    ).rowcount
    return won == 1


def unit_messages(schedule: models.Schedule, units: list[str | None], claimed_at: datetime) -> list[dict[str, Any]]:
    """One message per unit label (None: the whole crawl as the schedule names it, a feed or a list of boards)."""
    opts = schedule.options or {}
    base = {name: str(opts[name]) for name in _OPTIONS if opts.get(name)}
    return [
        {
            "source": schedule.source,
            "unit": unit,
            **base,
            "args": list(opts.get("args", [])),
            "settings": [*opts.get("settings", []), f"JOBSCOUT_SCHEDULE_ID={schedule.id}"],
            "schedule_id": schedule.id,
            "timeout": schedule.timeout_seconds,
            "claimed_at": claimed_at.isoformat(),
        }
        for unit in units
    ]


def schedule_units(schedule: models.Schedule, units_of: Callable[[str, dict[str, str]], list[str]]) -> list:
    """The unit labels of a schedule's run: its source's units (``units_of(source, setting overrides)``) unless it
    names its boards, URLs or sitemap, which are one crawl ([None])."""
    opts = schedule.options or {}
    if any(opts.get(name) for name in ("boards", "urls", "sitemap")):
        return [None]
    overrides = dict(item.partition("=")[::2] for item in opts.get("settings", []))
    return list(units_of(schedule.source, overrides)) or [None]


def enqueue_schedule(
    app,
    session_factory: sessionmaker[Session],
    schedule_id: int,
    units_of: Callable[[str, dict[str, str]], list[str]],
    now: Callable[[], datetime] = models.utcnow,
) -> int | None:
    """Claim schedule ``schedule_id``'s due run and publish its units; the number published, or None when another
    scheduler claimed this run (or the schedule is gone or paused)."""
    with session_factory.begin() as session:
        schedule = session.get(models.Schedule, schedule_id)
        if schedule is None or schedule.paused:
            return None
        claimed_at = now()
        if not claim(session, schedule, claimed_at):
            logger.info("schedule %s: this run was enqueued by another scheduler", schedule_id)
            return None
        messages = unit_messages(schedule, schedule_units(schedule, units_of), claimed_at)
        for message in messages:  # inside the claim's transaction: a failed publish rolls the claim back
            app.send_task(TASK, args=[message], task_id=message_id(message))
    units = ", ".join(m["unit"] or "all" for m in messages[:8]) + (", ..." if len(messages) > 8 else "")
    logger.info("schedule %s: enqueued %d units of %s (%s)", schedule_id, len(messages), messages[0]["source"], units)
    return len(messages)


def message_id(message: dict[str, Any]) -> str:
    """The task id: schedule, claim time and unit, so logs and the broker name the same run."""
    return f"schedule-{message['schedule_id']}-{message['claimed_at']}-{message['unit'] or 'all'}"


# --- the worker side: one unit in a child process -----------------------------------------------------------------
def unit_argv(db_url: str, message: dict[str, Any], normalize_processes: int | None = None) -> list[str]:
    """The child command line of a message: what a user would type (crawler.runner.child_argv), with
    ``JOBSCOUT_NORMALIZE_PROCESSES`` when the worker names one."""
    from crawler.runner import child_argv

    extra = [f"JOBSCOUT_NORMALIZE_PROCESSES={normalize_processes}"] if normalize_processes is not None else []
    return child_argv(
        db_url,
        message["source"],
        unit=message.get("unit"),
        **{name: message[name] for name in _OPTIONS if message.get(name)},
        spider_args=list(message.get("args", [])),
        settings=[*extra, *message.get("settings", [])],
    )


def lock_retry_seconds(message: dict[str, Any], visibility_timeout: float) -> float:
    """When a locked unit tries again: after the lock's TTL (the unit's own setting, else the default), but within
    half the visibility timeout (a retry waits in its worker, unacknowledged, until then)."""
    from storage.locks import DEFAULT_TTL_SECONDS

    ttl = float(DEFAULT_TTL_SECONDS)
    for item in message.get("settings", []):
        name, _, value = item.partition("=")
        if name.strip() == "JOBSCOUT_LOCK_TTL_SECONDS":
            ttl = float(value)
    return max(1.0, min(ttl, visibility_timeout / 2))


def crawl_unit(task, message: dict[str, Any]) -> str:
    """The Celery task: run one unit; retry a locked one; any other status is the unit's end (acknowledged)."""
    conf = task.app.conf
    label = f"{message['source']} {message.get('unit') or '(all)'}"
    started, started_at = time.monotonic(), datetime.now(UTC)
    status, pid = run_unit(conf.jobscout_db_url, message, getattr(conf, "jobscout_normalize_processes", None))
    if (took := time.monotonic() - started) > conf.jobscout_visibility_timeout:
        logger.warning(
            "unit %s took %.0fs, longer than the %.0fs visibility timeout: it was handed to another worker meanwhile "
            "(raise --visibility-timeout above the longest unit)",
            label,
            took,
            conf.jobscout_visibility_timeout,
        )
    if status == outcome.LOCKED:
        countdown = lock_retry_seconds(message, conf.jobscout_visibility_timeout)
        logger.info("unit %s: locked by another crawl; retrying in %.0fs", label, countdown)
        raise task.retry(countdown=countdown)
    log = logger.info if status in (outcome.OK, outcome.SKIPPED) else logger.warning
    log("unit %s: %s (pid %s)", label, status, pid)
    follow_unit(conf.jobscout_db_url, message["source"], status, started_at)
    return status


def follow_unit(db_url: str, source: str, status: str, started_at: datetime) -> None:
    """Watches and discovery after a unit, as the scheduler does after a crawl (crawler.after_crawl): what a unit
    stored is reported when the unit ends, not when the whole pass does."""
    from crawler.after_crawl import FOLLOWED, follow
    from storage.db import open_database

    if status not in FOLLOWED:
        return
    try:
        _, session_factory = open_database(db_url)
    except Exception:  # the unit is done either way; the next one's watches report what this one stored
        logger.exception("watches and discovery after %s: the database could not be opened", source)
        return
    follow(session_factory, source, status, started_at)


def run_unit(db_url: str, message: dict[str, Any], normalize_processes: int | None = None) -> tuple[str, int]:
    """Run the message's crawl as a child process until it ends or its timeout; (status, the child's pid)."""
    argv = unit_argv(db_url, message, normalize_processes)
    timeout = message.get("timeout")
    # Its own session: the worker's SIGTERM (finish, then stop) must not reach the crawl. Its output goes to the
    # worker's real stderr (file descriptor 2: Celery replaces sys.stderr with a logging proxy).
    process = subprocess.Popen(argv, stdout=2, stderr=2, start_new_session=True, preexec_fn=_die_with_parent)
    logger.info("unit %s %s: started (pid %s)", message["source"], message.get("unit") or "(all)", process.pid)
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        logger.warning("unit %s: exceeded its %ss timeout; stopping it", message.get("unit"), timeout)
        _terminate(process)
        _after_kill(db_url, message["source"], process.pid)
        return outcome.FAILED, process.pid
    if code < 0:
        _after_kill(db_url, message["source"], process.pid)
    return outcome.status_for_exit(code), process.pid


_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the worker dies (Linux), so no crawl outlives a killed worker."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _terminate(process: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, KILL_AFTER_TERM_S), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=wait)
            return
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def _after_kill(db_url: str, source: str, pid: int) -> None:
    """A killed crawl cannot release its locks or end its run: free them now, not at their expiry."""
    from storage.db import open_database
    from storage.liveness import mark_interrupted
    from storage.locks import release_pid

    try:
        _engine, sessions = open_database(db_url)
        release_pid(sessions, pid)
        with sessions.begin() as session:
            mark_interrupted(session, source)
    except Exception:  # the lock expires by itself; the run is marked by the next crawl of the source
        logger.exception("cleaning up after the killed crawl %s failed", pid)
