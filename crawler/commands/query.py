"""``jobscout query``: filter and search the aggregated postings."""

from __future__ import annotations

import sys

import click

from crawler.commands.filters import build_filters, filter_options, pop_filter_params
from crawler.commands.options import db_option
from crawler.commands.output import FORMATS, write_csv, write_postings
from crawler.context import AppContext
from storage.query import SORTS


@click.command()
@filter_options
@click.option(
    "--sort",
    type=click.Choice(SORTS),
    default="posted",
    show_default=True,
    help="posted: newest first; pay: highest annual pay first; seen: most recently seen first.",
)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most N postings.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip the first N postings (pagination).")
@click.option("--page", type=click.IntRange(min=1), help="Page N of --limit postings (instead of --offset).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="json prints a JSON array of schema v1 postings; csv has the columns of `jobscout export --format csv`, "
    "text cells starting with = + - @ tab or CR prefixed with ' (docs/export.md).",
)
@db_option
@click.pass_obj
def query(app: AppContext, sort: str, limit: int, offset: int, page: int | None, fmt: str, **kwargs) -> int:
    """Query the aggregated postings: open backend roles, newest first, unless flags say otherwise."""
    from storage.flat import loader_options
    from storage.mapping import to_schema
    from storage.query import build_select

    filters = build_filters(pop_filter_params(kwargs), sort=sort)
    if page is not None:
        offset = (page - 1) * limit
    engine, _ = app.database()
    stmt = build_select(filters, engine.dialect.name).limit(limit).offset(offset)
    with app.read_session() as session:
        if fmt == "csv":  # the flat layout, from the stored rows as `jobscout export` writes it
            write_csv(session.scalars(stmt.options(*loader_options())), sys.stdout)
        else:
            write_postings((to_schema(row) for row in session.scalars(stmt)), fmt)
    return 0
