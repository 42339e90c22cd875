"""storage.liveness on SQLite and PostgreSQL: runs whose process died are interrupted, their locks taken over."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage import models
from storage.db import open_database
from storage.liveness import mark_interrupted, process_alive, this_host
from storage.locks import LockBusy, acquire

NOW = datetime.now(UTC)


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def add_run(session, source: str, pid: int | None, host: str | None, status: str = "running") -> int:
    run = models.CrawlRun(source=source, boards=["acme"], args={}, started_at=NOW, status=status, pid=pid, host=host)
    session.add(run)
    session.flush()
    return run.id


def test_process_alive():
    assert process_alive(os.getpid())
    assert not process_alive(dead_pid())
    assert not process_alive(None) and not process_alive(0)


def test_a_zombie_is_dead():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        for _ in range(200):  # exited, not reaped yet: a zombie
            with open(f"/proc/{child.pid}/stat") as fh:
                if fh.read().rsplit(") ", 1)[1][:1] == "Z":
                    break
            import time

            time.sleep(0.01)
        assert not process_alive(child.pid)
    finally:
        child.wait()


def test_runs_whose_process_died_become_interrupted(db_url):
    _, Session = open_database(db_url)
    gone = dead_pid()
    with Session.begin() as s:
        dead_here = add_run(s, "greenhouse", gone, this_host())
        alive_here = add_run(s, "greenhouse", os.getpid(), this_host())
        finished = add_run(s, "greenhouse", gone, this_host(), status="ok")
        other_source = add_run(s, "lever", gone, this_host())
        # Another host: alive while its crawl holds an unexpired lock, dead once it holds none.
        remote_locked = add_run(s, "greenhouse", 4242, "elsewhere")
        remote_unlocked = add_run(s, "greenhouse", 4343, "elsewhere")
        s.add(
            models.CrawlLock(
                source="greenhouse",
                board="acme",
                owner="crawl:remote",
                pid=4242,
                host="elsewhere",
                acquired_at=NOW,
                heartbeat_at=NOW,
                # From the test's own clock, not NOW (the module's import): a slow suite must not expire it.
                expires_at=datetime.now(UTC) + timedelta(minutes=5),
            )
        )
    with Session.begin() as s:
        assert sorted(mark_interrupted(s, "greenhouse")) == sorted([dead_here, remote_unlocked])
    with Session() as s:
        status = dict(s.execute(select(models.CrawlRun.id, models.CrawlRun.status)).all())
        assert status == {
            dead_here: "interrupted",
            alive_here: "running",
            finished: "ok",
            other_source: "running",  # only the source asked about
            remote_locked: "running",
            remote_unlocked: "interrupted",
        }
        run = s.get(models.CrawlRun, dead_here)
        assert run.finished_at is not None and f"pid {gone}" in run.status_reason
    with Session.begin() as s:
        assert mark_interrupted(s) == [other_source]


def test_a_lock_whose_holder_died_here_is_taken_over_at_once(db_url):
    _, Session = open_database(db_url)
    gone = dead_pid()
    with Session.begin() as s:
        s.add(
            models.CrawlLock(
                source="greenhouse",
                board="acme",
                owner="crawl:killed",
                pid=gone,
                host=this_host(),
                acquired_at=NOW,
                heartbeat_at=NOW,
                expires_at=NOW + timedelta(minutes=5),
            )
        )
    lock = acquire(Session, "greenhouse", ["acme"], owner="next")  # no wait, no LockBusy naming a dead pid
    with Session() as s:
        assert [(h.owner.split(":")[0], h.pid) for h in s.scalars(select(models.CrawlLock))] == [
            ("next", os.getpid())
        ]
    lock.release()


def test_a_live_holder_still_refuses(db_url):
    _, Session = open_database(db_url)
    with acquire(Session, "greenhouse", ["acme"], owner="alive"), pytest.raises(LockBusy):
        acquire(Session, "greenhouse", ["acme"], owner="second")
