"""Filtered queries over stored postings (the filters of the DESIGN.md glossary)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, and_, exists, func, or_, select, true

from storage import models

SORTS = ("posted", "pay", "seen")


@dataclass(slots=True)
class PostingFilters:
    skills: list[str] = field(default_factory=list)  # all of
    any_skills: list[str] = field(default_factory=list)  # any of
    workplace: list[str] = field(default_factory=list)
    remote_regions: list[str] = field(default_factory=list)  # any of; "Worldwide" postings qualify too
    seniority: list[str] = field(default_factory=list)
    employment_type: list[str] = field(default_factory=list)
    min_pay: float | None = None  # annual, in `currency`: the range reaches it (annual_max >= min_pay)
    max_pay: float | None = None  # annual, in `currency`: annual_min <= max_pay
    currency: str = "USD"
    include_unknown_pay: bool = False
    company: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, any of the posting's locations
    city: str | None = None  # any of the posting's locations, case-insensitive
    source: list[str] = field(default_factory=list)
    visa: bool | None = None  # True: sponsorship stated; False: stated as unavailable
    search: str | None = None  # full-text search over title and description (storage/search.py)
    posted_since: datetime | None = None
    seen_since: datetime | None = None
    include_closed: bool = False
    all_roles: bool = False
    sort: str = "posted"

    def to_json(self) -> dict[str, Any]:
        """JSON-ready (saved searches store their filters)."""
        data = asdict(self)
        for key in ("posted_since", "seen_since"):
            if data[key] is not None:
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PostingFilters:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("posted_since", "seen_since"):
            if values.get(key):
                values[key] = datetime.fromisoformat(values[key])
        return cls(**values)


def _json_contains(column, fragment: str):
    """``column`` (a JSON list/object stored as text) contains ``fragment`` verbatim, case-insensitively.

    Portable across SQLite and PostgreSQL because both store what Python's json.dumps wrote (", " and ": ").
    """
    escaped = fragment.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(func.cast(column, Text)).like(f"%{escaped}%", escape="\\")


def build_select(f: PostingFilters, dialect: str = "sqlite") -> Select:
    """A ``select(Posting)`` with every filter applied, sorted by ``f.sort`` (newest or best-paid first)."""
    stmt = select(models.Posting)
    # Written exactly as the partial sort indexes of migration 0007 state their condition (closed_at IS NULL AND
    # is_backend = true), so the planners can read the default set in sorted order from them.
    if not f.include_closed:
        stmt = stmt.where(models.Posting.closed_at.is_(None))
    if not f.all_roles:
        stmt = stmt.where(models.Posting.is_backend == true())
    for name in f.skills:
        stmt = stmt.where(_has_skill([name]))
    if f.any_skills:
        stmt = stmt.where(_has_skill(f.any_skills))
    if f.workplace:
        stmt = stmt.where(models.Posting.workplace.in_(f.workplace))
    if f.remote_regions:
        regions = [*f.remote_regions, "Worldwide"]
        stmt = stmt.where(or_(*(_json_contains(models.Posting.remote_regions, f'"{r}"') for r in regions)))
    if f.seniority:
        stmt = stmt.where(models.Posting.seniority.in_(f.seniority))
    if f.employment_type:
        stmt = stmt.where(models.Posting.employment_type.in_(f.employment_type))
    pay_conditions = []
    if f.min_pay is not None:
        pay_conditions.append(models.Posting.pay_annual_max >= f.min_pay)
    if f.max_pay is not None:
        pay_conditions.append(models.Posting.pay_annual_min <= f.max_pay)
    if pay_conditions:
        known = and_(models.Posting.pay_currency == f.currency.upper(), *pay_conditions)
        if f.include_unknown_pay:
            unknown = models.Posting.pay_annual_max.is_(None) & models.Posting.pay_annual_min.is_(None)
            stmt = stmt.where(known | unknown)
        else:
            stmt = stmt.where(known)
    if f.company:
        from pipeline.company import company_key

        stmt = stmt.where(models.Posting.company_key == company_key(f.company))
    if f.country:
        stmt = stmt.where(_has_location(models.PostingLocation.country == f.country.upper()))
    if f.city:
        stmt = stmt.where(_has_location(models.PostingLocation.city_key == f.city.lower()))
    if f.source:
        stmt = stmt.where(models.Posting.source.in_(f.source))
    if f.visa is not None:
        stmt = stmt.where(models.Posting.visa_sponsorship.is_(f.visa))
    if f.posted_since is not None:
        stmt = stmt.where(models.Posting.posted_at >= f.posted_since)
    if f.seen_since is not None:
        stmt = stmt.where(models.Posting.last_seen_at >= f.seen_since)
    if f.search:
        from storage.search import apply_search

        stmt = apply_search(stmt, f.search, dialect)
    if f.sort == "pay":
        order = (models.Posting.pay_annual_max.desc().nulls_last(), models.Posting.id.desc())
    elif f.sort == "seen":
        order = (models.Posting.last_seen_at.desc(), models.Posting.id.desc())
    else:
        order = (models.Posting.posted_at.desc().nulls_last(), models.Posting.id.desc())
    return stmt.order_by(*order)


def _has_location(condition):
    """Any of the posting's locations (the narrow, indexed ``posting_locations`` rows) meets ``condition``."""
    return models.Posting.id.in_(select(models.PostingLocation.posting_id).where(condition))


def _has_skill(names: list[str]):
    lowered = [n.lower() for n in names]
    return exists(
        select(models.PostingSkill.posting_id)
        .join(models.Skill, models.Skill.id == models.PostingSkill.skill_id)
        .where(models.PostingSkill.posting_id == models.Posting.id, func.lower(models.Skill.name).in_(lowered))
    )
