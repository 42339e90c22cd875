"""``jobscout schedule ...``: add, list, pause, resume, remove and load the schedules table's rows (the daemon that
runs them is ``jobscout scheduler run``, crawler/commands/scheduler.py)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import click

from crawler.commands.options import ROW_ID, db_option, format_option, split_csv
from crawler.commands.output import Column, write_table
from crawler.context import AppContext, UserError

DEFAULT_SCHEDULES = Path(__file__).resolve().parent.parent / "data" / "schedules.toml"


def _duration(value: str | None, option: str) -> int | None:
    from crawler.schedule import ScheduleError, parse_duration

    if value is None:
        return None
    try:
        seconds = parse_duration(value)
    except ScheduleError as exc:
        raise UserError(f"{option}: {exc}") from exc
    if seconds <= 0:
        raise UserError(f"{option} must be positive, got {value!r}")
    return seconds


def build_schedule(
    source: str,
    *,
    cron: str | None,
    every: str | None,
    timeout: str,
    jitter: str | None,
    options: dict,
    known_sources: list[str],
):
    from crawler.schedule import ScheduleError, validate_cron
    from storage import models
    from storage.models import utcnow

    if source not in known_sources:
        raise UserError(f"unknown source {source!r}; available: {', '.join(known_sources)}")
    if bool(cron) == bool(every):
        raise UserError("give exactly one of --cron EXPR or --every DURATION")
    if cron:
        try:
            validate_cron(cron)
        except ScheduleError as exc:
            raise UserError(str(exc)) from exc
    base_url = options.get("base_url")
    if base_url and not str(base_url).startswith(("http://", "https://")):
        raise UserError(f"--base-url must be an http(s) URL, got {base_url!r}")
    now = utcnow()
    return models.Schedule(
        source=source,
        options={k: v for k, v in options.items() if v},
        cron=cron,
        interval_seconds=_duration(every, "--every"),
        timeout_seconds=_duration(timeout, "--timeout"),
        jitter_seconds=_duration(jitter, "--jitter") if jitter and jitter != "0" else 0,
        paused=False,
        created_at=now,
        updated_at=now,
    )


def _sources(app: AppContext) -> list[str]:
    from crawler.runner import available_sources, scrapy_settings

    return available_sources(scrapy_settings(app.config, "WARNING"))


@click.group()
def schedule() -> None:
    """Scheduled crawls: stored in the database, run by `jobscout scheduler run`."""


@schedule.command("add")
@click.argument("source")
@click.option("--boards", metavar="A,B", help="Boards to crawl (default: the registered ones).")
@click.option("--base-url", metavar="URL", help="Endpoint override (a mirror or a local test server).")
@click.option("--urls", metavar="U1,U2", help="Page URLs (JSON-LD source).")
@click.option("--sitemap", metavar="URL", help="Sitemap URL (JSON-LD source).")
@click.option("-a", "--arg", "spider_args", multiple=True, metavar="NAME=VALUE", help="Extra spider argument.")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE", help="Scrapy setting override.")
@click.option("--cron", metavar="EXPR", help='A crontab expression in UTC, e.g. "0 */6 * * *".')
@click.option("--every", metavar="DURATION", help="An interval: 10s, 30m, 6h, 1d.")
@click.option("--timeout", default="30m", show_default=True, metavar="DURATION", help="Kill a run after this long.")
@click.option(
    "--jitter", default=None, metavar="DURATION", help="Start each run up to this much later (spreads load)."
)
@db_option
@click.pass_obj
def add(
    app: AppContext, source, boards, base_url, urls, sitemap, spider_args, settings, cron, every, timeout, jitter
) -> int:
    """Schedule crawls of SOURCE, with the same options as `jobscout crawl`."""
    for item in (*spider_args, *settings):
        if "=" not in item:
            raise UserError(f"-a/-s expect NAME=VALUE, got {item!r}")
    options = {
        "boards": ",".join(split_csv([boards])) if boards else None,
        "base_url": base_url,
        "urls": ",".join(split_csv([urls])) if urls else None,
        "sitemap": sitemap,
        "args": list(spider_args),
        "settings": list(settings),
    }
    row = build_schedule(
        source, cron=cron, every=every, timeout=timeout, jitter=jitter, options=options, known_sources=_sources(app)
    )
    with app.session() as session, session.begin():
        session.add(row)
        session.flush()
        schedule_id = row.id
    from crawler.schedule import describe_trigger

    click.echo(f"schedule {schedule_id} added: {source} {describe_trigger(row)}")
    return 0


@schedule.command("list")
@format_option()
@db_option
@click.pass_obj
def list_(app: AppContext, fmt: str) -> int:
    """List the schedules, with when each runs next (while `jobscout scheduler run` is running)."""
    from sqlalchemy import select

    from crawler.schedule import describe_trigger
    from storage import models
    from storage.models import utcnow

    with app.session() as session:
        rows = session.scalars(select(models.Schedule).order_by(models.Schedule.id)).all()
    now = utcnow()
    data = [
        {
            "id": r.id,
            "source": r.source,
            "when": describe_trigger(r),
            "timeout_seconds": r.timeout_seconds,
            "jitter_seconds": r.jitter_seconds,
            "paused": r.paused,
            "options": r.options,
            "last_status": r.last_status,
            "last_started_at": r.last_started_at.isoformat() if r.last_started_at else None,
            "next_run_at": (next_at.isoformat() if (next_at := next_run(r, now)) else None),
        }
        for r in rows
    ]
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return 0
    if not data:
        click.echo("no schedules (add one with `jobscout schedule add SOURCE --every 6h`)")
        return 0
    table_rows = []
    for d in data:
        opts = ", ".join(f"{k}={v}" for k, v in d["options"].items() if v)
        state = "paused" if d["paused"] else "active"
        last = "never"
        if d["last_started_at"]:
            last = f"{d['last_started_at'][:16].replace('T', ' ')} {d['last_status']}"
        upcoming = "-" if d["paused"] or not d["next_run_at"] else d["next_run_at"][:16].replace("T", " ")
        if d["jitter_seconds"] and upcoming != "-":
            upcoming += f" (+≤{d['jitter_seconds']}s)"
        table_rows.append(
            [d["id"], d["source"], d["when"], state, upcoming, last, f"{d['timeout_seconds']}s", opts or "-"]
        )
    write_table(
        [
            Column("id", keep=100, atomic=True, right=True),
            Column("source", keep=95, atomic=True),
            Column("when", keep=90, min_width=10),
            Column("state", keep=85, atomic=True),
            Column("next run (UTC)", keep=80, atomic=True),
            Column("last run (UTC)", keep=70, atomic=True),
            Column("timeout", keep=40, atomic=True, right=True),
            Column("options", keep=30, min_width=12),
        ],
        table_rows,
    )
    return 0


def next_run(row, now):
    """When the scheduler daemon runs schedule ``row`` next: the trigger's next fire time after its last start
    (for an interval: the last start plus the interval; a schedule that never ran: due now), without jitter.
    None for a paused schedule or an unreadable trigger."""
    from datetime import UTC, timedelta

    from crawler.schedule import ScheduleError, make_trigger

    if row.paused:
        return None
    try:
        trigger = make_trigger(row)
    except ScheduleError:
        return None
    trigger.jitter = None  # the time it is due; the daemon may add up to the jitter
    last = row.last_started_at
    if last is not None and last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    if row.cron:
        return trigger.get_next_fire_time(None, now)
    if last is None:
        return now
    due = last + timedelta(seconds=row.interval_seconds)
    return max(due, now)


def _set_paused(app: AppContext, schedule_id: int, paused: bool | None) -> None:
    from storage import models
    from storage.models import utcnow

    with app.session() as session, session.begin():
        row = session.get(models.Schedule, schedule_id)
        if row is None:
            raise UserError(f"no schedule with id {schedule_id}")
        if paused is None:
            session.delete(row)
        else:
            row.paused = paused
            row.updated_at = utcnow()


@schedule.command()
@click.argument("schedule_id", type=ROW_ID)
@db_option
@click.pass_obj
def remove(app: AppContext, schedule_id: int) -> int:
    """Delete schedule SCHEDULE_ID."""
    _set_paused(app, schedule_id, None)
    click.echo(f"schedule {schedule_id} removed")
    return 0


@schedule.command()
@click.argument("schedule_id", type=ROW_ID)
@db_option
@click.pass_obj
def pause(app: AppContext, schedule_id: int) -> int:
    """Pause schedule SCHEDULE_ID (the daemon stops running it)."""
    _set_paused(app, schedule_id, True)
    click.echo(f"schedule {schedule_id} paused")
    return 0


@schedule.command()
@click.argument("schedule_id", type=ROW_ID)
@db_option
@click.pass_obj
def resume(app: AppContext, schedule_id: int) -> int:
    """Resume schedule SCHEDULE_ID."""
    _set_paused(app, schedule_id, False)
    click.echo(f"schedule {schedule_id} resumed")
    return 0


@schedule.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@click.option("--replace", is_flag=True, help="Delete every existing schedule first.")
@db_option
@click.pass_obj
def load(app: AppContext, file: Path | None, replace: bool) -> int:
    """Add the schedules of a TOML FILE (default: the shipped crawler/data/schedules.toml).

    \b
    [[schedule]]
    source = "greenhouse"
    every = "6h"            # or cron = "0 */6 * * *"
    timeout = "30m"
    jitter = "10m"
    boards = "stripe,gitlab"   # and base_url, urls, sitemap, args, settings

    Loading the same file twice adds nothing: identical schedules are skipped.
    """
    from sqlalchemy import delete, select

    from storage import models

    path = file or DEFAULT_SCHEDULES
    try:
        data = tomllib.loads(path.read_text())
    except FileNotFoundError as exc:
        raise UserError(f"schedules file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"schedules file {path} is not valid TOML: {exc}") from exc
    entries = data.get("schedule", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise UserError(f"schedules file {path}: expected [[schedule]] tables")
    known = _sources(app)
    rows = []
    for number, entry in enumerate(entries, 1):
        if "source" not in entry:
            raise UserError(f"schedules file {path}: schedule {number} has no source")
        options = {k: entry.get(k) for k in ("boards", "base_url", "urls", "sitemap")}
        options["args"] = list(entry.get("args", []))
        options["settings"] = list(entry.get("settings", []))
        try:
            rows.append(
                build_schedule(
                    entry["source"],
                    cron=entry.get("cron"),
                    every=entry.get("every"),
                    timeout=str(entry.get("timeout", "30m")),
                    jitter=entry.get("jitter"),
                    options=options,
                    known_sources=known,
                )
            )
        except UserError as exc:
            raise UserError(f"schedules file {path}: schedule {number}: {exc}") from exc
    added = skipped = 0
    with app.session() as session, session.begin():
        if replace:
            session.execute(delete(models.Schedule))
        existing = {_identity(s) for s in session.scalars(select(models.Schedule))}
        for row in rows:
            if _identity(row) in existing:
                skipped += 1
                continue
            session.add(row)
            existing.add(_identity(row))
            added += 1
    click.echo(f"{added} schedules added, {skipped} already present (from {path})")
    return 0


def _identity(row) -> tuple:
    return (row.source, json.dumps(row.options, sort_keys=True), row.cron, row.interval_seconds)
