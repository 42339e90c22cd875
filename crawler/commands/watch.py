"""``jobscout watch``: saved searches that tell you what is new."""

from __future__ import annotations

import json

import click

from crawler.commands.filters import build_filters, filter_options, pop_filter_params
from crawler.commands.options import db_option, format_option
from crawler.commands.output import terminal_text
from crawler.context import AppContext, UserError


@click.group()
def watch() -> None:
    """Saved searches that report new postings (webhook, Atom feed file or stdout).

    The scheduler runs every watch after each crawl; `jobscout watch run` runs them by hand.
    """


@watch.command("add")
@click.argument("name")
@filter_options
@click.option(
    "--notify", required=True, metavar="TARGET", help="webhook:URL (JSON POST), file:PATH (an Atom feed) or stdout."
)
@click.option("--pay-changes", is_flag=True, help="Also report pay changes of matching postings.")
@click.option("--backfill", is_flag=True, help="The first run reports every matching posting, not only new ones.")
@db_option
@click.pass_obj
def add(app: AppContext, name: str, notify: str, pay_changes: bool, backfill: bool, **kwargs) -> int:
    """Save a search NAME with the query filters; its runs report postings new since the previous run. A relative
    file:PATH is resolved against the current directory now (the scheduler runs watches from elsewhere)."""
    from storage.watches import WatchError, add_watch

    filters = build_filters(pop_filter_params(kwargs))
    try:
        with app.session() as session, session.begin():
            row = add_watch(session, name, filters, notify, pay_changes=pay_changes, backfill=backfill)
            target = row.notify
    except WatchError as exc:
        raise UserError(str(exc)) from exc
    click.echo(terminal_text(f"watch {name!r} added: notifies {target}"))
    return 0


@watch.command("list")
@format_option()
@db_option
@click.pass_obj
def list_(app: AppContext, fmt: str) -> int:
    """List the watches with their filters and pending deliveries."""
    from sqlalchemy import func, select

    from storage import models
    from storage.watches import EPOCH

    with app.session() as session:
        pending = dict(
            session.execute(
                select(models.WatchDelivery.watch_id, func.count())
                .where(models.WatchDelivery.delivered_at.is_(None))
                .group_by(models.WatchDelivery.watch_id)
            ).all()
        )
        rows = [
            {
                "name": w.name,
                "notify": w.notify,
                "pay_changes": w.pay_changes,
                "filters": {k: v for k, v in w.filters.items() if v not in (None, [], False, "USD", "posted")},
                # A backfilling watch's watermark is the epoch until its first run: it has never run.
                "last_run_at": w.last_run_at.isoformat()
                if w.last_run_at and not _is_epoch(w.last_run_at, EPOCH)
                else None,
                "pending": pending.get(w.id, 0),
            }
            for w in session.scalars(select(models.Watch).order_by(models.Watch.id))
        ]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
    elif not rows:
        click.echo("no watches (add one with `jobscout watch add NAME --skill Go --notify stdout`)")
    else:
        for r in rows:
            filters = " ".join(f"{k}={v}" for k, v in r["filters"].items())
            click.echo(
                terminal_text(
                    f"{r['name']}: {filters or '(all backend postings)'} -> {r['notify']}"
                    f" (last run {r['last_run_at'] or 'never'}, {r['pending']} pending)"
                )
            )
    return 0


def _is_epoch(when, epoch) -> bool:
    return when.replace(tzinfo=epoch.tzinfo) == epoch if when.tzinfo is None else when == epoch


@watch.command()
@click.argument("name")
@db_option
@click.pass_obj
def remove(app: AppContext, name: str) -> int:
    """Delete watch NAME."""
    from sqlalchemy import select

    from storage import models

    with app.session() as session, session.begin():
        row = session.scalar(select(models.Watch).where(models.Watch.name == name))
        if row is None:
            raise UserError(f"no watch named {name!r}")
        session.delete(row)
    click.echo(f"watch {name!r} removed")
    return 0


@watch.command("run")
@click.argument("name", required=False)
@db_option
@click.pass_obj
def run(app: AppContext, name: str | None) -> int:
    """Run watch NAME (default: every watch) now. Exit code 1 when a delivery failed (it stays queued)."""
    from storage.locks import LockBusy
    from storage.watches import WatchError, exclusive, run_all, run_watch

    engine, session_factory = app.database()
    try:
        if name:
            with exclusive(session_factory):
                results = [run_watch(session_factory, name, engine.dialect.name)]
        else:
            results = run_all(session_factory, engine.dialect.name)
    except WatchError as exc:
        raise UserError(str(exc)) from exc
    except LockBusy as exc:
        raise UserError(f"the watches are being run elsewhere for too long: {exc}") from exc
    failed = False
    for r in results:
        line = f"watch {r.name!r}: {r.new} new, {r.pay_changes} pay changes, {r.delivered} delivered"
        if r.pending:
            line += f", {r.pending} pending ({r.error})"
            failed = True
        click.echo(terminal_text(line), err=True)
    return 1 if failed else 0
