"""crawler/commands/output.py: what reaches the terminal. Text from postings, runs and remote documents is printed
as it is, never read as rich markup, and without control characters (ANSI/OSC escape sequences, BEL, CR...), by
every command that prints it (run in this process: tests/spiders.py's run_jobscout)."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from rich.console import Console
from rich.table import Table

from pipeline.model import Posting
from pipeline.text import CONTROL_CHARS
from storage import models
from storage.db import open_database
from storage.ingest import Sighting, upsert_batch
from tests.spiders import run_jobscout

MARKUP_TITLE = "Backend [/] Engineer [bold]Go[/bold] [link=https://evil.test]click[/link]"
ESCAPES = "\x1b[31mred\x1b[0m \x1b]8;;http://evil.test\x07link\x1b]8;;\x07 bell\x07 cr\r nul\x00 csi\x9b1m del\x7f"
MARKUP_COMPANY = "Acme [red]Corp[/red] [/]"


def assert_clean(text: str) -> None:
    """No control character but tab and line feed, so no escape sequence; no hyperlink markup was rendered."""
    assert not [c for c in text if c in CONTROL_CHARS], repr(text)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[/]", "[/]"),
        ("\x1b[31mred", "[31mred"),
        ("\x1b]8;;http://evil\x07x", "]8;;http://evilx"),
        ("a\x00b\x9bc\x7fd", "abcd"),
        ("carriage\rreturn", "carriage return"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("Backend \u202egnirrac\u202c Engineer", "Backend gnirrac Engineer"),  # an override reverses the line
        ("\u2067Acme\u2069 GmbH", "Acme GmbH"),  # isolates too
        (
            "\u05e2\u05d1\u05e8\u05d9\u05ea \u200f(Tel Aviv)",
            "\u05e2\u05d1\u05e8\u05d9\u05ea \u200f(Tel Aviv)",
        ),  # RTL text and its marks stay
        (None, ""),
        (42, "42"),
    ],
)
def test_terminal_text(value, expected):
    from crawler.commands.output import terminal_text

    assert terminal_text(value) == expected


def test_a_cell_is_never_markup():
    from crawler.commands.output import cell

    out = io.StringIO()
    console = Console(file=out, width=200, color_system="truecolor", force_terminal=True)
    table = Table()
    table.add_column("title")
    table.add_row(cell(MARKUP_TITLE + ESCAPES))
    console.print(table)
    printed = out.getvalue()
    assert "[link=https://evil.test]click[/link]" in printed and "[bold]Go[/bold]" in printed
    assert "\x1b]8;;http://evil" not in printed and "\x07" not in printed and "\x9b" not in printed


def hostile_posting(title: str, company: str) -> Posting:
    return Posting(
        title=title,
        source="greenhouse",
        board="acme",
        external_id="1",
        company=company,
        url="https://example.test/1",
        is_backend=True,
        skills=["Go"],
        skill_evidence={"Go": "Go"},
        workplace="remote",
    )


@pytest.fixture
def hostile_db(tmp_path):
    """One posting whose title and company hold rich markup and escape sequences (as stored by a jobscout that did
    not strip them, or by a source that sends markup-looking text), with a recorded title change, and a crawl run
    whose board error holds escapes."""
    db = f"sqlite:///{tmp_path}/hostile.db"
    _, Session = open_database(db)
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(hostile_posting("Backend Engineer", MARKUP_COMPANY), {"v": 1}, t0)])
    with Session.begin() as s:
        title = MARKUP_TITLE + " " + ESCAPES
        upsert_batch(s, [Sighting(hostile_posting(title, MARKUP_COMPANY), {"v": 2}, t0 + timedelta(days=1))])
        s.add(
            models.CrawlRun(
                source="greenhouse",
                boards=["acme"],
                args={},
                started_at=t0,
                finished_at=t0 + timedelta(seconds=5),
                status="failed",
                board_errors={"acme": "HTTP 500 [/] " + ESCAPES},
                error_messages=["unusable links.next: " + ESCAPES],
            )
        )
    return db


@pytest.mark.parametrize(
    "argv",
    [
        ("query", "--all-roles"),
        ("show", "1"),
        ("changes",),
        ("stats", "--all-roles"),
        ("runs",),
        ("runs", "show", "1"),
    ],
    ids=lambda argv: " ".join(argv),
)
def test_markup_and_escapes_in_postings_reach_no_terminal(hostile_db, tmp_path, argv, monkeypatch):
    # Values printed whole (a pipe without COLUMNS), whatever an earlier test in this process left in COLUMNS
    # (importing readline exports COLUMNS=80 when there is no terminal).
    monkeypatch.delenv("COLUMNS", raising=False)
    result = run_jobscout(*argv, home=tmp_path, db_url=hostile_db)
    assert result.returncode == 0, result.stderr
    assert_clean(result.stdout)
    assert_clean(result.stderr)
    # (show and changes fold their tables at 80 columns when not on a terminal: test_show_prints_the_title_as_text)
    if argv[0] == "query":
        assert "Backend [/] Engineer [bold]Go[/bold] [link=https://evil.test]click[/link]" in result.stdout
    if argv[0] in ("query", "stats"):
        assert "Acme [red]Corp[/red] [/]" in result.stdout


def test_show_prints_the_title_as_text(hostile_db, tmp_path):
    result = run_jobscout("show", "1", home=tmp_path, db_url=hostile_db)
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("Backend [/] Engineer [bold]Go[/bold] [link=https://evil.test]click[/link]")


def test_watch_stdout_lines_carry_no_escapes(hostile_db, tmp_path):
    added = run_jobscout("watch", "add", "all", "--notify", "stdout", "--backfill", home=tmp_path, db_url=hostile_db)
    assert added.returncode == 0, added.stderr
    result = run_jobscout("watch", "run", home=tmp_path, db_url=hostile_db)
    assert result.returncode == 0, result.stderr
    assert "new: Backend [/] Engineer" in result.stdout
    assert_clean(result.stdout)
    assert_clean(result.stderr)


def test_json_output_keeps_the_stored_text(hostile_db, tmp_path):
    """Machine formats are not terminal output: JSON escapes control characters itself and keeps the text."""
    result = run_jobscout("query", "--all-roles", "--format", "json", home=tmp_path, db_url=hostile_db)
    assert json.loads(result.stdout)[0]["title"].startswith(MARKUP_TITLE)


# --- tables laid out by width, money and values as text ----------------------------------------------------
@pytest.mark.parametrize(
    ("low", "high", "currency", "period", "expected"),
    [
        (169725.0, 200540.0, "USD", "year", "USD 169,725–200,540 / year"),
        (None, 90000.0, "EUR", "year", "up to EUR 90,000 / year"),
        (120000.0, None, "GBP", "year", "from GBP 120,000 / year"),
        (45.5, 60.0, "USD", "hour", "USD 45.50–60 / hour"),
        (5000.0, 5000.0, "PLN", "month", "PLN 5,000 / month"),
        (6000000.0, 9000000.0, "INR", None, "INR 6,000,000–9,000,000"),
        (100.0, 200.0, None, "day", "100–200 / day"),
        (None, None, "USD", "year", ""),
    ],
)
def test_money(low, high, currency, period, expected):
    from crawler.commands.output import money

    assert money(low, high, currency, period) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"min": 150000.0, "max": 170000.0, "currency": "USD", "period": "year"}, "USD 150,000–170,000 / year"),
        (["Berlin, Germany", "Remote"], "Berlin, Germany; Remote"),
        ({"acme": {"open": 10, "closing": 7}}, "acme: open: 10, closing: 7"),
        (None, "-"),
        ([], "-"),
        (True, "yes"),
        (2.5, "2.50"),
        ("remote", "remote"),
    ],
)
def test_value_text_is_never_a_repr(value, expected):
    from crawler.commands.output import value_text

    assert value_text(value) == expected


def _table_rows():
    from crawler.commands.output import Column

    columns = [
        Column("id", keep=100, atomic=True, right=True),
        Column("title", keep=90, min_width=12),
        Column("posted", keep=60, atomic=True),
        Column("url", keep=50, atomic=True),
        Column("skills", keep=20, min_width=10),
    ]
    rows = [
        [123456, "Principal Distributed Systems Engineer, Storage", "2026-11-03", "https://example.test/jobs/123456",
         "Go, Rust, Kafka, PostgreSQL"],
        [7, "Backend Engineer", "2026-10-30", "https://example.test/jobs/7", "Python"],
    ]  # fmt: skip
    return columns, rows


@pytest.mark.parametrize("width", [40, 60, 80, 100, 140])
def test_render_table_fits_and_never_splits_a_date_an_id_or_a_url(width):
    from crawler.commands.output import render_table

    columns, rows = _table_rows()
    lines = render_table(columns, rows, width)
    assert all(len(line) <= width for line in lines), lines
    assert len(lines) == 2 + len(rows)  # one line per row: nothing wraps
    header = lines[0].split()
    body = "\n".join(lines)
    for atomic in ("123456", "2026-11-03", "https://example.test/jobs/123456"):
        column = {"123456": "id", "2026-11-03": "posted", "https://example.test/jobs/123456": "url"}[atomic]
        assert (atomic in body) == (column in header), (atomic, lines)
    assert "id" in header and "title" in header  # the most valued columns stay
    if "url" in header:
        assert "posted" in header  # dropped lowest value first: skills, then url, then posted
    if "skills" in header:
        assert "url" in header


def test_render_table_drops_low_value_columns_first_and_cuts_at_words():
    from crawler.commands.output import render_table

    columns, rows = _table_rows()
    wide = render_table(columns, rows, None)
    assert wide[2].split()[-4:] == ["Go,", "Rust,", "Kafka,", "PostgreSQL"]  # no width: every value whole
    narrow = render_table(columns, rows, 60)
    assert narrow[0].split() == ["id", "title", "posted"]
    assert "Principal Distributed Systems Engineer…" in narrow[2]  # cut after a whole word, never inside one
    assert "Principal…" in render_table(columns, rows, 34)[2]
    long_word = render_table(columns, [[1, "Supercalifragilisticexpialidocious", "2026-11-03", "u", "s"]], 34)[2]
    assert re.search(r"Supercalif\w*… ", long_word) and len(long_word) <= 34  # one long word: cut where it must


def test_piped_output_honours_columns(monkeypatch):
    from crawler.commands.output import terminal_width

    monkeypatch.setenv("COLUMNS", "93")
    assert terminal_width(io.StringIO()) == 93
    monkeypatch.delenv("COLUMNS")
    assert terminal_width(io.StringIO()) is None  # a pipe without COLUMNS: values whole


@pytest.fixture
def wide_postings(db_url):
    from pipeline.model import Location, PayRange

    _, Session = open_database(db_url)
    t0 = datetime(2026, 11, 3, tzinfo=UTC)
    postings = []
    for i in range(12):
        pay = PayRange(169725.0 + i, 200540.0, "USD", "year") if i % 3 else PayRange(6e6, 9e6, "INR", "year")
        postings.append(
            Posting(
                title=f"Senior Backend Engineer, Payments Infrastructure and Ledger Platform {i}",
                source="greenhouse",
                board="acme",
                external_id=str(i),
                company="Acme Financial Technologies International",
                url=f"https://boards.example.test/acme/jobs/{4000000 + i}?gh_src=careers",
                posted_at=t0 - timedelta(days=i),
                is_backend=True,
                locations=[Location(raw="San Francisco, CA"), Location(raw="New York, NY")],
                workplace="hybrid",
                seniority="senior",
                pay=pay,
                pay_ranges=[pay],
                skills=["Go", "Python", "PostgreSQL", "Kafka", "Kubernetes", "gRPC", "Terraform"],
                skill_evidence={},
            )
        )
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, {"id": p.external_id}, t0) for p in postings])
    return db_url


@pytest.mark.parametrize("columns", [80, 100, 140])
def test_query_table_at_terminal_widths(wide_postings, capsys, monkeypatch, columns):
    from crawler.cli import main

    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["query", "--db", wide_postings, "--sort", "pay"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 2 + 12  # one line per posting
    assert all(len(line) <= columns for line in lines), out
    assert "USD 169,736–200,540 / year" in lines[2]  # best paid first, across currencies
    assert "INR 6,000,000–9,000,000 / year" in out  # 9M INR is about 100k USD: below every USD range
    assert "169725.0" not in out and "/yr" not in out
    for line in lines[2:]:
        assert re.search(r"\b2026-1[01]-\d\d\b", line), line  # the date whole
    assert "pay compared as annual pay converted to USD with the ECB euro reference rates of" in err
    header = lines[0].split()
    assert header[:5] == ["id", "title", "company", "pay", "posted"]
    if columns >= 100:  # the title gets its room before an optional column is shown
        assert "Senior Backend Engineer, Payments" in lines[2]
    assert ("location" in header) == (columns >= 140) and "skills" not in header


def test_query_table_without_columns_prints_values_whole(wide_postings, capsys, monkeypatch):
    from crawler.cli import main

    monkeypatch.delenv("COLUMNS", raising=False)
    assert main(["query", "--db", wide_postings]) == 0
    out = capsys.readouterr().out
    assert "Senior Backend Engineer, Payments Infrastructure and Ledger Platform 0" in out
    assert "Go, Kafka, Kubernetes, PostgreSQL, Python, Terraform, gRPC" in out  # as stored
