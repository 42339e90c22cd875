"""``jobscout scheduler run``: the daemon that runs the schedules table's crawls (crawler/schedule.py)."""

from __future__ import annotations

import click

from crawler.commands.options import db_option
from crawler.context import AppContext


@click.group()
def scheduler() -> None:
    """The scheduler daemon."""


@scheduler.command("run")
@click.option("--max-runs", type=click.IntRange(min=1), help="Stop after N finished runs (tests, one-shot use).")
@click.option(
    "--reload-every",
    type=click.FloatRange(min=0.1),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Re-read the schedules table this often (SIGHUP re-reads at once).",
)
@click.option(
    "--grace",
    type=click.FloatRange(min=0),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="On SIGTERM/SIGINT, how long running crawls may finish before they are stopped.",
)
@click.option(
    "--misfire-grace",
    type=click.IntRange(min=1),
    default=300,
    show_default=True,
    metavar="SECONDS",
    help="A run that could not start on time still starts within this delay (else it is skipped).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=4,
    show_default=True,
    help="Crawls that may run at once (different schedules).",
)
@db_option
@click.pass_obj
def run(app: AppContext, max_runs, reload_every, grace, misfire_grace, workers) -> int:
    """Run the scheduled crawls in the foreground until SIGTERM/SIGINT (logs to stderr).

    Suitable for systemd or a container: see docs/scheduler.md.
    """
    import logging

    from crawler.schedule import Daemon

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    _engine, session_factory = app.database()
    daemon = Daemon(
        db_url=app.config.db_url,
        session_factory=session_factory,
        max_runs=max_runs,
        reload_every=reload_every,
        grace=grace,
        misfire_grace=misfire_grace,
        max_workers=workers,
    )
    return daemon.run()
