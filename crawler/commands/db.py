"""``jobscout db``: schema migrations."""

from __future__ import annotations

import click

from crawler.commands.options import db_option
from crawler.context import AppContext, UserError, safe_url


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
@click.pass_obj
def upgrade(app: AppContext) -> int:
    """Apply pending schema migrations (other commands do this on first use too)."""
    from sqlalchemy.exc import OperationalError

    from storage.db import DatabaseURLError, get_engine
    from storage.migrate import current_revision, upgrade_if_needed

    url = app.config.db_url
    try:
        engine = get_engine(url)
        before = current_revision(engine)
        changed = upgrade_if_needed(engine)
        after = current_revision(engine)
    except DatabaseURLError as exc:
        raise UserError(str(exc)) from exc
    except OperationalError as exc:
        raise UserError(f"cannot open database {safe_url(url)}: {str(exc.orig).splitlines()[0]}") from exc
    if changed:
        click.echo(f"upgraded {safe_url(url)}: {before or 'empty'} -> {after}")
    else:
        click.echo(f"{safe_url(url)} is up to date ({after})")
    return 0
