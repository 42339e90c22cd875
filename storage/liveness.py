"""Is a crawl still alive? Runs and locks whose process died.

A crawl killed with SIGKILL (or lost with its host) cannot finish its ``crawl_runs`` row or release its locks. Its
row would stay ``running`` forever and its lock would refuse the next crawl until it expired, naming a dead pid.
Every run and lock records the pid and host of its process, so:

- on **this host**, a pid that is not alive (or a zombie) is dead at once;
- on **another host**, a run is dead once its crawl holds no unexpired lock (a live crawl renews its lock every
  ``JOBSCOUT_LOCK_TTL_SECONDS / 3``: crawler.runner), which takes up to one lock TTL to tell.

:func:`mark_interrupted` turns the dead ``running`` rows into ``interrupted`` (the next crawl of the source and
``jobscout runs`` call it); ``storage.locks.acquire`` takes over a lock whose holder is dead on this host at once.
"""

from __future__ import annotations

import os
import socket
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import models


def this_host() -> str:
    return socket.gethostname()[:200]


def process_alive(pid: int | None) -> bool:
    """Whether process ``pid`` of this host is alive (a zombie, which only waits to be reaped, is not)."""
    if not pid or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):  # no /proc (macOS): kill(0) said it exists
        return True


def holder_dead(pid: int | None, host: str | None) -> bool:
    """Whether the process that took a lock or started a run is known dead (only knowable on this host)."""
    return host == this_host() and pid is not None and not process_alive(pid)


def mark_interrupted(session: Session, source: str | None = None, now: datetime | None = None) -> list[int]:
    """Mark the ``running`` runs (of ``source``, or all) whose process is dead as ``interrupted``; their ids.

    Nothing of such a run closed (closing happens in the same transaction as the run's final write), so marking it
    is all that is left to do; its counts stay as the row has them (zero: they are written at the end)."""
    now = now or datetime.now(UTC)
    stmt = select(models.CrawlRun).where(models.CrawlRun.status == "running")
    if source:
        stmt = stmt.where(models.CrawlRun.source == source)
    runs = session.scalars(stmt).all()
    if not runs:
        return []
    live_locks = {
        (lock.source, lock.pid, lock.host)
        for lock in session.scalars(select(models.CrawlLock).where(models.CrawlLock.expires_at >= now))
    }
    live_sources = {lock_source for lock_source, _, _ in live_locks}
    marked = []
    for run in runs:
        if run.host == this_host() and run.pid is not None:
            dead = not process_alive(run.pid)
        elif run.pid is not None:
            dead = (run.source, run.pid, run.host) not in live_locks
        else:  # a row from before runs recorded their process: dead once nothing crawls its source
            dead = run.source not in live_sources
        if dead:
            run.status = "interrupted"
            run.finished_at = now
            where = f"pid {run.pid} on {run.host}" if run.pid is not None else "its process"
            run.status_reason = f"the crawl's process ({where}) died before finishing; nothing was closed"
            marked.append(run.id)
    session.flush()
    return marked
