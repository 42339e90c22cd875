"""Database upkeep: pruning old postings and payloads (``jobscout db prune``) and table counts (``jobscout info``).

Functions take a ``Session`` owned by the caller (who commits).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage import models


def prune(session: Session, closed_before: datetime | None, raw_older_than: datetime | None) -> dict[str, int]:
    """Delete postings closed before ``closed_before`` (their sources, changes, skills and keys go with them);
    drop the raw payloads of sources last seen before ``raw_older_than`` (``reprocess`` leaves those as they are)."""
    out = {"postings_deleted": 0, "payloads_dropped": 0}
    if closed_before is not None:
        ids = select(models.Posting.id).where(
            models.Posting.closed_at.is_not(None), models.Posting.closed_at < closed_before
        )
        # Children first: no reliance on ON DELETE CASCADE being enforced by the connection.
        for child in (
            models.PostingSource,
            models.PostingChange,
            models.PostingSkill,
            models.PostingKey,
            models.PostingLocation,
        ):
            session.execute(delete(child).where(child.posting_id.in_(ids)))
        out["postings_deleted"] = session.execute(
            delete(models.Posting).where(
                models.Posting.closed_at.is_not(None), models.Posting.closed_at < closed_before
            )
        ).rowcount
    if raw_older_than is not None:
        out["payloads_dropped"] = session.execute(
            update(models.PostingSource)
            .where(models.PostingSource.payload_gz.is_not(None), models.PostingSource.last_seen_at < raw_older_than)
            .values(payload_gz=None)
        ).rowcount
    return out


def table_counts(session: Session) -> dict[str, int]:
    """Rows per main table, and open/closed/multi-source/backend posting counts."""
    counts = {}
    tables = (models.Posting, models.PostingSource, models.PostingChange, models.Skill, models.CrawlRun, models.Board)
    for model in tables:
        counts[model.__tablename__] = session.scalar(select(func.count()).select_from(model))
    counts["open_postings"] = session.scalar(
        select(func.count()).select_from(models.Posting).where(models.Posting.closed_at.is_(None))
    )
    counts["closed_postings"] = counts["postings"] - counts["open_postings"]
    counts["postings_with_several_sources"] = session.scalar(
        select(func.count()).select_from(
            select(models.PostingSource.posting_id)
            .group_by(models.PostingSource.posting_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    counts["open_backend_postings"] = session.scalar(
        select(func.count())
        .select_from(models.Posting)
        .where(models.Posting.closed_at.is_(None), models.Posting.is_backend.is_(True))
    )
    return counts
