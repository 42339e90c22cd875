"""``jobscout crawl SOURCE``: one crawl, in this process, with a progress display and a summary."""

from __future__ import annotations

import click

from crawler.commands.options import db_option, split_csv
from crawler.context import AppContext, UserError

# Exit codes of a crawl (documented in --help and the README).
EXIT_BY_STATUS = {"ok": 0, "failed": 1, "degraded": 3, "partial": 4}


def scrapy_settings(config, log_level: str):
    """Scrapy settings from ``crawler.settings`` with this invocation's resolved configuration on top."""
    from scrapy.settings import Settings

    from crawler.config import user_agent

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("JOBSCOUT_DB_URL", config.db_url, priority="cmdline")
    settings.set("USER_AGENT", user_agent(config.contact), priority="cmdline")
    settings.set("JOBSCOUT_BOARDS_FILES", [str(p) for p in config.boards_files], priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    return settings


def available_sources(settings) -> list[str]:
    from scrapy.spiderloader import SpiderLoader

    return sorted(SpiderLoader.from_settings(settings).list())


@click.command()
@click.argument("source")
@click.option("--boards", metavar="A,B", help="Boards to crawl (ATS company tokens); default: the registered ones.")
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
@db_option
@click.pass_obj
def crawl(
    app: AppContext, source: str, boards, base_url, urls, sitemap, spider_args, setting_overrides, verbose
) -> int:
    """Crawl one SOURCE (greenhouse, lever, ...) into the database.

    \b
    Exit codes: 0 ok; 1 failed (nothing usable fetched); 3 degraded (a board that had postings listed none,
    or too many parse errors: a format change, usually); 4 partial (some boards failed, the rest is stored).
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
    settings = scrapy_settings(app.config, "INFO" if verbose else "WARNING")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    sources = available_sources(settings)
    if source not in sources:
        raise UserError(f"unknown source {source!r}; available: {', '.join(sources)}")
    return run_crawl(app, settings, source, kwargs)


def parse_pairs(items: tuple[str, ...], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"{option} expects NAME=VALUE, got {item!r}")
        pairs[name.strip()] = value
    return pairs


def run_crawl(app: AppContext, settings, source: str, kwargs: dict[str, str]) -> int:
    from rich.console import Console
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    from crawler.spiders.base import SpiderArgumentError

    console = Console(stderr=True)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(source)
    spidercls = crawler.spidercls
    needs_boards = getattr(spidercls, "needs_boards", False) and "boards" not in kwargs
    if needs_boards and not spidercls.registered_boards(settings):
        raise UserError(f"{source} needs boards: pass --boards TOKEN[,TOKEN...]")
    counts = {"fetched": 0, "dropped": 0}

    def on_scraped(item, response=None, spider=None):
        counts["fetched"] += 1

    def on_dropped(item, response=None, exception=None, spider=None):
        counts["fetched"] += 1
        counts["dropped"] += 1

    crawler.signals.connect(on_scraped, signal=signals.item_scraped)
    crawler.signals.connect(on_dropped, signal=signals.item_dropped)
    failures: list[BaseException] = []
    deferred = process.crawl(crawler, **kwargs)
    deferred.addErrback(lambda failure: failures.append(failure.value))

    if console.is_terminal:
        with console.status(f"crawling {source}...") as status:

            def refresh(*_args, **_kw):
                status.update(f"crawling {source}: {counts['fetched']} postings read, {counts['dropped']} dropped")

            crawler.signals.connect(refresh, signal=signals.item_scraped)
            crawler.signals.connect(refresh, signal=signals.item_dropped)
            process.start()
    else:
        process.start()

    if failures:
        error = failures[0]
        if isinstance(error, SpiderArgumentError | TypeError | ValueError):
            raise UserError(f"{source}: {error}")
        raise error
    run_id = crawler.stats.get_value("jobscout/run_id")
    if run_id is None:
        raise UserError(f"{source}: the crawl did not start (see the log above)")
    return print_summary(app, run_id)


def print_summary(app: AppContext, run_id: int) -> int:
    from rich.console import Console
    from rich.table import Table

    from storage import models

    with app.session() as session:
        run = session.get(models.CrawlRun, run_id)
    console = Console()
    table = Table(title=f"crawl run {run.id}: {run.source} — {run.status}", show_header=False, title_justify="left")
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
    if run.status_reason:
        rows.append(("status", f"{run.status}: {run.status_reason}"))
    for name, value in rows:
        table.add_row(name, str(value))
    console.print(table)
    return EXIT_BY_STATUS.get(run.status, 1)
