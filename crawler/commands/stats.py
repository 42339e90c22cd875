"""``jobscout stats``: what the filtered postings ask for and pay (tables, JSON, or a PNG of charts).

The filters are ``jobscout query``'s (``crawler.commands.filters``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.commands.filters import build_filters, canonical_skills, filter_options, pop_filter_params
from crawler.commands.options import MAX_AGE_DAYS, db_option, format_option, shorten
from crawler.context import AppContext, UserError

PLOT_INSTALL_HINT = 'pip install -e ".[plot]"'


# --- the command ---------------------------------------------------------------------------------------------
@click.command()
@filter_options
@click.option("--top", type=click.IntRange(min=1), default=15, show_default=True, help="Rows of skill/company lists.")
@click.option(
    "--weeks", type=click.IntRange(min=1), default=12, show_default=True, help="Weeks of the weekly series."
)
@click.option("--skill-trend", metavar="SKILL", help="Also the weekly share of postings asking for SKILL.")
@click.option(
    "--growth",
    metavar="PERIOD",
    help="Also the skills whose share grew most: the last PERIOD (e.g. 90d) against the one before.",
)
@click.option(
    "--min-baseline",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="--growth ranks no skill when either period holds fewer postings.",
)
@click.option(
    "--min-group",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Leave out pay groups with fewer postings stating a pay.",
)
@format_option()
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    metavar="FILE.png",
    help=f"Also draw the charts to FILE.png (needs matplotlib: {PLOT_INSTALL_HINT}).",
)
@db_option
@click.pass_obj
def stats(
    app: AppContext,
    top: int,
    weeks: int,
    skill_trend: str | None,
    growth: str | None,
    min_baseline: int,
    min_group: int,
    fmt: str,
    plot,
    **kwargs,
):
    """Statistics of the postings the filters select: top skills, pay percentiles (p25/p50/p75 of annual pay, per
    currency) by skill, seniority and work mode, postings per source and company, and new postings per week.

    Pay is one figure per posting: the midpoint of its annual range, or the one bound stated; percentiles are per
    currency, each with the number of postings behind it. Weeks start on Monday (UTC) and count postings by their
    posted date (by first sighting when a source states none; the output says how many). Exit 1 when no posting
    matches.
    """
    from storage.stats import compute_stats

    filters = build_filters(pop_filter_params(kwargs))
    if plot is not None:
        _require_matplotlib()
        if plot.suffix.lower() != ".png":
            raise UserError(f"--plot writes a PNG file: give a name ending in .png, not {plot.name!r}")
    trend = None
    if skill_trend:
        trend = canonical_skills([skill_trend.strip()])[0]
    growth_days = None
    if growth:
        from crawler.schedule import ScheduleError, parse_duration

        try:
            growth_days = max(1, parse_duration(growth) // 86400)
        except ScheduleError as exc:
            raise UserError(f"--growth: {exc}") from exc
        if 2 * growth_days > MAX_AGE_DAYS:  # the period before the last one must start after year 1
            raise UserError(f"--growth {shorten(growth)!r} is out of range: at most {MAX_AGE_DAYS // 2} days")
    rates = None
    if filters.min_pay is not None or filters.max_pay is not None:
        from crawler.commands.query import app_rates

        rates = None if filters.exact_currency else app_rates(app)
    with app.read_session() as session:
        result = compute_stats(
            session,
            filters,
            top=top,
            weeks=weeks,
            skill_trend=trend,
            min_group=min_group,
            growth_days=growth_days,
            min_baseline=min_baseline,
            rates=rates,
        )
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_tables(result)
    if not result.total:
        # Nothing to chart: say so and fail, rather than draw empty axes a script would publish.
        click.echo(
            "jobscout: no postings match these filters; nothing to chart"
            if plot
            else "jobscout: no postings match these filters",
            err=True,
        )
        return 1
    if fmt == "json" and result.growth and result.growth.get("refused"):  # the table says it on stdout
        click.echo(f"jobscout: --growth not ranked: {result.growth['refused']}", err=True)
    if plot is not None:
        draw(result, plot)
        click.echo(f"charts written to {plot}", err=True)
    return 0


# --- tables --------------------------------------------------------------------------------------------------
def _money(value: float) -> str:
    if abs(value) >= 10000:
        return f"{value / 1000:,.1f}".removesuffix(".0") + "k"
    return f"{value:,.2f}".removesuffix(".00")


def weekly_basis(s) -> str:
    """How the weekly series and growth date a posting, with how many had no posted date."""
    if not s.undated:
        return "by posted date"
    return f"by posted date; {s.undated} of {s.total} postings state none and are dated by first sighting"


def print_tables(s, out=None) -> None:
    """Every statistic as a plain table, as wide as the terminal allows; each share and percentile with the number
    of postings behind it."""
    import sys

    out = out or sys.stdout
    out.write(f"{s.total} postings match\n")
    if not s.total:
        return
    _count_table(out, "top skills", "skill", s.top_skills)
    _pay_table(out, "annual pay (midpoint of the range), per currency", None, s.pay)
    for by, rows in s.pay_by.items():
        _pay_table(out, f"annual pay by {by}", by, rows)
    _count_table(out, "postings per source", "source", s.sources)
    _count_table(out, "top companies", "company", s.companies)
    _weekly_table(out, s)
    if s.skill_trend:
        _trend_table(out, s.skill_trend)
    if s.growth:
        _growth_table(out, s.growth, weekly_basis(s))


def _count_table(out, title: str, label: str, rows) -> None:
    from crawler.commands.output import Column, write_table

    out.write("\n")
    columns = [
        Column(label, keep=90, min_width=12),
        Column("postings", keep=80, atomic=True, right=True),
        Column("share", keep=70, atomic=True, right=True),
    ]
    write_table(columns, [[r.key or "(unknown)", r.postings, f"{r.share:.1%}"] for r in rows], out, title)


def _pay_table(out, title: str, label: str | None, rows) -> None:
    """Pay percentiles per currency, with a first column for the grouping when there is one (``label``)."""
    from crawler.commands.output import Column, write_table

    if not rows:
        return
    out.write("\n")
    columns = [Column(label, keep=90, min_width=12)] if label else []
    columns += [
        Column("currency", keep=85, atomic=True),
        Column("postings", keep=80, atomic=True, right=True),
        Column("p25", keep=60, atomic=True, right=True),
        Column("p50", keep=75, atomic=True, right=True),
        Column("p75", keep=60, atomic=True, right=True),
    ]
    table = []
    for r in rows:
        row = [r.currency, r.postings, _money(r.p25), _money(r.p50), _money(r.p75)]
        table.append([r.group or "(unknown)", *row] if label else row)
    write_table(columns, table, out, title)


def _weekly_table(out, s) -> None:
    from crawler.commands.output import Column, write_table

    out.write("\n")
    write_table(
        [Column("week of", keep=90, atomic=True), Column("postings", keep=80, atomic=True, right=True)],
        [[w.week, w.postings] for w in s.weekly],
        out,
        f"new postings per week ({weekly_basis(s)})",
    )


def _trend_table(out, trend: dict) -> None:
    from crawler.commands.output import Column, write_table

    skill = trend["skill"]
    out.write("\n")
    write_table(
        [
            Column("week of", keep=90, atomic=True),
            Column("postings", keep=80, atomic=True, right=True),
            Column(f"with {skill}", keep=85, atomic=True, right=True),
            Column("share", keep=88, atomic=True, right=True),
        ],
        [[w.week, w.postings, w.with_skill, f"{w.share:.1%}"] for w in trend["weeks"]],
        out,
        f"weekly share of {skill}",
    )


def _growth_table(out, g: dict, basis: str) -> None:
    """The fastest-growing skills, or why they are not ranked (a baseline too small to compare with)."""
    from crawler.commands.output import Column, write_table, write_wrapped

    out.write("\n")
    title = (
        f"fastest-growing skills: last {g['days']} days ({g['recent']} new postings) "
        f"against the {g['days']} before ({g['previous']}), {basis}"
    )
    if g.get("refused"):
        write_wrapped(title, out)
        write_wrapped(f"not ranked: {g['refused']}", out)
        return
    write_table(
        [
            Column("skill", keep=90, min_width=12),
            Column("recent", keep=80, atomic=True, right=True),
            Column("share", keep=75, atomic=True, right=True),
            Column("previous", keep=70, atomic=True, right=True),
            Column("share ", keep=65, atomic=True, right=True),
            Column("change", keep=85, atomic=True, right=True),
        ],
        [
            [
                r.skill,
                r.recent,
                f"{r.recent_share:.1%}",
                r.previous,
                f"{r.previous_share:.1%}",
                f"{r.change * 100:+.1f} pts",
            ]
            for r in g["skills"]
        ],
        out,
        title,
    )


# --- charts --------------------------------------------------------------------------------------------------
def _require_matplotlib() -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise UserError(f"--plot needs matplotlib, which is not installed: {PLOT_INSTALL_HINT}") from None


def draw(s, path: Path) -> None:
    """Top skills, pay by seniority (in the currency most postings state), new postings per week and the skill
    trend, in one PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(14, 10), layout="constrained")
    (ax_skills, ax_pay), (ax_weeks, ax_trend) = fig.subplots(2, 2)

    # Every bar and point carries the number of postings behind it: a share of 3 postings is not a share of 300.
    skills = list(reversed(s.top_skills))
    bars = ax_skills.barh([r.key for r in skills], [r.share * 100 for r in skills], color="#4c72b0")
    ax_skills.bar_label(bars, labels=[f"{r.postings}" for r in skills], padding=2, fontsize=8)
    ax_skills.set_title(f"top skills (% of {s.total} postings; bar labels: postings)")
    ax_skills.set_xlabel("% of postings")

    from pipeline.model import SENIORITIES

    currency = max(s.pay, key=lambda r: r.postings).currency if s.pay else None  # the most stated one
    rows = [r for r in s.pay_by.get("seniority", []) if r.currency == currency and r.group in SENIORITIES]
    rows.sort(key=lambda r: SENIORITIES.index(r.group))
    if rows:
        labels = [r.group for r in rows]
        mids = [r.p50 / 1000 for r in rows]
        low = [(r.p50 - r.p25) / 1000 for r in rows]
        high = [(r.p75 - r.p50) / 1000 for r in rows]
        bars = ax_pay.bar(labels, mids, yerr=[low, high], capsize=4, color="#55a868")
        ax_pay.bar_label(bars, labels=[f"n={r.postings}" for r in rows], label_type="center", fontsize=8)
        ax_pay.set_title(f"annual pay by seniority, {currency} thousands (p50, bars p25-p75; n = postings)")
    else:
        ax_pay.set_title("annual pay by seniority: no postings state a pay")
        ax_pay.set_axis_off()

    basis = "posted date" if not s.undated else f"posted date; {s.undated} by first sighting"
    weeks = [w.week for w in s.weekly]
    counts = [w.postings for w in s.weekly]
    ax_weeks.plot(weeks, counts, marker="o")
    for x, y in zip(weeks, counts, strict=True):
        ax_weeks.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, 5), ha="center", fontsize=8)
    ax_weeks.set_title(f"new postings per week (by {basis})")
    ax_weeks.tick_params(axis="x", labelrotation=45)

    if s.skill_trend:
        trend = s.skill_trend["weeks"]
        xs = [w.week for w in trend]
        ax_trend.plot(xs, [w.share * 100 for w in trend], marker="o", color="#c44e52")
        for w in trend:
            ax_trend.annotate(
                f"{w.with_skill}/{w.postings}",
                (w.week, w.share * 100),
                textcoords="offset points",
                xytext=(0, 5),
                ha="center",
                fontsize=8,
            )
        ax_trend.set_title(f"weekly share of {s.skill_trend['skill']} (%; labels: with skill / postings)")
        ax_trend.tick_params(axis="x", labelrotation=45)
    else:
        ax_trend.set_axis_off()
        ax_trend.set_title("(--skill-trend NAME draws a skill's weekly share here)")
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
