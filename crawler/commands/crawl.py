"""``jobscout crawl SOURCE``: one crawl, in this process, with a progress display and a summary."""

from __future__ import annotations

import click

from crawler.commands.options import db_option, split_csv
from crawler.context import AppContext, UserError

# Exit codes of a crawl (documented in --help and the README).
EXIT_BY_STATUS = {"ok": 0, "failed": 1, "degraded": 3, "partial": 4}
EXIT_SKIPPED = 5
EXIT_LOCKED = 6
STATUS_BY_EXIT = {
    **{code: status for status, code in EXIT_BY_STATUS.items()},
    EXIT_SKIPPED: "skipped (interval)",
    EXIT_LOCKED: "refused (already running)",
}


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
@click.option(
    "--wait",
    "wait_lock",
    is_flag=True,
    help="If another crawl of the same source/boards is running, wait for it instead of exiting 6.",
)
@db_option
@click.pass_obj
def crawl(
    app: AppContext,
    source: str,
    boards,
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
    Exit codes: 0 ok; 1 failed (nothing usable fetched); 3 degraded (a board that had postings listed none,
    or too many parse errors: a format change, usually); 4 partial (some boards failed, the rest is stored);
    5 skipped (the source's minimum interval between fetches has not passed, e.g. Remotive's 4 a day);
    6 refused: a crawl of the same source and boards is already running (a lock in the database, shared with
    the scheduler; --wait waits for it; a crashed crawl's lock expires after JOBSCOUT_LOCK_TTL_SECONDS).
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
    if source == "all":
        if boards or urls or sitemap or spider_args:
            raise UserError("crawl all takes no --boards, --urls, --sitemap or --arg: it uses the board registry")
        return crawl_all(app, sources, base_url, setting_overrides, verbose, wait_lock)
    if source not in sources:
        raise UserError(f"unknown source {source!r}; available: {', '.join(sources)}")
    return run_crawl(app, settings, source, kwargs, wait_lock=wait_lock)


def crawl_all(
    app: AppContext,
    sources: list[str],
    base_url: str | None,
    setting_overrides,
    verbose: bool,
    wait_lock: bool = False,
) -> int:
    """Every source with something to crawl, one child process each (Twisted's reactor runs once per process)."""
    import subprocess
    import sys

    from scrapy.spiderloader import SpiderLoader

    settings = scrapy_settings(app.config, "WARNING")
    loader = SpiderLoader.from_settings(settings)
    outcomes: list[tuple[str, int, str]] = []
    for name in sources:
        cls = loader.load(name)
        if getattr(cls, "needs_urls", False):
            outcomes.append((name, 0, "skipped: needs --urls or --sitemap"))
            continue
        if getattr(cls, "needs_boards", False) and not cls.registered_boards(settings):
            outcomes.append((name, 0, "skipped: no boards registered"))
            continue
        argv = [sys.executable, "-m", "crawler.cli", "--db", app.config.db_url, "crawl", name]
        if base_url:
            argv += ["--base-url", base_url]
        for item in setting_overrides:
            argv += ["-s", item]
        if verbose:
            argv.append("-v")
        if wait_lock:
            argv.append("--wait")
        click.echo(f"--- {name}", err=True)
        code = subprocess.run(argv, check=False).returncode
        outcomes.append((name, code, STATUS_BY_EXIT.get(code, f"exit {code}")))
    click.echo("")
    for name, _code, what in outcomes:
        click.echo(f"{name:<16} {what}")
    # The worst outcome decides: failed over degraded over partial over skipped over ok.
    order = [0, EXIT_SKIPPED, EXIT_LOCKED, 4, 3, 1]
    codes = [code for _, code, _ in outcomes]
    return max(codes, key=lambda c: order.index(c) if c in order else len(order)) if codes else 0


def parse_pairs(items: tuple[str, ...], option: str) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UserError(f"{option} expects NAME=VALUE, got {item!r}")
        pairs[name.strip()] = value
    return pairs


def run_crawl(app: AppContext, settings, source: str, kwargs: dict[str, str], wait_lock: bool = False) -> int:
    from rich.console import Console
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

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
    real_endpoint = kwargs.get("base_url", spidercls.default_base_url).rstrip("/") == spidercls.default_base_url
    if real_endpoint and (skipped := check_interval(app, source)) is not None:
        return skipped
    from storage.locks import LockBusy, acquire

    ttl = settings.getfloat("JOBSCOUT_LOCK_TTL_SECONDS", 300)
    lock_boards = split_csv([kwargs["boards"]]) if kwargs.get("boards") else []
    try:
        lock = acquire(app.database()[1], source, lock_boards, owner="crawl", wait=wait_lock, ttl=ttl)
    except LockBusy as exc:
        click.echo(f"jobscout: {exc}; not starting a second crawl (use --wait to wait for it)", err=True)
        return EXIT_LOCKED
    lock.keep_alive()
    try:
        return _run_locked(app, process, crawler, console, source, kwargs, counts)
    finally:
        lock.release()


def _run_locked(app: AppContext, process, crawler, console, source: str, kwargs: dict[str, str], counts) -> int:
    from scrapy import signals

    from crawler.spiders.base import SpiderArgumentError

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


def check_interval(app: AppContext, source: str) -> int | None:
    """EXIT_SKIPPED (after saying why) when ``source`` was fetched too recently; None when the crawl may run."""
    from datetime import timedelta

    from storage.models import utcnow
    from storage.runs import interval_wait

    with app.session() as session:
        wait, reason = interval_wait(session, source)
    if wait <= 0:
        return None
    next_at = (utcnow() + timedelta(seconds=wait)).replace(microsecond=0).isoformat()
    click.echo(
        f"jobscout: {source} skipped: fetched too recently ({reason}); next fetch allowed at {next_at}", err=True
    )
    return EXIT_SKIPPED


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
