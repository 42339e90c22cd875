"""Crawl locks in the database: two crawls of the same (source, board) never run at once.

Shared by ``jobscout crawl`` and the scheduler. The API::

    from storage.locks import LockBusy, acquire

    lock = acquire(session_factory, "greenhouse", ["acme", "northwind"], owner="crawl", wait=False)
    try:
        ...                      # crawl; call lock.heartbeat() at least every ttl/3 seconds (or lock.keep_alive())
    finally:
        lock.release()

- ``acquire(session_factory, source, boards, owner=None, *, wait=False, timeout=None, ttl=300, poll=1.0)``
  takes every (source, board) row in one transaction, or none; ``boards`` empty means the whole source (board
  ``"*"``), which conflicts with any board of that source and vice versa. Busy -> :class:`LockBusy` (with the
  holder's pid, host, owner and since when), or with ``wait=True`` polls until free (``timeout`` seconds at most,
  None = no limit; then LockBusy).
- A lock expires ``ttl`` seconds after its last heartbeat: a crashed crawl's lock is taken over then; a lock
  whose holder is known dead (its pid is gone on this host: storage.liveness) is taken over at once, so
  ``wait=True`` stops waiting as soon as the holder dies.
  :meth:`CrawlLock.keep_alive` starts a daemon thread renewing it every ``ttl / 3`` seconds.
- :meth:`CrawlLock.release` deletes the rows this lock holds (only those: by owner token). Also a context manager.
- ``acquire_available(session_factory, source, boards, owner=None, *, ttl=300)`` locks each board that no live
  crawl holds and returns ``(lock or None, busy boards)``: a registry unit skips the boards another crawl is
  reading instead of refusing the whole run.
- :func:`holders` lists the current (unexpired) locks, for ``jobscout runs``-style displays.
- :func:`release_pid` drops the locks of a process that was killed (the scheduler, after a timeout kill), so the
  next run need not wait for the expiry.

Race-free on both backends: rows are inserted under the primary key (source, board); a conflict is resolved by a
conditional takeover ``UPDATE ... WHERE expires_at < now`` whose row count says who won.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from storage import models
from storage.liveness import holder_dead, this_host

WHOLE_SOURCE = "*"
DEFAULT_TTL_SECONDS = 300


class LockBusy(RuntimeError):
    """Another crawl holds the lock of one of the requested (source, board) pairs."""

    def __init__(self, source: str, board: str, holder: models.CrawlLock | None):
        self.source, self.board = source, board
        self.pid = holder.pid if holder else None
        self.host = holder.host if holder else None
        self.owner = holder.owner if holder else None
        self.since = holder.acquired_at if holder else None
        what = source if board == WHOLE_SOURCE else f"{source}/{board}"
        who = f"pid {self.pid} on {self.host}" if holder else "another crawl"
        since = f" since {self.since.replace(microsecond=0).isoformat()}" if self.since else ""
        super().__init__(f"{what} is being crawled by {who}{since}")


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class CrawlLock:
    session_factory: sessionmaker[Session]
    source: str
    boards: list[str]
    token: str
    ttl: float
    _stop: threading.Event = field(default_factory=threading.Event, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)

    def heartbeat(self) -> None:
        now = _now()
        with self.session_factory.begin() as session:
            session.execute(
                update(models.CrawlLock)
                .where(models.CrawlLock.owner == self.token)
                .values(heartbeat_at=now, expires_at=now + timedelta(seconds=self.ttl))
            )

    def keep_alive(self) -> CrawlLock:
        def run() -> None:
            while not self._stop.wait(self.ttl / 3):
                # A missed heartbeat is retried; expiry covers the rest.
                with contextlib.suppress(Exception):
                    self.heartbeat()

        self._thread = threading.Thread(target=run, name="crawl-lock-heartbeat", daemon=True)
        self._thread.start()
        return self

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with self.session_factory.begin() as session:
            session.execute(delete(models.CrawlLock).where(models.CrawlLock.owner == self.token))

    def __enter__(self) -> CrawlLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def acquire(
    session_factory: sessionmaker[Session],
    source: str,
    boards: list[str] | None,
    owner: str | None = None,
    *,
    wait: bool = False,
    timeout: float | None = None,
    ttl: float = DEFAULT_TTL_SECONDS,
    poll: float = 1.0,
) -> CrawlLock:
    """Lock (source, board) for every board (all of ``source`` when ``boards`` is empty); see the module doc."""
    wanted = sorted(set(boards or [])) or [WHOLE_SOURCE]
    token = f"{owner or 'crawl'}:{uuid.uuid4().hex[:12]}"[:100]
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        try:
            _try_acquire(session_factory, source, wanted, token, ttl)
            return CrawlLock(session_factory, source, wanted, token, ttl)
        except LockBusy:
            if not wait or (deadline is not None and time.monotonic() >= deadline):
                raise
        time.sleep(poll)


def acquire_available(
    session_factory: sessionmaker[Session],
    source: str,
    boards: list[str],
    owner: str | None = None,
    *,
    ttl: float = DEFAULT_TTL_SECONDS,
) -> tuple[CrawlLock | None, list[str]]:
    """Lock every one of ``boards`` that no live crawl holds (neither the board nor the whole source); return the
    lock on those (None when every board is busy) and the busy boards, in the order given."""
    wanted = sorted(set(boards))
    token = f"{owner or 'crawl'}:{uuid.uuid4().hex[:12]}"[:100]
    busy = _try_acquire(session_factory, source, wanted, token, ttl, skip_busy=True)
    taken = [b for b in wanted if b not in busy]
    lock = CrawlLock(session_factory, source, taken, token, ttl) if taken else None
    return lock, [b for b in boards if b in busy]


def _try_acquire(
    session_factory, source: str, boards: list[str], token: str, ttl: float, skip_busy: bool = False
) -> set[str]:
    """Take the rows of ``boards``; busy -> LockBusy, or with ``skip_busy`` leave those and return them."""
    now = _now()
    values = {
        "owner": token,
        "pid": os.getpid(),
        "host": this_host(),
        "acquired_at": now,
        "heartbeat_at": now,
        "expires_at": now + timedelta(seconds=ttl),
    }
    with session_factory.begin() as session:
        # The whole source conflicts with each of its boards, and each board with the whole source.
        conflict = models.CrawlLock.board.in_([*boards, WHOLE_SOURCE])
        if WHOLE_SOURCE in boards:
            conflict = models.CrawlLock.source == source
        holders_now = session.scalars(
            select(models.CrawlLock).where(
                models.CrawlLock.source == source,
                conflict,
                models.CrawlLock.expires_at >= now,
                models.CrawlLock.owner != token,
            )
        ).all()
        # A holder whose process died on this host (SIGKILL) cannot release: its locks go now, not at expiry.
        dead = {(h.pid, h.host) for h in holders_now if holder_dead(h.pid, h.host)}
        for pid, host in dead:
            session.execute(
                delete(models.CrawlLock).where(models.CrawlLock.pid == pid, models.CrawlLock.host == host)
            )
        live = [h for h in holders_now if (h.pid, h.host) not in dead]
        busy: set[str] = set()
        if live and not skip_busy:
            raise LockBusy(source, live[0].board, live[0])
        if any(h.board == WHOLE_SOURCE for h in live):
            return set(boards)
        busy = {h.board for h in live}
        for board in boards:
            if board in busy:
                continue
            taken = session.execute(
                update(models.CrawlLock)
                .where(
                    models.CrawlLock.source == source,
                    models.CrawlLock.board == board,
                    or_(models.CrawlLock.expires_at < now, models.CrawlLock.owner == token),
                )
                .values(**values)
            ).rowcount
            if taken:
                continue
            try:
                with session.begin_nested():
                    session.add(models.CrawlLock(source=source, board=board, **values))
            except IntegrityError:
                if skip_busy:  # taken by another crawl since the check above
                    busy.add(board)
                    continue
                holder = session.get(models.CrawlLock, (source, board))
                raise LockBusy(source, board, holder) from None
    return busy


def holders(session: Session, source: str | None = None) -> list[models.CrawlLock]:
    stmt = select(models.CrawlLock).where(models.CrawlLock.expires_at >= _now())
    if source:
        stmt = stmt.where(models.CrawlLock.source == source)
    return list(session.scalars(stmt.order_by(models.CrawlLock.source, models.CrawlLock.board)))


def release_pid(session_factory: sessionmaker[Session], pid: int, host: str | None = None) -> int:
    """Delete the locks held by process ``pid`` on ``host`` (default: this host); returns how many."""
    with session_factory.begin() as session:
        return session.execute(
            delete(models.CrawlLock).where(
                models.CrawlLock.pid == pid, models.CrawlLock.host == (host or this_host())
            )
        ).rowcount
