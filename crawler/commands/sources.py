"""``jobscout sources``: the sources and their registered boards; ``sources check`` probes every board once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import click

from crawler.commands.output import cells, make_console, terminal_text
from crawler.context import AppContext, UserError


def spider_classes(settings) -> dict[str, type]:
    from scrapy.spiderloader import SpiderLoader

    loader = SpiderLoader.from_settings(settings)
    return {name: loader.load(name) for name in sorted(loader.list())}


@click.group(invoke_without_command=True)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def sources(ctx: click.Context, fmt: str) -> int:
    """List the sources, their endpoints and their registered boards."""
    if ctx.invoked_subcommand is not None:
        return 0
    from rich.table import Table

    from crawler.boards import load_registry
    from crawler.runner import scrapy_settings

    app: AppContext = ctx.obj
    settings = scrapy_settings(app.config, "WARNING")
    registry = load_registry(app.config.boards_files)
    rows = []
    for name, cls in spider_classes(settings).items():
        boards = [b for b in registry if b.source == name]
        rows.append(
            {
                "source": name,
                "kind": "full snapshot" if getattr(cls, "full_snapshot", True) else "windowed feed",
                "endpoint": getattr(cls, "default_base_url", ""),
                "boards": [
                    {
                        "token": b.token,
                        "company": b.company,
                        "verified": b.verified,
                        "enabled": b.enabled,
                        "origin": b.origin,
                    }
                    for b in boards
                ],
            }
        )
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2))
        return 0
    table = Table()
    for column in ("source", "kind", "endpoint", "boards (crawled by default)", "unverified / disabled"):
        table.add_column(column, overflow="fold")
    for row in rows:
        on = [b["token"] for b in row["boards"] if b["enabled"]]
        off = [b["token"] for b in row["boards"] if not b["enabled"]]
        needs = getattr(spider_classes(settings)[row["source"]], "needs_boards", True)
        table.add_row(
            *cells(
                row["source"],
                row["kind"],
                row["endpoint"],
                ", ".join(on) or ("-" if needs else "(feed)"),
                ", ".join(off) or "-",
            )
        )
    make_console().print(table)
    return 0


@sources.command()
@click.argument("source", required=False)
@click.option("--base-url", metavar="URL", help="Probe a mirror or a local test server instead of the real endpoint.")
@click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True, help="Seconds per probe.")
@click.pass_obj
def check(app: AppContext, source: str | None, base_url: str | None, timeout: float) -> int:
    """Probe every registered board (of SOURCE, or all) once and report the dead ones (exit 1 if any)."""
    from crawler.boards import load_registry
    from crawler.runner import scrapy_settings

    settings = scrapy_settings(app.config, "WARNING")
    classes = spider_classes(settings)
    if source and source not in classes:
        raise UserError(f"unknown source {source!r}; available: {', '.join(classes)}")
    probes = []
    for board in load_registry(app.config.boards_files):
        cls = classes.get(board.source)
        if cls is None or (source and board.source != source) or not hasattr(cls, "probe_url"):
            continue
        probes.append((board, cls.probe_url((base_url or cls.default_base_url).rstrip("/"), board.token)))
    if not probes:
        raise UserError("no boards to check")
    user_agent = settings.get("USER_AGENT")

    def probe(url: str) -> str | None:
        try:
            with urlopen(
                Request(url, headers={"User-Agent": user_agent, "Accept": "application/json"}), timeout=timeout
            ) as response:
                response.read(1)
            return None
        except HTTPError as exc:
            return f"HTTP {exc.code}"
        except (URLError, TimeoutError, OSError) as exc:
            return f"unreachable: {getattr(exc, 'reason', exc)}"

    # A handful at a time: polite to each platform, and a full registry still finishes in seconds.
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(probe, [url for _, url in probes]))
    dead = 0
    for (board, url), error in zip(probes, results, strict=True):
        state = "ok" if error is None else f"DEAD ({error})"
        dead += error is not None
        click.echo(terminal_text(f"{board.source:<16} {board.token:<24} {state:<28} {url}"))
    click.echo(f"{len(probes)} boards probed, {dead} dead")
    return 1 if dead else 0
