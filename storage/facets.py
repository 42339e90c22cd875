"""Facet counts: how the postings a query selects split by skill, work mode, seniority, country, source and company
(what the search page of ``jobscout serve`` shows beside its results).

Every count is over :func:`storage.stats.filtered`, i.e. ``storage.query.build_select(filters)``: a filter added to
the query layer narrows the facets too. A posting with several locations counts once per country it names; a
posting with no value for a field counts under ``None``.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage import models
from storage.query import PostingFilters
from storage.stats import Count, count_postings, filtered, postings_per, top_skills

FACETS = ("skill", "workplace", "seniority", "country", "source", "company")


def facet_counts(
    session: Session, filters: PostingFilters, limit: int = 10, total: int | None = None
) -> dict[str, list[Count]]:
    """The ``limit`` largest values of every facet in :data:`FACETS`, most postings first (ties by value)."""
    total = count_postings(session, filters) if total is None else total
    return {
        "skill": top_skills(session, filters, limit, total),
        "workplace": _per_column(session, filters, "workplace", limit, total),
        "seniority": _per_column(session, filters, "seniority", limit, total),
        "country": _per_country(session, filters, limit, total),
        "source": postings_per(session, filters, "source", limit, total),
        "company": postings_per(session, filters, "company", limit, total),
    }


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def _per_column(session: Session, filters: PostingFilters, column: str, limit: int, total: int) -> list[Count]:
    fp = filtered(session, filters)
    n = func.count().label("n")
    key = fp.c[column]
    stmt = select(key, n).group_by(key).order_by(n.desc(), key.is_(None), key).limit(limit)
    return [Count(k, count, _share(count, total)) for k, count in session.execute(stmt)]


def _per_country(session: Session, filters: PostingFilters, limit: int, total: int) -> list[Count]:
    fp = filtered(session, filters)
    loc = models.PostingLocation
    n = func.count(func.distinct(loc.posting_id)).label("n")
    stmt = (
        select(loc.country, n)
        .join(fp, fp.c.id == loc.posting_id)
        .where(loc.country.is_not(None))
        .group_by(loc.country)
        .order_by(n.desc(), loc.country)
        .limit(limit)
    )
    return [Count(k, count, _share(count, total)) for k, count in session.execute(stmt)]
