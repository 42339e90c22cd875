"""Writing postings out, streamed row by row: table, json (a schema v1 array) and jsonl from schema postings; csv,
the one CSV writer, from stored rows in the flat layout (``storage.flat``) with spreadsheet formulas neutralized.

Text that comes from postings, runs or remote documents reaches the terminal only through :func:`terminal_text`
(plain lines) or :func:`cell` (rich tables and prints): no rich markup is interpreted and no control character
(ANSI/OSC escape sequences, BEL, CR...) is written (docs/operations.md, "Hostile input")."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TextIO

from pipeline.model import Posting, iso
from pipeline.text import strip_controls
from storage.flat import NAMES, flat_row
from storage.fx import amount_text, money

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
    """The primary pay range of a posting as text (:func:`money`); "" when it states none."""
    pay = p.pay
    return "" if pay is None else money(pay.min, pay.max, pay.currency, pay.period)


def value_text(value: Any) -> str:
    """A stored value (a history entry, a run's field) as text a person reads, never a Python repr or JSON: a pay
    dict as :func:`money`, a list joined with "; ", a mapping as "key: value, ...", None as "-"."""
    if value is None:
        return "-"
    if isinstance(value, dict):
        if {"min", "max"} & value.keys() and ("currency" in value or "period" in value):
            return money(value.get("min"), value.get("max"), value.get("currency"), value.get("period")) or "-"
        return ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) or "-"
    if isinstance(value, list | tuple):
        return "; ".join(value_text(v) for v in value) or "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return amount_text(value)
    if isinstance(value, datetime):
        return iso(value)
    return str(value)


# Bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): in a terminal they reorder
# what follows them up to the end of the line -- a title can make the next column's company or pay read backwards
# or appear elsewhere ("Trojan Source", CVE-2021-42574). The plain marks (LRM, RLM, ALM) only nudge one neutral
# character and stay.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def terminal_text(value: Any) -> str:
    """``value`` as text for a terminal: control characters removed (:func:`pipeline.text.strip_controls`; tab and
    line feed stay), so an ESC, BEL or CR in a title cannot start an ANSI/OSC sequence or rewrite the line, and
    bidirectional overrides removed, so a value cannot reorder the rest of its line; None is the empty string."""
    if value is None:
        return ""
    text = strip_controls(str(value))
    return _BIDI_CONTROLS.sub("", text) if not text.isascii() else text


def cell(value: Any, style: str = "") -> Text:
    """``value`` as a rich :class:`~rich.text.Text` for a table cell or ``console.print``: never read as rich markup
    (a title holding ``[/]`` or ``[link=...]`` is printed as it is, not parsed), control characters removed
    (:func:`terminal_text`)."""
    from rich.text import Text

    return Text(terminal_text(value), style=style)


def cells(*values: Any) -> list[Text]:
    """:func:`cell` of each value: ``table.add_row(*cells(a, b, c))``."""
    return [cell(v) for v in values]


def terminal_width(out: TextIO | None = None) -> int | None:
    """The width to lay text out in: a terminal's width; for a pipe or a file, ``COLUMNS`` when it is set (None
    when it is not: every value printed whole)."""
    import os
    import shutil

    out = out or sys.stdout
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    isatty = getattr(out, "isatty", None)
    if isatty is not None and isatty():
        return shutil.get_terminal_size().columns
    return None


#: A pipe without COLUMNS: wide enough that nothing is folded.
UNLIMITED_WIDTH = 1000


def make_console(file: TextIO | None = None):
    """A rich Console as wide as :func:`terminal_width` says (a pipe without ``COLUMNS``: nothing folded)."""
    from rich.console import Console

    out = file or sys.stdout
    return Console(file=out, width=terminal_width(out) or UNLIMITED_WIDTH, highlight=False)


# --- tables laid out by width --------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Column:
    """A column of a :func:`layout` table. ``keep`` ranks columns: the lowest goes first when the width is short.
    An ``atomic`` column (a date, an id, a URL, an amount) is printed whole or not at all; another one may be cut
    down to ``min_width`` with "…" at a word boundary."""

    name: str
    keep: int = 50
    atomic: bool = False
    min_width: int = 8
    right: bool = False
    want: int | None = None  # the width this column should have before an optional column is shown
    optional: bool = False  # shown only when every column's want fits too


GAP = 2  # spaces between columns


def layout(columns: list[Column], rows: list[list[str]], width: int | None) -> tuple[list[int], list[int]]:
    """Which columns fit in ``width`` and how wide each is: (indexes of the columns kept, their widths).

    Columns are dropped lowest ``keep`` first until every kept column fits at its minimum (atomic: whole); the
    space left goes to the cut columns in equal shares, up to their natural width."""
    from rich.cells import cell_len

    natural = [max([cell_len(c.name), *(cell_len(row[i]) for row in rows)]) for i, c in enumerate(columns)]
    floor = [
        natural[i] if c.atomic else min(natural[i], max(c.min_width, cell_len(c.name))) for i, c in enumerate(columns)
    ]
    kept = list(range(len(columns)))
    if width is None:
        return kept, [natural[i] for i in kept]

    def need(indexes: list[int]) -> int:
        return sum(floor[i] for i in indexes) + GAP * (len(indexes) - 1)

    while len(kept) > 1 and need(kept) > width:
        kept.remove(min(kept, key=lambda i: (columns[i].keep, -i)))
    # Optional columns (a location, the skills) go before the others are squeezed below the width they want.
    wanted = [natural[i] if c.atomic else min(natural[i], max(floor[i], c.want or 0)) for i, c in enumerate(columns)]
    while (optional := [i for i in kept if columns[i].optional]) and (
        sum(wanted[i] for i in kept) + GAP * (len(kept) - 1) > width
    ):
        kept.remove(min(optional, key=lambda i: (columns[i].keep, -i)))
    widths = {i: floor[i] for i in kept}
    spare = width - need(kept)
    # The space left goes to the cut columns, most valued first: each up to the width it wants, then each up to
    # its natural width.
    by_value = sorted((i for i in kept if widths[i] < natural[i]), key=lambda i: (-columns[i].keep, i))
    for target in (wanted, natural):
        for i in by_value:
            step = max(0, min(target[i] - widths[i], spare))
            widths[i] += step
            spare -= step
    return kept, [widths[i] for i in kept]


def fit(text: str, width: int) -> str:
    """``text`` in at most ``width`` cells: whole when it fits, else cut at a word boundary (or mid-word when the
    first word alone is too long) with "…"."""
    from rich.cells import cell_len, set_cell_size

    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    cut = set_cell_size(text, width - 1)
    at_boundary = text[len(cut) : len(cut) + 1] in (" ", "")  # the cut ends a word already
    cut = cut.rstrip()
    space = cut.rfind(" ")
    if not at_boundary and space >= (width - 1) * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;-–—/") + "…"


def render_table(columns: list[Column], rows: list[list[Any]], width: int | None = None) -> list[str]:
    """A plain-text table (a header, a rule, one line per row) no wider than ``width`` (None: no limit): the
    columns :func:`layout` keeps, cells through :func:`terminal_text`, one line per row (line feeds in a cell
    become spaces)."""
    from rich.cells import cell_len

    texts = [[terminal_text(v).replace("\n", " ").replace("\t", " ") for v in row] for row in rows]
    kept, widths = layout(columns, texts, width)

    def line(cells_: list[str]) -> str:
        parts = []
        for i, w in zip(kept, widths, strict=True):
            text = fit(cells_[i], w)
            pad = " " * (w - cell_len(text))
            parts.append(pad + text if columns[i].right else text + pad)
        return (" " * GAP).join(parts).rstrip()

    out = [line([c.name for c in columns]), (" " * GAP).join("-" * w for w in widths)]
    out.extend(line(row) for row in texts)
    return out


def write_table(
    columns: list[Column], rows: list[list[Any]], out: TextIO | None = None, title: str | None = None
) -> None:
    """:func:`render_table` at the width of ``out`` (:func:`terminal_width`), with a title line above it."""
    out = out or sys.stdout
    if title:
        write_wrapped(title, out)
    for text in render_table(columns, rows, terminal_width(out)):
        out.write(text + "\n")


def write_wrapped(text: str, out: TextIO | None = None, indent: str = "") -> None:
    """``text`` (through :func:`terminal_text`) wrapped at word boundaries to the width of ``out``; a word longer
    than the width (a URL) is kept whole on its own line."""
    import textwrap

    out = out or sys.stdout
    width = terminal_width(out)
    clean = terminal_text(text).replace("\n", " ")
    if width is None:
        out.write(indent + clean + "\n")
        return
    # An amount of money ("USD 150,000–185,000 / year") is one unit: joined by no-break spaces while wrapping.
    clean = _MONEY.sub(lambda m: m.group(0).replace(" ", NBSP), clean.replace(NBSP, " "))
    lines = textwrap.wrap(
        clean,
        width,
        initial_indent=indent,
        subsequent_indent=indent or "  ",
        break_long_words=False,
        break_on_hyphens=False,
    ) or [""]
    for line in lines:
        out.write(line.replace(NBSP, " ") + "\n")


NBSP = "\u00a0"
_MONEY = re.compile(r"(?:(?:up to|from) )?(?:[A-Z]{3} )?\d[\d,.]*(?:–[\d,.]+)?(?: / (?:year|month|week|day|hour))")


QUERY_COLUMNS = [
    Column("id", keep=100, atomic=True, right=True),
    Column("title", keep=90, min_width=20, want=34),
    Column("company", keep=70, min_width=10, want=16),
    Column("pay", keep=80, atomic=True),
    Column("posted", keep=60, atomic=True),
    Column("location", keep=50, min_width=12, want=16, optional=True),
    Column("mode", keep=40, atomic=True, optional=True),
    Column("level", keep=30, atomic=True, optional=True),
    Column("skills", keep=20, min_width=14, want=24, optional=True),
]


def _write_table(postings: Iterable[Posting], out: TextIO) -> int:
    rows = []
    for p in postings:
        loc = p.locations[0].raw if p.locations else ""
        if len(p.locations) > 1:
            loc += f" (+{len(p.locations) - 1})"
        rows.append(
            [
                p.id,
                p.title,
                p.company,
                format_pay(p),
                p.posted_at.date().isoformat() if p.posted_at else "",
                loc,
                p.workplace,
                p.seniority,
                ", ".join(p.skills),
            ]
        )
    if rows:
        write_table(QUERY_COLUMNS, rows, out)
    else:
        out.write("no postings match\n")
    return len(rows)
