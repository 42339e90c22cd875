"""The database reads the web app's routes share: counts, postings in schema v1, their changes, the stats and the
taxonomy's skill names. Each takes the caller's session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from crawler.web.search import Search
from pipeline.model import Posting, iso
from storage import models


def count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def to_posting(row: models.Posting) -> Posting:
    from storage.mapping import to_schema

    return to_schema(row)


def changes_of(session: Session, posting_id: int) -> list[models.PostingChange]:
    return list(
        session.scalars(
            select(models.PostingChange)
            .where(models.PostingChange.posting_id == posting_id)
            .order_by(models.PostingChange.changed_at, models.PostingChange.id)
        )
    )


def change_dict(c: models.PostingChange) -> dict[str, Any]:
    return {"field": c.field, "old": c.old, "new": c.new, "changed_at": iso(c.changed_at)}


def search_stats(session: Session, search: Search, top: int, weeks: int, rates=None):
    from storage.stats import compute_stats

    return compute_stats(session, search.filters, top=top, weeks=weeks, rates=rates)


def skill_names() -> list[str]:
    from pipeline.skills import load_taxonomy

    return sorted((s.name for s in load_taxonomy().skills), key=str.lower)
