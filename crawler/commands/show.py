"""``jobscout show ID``: one posting with its sources, apply URL and history."""

from __future__ import annotations

import json

import click

from crawler.commands.options import db_option
from crawler.commands.output import cell, cells, format_pay
from crawler.context import AppContext, UserError


@click.command()
@click.argument("posting_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
@click.pass_obj
def show(app: AppContext, posting_id: int, fmt: str) -> int:
    """Show posting ID: every field, every place it was seen, and its recorded changes."""
    from rich.console import Console
    from rich.table import Table
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
            .order_by(models.PostingChange.changed_at)
        ).all()
    if fmt == "json":
        data = posting.to_dict()
        data["changes"] = [
            {"field": c.field, "old": c.old, "new": c.new, "changed_at": c.changed_at.isoformat()} for c in changes
        ]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return 0

    console = Console()
    d = posting.to_dict()
    console.print(cell(posting.title, "bold") + cell(f" — {posting.company or '?'}  (id {posting.id})"))
    status = f"closed {d['closed_at']}" if posting.closed_at else "open"
    facts = Table(show_header=False, box=None)
    for name, value in (
        ("status", status),
        ("backend", f"{posting.is_backend} ({posting.role_reason})"),
        ("apply", posting.apply_url or posting.url or "-"),
        ("locations", "; ".join(loc.raw for loc in posting.locations) or "-"),
        (
            "workplace",
            (posting.workplace or "-")
            + (f" ({', '.join(posting.remote_regions)})" if posting.remote_regions else ""),
        ),
        ("seniority", posting.seniority or "-"),
        ("experience", _years(posting.experience_years_min, posting.experience_years_max)),
        ("education", (posting.education or "-") + (" or equivalent" if posting.education_equivalent else "")),
        ("employment", posting.employment_type or "-"),
        ("pay", format_pay(posting) or "-"),
        (
            "other ranges",
            "; ".join(f"{r.label or ''} {r.min}-{r.max} {r.currency}/{r.period}" for r in posting.pay_ranges[1:])
            or "-",
        ),
        ("skills", ", ".join(posting.skills) or "-"),
        ("visa / relocation", f"{_tri(posting.visa_sponsorship)} / {_tri(posting.relocation)}"),
        ("posted", d["posted_at"] or "-"),
        ("first / last seen", f"{d['first_seen_at']} / {d['last_seen_at']}"),
        ("provenance", ", ".join(f"{k}: {v}" for k, v in posting.provenance.items()) or "-"),
    ):
        facts.add_row(*cells(name, value))
    console.print(facts)
    sources = Table(title="sources", title_justify="left")
    for column in ("source", "board", "external id", "first seen", "last seen", "url"):
        sources.add_column(column, overflow="fold")
    for s in d["sources"]:
        sources.add_row(
            *cells(s["source"], s["board"], s["external_id"], s["first_seen_at"], s["last_seen_at"], s["url"])
        )
    console.print(sources)
    if changes:
        history = Table(title="history", title_justify="left")
        for column in ("when", "field", "old", "new"):
            history.add_column(column, overflow="fold")
        for c in changes:
            history.add_row(*cells(c.changed_at.isoformat(), c.field, json.dumps(c.old), json.dumps(c.new)))
        console.print(history)
    return 0


def _years(low: float | None, high: float | None) -> str:
    if low is None and high is None:
        return "-"
    if high is None:
        return f"{low:g}+ years"
    return f"{low or 0:g}-{high:g} years"


def _tri(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")
