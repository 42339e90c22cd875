"""The one CSV writer, in-process on SQLite and PostgreSQL: `jobscout query --format csv` and `jobscout export
--format csv` write the same file shape, and text a spreadsheet would run as a formula comes out neutralized
(OWASP: a leading ' before =, +, -, @, tab, CR) while numbers and JSON output are left as they are."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from crawler.cli import main
from crawler.commands.output import csv_cell, neutralize
from pipeline.model import Location, PayRange, Posting
from storage.db import open_database
from storage.flat import NAMES
from storage.ingest import Sighting, upsert_batch

SEEN = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)

# external_id -> (title, company); each title starts with one of OWASP's formula triggers, but "plain".
TITLES = {
    "eq": ("=1+1 Backend Engineer", "Acme"),
    "plus": ("+1 Backend Engineer", "Globex"),
    "minus": ("-1 Backend Engineer", "Initech"),
    "at": ("@SUM(1+1) Backend Engineer", "Umbrella"),
    "tab": ("\t=1+1 Backend Engineer", "Hooli"),
    "cr": ("\r=1+1 Backend Engineer", "Stark"),
    "company": ("Backend Engineer", '=HYPERLINK("https://evil.test","click")'),
    "plain": ("Backend Engineer (Go) - Payments", "Wayne"),
}


def posting(ext: str, title: str, company: str) -> Posting:
    # A negative bound is nonsense as pay, but it is what shows that numbers are not neutralized.
    pay = PayRange(min=-5.0, max=120000.0, currency="USD", period="year") if ext == "minus" else None
    return Posting(
        title=title,
        source="greenhouse",
        board=f"board-{ext}",
        external_id=ext,
        company=company,
        url=f"https://example.test/jobs/{ext}",
        posted_at=SEEN,
        is_backend=True,
        locations=[Location(raw="Berlin, Germany", city="Berlin", country="DE")],
        workplace="remote",
        pay=pay,
        pay_ranges=[pay] if pay else [],
        skills=["Go", "PostgreSQL"],
        description_text=f"We build services ({ext}).",
    )


@pytest.fixture
def formula_db(db_url):
    _, Session = open_database(db_url)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(posting(ext, *tc), {"id": ext}, SEEN) for ext, tc in TITLES.items()])
    return db_url


def run(capsys, *argv: str) -> str:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def read_csv(out: str) -> tuple[list[str], dict[str, dict[str, str]]]:
    rows = list(csv.reader(io.StringIO(out, newline="")))
    header, body = rows[0], rows[1:]
    records = [dict(zip(header, row, strict=True)) for row in body]
    return header, {r["external_id"]: r for r in records}


def test_query_and_export_write_the_same_csv(formula_db, capsys):
    query_out = run(capsys, "query", "--format", "csv", "--limit", "100", "--db", formula_db)
    export_out = run(capsys, "export", "--format", "csv", "--db", formula_db)
    query_header, from_query = read_csv(query_out)
    export_header, from_export = read_csv(export_out)
    assert query_header == export_header == list(NAMES)
    assert sorted(from_query) == sorted(from_export) == sorted(TITLES)
    assert from_query == from_export  # every cell, formatted alike (the order of rows is each command's own)


@pytest.mark.parametrize("command", [("query", "--format", "csv"), ("export", "--format", "csv")])
def test_formula_cells_are_neutralized(formula_db, capsys, command):
    _, rows = read_csv(run(capsys, *command, "--db", formula_db))
    for ext, (title, _) in TITLES.items():
        if ext in ("company", "plain"):
            assert rows[ext]["title"] == title, ext
        else:
            assert rows[ext]["title"] == "'" + title, ext
    assert rows["company"]["company"] == '\'=HYPERLINK("https://evil.test","click")'
    plain = rows["plain"]
    assert (plain["title"], plain["company"]) == ("Backend Engineer (Go) - Payments", "Wayne")
    # Numbers are numbers: a negative one keeps its sign and no quote; other formatting as documented.
    minus = rows["minus"]
    assert (minus["pay_min"], minus["pay_max"], minus["pay_annual_min"]) == ("-5.0", "120000.0", "-5.0")
    assert (plain["pay_min"], plain["closed_at"]) == ("", "")
    assert plain["posted_at"] == "2026-11-02T10:00:00Z"
    assert (plain["is_backend"], plain["skills"]) == ("True", "Go;PostgreSQL")


def test_json_output_is_not_neutralized(formula_db, capsys):
    postings = json.loads(run(capsys, "query", "--format", "json", "--db", formula_db))
    lines = run(capsys, "export", "--format", "jsonl", "--db", formula_db).splitlines()
    for records in (postings, [json.loads(line) for line in lines]):
        by_id = {p["external_id"]: p for p in records}
        assert {ext: (p["title"], p["company"]) for ext, p in by_id.items()} == TITLES
        assert all(p["schema_version"] == 1 for p in records)


def test_empty_csv_is_the_header_alone_for_both_commands(db_url, capsys):
    query_out = run(capsys, "query", "--format", "csv", "--db", db_url)
    export_out = run(capsys, "export", "--format", "csv", "--db", db_url)
    assert query_out == export_out == ",".join(NAMES) + "\r\n"


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_neutralize_prefixes_each_trigger(trigger):
    assert neutralize(trigger + "cmd|' /C calc'!A0") == "'" + trigger + "cmd|' /C calc'!A0"
    assert neutralize("x" + trigger) == "x" + trigger  # only a leading trigger counts


@pytest.mark.parametrize("text", ["", "Backend Engineer", "'quoted", "1-2", "100%"])
def test_neutralize_leaves_other_text_alone(text):
    assert neutralize(text) == text


def test_csv_cell_formats_by_type():
    assert csv_cell(None) == ""
    assert csv_cell(-5.0) == -5.0 and csv_cell(-3) == -3  # numbers: never neutralized
    assert (csv_cell(True), csv_cell(False)) == ("True", "False")
    assert csv_cell(datetime(2026, 11, 2, 10, 0, tzinfo=UTC)) == "2026-11-02T10:00:00Z"
    assert csv_cell(datetime(2026, 11, 2, 10, 0)) == "2026-11-02T10:00:00Z"  # naive: taken as UTC
    assert csv_cell(["Go", "Kafka"]) == "Go;Kafka"
    assert csv_cell(["-Go"]) == "'-Go"  # a joined list is text
    assert csv_cell([]) == ""
    assert csv_cell("-5") == "'-5"  # text that looks like a number is still text
