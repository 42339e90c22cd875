"""Writing postings out, streamed row by row: table, json (a schema v1 array) and jsonl from schema postings; csv,
the one CSV writer, from stored rows in the flat layout (``storage.flat``) with spreadsheet formulas neutralized.

Text that comes from postings, runs or remote documents reaches the terminal only through :func:`terminal_text`
(plain lines) or :func:`cell` (rich tables and prints): no rich markup is interpreted and no control character
(ANSI/OSC escape sequences, BEL, CR...) is written (docs/operations.md, "Hostile input")."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.model import Posting, iso
from pipeline.text import strip_controls
from storage.flat import NAMES, flat_row

if TYPE_CHECKING:
    from rich.text import Text

    from storage import models

FORMATS = ("table", "json", "jsonl", "csv")

# The flat layout's text form (docs/export.md). Skills are joined with ";": no taxonomy skill name contains one.
SKILLS_SEPARATOR = ";"
# OWASP's CSV-injection triggers: a spreadsheet evaluates a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def write_postings(postings: Iterable[Posting], fmt: str, out: TextIO | None = None) -> int:
    """Write schema v1 postings as ``table``, ``json`` (an array) or ``jsonl``; returns how many. CSV is not
    written from schema postings but from stored rows in the flat layout: :func:`write_csv`."""
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
    elif fmt == "table":
        count = _write_table(postings, out)
    else:
        raise ValueError(f"write_postings writes table, json or jsonl, not {fmt!r}")
    return count


def write_csv(rows: Iterable[models.Posting], out: TextIO) -> int:
    """The one CSV writer: stored postings (``storage.models.Posting``, loaded with
    ``storage.flat.loader_options()``) as the flat layout, a header line first even when there are none; returns
    how many postings it wrote. Every cell is formatted by :func:`csv_cell`, so text that a spreadsheet would run
    as a formula is neutralized."""
    writer = csv.writer(out)
    writer.writerow(NAMES)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(value) for value in flat_row(row).values()])
        count += 1
    return count


def csv_cell(value: Any) -> Any:
    """One flat-record value as a CSV cell: None as an empty cell, dates ISO 8601 UTC with ``Z``, booleans
    ``True``/``False``, numbers as Python writes them, a list joined with ``SKILLS_SEPARATOR``. Text (and a joined
    list) goes through :func:`neutralize`; numbers never do: -5.0 is a number, not a formula, and the csv module
    writes it unquoted, which a spreadsheet reads as the number it is."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before the number check: bool is an int
        return "True" if value else "False"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, list):
        value = SKILLS_SEPARATOR.join(value)
    return neutralize(str(value))


def neutralize(text: str) -> str:
    """``text`` with a leading ``'`` when it starts with a formula trigger (``=``, ``+``, ``-``, ``@``, tab, CR),
    as OWASP recommends against CSV injection: spreadsheets then show the text instead of evaluating it. The
    quote is visible in the cell and stays in the data a program reads back."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


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


def terminal_text(value: Any) -> str:
    """``value`` as text for a terminal: control characters removed (:func:`pipeline.text.strip_controls`; tab and
    line feed stay), so an ESC, BEL or CR in a title cannot start an ANSI/OSC sequence or rewrite the line; None is
    the empty string."""
    return "" if value is None else strip_controls(str(value))


def cell(value: Any, style: str = "") -> Text:
    """``value`` as a rich :class:`~rich.text.Text` for a table cell or ``console.print``: never read as rich markup
    (a title holding ``[/]`` or ``[link=...]`` is printed as it is, not parsed), control characters removed
    (:func:`terminal_text`)."""
    from rich.text import Text

    return Text(terminal_text(value), style=style)


def cells(*values: Any) -> list[Text]:
    """:func:`cell` of each value: ``table.add_row(*cells(a, b, c))``."""
    return [cell(v) for v in values]


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
            *cells(
                p.id,
                p.title,
                p.company,
                loc,
                p.workplace,
                p.seniority,
                format_pay(p),
                ", ".join(p.skills[:6]) + ("…" if len(p.skills) > 6 else ""),
                posted,
            )
        )
        count += 1
    console = make_console(out)
    if count:
        console.print(table)
    else:
        console.print("no postings match")
    return count
