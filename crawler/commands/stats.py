"""``jobscout stats``: what the filtered postings ask for and pay (tables, JSON, or a PNG of charts).

The filters are ``jobscout query``'s (``crawler.commands.filters``).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.commands.filters import build_filters, canonical_skills, filter_options, pop_filter_params
from crawler.commands.options import MAX_AGE_DAYS, db_option, shorten
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
    "--min-group",
    type=click.IntRange(min=1),
    default=3,
    show_default=True,
    help="Leave out pay groups with fewer postings stating a pay.",
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Output."
)
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
    min_group: int,
    fmt: str,
    plot,
    **kwargs,
):
    """Statistics of the postings the filters select: top skills, pay percentiles (p25/p50/p75 of annual pay, per
    currency) by skill, seniority and work mode, postings per source and company, and new postings per week.

    Pay is one figure per posting: the midpoint of its annual range, or the one bound stated. Weeks start on
    Monday (UTC) and count postings by the week they were first seen.
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
    with app.read_session() as session:
        result = compute_stats(
            session, filters, top=top, weeks=weeks, skill_trend=trend, min_group=min_group, growth_days=growth_days
        )
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print_tables(result)
    if plot is not None:
        draw(result, plot)
        click.echo(f"charts written to {plot}", err=True)
    return 0


# --- tables --------------------------------------------------------------------------------------------------
def _money(value: float) -> str:
    if abs(value) >= 10000:
        return f"{value / 1000:,.1f}".removesuffix(".0") + "k"
    return f"{value:,.2f}".removesuffix(".00")


def print_tables(s, out=None) -> None:
    from rich.table import Table

    from crawler.commands.output import cell, cells, make_console

    console = make_console(out)
    console.print(f"[bold]{s.total}[/bold] postings match")
    if not s.total:
        return

    def counts(title: str, label: str, rows) -> None:
        table = Table(title=title, title_justify="left")
        table.add_column(label, overflow="fold")
        table.add_column("postings", justify="right")
        table.add_column("share", justify="right")
        for r in rows:
            table.add_row(*cells(r.key or "(unknown)", r.postings, f"{r.share:.1%}"))
        console.print(table)

    def pay(title: str, label: str | None, rows) -> None:
        if not rows:
            return
        table = Table(title=title, title_justify="left")
        if label:
            table.add_column(label, overflow="fold")
        for column in ("currency", "postings", "p25", "p50", "p75"):
            table.add_column(column, justify="left" if column == "currency" else "right")
        for r in rows:
            row = [r.currency, r.postings, _money(r.p25), _money(r.p50), _money(r.p75)]
            table.add_row(*cells(*([r.group or "(unknown)", *row] if label else row)))
        console.print(table)

    counts("top skills", "skill", s.top_skills)
    pay("annual pay (midpoint of the range)", None, s.pay)
    for by, rows in s.pay_by.items():
        pay(f"annual pay by {by}", by, rows)
    counts("postings per source", "source", s.sources)
    counts("top companies", "company", s.companies)
    weekly = Table(title="new postings per week (first seen)", title_justify="left")
    weekly.add_column("week of")
    weekly.add_column("postings", justify="right")
    for w in s.weekly:
        weekly.add_row(*cells(w.week, w.postings))
    console.print(weekly)
    if s.skill_trend:
        trend = Table(title=cell(f"weekly share of {s.skill_trend['skill']}"), title_justify="left")
        for column in ("week of", "postings", f"with {s.skill_trend['skill']}", "share"):
            trend.add_column(cell(column), justify="left" if column == "week of" else "right")
        for w in s.skill_trend["weeks"]:
            trend.add_row(*cells(w.week, w.postings, w.with_skill, f"{w.share:.1%}"))
        console.print(trend)
    if s.growth:
        g = s.growth
        title = (
            f"fastest-growing skills: last {g['days']} days ({g['recent']} new postings) "
            f"against the {g['days']} before ({g['previous']})"
        )
        table = Table(title=title, title_justify="left")
        for column in ("skill", "recent", "share", "previous", "share", "change"):
            table.add_column(column, justify="left" if column == "skill" else "right")
        for r in g["skills"]:
            table.add_row(
                *cells(
                    r.skill,
                    r.recent,
                    f"{r.recent_share:.1%}",
                    r.previous,
                    f"{r.previous_share:.1%}",
                    f"{r.change * 100:+.1f} pts",
                )
            )
        console.print(table)


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

    skills = list(reversed(s.top_skills))
    ax_skills.barh([r.key for r in skills], [r.share * 100 for r in skills], color="#4c72b0")
    ax_skills.set_title(f"top skills (% of {s.total} postings)")
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
        ax_pay.bar(labels, mids, yerr=[low, high], capsize=4, color="#55a868")
        ax_pay.set_title(f"annual pay by seniority, {currency} thousands (p50, bars p25-p75)")
    else:
        ax_pay.set_title("annual pay by seniority: no postings state a pay")
        ax_pay.set_axis_off()

    ax_weeks.plot([w.week for w in s.weekly], [w.postings for w in s.weekly], marker="o")
    ax_weeks.set_title("new postings per week (first seen)")
    ax_weeks.tick_params(axis="x", labelrotation=45)

    if s.skill_trend:
        weeks = s.skill_trend["weeks"]
        ax_trend.plot([w.week for w in weeks], [w.share * 100 for w in weeks], marker="o", color="#c44e52")
        ax_trend.set_title(f"weekly share of {s.skill_trend['skill']} (%)")
        ax_trend.tick_params(axis="x", labelrotation=45)
    else:
        ax_trend.set_axis_off()
        ax_trend.set_title("(--skill-trend NAME draws a skill's weekly share here)")
    try:
        fig.savefig(path, dpi=100)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from exc
