"""Filtered queries over stored postings (the filters of the DESIGN.md glossary)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, exists, func, select

from storage import models


@dataclass(slots=True)
class PostingFilters:
    skills: list[str] = field(default_factory=list)  # all of
    any_skills: list[str] = field(default_factory=list)  # any of
    workplace: list[str] = field(default_factory=list)
    seniority: list[str] = field(default_factory=list)
    employment_type: list[str] = field(default_factory=list)
    min_pay: float | None = None  # annual, in `currency`: the range reaches it (annual_max >= min_pay)
    max_pay: float | None = None  # annual, in `currency`: annual_min <= max_pay
    currency: str = "USD"
    include_unknown_pay: bool = False
    company: str | None = None
    country: str | None = None
    source: list[str] = field(default_factory=list)
    posted_since: datetime | None = None
    seen_since: datetime | None = None
    include_closed: bool = False
    all_roles: bool = False


def build_select(f: PostingFilters) -> Select:
    """A ``select(Posting)`` with every filter applied (newest first)."""
    stmt = select(models.Posting)
    if not f.include_closed:
        stmt = stmt.where(models.Posting.closed_at.is_(None))
    if not f.all_roles:
        stmt = stmt.where(models.Posting.is_backend.is_(True))
    for name in f.skills:
        stmt = stmt.where(_has_skill([name]))
    if f.any_skills:
        stmt = stmt.where(_has_skill(f.any_skills))
    if f.workplace:
        stmt = stmt.where(models.Posting.workplace.in_(f.workplace))
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
            stmt = stmt.where(
                known | (models.Posting.pay_annual_max.is_(None) & models.Posting.pay_annual_min.is_(None))
            )
        else:
            stmt = stmt.where(known)
    if f.company:
        from pipeline.company import company_key

        stmt = stmt.where(models.Posting.company_key == company_key(f.company))
    if f.country:
        stmt = stmt.where(models.Posting.country == f.country.upper())
    if f.source:
        stmt = stmt.where(models.Posting.source.in_(f.source))
    if f.posted_since is not None:
        stmt = stmt.where(models.Posting.posted_at >= f.posted_since)
    if f.seen_since is not None:
        stmt = stmt.where(models.Posting.last_seen_at >= f.seen_since)
    return stmt.order_by(models.Posting.posted_at.desc().nulls_last(), models.Posting.id.desc())


def _has_skill(names: list[str]):
    lowered = [n.lower() for n in names]
    return exists(
        select(models.PostingSkill.posting_id)
        .join(models.Skill, models.Skill.id == models.PostingSkill.skill_id)
        .where(models.PostingSkill.posting_id == models.Posting.id, func.lower(models.Skill.name).in_(lowered))
    )
