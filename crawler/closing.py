"""Which boards a crawl proved, and the run's status: the rule that decides what may close.

A board's postings close only after a complete, successful crawl of that board: the crawl ran to its end, the
board's listing was read whole (no HTTP or parse failure of any of its pages, no exception while parsing it), every
posting it listed was written (no store error), and it did not shrink past the blast radius. Everything here is a
pure function of the crawl's stats and a few counts read before and at the end of the run, so the rules are tested
without a crawl (tests/test_closing.py); :class:`crawler.extensions.CrawlRunRecorder` feeds it and applies it.

The stats it reads, per board (set by ``crawler.spiders.base.JobSpider``, ``crawler.middlewares`` and
``crawler.pipelines``): ``jobscout/board_count/<b>`` (postings listed), ``jobscout/board_error/<b>`` (failed),
``jobscout/board_incomplete/<b>`` (read in part), ``jobscout/board_store_errors/<b>`` (postings whose write
failed); and for the run, ``jobscout/unattributed_errors`` (an error that names no board: then no board is proven)
and the source's ``jobscout/<source>/parse_errors``. A posting the spider cannot read (no id, a broken detail page)
does not unprove its board: a listing page that cannot be read fails the board instead, and a posting the item
pipelines drop is recorded as still listed (``crawler.pipelines.StorePipeline.item_dropped``); many of them degrade
the run, which then closes nothing.

The blast radius: when a board that had at least ``shrink_min_open`` open postings would close more than
``shrink_share`` of them at once, it is *held*: the run is ``degraded``, nothing of it closes, and the hold is
recorded in the run's ``board_holds``. The next crawl that finds the same board still shrunk past the radius
confirms the shrink, and closes them. A board that lists nothing after having ``min_previous`` open postings is
``degraded`` and closes nothing (an empty answer is more often a broken endpoint than a company with no jobs).
Thresholds are settings (docs/operations.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from crawler import outcome


@dataclass(frozen=True)
class ClosingRules:
    """Thresholds (``JOBSCOUT_DEGRADED_*`` and ``JOBSCOUT_SHRINK_*`` settings)."""

    parse_error_share: float = 0.10
    min_parse_errors: int = 3
    min_previous: int = 5
    shrink_min_open: int = 20
    shrink_share: float = 0.5

    @classmethod
    def from_settings(cls, settings) -> ClosingRules:
        return cls(
            parse_error_share=settings.getfloat("JOBSCOUT_DEGRADED_PARSE_ERROR_SHARE", cls.parse_error_share),
            min_parse_errors=settings.getint("JOBSCOUT_DEGRADED_MIN_PARSE_ERRORS", cls.min_parse_errors),
            min_previous=settings.getint("JOBSCOUT_DEGRADED_MIN_PREVIOUS", cls.min_previous),
            shrink_min_open=settings.getint("JOBSCOUT_SHRINK_MIN_OPEN", cls.shrink_min_open),
            shrink_share=settings.getfloat("JOBSCOUT_SHRINK_SHARE", cls.shrink_share),
        )

    def past_radius(self, open_before: int, closing: int) -> bool:
        return open_before >= self.shrink_min_open and closing > self.shrink_share * open_before


@dataclass(frozen=True, slots=True)
class BoardStats:
    """One board's outcome as the crawl's stats tell it."""

    listed: int | None  # None: the board never answered with a listing
    error: str | None = None
    incomplete: str | None = None
    store_errors: int = 0
    missing: bool = False  # the platform answered "no such board" (HTTP 404/410): board liveness counts it

    def answer(self):
        """What this crawl proves about the board's existence (:class:`storage.boards.Answer`)."""
        from storage.boards import Answer

        if self.listed is not None and not self.error:
            return Answer(ok=True, listed=self.listed)
        return Answer(missing=self.missing, error=self.error)


def board_stats(stats: Mapping[str, Any], boards: list[str]) -> dict[str, BoardStats]:
    """Every board of the run (those asked for and those the spider found) with its stats."""

    def per_board(prefix: str) -> dict[str, Any]:
        return {key[len(prefix) :]: value for key, value in stats.items() if key.startswith(prefix)}

    counts = per_board("jobscout/board_count/")
    errors = per_board("jobscout/board_error/")
    incomplete = per_board("jobscout/board_incomplete/")
    store_errors = per_board("jobscout/board_store_errors/")
    missing = per_board("jobscout/board_missing/")
    names = dict.fromkeys([*boards, *counts, *errors, *incomplete, *store_errors])
    return {
        name: BoardStats(
            listed=counts.get(name),
            error=errors.get(name),
            incomplete=incomplete.get(name),
            store_errors=store_errors.get(name, 0),
            missing=bool(missing.get(name)),
        )
        for name in names
    }


def unproven_reason(board: BoardStats) -> str | None:
    """Why a board's crawl proves nothing about what it no longer lists (None: it may close what it did not list)."""
    if board.error:
        return f"failed: {board.error}"
    if board.incomplete:
        return f"read in part: {board.incomplete}"
    if board.store_errors:
        return f"{board.store_errors} postings could not be stored"
    if board.listed is None:
        return "no listing read"
    return None


@dataclass(slots=True)
class Verdict:
    """The run's status and reason, the boards whose unlisted postings may close, and the holds to record."""

    status: str
    reason: str | None = None
    proven: list[str] = field(default_factory=list)
    holds: dict[str, dict[str, int]] = field(default_factory=dict)
    confirmed: list[str] = field(default_factory=list)


def judge(
    *,
    source: str,
    end_reason: str,
    stats: Mapping[str, Any],
    boards: Mapping[str, BoardStats],
    open_before: Mapping[str, int],
    closing: Mapping[str, int],
    held_before: Mapping[str, dict[str, int]],
    rules: ClosingRules,
) -> Verdict:
    """The run's verdict.

    ``open_before``: open postings per board when the run started; ``closing``: how many of them a close of the
    board would close now (open, not seen by this run); ``held_before``: the boards the previous run of each board
    held back for a shrink. Statuses, worst first: ``failed`` (the crawl ended early, or every board failed),
    ``degraded`` (too many parse errors, a board emptied, a shrink held), ``partial`` (a board failed, was read in
    part, or lost writes; or an error named no board), ``ok``.
    """
    if end_reason != "finished":
        return Verdict(outcome.FAILED, f"crawl ended early: {end_reason}")
    failed = {name: b.error for name, b in boards.items() if b.error}
    if boards and len(failed) >= len(boards):
        return Verdict(outcome.FAILED, "every board failed: " + "; ".join(f"{b}: {e}" for b, e in failed.items()))

    unattributed = stats.get("jobscout/unattributed_errors", 0)
    clean = [name for name, b in boards.items() if unproven_reason(b) in (None, "no listing read")]
    emptied = [name for name in clean if not boards[name].listed and open_before.get(name, 0) >= rules.min_previous]
    candidates = [name for name in clean if boards[name].listed is not None] if not unattributed else []
    holds: dict[str, dict[str, int]] = {}
    confirmed: list[str] = []
    for name in candidates:
        if name in emptied or not rules.past_radius(open_before.get(name, 0), closing.get(name, 0)):
            continue
        if name in held_before:
            confirmed.append(name)
        else:
            holds[name] = {"open": open_before.get(name, 0), "closing": closing.get(name, 0)}
    proven = [name for name in candidates if name not in emptied and name not in holds]
    verdict = Verdict(outcome.OK, proven=proven, holds=holds, confirmed=confirmed)

    fetched = stats.get("jobscout/fetched", 0)
    parse_errors = stats.get(f"jobscout/{source}/parse_errors", 0)
    if parse_errors >= rules.min_parse_errors and parse_errors > rules.parse_error_share * max(fetched, 1):
        # Many unreadable postings across the source: a format change, most likely; close nothing anywhere.
        verdict.status, verdict.reason = (
            outcome.DEGRADED,
            f"{parse_errors} parse errors for {fetched} payloads fetched",
        )
        verdict.proven, verdict.confirmed = [], []
    elif emptied:
        verdict.status = outcome.DEGRADED
        verdict.reason = "boards listed nothing after having postings: " + ", ".join(
            f"{b} (had {open_before[b]})" for b in emptied
        )
    elif holds:
        verdict.status = outcome.DEGRADED
        verdict.reason = (
            "boards shrank past the blast radius (nothing closed; the next crawl confirms): "
            + ", ".join(f"{b} ({h['closing']} of {h['open']} open would close)" for b, h in holds.items())
        )
    else:
        reasons = [f"{name}: {error}" for name, error in failed.items()]
        for name, b in boards.items():
            if b.error:
                continue
            if b.incomplete:
                reasons.append(f"{name} incomplete: {b.incomplete}")
            if b.store_errors:
                reasons.append(f"{name}: {b.store_errors} postings could not be stored (nothing of it closed)")
        if unattributed:
            reasons.append(f"{unattributed} errors that name no board")
        if reasons:
            verdict.status, verdict.reason = outcome.PARTIAL, "; ".join(reasons)
    return verdict
