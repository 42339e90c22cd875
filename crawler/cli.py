"""The ``jobscout`` console script: the command group and its error handling.

Each command lives in ``crawler/commands/<name>.py``. User mistakes (a bad flag value, an unknown source, an
unreadable config file, a database that cannot be opened) print one line, ``jobscout: error: ...``, and exit 2
without a traceback; a fault of the environment while a command works (a disk that fills while writing an export)
prints one line too and exits 1; a crawl's own outcome sets its exit code (see ``jobscout crawl --help``).
"""

from __future__ import annotations

import sys

import click

from crawler.commands import (
    boards,
    changes,
    crawl,
    db,
    export,
    fx,
    info,
    normalize,
    query,
    reprocess,
    runs,
    schedule,
    scheduler,
    serve,
    show,
    sources,
    stats,
    watch,
)
from crawler.config import VERSION, ConfigError
from crawler.context import AppContext, RuntimeFault, UserError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(VERSION, prog_name="jobscout")
@click.option(
    "--db",
    "db_url",
    metavar="URL",
    help="Database URL or SQLite file path (overrides JOBSCOUT_DB_URL and the config file).",
)
@click.pass_context
def cli(ctx: click.Context, db_url: str | None) -> None:
    """jobscout: every open backend-engineering job, what it pays and which skills it asks for.

    Crawl ATS APIs and job boards into a local database, then query it. The database is a SQLite file in your
    data directory unless --db, JOBSCOUT_DB_URL or the config file says otherwise (`jobscout info` shows which).
    """
    ctx.obj = AppContext(db_flag=db_url)


for command in (
    crawl.crawl,
    query.query,
    show.show,
    show.open_,
    changes.changes,
    sources.sources,
    boards.boards,
    schedule.schedule,
    scheduler.scheduler,
    runs.runs,
    watch.watch,
    info.info,
    db.db,
    normalize.normalize,
    stats.stats,
    export.export,
    reprocess.reprocess,
    fx.fx,
    serve.serve,
):
    cli.add_command(command)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit code (tests call it in-process)."""
    try:
        result = cli.main(args=argv, prog_name="jobscout", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("jobscout: aborted", err=True)
        return 130
    except click.ClickException as exc:
        click.echo(f"jobscout: error: {exc.format_message()}", err=True)
        return 2
    except (UserError, ConfigError) as exc:
        click.echo(f"jobscout: error: {exc}", err=True)
        return 2
    except RuntimeFault as exc:
        click.echo(f"jobscout: error: {exc}", err=True)
        return 1
    except BrokenPipeError:  # `jobscout query | head`
        return 0
    return result if isinstance(result, int) else 0


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
