"""Crawl runs (``crawl_runs``) and the per-source limits they obey (``source_limits``).

Functions take a ``Session`` owned by the caller (who commits).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import models
from storage.models import utcnow


def start_run(session: Session, source: str, boards: list[str], args: dict[str, Any]) -> models.CrawlRun:
    """A new ``running`` crawl run, flushed (so it has its id)."""
    run = models.CrawlRun(source=source, boards=boards, args=args, started_at=utcnow(), status="running")
    session.add(run)
    session.flush()
    return run


def recent_runs(session: Session, limit: int = 20, source: str | None = None) -> list[models.CrawlRun]:
    """The latest ``limit`` runs, newest first (of one source when given)."""
    stmt = select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(limit)
    if source:
        stmt = stmt.where(models.CrawlRun.source == source)
    return list(session.scalars(stmt))


def interval_wait(session: Session, source: str, now: datetime | None = None) -> tuple[float, str | None]:
    """Seconds until ``source`` may be fetched again under its minimum interval (0 when allowed now), and why.

    Every run that started counts as a fetch, whatever its outcome: the source saw the request either way.
    """
    limit = session.get(models.SourceLimit, source)
    if limit is None or limit.min_interval_seconds <= 0:
        return 0.0, None
    last = session.scalar(select(func.max(models.CrawlRun.started_at)).where(models.CrawlRun.source == source))
    if last is None:
        return 0.0, limit.reason
    wait = (last + timedelta(seconds=limit.min_interval_seconds) - (now or utcnow())).total_seconds()
    return max(0.0, wait), limit.reason


def previous_holds(session: Session, source: str, before_run: int, boards: list[str]) -> dict[str, dict[str, int]]:
    """The boards among ``boards`` whose latest earlier finished crawl held them back for a shrink, with the hold.

    Only the latest earlier run that read each board counts: a hold is confirmed by the very next crawl of the
    board, not by one weeks later after the board recovered in between."""
    wanted = set(boards)
    found: dict[str, dict[str, int]] = {}
    if not wanted:
        return found
    runs = session.execute(
        select(models.CrawlRun.board_counts, models.CrawlRun.board_holds)
        .where(
            models.CrawlRun.source == source,
            models.CrawlRun.id < before_run,
            models.CrawlRun.finished_at.is_not(None),
        )
        .order_by(models.CrawlRun.id.desc())
        .limit(200)
    )
    for counts, holds in runs:
        for board in list(wanted):
            if board in (holds or {}):
                found[board] = holds[board]
                wanted.discard(board)
            elif board in (counts or {}):
                wanted.discard(board)
        if not wanted:
            break
    return found
