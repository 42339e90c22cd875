"""``jobscout show ID``: one posting with its sources, apply URL, description and history; ``jobscout open ID``
opens its apply URL in the browser."""

from __future__ import annotations

import json
import sys
import textwrap
from typing import TextIO

import click

from crawler.commands.options import ROW_ID, db_option, format_option
from crawler.commands.output import (
    Column,
    format_pay,
    money,
    terminal_text,
    terminal_width,
    value_text,
    write_table,
    write_wrapped,
)
from crawler.context import AppContext, UserError

LABEL_WIDTH = 18
#: Below this many columns the description is not indented under the labels.
NARROW = 60


def _load(app: AppContext, posting_id: int):
    from sqlalchemy import select

    from storage import models
    from storage.mapping import to_schema

    with app.read_session() as session:
        row = session.get(models.Posting, posting_id)
        if row is None:
            raise UserError(f"no posting with id {posting_id}")
        posting = to_schema(row)
        changes = session.scalars(
            select(models.PostingChange)
            .where(models.PostingChange.posting_id == posting_id)
            .order_by(models.PostingChange.changed_at, models.PostingChange.id)
        ).all()
        history = [(c.changed_at, c.field, c.old, c.new) for c in changes]
    return posting, history


@click.command()
@click.argument("posting_id", type=ROW_ID)
@format_option()
@click.option("--no-description", is_flag=True, help="Leave the description out.")
@db_option
@click.pass_obj
def show(app: AppContext, posting_id: int, fmt: str, no_description: bool) -> int:
    """Show posting ID: every field, the full apply URL, the description, every place it was seen and its recorded
    changes."""
    posting, history = _load(app, posting_id)
    if fmt == "json":
        data = posting.to_dict()
        if no_description:
            data.pop("description_text", None)
        data["changes"] = [
            {"field": f, "old": old, "new": new, "changed_at": at.isoformat()} for at, f, old, new in history
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print_posting(posting, history, sys.stdout, description=not no_description)
    return 0


def print_posting(posting, history, out: TextIO, description: bool = True) -> None:
    """The human form of ``show``: labelled lines (a URL printed whole, on one line, so a terminal can open it),
    the description wrapped at word boundaries, then the sources and history tables."""
    width = terminal_width(out)
    write_wrapped(f"{posting.title} — {posting.company or '?'}  (id {posting.id})", out)
    _put(out)
    for label, value in _facts(posting):
        if value is not None:
            _fact(out, width, label, value)
    if description:
        _put(out)
        _put(out, "description")
        _description(out, width, posting.description_text)
    _put(out)
    _sources(out, posting.to_dict()["sources"])
    if history:
        _put(out)
        _put(out, "history")
        for at, field, old, new in history:
            # One change per entry, wrapped at words: values are never cut (a pay range read in half misleads).
            write_wrapped(f"{iso_minute(at)}  {field}: {value_text(old)} -> {value_text(new)}", out, indent="  ")


def _put(out: TextIO, text: str = "") -> None:
    out.write(terminal_text(text) + "\n")


def _facts(posting) -> list[tuple[str, str | None]]:
    """The labelled lines of ``show``, in order; None leaves a line out."""
    d = posting.to_dict()
    apply = posting.apply_url or posting.url
    other_ranges = "; ".join(
        " ".join(filter(None, [r.label, money(r.min, r.max, r.currency, r.period)])) for r in posting.pay_ranges[1:]
    )
    regions = f" ({', '.join(posting.remote_regions)})" if posting.remote_regions else ""
    return [
        ("status", f"closed {d['closed_at']}" if posting.closed_at else "open"),
        ("apply", apply or "-"),
        ("url", posting.url if posting.url and posting.url != apply else None),
        ("pay", format_pay(posting) or "-"),
        ("other ranges", other_ranges or None),
        ("locations", "; ".join(loc.raw for loc in posting.locations) or "-"),
        ("workplace", (posting.workplace or "-") + regions),
        ("seniority", posting.seniority or "-"),
        ("experience", _years(posting.experience_years_min, posting.experience_years_max)),
        ("education", (posting.education or "-") + (" or equivalent" if posting.education_equivalent else "")),
        ("employment", posting.employment_type or "-"),
        ("skills", ", ".join(posting.skills) or "-"),
        ("visa / relocation", f"{_tri(posting.visa_sponsorship)} / {_tri(posting.relocation)}"),
        ("backend", f"{'yes' if posting.is_backend else 'no'} ({posting.role_reason or '-'})"),
        ("posted", _day(d["posted_at"]) or "unknown"),
        ("first / last seen", f"{_day(d['first_seen_at'])} / {_day(d['last_seen_at'])}"),
        ("provenance", ", ".join(f"{k}: {v}" for k, v in posting.provenance.items()) or "-"),
    ]


def _fact(out: TextIO, width: int | None, label: str, value: str) -> None:
    """One labelled line, wrapped under its label at ``width``; URLs whole on one line (a terminal opens them)."""
    value = terminal_text(value).replace("\n", " ")
    if width is None or label in ("apply", "url") or len(value) + LABEL_WIDTH <= width:
        _put(out, f"{label:<{LABEL_WIDTH}}{value}")
        return
    body = textwrap.wrap(value, max(20, width - LABEL_WIDTH), break_long_words=False, break_on_hyphens=False)
    _put(out, f"{label:<{LABEL_WIDTH}}{body[0] if body else ''}")
    for more in body[1:]:
        _put(out, " " * LABEL_WIDTH + more)


def _description(out: TextIO, width: int | None, text: str | None) -> None:
    """The description indented by two, each paragraph wrapped at words (whole when there is no width)."""
    text = (text or "").strip()
    if not text:
        _put(out, "  (none stored)")
    for paragraph in text.splitlines():
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if width is None:
            _put(out, "  " + paragraph)
            continue
        for line in textwrap.wrap(paragraph, max(20, width - 2), break_long_words=False, break_on_hyphens=False):
            _put(out, "  " + line)


def _sources(out: TextIO, sources: list[dict]) -> None:
    write_table(
        [
            Column("source", keep=90, atomic=True),
            Column("board", keep=80, min_width=10),
            Column("external id", keep=70, atomic=True),
            Column("first seen", keep=40, atomic=True),
            Column("last seen", keep=60, atomic=True),
        ],
        [
            [s["source"], s["board"], s["external_id"], _day(s["first_seen_at"]), _day(s["last_seen_at"])]
            for s in sources
        ],
        out,
        title="sources",
    )
    for s in sources:
        if s.get("url"):
            _put(out, f"  {s['source']}/{s['board']}: {s['url']}")


def iso_minute(when) -> str:
    """A datetime as "2026-11-03 14:05" (UTC), for tables."""
    return when.strftime("%Y-%m-%d %H:%M")


def _day(iso_text: str | None) -> str:
    return (iso_text or "")[:10]


def _years(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "-"
    if high is None:
        return f"{low:g}+ years"
    return f"{low or 0:g}-{high:g} years"


def _tri(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


@click.command("open")
@click.argument("posting_id", type=ROW_ID)
@db_option
@click.pass_obj
def open_(app: AppContext, posting_id: int) -> int:
    """Open posting ID's apply URL in the web browser (prints the URL when there is no browser to open)."""
    import webbrowser

    from pipeline.sources.common import http_url

    posting, _ = _load(app, posting_id)
    url = http_url(posting.apply_url) or http_url(posting.url)
    if not url:
        raise UserError(f"posting {posting_id} has no http(s) apply URL")
    opened = False
    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    click.echo(terminal_text(url if not opened else f"opened {url}"))
    return 0
