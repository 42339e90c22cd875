"""What follows a crawl: the watches, and board discovery after an aggregator's crawl.

The scheduler runs both after each crawl it started (crawler.schedule) and a queue worker after each unit it ran
(crawler.queue), so watches and discovery follow crawls in both modes. Neither may take its caller down: a failure
is logged and the next crawl tries again. Watch runs are serialised across processes and hosts by a database lock
(storage.watches.exclusive).
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from crawler import outcome

logger = logging.getLogger("jobscout.after_crawl")

#: A crawl ending with one of these stored something worth reporting (a failed crawl stored nothing).
FOLLOWED = frozenset({outcome.OK, outcome.PARTIAL, outcome.DEGRADED, outcome.INTERRUPTED})


def run_watches(session_factory: sessionmaker[Session]) -> None:
    """Every watch: what is new goes out now; one log line per watch that found or still holds something."""
    from storage.watches import run_all

    dialect = session_factory.kw["bind"].dialect.name
    try:
        for result in run_all(session_factory, dialect, out=sys.stderr):
            if result.new or result.pay_changes or result.pending:
                log = logger.warning if result.pending else logger.info
                log(
                    "watch %r: %d new, %d pay changes, %d delivered, %d pending%s",
                    result.name,
                    result.new,
                    result.pay_changes,
                    result.delivered,
                    result.pending,
                    f" ({result.error})" if result.error else "",
                )
    except Exception:  # a watch must never take the scheduler or a worker down
        logger.exception("running the watches failed")


def run_discovery(session_factory: sessionmaker[Session], source: str, since: datetime) -> None:
    """After an aggregator's crawl (any source that is not an ATS platform): register the boards its postings
    link to, as unverified (crawler.discovery; ``jobscout boards check`` verifies them)."""
    from crawler.discovery import discover
    from crawler.registry import CRAWLED_PLATFORMS

    if source in CRAWLED_PLATFORMS:
        return
    try:
        with session_factory.begin() as session:
            found = discover(session, since=since, platforms=CRAWLED_PLATFORMS)
    except Exception:  # discovery must never take the scheduler or a worker down
        logger.exception("board discovery after %s failed", source)
        return
    if found.added:
        names = ", ".join(f"{ref.source}/{ref.token}" for ref, _ in found.added[:10])
        logger.info("discovery after %s: %d new boards (unverified): %s", source, len(found.added), names)


def follow(session_factory: sessionmaker[Session], source: str, status: str, started: datetime) -> None:
    """Watches and discovery after a crawl of ``source`` that began at ``started`` and ended ``status``."""
    if status not in FOLLOWED:
        return
    run_watches(session_factory)
    run_discovery(session_factory, source, started)
