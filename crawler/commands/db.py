"""``jobscout db``: schema migrations, pruning and vacuum."""

from __future__ import annotations

import click

from crawler.commands.options import DATE, db_option
from crawler.context import AppContext, UserError, opening_database, safe_url


@click.group()
def db() -> None:
    """Database maintenance."""


@db.command()
@db_option
@click.pass_obj
def upgrade(app: AppContext) -> int:
    """Apply pending schema migrations and load new registry boards (other commands do both on first use too)."""
    from crawler.boards import sync
    from crawler.config import ConfigError
    from storage.db import get_engine, make_session_factory
    from storage.migrate import current_revision, upgrade_if_needed

    url = app.config.db_url
    with opening_database(url):
        app.ensure_data_dir()
        engine = get_engine(url)
        before = current_revision(engine)
        changed = upgrade_if_needed(engine)
        after = current_revision(engine)
        try:
            loaded = sync(make_session_factory(engine), app.config.registry_file, app.config.boards_files)
        except ConfigError as exc:
            raise UserError(str(exc)) from exc
    if changed:
        click.echo(f"upgraded {safe_url(url)}: {before or 'empty'} -> {after}")
    else:
        click.echo(f"{safe_url(url)} is up to date ({after})")
    if loaded["shipped"] or loaded["user"]:
        click.echo(f"boards: {loaded['shipped']} added from the registry, {loaded['user']} from your boards files")
    return 0


@db.command()
@click.option(
    "--closed-before", type=DATE, help="Delete postings closed before DATE (with their sources and history)."
)
@click.option("--raw-older-than", type=DATE, help="Drop the raw payloads of sources last seen before DATE.")
@db_option
@click.pass_obj
def prune(app: AppContext, closed_before, raw_older_than) -> int:
    """Keep the database small: delete long-closed postings and old raw payloads (then `jobscout db vacuum`)."""
    from storage.maintenance import prune_batches

    if closed_before is None and raw_older_than is None:
        raise UserError("db prune needs --closed-before DATE and/or --raw-older-than DATE")
    out = {"postings_deleted": 0, "payloads_dropped": 0}
    # A commit per batch: crawls wait for one batch, not for the whole prune, and memory stays one batch of ids.
    with app.session() as session:
        for step in prune_batches(session, closed_before, raw_older_than):
            session.commit()
            for key, n in step.items():
                out[key] += n
    click.echo(f"deleted {out['postings_deleted']} closed postings; dropped {out['payloads_dropped']} raw payloads")
    return 0


@db.command()
@db_option
@click.pass_obj
def vacuum(app: AppContext) -> int:
    """Give freed space back to the file system (SQLite VACUUM; PostgreSQL VACUUM ANALYZE)."""
    engine, _ = app.database()
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            raw.driver_connection.execute("VACUUM")
        finally:
            raw.close()
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    click.echo(f"vacuumed {safe_url(app.config.db_url)}")
    return 0
