"""`jobscout show ID` (the full apply URL, the description, history as text, laid out at terminal widths) and
`jobscout open ID` (the browser is replaced in every test: none is ever opened)."""

from __future__ import annotations

import json
import webbrowser
from datetime import UTC, datetime, timedelta

import pytest

from crawler.cli import main
from pipeline.model import Location, PayRange, Posting
from storage.db import open_database
from storage.ingest import Sighting, upsert_batch

APPLY = "https://careers.example.test/acme/jobs/4412871/apply?utm_source=jobscout&gh_src=a1b2c3d4e5f6&lang=en-US"
DESCRIPTION = (
    "You will design and run the services that settle card payments across our ledger, owning them end to end.\n"
    "\n"
    "We write Go and Python, keep our data in PostgreSQL and move events through Kafka; on call one week in eight."
)


def stored(db: str) -> str:
    def posting(high: float, locations: list[Location]) -> Posting:
        pay = PayRange(150000.0, high, "USD", "year")
        return Posting(
            title="Senior Backend Engineer, Settlement Ledger and Reconciliation Services",
            source="greenhouse",
            board="acme",
            external_id="1",
            company="Acme",
            url="https://boards.example.test/acme/jobs/4412871",
            apply_url=APPLY,
            posted_at=datetime(2026, 10, 28, tzinfo=UTC),
            is_backend=True,
            locations=locations,
            pay=pay,
            pay_ranges=[pay],
            skills=["Go", "Python"],
            skill_evidence={},
            description_text=DESCRIPTION,
        )

    _, Session = open_database(db)
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(posting(170000.0, [Location(raw="Berlin, Germany")]), {"v": 1}, t0)])
    with Session.begin() as s:
        moved = posting(185000.5, [Location(raw="Berlin, Germany"), Location(raw="Remote (EU)")])
        upsert_batch(s, [Sighting(moved, {"v": 2}, t0 + timedelta(days=1))])
    return db


@pytest.fixture
def db(isolated_env):
    return stored(f"sqlite:///{isolated_env}/show.db")


def show(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["show", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("columns", [80, 100])
def test_show_at_terminal_widths(db, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    code, out, _ = show(capsys, "1", "--db", db)
    assert code == 0
    lines = out.splitlines()
    apply_line = next(line for line in lines if line.startswith("apply"))
    assert apply_line.split()[-1] == APPLY  # whole, on one line, even where it is wider than the terminal
    assert all(len(line) <= columns for line in lines if line is not apply_line and APPLY not in line), out
    assert "USD 150,000–185,000.50 / year" in out
    assert "description" in lines
    words = " ".join(line.strip() for line in lines[lines.index("description") + 1 :] if line.startswith("  "))
    assert "settle card payments" in words and "Kafka; on call one week in eight." in words  # wrapped at words
    history = lines[next(i for i, line in enumerate(lines) if line == "history") :]
    text = "\n".join(history)
    assert "USD 150,000–170,000 / year" in text and "USD 150,000–185,000.50 / year" in text
    assert "Berlin, Germany; Remote (EU)" in text
    assert "{" not in text and "[" not in text and "'" not in text and "None" not in text


def test_no_description_and_json(db, capsys):
    code, out, _ = show(capsys, "1", "--db", db, "--no-description")
    assert code == 0 and "settle card payments" not in out and "description" not in out.splitlines()
    code, out, _ = show(capsys, "1", "--db", db, "--format", "json", "--no-description")
    data = json.loads(out)
    assert "description_text" not in data and data["apply_url"] == APPLY
    code, out, _ = show(capsys, "1", "--db", db, "--format", "text")  # the old name of the human format
    assert code == 0 and APPLY in out


def test_open_opens_the_apply_url_or_prints_it(db, capsys, monkeypatch):
    opened: list[str] = []

    def browser(url: str, *args, **kwargs) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(webbrowser, "open", browser)
    assert main(["open", "1", "--db", db]) == 0
    assert opened == [APPLY] and capsys.readouterr().out.strip() == f"opened {APPLY}"
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: False)  # no browser on this machine
    assert main(["open", "1", "--db", db]) == 0
    assert capsys.readouterr().out.strip() == APPLY
    assert main(["open", "2", "--db", db]) == 2
    assert "no posting with id 2" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "2147483648"], "out of range: ids go from 1 to 2147483647"),
        (["show", "0"], "out of range"),
        (["show", "seven"], "'seven' is not an id"),
        (["open", "99999999999999999999"], "out of range"),
        (["runs", "show", "2147483648"], "out of range"),
        (["schedule", "pause", "3.5"], "'3.5' is not an id"),
    ],
)
def test_ids_beyond_any_row_are_refused_before_the_database(isolated_env, capsys, argv, message):
    code = main([*argv, "--db", f"sqlite:///{isolated_env}/ids.db"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_the_largest_id_is_looked_up_on_each_backend(backend, tmp_path, capsys):
    from tests.databases import database_url

    with database_url(backend, tmp_path) as url:
        stored(url)
        assert main(["show", "2147483647", "--db", url]) == 2  # PostgreSQL's integer holds it: "no posting"
        assert "no posting with id 2147483647" in capsys.readouterr().err
        assert main(["show", "1", "--db", url, "--format", "json"]) == 0
