"""Writing postings out: table, json (a schema v1 array), jsonl and csv, streamed row by row."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from typing import TextIO

from pipeline.model import Posting

FORMATS = ("table", "json", "jsonl", "csv")

CSV_COLUMNS = (
    "id",
    "title",
    "company",
    "workplace",
    "seniority",
    "country",
    "city",
    "pay_min",
    "pay_max",
    "pay_currency",
    "pay_period",
    "pay_annual_min",
    "pay_annual_max",
    "skills",
    "posted_at",
    "url",
    "source",
    "board",
    "external_id",
    "is_backend",
)


def csv_row(p: Posting) -> dict[str, object]:
    data = p.to_dict()
    loc = p.locations[0] if p.locations else None
    pay = p.pay
    return {
        "id": p.id,
        "title": p.title,
        "company": p.company,
        "workplace": p.workplace,
        "seniority": p.seniority,
        "country": loc.country if loc else None,
        "city": loc.city if loc else None,
        "pay_min": pay.min if pay else None,
        "pay_max": pay.max if pay else None,
        "pay_currency": pay.currency if pay else None,
        "pay_period": pay.period if pay else None,
        "pay_annual_min": pay.annual_min if pay else None,
        "pay_annual_max": pay.annual_max if pay else None,
        "skills": ";".join(p.skills),
        "posted_at": data["posted_at"],
        "url": p.url,
        "source": p.source,
        "board": p.board,
        "external_id": p.external_id,
        "is_backend": p.is_backend,
    }


def write_postings(postings: Iterable[Posting], fmt: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    count = 0
    if fmt == "json":
        out.write("[")
        for p in postings:
            out.write(("," if count else "") + "\n" + json.dumps(p.to_dict(), ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
    elif fmt == "jsonl":
        for p in postings:
            out.write(json.dumps(p.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        for p in postings:
            writer.writerow(csv_row(p))
            count += 1
    else:
        count = _write_table(postings, out)
    return count


def format_pay(p: Posting) -> str:
    pay = p.pay
    if pay is None:
        return ""

    def amount(v: float | None) -> str:
        if v is None:
            return "?"
        return f"{v / 1000:.0f}k" if v >= 10000 else f"{v:g}"

    low, high = amount(pay.min), amount(pay.max)
    span = low if pay.min == pay.max else (f"up to {high}" if pay.min is None else f"{low}-{high}")
    period = {"year": "/yr", "month": "/mo", "week": "/wk", "day": "/day", "hour": "/hr"}.get(pay.period or "", "")
    return f"{pay.currency or ''} {span}{period}".strip()


def make_console(file: TextIO | None = None):
    """A rich Console; when output is not a terminal (a pipe, a file) tables get 200 columns, not 80."""
    from rich.console import Console

    out = file or sys.stdout
    return Console(file=out, width=None if out.isatty() else 200)


def _write_table(postings: Iterable[Posting], out: TextIO) -> int:
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("id", "title", "company", "location", "mode", "level", "pay", "skills", "posted"):
        table.add_column(column, overflow="fold")
    count = 0
    for p in postings:
        loc = p.locations[0].raw if p.locations else ""
        posted = p.posted_at.date().isoformat() if p.posted_at else ""
        table.add_row(
            str(p.id),
            p.title,
            p.company or "",
            loc,
            p.workplace or "",
            p.seniority or "",
            format_pay(p),
            ", ".join(p.skills[:6]) + ("…" if len(p.skills) > 6 else ""),
            posted,
        )
        count += 1
    console = make_console(out)
    if count:
        console.print(table)
    else:
        console.print("no postings match")
    return count
