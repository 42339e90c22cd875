"""The crawl's one database handle, shared by every Scrapy component of a crawler.

:func:`crawler.runner.run_crawl` opens the database once (schema brought up to date) and attaches it to the crawler
with :func:`attach`; the item pipelines and the run recorder take it with :func:`for_crawler` in their
``from_crawler``/``open_spider``. A crawler started another way (``scrapy crawl`` from a checkout, a test building
a crawler by hand) gets the database named by the ``JOBSCOUT_DB_URL`` setting, opened on first use and then shared
the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

_ATTRIBUTE = "jobscout_database"


@dataclass(frozen=True)
class CrawlDatabase:
    """An engine and its session factories: ``sessions`` for writers, ``read_sessions`` for readers that must not
    take SQLite's write lock."""

    engine: Engine
    sessions: sessionmaker[Session]

    @cached_property
    def read_sessions(self) -> sessionmaker[Session]:
        from storage.db import read_only_session_factory

        return read_only_session_factory(self.engine)


def open_crawl_database(url: str, settings=None) -> CrawlDatabase:
    """The database at ``url``, schema up to date; with ``settings``, its boards table synced as a command's first
    use does (:func:`crawler.boards.sync` with ``JOBSCOUT_REGISTRY_FILE`` and ``JOBSCOUT_BOARDS_FILES``)."""
    from storage.db import open_database

    engine, sessions = open_database(url)
    if settings is not None:
        from crawler.boards import sync

        sync(sessions, settings.get("JOBSCOUT_REGISTRY_FILE"), settings.getlist("JOBSCOUT_BOARDS_FILES"))
    return CrawlDatabase(engine, sessions)


def attach(crawler, database: CrawlDatabase) -> None:
    """Give ``crawler``'s components this database (before the crawl starts)."""
    setattr(crawler, _ATTRIBUTE, database)


def for_crawler(crawler) -> CrawlDatabase:
    """The database of ``crawler``: the attached one, else the ``JOBSCOUT_DB_URL`` setting's, opened once."""
    database = getattr(crawler, _ATTRIBUTE, None)
    if database is None:
        url = crawler.settings.get("JOBSCOUT_DB_URL")
        if not url:
            raise RuntimeError("no database for this crawl: set JOBSCOUT_DB_URL or attach one")
        if default_dir := crawler.settings.get("JOBSCOUT_DEFAULT_DATA_DIR"):
            Path(default_dir).mkdir(parents=True, exist_ok=True)  # only the default one (crawler.settings)
        database = open_crawl_database(url, crawler.settings)
        attach(crawler, database)
    return database


def error_line(exc: BaseException) -> str:
    """The first line of a database error's message (a driver's message runs to several lines), for a one-line log."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:300]
