"""``jobscout crawl SOURCE``: one crawl, in this process, with a progress display and a summary."""

from __future__ import annotations

import click

from crawler import outcome
from crawler.commands.options import db_option, split_csv
from crawler.context import AppContext, UserError
from crawler.runner import scrapy_settings


@click.command()
@click.argument("source")
@click.option("--boards", metavar="A,B", help="Boards to crawl (ATS company tokens); default: the active ones.")
@click.option(
    "--unit",
    metavar="K/U",
    help="Crawl unit K of U of the source's active boards (what `crawl SOURCE` runs in turn; docs/scale.md).",
)
@click.option("--base-url", metavar="URL", help="Endpoint override (a mirror or a local test server).")
@click.option("--urls", metavar="U1,U2", help="Page URLs to read (JSON-LD source).")
@click.option("--sitemap", metavar="URL", help="A sitemap listing the pages to read (JSON-LD source).")
@click.option(
    "-a",
    "--arg",
    "spider_args",
    multiple=True,
    metavar="NAME=VALUE",
    help="Extra spider argument, as `scrapy crawl -a` takes it (repeatable).",
)
@click.option(
    "-s",
    "--set",
    "setting_overrides",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting, as `scrapy crawl -s` does (repeatable).",
)
@click.option("-v", "--verbose", is_flag=True, help="Show Scrapy's INFO log.")
@click.option(
    "--wait",
    "wait_lock",
    is_flag=True,
    help="If another crawl of the same source/boards is running, wait for it instead of exiting 6.",
)
@click.option("--summary", type=click.Choice(["table", "none"]), default="table", hidden=True)
@db_option
@click.pass_obj
def crawl(
    app: AppContext,
    source: str,
    boards,
    unit,
    summary,
    base_url,
    urls,
    sitemap,
    spider_args,
    setting_overrides,
    verbose,
    wait_lock,
) -> int:
    """Crawl one SOURCE (greenhouse, lever, ...) into the database; `all` crawls every configured source.

    \b
    Exit codes:
      0  ok
      1  failed: nothing usable fetched
      3  degraded: a board that had postings listed none, or too many parse
         errors (a format change, usually)
      4  partial: some boards failed, the rest is stored
      5  skipped: the source's minimum interval between fetches has not
         passed (e.g. Remotive's 4 a day)
      6  refused: a crawl of the same source and boards is already running
         (a lock in the database, shared with the scheduler; --wait waits
         for it; a crashed crawl's lock expires after
         JOBSCOUT_LOCK_TTL_SECONDS)
      7  interrupted: the crawl's process was killed before it finished
         (crawl all's children); nothing closed
    """
    kwargs = parse_pairs(spider_args, "--arg")
    overrides = parse_pairs(setting_overrides, "--set")
    if boards:
        kwargs["boards"] = ",".join(split_csv([boards]))
    if base_url:
        if not base_url.startswith(("http://", "https://")):
            raise UserError(f"--base-url must be an http(s) URL, got {base_url!r}")
        kwargs["base_url"] = base_url
    if urls:
        kwargs["urls"] = ",".join(split_csv([urls]))
    if sitemap:
        kwargs["sitemap"] = sitemap

    app.database()  # fail early, with one line, on a bad URL; brings the schema up to date
    settings = scrapy_settings(app.config, "INFO" if verbose else "WARNING", overrides)
    if source == "all":
        if boards or urls or sitemap or spider_args or unit:
            raise UserError("crawl all takes no --boards, --unit, --urls, --sitemap or --arg: it crawls every source")
        return crawl_all(app, settings, base_url, setting_overrides, verbose, wait_lock)
    unit_key = None
    if unit:
        from crawler.units import UnitError, parse_unit

        try:
            unit_key = parse_unit(unit)
        except UnitError as exc:
            raise UserError(str(exc)) from None
    elif not boards:
        from crawler.commands.crawl_pass import crawl_units, units_to_run

        units = units_to_run(app, settings, source)
        if len(units) > 1:
            return crawl_units(app, source, units, base_url, spider_args, setting_overrides, verbose, wait_lock)
    return crawl_one(app, settings, source, kwargs, unit=unit_key, wait_lock=wait_lock, summary=summary)


def crawl_one(
    app: AppContext,
    settings,
    source: str,
    kwargs: dict[str, str],
    *,
    unit: tuple[int, int] | None = None,
    wait_lock: bool = False,
    summary: str = "table",
) -> int:
    """One crawl in this process (:func:`crawler.runner.run_crawl`), a spinner on a terminal, then the summary."""
    from rich.console import Console

    from crawler.database import CrawlDatabase
    from crawler.runner import CrawlError, run_crawl

    console = Console(stderr=True)
    status = console.status(f"crawling {source}...") if console.is_terminal and summary != "none" else None

    def progress(p) -> None:
        status.update(f"crawling {p.source}: {p.fetched} postings read, {p.dropped} dropped")

    engine, sessions = app.database()
    try:
        result = run_crawl(
            settings,
            source,
            kwargs,
            unit=unit,
            wait_lock=wait_lock,
            database=CrawlDatabase(engine, sessions),
            progress=progress if status is not None else None,
            display=(lambda: status) if status is not None else None,
        )
    except CrawlError as exc:
        raise UserError(str(exc)) from exc
    if result.status == outcome.SKIPPED:
        click.echo(f"jobscout: {source} skipped: {result.reason}", err=True)
    elif result.status == outcome.LOCKED:
        click.echo(f"jobscout: {result.reason}; not starting a second crawl (use --wait to wait for it)", err=True)
    elif summary != "none":
        print_summary(app, result)
    if result.busy:
        shown = ", ".join(result.busy[:10]) + (f" and {len(result.busy) - 10} more" if len(result.busy) > 10 else "")
        click.echo(f"jobscout: skipped {len(result.busy)} boards another crawl is reading: {shown}", err=True)
    return result.exit_code


def crawl_all(
    app: AppContext,
    settings,
    base_url: str | None,
    setting_overrides,
    verbose: bool,
    wait_lock: bool = False,
) -> int:
    """Every source with something to crawl, one child process each (Twisted's reactor runs once per process)."""
    import subprocess

    from crawler.database import CrawlDatabase
    from crawler.runner import available_sources, child_argv, spider_class, why_not_crawlable

    database = CrawlDatabase(*app.database())
    outcomes: list[tuple[str, str]] = []
    for name in available_sources(settings):
        if (why := why_not_crawlable(spider_class(settings, name), database)) is not None:
            outcomes.append((name, f"skipped: {why}"))
            continue
        argv = child_argv(
            app.config.db_url,
            name,
            base_url=base_url,
            settings=setting_overrides,
            verbose=verbose,
            wait_lock=wait_lock,
        )
        click.echo(f"--- {name}", err=True)
        status = outcome.status_for_exit(subprocess.run(argv, check=False).returncode)
        outcomes.append((name, status))
    click.echo("")
    for name, what in outcomes:
        click.echo(f"{name:<16} {outcome.describe(what)}")
    statuses = [what for _, what in outcomes if what in outcome.EXIT_CODES]
    return outcome.exit_code(outcome.worst(statuses))


def parse_pairs(items: tuple[str, ...], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"{option} expects NAME=VALUE, got {item!r}")
        pairs[name.strip()] = value
    return pairs


def print_summary(app: AppContext, result) -> None:
    """The run's counts from its ``crawl_runs`` row, under the status the crawl ended with."""
    from rich.console import Console
    from rich.table import Table

    from crawler.commands.output import cell, cells
    from storage import models

    with app.session() as session:
        run = session.get(models.CrawlRun, result.run_id)
    console = Console()
    table = Table(
        title=cell(f"crawl run {run.id}: {run.source} — {result.status}"), show_header=False, title_justify="left"
    )
    duration = (run.finished_at - run.started_at).total_seconds() if run.finished_at else 0.0
    rows = [
        ("boards", ", ".join(f"{b} ({n})" for b, n in run.board_counts.items()) or "-"),
        ("fetched", run.fetched),
        ("kept", run.kept),
        ("new", run.new),
        ("updated", run.updated),
        ("closed", run.closed),
        ("dropped", ", ".join(f"{k}: {v}" for k, v in sorted(run.dropped.items())) or "0"),
        ("errors", run.errors),
        ("duration", f"{duration:.1f}s"),
    ]
    for board, error in run.board_errors.items():
        rows.append((f"board {board}", f"FAILED: {error}"))
    if result.reason:
        rows.append(("status", f"{result.status}: {result.reason}"))
    for name, value in rows:
        table.add_row(*cells(name, value))
    console.print(table)
