"""``jobscout query``: filter and search the aggregated postings."""

from __future__ import annotations

import sys

import click

from crawler.commands.filters import build_filters, filter_options, pop_filter_params
from crawler.commands.options import choice, db_option, format_option
from crawler.commands.output import FORMATS, terminal_text, write_csv, write_postings
from crawler.context import AppContext
from storage.query import SORTS


@click.command()
@filter_options
@click.option(
    "--sort",
    type=choice(*SORTS),
    default="posted",
    show_default=True,
    help="posted: newest first; pay: highest annual pay first, in --currency (other currencies converted at ECB "
    "reference rates; see `jobscout fx show`); seen: most recently seen first.",
)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most N postings.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip the first N postings (pagination).")
@click.option("--page", type=click.IntRange(min=1), help="Page N of --limit postings (instead of --offset).")
@format_option(
    *FORMATS,
    help="table: as wide as the terminal (or COLUMNS); json: a JSON array of schema v1 postings; jsonl: one per "
    "line; csv: the columns of `jobscout export --format csv`, text cells starting with = + - @ tab or CR "
    "prefixed with ' (docs/export.md).",
)
@db_option
@click.pass_obj
def query(app: AppContext, sort: str, limit: int, offset: int, page: int | None, fmt: str, **kwargs) -> int:
    """Query the aggregated postings: open backend roles, newest first, unless flags say otherwise."""
    from storage.flat import loader_options
    from storage.mapping import to_schema
    from storage.query import build_select, compares_pay, pay_rule, resolve_skills

    filters = build_filters(pop_filter_params(kwargs), sort=sort)
    if page is not None:
        offset = (page - 1) * limit
    engine, _ = app.database()
    rates = app_rates(app) if compares_pay(filters) and not filters.exact_currency else None
    count = 0
    with app.read_session() as session:
        skills = resolve_skills(session, filters)
        stmt = build_select(filters, engine.dialect.name, rates=rates, window=offset + limit, skills=skills)
        stmt = stmt.limit(limit).offset(offset)
        if fmt == "csv":  # the flat layout, from the stored rows as `jobscout export` writes it
            write_csv(session.scalars(stmt.options(*loader_options())), sys.stdout)
        else:
            count = write_postings((to_schema(row) for row in session.scalars(stmt)), fmt)
    if fmt == "table" and count and (rule := pay_rule(filters, rates)):
        # On stderr: the table on stdout stays a table for `| sort`, and the reader still sees the basis.
        click.echo(terminal_text(f"pay compared as {rule}"), err=True)
    return 0


def app_rates(app: AppContext):
    """The exchange rates in use for this configuration (storage.fx.rates_in_use over its data directory)."""
    from storage.fx import RatesError, rates_in_use

    try:
        return rates_in_use(app.config.data_dir)
    except RatesError as exc:
        from crawler.context import UserError

        raise UserError(str(exc)) from exc
