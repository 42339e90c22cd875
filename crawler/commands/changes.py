"""``jobscout changes``: what changed in postings (pay, title, locations, work mode), newest first."""

from __future__ import annotations

import json

import click

from crawler.commands.options import DATE, db_option, format_option
from crawler.context import AppContext

FIELDS = ("pay", "title", "locations", "workplace")


def pay_direction(old, new) -> str | None:
    """ "raised" / "lowered" when both sides are ranges in one currency and period (by max, then min)."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None
    if (old.get("currency"), old.get("period")) != (new.get("currency"), new.get("period")):
        return None
    for key in ("max", "min"):
        a, b = old.get(key), new.get(key)
        if a is not None and b is not None and a != b:
            return "raised" if b > a else "lowered"
    return None


@click.command()
@click.option("--field", "fields", multiple=True, type=click.Choice(FIELDS), help="Only this field (repeatable).")
@click.option("--since", type=DATE, help="Changes at or after DATE (2026-11-01, an ISO datetime, or 30d).")
@click.option("--raised", is_flag=True, help="Only pay ranges that went up (implies --field pay).")
@click.option("--lowered", is_flag=True, help="Only pay ranges that went down (implies --field pay).")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True)
@format_option()
@db_option
@click.pass_obj
def changes(app: AppContext, fields, since, raised, lowered, limit, fmt) -> int:
    """List recorded changes: which postings raised their pay range this month? `jobscout changes --raised
    --since 30d`."""
    from sqlalchemy import select

    from storage import models

    if raised or lowered:
        fields = ("pay",)
    stmt = (
        select(models.PostingChange, models.Posting.title, models.Posting.company)
        .join(models.Posting, models.Posting.id == models.PostingChange.posting_id)
        .order_by(models.PostingChange.changed_at.desc(), models.PostingChange.id.desc())
    )
    if fields:
        stmt = stmt.where(models.PostingChange.field.in_(fields))
    if since is not None:
        stmt = stmt.where(models.PostingChange.changed_at >= since)
    rows = []
    with app.read_session() as session:
        for change, title, company in session.execute(stmt.execution_options(yield_per=500)):
            direction = pay_direction(change.old, change.new) if change.field == "pay" else None
            if (raised and direction != "raised") or (lowered and direction != "lowered"):
                continue
            rows.append(
                {
                    "posting_id": change.posting_id,
                    "title": title,
                    "company": company,
                    "field": change.field,
                    "old": change.old,
                    "new": change.new,
                    "direction": direction,
                    "changed_at": change.changed_at.isoformat().replace("+00:00", "Z"),
                }
            )
            if len(rows) >= limit:
                break
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        click.echo("no changes recorded" + (" matching these filters" if fields or since else ""))
        return 0
    from crawler.commands.output import value_text, write_wrapped

    # Two lines per change, wrapped at words: a pay range is never cut, whatever the width.
    click.echo(f"{len(rows)} changes")
    for r in rows:
        when = r["changed_at"][:16].replace("T", " ")
        field = r["field"] + (f" ({r['direction']})" if r["direction"] else "")
        write_wrapped(f"{when}  #{r['posting_id']} {r['title']} — {r['company'] or '?'}")
        write_wrapped(f"{field}: {value_text(r['old'])} -> {value_text(r['new'])}", indent="    ")
    return 0
