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
    assert data["cache_dir"] is None  # tests/conftest.py turns the compile cache off


def test_info_names_the_compile_cache(isolated_env, monkeypatch, capsys):
    monkeypatch.setenv("JOBSCOUT_CACHE_DIR", str(isolated_env / "cache"))
    assert json.loads(run(capsys, "info", "--format", "json")[1])["cache_dir"] == str(isolated_env / "cache")
    assert f"cache dir:    {isolated_env / 'cache'}" in run(capsys, "info")[1]


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


def test_sources_lists_every_source_with_board_counts(isolated_env, capsys):
    code, out, _ = run(capsys, "sources", "--format", "json")
    assert code == 0
    rows = {row["source"]: row for row in json.loads(out)}
    assert rows["greenhouse"]["endpoint"] == "https://boards-api.greenhouse.io"
    assert rows["greenhouse"]["kind"] == "full snapshot"
    # tests/data/registry.csv: three Greenhouse boards, all active on a fresh database
    assert rows["greenhouse"]["boards"] == {"active": 3, "unverified": 0, "gone": 0, "removed": 0}
    assert rows["remoteok"]["needs_boards"] is False


def test_sources_check_points_to_boards_check(isolated_env, capsys):
    code, _, err = run(capsys, "sources", "check", "greenhouse")
    assert code == 2 and "jobscout boards check" in err


def test_remotive_minimum_interval_is_enforced(isolated_env, capsys):
    from datetime import timedelta

    from storage import models
    from storage.db import open_database
    from storage.models import utcnow

    db = f"sqlite:///{isolated_env}/limits.db"
    _, Session = open_database(db)
    with Session.begin() as s:
        s.add(models.CrawlRun(source="remotive", started_at=utcnow() - timedelta(hours=1), status="ok"))
    code, _, err = run(capsys, "crawl", "remotive", "--db", db)
    assert code == 5
    assert "remotive skipped" in err and "4 requests a day" in err


POSTING_TEXT = """Senior Backend Engineer (Go)
We build payment APIs in Go and PostgreSQL on Kubernetes.
You have 5+ years of experience. This is a fully remote role (US only).
Salary: $150,000 - $190,000 per year.
"""


def test_normalize_a_text_file(isolated_env, capsys, tmp_path):
    path = tmp_path / "posting.txt"
    path.write_text(POSTING_TEXT)
    code, out, _ = run(capsys, "normalize", str(path))
    assert code == 0
    posting = json.loads(out)
    assert posting["schema_version"] == 1
    assert posting["title"] == "Senior Backend Engineer (Go)"
    assert (posting["pay"]["min"], posting["pay"]["max"], posting["pay"]["currency"]) == (150000, 190000, "USD")
    assert posting["workplace"] == "remote" and posting["seniority"] == "senior"
    assert {"Go", "PostgreSQL", "Kubernetes"} <= set(posting["skills"])
    assert posting["experience_years_min"] == 5 and posting["is_backend"] is True


def test_normalize_stdin_html_with_title(isolated_env, capsys, monkeypatch):
    import io

    monkeypatch.setattr(
        "sys.stdin", io.StringIO("<p>Build Kafka pipelines.</p><p>Hybrid: 3 days a week in Berlin.</p>")
    )
    code, out, _ = run(capsys, "normalize", "-", "--title", "Data Platform Engineer")
    assert code == 0
    posting = json.loads(out)
    assert posting["title"] == "Data Platform Engineer"
    assert posting["workplace"] == "hybrid" and "Apache Kafka" in posting["skills"]


def test_normalize_jsonl_counts_bad_lines(isolated_env, capsys, tmp_path):
    path = tmp_path / "postings.jsonl"
    good = {"title": "Backend Engineer", "description": "Python and Django APIs.", "location": "Berlin, Germany"}
    path.write_text(json.dumps(good) + "\n{not json\n" + json.dumps([1, 2]) + "\n\n" + json.dumps(good) + "\n")
    code, out, err = run(capsys, "normalize", "--jsonl", str(path))
    assert code == 1  # some lines were skipped
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 2 and rows[0]["locations"][0]["country"] == "DE"
    assert "line 2: skipped" in err and "line 3: skipped" in err


def _jsonl_file(tmp_path, count: int, bad: dict[int, str]):
    """``count`` JSON lines of distinct postings, with the lines numbered in ``bad`` (1-based) replaced."""
    lines = []
    for n in range(1, count + 1):
        record = {"title": f"Backend Engineer {n}", "description": f"<p>Go and Kafka. {n}+ years.</p>"}
        lines.append(bad.get(n, json.dumps(record)))
    path = tmp_path / "postings.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_normalize_jsonl_in_blocks_keeps_the_input_order(isolated_env, capsys, tmp_path):
    from crawler.commands.normalize import BLOCK_LINES

    count = 2 * BLOCK_LINES + 7  # three blocks, the last one short
    path = _jsonl_file(tmp_path, count, {5: "{oops", BLOCK_LINES + 1: "[]"})
    code, out, err = run(capsys, "normalize", "--jsonl", str(path))
    assert code == 1
    titles = [json.loads(line)["title"] for line in out.splitlines()]
    expected = [f"Backend Engineer {n}" for n in range(1, count + 1) if n not in (5, BLOCK_LINES + 1)]
    assert titles == expected
    assert "line 5: skipped" in err and f"line {BLOCK_LINES + 1}: skipped: not a JSON object" in err


def test_normalize_jsonl_with_processes_writes_what_one_process_writes(isolated_env, capsys, tmp_path):
    from crawler.commands.normalize import BLOCK_LINES

    path = _jsonl_file(tmp_path, 3 * BLOCK_LINES + 3, {2: "not json", 2 * BLOCK_LINES: "7"})
    one = run(capsys, "normalize", "--jsonl", "--processes", "1", str(path))
    two = run(capsys, "normalize", "--jsonl", "--processes", "2", str(path))
    assert two == one and one[0] == 1 and len(one[1].splitlines()) == 3 * BLOCK_LINES + 1


def test_normalize_jsonl_of_one_block_starts_no_worker(isolated_env, capsys, tmp_path, monkeypatch):
    import crawler.commands.normalize as command

    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for one block of lines")

    monkeypatch.setattr(command, "ProcessPoolExecutor", no_pool)
    monkeypatch.setattr("crawler.settings.cores", lambda: 4)
    path = _jsonl_file(tmp_path, command.BLOCK_LINES, {})
    code, out, _ = run(capsys, "normalize", "--jsonl", str(path))
    assert code == 0 and len(out.splitlines()) == command.BLOCK_LINES


def test_normalize_processes_needs_jsonl(isolated_env, capsys, tmp_path):
    path = tmp_path / "posting.txt"
    path.write_text("Backend Engineer\nGo and Kafka.")
    code, _, err = run(capsys, "normalize", "--processes", "2", str(path))
    assert code == 2 and "--jsonl" in err


def test_normalize_empty_input_is_a_user_error(isolated_env, capsys, tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    code, _, err = run(capsys, "normalize", str(path))
    assert code == 2 and "empty input" in err


def test_show_lists_sources_and_history(isolated_env, capsys):
    from datetime import UTC, datetime, timedelta

    from pipeline.model import PayRange, Posting
    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch

    db = f"sqlite:///{isolated_env}/show.db"
    _, Session = open_database(db)

    def posting(pay_max: float) -> Posting:
        pay = PayRange(min=100000.0, max=pay_max, currency="USD", period="year")
        return Posting(
            title="Backend Engineer",
            source="greenhouse",
            board="acme",
            external_id="1",
            company="Acme",
            url="https://example.test/1",
            apply_url="https://example.test/1/apply",
            pay=pay,
            pay_ranges=[pay],
            is_backend=True,
        )

    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    with Session.begin() as s:
        upsert_batch(s, [Sighting(posting(150000.0), {"v": 1}, t0)])
    with Session.begin() as s:
        upsert_batch(s, [Sighting(posting(170000.0), {"v": 2}, t0 + timedelta(days=1))])
    code, out, _ = run(capsys, "show", "1", "--db", db, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["sources"][0]["board"] == "acme" and data["apply_url"] == "https://example.test/1/apply"
    assert [(c["field"], c["old"]["max"], c["new"]["max"]) for c in data["changes"]] == [("pay", 150000.0, 170000.0)]
    code, out, _ = run(capsys, "show", "1", "--db", db)
    assert code == 0 and "history" in out and "greenhouse" in out


def test_the_lazy_command_table_names_each_command():
    import importlib

    from crawler.cli import COMMANDS

    for name, (module, attribute) in COMMANDS.items():
        command = getattr(importlib.import_module(f"crawler.commands.{module}"), attribute)
        assert command.name == name


def test_normalize_imports_no_database_code(tmp_path):
    """`jobscout normalize` imports its own command module only: no SQLAlchemy, Scrapy or storage."""
    import subprocess
    import sys

    path = tmp_path / "posting.txt"
    path.write_text("Backend Engineer\n\nWe write Go services.\n", encoding="utf-8")
    probe = (
        "import sys\nfrom crawler.cli import main\n"
        f"code = main(['normalize', {str(path)!r}])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'scrapy', 'storage'))\n"
        "print(code, loaded, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "0 []"


def test_normalize_jsonl_reads_stdin_as_bytes(tmp_path):
    """Piped input goes to the workers as read; a line that is not UTF-8 is skipped and named, not a traceback,
    and a last line without a newline is read."""
    import subprocess
    import sys

    data = (
        b'{"title": "Go Developer", "description": "<p>Go, gRPC</p>"}\n'
        b"\xc3( not utf-8\n"
        b"\n"
        b'{"title": "Rust Developer", "description": "Rust and Tokio"}'
    )
    argv = [sys.executable, "-m", "crawler.cli", "normalize", "--jsonl", "--processes", "1"]
    done = subprocess.run(argv, input=data, capture_output=True, check=False)
    assert done.returncode == 1
    assert [json.loads(line)["title"] for line in done.stdout.decode().splitlines()] == [
        "Go Developer",
        "Rust Developer",
    ]
    assert b"line 2: skipped" in done.stderr and b"Traceback" not in done.stderr
