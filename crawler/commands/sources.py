"""``jobscout sources``: the sources, their endpoints and how many boards each has per status."""

from __future__ import annotations

import json

import click

from crawler.commands.output import cells, make_console
from crawler.context import AppContext

STATUSES = ("active", "unverified", "gone", "removed")


def spider_classes(settings) -> dict[str, type]:
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(settings)
    return {name: loader.load(name) for name in sorted(loader.list())}


@click.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def sources(ctx: click.Context, fmt: str) -> int:
    """List the sources, their endpoints and their boards per status (jobscout boards lists the boards)."""
    if ctx.invoked_subcommand is not None:
        return 0
    from rich.table import Table

    from crawler.runner import scrapy_settings
    from storage.boards import totals

    app: AppContext = ctx.obj
    settings = scrapy_settings(app.config, "WARNING")
    with app.read_session() as session:
        counts = totals(session)
    rows = []
    for name, cls in spider_classes(settings).items():
        rows.append(
            {
                "source": name,
                "kind": "full snapshot" if getattr(cls, "full_snapshot", True) else "windowed feed",
                "endpoint": getattr(cls, "default_base_url", ""),
                "needs_boards": bool(getattr(cls, "needs_boards", True)),
                "boards": {status: counts.get((name, status), 0) for status in STATUSES},
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return 0
    table = Table()
    for column in ("source", "kind", "endpoint", *STATUSES):
        table.add_column(column, overflow="fold", justify="right" if column in STATUSES else "left")
    for row in rows:
        numbers = [row["boards"][s] for s in STATUSES] if row["needs_boards"] else ["(feed)", "", "", ""]
        table.add_row(*cells(row["source"], row["kind"], row["endpoint"], *numbers))
    make_console().print(table)
    return 0


@sources.command(hidden=True, context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.pass_context
def check(ctx: click.Context) -> int:
    """Renamed: jobscout boards check."""
    raise click.UsageError("`jobscout sources check` is now `jobscout boards check` (jobscout boards check --help)")
