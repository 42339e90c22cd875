"""``jobscout scheduler run``: the daemon that runs the schedules table's crawls (crawler/schedule.py), or with
``--queue`` enqueues their units for ``jobscout worker`` on any host (crawler/queue.py)."""

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
@click.option(
    "--queue",
    metavar="URL",
    help="Enqueue each due run's crawl units on this Redis broker for `jobscout worker` instead of running them.",
)
@db_option
@click.pass_obj
def run(app: AppContext, max_runs, reload_every, grace, misfire_grace, workers, queue) -> int:
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
        enqueue=_enqueuer(app, session_factory, queue) if queue else None,
    )
    return daemon.run()


def _enqueuer(app: AppContext, session_factory, queue: str):
    """Queue mode: ``enqueue(schedule_id)`` for the daemon (crawler.queue.enqueue_schedule)."""
    from crawler.commands.crawl_pass import units_to_run
    from crawler.commands.worker import queue_url
    from crawler.queue import enqueue_schedule, make_app
    from crawler.runner import scrapy_settings

    celery = make_app(queue_url(queue))

    def units_of(source: str, overrides: dict[str, str]) -> list[str]:
        return [unit.label for unit in units_to_run(app, scrapy_settings(app.config, overrides=overrides), source)]

    return lambda schedule_id: enqueue_schedule(celery, session_factory, schedule_id, units_of)
