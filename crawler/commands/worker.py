"""``jobscout worker --queue redis://...``: run the crawl units schedulers put on the queue (crawler/queue.py)."""

from __future__ import annotations

import os
import socket

import click

from crawler.commands.options import db_option
from crawler.context import AppContext, UserError


def queue_url(value: str | None) -> str | None:
    """A broker URL as Celery takes it; only Redis is supported (the visibility timeout is Redis's)."""
    if value and not value.startswith(("redis://", "rediss://", "redis+socket://")):
        raise UserError(f"--queue must be a Redis URL (redis://HOST:PORT/DB), got {value!r}")
    try:
        import celery  # noqa: F401 -- only to say what is missing
    except ImportError:
        raise UserError("--queue needs Celery: pip install 'jobscout[queue]'") from None
    return value


visibility_option = click.option(
    "--visibility-timeout",
    type=click.FloatRange(min=1),
    default=7200,
    show_default=True,
    metavar="SECONDS",
    help="A unit whose worker died is handed to another after this long: longer than the longest unit.",
)


@click.command()
@click.option("--queue", "queue", required=True, metavar="URL", help="The Redis broker, redis://HOST:PORT/DB.")
@click.option("--concurrency", type=click.IntRange(min=1), default=2, show_default=True, help="Units at once.")
@visibility_option
@click.option("--loglevel", default="INFO", show_default=True, help="Celery's log level.")
@db_option
@click.pass_obj
def worker(app: AppContext, queue: str, concurrency: int, visibility_timeout: float, loglevel: str) -> int:
    """Run crawl units from the queue until SIGTERM (the running units finish first; SIGQUIT hands them back to
    the queue). Each unit is a child `jobscout crawl SOURCE --unit K/U` against this worker's --db.

    Run any number of workers, on any hosts, against one PostgreSQL and one Redis: docs/scale.md.
    """
    import logging

    from crawler.queue import QUEUE, make_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    db_url = app.config.db_url
    app.database()  # migrate and check the database before taking any unit
    from crawler.settings import child_normalize_processes

    celery = make_app(
        queue_url(queue),
        visibility_timeout=visibility_timeout,
        db_url=db_url,
        normalize_processes=child_normalize_processes(concurrency),
    )
    celery.worker_main(
        [
            "worker",
            "--pool=threads",
            f"--concurrency={concurrency}",
            f"--loglevel={loglevel}",
            f"--queues={QUEUE}",
            f"--hostname=jobscout-{os.getpid()}@{socket.gethostname()}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )
    return 0
