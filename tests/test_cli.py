"""The jobscout CLI, in-process: configuration precedence, info, db upgrade, and one-line user errors."""

from __future__ import annotations

import json

import pytest

from crawler.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("crawl", "query", "show", "info", "db", "normalize"):
        assert command in out


def test_info_shows_config_path_and_default_database(isolated_env, capsys):
    code, out, _ = run(capsys, "info", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["config_file"] == str(isolated_env / "config" / "config.toml")
    assert data["database_from"] == "default"
    assert data["database"].endswith(str(isolated_env / "data" / "jobscout.db"))
    assert data["schema_revision"] == data["schema_head"]
    assert data["rows"]["postings"] == 0


def test_database_url_precedence(isolated_env, monkeypatch, capsys):
    config = isolated_env / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'[database]\nurl = "sqlite:///{isolated_env}/from-file.db"\n[crawler]\ncontact = "ops@example.org"\n'
    )
    _, out, _ = run(capsys, "info", "--format", "json")
    data = json.loads(out)
    assert (data["database_from"], data["user_agent_contact"]) == ("config file", "ops@example.org")
    assert data["database"].endswith("from-file.db")

    monkeypatch.setenv("JOBSCOUT_DB_URL", f"sqlite:///{isolated_env}/from-env.db")
    data = json.loads(run(capsys, "info", "--format", "json")[1])
    assert data["database_from"] == "environment" and data["database"].endswith("from-env.db")

    data = json.loads(run(capsys, "--db", f"{isolated_env}/from-flag.db", "info", "--format", "json")[1])
    assert data["database_from"] == "flag" and data["database"].endswith("from-flag.db")

    data = json.loads(run(capsys, "info", "--db", f"{isolated_env}/sub-flag.db", "--format", "json")[1])
    assert data["database"].endswith("sub-flag.db")


def test_db_upgrade_then_up_to_date(isolated_env, capsys):
    db = f"sqlite:///{isolated_env}/up.db"
    code, out, _ = run(capsys, "db", "upgrade", "--db", db)
    assert code == 0 and "upgraded" in out
    code, out, _ = run(capsys, "db", "upgrade", "--db", db)
    assert code == 0 and "up to date" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["query", "--workplace", "moon"], "--workplace"),
        (["query", "--seniority", "wizard"], "--seniority"),
        (["query", "--min-pay", "lots"], "--min-pay"),
        (["query", "--currency", "dollars"], "--currency"),
        (["query", "--posted-since", "last tuesday"], "not a date"),
        (["query", "--country", "USA"], "--country"),
        (["show", "999"], "no posting with id 999"),
        (["show", "abc"], "abc"),
        (["--db", "mysql://u@h/db", "info"], "unsupported database"),
        (["--db", "postgresql://nobody@127.0.0.1:1/none", "info"], "cannot open database"),
        (["crawl", "nowhere"], "unknown source 'nowhere'"),
        (["crawl", "greenhouse", "--base-url", "ftp://x"], "--base-url"),
        (["crawl", "greenhouse", "--boards", "a", "-a", "novalue"], "NAME=VALUE"),
        (["nosuchcommand"], "nosuchcommand"),
        (["query", "--search", '"'], "no term to look for"),
        (["query", "--search", "-java"], "no term to look for"),
        (["query", "--visa", "maybe"], "--visa"),
        (["query", "--sort", "random"], "--sort"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(isolated_env, capsys, argv, message):
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("jobscout: error:")
    assert "Traceback" not in err


def test_broken_config_file_is_a_user_error(isolated_env, capsys):
    config = isolated_env / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[database\nurl=")
    code, _, err = run(capsys, "info")
    assert code == 2 and "not valid TOML" in err


def test_query_on_empty_database(isolated_env, capsys):
    code, out, _ = run(capsys, "query", "--format", "json")
    assert code == 0
    assert json.loads(out) == []


def test_sources_lists_every_source_and_its_boards(isolated_env, capsys):
    code, out, _ = run(capsys, "sources", "--format", "json")
    assert code == 0
    rows = {row["source"]: row for row in json.loads(out)}
    assert rows["greenhouse"]["endpoint"] == "https://boards-api.greenhouse.io"
    assert rows["greenhouse"]["kind"] == "full snapshot"
    assert any(b["token"] == "stripe" and b["verified"] for b in rows["greenhouse"]["boards"])


def test_sources_check_reports_dead_boards(isolated_env, capsys, http_server):
    boards = isolated_env / "boards.toml"
    boards.write_text('[[greenhouse]]\ntoken = "alive"\n[[greenhouse]]\ntoken = "gone"\n')
    config = isolated_env / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[crawler]\nboards_files = ["{boards}"]\n')
    http_server.add("/v1/boards/alive/jobs", '{"jobs": []}')
    code, out, _ = run(capsys, "sources", "check", "greenhouse", "--base-url", http_server.url)
    assert code == 1
    lines = {line.split()[1]: line for line in out.splitlines() if line.startswith("greenhouse")}
    assert "DEAD (HTTP 404)" in lines["gone"]
    assert " ok " in lines["alive"]
    assert http_server.hits("/v1/boards/alive/jobs") == 1


def test_remotive_minimum_interval_is_enforced(isolated_env, capsys):
    from datetime import timedelta

    from storage import models
    from storage.db import open_database
    from storage.repository import utcnow

    db = f"sqlite:///{isolated_env}/limits.db"
    _, Session = open_database(db)
    with Session.begin() as s:
        s.add(models.CrawlRun(source="remotive", started_at=utcnow() - timedelta(hours=1), status="ok"))
    code, _, err = run(capsys, "crawl", "remotive", "--db", db)
    assert code == 5
    assert "remotive skipped" in err and "4 requests a day" in err
