"""Aggregate statistics over the postings a query selects (``jobscout stats``).

Every function takes a ``Session`` and the same :class:`storage.query.PostingFilters` that ``jobscout query``
uses: the filtered set is ``storage.query.build_select(filters)`` turned into a subquery of the columns a statistic
needs, so a filter added to the query is a filter of the statistics too. Everything is SQL (SQLAlchemy
``select()``) that runs on SQLite and PostgreSQL; only the week of a date differs per dialect.

Pay figures
    One number per posting: its *annualized* primary pay (``pay_annual_min``/``pay_annual_max``), the midpoint of
    the range when both bounds are known, else the one bound stated ("up to $90k" counts as 90k, "from $120k" as
    120k). Postings stating no pay are left out. Figures are never converted between currencies: every pay
    statistic is per currency. Base and OTE ranges are counted alike (the primary range, as stored).

Percentiles
    p25/p50/p75 with linear interpolation between the two nearest ranks, like PostgreSQL's ``percentile_cont``
    (position ``p * (n - 1)`` in the sorted values). The default (``method="counts"``) has the database count the
    postings of each distinct pay per group (``GROUP BY group, currency, pay``) and finds the positions in those
    counts: pays repeat (round figures, one range for many postings), so Python sees far fewer rows than postings,
    and at 1M postings this is several times cheaper than sorting every value in window functions.
    ``method="window"`` numbers each group's sorted values with ``row_number()`` and ``count()`` window functions
    and returns only the (at most six) rows around the three positions; ``method="stream"`` reads each group's
    sorted values as a stream (memory: one group's counters, not its values); ``method="percentile_cont"`` uses
    PostgreSQL's ordered-set aggregate (PostgreSQL only). All four give the same figures; ``bench/bench_query.py``
    times them.

:func:`compute_stats` copies the filtered rows' few columns into a temporary table first (:func:`materialized`):
on 100k postings that is several times faster than filtering the wide ``postings`` rows once per aggregate. Their
skill pairs are read from ``posting_skills`` by posting id (``posting_id IN (the copy's ids)``: one primary-key
range per posting), not copied: at 1M postings the copy of 1.6M pairs was a third of the work (docs/scale.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    FromClause,
    Integer,
    MetaData,
    Subquery,
    Table,
    and_,
    case,
    cast,
    exists,
    func,
    insert,
    literal_column,
    null,
    or_,
    select,
    text,
    true,
)
from sqlalchemy import Date as SADate
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage import models
from storage.fx import Rates
from storage.query import PostingFilters, build_select, resolve_skills

PERCENTILES = (0.25, 0.5, 0.75)
PAY_GROUPS = ("skill", "seniority", "workplace")
PERCENTILE_METHODS = ("counts", "window", "stream", "percentile_cont")
TEMP_TABLE = "jobscout_stats_base"


# --- result types --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Count:
    key: str | None
    postings: int
    share: float  # of the filtered postings


@dataclass(slots=True)
class PayStats:
    group: str | None  # the skill, seniority or workplace (None: not stated; "all" rows use None too)
    currency: str
    postings: int  # postings of the group stating a pay in this currency
    p25: float
    p50: float
    p75: float


@dataclass(slots=True)
class Week:
    week: str  # Monday of the ISO week, YYYY-MM-DD (UTC)
    postings: int  # postings dated that week (posted date, else first seen: :func:`posting_date`)
    with_skill: int | None = None
    share: float | None = None


@dataclass(slots=True)
class Stats:
    total: int
    top_skills: list[Count] = field(default_factory=list)
    pay: list[PayStats] = field(default_factory=list)  # per currency, all postings
    pay_by: dict[str, list[PayStats]] = field(default_factory=dict)  # "skill" | "seniority" | "workplace" -> rows
    sources: list[Count] = field(default_factory=list)
    companies: list[Count] = field(default_factory=list)
    weekly: list[Week] = field(default_factory=list)
    skill_trend: dict[str, Any] | None = None  # {"skill": name, "weeks": [Week, ...]}
    growth: dict[str, Any] | None = None  # {"days": n, "recent": total, "previous": total, "skills": [Growth],
    #                                        "refused": why, when the baseline window holds too few postings}
    undated: int = 0  # postings without a posted date: the weekly series and growth date them by first sighting

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- the filtered set ----------------------------------------------------------------------------------------
STATS_COLUMNS = (
    "id",
    "source",
    "company_key",
    "company",
    "pay_currency",
    "pay_annual_min",
    "pay_annual_max",
    "seniority",
    "workplace",
    "first_seen_at",
    "posted_at",
)


@dataclass(slots=True)
class Materialized:
    """The filtered postings (``STATS_COLUMNS``) in a temporary table."""

    postings: Table


# What the statistics read: the filters (each statistic filters again), or the filtered rows materialized once.
Base = PostingFilters | Materialized


def filtered(
    session: Session, filters: PostingFilters, name: str = "filtered", rates: Rates | None = None
) -> Subquery:
    """The postings ``filters`` select (``build_select``, unsorted), as a subquery of the columns statistics read
    (``STATS_COLUMNS``)."""
    dialect = session.get_bind().dialect.name
    stmt = build_select(filters, dialect, rates=rates, skills=resolve_skills(session, filters)).order_by(None)
    return stmt.with_only_columns(*(models.Posting.__table__.c[c] for c in STATS_COLUMNS)).subquery(name)


def _base(session: Session, base: Base) -> FromClause:
    return filtered(session, base) if isinstance(base, PostingFilters) else base.postings


def _pairs_of(base: Materialized) -> ColumnElement[bool]:
    """``posting_skills`` rows of the materialized postings. ``IN``, not a join: SQLite then reads each posting's
    pairs from the (posting_id, skill_id) primary key (0.1 s of CPU for 1.6M pairs at 1M postings); joined, it
    scanned every pair of the database in skill order and probed the copy for each (1.3 s)."""
    return models.PostingSkill.__table__.c.posting_id.in_(select(base.postings.c.id))


def _pairs_per_posting(fp: FromClause) -> FromClause:
    """PostgreSQL: the (posting_id, skill_id) pairs of each row of ``fp`` (the materialized postings), one lateral
    primary-key probe per posting; OFFSET 0 keeps the planner from flattening it into a join, which it ran as a hash
    of the copy's ids against all of ``posting_skills``: at 1M postings counting the top skills took 3.9 s that
    way and 1.5 s this way (EXPLAIN ANALYZE, docs/scale.md)."""
    ps = models.PostingSkill.__table__
    return select(ps.c.posting_id, ps.c.skill_id).where(ps.c.posting_id == fp.c.id).offset(0).lateral("pairs")


@contextmanager
def materialized(session: Session, filters: PostingFilters, rates: Rates | None = None) -> Iterator[Materialized]:
    """The filtered postings' ``STATS_COLUMNS`` copied once into a temporary table (SQLite and PostgreSQL), so that
    the dozen aggregates of :func:`compute_stats` read narrow rows instead of filtering the wide ``postings`` rows
    (descriptions inline) a dozen times. Dropped on exit."""
    source = models.Posting.__table__
    columns = [Column(c, source.c[c].type, primary_key=c == "id") for c in STATS_COLUMNS]
    postings = Table(TEMP_TABLE, MetaData(), *columns, prefixes=["TEMPORARY"])
    conn = session.connection()
    # Left over by an interrupted run on this connection (the pairs table: by an older version).
    for name in (TEMP_TABLE, TEMP_TABLE + "_skills"):
        conn.execute(text(f"DROP TABLE IF EXISTS {name}"))
    postings.create(conn)
    try:
        conn.execute(
            insert(postings).from_select(list(STATS_COLUMNS), select(filtered(session, filters, rates=rates)))
        )
        if conn.dialect.name == "postgresql":  # no statistics on a fresh temporary table: bad join plans
            conn.execute(text(f"ANALYZE {postings.name}"))
            # Compiling the aggregates over 238k rows (1M postings) cost more than it saved: 0.3 s of JIT for one
            # query, 0.6 s in all. For this transaction only.
            conn.execute(text("SET LOCAL jit = off"))
        yield Materialized(postings)
    finally:
        postings.drop(conn)


def annual_pay(min_col: ColumnElement[Any], max_col: ColumnElement[Any]) -> ColumnElement[Any]:
    """One annual figure per posting: the midpoint when both bounds are known, else the bound stated."""
    return func.coalesce((min_col + max_col) / 2.0, max_col, min_col)


def count_postings(session: Session, filters: Base) -> int:
    fp = _base(session, filters)
    return session.scalar(select(func.count()).select_from(fp)) or 0


def _share(n: int, total: int) -> float:
    return round(n / total, 4) if total else 0.0


def top_skills(session: Session, filters: Base, limit: int | None = 20, total: int | None = None) -> list[Count]:
    """The skills most often asked for, with the share of the filtered postings asking for each."""
    total = count_postings(session, filters) if total is None else total
    ps = models.PostingSkill.__table__
    n = func.count().label("n")
    if isinstance(filters, Materialized) and session.get_bind().dialect.name == "sqlite":
        return _top_skills_sqlite(session, filters, limit, total)
    # Counted per skill id, names joined to the counts (skill names are unique).
    counts = select(ps.c.skill_id, n)
    if isinstance(filters, PostingFilters):
        fp = _base(session, filters)
        counts = counts.join(fp, fp.c.id == ps.c.posting_id)
    else:
        ps = _pairs_per_posting(filters.postings)
        counts = select(ps.c.skill_id, n).select_from(filters.postings).join(ps, true())
    return _named_counts(session, counts.group_by(ps.c.skill_id).subquery("counts"), limit, total)


def _named_counts(session: Session, counts: Any, limit: int | None, total: int) -> list[Count]:
    """The skills of ``counts`` (columns ``skill_id``, ``n``) by name, most postings first."""
    stmt = (
        select(models.Skill.name, counts.c.n)
        .join(counts, counts.c.skill_id == models.Skill.id)
        .order_by(counts.c.n.desc(), models.Skill.name)
        .limit(limit)
    )
    return [Count(name, count, _share(count, total)) for name, count in session.execute(stmt)]


def _top_skills_sqlite(session: Session, base: Materialized, limit: int | None, total: int) -> list[Count]:
    """:func:`top_skills` of materialized postings on SQLite, counted into a temporary table of one row per skill
    as the primary key streams the pairs (an upsert per pair). SQLite groups by sorting the rows in a temporary
    B-tree: at 1M postings 1.9 s of CPU for the 1.6M pairs of the open backend postings, against 0.4 s here."""
    ps = models.PostingSkill.__table__
    counts = Table(
        TEMP_TABLE + "_skill_counts",
        MetaData(),
        Column("skill_id", Integer, primary_key=True),
        Column("n", Integer, nullable=False),
        prefixes=["TEMPORARY"],
    )
    conn = session.connection()
    conn.execute(text(f"DROP TABLE IF EXISTS {counts.name}"))
    counts.create(conn)
    try:
        one = select(ps.c.skill_id, literal_column("1")).where(_pairs_of(base))
        upsert = sqlite_insert(counts).from_select(["skill_id", "n"], one)
        conn.execute(upsert.on_conflict_do_update(index_elements=["skill_id"], set_={"n": counts.c.n + 1}))
        return _named_counts(session, counts, limit, total)
    finally:
        counts.drop(conn)


def postings_per(
    session: Session, filters: Base, by: str, limit: int | None = 20, total: int | None = None
) -> list[Count]:
    """Postings per ``source`` (the canonical one) or per ``company`` (matched on the normalized name, shown by
    its display name: :func:`display_name`)."""
    total = count_postings(session, filters) if total is None else total
    fp = _base(session, filters)
    if by not in ("source", "company"):
        raise ValueError(f"postings_per: by must be 'source' or 'company', not {by!r}")
    # '' for a posting without a company (a literal, not a bound parameter: PostgreSQL must see GROUP BY's
    # expression and the selected one as the same).
    company = func.coalesce(fp.c.company_key, literal_column("''"))
    key = fp.c.source if by == "source" else company
    n = func.count().label("n")
    stmt = select(key.label("key"), n).select_from(fp).group_by(key).order_by(n.desc(), key)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = session.execute(stmt).all()
    if by == "source":
        return [Count(k, count, _share(count, total)) for k, count in rows]
    names: dict[str, list[tuple[str, int]]] = {}
    keys = [k for k, _ in rows]
    if keys:
        spelled = (
            select(company, fp.c.company, func.count())
            .select_from(fp)
            .where(company.in_(keys))
            .group_by(company, fp.c.company)
        )
        for k, name, count in session.execute(spelled):
            if name:
                names.setdefault(k, []).append((name, count))
    return [Count(display_name(names.get(k, [])) or None, count, _share(count, total)) for k, count in rows]


def display_name(spellings: Sequence[tuple[str, int]]) -> str | None:
    """The name to show for a company from the ways its postings spell it, with how many use each: a written
    name ("Stripe", "Acme Corp") over a board token ("stripe", "acme-corp": all lower case, no space), then the most
    used, then the shortest. Sources without a company name store the board token; a name from another source
    of the same company, when there is one, reads better."""
    if not spellings:
        return None

    def token_like(name: str) -> bool:
        return name == name.lower() and " " not in name

    return min(spellings, key=lambda s: (token_like(s[0]), -s[1], len(s[0]), s[0]))[0]


# --- pay percentiles -----------------------------------------------------------------------------------------
def pay_percentiles(
    session: Session,
    filters: Base,
    by: str | None = None,
    method: str = "counts",
    only: Sequence[str] | None = None,
) -> list[PayStats]:
    """p25/p50/p75 of annualized pay per currency, and per ``by`` group (``skill``, ``seniority``, ``workplace``)
    when given; ``only`` restricts the skills (by name). Sorted by currency, then by the number of postings (most
    first)."""
    if by not in (None, *PAY_GROUPS):
        raise ValueError(f"pay_percentiles: by must be one of {PAY_GROUPS}, not {by!r}")
    if method not in PERCENTILE_METHODS:
        raise ValueError(f"pay_percentiles: method must be one of {PERCENTILE_METHODS}, not {method!r}")
    fp = _base(session, filters)
    pay = annual_pay(fp.c.pay_annual_min, fp.c.pay_annual_max).label("pay")
    if by == "skill":
        ps = models.PostingSkill.__table__
        group = models.Skill.name
        base = (
            select(group.label("grp"), fp.c.pay_currency.label("currency"), pay)
            .select_from(fp)
            .join(ps, ps.c.posting_id == fp.c.id)
            .join(models.Skill, models.Skill.id == ps.c.skill_id)
        )
        if only is not None:
            base = base.where(models.Skill.name.in_(list(only)))
    else:
        group = fp.c[by] if by else null()
        base = select(group.label("grp"), fp.c.pay_currency.label("currency"), pay).select_from(fp)
    base = base.where(
        fp.c.pay_currency.is_not(None), or_(fp.c.pay_annual_min.is_not(None), fp.c.pay_annual_max.is_not(None))
    )
    if method == "counts":
        rows = _percentiles_counts(session, base.subquery("paid"))
    elif method == "window":
        rows = _percentiles_window(session, base.subquery("paid"))
    elif method == "stream":
        rows = _percentiles_stream(session, base.subquery("paid"))
    else:
        rows = _percentiles_cont(session, base.subquery("paid"))
    rows.sort(key=lambda r: (r.currency, -r.postings, r.group is None, r.group or ""))
    return rows


def interpolate(values_at: dict[int, float], n: int, p: float) -> float:
    """``percentile_cont``: the value at 0-based position ``p * (n - 1)``, interpolated between its neighbours."""
    pos = p * (n - 1)
    lo = int(pos)
    frac = pos - lo
    low = values_at[lo]
    if frac == 0 or lo + 1 >= n:
        return round(low, 2)
    return round(low + (values_at[lo + 1] - low) * frac, 2)


def _positions(n: int) -> set[int]:
    out: set[int] = set()
    for p in PERCENTILES:
        lo = int(p * (n - 1))
        out.update({lo, min(lo + 1, n - 1)})
    return out


def percentiles_of_counts(grp: Any, currency: str, counts: dict[float, int]) -> PayStats:
    """p25/p50/p75 of a group from how many postings state each pay (``{pay: postings}``): the value at a 0-based
    position is the pay whose run of equal values covers it in ascending order."""
    n = sum(counts.values())
    wanted = sorted(_positions(n))
    values: dict[int, float] = {}
    covered = 0  # positions [0, covered) are the pays seen so far
    i = 0
    for pay in sorted(counts):
        covered += counts[pay]
        while i < len(wanted) and wanted[i] < covered:
            values[wanted[i]] = float(pay)
            i += 1
    return _stats(grp, currency, n, values)


def _percentiles_counts(session: Session, paid: Subquery) -> list[PayStats]:
    stmt = select(paid.c.grp, paid.c.currency, paid.c.pay, func.count()).group_by(
        paid.c.grp, paid.c.currency, paid.c.pay
    )
    groups: dict[tuple[Any, str], dict[float, int]] = {}
    for grp, currency, pay, count in session.execute(stmt):
        groups.setdefault((grp, currency), {})[float(pay)] = count
    return [percentiles_of_counts(grp, currency, counts) for (grp, currency), counts in groups.items()]


def _pay_by_columns(session: Session, base: Base, groups: Sequence[str | None]) -> dict[str | None, list[PayStats]]:
    """:func:`pay_percentiles` (``method="counts"``) for several groupings by a column of the postings (None: all
    postings) in one pass: the postings are counted per (currency, pay, every grouping column) once, and each
    grouping's counts are summed from those."""
    fp = _base(session, base)
    columns = [c for c in groups if c is not None]
    pay = annual_pay(fp.c.pay_annual_min, fp.c.pay_annual_max).label("pay")
    keys = [fp.c.pay_currency, pay, *(fp.c[c] for c in columns)]
    stmt = (
        select(*keys, func.count())
        .where(
            fp.c.pay_currency.is_not(None),
            or_(fp.c.pay_annual_min.is_not(None), fp.c.pay_annual_max.is_not(None)),
        )
        .group_by(*keys)
    )
    per: dict[str | None, dict[tuple[Any, str], dict[float, int]]] = {g: {} for g in groups}
    for currency, value, *rest in session.execute(stmt):
        count, value = rest[-1], float(value)
        for g in groups:
            grp = None if g is None else rest[columns.index(g)]
            counts = per[g].setdefault((grp, currency), {})
            counts[value] = counts.get(value, 0) + count
    out = {}
    for g, groups_counts in per.items():
        rows = [percentiles_of_counts(grp, currency, counts) for (grp, currency), counts in groups_counts.items()]
        rows.sort(key=lambda r: (r.currency, -r.postings, r.group is None, r.group or ""))
        out[g] = rows
    return out


def _percentiles_window(session: Session, paid: Subquery) -> list[PayStats]:
    partition = (paid.c.grp, paid.c.currency)
    ranked = select(
        paid.c.grp,
        paid.c.currency,
        paid.c.pay,
        (func.row_number().over(partition_by=partition, order_by=paid.c.pay) - 1).label("pos"),
        func.count().over(partition_by=partition).label("n"),
    ).subquery("ranked")
    # The 0-based positions around p * (n - 1) for p = 1/4, 1/2, 3/4, in integer arithmetic (floor on both
    # backends: the operands are non-negative integers).
    pos, last = ranked.c.pos, ranked.c.n - 1
    near = or_(*(and_(pos >= lo, pos <= lo + 1) for lo in (last // 4, last // 2, (last * 3) // 4)))
    stmt = select(ranked.c.grp, ranked.c.currency, ranked.c.n, ranked.c.pos, ranked.c.pay).where(near)
    groups: dict[tuple[Any, str], tuple[int, dict[int, float]]] = {}
    for grp, currency, n, position, value in session.execute(stmt):
        groups.setdefault((grp, currency), (n, {}))[1][position] = float(value)
    return [_stats(grp, currency, n, values) for (grp, currency), (n, values) in groups.items()]


def _percentiles_stream(session: Session, paid: Subquery) -> list[PayStats]:
    sizes = {
        (grp, currency): n
        for grp, currency, n in session.execute(
            select(paid.c.grp, paid.c.currency, func.count()).group_by(paid.c.grp, paid.c.currency)
        )
    }
    stmt = select(paid.c.grp, paid.c.currency, paid.c.pay).order_by(paid.c.grp, paid.c.currency, paid.c.pay)
    out: list[PayStats] = []
    key: tuple[Any, str] | None = None
    wanted: set[int] = set()
    values: dict[int, float] = {}
    index = 0
    for grp, currency, value in session.execute(stmt.execution_options(yield_per=5000)):
        if (grp, currency) != key:
            if key is not None:
                out.append(_stats(key[0], key[1], sizes[key], values))
            key, index, values = (grp, currency), 0, {}
            wanted = _positions(sizes[key])
        if index in wanted:
            values[index] = float(value)
        index += 1
    if key is not None:
        out.append(_stats(key[0], key[1], sizes[key], values))
    return out


def _percentiles_cont(session: Session, paid: Subquery) -> list[PayStats]:
    if session.get_bind().dialect.name != "postgresql":
        raise ValueError("percentile_cont needs PostgreSQL")
    stmt = select(
        paid.c.grp,
        paid.c.currency,
        func.count(),
        *(func.percentile_cont(p).within_group(paid.c.pay) for p in PERCENTILES),
    ).group_by(paid.c.grp, paid.c.currency)
    return [
        PayStats(grp, currency, n, round(p25, 2), round(p50, 2), round(p75, 2))
        for grp, currency, n, p25, p50, p75 in session.execute(stmt)
    ]


def _stats(grp: Any, currency: str, n: int, values: dict[int, float]) -> PayStats:
    p25, p50, p75 = (interpolate(values, n, p) for p in PERCENTILES)
    return PayStats(grp, currency, n, p25, p50, p75)


# --- weeks ---------------------------------------------------------------------------------------------------
def week_start(session: Session, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """The Monday (UTC) of the week of a stored UTC datetime."""
    if session.get_bind().dialect.name == "sqlite":
        # SQLite stores naive UTC text; 'weekday 1' moves forward to a Monday, so step back 6 days first.
        return func.date(column, "-6 days", "weekday 1")
    return cast(func.date_trunc("week", column), SADate)


def _iso(value: date | datetime | str) -> str:
    return value if isinstance(value, str) else value.isoformat()[:10]


def posting_date(fp: FromClause) -> ColumnElement[Any]:
    """When a posting appeared: its posted date when the source states one, else when jobscout first saw it. First
    sightings alone bunch a whole board into the week of its first crawl; posted dates spread it over the weeks the
    jobs were really published."""
    return func.coalesce(fp.c.posted_at, fp.c.first_seen_at)


def count_undated(session: Session, filters: Base) -> int:
    """How many of the postings have no posted date (dated by their first sighting instead)."""
    fp = _base(session, filters)
    return session.scalar(select(func.count()).select_from(fp).where(fp.c.posted_at.is_(None))) or 0


def weekly_new(session: Session, filters: Base, weeks: int | None = None) -> list[Week]:
    """Postings per week of their :func:`posting_date` (oldest first); the last ``weeks`` weeks that have any when
    given."""
    fp = _base(session, filters)
    wk = week_start(session, posting_date(fp)).label("week")
    stmt = select(wk, func.count()).select_from(fp).group_by(wk).order_by(wk.desc())
    if weeks:
        stmt = stmt.limit(weeks)
    rows = [Week(_iso(w), n) for w, n in session.execute(stmt)]
    return rows[::-1]


def skill_weekly_share(session: Session, filters: Base, skill: str, weeks: int | None = None) -> list[Week]:
    """Per week of :func:`posting_date`: postings, how many ask for ``skill`` (case-insensitive name), the share."""
    fp, ps = _base(session, filters), models.PostingSkill.__table__
    wk = week_start(session, posting_date(fp)).label("week")
    skill_ids = select(models.Skill.id).where(func.lower(models.Skill.name) == skill.lower())
    has = exists(select(ps.c.posting_id).where(ps.c.posting_id == fp.c.id, ps.c.skill_id.in_(skill_ids)))
    with_skill = func.sum(case((has, 1), else_=0))
    stmt = select(wk, func.count(), with_skill).select_from(fp).group_by(wk).order_by(wk.desc())
    if weeks:
        stmt = stmt.limit(weeks)
    rows = [Week(_iso(w), n, int(k or 0), _share(int(k or 0), n)) for w, n, k in session.execute(stmt)]
    return rows[::-1]


def _weekly_with_skill(session: Session, base: Materialized, skill: str) -> dict[str, int]:
    """Per week of :func:`posting_date`, how many of the materialized postings ask for ``skill`` (case-insensitive
    name); weeks with none are absent. The skill's postings are found from its pairs (``IN``), not by a probe per
    posting."""
    fp, ps = base.postings, models.PostingSkill.__table__
    wk = week_start(session, posting_date(fp)).label("week")
    skill_ids = select(models.Skill.id).where(func.lower(models.Skill.name) == skill.lower())
    asking = select(ps.c.posting_id).where(ps.c.skill_id.in_(skill_ids))
    stmt = select(wk, func.count()).select_from(fp).where(fp.c.id.in_(asking)).group_by(wk)
    return {_iso(w): n for w, n in session.execute(stmt)}


@dataclass(slots=True)
class Growth:
    skill: str
    recent: int  # postings dated (posting_date) in the last `days` days asking for the skill
    previous: int  # ... in the `days` days before that
    recent_share: float
    previous_share: float
    change: float  # recent_share - previous_share (share points: 0.05 = +5 points)


#: The fewest postings a --growth window may hold: below it one posting moves a share by several points.
MIN_BASELINE = 30


def skill_growth(
    session: Session,
    filters: Base,
    days: int,
    top: int = 15,
    now: datetime | None = None,
    min_postings: int = 3,
    min_baseline: int = MIN_BASELINE,
) -> dict[str, Any]:
    """Skills whose share of new postings grew most: the last ``days`` days against the ``days`` before, postings
    dated by :func:`posting_date`.

    Shares, not counts, so that a busier period (more boards crawled) does not make every skill "grow". Skills
    asked for by fewer than ``min_postings`` postings in both periods together are left out (noise). When either
    window holds fewer than ``min_baseline`` postings no skill is ranked: the result says why under ``refused``
    (after one crawl, the earlier window is mostly empty and every share "grows" against nothing).
    """
    now = now or datetime.now(UTC)
    start_recent, start_previous = now - timedelta(days=days), now - timedelta(days=2 * days)
    fp, ps = _base(session, filters), models.PostingSkill.__table__
    when = posting_date(fp)
    recent = when >= start_recent
    in_window = and_(when >= start_previous, when <= now)
    totals = session.execute(
        select(func.sum(case((recent, 1), else_=0)), func.count()).select_from(fp).where(in_window)
    ).one()
    n_recent, n_all = int(totals[0] or 0), int(totals[1] or 0)
    n_previous = n_all - n_recent
    out: dict[str, Any] = {"days": days, "recent": n_recent, "previous": n_previous, "skills": [], "refused": None}
    if min(n_recent, n_previous) < min_baseline:
        which = "earlier" if n_previous < n_recent else "recent"
        out["refused"] = (
            f"the {which} {days}-day window holds {min(n_recent, n_previous)} postings, fewer than {min_baseline}: "
            "shares that small are noise (use a longer --growth period or fewer filters)"
        )
        return out
    k_recent = func.sum(case((recent, 1), else_=0))
    stmt = (
        select(models.Skill.name, k_recent, func.count())
        .select_from(fp)
        .join(ps, ps.c.posting_id == fp.c.id)
        .join(models.Skill, models.Skill.id == ps.c.skill_id)
        .where(in_window)
        .group_by(models.Skill.name)
    )
    rows = []
    for name, k_r, k_all in session.execute(stmt):
        k_r, k_all = int(k_r or 0), int(k_all)
        if k_all < min_postings:
            continue
        r_share, p_share = _share(k_r, n_recent), _share(k_all - k_r, n_previous)
        rows.append(Growth(name, k_r, k_all - k_r, r_share, p_share, round(r_share - p_share, 4)))
    rows.sort(key=lambda g: (-g.change, g.skill))
    out["skills"] = rows[:top]
    return out


# --- everything at once --------------------------------------------------------------------------------------
def compute_stats(
    session: Session,
    filters: PostingFilters,
    *,
    top: int = 20,
    weeks: int | None = 26,
    skill_trend: str | None = None,
    growth_days: int | None = None,
    min_baseline: int = MIN_BASELINE,
    rates: Rates | None = None,
    pay_groups: Sequence[str] = PAY_GROUPS,
    min_group: int = 1,
    method: str = "counts",
) -> Stats:
    """Every statistic of ``jobscout stats``. ``top`` bounds the skill, company and per-skill pay lists;
    ``min_group`` drops pay groups with fewer postings. The filtered rows are materialized once
    (:func:`materialized`) and every aggregate reads that copy. ``rates`` convert ``--min-pay``/``--max-pay``
    across currencies as ``jobscout query`` does (``storage.query.build_select``); the percentiles themselves stay
    per currency."""
    with materialized(session, filters, rates) as base:
        total = count_postings(session, base)
        stats = Stats(total=total)
        stats.top_skills = top_skills(session, base, top, total)
        by_column: dict[str | None, list[PayStats]] = {}
        if method == "counts":  # the pay of all postings and by seniority and workplace in one pass
            by_column = _pay_by_columns(session, base, [None, *(g for g in pay_groups if g != "skill")])
        stats.pay = by_column[None] if by_column else pay_percentiles(session, base, None, method)
        for by in pay_groups:
            # Per skill: the top skills only (what is shown; the long tail is most of the work).
            only = [c.key for c in stats.top_skills] if by == "skill" else None
            rows = by_column[by] if by in by_column else pay_percentiles(session, base, by, method, only)
            rows = [r for r in rows if r.postings >= min_group]
            stats.pay_by[by] = _top_per_currency(rows, top) if by == "skill" else rows
        stats.sources = postings_per(session, base, "source", None, total)
        stats.companies = postings_per(session, base, "company", top, total)
        every_week = weekly_new(session, base)
        stats.weekly = every_week[-weeks:] if weeks else every_week
        stats.undated = count_undated(session, base)
        if skill_trend:
            # skill_weekly_share's figures, from the weeks just counted and one count of the skill's postings.
            asking = _weekly_with_skill(session, base, skill_trend)
            weekly = [Week(w.week, w.postings, asking.get(w.week, 0), _share(asking.get(w.week, 0), w.postings))
                      for w in stats.weekly]  # fmt: skip
            stats.skill_trend = {"skill": skill_trend, "weeks": weekly}
        if growth_days:
            stats.growth = skill_growth(session, base, growth_days, top, min_baseline=min_baseline)
    return stats


def _top_per_currency(rows: Iterable[PayStats], top: int) -> list[PayStats]:
    kept: list[PayStats] = []
    seen: dict[str, int] = {}
    for row in rows:  # already sorted by currency, then postings (most first)
        if seen.get(row.currency, 0) < top:
            kept.append(row)
            seen[row.currency] = seen.get(row.currency, 0) + 1
    return kept
