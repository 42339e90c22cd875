"""Database upkeep: pruning old postings and payloads (``jobscout db prune``) and table counts (``jobscout info``).

Functions take a ``Session`` owned by the caller (who commits).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage import models

#: Postings (or sources) per batch of :func:`prune_batches`: each batch is one short transaction, so a crawl waits
#: at most one batch for the write lock and the memory held is one batch of ids, whatever the database's size.
PRUNE_BATCH = 2000

#: The tables whose rows belong to a posting, deleted with it (children first: no reliance on ON DELETE CASCADE
#: being enforced by the connection).
POSTING_CHILDREN = (
    models.PostingSource,
    models.PostingChange,
    models.PostingSkill,
    models.PostingKey,
    models.PostingLocation,
    models.WatchHit,
)


def prune_batches(
    session: Session, closed_before: datetime | None, raw_older_than: datetime | None, batch: int = PRUNE_BATCH
) -> Iterator[dict[str, int]]:
    """:func:`prune` in batches of ``batch`` postings (then sources): yields each batch's counts after writing it,
    so the caller commits between batches (``jobscout db prune`` does). Batches are read in id order from where the
    previous one ended (keyset), so the memory held is one batch of ids and the rows the next batch reads do not
    depend on what was committed before."""
    if closed_before is not None:
        last = 0
        while True:
            ids = list(
                session.scalars(
                    select(models.Posting.id)
                    .where(
                        models.Posting.closed_at.is_not(None),
                        models.Posting.closed_at < closed_before,
                        models.Posting.id > last,
                    )
                    .order_by(models.Posting.id)
                    .limit(batch)
                )
            )
            if not ids:
                break
            last = ids[-1]
            for child in POSTING_CHILDREN:
                session.execute(delete(child).where(child.posting_id.in_(ids)))
            deleted = session.execute(delete(models.Posting).where(models.Posting.id.in_(ids))).rowcount
            yield {"postings_deleted": deleted, "payloads_dropped": 0}
    if raw_older_than is not None:
        ps = models.PostingSource
        last = 0
        while True:
            ids = list(
                session.scalars(
                    select(ps.id)
                    .where(ps.id > last, ps.payload_gz.is_not(None), ps.last_seen_at < raw_older_than)
                    .order_by(ps.id)
                    .limit(batch)
                )
            )
            if not ids:
                break
            last = ids[-1]
            dropped = session.execute(update(ps).where(ps.id.in_(ids)).values(payload_gz=None)).rowcount
            yield {"postings_deleted": 0, "payloads_dropped": dropped}


def prune(session: Session, closed_before: datetime | None, raw_older_than: datetime | None) -> dict[str, int]:
    """Delete postings closed before ``closed_before`` (their sources, changes, skills, keys, locations and watch
    hits go with them); drop the raw payloads of sources last seen before ``raw_older_than`` (``reprocess`` leaves
    those as they are). One transaction (the caller's); :func:`prune_batches` commits as it goes."""
    out = {"postings_deleted": 0, "payloads_dropped": 0}
    for step in prune_batches(session, closed_before, raw_older_than):
        for key, n in step.items():
            out[key] += n
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
