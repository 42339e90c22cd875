"""``jobscout runs`` and ``jobscout runs show``: what crawls did (the crawl_runs table)."""

from __future__ import annotations

import json

import click

from crawler.commands.options import ROW_ID, db_option, format_option
from crawler.commands.output import Column, terminal_text, value_text, write_table
from crawler.context import AppContext, UserError


@click.group(invoke_without_command=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--source", help="Only runs of this source.")
@format_option()
@db_option
@click.pass_context
def runs(ctx: click.Context, limit: int, source: str | None, fmt: str) -> int:
    """Recent crawl runs: status, duration and counts."""
    if ctx.invoked_subcommand is not None:
        return 0
    from storage.liveness import mark_interrupted
    from storage.runs import recent_runs

    app: AppContext = ctx.obj
    with app.session() as session, session.begin():
        mark_interrupted(session, source)  # a run whose process died shows as interrupted, not running forever
        rows = [run_dict(r) for r in recent_runs(session, limit=limit, source=source)]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return 0
    if not rows:
        click.echo("no crawl runs yet")
        return 0
    table_rows = []
    for r in rows:
        duration = f"{r['duration_seconds']:.1f}s" if r["duration_seconds"] is not None else "running"
        table_rows.append(
            [
                r["id"],
                r["source"],
                r["started_at"][:16].replace("T", " "),
                duration,
                r["status"],
                r["fetched"],
                r["new"],
                r["updated"],
                r["closed"],
                sum(r["dropped"].values()),
                r["errors"],
                r["schedule_id"] or "-",
            ]
        )
    write_table(RUN_COLUMNS, table_rows)
    return 0


RUN_COLUMNS = [
    Column("id", keep=100, atomic=True, right=True),
    Column("source", keep=95, atomic=True),
    Column("started (UTC)", keep=90, atomic=True),
    Column("duration", keep=60, atomic=True, right=True),
    Column("status", keep=92, atomic=True),
    Column("fetched", keep=80, atomic=True, right=True),
    Column("new", keep=75, atomic=True, right=True),
    Column("updated", keep=50, atomic=True, right=True),
    Column("closed", keep=55, atomic=True, right=True),
    Column("dropped", keep=65, atomic=True, right=True),
    Column("errors", keep=70, atomic=True, right=True),
    Column("schedule", keep=40, atomic=True, right=True),
]


@runs.command("show")
@click.argument("run_id", type=ROW_ID)
@format_option()
@db_option
@click.pass_obj
def runs_show(app: AppContext, run_id: int, fmt: str) -> int:
    """One crawl run with its boards and errors."""
    from storage import models
    from storage.liveness import mark_interrupted

    with app.session() as session, session.begin():
        mark_interrupted(session)
        row = session.get(models.CrawlRun, run_id)
        if row is None:
            raise UserError(f"no crawl run with id {run_id}")
        data = run_dict(row)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return 0
    for label, value in run_lines(data):
        click.echo(terminal_text(f"{label + ':':<18} {value}"))
    if data["board_results"]:
        # Failed boards first, then by name: the ones to look at lead.
        results = sorted(data["board_results"].items(), key=lambda item: ("error" not in item[1], item[0]))
        for board, r in results:
            counts = f"{r.get('listed')} listed, {r['new']} new, {r['updated']} updated, {r['closed']} closed"
            failure = f"FAILED ({r.get('kind')}): {r.get('error')}"
            click.echo(terminal_text(f"board {board}: {failure if 'error' in r else counts}"))
    else:  # runs recorded before per-board results (migration 0011)
        for board, count in data["board_counts"].items():
            click.echo(terminal_text(f"board {board}: {count} listed"))
        for board, error in data["board_errors"].items():
            click.echo(terminal_text(f"board {board}: FAILED: {error}"))
    for board, hold in data["board_holds"].items():
        click.echo(terminal_text(f"board {board}: closing held: {value_text(hold)}"))
    for reason, count in data["dropped"].items():
        click.echo(terminal_text(f"dropped {reason}: {count}"))
    for message in data["error_messages"]:
        click.echo(terminal_text(f"error: {message}"))
    return 0


#: Up to this many boards, `runs show` names them on its boards line.
BOARDS_LISTED = 10


def run_lines(data: dict) -> list[tuple[str, str]]:
    """A run's scalar fields as (label, text) lines: lists joined, durations in seconds, missing values "-"."""
    lines = []
    for key, value in data.items():
        if key in ("error_messages", "board_errors", "board_counts", "board_holds", "board_results", "dropped"):
            continue
        if key == "duration_seconds":
            lines.append(("duration", "running" if value is None else f"{value:.1f}s"))
        elif key in ("started_at", "finished_at"):
            lines.append((key.removesuffix("_at"), value[:19].replace("T", " ") + " UTC" if value else "-"))
        elif key == "boards":  # a crawl unit can hold thousands: their number, and their names when few
            names = f" ({', '.join(value)})" if value and len(value) <= BOARDS_LISTED else ""
            lines.append((key, f"{len(value)}{names}" if value else "(all registered)"))
        else:
            lines.append((key, value_text(value)))
    return lines


def run_dict(r) -> dict:
    return {
        "id": r.id,
        "source": r.source,
        "boards": r.boards,
        "status": r.status,
        "status_reason": r.status_reason,
        "started_at": r.started_at.isoformat(),
        "finished_at": r.finished_at.isoformat() if r.finished_at else None,
        "duration_seconds": (r.finished_at - r.started_at).total_seconds() if r.finished_at else None,
        "fetched": r.fetched,
        "kept": r.kept,
        "new": r.new,
        "updated": r.updated,
        "closed": r.closed,
        "errors": r.errors,
        "dropped": r.dropped or {},
        "board_counts": r.board_counts or {},
        "board_errors": r.board_errors or {},
        "board_holds": r.board_holds or {},
        "board_results": r.board_results or {},
        "error_messages": r.error_messages or [],
        "schedule_id": r.schedule_id,
        "pid": r.pid,
        "host": r.host,
    }
