"""The ``jobscout`` console script: the command group and its error handling.

Each command lives in ``crawler/commands/<name>.py``. User mistakes (a bad flag value, an unknown source, an
unreadable config file, a database that cannot be opened) print one line, ``jobscout: error: ...``, and exit 2
without a traceback; a fault of the environment while a command works (a disk that fills while writing an export)
prints one line too and exits 1; a crawl's own outcome sets its exit code (see ``jobscout crawl --help``).
"""

from __future__ import annotations

import importlib
import sys

import click

from crawler.config import VERSION, ConfigError
from crawler.context import AppContext, RuntimeFault, UserError

# Command name -> (module under crawler/commands/, attribute). A command's module is imported only when that command
# runs (or a help lists it): the modules of the database commands import SQLAlchemy and storage, ~0.4 s that
# `jobscout normalize` does not need. tests/test_cli.py checks this table against the commands themselves.
COMMANDS: dict[str, tuple[str, str]] = {
    "crawl": ("crawl", "crawl"),
    "query": ("query", "query"),
    "show": ("show", "show"),
    "open": ("show", "open_"),
    "changes": ("changes", "changes"),
    "sources": ("sources", "sources"),
    "boards": ("boards", "boards"),
    "schedule": ("schedule", "schedule"),
    "scheduler": ("scheduler", "scheduler"),
    "runs": ("runs", "runs"),
    "watch": ("watch", "watch"),
    "info": ("info", "info"),
    "db": ("db", "db"),
    "normalize": ("normalize", "normalize"),
    "stats": ("stats", "stats"),
    "export": ("export", "export"),
    "reprocess": ("reprocess", "reprocess"),
    "fx": ("fx", "fx"),
    "serve": ("serve", "serve"),
    "worker": ("worker", "worker"),
}


class LazyGroup(click.Group):
    """A command group whose commands (``COMMANDS``) are imported on first use; listed in name order, as
    ``click.Group`` lists the commands added to it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name]
            self.add_command(getattr(importlib.import_module(f"crawler.commands.{module}"), attribute), cmd_name)
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:  # suggest from every command, not only the imported ones
            raise click.exceptions.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
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
