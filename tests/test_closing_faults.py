"""Fault injection, end to end (issue 13): a posting closes only on proof.

Every test runs the real ``jobscout crawl`` in a subprocess against a loopback server, on SQLite and PostgreSQL
where the case applies: a first crawl stores a board, then a fault (writes that fail as a full disk does, a real
full tmpfs, a PostgreSQL connection dropped mid-crawl, a shrink past the blast radius, a body that crashes the
spider, a crawl killed with SIGKILL), then the run's status, the exit code and the number of postings closed (the
run's ``closed`` and the rows with ``closed_at`` set) are checked: 0 wherever the board was not proven. Where the
issue says so, a later clean crawl repairs the board.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from crawler import outcome
from storage import models
from storage.db import dispose_all, open_database
from tests.crawling import FAST, FIXTURES, crawl, jobscout_command, jobscout_env, latest_run, row_counts, run_jobscout
from tests.databases import postgres_database
from tests.http_server import Response

TRACEBACK = "Traceback (most recent call last)"
WORDS = [
    "amber", "birch", "cedar", "delta", "ember", "fjord", "garnet", "harbor", "indigo", "juniper",
    "kestrel", "lagoon", "meadow", "nimbus", "onyx", "prairie", "quartz", "raven", "sierra", "tundra",
]  # fmt: skip


@pytest.fixture(autouse=True)
def wide_summary(monkeypatch):
    """The crawl summary is a rich table: wide enough that its status line is one line."""
    monkeypatch.setenv("COLUMNS", "400")


# --- postings and boards ------------------------------------------------------------------------------------------
def tag(i: int) -> str:
    """A distinct three-word name per posting (distinct titles: no two postings of a board are one opening)."""
    return f"{WORDS[i % 20]} {WORDS[(i // 20) % 20]} {WORDS[(i // 400) % 20]}".title()


def job(i: int, rev: int = 0, padding: str = "") -> dict:
    """One Greenhouse job; ``rev`` changes its payload (``updated_at`` and content), so a re-crawl must write it.
    The content is short (no text fingerprint), so normalizing it is cheap."""
    return {
        "id": 9100000 + i,
        "internal_job_id": 9200000 + i,
        "title": f"Backend Engineer, {tag(i)} Services",
        "absolute_url": f"https://faultline.example/jobs/{9100000 + i}",
        "location": {"name": "Remote"},
        "updated_at": f"2026-{1 + rev:02d}-{1 + i % 28:02d}T09:00:00Z",
        "requisition_id": f"FL-{i}",
        "company_name": "Faultline Systems",
        "content": f"&lt;p&gt;Python and PostgreSQL services, revision {rev}.&lt;/p&gt;{padding}",
        "metadata": None,
    }


def listing(ids, rev: int = 0, padding: str = "", delay: float = 0.0) -> Response:
    return Response(json.dumps({"jobs": [job(i, rev, padding) for i in ids]}), delay=delay)


def board_path(board: str) -> str:
    return f"/v1/boards/{board}/jobs"


def closed_postings(db_url: str, board: str | None = None) -> int:
    """Postings with ``closed_at`` set (of ``board``, or all)."""
    _, Session = open_database(db_url)
    stmt = select(func.count(func.distinct(models.Posting.id))).where(models.Posting.closed_at.is_not(None))
    if board is not None:
        stmt = stmt.join(models.PostingSource).where(models.PostingSource.board == board)
    with Session() as s:
        return s.scalar(stmt)


def closed_sources(db_url: str) -> int:
    _, Session = open_database(db_url)
    with Session() as s:
        return s.scalar(
            select(func.count()).select_from(models.PostingSource).where(models.PostingSource.closed_at.is_not(None))
        )


def assert_run(result, db_url: str, status: str, closed: int) -> models.CrawlRun:
    """The crawl ended ``status`` with its exit code, and ``closed`` postings closed (the run and the database)."""
    run = latest_run(db_url)
    assert (run.status, result.returncode) == (status, outcome.exit_code(status)), (
        f"{run.status} / exit {result.returncode}: {run.status_reason}\n{result.stdout}\n{result.stderr}"
    )
    assert run.finished_at is not None
    assert run.closed == closed
    assert closed_postings(db_url) == closed
    assert closed_sources(db_url) == closed
    return run


def first_crawl(server, tmp_path, db_url, boards: dict[str, int]) -> None:
    """Store each board (name -> number of postings; the boards' ids do not overlap), all open."""
    start = 0
    for board, n in boards.items():
        server.add(board_path(board), listing(range(start, start + n)))
        start += n
    result = crawl("greenhouse", "--boards", ",".join(boards), home=tmp_path, db_url=db_url, base_url=server.url)
    assert result.returncode == 0, result.stderr
    total = sum(boards.values())
    assert row_counts(db_url) == (total, total)
    assert (latest_run(db_url).status, closed_postings(db_url)) == (outcome.OK, 0)


def summary_status(stdout: str) -> str:
    """The summary's status line (``status  partial: why``), whitespace collapsed."""
    line = next((ln for ln in stdout.splitlines() if re.search(r"\bstatus\b", ln)), "")
    return " ".join(line.replace("│", " ").split())


# --- 1. store errors (disk full) ------------------------------------------------------------------------------
# Writes that record a sighting fail; a write that closes a posting (``closed_at`` set) still goes through, as on a
# disk that filled during the batches and had room again by the end of the crawl: the closing step must not
# take the failed re-sightings for postings the board no longer lists.
SQLITE_DISK_FULL = [
    "CREATE TRIGGER disk_full_update BEFORE UPDATE ON posting_sources WHEN NEW.closed_at IS NULL "
    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
    "CREATE TRIGGER disk_full_insert BEFORE INSERT ON posting_sources "
    "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END",
]
PG_DISK_FULL = [
    "CREATE FUNCTION disk_full() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'INSERT' OR NEW.closed_at IS NULL THEN "
    "RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END IF; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER disk_full BEFORE INSERT OR UPDATE ON posting_sources FOR EACH ROW EXECUTE FUNCTION disk_full()",
]


def set_disk_full(db_url: str, full: bool) -> None:
    engine, _ = open_database(db_url)
    sqlite = engine.dialect.name == "sqlite"
    if full:
        statements = SQLITE_DISK_FULL if sqlite else PG_DISK_FULL
    elif sqlite:
        statements = ["DROP TRIGGER disk_full_update", "DROP TRIGGER disk_full_insert"]
    else:
        statements = ["DROP TRIGGER disk_full ON posting_sources", "DROP FUNCTION disk_full()"]
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


@pytest.mark.parametrize("changed", [True, False], ids=["changed-payloads", "unchanged-payloads"])
def test_store_errors_end_partial_close_nothing_and_a_clean_crawl_repairs(http_server, db_url, tmp_path, changed):
    """Every write of the board fails as on a full disk; the listing omits 5: nothing closes, the run is partial.

    ``changed``: every payload differs from the stored one (each posting is upserted); otherwise the postings are
    re-sightings whose ``last_seen_at`` update fails (the unchanged-payload path)."""
    n, omitted = 60, 5
    first_crawl(http_server, tmp_path, db_url, {"fault": n})
    rev = 1 if changed else 0
    http_server.add(board_path("fault"), listing(range(omitted, n), rev=rev))
    set_disk_full(db_url, True)

    full = crawl("greenhouse", "--boards", "fault", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(full, db_url, outcome.PARTIAL, closed=0)
    assert run.dropped.get("store_error") == n - omitted
    assert run.board_counts == {"fault": n - omitted}
    assert "could not be stored" in run.status_reason
    status_line = summary_status(full.stdout)
    assert status_line.startswith("status partial:") and "could not be stored" in status_line, full.stdout
    assert TRACEBACK not in full.stderr

    set_disk_full(db_url, False)
    repaired = crawl("greenhouse", "--boards", "fault", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(repaired, db_url, outcome.OK, closed=omitted)
    assert run.dropped.get("store_error", 0) == 0
    assert closed_postings(db_url, "fault") == omitted


# --- 1b. a real full disk: the SQLite file on a small tmpfs --------------------------------------------------
@contextlib.contextmanager
def small_tmpfs(where: Path, size: str):
    where.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True, text=True
        )
    except FileNotFoundError:
        pytest.skip("no mount command: cannot make a small tmpfs for the disk-full test")
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        dispose_all()
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(where: Path, leave: int = 0) -> int:
    """Fill the filesystem at ``where`` but ``leave`` bytes; returns the bytes written."""
    written = 0
    chunk = os.urandom(1 << 16)
    with open(where / "filler", "wb", buffering=0) as fh:
        while True:
            free = shutil.disk_usage(where).free - leave
            if free <= 0:
                break
            try:
                written += fh.write(chunk[: min(len(chunk), free)])
            except OSError:
                break
    return written


PADDING = "&lt;p&gt;" + "".join(f"{x:08x}" for x in range(600)) + "&lt;/p&gt;"  # ~5 KB per payload


@pytest.mark.parametrize(
    "headroom",
    [0, 64 * 1024, 200 * 1024],
    ids=["no-space", "room-to-start-only", "room-for-the-run-rows"],
)
def test_a_real_full_disk_closes_nothing_and_the_exit_code_says_so(http_server, tmp_path, headroom):
    """SQLite on an 8 MB tmpfs filled to ``headroom`` free bytes before the second crawl, whose payloads are
    larger than what is left. Whatever the crawl manages to record, it closes nothing and does not exit 0; a run
    it recorded as finished has the exit code of its status; a clean crawl after freeing the space repairs."""
    disk = tmp_path / "disk"
    with small_tmpfs(disk, "8m"):
        db_url = f"sqlite:///{disk / 'jobscout.db'}"
        n, omitted = 60, 5
        first_crawl(http_server, tmp_path, db_url, {"fault": n})
        first_run = latest_run(db_url).id
        dispose_all()
        http_server.add(board_path("fault"), listing(range(omitted, n), rev=1, padding=PADDING))
        fill(disk, leave=headroom)

        full = crawl("greenhouse", "--boards", "fault", home=tmp_path, db_url=db_url, base_url=http_server.url)
        (disk / "filler").unlink()
        dispose_all()
        assert full.returncode != 0, full.stdout + full.stderr
        assert TRACEBACK not in full.stderr, full.stderr  # one line per failed write, never a traceback
        assert closed_postings(db_url) == 0 and closed_sources(db_url) == 0
        run = latest_run(db_url)
        if run.id != first_run and run.status != outcome.RUNNING:  # the run's final record was written
            assert run.status in (outcome.PARTIAL, outcome.FAILED), run.status_reason
            assert full.returncode == outcome.exit_code(run.status)
            assert run.closed == 0
            if run.status == outcome.PARTIAL:
                assert run.dropped.get("store_error", 0) > 0
        elif run.id != first_run:  # started, could not finish its record: found interrupted by the next look
            assert full.returncode == outcome.exit_code(outcome.FAILED)

        repaired = crawl("greenhouse", "--boards", "fault", home=tmp_path, db_url=db_url, base_url=http_server.url)
        assert_run(repaired, db_url, outcome.OK, closed=omitted)
        _, Session = open_database(db_url)
        with Session() as s:
            statuses = s.scalars(select(models.CrawlRun.status).order_by(models.CrawlRun.id)).all()
        assert outcome.RUNNING not in statuses, statuses


# --- 2. PostgreSQL: the connection dropped mid-crawl ------------------------------------------------------------
class DroppingProxy:
    """A loopback TCP proxy to the PostgreSQL server that, once the crawl has started its run (``arm`` seen from the
    client), forwards ``drop_after`` COMMITs, then closes every open connection and refuses new ones for
    ``refuse_for`` seconds, then forwards again. The shared server itself is never touched."""

    def __init__(self, host: str, port: int, *, arm: bytes, drop_after: int, refuse_for: float):
        self.target = (host, port)
        self.arm, self.drop_after, self.refuse_for = arm, drop_after, refuse_for
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.lock = threading.Lock()
        self.sockets: set[socket.socket] = set()
        self.armed = False
        self.commits = 0
        self.dropped = 0  # connections closed by the drop
        self.refused = 0  # connections refused during the window
        self.refuse_until = 0.0
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> DroppingProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.listener.close()
        with self.lock:
            for sock in self.sockets:
                self._close(sock)
            self.sockets.clear()
        self.thread.join(timeout=5)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if time.monotonic() < self.refuse_until:
                self.refused += 1
                self._close(client)
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                self._close(client)
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for src, dst, from_client in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(target=self._pump, args=(src, dst, from_client), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        while True:
            try:
                data = src.recv(1 << 16)
                if not data:
                    break
                dst.sendall(data)
            except OSError:
                break
            if from_client:
                self._watch(data)
        with self.lock:
            for sock in (src, dst):
                if sock in self.sockets:
                    self.sockets.discard(sock)
                    self._close(sock)

    def _watch(self, data: bytes) -> None:
        with self.lock:
            if self.commits >= self.drop_after:
                return
            if not self.armed:
                self.armed = self.arm in data
                return
            self.commits += data.count(b"COMMIT")
            if self.commits < self.drop_after:
                return
            # The COMMIT went through to the server; its answer may not reach the client (an ambiguous commit).
            self.refuse_until = time.monotonic() + self.refuse_for
            self.dropped = len(self.sockets)
            for sock in self.sockets:
                self._close(sock)
            self.sockets.clear()


@pytest.mark.postgres
def test_postgresql_connection_dropped_mid_crawl_ends_partial_and_closes_nothing(http_server, tmp_path):
    """Board ``fault`` (60 changed postings, 5 omitted) is written in batches of 10 through the proxy, which drops
    every connection after the 3rd COMMIT of the run and refuses new ones for 2.5 s; board ``late`` answers once
    the window is over (its writes go through, and so does the run's final record). Expect partial, exit 4, store
    errors on ``fault``, nothing closed, the run finished; a clean crawl then closes the 5."""
    with postgres_database() as db_url:
        first_crawl(http_server, tmp_path, db_url, {"fault": 60, "late": 10})
        http_server.add(board_path("fault"), listing(range(5, 60), rev=1))
        target = make_url(db_url)
        proxies: list[DroppingProxy] = []

        def late_board(method: str, path: str, body: bytes) -> Response:
            # Answer once the proxy's window of refused connections is over, however long the crawl took to reach
            # it (a fixed delay raced the window on a loaded machine). The deadline guards against a hang only.
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                proxy = proxies[0] if proxies else None
                if proxy is not None and proxy.dropped and time.monotonic() > proxy.refuse_until + 0.5:
                    break
                time.sleep(0.05)
            return listing(range(60, 70), rev=1)

        http_server.add_handler(board_path("late"), late_board)
        with DroppingProxy(
            target.host or "127.0.0.1",
            target.port or 5432,
            arm=b"INSERT INTO crawl_runs",
            drop_after=3,
            refuse_for=2.5,
        ) as proxy:
            proxies.append(proxy)
            proxied = target.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            dropped = crawl(
                "greenhouse",
                "--boards",
                "fault,late",
                "-s",
                "JOBSCOUT_BATCH_SIZE=10",
                home=tmp_path,
                db_url=proxied,
                base_url=http_server.url,
            )
        assert proxy.commits >= 3 and proxy.dropped > 0, "the proxy never dropped the connection"
        run = assert_run(dropped, db_url, outcome.PARTIAL, closed=0)
        assert run.dropped.get("store_error", 0) > 0
        assert "fault" in run.status_reason and "could not be stored" in run.status_reason
        assert "late" not in run.status_reason
        assert run.board_counts == {"fault": 55, "late": 10}
        assert summary_status(dropped.stdout).startswith("status partial:"), dropped.stdout
        assert TRACEBACK not in dropped.stderr

        http_server.handlers.pop(board_path("late"))
        http_server.add(board_path("late"), listing(range(60, 70), rev=1))
        repaired = crawl(
            "greenhouse", "--boards", "fault,late", home=tmp_path, db_url=db_url, base_url=http_server.url
        )
        assert_run(repaired, db_url, outcome.OK, closed=5)
        assert closed_postings(db_url, "fault") == 5


# --- 3. shrink past the blast radius --------------------------------------------------------------------------
def test_a_shrink_past_the_blast_radius_is_held_then_confirmed(http_server, db_url, tmp_path):
    """300 open, then a valid listing of 10: degraded, nothing closed, the hold recorded; the same 10 again: the
    shrink is confirmed and the 290 close."""
    first_crawl(http_server, tmp_path, db_url, {"shrunk": 300})
    http_server.add(board_path("shrunk"), listing(range(10)))

    held = crawl("greenhouse", "--boards", "shrunk", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(held, db_url, outcome.DEGRADED, closed=0)
    assert run.board_holds == {"shrunk": {"open": 300, "closing": 290}}
    assert run.board_counts == {"shrunk": 10}
    assert "blast radius" in run.status_reason and "290 of 300" in run.status_reason
    assert summary_status(held.stdout).startswith("status degraded:"), held.stdout
    assert "290" in held.stderr and "300" in held.stderr  # both counts are logged

    confirmed = crawl("greenhouse", "--boards", "shrunk", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(confirmed, db_url, outcome.OK, closed=290)
    assert run.board_holds == {}
    assert "confirmed" in confirmed.stderr


def test_a_shrink_within_the_blast_radius_closes_at_once(http_server, db_url, tmp_path):
    """30 open, 20 listed: 10 of 30 is within the radius (half), so they close in the same run."""
    first_crawl(http_server, tmp_path, db_url, {"trimmed": 30})
    http_server.add(board_path("trimmed"), listing(range(20)))
    result = crawl("greenhouse", "--boards", "trimmed", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(result, db_url, outcome.OK, closed=10)
    assert run.board_holds == {}


def test_a_held_shrink_is_not_confirmed_by_a_board_that_recovered(http_server, sqlite_url, tmp_path):
    """Held (300 -> 10), then the board lists all 300 again (ok, nothing closes), then 10 again: held anew, not
    confirmed by the older hold."""
    first_crawl(http_server, tmp_path, sqlite_url, {"flaky": 300})
    shrunk, whole = listing(range(10)), listing(range(300))
    for body, status in ((shrunk, outcome.DEGRADED), (whole, outcome.OK), (shrunk, outcome.DEGRADED)):
        http_server.add(board_path("flaky"), body)
        result = crawl("greenhouse", "--boards", "flaky", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
        assert_run(result, sqlite_url, status, closed=0)


# --- 4. a crash while parsing ---------------------------------------------------------------------------------
NESTED = '{"jobs": ' + "[" * 100_000 + "]" * 100_000 + "}"  # deeper than the interpreter's stack
HUGE_ID = '{"jobs": [{"id": ' + "9" * 5000 + ', "title": "Backend Engineer"}]}'  # json.loads: ValueError, not decode


def board_failures(stderr: str, board: str) -> list[str]:
    return [line for line in stderr.splitlines() if f"board greenhouse/{board} failed" in line]


@pytest.mark.parametrize(
    ("body", "error"),
    [(NESTED, "unreadable response"), (HUGE_ID, "ValueError while parsing")],
    ids=["deeply-nested-json", "integer-too-long-to-convert"],
)
def test_a_crash_while_parsing_fails_its_board_and_the_others_still_close(http_server, db_url, tmp_path, body, error):
    """``broken`` (10 stored) answers with a body that crashes the parse; ``healthy`` (20 stored) lists 15. The
    run is partial, ``broken`` is failed with one line and no traceback, none of its postings close, the healthy
    board's 5 unlisted ones do."""
    first_crawl(http_server, tmp_path, db_url, {"broken": 10, "healthy": 20})
    http_server.add(board_path("broken"), Response(body))
    http_server.add(board_path("healthy"), listing(range(10, 25)))

    result = crawl("greenhouse", "--boards", "broken,healthy", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(result, db_url, outcome.PARTIAL, closed=5)
    assert list(run.board_errors) == ["broken"] and error in run.board_errors["broken"]
    assert closed_postings(db_url, "broken") == 0 and closed_postings(db_url, "healthy") == 5
    assert TRACEBACK not in result.stderr, result.stderr[-3000:]
    assert len(board_failures(result.stderr, "broken")) == 1, result.stderr[-3000:]
    assert len(result.stderr) < 4000, result.stderr[-3000:]  # a few log lines, not a stack dump
    assert summary_status(result.stdout).startswith("status partial:"), result.stdout


@pytest.mark.parametrize("body", [NESTED, HUGE_ID], ids=["deeply-nested-json", "integer-too-long-to-convert"])
def test_a_crash_on_the_only_board_fails_the_run(http_server, db_url, tmp_path, body):
    first_crawl(http_server, tmp_path, db_url, {"broken": 10})
    http_server.add(board_path("broken"), Response(body))
    result = crawl("greenhouse", "--boards", "broken", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(result, db_url, outcome.FAILED, closed=0)
    assert list(run.board_errors) == ["broken"]
    assert TRACEBACK not in result.stderr, result.stderr[-3000:]


def test_an_exception_in_a_callback_that_is_no_json_problem_fails_the_board(http_server, sqlite_url, tmp_path):
    """Arbeitnow's ``links.next`` is an unparseable URL (``urlsplit`` raises ValueError in the spider's callback,
    after the page's postings were yielded): BoardFailureMiddleware fails the feed with one line, no traceback;
    the run (its only board failed) is failed, exit 1, nothing closed."""
    page = json.loads((FIXTURES / "arbeitnow" / "page1.json").read_text())
    page["links"]["next"] = None
    http_server.add("/api/job-board-api", Response(json.dumps(page)))
    first = crawl("arbeitnow", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert first.returncode == 0, first.stderr
    stored = row_counts(sqlite_url)

    page["links"]["next"] = "https://[broken/api/job-board-api?page=2"
    http_server.add("/api/job-board-api", Response(json.dumps(page)))
    result = crawl("arbeitnow", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    run = assert_run(result, sqlite_url, outcome.FAILED, closed=0)
    assert "ValueError while parsing" in run.board_errors["arbeitnow"]
    assert TRACEBACK not in result.stderr, result.stderr[-3000:]
    assert len([ln for ln in result.stderr.splitlines() if "board arbeitnow/arbeitnow failed" in ln]) == 1
    assert row_counts(sqlite_url) == stored


# --- 5. dead runs ---------------------------------------------------------------------------------------------
def start_crawl(source: str, *args: str, home: Path, db_url: str, base_url: str) -> subprocess.Popen:
    """``jobscout crawl`` in the background (the environment of tests.crawling.run_jobscout)."""
    return subprocess.Popen(
        [*jobscout_command(), "crawl", source, "--base-url", base_url, *FAST, *args],
        env=jobscout_env(home, db_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def running_run(db_url: str) -> models.CrawlRun | None:
    _, Session = open_database(db_url)
    with Session() as s:
        return s.scalars(select(models.CrawlRun).where(models.CrawlRun.status == outcome.RUNNING)).first()


def held_locks(db_url: str) -> list[tuple[str, str, int | None]]:
    _, Session = open_database(db_url)
    with Session() as s:
        return [(lock.source, lock.board, lock.pid) for lock in s.scalars(select(models.CrawlLock))]


TTL = ("-s", "JOBSCOUT_LOCK_TTL_SECONDS=300")


def kill_mid_crawl(http_server, tmp_path, db_url: str) -> tuple[int, int]:
    """Start a crawl of board ``slow`` (its answer delayed 60 s), wait until its run row exists and its request
    arrived, SIGKILL it; returns (pid, run id). Its ``running`` row and its lock stay behind."""
    http_server.add(board_path("slow"), listing(range(10), delay=60))
    # The delayed answer is written to a dead client a minute later: no "Exception occurred" noise then.
    http_server.httpd.handle_error = lambda request, client_address: None
    child = start_crawl(
        "greenhouse", "--boards", "slow", *TTL, home=tmp_path, db_url=db_url, base_url=http_server.url
    )
    try:
        wait_for(lambda: running_run(db_url) is not None, "the crawl's run row")
        wait_for(lambda: http_server.hits(board_path("slow")) > 0, "the crawl's request")
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    run = running_run(db_url)
    assert run is not None and run.pid == child.pid
    assert held_locks(db_url) == [("greenhouse", "slow", child.pid)]
    http_server.add(board_path("slow"), listing(range(10)))  # the next crawl gets its answer at once
    return child.pid, run.id


def test_a_killed_crawl_becomes_interrupted_and_does_not_block_the_next(http_server, db_url, tmp_path):
    """kill -9 mid-crawl: ``jobscout runs`` shows the run interrupted, naming the dead pid; the next crawl of the
    board is not refused (exit 6) and ends ok, closing nothing that was listed."""
    first_crawl(http_server, tmp_path, db_url, {"slow": 10})
    pid, run_id = kill_mid_crawl(http_server, tmp_path, db_url)

    shown = run_jobscout("runs", "--format", "json", home=tmp_path, db_url=db_url)
    assert shown.returncode == 0, shown.stderr
    killed = next(r for r in json.loads(shown.stdout) if r["id"] == run_id)
    assert killed["status"] == outcome.INTERRUPTED
    assert f"pid {pid}" in killed["status_reason"]
    assert killed["closed"] == 0 and killed["finished_at"] is not None

    again = crawl("greenhouse", "--boards", "slow", *TTL, home=tmp_path, db_url=db_url, base_url=http_server.url)
    assert again.returncode != outcome.exit_code(outcome.LOCKED), again.stderr
    assert_run(again, db_url, outcome.OK, closed=0)
    assert held_locks(db_url) == []


def test_wait_stops_waiting_as_soon_as_the_lock_holder_is_dead(http_server, db_url, tmp_path):
    """With the killed crawl's lock still in the table (TTL 300 s), ``crawl --wait`` takes it over at once, marks
    the dead run interrupted itself, and ends ok."""
    first_crawl(http_server, tmp_path, db_url, {"slow": 10})
    pid, run_id = kill_mid_crawl(http_server, tmp_path, db_url)

    _, Session = open_database(db_url)
    with Session() as s:  # the dead crawl's lock, still unexpired
        [dead_lock_expiry] = s.scalars(select(models.CrawlLock.expires_at).where(models.CrawlLock.pid == pid)).all()
    waited = crawl(
        "greenhouse", "--boards", "slow", "--wait", *TTL, home=tmp_path, db_url=db_url, base_url=http_server.url
    )
    run = assert_run(waited, db_url, outcome.OK, closed=0)
    # The run row is written after the lock is taken: it started while the dead crawl's lock was still unexpired,
    # so --wait did not wait for the expiry (proved by the rows, not by a clock on this noisy machine).
    assert run.started_at < dead_lock_expiry
    _, Session = open_database(db_url)
    with Session() as s:
        killed = s.get(models.CrawlRun, run_id)
        assert killed.status == outcome.INTERRUPTED and f"pid {pid}" in killed.status_reason
    assert held_locks(db_url) == []


# --- 6. transport faults: truncated bodies, connection resets, 5xx bursts ------------------------------------------
def integrity_ok(db_url: str) -> bool:
    """SQLite's own check of the file (PostgreSQL: the rows read back, which the assertions around it do)."""
    _, Session = open_database(db_url)
    with Session() as s:
        if s.get_bind().dialect.name != "sqlite":
            return True
        return s.execute(text("PRAGMA integrity_check")).scalar() == "ok"


def stored_titles(db_url: str, board: str) -> dict[str, str]:
    _, Session = open_database(db_url)
    with Session() as s:
        rows = s.execute(
            select(models.PostingSource.external_id, models.Posting.title)
            .join(models.Posting, models.Posting.id == models.PostingSource.posting_id)
            .where(models.PostingSource.board == board)
        )
        return dict(rows.all())


@pytest.mark.parametrize("fault", ["truncate", "reset"])
def test_a_broken_transfer_fails_its_board_and_closes_nothing_of_it(http_server, tmp_path, db_url, fault):
    first_crawl(http_server, tmp_path, db_url, {"broken": 12, "healthy": 8})
    before = stored_titles(db_url, "broken")
    tries_before = http_server.hits(board_path("broken"))
    # Every try of the broken board fails the same way (retries included); the healthy board drops 3 postings.
    http_server.add(board_path("broken"), Response(json.dumps({"jobs": [job(i) for i in range(12)]}), fault=fault))
    http_server.add(board_path("healthy"), listing(range(12, 17)))
    result = crawl("greenhouse", "--boards", "broken,healthy", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(result, db_url, outcome.PARTIAL, closed=3)
    assert "broken" in run.board_errors and "healthy" not in run.board_errors
    assert closed_postings(db_url, "broken") == 0
    assert stored_titles(db_url, "broken") == before
    # Retried (RETRY_TIMES=2 in FAST; Twisted's HTTP/1.1 client also retries a reset idempotent request itself).
    assert http_server.hits(board_path("broken")) - tries_before >= 3
    assert TRACEBACK not in result.stderr, result.stderr
    assert integrity_ok(db_url)


def test_a_burst_of_5xx_is_retried_and_the_crawl_is_whole(http_server, tmp_path, db_url):
    first_crawl(http_server, tmp_path, db_url, {"bursty": 10})
    tries_before = http_server.hits(board_path("bursty"))
    http_server.add(
        board_path("bursty"),
        Response("upstream hiccup", status=503, content_type="text/plain"),
        Response("<html>Bad gateway</html>", status=502, content_type="text/html"),
        listing(range(8)),
    )
    result = crawl("greenhouse", "--boards", "bursty", home=tmp_path, db_url=db_url, base_url=http_server.url)
    assert_run(result, db_url, outcome.OK, closed=2)
    assert http_server.hits(board_path("bursty")) - tries_before == 3
    assert integrity_ok(db_url)


def test_a_5xx_burst_longer_than_the_retries_fails_the_board_and_closes_nothing(http_server, tmp_path, db_url):
    first_crawl(http_server, tmp_path, db_url, {"down": 10})
    http_server.add(board_path("down"), Response("down for maintenance", status=503, content_type="text/plain"))
    result = crawl("greenhouse", "--boards", "down", home=tmp_path, db_url=db_url, base_url=http_server.url)
    run = assert_run(result, db_url, outcome.FAILED, closed=0)
    assert "HTTP 503" in run.board_errors["down"]
    assert TRACEBACK not in result.stderr, result.stderr
    assert integrity_ok(db_url)
