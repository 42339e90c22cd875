"""crawler.schedule and the schedule/scheduler/runs commands.

The daemon runs as a real subprocess against the local test server with short intervals; tests count rows and
read its log, and stop it with --max-runs or a signal — never sleeps sized to timings.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from crawler.cli import main
from crawler.schedule import ScheduleError, describe_trigger, make_trigger, parse_duration
from storage import models
from storage.db import open_database
from tests.crawling import FIXTURES, jobscout_command
from tests.http_server import Response
from tests.spiders import run_jobscout

ACME = FIXTURES / "greenhouse" / "acme.json"
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "RETRY_TIMES=0"]


@pytest.mark.parametrize(
    ("text", "seconds"), [("10s", 10), ("30m", 1800), ("6h", 21600), ("1d", 86400), ("1h30m", 5400), ("45", 45)]
)
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "ten", "5x", "1h 2q", "-5s"])
def test_parse_duration_rejects(text):
    with pytest.raises(ScheduleError):
        parse_duration(text)


def test_describe_trigger():
    assert describe_trigger(models.Schedule(interval_seconds=21600)) == "every 6h"
    assert describe_trigger(models.Schedule(interval_seconds=90)) == "every 90s"
    assert describe_trigger(models.Schedule(cron="0 */6 * * *")) == "cron '0 */6 * * *'"


def cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_schedule_commands_edit_the_table(isolated_env, capsys):
    db = f"sqlite:///{isolated_env}/s.db"
    code, out, _ = cli(capsys, "schedule", "add", "greenhouse", "--boards", "acme", "--every", "6h", "--db", db)
    assert code == 0 and "schedule 1 added" in out
    assert cli(capsys, "schedule", "add", "lever", "--cron", "0 */6 * * *", "--timeout", "10m", "--db", db)[0] == 0
    rows = json.loads(cli(capsys, "schedule", "list", "--format", "json", "--db", db)[1])
    assert [(r["source"], r["when"], r["paused"]) for r in rows] == [
        ("greenhouse", "every 6h", False),
        ("lever", "cron '0 */6 * * *'", False),
    ]
    assert rows[0]["options"] == {"boards": "acme"} and rows[1]["timeout_seconds"] == 600
    assert cli(capsys, "schedule", "pause", "1", "--db", db)[0] == 0
    assert json.loads(cli(capsys, "schedule", "list", "--format", "json", "--db", db)[1])[0]["paused"] is True
    assert cli(capsys, "schedule", "resume", "1", "--db", db)[0] == 0
    assert cli(capsys, "schedule", "remove", "2", "--db", db)[0] == 0
    assert len(json.loads(cli(capsys, "schedule", "list", "--format", "json", "--db", db)[1])) == 1


def test_schedule_list_shows_the_next_run(isolated_env, capsys, monkeypatch):
    db = f"sqlite:///{isolated_env}/s.db"
    assert cli(capsys, "schedule", "add", "greenhouse", "--every", "6h", "--db", db)[0] == 0
    assert cli(capsys, "schedule", "add", "lever", "--cron", "30 4 * * *", "--jitter", "5m", "--db", db)[0] == 0
    assert cli(capsys, "schedule", "add", "ashby", "--every", "1d", "--db", db)[0] == 0
    assert cli(capsys, "schedule", "pause", "3", "--db", db)[0] == 0
    _, Session = open_database(db)
    started = datetime.now(UTC) - timedelta(hours=1)
    with Session.begin() as s:
        s.get(models.Schedule, 1).last_started_at = started
        s.get(models.Schedule, 1).last_status = "ok"
    rows = json.loads(cli(capsys, "schedule", "list", "--format", "json", "--db", db)[1])
    due = datetime.fromisoformat(rows[0]["next_run_at"])
    assert abs((due - (started + timedelta(hours=6))).total_seconds()) < 1
    cron_next = datetime.fromisoformat(rows[1]["next_run_at"])
    assert (cron_next.hour, cron_next.minute) == (4, 30) and cron_next > datetime.now(UTC)
    assert rows[2]["next_run_at"] is None  # paused
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = cli(capsys, "schedule", "list", "--db", db)
    lines = out.splitlines()
    assert code == 0 and "next run (UTC)" in lines[0] and all(len(line) <= 100 for line in lines)
    assert (started + timedelta(hours=6)).strftime("%Y-%m-%d %H:%M") in lines[2]
    assert "never" in lines[3] and "(+≤300s)" in lines[3]


def test_a_cron_schedule_with_jitter_makes_a_trigger():
    trigger = make_trigger(models.Schedule(cron="0 */6 * * *", jitter_seconds=60))
    assert trigger.jitter == 60
    now = datetime(2031, 1, 1, 1, 0, tzinfo=UTC)
    nxt = trigger.get_next_fire_time(None, now)
    assert timedelta(hours=5) <= nxt - now <= timedelta(hours=5, seconds=60)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["schedule", "add", "greenhouse"], "exactly one of --cron"),
        (["schedule", "add", "greenhouse", "--every", "1h", "--cron", "* * * * *"], "exactly one of --cron"),
        (["schedule", "add", "greenhouse", "--cron", "61 * * * *"], "not a cron expression"),
        (["schedule", "add", "greenhouse", "--every", "soon"], "not a duration"),
        (["schedule", "add", "nowhere", "--every", "1h"], "unknown source"),
        (["schedule", "add", "greenhouse", "--every", "1h", "--base-url", "x"], "--base-url"),
        (["schedule", "remove", "42"], "no schedule with id 42"),
        (["schedule", "load", "/nonexistent.toml"], "does not exist"),
        (["runs", "show", "7"], "no crawl run with id 7"),
    ],
)
def test_schedule_user_errors(isolated_env, capsys, argv, message):
    code, _, err = cli(capsys, *argv)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_load_shipped_defaults_covers_every_feed_within_rate_rules(isolated_env, capsys):
    db = f"sqlite:///{isolated_env}/s.db"
    code, out, _ = cli(capsys, "schedule", "load", "--db", db)
    assert code == 0
    rows = json.loads(cli(capsys, "schedule", "list", "--format", "json", "--db", db)[1])
    sources = {r["source"] for r in rows}
    assert sources >= {
        "greenhouse",
        "lever",
        "ashby",
        "smartrecruiters",
        "workable",
        "remoteok",
        "remotive",
        "arbeitnow",
        "weworkremotely",
        "hn",
    }
    _, Session = open_database(db)
    with Session() as s:
        remotive = s.scalars(select(models.Schedule).where(models.Schedule.source == "remotive")).one()
        limit = s.get(models.SourceLimit, "remotive")
    assert remotive.interval_seconds >= limit.min_interval_seconds  # never more than 4 fetches a day
    # Loading again adds nothing.
    code, out, _ = cli(capsys, "schedule", "load", "--db", db)
    assert "0 schedules added" in out


def test_load_rejects_bad_file(isolated_env, capsys, tmp_path):
    bad = tmp_path / "s.toml"
    bad.write_text('[[schedule]]\nsource = "greenhouse"\nevery = "often"\n')
    code, _, err = cli(capsys, "schedule", "load", str(bad))
    assert code == 2 and "schedule 1" in err and "not a duration" in err


# --- the daemon ------------------------------------------------------------------------------------------
def add_schedule(db: str, home, *args: str) -> None:
    result = run_jobscout("schedule", "add", *args, home=home, db_url=db)
    assert result.returncode == 0, result.stderr


def start_daemon(db: str, home, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    env.update(JOBSCOUT_CONFIG=str(home / "config.toml"), JOBSCOUT_DATA_DIR=str(home / "data"), JOBSCOUT_DB_URL=db)
    env["JOBSCOUT_REGISTRY"] = os.environ.get("JOBSCOUT_REGISTRY", "")  # the suite's small registry
    return subprocess.Popen(
        [*jobscout_command(), "scheduler", "run", "--reload-every", "0.5", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def runs_of(db: str) -> list[models.CrawlRun]:
    _, Session = open_database(db)
    with Session() as s:
        return list(s.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id)))


def wait_for(predicate, timeout: float = 60.0):
    """Poll a condition (a liveness bound, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("condition not reached")


def test_runs_happen_per_schedule_and_overlaps_are_skipped(http_server, tmp_path):
    db = f"sqlite:///{tmp_path}/d.db"
    # A slow board: each crawl takes over a second, the schedule fires every second, so runs would overlap.
    http_server.add("/v1/boards/acme/jobs", Response(ACME.read_bytes(), delay=1.5))
    add_schedule(
        db, tmp_path, "greenhouse", "--boards", "acme", "--base-url", http_server.url, "--every", "1s", *FAST
    )
    daemon = start_daemon(db, tmp_path, "--max-runs", "3")
    _, err = daemon.communicate(timeout=120)
    assert daemon.returncode == 0, err
    runs = runs_of(db)
    assert len(runs) == 3
    assert all(r.schedule_id == 1 and r.status == "ok" for r in runs)
    assert [r.new for r in runs] == [5, 0, 0]
    assert "run skipped: the previous run is still running" in err
    for earlier, later in itertools.pairwise(runs):
        assert earlier.finished_at <= later.started_at  # one run per schedule at a time
    _, Session = open_database(db)
    with Session() as s:
        assert s.get(models.Schedule, 1).last_status == "ok"


def test_max_runs_starts_exactly_that_many_runs(http_server, tmp_path):
    db = f"sqlite:///{tmp_path}/d.db"
    # Three schedules due at once, slow boards, four workers: all three would start before the first finishes.
    for board in ("acme", "beta", "gamma"):
        http_server.add(f"/v1/boards/{board}/jobs", Response(ACME.read_bytes(), delay=1.5))
        add_schedule(
            db, tmp_path, "greenhouse", "--boards", board, "--base-url", http_server.url, "--every", "1s", *FAST
        )
    daemon = start_daemon(db, tmp_path, "--max-runs", "2", "--workers", "4")
    _, err = daemon.communicate(timeout=120)
    assert daemon.returncode == 0, err
    assert len(runs_of(db)) == 2, err
    assert "stopped after 2 runs" in err


def test_an_aggregator_crawl_is_followed_by_board_discovery(http_server, tmp_path):
    from tests.test_cli_boards import feed_linking_boards

    db = f"sqlite:///{tmp_path}/d.db"
    http_server.add("/api", feed_linking_boards())
    add_schedule(db, tmp_path, "remoteok", "--base-url", http_server.url, "--every", "1s", *FAST)
    daemon = start_daemon(db, tmp_path, "--max-runs", "1")
    _, err = daemon.communicate(timeout=120)
    assert daemon.returncode == 0, err
    _, Session = open_database(db)
    with Session() as s:
        found = {
            (b.source, b.token, b.status)
            for b in s.scalars(select(models.Board).where(models.Board.origin == "discovered"))
        }
    assert found == {("greenhouse", "brightpath", "unverified"), ("lever", "Quillon", "unverified")}
    assert "discovery after remoteok: 2 new boards" in err


def test_failing_and_hanging_crawls_do_not_stop_the_scheduler(http_server, tmp_path):
    db = f"sqlite:///{tmp_path}/d.db"
    http_server.add("/v1/boards/acme/jobs", ACME)
    http_server.add("/v1/boards/broken/jobs", Response("oops", status=500, content_type="text/plain"))
    http_server.add("/v1/boards/hangs/jobs", Response("{}", delay=120))
    add_schedule(
        db,
        tmp_path,
        "greenhouse",
        "--boards",
        "hangs",
        "--base-url",
        http_server.url,
        "--every",
        "1s",
        "--timeout",
        "4s",
        *FAST,
    )
    add_schedule(
        db, tmp_path, "greenhouse", "--boards", "broken", "--base-url", http_server.url, "--every", "1s", *FAST
    )
    add_schedule(
        db, tmp_path, "greenhouse", "--boards", "acme", "--base-url", http_server.url, "--every", "1s", *FAST
    )
    daemon = start_daemon(db, tmp_path, "--max-runs", "6", "--grace", "0")
    _, err = daemon.communicate(timeout=180)
    assert daemon.returncode == 0, err
    runs = runs_of(db)
    by_schedule = {sid: [r for r in runs if r.schedule_id == sid] for sid in (1, 2, 3)}
    assert any(r.status == "failed" and "timeout" in (r.status_reason or "") for r in by_schedule[1]), err
    assert by_schedule[2] and all(r.status == "failed" for r in by_schedule[2])
    assert any(r.status == "ok" for r in by_schedule[3])
    assert "killing it" in err


def test_schedule_added_while_running_is_picked_up_and_restart_keeps_schedules(http_server, tmp_path):
    db = f"sqlite:///{tmp_path}/d.db"
    http_server.add("/v1/boards/acme/jobs", ACME)
    daemon = start_daemon(db, tmp_path, "--max-runs", "1")
    try:
        wait_for(lambda: daemon.poll() is None and runs_of(db) == [] and True)
        add_schedule(
            db, tmp_path, "greenhouse", "--boards", "acme", "--base-url", http_server.url, "--every", "1s", *FAST
        )
        _, err = daemon.communicate(timeout=120)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err
    assert "schedule 1 loaded" in err
    assert [r.status for r in runs_of(db)] == ["ok"]
    # A new daemon finds the same schedule in the database.
    again = start_daemon(db, tmp_path, "--max-runs", "1")
    _, err = again.communicate(timeout=120)
    assert again.returncode == 0 and "schedule 1 loaded" in err
    assert len(runs_of(db)) == 2


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purpose; read its state.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signal_leaves_no_child_and_no_partial_run(http_server, tmp_path, sig):
    db = f"sqlite:///{tmp_path}/d.db"
    http_server.add("/v1/boards/hangs/jobs", Response("{}", delay=120))
    add_schedule(
        db,
        tmp_path,
        "greenhouse",
        "--boards",
        "hangs",
        "--base-url",
        http_server.url,
        "--every",
        "1s",
        "--timeout",
        "10m",
        *FAST,
    )
    daemon = start_daemon(db, tmp_path, "--grace", "1")
    try:
        wait_for(lambda: http_server.hits("/v1/boards/hangs/jobs") >= 1)
        daemon.send_signal(sig)
        _, err = daemon.communicate(timeout=60)
    finally:
        if daemon.poll() is None:
            daemon.kill()
    assert daemon.returncode == 0, err
    pids = [int(p) for p in re.findall(r"\(pid (\d+)\)", err)]
    assert pids, err
    assert not any(_alive(pid) for pid in pids)
    runs = runs_of(db)
    assert runs and all(r.finished_at is not None and r.status == "failed" for r in runs)
    assert "stopped" in err


@pytest.mark.parametrize(("workers", "setting"), [(1, None), (3, "JOBSCOUT_NORMALIZE_PROCESSES=1")])
def test_crawls_run_side_by_side_get_one_normalize_process_each(monkeypatch, workers, setting):
    from crawler.schedule import Daemon, crawl_argv

    monkeypatch.delenv("JOBSCOUT_NORMALIZE_PROCESSES", raising=False)
    daemon = Daemon("sqlite:///unused.db", session_factory=None, max_workers=workers)
    schedule = models.Schedule(id=7, source="lever", options={"boards": "acme", "settings": ["DOWNLOAD_DELAY=0"]})
    argv = crawl_argv(daemon.db_url, schedule, daemon.normalize_processes())
    settings = [argv[i + 1] for i, arg in enumerate(argv) if arg == "-s"]
    expected = [setting] if setting else []
    assert settings == [*expected, "DOWNLOAD_DELAY=0", "JOBSCOUT_SCHEDULE_ID=7"]
