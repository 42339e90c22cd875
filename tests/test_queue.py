"""crawler.queue, ``jobscout worker`` and ``jobscout scheduler run --queue``: crawl units on Celery + Redis.

The pure parts (claiming a due run, the messages, the child command line) run everywhere. The distributed path runs
real processes -- schedulers, workers, their child crawls -- against PostgreSQL (JOBSCOUT_TEST_PG_URL) and Redis
(JOBSCOUT_TEST_REDIS_URL, which .ci/run sets); those tests skip with the reason when either is not reachable. Waits
poll a condition with a bound; nothing asserts a duration.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import signal
import subprocess
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crawler import outcome
from crawler.queue import (
    claim,
    crawl_unit,
    lock_retry_seconds,
    period_seconds,
    run_unit,
    schedule_units,
    unit_argv,
    unit_messages,
)
from storage import models
from storage.db import open_database
from storage.locks import acquire
from tests.crawling import FAST, jobscout_command
from tests.databases import postgres_database
from tests.http_server import Response

REDIS_ENV = "JOBSCOUT_TEST_REDIS_URL"
BOARDS = [f"quay{i}" for i in range(1, 7)]
JOBS_PER_BOARD = 2


# --- claiming a due run, the messages ---------------------------------------------------------------------------
def schedule_row(session, **fields) -> models.Schedule:
    now = models.utcnow()
    row = models.Schedule(
        source="greenhouse", options={}, timeout_seconds=600, created_at=now, updated_at=now, **fields
    )
    session.add(row)
    session.flush()
    return row


@pytest.mark.parametrize(
    ("fields", "seconds"),
    [
        ({"interval_seconds": 3600}, 3600),
        ({"cron": "*/15 * * * *"}, 900),
        ({"cron": "0 6,18 * * *"}, 12 * 3600),
        ({"cron": "0 9,10 * * *"}, 3600),  # uneven: the shortest gap decides
    ],
)
def test_period_seconds(fields, seconds):
    assert period_seconds(models.Schedule(**fields), datetime(2026, 12, 1, 3, 7, tzinfo=UTC)) == seconds


def test_a_run_is_claimed_once_per_half_period(sqlite_url):
    _, sessions = open_database(sqlite_url)
    start = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    with sessions.begin() as session:
        row = schedule_row(session, interval_seconds=600)
        assert claim(session, row, start)
        assert not claim(session, row, start)  # another scheduler, the same firing
        assert not claim(session, row, start + timedelta(seconds=299))  # a firing out of phase, within the period
        assert claim(session, row, start + timedelta(seconds=300))
    with sessions() as session:
        stored = session.get(models.Schedule, row.id)
        assert stored.last_status == "queued"
        assert stored.last_started_at.replace(tzinfo=UTC) == start + timedelta(seconds=300)


@pytest.mark.postgres
def test_concurrent_schedulers_claim_a_run_once_on_postgres():
    with postgres_database() as url:
        _, sessions = open_database(url)
        with sessions.begin() as session:
            schedule_id = schedule_row(session, interval_seconds=60).id
        now = models.utcnow()
        barrier = threading.Barrier(6)
        won: list[bool] = []

        def contend() -> None:
            with sessions.begin() as session:
                row = session.get(models.Schedule, schedule_id)
                barrier.wait()
                won.append(claim(session, row, now + timedelta(milliseconds=len(won))))

        threads = [threading.Thread(target=contend) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(won) == [False] * 5 + [True]


def test_schedule_units_and_messages():
    seen = []

    def units_of(source, overrides):
        seen.append((source, overrides))
        return ["0/4", "2/4"]

    whole = models.Schedule(id=3, source="greenhouse", options={"settings": ["JOBSCOUT_UNIT_BOARDS=1"]})
    assert schedule_units(whole, units_of) == ["0/4", "2/4"]
    assert seen == [("greenhouse", {"JOBSCOUT_UNIT_BOARDS": "1"})]
    named = models.Schedule(id=4, source="greenhouse", options={"boards": "alpha,beta"})
    assert schedule_units(named, units_of) == [None]
    assert schedule_units(models.Schedule(id=5, source="remoteok", options={}), lambda *_: []) == [None]

    whole.timeout_seconds = 120
    claimed = datetime(2026, 12, 1, tzinfo=UTC)
    messages = unit_messages(whole, ["0/4", "2/4"], claimed)
    assert [m["unit"] for m in messages] == ["0/4", "2/4"]
    assert messages[0]["timeout"] == 120 and messages[0]["claimed_at"] == claimed.isoformat()
    argv = unit_argv("postgresql://db/x", messages[1])
    assert argv[3:] == [
        "--db",
        "postgresql://db/x",
        "crawl",
        "greenhouse",
        "--unit",
        "2/4",
        "-s",
        "JOBSCOUT_UNIT_BOARDS=1",
        "-s",
        "JOBSCOUT_SCHEDULE_ID=3",
    ]
    boards_argv = unit_argv("sqlite:///x.db", unit_messages(named, [None], claimed)[0])
    assert "--boards" in boards_argv and "--unit" not in boards_argv


@pytest.mark.parametrize(
    ("settings", "visibility", "seconds"),
    [([], 7200, 300), (["JOBSCOUT_LOCK_TTL_SECONDS=20"], 7200, 20), (["JOBSCOUT_LOCK_TTL_SECONDS=20"], 10, 5)],
)
def test_lock_retry_waits_for_the_lock_within_the_visibility_timeout(settings, visibility, seconds):
    assert lock_retry_seconds({"settings": settings}, visibility) == seconds


class FakeTask:
    """What crawl_unit uses of a bound Celery task: its app's conf and retry()."""

    class Retry(Exception):
        pass

    def __init__(self, db_url: str) -> None:
        self.app = type("App", (), {})()
        self.app.conf = type("Conf", (), {"jobscout_db_url": db_url, "jobscout_visibility_timeout": 30})()
        self.retries: list[float] = []

    def retry(self, countdown: float):
        self.retries.append(countdown)
        return self.Retry()


def test_a_locked_unit_is_retried_not_acknowledged(http_server, sqlite_url, tmp_path, monkeypatch):
    """A real child crawl meets a lock held by a live crawl: exit 6 -> the task retries after the lock's TTL."""
    http_server.add("/v1/boards/stripe/jobs", '{"jobs": [], "meta": {"total": 0}}')
    monkeypatch.setenv("JOBSCOUT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("JOBSCOUT_DATA_DIR", str(tmp_path / "data"))
    _, sessions = open_database(sqlite_url)
    message = {
        "source": "greenhouse",
        "unit": None,
        "boards": "stripe",
        "base_url": http_server.url,
        "settings": [*FAST[1::2], "JOBSCOUT_LOCK_TTL_SECONDS=8"],
        "timeout": 120,
    }
    task = FakeTask(sqlite_url)
    with acquire(sessions, "greenhouse", ["stripe"], owner="another crawl"), pytest.raises(FakeTask.Retry):
        crawl_unit(task, message)
    assert task.retries == [8.0]
    assert http_server.hits("/v1/boards/stripe/jobs") == 0
    # Free again: the same message runs to its end.
    assert run_unit(sqlite_url, message)[0] == outcome.OK
    assert http_server.hits("/v1/boards/stripe/jobs") == 1


def test_a_unit_that_stored_postings_runs_the_watches(http_server, sqlite_url, tmp_path, monkeypatch):
    """Queue mode reports new postings when their unit ends (crawler.after_crawl), as the scheduler does."""
    from storage.query import PostingFilters
    from storage.watches import add_watch

    http_server.add("/v1/boards/quay1/jobs", greenhouse_body("quay1"))
    monkeypatch.setenv("JOBSCOUT_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("JOBSCOUT_DATA_DIR", str(tmp_path / "data"))
    feed = tmp_path / "feed.xml"
    _, sessions = open_database(sqlite_url)
    with sessions.begin() as session:
        add_watch(session, "all", PostingFilters(all_roles=True), f"file:{feed}")
    message = board_message(http_server.url, "quay1")
    assert crawl_unit(FakeTask(sqlite_url), message) == outcome.OK
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(models.Posting))
        hits = session.scalar(select(func.count()).select_from(models.WatchHit))
        delivered = session.scalar(
            select(func.count())
            .select_from(models.WatchDelivery)
            .where(models.WatchDelivery.delivered_at.is_not(None))
        )
    assert stored > 0 and hits == stored and delivered == 1
    assert feed.read_text().count("<entry>") == stored
    assert crawl_unit(FakeTask(sqlite_url), message) == outcome.OK  # nothing new: nothing delivered again
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(models.WatchDelivery)) == 1


# --- the distributed path: PostgreSQL + Redis + real processes ---------------------------------------------------
@pytest.fixture
def redis_url():
    """A Redis database of its own on the test server (JOBSCOUT_TEST_REDIS_URL), emptied before and after."""
    base = os.environ.get(REDIS_ENV)
    if not base:
        pytest.skip(f"queue tests need Redis: set {REDIS_ENV} (e.g. redis://127.0.0.1:6379/0; .ci/run does)")
    import redis

    admin = redis.Redis.from_url(base, socket_connect_timeout=3)
    try:
        admin.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {base} not reachable: {exc.__class__.__name__}")
    # Databases 1-15 are handed out one per test (parallel test processes share the server).
    index = next((n for n in range(1, 16) if admin.set(f"jobscout-test-db:{n}", 1, nx=True, ex=900)), None)
    if index is None:
        pytest.skip("every Redis test database (1-15) is taken")
    url = f"{base.rsplit('/', 1)[0] if base.count('/') > 2 else base}/{index}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()
        admin.delete(f"jobscout-test-db:{index}")
        admin.close()


@pytest.fixture
def pg_url():
    with postgres_database() as url:
        yield url


def board_message(base_url: str, board: str, **extra) -> dict:
    """A queue message crawling one Greenhouse board of the local server, as a scheduler would publish it."""
    return {
        "source": "greenhouse",
        "unit": None,
        "boards": board,
        "base_url": base_url,
        "settings": list(FAST[1::2]),
        "timeout": 120,
        **extra,
    }


def greenhouse_body(board: str) -> str:
    """A small Greenhouse board listing of our own: distinct companies, ids and titles per board."""
    jobs = [
        {
            "id": 9_000_000 + BOARDS.index(board) * 100 + i,
            "title": f"Platform engineer {i} for the {board} storage team",
            "absolute_url": f"https://jobs.example.org/{board}/{i}",
            "company_name": f"{board.title()} Freight",
            "location": {"name": "Remote"},
            "updated_at": "2026-11-30T10:00:00Z",
            "requisition_id": f"{board}-{i}",
            "content": "&lt;p&gt;Build and run backend services in Python and PostgreSQL.&lt;/p&gt;",
        }
        for i in range(JOBS_PER_BOARD)
    ]
    return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}})


def queue_env(home: Path, db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    registry = home / "registry.csv"
    registry.write_text("source,token,company,config,origins\n")  # only the boards this test imports
    env.update(
        JOBSCOUT_CONFIG=str(home / "config.toml"),
        JOBSCOUT_DATA_DIR=str(home / "data"),
        JOBSCOUT_REGISTRY=str(registry),
        JOBSCOUT_DB_URL=db_url,
    )
    return env


def jobscout(env, *argv: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [*jobscout_command(), *argv], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


class Process:
    """A background ``jobscout`` process whose stderr lines are collected as they come."""

    def __init__(self, env, *argv: str) -> None:
        self.popen = subprocess.Popen(
            [*jobscout_command(), *argv], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.popen.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 90) -> int:
        """Send ``sig`` (unless it has ended) and wait for the exit code; kill it past ``timeout``."""
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
        try:
            return self.popen.wait(timeout=timeout)
        finally:
            self.close()

    def close(self) -> None:
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=30)
        self._reader.join(timeout=5)
        self.popen.stderr.close()


def wait_for(predicate, timeout: float, what: str, *processes: Process):
    """Poll a condition (a liveness bound, not a timing assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    logs = "\n---\n".join(p.log[-3000:] for p in processes)
    raise AssertionError(f"{what}: not reached\n{logs}")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(") ", 1)[1][:1] != "Z"
    except OSError:
        return False


def boards_read(db_url: str) -> set[str]:
    _, sessions = open_database(db_url)
    with sessions() as session:
        runs = session.scalars(select(models.CrawlRun).where(models.CrawlRun.status == outcome.OK)).all()
        return {board for run in runs for board in (run.board_results or {})}


def add_queue_schedule(env, server_url: str, every: str) -> None:
    jobscout(env, "db", "upgrade")
    boards = Path(env["JOBSCOUT_DATA_DIR"]).parent / "boards.csv"
    boards.write_text("source,token\n" + "".join(f"greenhouse,{b}\n" for b in BOARDS))
    jobscout(env, "boards", "import", str(boards))
    settings = ["-s", "JOBSCOUT_UNIT_BOARDS=1", "-s", "JOBSCOUT_LOCK_TTL_SECONDS=6", *FAST]
    jobscout(env, "schedule", "add", "greenhouse", "--base-url", server_url, "--every", every, *settings)


@pytest.mark.postgres
def test_scheduler_and_two_workers_lose_and_double_nothing_when_a_worker_is_killed(
    http_server, pg_url, redis_url, tmp_path
):
    for board in BOARDS:  # slow enough that a unit is still running when its worker is killed
        http_server.add(f"/v1/boards/{board}/jobs", Response(greenhouse_body(board), delay=1.0))
    env = queue_env(tmp_path, pg_url)
    add_queue_schedule(env, http_server.url, "1s")
    scheduler = Process(env, "scheduler", "run", "--queue", redis_url, "--max-runs", "1", "--reload-every", "0.5")
    try:
        assert scheduler.popen.wait(timeout=120) == 0, scheduler.log[-3000:]  # --max-runs 1: it stops by itself
    finally:
        scheduler.close()
    enqueued = re.search(r"enqueued (\d+) units of greenhouse", scheduler.log)
    assert enqueued, scheduler.log[-3000:]
    units = int(enqueued.group(1))
    assert 2 <= units <= len(BOARDS)  # six boards hashed into 8 units of one

    # The visibility timeout must exceed the longest unit (a child's start-up takes seconds on a busy machine): the
    # killed worker's unit comes back within about half a minute.
    worker_argv = ("worker", "--queue", redis_url, "--concurrency", "1", "--visibility-timeout", "30")
    workers = [Process(env, *worker_argv), Process(env, *worker_argv)]
    try:
        started = re.compile(r"unit greenhouse (\d+/\d+): started \(pid (\d+)\)")
        victim = wait_for(
            lambda: next((w for w in workers if started.search(w.log)), None), 180, "a unit started", *workers
        )
        unit, child = started.search(victim.log).groups()
        victim.stop(signal.SIGKILL)  # mid-unit: started, not acknowledged
        survivor = next(w for w in workers if w is not victim)
        wait_for(lambda: not alive(int(child)), 60, "the killed worker's crawl stopped", survivor)
        wait_for(lambda: boards_read(pg_url) == set(BOARDS), 240, "every board read", survivor)
        # The killed worker's unit ran again, on the survivor (handed back after the visibility timeout).
        assert re.search(rf"unit greenhouse {re.escape(unit)}: started", survivor.log), survivor.log[-3000:]
        assert survivor.stop() == 0, survivor.log[-3000:]
    finally:
        for worker in workers:
            worker.close()

    _, sessions = open_database(pg_url)
    with sessions() as session:
        postings = session.scalar(select(func.count()).select_from(models.Posting))
        sources = session.scalars(select(models.PostingSource.board)).all()
        running = session.scalar(
            select(func.count()).select_from(models.CrawlRun).where(models.CrawlRun.status == outcome.RUNNING)
        )
    assert postings == len(BOARDS) * JOBS_PER_BOARD  # no posting lost, none doubled
    assert sorted(sources) == sorted(b for b in BOARDS for _ in range(JOBS_PER_BOARD))
    assert running == 0


def queued_ids(redis_url: str) -> list[str]:
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        return [json.loads(raw)["headers"]["id"] for raw in client.lrange("jobscout", 0, -1)]
    finally:
        client.close()


@pytest.mark.postgres
def test_two_schedulers_enqueue_each_due_unit_once(http_server, pg_url, redis_url, tmp_path):
    env = queue_env(tmp_path, pg_url)
    add_queue_schedule(env, http_server.url, "2s")
    argv = ("scheduler", "run", "--queue", redis_url, "--reload-every", "0.5")
    schedulers = [Process(env, *argv), Process(env, *argv)]
    try:
        fired = re.compile(r"enqueued \d+ units|enqueued by another scheduler")
        wait_for(
            lambda: all(len(fired.findall(s.log)) >= 3 for s in schedulers), 120, "three firings each", *schedulers
        )
    finally:
        codes = [s.stop() for s in schedulers]
    assert codes == [0, 0], "\n---\n".join(s.log[-2000:] for s in schedulers)
    ids = queued_ids(redis_url)
    runs = {}  # claim time -> units published for it
    for task_id in ids:
        claimed_at, unit = re.fullmatch(r"schedule-1-(.+)-(\d+/\d+)", task_id).groups()
        runs.setdefault(claimed_at, []).append(unit)
    assert len(runs) >= 3
    units = next(iter(runs.values()))
    assert all(sorted(published) == sorted(units) for published in runs.values())  # each unit once per run
    claims = sorted(datetime.fromisoformat(c) for c in runs)
    assert all(later - earlier >= timedelta(seconds=1) for earlier, later in itertools.pairwise(claims))
    published = sum(int(n) for s in schedulers for n in re.findall(r"enqueued (\d+) units", s.log))
    assert published == len(ids)


def test_sigterm_lets_the_running_unit_finish_and_acknowledges_it(http_server, sqlite_url, redis_url, tmp_path):
    import redis

    from crawler.queue import TASK, make_app

    http_server.add("/v1/boards/quay1/jobs", Response(greenhouse_body("quay1"), delay=3))
    env = queue_env(tmp_path, sqlite_url)
    jobscout(env, "db", "upgrade")
    message = board_message(http_server.url, "quay1", schedule_id=0, claimed_at="now")
    make_app(redis_url).send_task(TASK, args=[message], task_id="by-hand")
    worker = Process(env, "worker", "--queue", redis_url, "--concurrency", "1", "--visibility-timeout", "60")
    try:
        wait_for(lambda: http_server.hits("/v1/boards/quay1/jobs") >= 1, 180, "the unit's request", worker)
        assert worker.stop(signal.SIGTERM) == 0, worker.log[-3000:]
    finally:
        worker.close()
    assert re.search(r"unit greenhouse \(all\): ok", worker.log), worker.log[-3000:]
    assert boards_read(sqlite_url) == {"quay1"}
    client = redis.Redis.from_url(redis_url)
    try:  # acknowledged: neither waiting on the queue nor held as unacknowledged
        assert client.llen("jobscout") == 0 and client.hlen("unacked") == 0
    finally:
        client.close()
