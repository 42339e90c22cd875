"""`jobscout runs` and `runs show`: a table laid out by width, and a run's fields read as text (never a Python
repr or a dict)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from crawler.cli import main
from storage import models
from storage.db import open_database


@pytest.fixture
def db(isolated_env):
    url = f"sqlite:///{isolated_env}/runs.db"
    _, Session = open_database(url)
    start = datetime(2026, 11, 3, 8, 15, tzinfo=UTC)
    with Session.begin() as s:
        for i in range(3):
            s.add(
                models.CrawlRun(
                    source="smartrecruiters" if i else "greenhouse",
                    boards=["acme", "globex", "initech"] if i == 0 else [],
                    started_at=start + timedelta(hours=i),
                    finished_at=start + timedelta(hours=i, seconds=42.5),
                    status="partial" if i == 0 else "ok",
                    status_reason="board globex failed" if i == 0 else None,
                    fetched=1234,
                    kept=1200,
                    new=15,
                    updated=3,
                    closed=2,
                    errors=1 if i == 0 else 0,
                    dropped={"missing_title": 2, "unreadable_payload": 1} if i == 0 else {},
                    board_counts={"acme": 800, "initech": 434} if i == 0 else {},
                    board_errors={"globex": "HTTP 503 after 3 attempts"} if i == 0 else {},
                    board_holds={"initech": {"open": 900, "closing": 466}} if i == 0 else {},
                    error_messages=["globex: HTTP 503"] if i == 0 else [],
                    schedule_id=4 if i == 2 else None,
                    pid=None,
                    host=None,
                )
            )
    return url


@pytest.mark.parametrize("columns", [80, 100])
def test_runs_table_at_terminal_widths(db, capsys, monkeypatch, columns):
    monkeypatch.setenv("COLUMNS", str(columns))
    assert main(["runs", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 + 3 and all(len(line) <= columns for line in lines), lines
    header = lines[0].split()
    assert header[:2] == ["id", "source"] and "status" in header and "fetched" in header
    for line in lines[2:]:
        assert "2026-11-03 " in line  # the start time whole, never folded
    assert "smartrecruiters" in lines[2]


def test_runs_show_reads_as_text(db, capsys):
    assert main(["runs", "show", "1", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "boards:            3 (acme, globex, initech)" in out
    assert "duration:          42.5s" in out and "started:           2026-11-03 08:15:00 UTC" in out
    assert "board initech: closing held: open: 900, closing: 466" in out
    assert "dropped missing_title: 2" in out
    assert not any(mark in out for mark in ("{", "[", "'", "None")), out
    assert main(["runs", "show", "2", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "boards:            (all registered)" in out and "status_reason:     -" in out
    assert main(["runs", "show", "1", "--db", db, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["board_holds"] == {"initech": {"open": 900, "closing": 466}}
