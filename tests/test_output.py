"""crawler/commands/output.py: what reaches the terminal. Text from postings, runs and remote documents is printed
as it is, never read as rich markup, and without control characters (ANSI/OSC escape sequences, BEL, CR...), by
every command that prints it (run in this process: tests/spiders.py's run_jobscout)."""

from __future__ import annotations

import io
import json
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
def test_markup_and_escapes_in_postings_reach_no_terminal(hostile_db, tmp_path, argv):
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
