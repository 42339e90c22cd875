"""``jobscout boards``: the board registry in the database -- list, add, remove, import, check, discover.

The rows, their origins and statuses and the liveness rule are described in docs/registry.md; the storage side is
:mod:`storage.boards`, probing :mod:`crawler.probe`, discovery :mod:`crawler.discovery`.
"""

from __future__ import annotations

import csv
import json
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import click

from crawler.commands.options import DATE, db_option, split_csv
from crawler.commands.output import cells, make_console, terminal_text
from crawler.context import AppContext, UserError

COLUMNS = (
    "source",
    "token",
    "company",
    "status",
    "origin",
    "config",
    "first_seen_at",
    "last_ok_at",
    "last_listed",
    "last_checked_at",
    "consecutive_failures",
    "gone_since",
    "last_error",
    "evidence",
)


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def board_record(board) -> dict[str, Any]:
    """One board as ``--format json`` prints it."""
    return {
        "source": board.source,
        "token": board.token,
        "company": board.company,
        "status": board.status,
        "origin": board.origin,
        "config": board.config or {},
        "first_seen_at": _iso(board.first_seen_at),
        "last_ok_at": _iso(board.last_ok_at),
        "last_listed": board.last_listed,
        "last_checked_at": _iso(board.last_checked_at),
        "consecutive_failures": board.consecutive_failures,
        "gone_since": _iso(board.gone_since),
        "last_error": board.last_error,
        "evidence": board.evidence,
    }


def crawled_sources() -> list[str]:
    from crawler.registry import CRAWLED_PLATFORMS

    return sorted(CRAWLED_PLATFORMS)


def check_source(source: str | None) -> str | None:
    if source is not None and source not in crawled_sources():
        raise UserError(f"unknown board source {source!r}; boards belong to: {', '.join(crawled_sources())}")
    return source


@click.group(invoke_without_command=True)
@click.option("--source", metavar="SOURCE", help="Only this platform's boards (greenhouse, lever, ...).")
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(["active", "unverified", "gone", "removed"], case_sensitive=False),
    help="Only boards with this status (repeatable). Default: active and unverified.",
)
@click.option("--origin", type=click.Choice(["shipped", "user", "discovered"], case_sensitive=False))
@click.option("--search", metavar="TEXT", help="Boards whose token or company contains TEXT (any case).")
@click.option("--all", "show_all", is_flag=True, help="Include gone and removed boards.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help="Rows to print (table default 50; json and csv default all; 0 = all).",
)
@db_option
@click.pass_context
def boards(ctx: click.Context, source, statuses, origin, search, show_all, fmt, limit) -> int:
    """The company boards each ATS source crawls: where they came from, whether they answer.

    \b
    status:  active      crawled when no --boards is given
             unverified  linked from a posting; crawled once it answers
             gone        "no such board" for a week (docs/registry.md)
             removed     by you; never re-added by a registry update
    origin:  shipped (the registry), user (add, import, your files),
             discovered (a posting's link)
    """
    if ctx.invoked_subcommand is not None:
        return 0
    from storage.boards import LIVE_STATUSES, STATUSES, select_boards, totals

    app: AppContext = ctx.obj
    check_source(source)
    wanted = [s.lower() for s in statuses] or (list(STATUSES) if show_all else list(LIVE_STATUSES))
    with app.read_session() as session:
        statement = select_boards(source=source, status=wanted, origin=origin and origin.lower(), search=search)
        if limit is None and fmt == "table":
            limit = 50
        total_matching = None
        if limit:
            from sqlalchemy import func, select

            total_matching = session.scalar(select(func.count()).select_from(statement.subquery()))
            statement = statement.limit(limit)
        rows = list(session.scalars(statement))
        counts = totals(session)
    if fmt == "json":
        click.echo(json.dumps([board_record(b) for b in rows], indent=2, ensure_ascii=False))
        return 0
    if fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        for b in rows:
            record = board_record(b)
            record["config"] = json.dumps(record["config"], sort_keys=True) if record["config"] else ""
            writer.writerow([terminal_text(record[c]) for c in COLUMNS])
        return 0
    _print_table(rows, counts, total_matching, source)
    return 0


def _print_table(rows, counts: dict[tuple[str, str], int], total_matching: int | None, source: str | None) -> None:
    from rich.table import Table

    console = make_console()
    if rows:
        table = Table()
        for column in ("source", "token", "company", "status", "origin", "last ok", "listed"):
            table.add_column(column, no_wrap=column in ("source", "status", "origin", "last ok", "listed"))
        for b in rows:
            last_ok = b.last_ok_at.date().isoformat() if b.last_ok_at else "never"
            listed = "" if b.last_listed is None else b.last_listed
            table.add_row(*cells(b.source, b.token, b.company or "", b.status, b.origin, last_ok, listed))
        console.print(table)
    if total_matching is not None and total_matching > len(rows):
        click.echo(f"{len(rows)} of {total_matching} matching boards shown (--limit 0 shows all; --format csv)")
    elif not rows:
        click.echo("no boards match")
    summary = Table(title="boards per source and status")
    statuses = ("active", "unverified", "gone", "removed")
    summary.add_column("source")
    for status in statuses:
        summary.add_column(status, justify="right")
    sources = sorted({s for s, _ in counts if source is None or s == source})
    for name in sources:
        summary.add_row(*cells(name, *(counts.get((name, status), 0) for status in statuses)))
    if len(sources) > 1:
        summary.add_row(*cells("all", *(sum(counts.get((s, status), 0) for s in sources) for status in statuses)))
    console.print(summary)


def _config_option(value: str | None) -> dict[str, Any] | None:
    if value is None:
        return None
    try:
        config = json.loads(value)
    except json.JSONDecodeError as exc:
        raise UserError(f"--config must be a JSON object: {exc}") from None
    if not isinstance(config, dict):
        raise UserError('--config must be a JSON object, e.g. \'{"region": "eu"}\'')
    return config


@boards.command()
@click.argument("source")
@click.argument("token")
@click.option("--company", metavar="NAME", help="The company's display name.")
@click.option("--config", "config_text", metavar="JSON", help='Per-board config, e.g. \'{"region": "eu"}\'.')
@db_option
@click.pass_obj
def add(app: AppContext, source: str, token: str, company: str | None, config_text: str | None) -> int:
    """Add the board TOKEN of SOURCE (or update it, and make it active again if it was removed or gone)."""
    from storage.boards import add as add_board

    check_source(source)
    if not token.strip():
        raise UserError("the board token is empty")
    config = _config_option(config_text)
    with app.session() as session, session.begin():
        board, created = add_board(session, source, token, company=company, config=config, origin="user")
        status = board.status
    click.echo(f"{'added' if created else 'updated'} {source}/{board.token} ({status})")
    return 0


@boards.command()
@click.argument("source")
@click.argument("token")
@db_option
@click.pass_obj
def remove(app: AppContext, source: str, token: str) -> int:
    """Stop crawling the board TOKEN of SOURCE (it is kept as removed, so no registry update adds it back)."""
    from storage.boards import remove as remove_board

    check_source(source)
    with app.session() as session, session.begin():
        board = remove_board(session, source, token)
        if board is None:
            raise UserError(f"no board {source}/{token} (jobscout boards --search {token} --all)")
        name = board.token
    click.echo(f"removed {source}/{name}")
    return 0


@boards.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@db_option
@click.pass_obj
def import_(app: AppContext, path: Path) -> int:
    """Add or update the boards of a TOML or CSV boards file (docs/registry.md shows both formats)."""
    from crawler.boards import BoardsFileError, apply_specs, read_boards_file

    try:
        specs, _ = read_boards_file(path)
        with app.session() as session, session.begin():
            counts = apply_specs(session, specs, crawled_sources(), str(path))
    except BoardsFileError as exc:
        raise UserError(str(exc)) from exc
    click.echo(f"{path}: {counts['added']} added, {counts['updated']} updated, {counts['removed']} removed")
    return 0


def _probe_and_record(app: AppContext, targets, *, base_url, timeout, rate, quiet=False) -> Counter:
    """Probe ``targets`` (boards), record each answer (board liveness) in batches; returns the tallies."""
    from crawler.boards import liveness_rules
    from crawler.probe import Target, probe_all
    from crawler.runner import scrapy_settings, spider_class
    from storage.boards import record_answers

    settings = scrapy_settings(app.config, "WARNING")
    rules = liveness_rules(settings)
    probes = []
    for board in targets:
        url = spider_class(settings, board.source).board_probe_url(board.token, board.config or {}, base_url)
        if url:
            probes.append(Target(board.source, board.token, url))
    tallies: Counter = Counter()
    # Interleave the platforms so that each batch keeps every host busy (one request at a time per host).
    by_source: dict[str, list] = {}
    for probe in probes:
        by_source.setdefault(probe.source, []).append(probe)
    interleaved = [p for group in _round_robin(list(by_source.values())) for p in group]
    batch = 200
    for start in range(0, len(interleaved), batch):
        chunk = interleaved[start : start + batch]
        answers = probe_all(chunk, user_agent=settings.get("USER_AGENT"), timeout=timeout, rate=rate)
        with app.session() as session, session.begin():
            for source in {t.source for t in chunk}:
                mine = {t.token: a for t, a in answers.items() if t.source == source}
                for token, status in record_answers(session, source, mine, rules).items():
                    tallies[f"now {status}"] += 1
                    if not quiet:
                        click.echo(terminal_text(f"{source:<16} {token:<32} now {status}"))
        for target, answer in answers.items():
            kind = "answered" if answer.ok else ("not found" if answer.missing else "no answer")
            tallies[kind] += 1
            if not answer.ok and not quiet:
                click.echo(terminal_text(f"{target.source:<16} {target.token:<32} {kind}: {answer.error}"))
        if len(interleaved) > batch:
            click.echo(f"probed {min(start + batch, len(interleaved))}/{len(interleaved)}", err=True)
    tallies["probed"] = len(interleaved)
    return tallies


def _round_robin(groups: list[list]) -> list[list]:
    """[[a1, a2], [b1]] -> [[a1, b1], [a2]]: one item of each group per round."""
    rounds: list[list] = []
    for index in range(max((len(g) for g in groups), default=0)):
        rounds.append([g[index] for g in groups if index < len(g)])
    return rounds


@boards.command()
@click.option("--source", metavar="SOURCE", help="Only this platform's boards.")
@click.option("--boards", "tokens", metavar="A,B", help="Probe these boards of --source now, however fresh.")
@click.option(
    "--stale",
    type=DATE,
    default="7d",
    show_default=True,
    help="Probe active and unverified boards not checked (crawled or probed) since AGE or DATE; gone ones monthly.",
)
@click.option("--base-url", metavar="URL", help="Probe a mirror or a local test server instead of the real hosts.")
@click.option("--timeout", type=click.FloatRange(min=1), default=20.0, show_default=True, help="Seconds per probe.")
@click.option(
    "--rate", type=click.FloatRange(min=0), default=2.0, show_default=True, help="Probes per second per host."
)
@click.option("--limit", type=click.IntRange(min=1), help="Probe at most this many boards.")
@db_option
@click.pass_obj
def check(app: AppContext, source, tokens, stale, base_url, timeout, rate, limit) -> int:
    """Probe boards once each and update their status (exit 1 when a board answered "no such board").

    A board that answers "no such board" on 3 checks or crawls over at least 7 days becomes gone; any answer makes
    it active again; a network error, timeout, 5xx or 429 counts for nothing (docs/registry.md)."""
    from storage.boards import due_for_check, find
    from storage.models import utcnow

    check_source(source)
    if base_url and not base_url.startswith(("http://", "https://")):
        raise UserError(f"--base-url must be an http(s) URL, got {base_url!r}")
    with app.read_session() as session:
        if tokens:
            if source is None:
                raise UserError("--boards needs --source")
            targets = []
            for token in split_csv([tokens]):
                board = find(session, source, token)
                if board is None:
                    raise UserError(f"no board {source}/{token} (add it first: jobscout boards add {source} {token})")
                targets.append(board)
        else:
            targets = due_for_check(session, source=source, stale=max(utcnow() - stale, timedelta(0)))
    if limit:
        targets = targets[:limit]
    if not targets:
        click.echo("no boards due for a check (--stale 0h checks every one)")
        return 0
    tallies = _probe_and_record(app, targets, base_url=base_url, timeout=timeout, rate=rate)
    changes = ", ".join(f"{n} {k}" for k, n in sorted(tallies.items()) if k.startswith("now ")) or "no status changes"
    click.echo(
        f"{tallies['probed']} boards probed: {tallies['answered']} answered, {tallies['not found']} not found, "
        f"{tallies['no answer']} no answer; {changes}"
    )
    return 1 if tallies["not found"] else 0


@boards.command()
@click.option("--since", type=DATE, default="30d", show_default=True, help="Scan postings seen since DATE or AGE.")
@click.option("--probe", is_flag=True, help="Probe each new board once (an answer makes it active).")
@click.option("--dry-run", is_flag=True, help="Report what would be registered; change nothing.")
@click.option("--base-url", metavar="URL", help="Probe a mirror or a local test server instead of the real hosts.")
@click.option("--rate", type=click.FloatRange(min=0), default=2.0, show_default=True, help="Probes/s per host.")
@db_option
@click.pass_obj
def discover(app: AppContext, since, probe: bool, dry_run: bool, base_url, rate: float) -> int:
    """Register the ATS boards that stored postings link to (as unverified; --probe verifies them)."""
    from crawler.discovery import discover as run_discovery

    if base_url and not base_url.startswith(("http://", "https://")):
        raise UserError(f"--base-url must be an http(s) URL, got {base_url!r}")
    with app.session() as session, session.begin():
        found = run_discovery(session, since=since, platforms=crawled_sources(), register=not dry_run)
    added = found.added_per_source()
    verb = "would add" if dry_run else "added"
    click.echo(f"{found.postings} postings scanned since {since.date().isoformat()}")
    for source in sorted(set(found.linked) | set(added)):
        click.echo(f"{source:<16} {found.linked[source]:>6} boards linked, {verb} {added[source]}")
    for ref, evidence in found.added[:20]:
        click.echo(terminal_text(f"  {verb} {ref.source}/{ref.token}  (linked from {evidence})"))
    if len(found.added) > 20:
        click.echo(f"  ... and {len(found.added) - 20} more (jobscout boards --origin discovered)")
    if probe and found.added and not dry_run:
        from storage.boards import find

        with app.read_session() as session:
            targets = [b for ref, _ in found.added if (b := find(session, ref.source, ref.token)) is not None]
        tallies = _probe_and_record(app, targets, base_url=base_url, timeout=20.0, rate=rate, quiet=True)
        click.echo(
            f"probed {tallies['probed']} new boards: {tallies['answered']} answered (now active), "
            f"{tallies['not found']} not found, {tallies['no answer']} no answer"
        )
    return 0
