"""Closing postings: a source closes by its own source's rules, a posting when all its sources are closed.

Functions take a ``Session`` owned by the caller (who commits). Reopening is the write path's job: a closed source
or posting seen again reopens in storage.ingest. Rules per source: docs/operations.md "Closing postings".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import models


def close_unseen(session: Session, source: str, board: str, seen_since: datetime, now: datetime) -> int:
    """Close the sources of a full-snapshot board that a complete crawl (started at ``seen_since``) no longer
    listed, and the postings left with no open source. Returns the number of postings closed."""
    stale = session.scalars(
        select(models.PostingSource).where(
            models.PostingSource.source == source,
            models.PostingSource.board == board,
            models.PostingSource.closed_at.is_(None),
            models.PostingSource.last_seen_at < seen_since,
        )
    ).all()
    return _close_sources(session, stale, now)


def close_windowed(session: Session, source: str, now: datetime, unseen_days: float) -> int:
    """Close the open sources of a windowed feed that expired (``valid_through`` passed) or went unseen for
    ``unseen_days``, and the postings left with no open source. Returns the number of postings closed."""
    cutoff = now - timedelta(days=unseen_days)
    stale = session.scalars(
        select(models.PostingSource).where(
            models.PostingSource.source == source,
            models.PostingSource.closed_at.is_(None),
            (models.PostingSource.last_seen_at < cutoff) | (models.PostingSource.valid_through < now),
        )
    ).all()
    return _close_sources(session, stale, now)


def _close_sources(session: Session, stale: Sequence[models.PostingSource], now: datetime) -> int:
    closed = 0
    for ps in stale:
        ps.closed_at = now
    session.flush()
    for ps in stale:
        row = ps.posting
        if row.closed_at is None and all(s.closed_at is not None for s in row.sources):
            row.closed_at = now
            closed += 1
    session.flush()
    return closed


def open_counts(
    session: Session, source: str, boards: Sequence[str], seen_before: datetime | None = None
) -> dict[str, int]:
    """Open sources per board of ``source`` (0 for a board with none), one grouped query per 500 boards. With
    ``seen_before``, only those not seen since then: what :func:`close_unseen` would close now."""
    ps = models.PostingSource
    counts = dict.fromkeys(boards, 0)
    wanted = list(counts)
    for start in range(0, len(wanted), 500):  # bounded IN lists (SQLite's variable limit)
        stmt = (
            select(ps.board, func.count())
            .where(ps.source == source, ps.board.in_(wanted[start : start + 500]), ps.closed_at.is_(None))
            .group_by(ps.board)
        )
        if seen_before is not None:
            stmt = stmt.where(ps.last_seen_at < seen_before)
        counts.update((board, n) for board, n in session.execute(stmt))
    return counts
