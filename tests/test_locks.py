"""storage.locks on SQLite and PostgreSQL: one crawl per (source, board), expiry takeover, whole-source locks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from storage import models
from storage.db import open_database
from storage.locks import LockBusy, acquire, acquire_available, holders


def test_second_acquire_is_refused_until_release(db_url):
    _, Session = open_database(db_url)
    first = acquire(Session, "greenhouse", ["acme", "northwind"], owner="a")
    with pytest.raises(LockBusy) as busy:
        acquire(Session, "greenhouse", ["northwind"], owner="b")
    assert "greenhouse/northwind is being crawled by pid" in str(busy.value)
    other = acquire(Session, "greenhouse", ["globex"], owner="c")  # another board is free
    other.release()
    lever = acquire(Session, "lever", ["acme"], owner="d")  # another source too
    lever.release()
    with Session() as s:
        assert {(h.source, h.board) for h in holders(s)} == {("greenhouse", "acme"), ("greenhouse", "northwind")}
    first.release()
    acquire(Session, "greenhouse", ["northwind"], owner="b").release()


def test_whole_source_conflicts_with_its_boards(db_url):
    _, Session = open_database(db_url)
    with acquire(Session, "remoteok", [], owner="a"), pytest.raises(LockBusy):
        acquire(Session, "remoteok", [], owner="b")
    with acquire(Session, "greenhouse", ["acme"], owner="a"), pytest.raises(LockBusy):
        acquire(Session, "greenhouse", [], owner="b")


def test_an_expired_lock_is_taken_over_and_a_failed_acquire_takes_nothing(db_url):
    _, Session = open_database(db_url)
    crashed = acquire(Session, "greenhouse", ["acme"], owner="crashed", ttl=60)
    with Session.begin() as s:
        s.execute(update(models.CrawlLock).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    busy = acquire(Session, "greenhouse", ["northwind"], owner="x")
    with pytest.raises(LockBusy):
        acquire(Session, "greenhouse", ["acme", "northwind"], owner="y")
    with Session() as s:  # all or nothing: y did not keep acme
        assert {h.owner.split(":")[0] for h in holders(s)} == {"x"}
    taken = acquire(Session, "greenhouse", ["acme"], owner="z")
    crashed.release()  # releasing a lock taken over does not free the new holder's row
    with Session() as s:
        assert {h.owner.split(":")[0] for h in holders(s)} == {"x", "z"}
    taken.heartbeat()
    taken.release()
    busy.release()


def test_wait_times_out(db_url):
    _, Session = open_database(db_url)
    with acquire(Session, "hn", [], owner="a"), pytest.raises(LockBusy):
        acquire(Session, "hn", [], owner="b", wait=True, timeout=0.3, poll=0.1)


def test_release_pid_frees_a_killed_crawls_locks(db_url):
    import os

    from storage.locks import release_pid

    _, Session = open_database(db_url)
    acquire(Session, "greenhouse", ["acme"], owner="killed")
    assert release_pid(Session, os.getpid()) == 1
    acquire(Session, "greenhouse", ["acme"], owner="next").release()


def test_acquire_available_skips_busy_boards(db_url):
    _, Session = open_database(db_url)
    with acquire(Session, "greenhouse", ["northwind"], owner="single-board crawl"):
        lock, busy = acquire_available(Session, "greenhouse", ["acme", "northwind", "globex"], owner="unit")
        assert busy == ["northwind"] and lock.boards == ["acme", "globex"]
        with Session() as s:
            assert {h.board for h in holders(s, "greenhouse")} == {"acme", "northwind", "globex"}
        # every board busy: nothing taken
        second, busy = acquire_available(Session, "greenhouse", ["acme", "northwind"], owner="another unit")
        assert second is None and busy == ["acme", "northwind"]
        lock.release()
    with acquire(Session, "greenhouse", [], owner="whole source"):  # the whole source holds every board
        lock, busy = acquire_available(Session, "greenhouse", ["acme"], owner="unit")
        assert lock is None and busy == ["acme"]
