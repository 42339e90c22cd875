"""``jobscout info``: where the config and the data live, and what the database holds."""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.commands.options import db_option, format_option
from crawler.context import AppContext, safe_url


@click.command()
@format_option()
@db_option
@click.pass_obj
def info(app: AppContext, fmt: str) -> int:
    """Show the config file path, the database (and where its URL came from), its size and row counts."""
    from sqlalchemy.engine import make_url

    from crawler.config import VERSION
    from crawler.settings import cache_dir
    from storage.maintenance import table_counts
    from storage.migrate import current_revision, heads

    cfg = app.config
    cache = cache_dir()
    engine, session_factory = app.database()
    with session_factory() as session:
        counts = table_counts(session)
    size = None
    url = make_url(engine.url.render_as_string(hide_password=False))
    if url.get_backend_name() == "sqlite" and url.database:
        path = Path(url.database)
        size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    data = {
        "version": VERSION,
        "config_file": str(cfg.config_path),
        "config_file_exists": cfg.config_path.exists(),
        "data_dir": str(cfg.data_dir),
        "cache_dir": str(cache) if cache else None,
        "database": safe_url(cfg.db_url),
        "database_from": cfg.db_url_origin,
        "database_bytes": size,
        "schema_revision": current_revision(engine),
        "schema_head": ",".join(heads()),
        "user_agent_contact": cfg.contact,
        "boards_files": [str(p) for p in cfg.boards_files],
        "registry": str(cfg.registry_file) if cfg.registry_file else "shipped",
        "rows": counts,
    }
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
        return 0
    click.echo(f"jobscout {VERSION}")
    click.echo(
        f"config file:  {data['config_file']}{'' if data['config_file_exists'] else ' (not present; defaults apply)'}"
    )
    click.echo(f"data dir:     {data['data_dir']}")
    click.echo(f"cache dir:    {data['cache_dir'] or 'off (JOBSCOUT_CACHE_DIR=off)'}")
    click.echo(f"database:     {data['database']} (from {data['database_from']})")
    if size is not None:
        click.echo(f"size:         {size / 1e6:.1f} MB")
    click.echo(f"schema:       {data['schema_revision']} (head {data['schema_head']})")
    click.echo(f"contact:      {cfg.contact or '- (set [crawler] contact in the config file)'}")
    for name, value in counts.items():
        click.echo(f"{name + ':':<23} {value}")
    return 0
