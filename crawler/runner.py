"""Running crawls: the one library every entry point calls.

:func:`run_crawl` runs ONE crawl of one source in this process and owns everything around the spider: the
per-source minimum interval, the (source, board) lock, the Scrapy process, the database handle its components share
(:mod:`crawler.database`) and the ``crawl_runs`` row it reads back. ``jobscout crawl`` is a thin adapter over it;
``jobscout crawl all`` and the scheduler start one child ``jobscout crawl`` per crawl (Twisted's reactor runs once
per process) with :func:`child_argv` and read its exit code back with :func:`crawler.outcome.status_for_exit`.

The crawl path, from the command line to the database::

    jobscout crawl SOURCE            crawler/commands/crawl.py   parse options
      -> run_crawl()                 crawler/runner.py           open the database once, interval, lock
         -> CrawlerProcess           scrapy                      spider: requests -> RawPosting items
            -> item pipelines        crawler/pipelines.py        known payload -> normalize -> validate -> store
            -> CrawlRunRecorder      crawler/extensions.py       crawl_runs row: status, counts, closing
      <- CrawlOutcome                crawler/outcome.py          status -> exit code
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from crawler import outcome
from crawler.database import CrawlDatabase, attach, error_line, open_crawl_database
from crawler.outcome import CrawlOutcome


class CrawlError(ValueError):
    """A crawl that cannot start as asked (unknown source, missing boards, a bad spider argument): a user mistake."""


@dataclass(frozen=True, slots=True)
class Progress:
    """What a progress display is told after every posting."""

    source: str
    fetched: int
    dropped: int


def scrapy_settings(config, log_level: str = "WARNING", overrides: Mapping[str, Any] | None = None):
    """Scrapy settings from ``crawler.settings`` with a resolved :class:`crawler.config.Config` on top."""
    from scrapy.settings import Settings

    from crawler.config import user_agent

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("JOBSCOUT_DB_URL", config.db_url, priority="cmdline")
    settings.set("USER_AGENT", user_agent(config.contact), priority="cmdline")
    settings.set("JOBSCOUT_BOARDS_FILES", [str(p) for p in config.boards_files], priority="cmdline")
    settings.set("JOBSCOUT_REGISTRY_FILE", str(config.registry_file or ""), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def available_sources(settings) -> list[str]:
    from scrapy.spiderloader import SpiderLoader

    return sorted(SpiderLoader.from_settings(settings).list())


def spider_class(settings, source: str):
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(settings)
    try:
        return loader.load(source)
    except KeyError:
        raise CrawlError(f"unknown source {source!r}; available: {', '.join(sorted(loader.list()))}") from None


def active_tokens(database: CrawlDatabase, source: str) -> list[str]:
    """The tokens of ``source``'s active boards (the ``boards`` table)."""
    from storage.boards import active_boards

    with database.read_sessions() as session:
        return [board.token for board in active_boards(session, source)]


def why_not_crawlable(spidercls, database: CrawlDatabase) -> str | None:
    """Why ``crawl all`` passes a source by (it needs URLs, or boards and none is active); None if it can run."""
    if getattr(spidercls, "needs_urls", False):
        return "needs --urls or --sitemap"
    if getattr(spidercls, "needs_boards", False) and not active_tokens(database, spidercls.name):
        return "no active boards"
    return None


def run_crawl(
    settings,
    source: str,
    spider_args: Mapping[str, str] | None = None,
    *,
    unit: tuple[int, int] | None = None,
    wait_lock: bool = False,
    database: CrawlDatabase | None = None,
    progress: Callable[[Progress], None] | None = None,
    display: Callable[[], contextlib.AbstractContextManager] | None = None,
) -> CrawlOutcome:
    """Run one crawl of ``source`` in this process (once per process: Twisted's reactor cannot restart).

    ``spider_args`` are the spider's arguments (``boards``, ``base_url``, ...); without ``boards`` a platform source
    crawls its active boards, or with ``unit`` (K, U) those of unit K of U (:mod:`crawler.units`). Each board is
    locked on its own: boards another crawl is reading are left out and reported (``CrawlOutcome.busy``), and the
    crawl is ``locked`` only when every board is busy (``wait_lock`` waits for all of them instead). A feed locks
    the whole source. A source fetched too recently under its minimum interval is ``skipped``. Neither a skipped
    nor a locked crawl sends a request. ``progress`` is called after every posting, inside the context
    ``display()`` returns (a spinner, say). Raises :class:`CrawlError` for a crawl that cannot start as asked.
    """
    kwargs = dict(spider_args or {})
    spidercls = spider_class(settings, source)
    try:  # before the lock and Scrapy: a misspelt -a is refused, not ignored
        spidercls.check_arguments(kwargs)
    except ValueError as exc:
        raise CrawlError(str(exc)) from None
    database = database or open_crawl_database(settings.get("JOBSCOUT_DB_URL"), settings)
    boards = _boards_to_crawl(database, settings, source, spidercls, kwargs, unit)
    if isinstance(boards, CrawlOutcome):
        return boards
    lock_boards, settings = boards

    default_url = spidercls.default_base_url
    real_endpoint = (kwargs.get("base_url") or default_url).rstrip("/") == default_url
    if real_endpoint and (skipped := _interval_skip(database, source)) is not None:
        return skipped

    locked = _lock(database, settings, source, lock_boards, wait_lock)
    if isinstance(locked, CrawlOutcome):
        return locked
    lock, busy = locked
    if busy:
        kwargs["boards"] = ",".join(b for b in lock_boards if b not in set(busy))
    from crawler import normalizing

    pool = None
    try:
        # Before the heartbeat's thread: the normalize workers fork from a one-thread process (crawler.normalizing).
        pool = normalizing.start_for(settings)
        lock.keep_alive()
        _mark_dead_runs(database, source)
        crawler, failures = _run_scrapy(settings, source, kwargs, database, pool, progress, display)
    finally:
        if pool is not None:
            pool.close()
        _release(lock)
    result = _read_outcome(database, crawler, source, failures)
    return dataclasses.replace(result, busy=tuple(busy)) if busy else result


def _boards_to_crawl(database: CrawlDatabase, settings, source: str, spidercls, kwargs: dict, unit):
    """The boards the crawl locks and reads, and the settings it runs with; or the outcome of a unit with no
    boards. The ones asked for (``--boards``) as given; none asked for on a platform source: its active boards in
    the boards table (those of ``unit`` K of U), read once, here; none on a feed: the whole source (lock ``*``)."""
    lock_boards = [b.strip() for b in kwargs.get("boards", "").split(",") if b.strip()]
    needs_boards = getattr(spidercls, "needs_boards", False)
    if unit is not None and (lock_boards or not needs_boards):
        raise CrawlError(f"--unit is for a platform source's registry boards, not with --boards or {source}")
    if not needs_boards or lock_boards:
        return lock_boards, settings
    registered = active_tokens(database, source)
    if not registered:
        raise CrawlError(
            f"{source} has no active boards: pass --boards TOKEN[,TOKEN...] or add some (jobscout boards add)"
        )
    if unit is not None:
        from crawler.units import boards_of_unit

        registered = boards_of_unit(source, registered, *unit)
        settings = settings.copy()
        settings.set("JOBSCOUT_UNIT", f"{unit[0]}/{unit[1]}", priority="cmdline")
        if not registered:
            return CrawlOutcome(source, outcome.SKIPPED, reason=f"unit {unit[0]}/{unit[1]} has no active boards")
    kwargs["boards"] = ",".join(registered)  # the spider gets them as if asked for them
    return registered, settings


def _lock(database: CrawlDatabase, settings, source: str, boards: list[str], wait: bool):
    """(the lock, the boards left out because another crawl holds them), or the ``locked`` outcome: each board on
    its own unless ``wait`` (then all of them, waiting); no boards is the whole source."""
    from storage.locks import LockBusy, acquire, acquire_available

    ttl = settings.getfloat("JOBSCOUT_LOCK_TTL_SECONDS", 300)
    busy: list[str] = []
    try:
        if boards and not wait:
            lock, busy = acquire_available(database.sessions, source, boards, owner="crawl", ttl=ttl)
            if lock is None:
                raise LockBusy(source, busy[0], _holder(database, source, busy[0]))
        else:
            lock = acquire(database.sessions, source, boards, owner="crawl", wait=wait, ttl=ttl)
    except LockBusy as exc:
        what = f"{exc}" if len(boards) <= 1 else f"every board is being crawled by another run ({exc})"
        return CrawlOutcome(source, outcome.LOCKED, reason=what)
    return lock, busy  # its heartbeat starts once the normalize workers are forked (run_crawl)


def _run_scrapy(settings, source: str, kwargs: dict, database: CrawlDatabase, pool, progress, display):
    """Run the spider to its end in this process, normalizing in ``pool`` (crawler.normalizing.start_for); (the
    crawler, the errors that stopped it from starting)."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler import normalizing

    process = CrawlerProcess(settings)
    crawler = process.create_crawler(source)
    attach(crawler, database)
    normalizing.attach(crawler, pool)
    counts = {"fetched": 0, "dropped": 0}

    def on_item(*_args, dropped: bool = False, **_kw) -> None:
        counts["fetched"] += 1
        counts["dropped"] += dropped
        if progress is not None:
            progress(Progress(source, counts["fetched"], counts["dropped"]))

    crawler.signals.connect(on_item, signal=signals.item_scraped, weak=False)
    crawler.signals.connect(lambda *a, **kw: on_item(dropped=True), signal=signals.item_dropped, weak=False)
    failures: list[BaseException] = []
    deferred = process.crawl(crawler, **kwargs)
    deferred.addErrback(lambda failure: failures.append(failure.value))
    freeze_heap()  # after process.crawl: Scrapy's engine is built
    with display() if display is not None else contextlib.nullcontext():
        process.start()
    return crawler, failures


def freeze_heap() -> None:
    """Take every object alive now out of the garbage collector's reach (``gc.freeze``): the imported modules,
    Scrapy's, SQLAlchemy's and the parsers' structures live as long as the crawl process, and without this every
    full collection walks all of them again, a few times per thousand postings (~0.1 ms of the crawl process's
    CPU per posting on bench/bench_ingest.py's board). A crawl process runs one crawl, so what is frozen and later
    dropped is only held until it exits."""
    import gc

    gc.freeze()


def _holder(database: CrawlDatabase, source: str, board: str):
    from storage import models

    with database.sessions() as session:
        return session.get(models.CrawlLock, (source, board))


def _release(lock) -> None:
    """Release the crawl's lock; when the database cannot take the write (a full disk), say so in one line: the
    lock expires after its TTL, and a crawl on this host takes it over at once (storage.liveness)."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    try:
        lock.release()
    except (SQLAlchemyError, OSError) as exc:
        logging.getLogger(__name__).error("cannot release the crawl lock (it expires by itself): %s", error_line(exc))


def _mark_dead_runs(database: CrawlDatabase, source: str) -> None:
    """Earlier runs of this source whose process died become ``interrupted`` (we hold the source's lock now)."""
    from storage.liveness import mark_interrupted

    with database.sessions.begin() as session:
        mark_interrupted(session, source)


def _interval_skip(database: CrawlDatabase, source: str) -> CrawlOutcome | None:
    from storage.models import utcnow
    from storage.runs import interval_wait

    with database.sessions() as session:
        wait, reason = interval_wait(session, source)
    if wait <= 0:
        return None
    next_at = (utcnow() + timedelta(seconds=wait)).replace(microsecond=0).isoformat()
    why = f"fetched too recently ({reason}); next fetch allowed at {next_at}"
    return CrawlOutcome(source, outcome.SKIPPED, reason=why)


def _read_outcome(database: CrawlDatabase, crawler, source: str, failures: list[BaseException]) -> CrawlOutcome:
    from crawler.spiders.base import SpiderArgumentError

    if failures:
        error = failures[0]
        if isinstance(error, SpiderArgumentError | TypeError | ValueError):
            raise CrawlError(f"{source}: {error}")
        raise error
    run_id = crawler.stats.get_value("jobscout/run_id")
    if run_id is None:
        raise CrawlError(f"{source}: the crawl did not start (see the log above)")
    return outcome_of_run(database, source, run_id)


def outcome_of_run(database: CrawlDatabase, source: str, run_id: int) -> CrawlOutcome:
    """The outcome a finished crawl's ``crawl_runs`` row records."""
    from storage import models

    with database.sessions() as session:
        run = session.get(models.CrawlRun, run_id)
        if run.status == outcome.RUNNING:
            # The recorder could not write the run's end (a full disk, a lost database): nothing was closed, and
            # the row becomes ``interrupted`` once this process is gone (storage.liveness).
            why = "the crawl could not record its end (see the log); nothing was closed"
            return CrawlOutcome(source, outcome.FAILED, run_id=run.id, reason=why)
        return CrawlOutcome(source, run.status, run_id=run.id, reason=run.status_reason)


def child_argv(
    db_url: str,
    source: str,
    *,
    boards: str | None = None,
    unit: str | None = None,
    base_url: str | None = None,
    urls: str | None = None,
    sitemap: str | None = None,
    spider_args: list[str] | tuple[str, ...] = (),
    settings: list[str] | tuple[str, ...] = (),
    verbose: bool = False,
    wait_lock: bool = False,
) -> list[str]:
    """The command line of a child crawl: exactly what a user would type (``crawl all`` and the scheduler)."""
    import sys

    argv = [sys.executable, "-m", "crawler.cli", "--db", db_url, "crawl", source]
    options = {"--boards": boards, "--unit": unit, "--base-url": base_url, "--urls": urls, "--sitemap": sitemap}
    for name, value in options.items():
        if value:
            argv += [name, str(value)]
    for item in spider_args:
        argv += ["-a", item]
    for item in settings:
        argv += ["-s", item]
    if verbose:
        argv.append("-v")
    if wait_lock:
        argv.append("--wait")
    return argv
