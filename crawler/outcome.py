"""What a crawl ended as: the run statuses and THE table between them and the exit codes of ``jobscout crawl``.

Every place that starts a crawl or reads one's result (``jobscout crawl``, ``crawl all``, the scheduler, a queue
worker) uses this table; none keeps its own. The statuses, in ``crawl_runs.status`` and ``schedules.last_status``:

======================  ====  ======================================================================================
status                  exit  meaning
======================  ====  ======================================================================================
``ok``                  0     everything listed was read and stored
``failed``              1     nothing usable fetched (every board failed, or the crawl could not run)
``degraded``            3     a board that had postings listed none, or too many parse errors (a format change)
``partial``             4     some boards failed (or were read in part); the rest is stored
``skipped``             5     the source's minimum interval between fetches has not passed (nothing was requested)
``locked``              6     a crawl of the same source/boards holds the lock (nothing was requested)
``interrupted``         7     the crawl's process died (killed) before finishing; nothing was closed
======================  ====  ======================================================================================

``running`` is the status of a run in progress. Exit 2 is a usage error (click's convention), which the
scheduler records as ``failed``. A child killed by a signal has no exit code: it is ``interrupted``.
"""

from __future__ import annotations

from dataclasses import dataclass

OK = "ok"
FAILED = "failed"
DEGRADED = "degraded"
PARTIAL = "partial"
SKIPPED = "skipped"
LOCKED = "locked"
INTERRUPTED = "interrupted"
RUNNING = "running"

EXIT_USAGE = 2

#: status -> exit code of ``jobscout crawl``.
EXIT_CODES: dict[str, int] = {
    OK: 0,
    FAILED: 1,
    DEGRADED: 3,
    PARTIAL: 4,
    SKIPPED: 5,
    LOCKED: 6,
    INTERRUPTED: 7,
}
_STATUS_BY_EXIT: dict[int, str] = {code: status for status, code in EXIT_CODES.items()}

#: How bad each outcome is, for summarising several (``crawl all``): the worst one decides its exit code.
SEVERITY: tuple[str, ...] = (OK, SKIPPED, LOCKED, PARTIAL, DEGRADED, INTERRUPTED, FAILED)

#: The statuses of a run that has ended (``running`` is the only other).
FINISHED = frozenset(EXIT_CODES)

#: What ``crawl all`` and the scheduler print for a status that is not self-explanatory.
DESCRIPTIONS: dict[str, str] = {
    SKIPPED: "skipped (interval)",
    LOCKED: "refused (already running)",
    INTERRUPTED: "interrupted (stopped before finishing)",
}


def exit_code(status: str) -> int:
    """The exit code of ``jobscout crawl`` for a run status (1 for an unknown one: never a false success)."""
    return EXIT_CODES.get(status, EXIT_CODES[FAILED])


def status_for_exit(code: int) -> str:
    """The status a child crawl's exit code stands for: a signal (negative code) is ``interrupted``; a usage error
    or an unknown code is ``failed``."""
    if code < 0:
        return INTERRUPTED
    return _STATUS_BY_EXIT.get(code, FAILED)


def worst(statuses: list[str]) -> str:
    """The worst of several statuses (``ok`` for none)."""
    rank = {status: i for i, status in enumerate(SEVERITY)}
    return max(statuses, key=lambda s: rank.get(s, len(SEVERITY)), default=OK)


def describe(status: str) -> str:
    return DESCRIPTIONS.get(status, status)


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    """The result of one :func:`crawler.runner.run_crawl`: the run's status, its ``crawl_runs`` id (None when the
    crawl never started: skipped or locked) and a one-line reason when there is one."""

    source: str
    status: str
    run_id: int | None = None
    reason: str | None = None
    #: Boards left out because another crawl was reading them (their locks were held).
    busy: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        return exit_code(self.status)
