"""``jobscout serve``: browse the database in a web page, a JSON API and Atom feeds (read-only)."""

from __future__ import annotations

import ipaddress

import click

from crawler.commands.options import db_option
from crawler.context import AppContext, UserError

# Host names a loopback server answers to: any other Host header is refused (a page that rebinds its own name to
# 127.0.0.1 must not read the API from the reader's browser).
LOOPBACK_NAMES = ("127.0.0.1", "localhost")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but a loopback address lets other machines read the database: there is no "
    "login.",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help="Port to listen on.")
@db_option
@click.pass_obj
def serve(app: AppContext, host: str, port: int) -> int:
    """Serve a read-only web app over the database: a search page with facets, each posting with its sources,
    pay, skills and history, a stats page, a JSON API (/api/postings, OpenAPI at /openapi.json) and an Atom feed
    per search (/feed?...). Needs the web extra: pip install -e ".[web]". See docs/serve.md."""
    try:
        import uvicorn

        from crawler.web.app import create_app
    except ImportError as exc:
        raise UserError(f'jobscout serve needs the web extra: pip install -e ".[web]" (missing: {exc.name})') from exc
    from storage.db import read_only_session_factory

    engine, _ = app.database()
    loopback = is_loopback(host)
    if not loopback:
        click.echo(
            f"jobscout: warning: listening on {host}: anyone who can reach it can read the database (no login)",
            err=True,
        )
    from storage.fx import rates_in_use

    web = create_app(
        read_only_session_factory(engine),
        dialect=engine.dialect.name,
        allowed_hosts=LOOPBACK_NAMES if host in LOOPBACK_NAMES else None,
        rates=rates_in_use(app.config.data_dir),  # what `jobscout query` compares pay with: a `fx update` file too
    )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"jobscout serve: http://{shown}:{port}/ (Ctrl-C stops)", err=True)
    uvicorn.run(web, host=host, port=port, log_level="warning", server_header=False)
    return 0
