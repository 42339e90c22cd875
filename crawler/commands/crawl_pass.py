"""``jobscout crawl SOURCE`` over a registry: every crawl unit of the source in turn, one child process each.

A platform source with more active boards than one unit holds (:mod:`crawler.units`) is crawled unit by unit: each
unit is a child ``jobscout crawl SOURCE --unit K/U`` (Twisted's reactor runs once per process, and a process per
unit bounds memory by the unit, not the registry). After each unit one progress line goes to stderr (boards done of
the total, postings read, new, failed boards, ETA), on a terminal and in logs alike; at the end a summary with the
totals and the failed boards (their count and the first few).
"""

from __future__ import annotations

import subprocess
import time
from collections import Counter
from datetime import timedelta

import click

from crawler import outcome
from crawler.commands.output import terminal_text
from crawler.context import AppContext


def units_to_run(app: AppContext, settings, source: str):
    """The units of ``source``'s active boards (one unit, or none, for a feed or a small registry)."""
    from crawler.database import CrawlDatabase
    from crawler.runner import CrawlError, active_tokens, spider_class
    from crawler.units import split

    try:
        spidercls = spider_class(settings, source)
    except CrawlError:
        return []  # crawl_one reports the unknown source
    if not getattr(spidercls, "needs_boards", False) or getattr(spidercls, "single_feed", False):
        return []
    size = settings.getint("JOBSCOUT_UNIT_BOARDS", 100)
    units = split(source, active_tokens(CrawlDatabase(*app.database()), source), size)
    return in_resume_order(app, source, units)


def in_resume_order(app: AppContext, source: str, units):
    """``units`` with those never crawled first, then those whose last run started longest ago: a pass cut short
    (a schedule's timeout, a reboot) resumes where the registry is stalest instead of starting over at unit 0."""
    from sqlalchemy import select

    from storage import models

    if len(units) < 2:
        return units
    last: dict[str, object] = {}
    with app.read_session() as session:
        # The latest runs of the source are enough: a unit not among them is as stale as never crawled.
        runs = session.execute(
            select(models.CrawlRun.args, models.CrawlRun.started_at)
            .where(models.CrawlRun.source == source)
            .order_by(models.CrawlRun.id.desc())
            .limit(20 * len(units))
        )
        for args, started in runs:
            label = (args or {}).get("unit") if isinstance(args, dict) else None
            if label and label not in last:
                last[label] = started
    never = [u for u in units if u.label not in last]
    seen = sorted((u for u in units if u.label in last), key=lambda u: last[u.label])
    return never + seen


def _eta(seconds: float) -> str:
    return str(timedelta(seconds=round(seconds)))


def crawl_units(
    app: AppContext,
    source: str,
    units,
    base_url: str | None,
    spider_args,
    setting_overrides,
    verbose: bool,
    wait_lock: bool,
) -> int:
    from sqlalchemy import select

    from crawler.runner import child_argv
    from storage import models

    total = sum(len(unit.boards) for unit in units)
    click.echo(f"{source}: {total} active boards in {len(units)} units of about {total // len(units)}", err=True)
    started = time.monotonic()
    done = 0
    totals: Counter = Counter()
    statuses: Counter = Counter()
    failed: dict[str, str] = {}
    busy: list[str] = []
    for unit in units:
        argv = [
            *child_argv(
                app.config.db_url,
                source,
                unit=unit.label,
                base_url=base_url,
                spider_args=spider_args,
                settings=setting_overrides,
                verbose=verbose,
                wait_lock=wait_lock,
            ),
            "--summary",
            "none",
        ]
        process = subprocess.Popen(argv)
        status = outcome.status_for_exit(process.wait())
        statuses[status] += 1
        if status == outcome.LOCKED:  # every board of the unit is being read by another crawl: reported, not worse
            busy += unit.boards
        with app.read_session() as session:
            run = session.scalars(
                select(models.CrawlRun)
                .where(models.CrawlRun.source == source, models.CrawlRun.pid == process.pid)
                .order_by(models.CrawlRun.id.desc())
                .limit(1)
            ).first()
        if run is not None:
            for name in ("fetched", "new", "updated", "closed", "errors"):
                totals[name] += getattr(run, name) or 0
            failed.update(run.board_errors or {})
            read = set(run.boards or []) - set(run.board_errors or {})
            totals["boards_read"] += len(read)
            busy += [b for b in unit.boards if b not in set(run.boards or [])]
        done += len(unit.boards)
        elapsed = time.monotonic() - started
        eta = _eta(elapsed / done * (total - done)) if done else "?"
        click.echo(
            f"{source}: unit {unit.label} {status}; {done}/{total} boards, {totals['fetched']} postings read, "
            f"{totals['new']} new, {len(failed)} failed boards; ETA {eta}",
            err=True,
        )
    return _summary(source, len(units), total, statuses, totals, failed, busy, time.monotonic() - started)


def _summary(
    source: str,
    units: int,
    total: int,
    statuses: Counter,
    totals: Counter,
    failed: dict[str, str],
    busy: list[str],
    seconds: float,
) -> int:
    """Print the pass's summary; its exit code: the worst status of the units that ran (a locked or skipped unit is
    reported, not worse)."""
    ran = [s for s in statuses if s in outcome.EXIT_CODES and s not in (outcome.LOCKED, outcome.SKIPPED)]
    worst = outcome.worst(ran) if ran else outcome.worst(list(statuses))
    click.echo(f"crawl of {source}: {outcome.describe(worst)} ({_eta(seconds)})")
    click.echo(
        f"  units: {units} ({', '.join(f'{n} {s}' for s, n in sorted(statuses.items()))}); boards: {total} "
        f"({totals['boards_read']} read, {len(failed)} failed)"
    )
    click.echo(
        f"  postings: {totals['fetched']} fetched, {totals['new']} new, {totals['updated']} updated, "
        f"{totals['closed']} closed; {totals['errors']} errors"
    )
    if busy:
        click.echo(terminal_text(f"  skipped {len(busy)} boards another crawl was reading: {', '.join(busy[:5])}"))
    if failed:
        click.echo(f"  failed boards ({len(failed)}; jobscout runs show RUN lists them all):")
        for board, error in list(failed.items())[:5]:
            click.echo(terminal_text(f"    {board}: {error}"))
    return outcome.exit_code(worst)
