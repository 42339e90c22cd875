"""``jobscout runs`` and ``jobscout runs show``: what crawls did (the crawl_runs table)."""

from __future__ import annotations

import json

import click

from crawler.commands.options import db_option
from crawler.commands.output import cells, make_console, terminal_text
from crawler.context import AppContext, UserError


@click.group(invoke_without_command=True)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--source", help="Only runs of this source.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
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
    from rich.table import Table

    table = Table()
    for column in (
        "id",
        "source",
        "started",
        "duration",
        "status",
        "fetched",
        "new",
        "updated",
        "closed",
        "dropped",
        "errors",
        "schedule",
    ):
        table.add_column(column, overflow="fold")
    for r in rows:
        duration = f"{r['duration_seconds']:.1f}s" if r["duration_seconds"] is not None else "running"
        table.add_row(
            *cells(
                r["id"],
                r["source"],
                r["started_at"][:19],
                duration,
                r["status"],
                r["fetched"],
                r["new"],
                r["updated"],
                r["closed"],
                sum(r["dropped"].values()),
                r["errors"],
                r["schedule_id"] or "-",
            )
        )
    make_console().print(table)
    return 0


@runs.command("show")
@click.argument("run_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
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
    for key, value in data.items():
        if key in ("error_messages", "board_errors", "board_counts", "board_results", "boards", "dropped"):
            continue
        click.echo(terminal_text(f"{key + ':':<18} {value}"))
    click.echo(terminal_text(f"{'boards:':<18} {len(data['boards'])}"))
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
    for reason, count in data["dropped"].items():
        click.echo(terminal_text(f"dropped {reason}: {count}"))
    for message in data["error_messages"]:
        click.echo(terminal_text(f"error: {message}"))
    return 0


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
