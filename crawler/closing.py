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
Shares of failed boards (a registry unit of a hundred boards always has a few that time out or answer 404):
in a run of at least ``share_min_boards`` boards, a run where at most ``ok_failed_share`` of the boards failed for
a transient or registry reason (network, timeout, 5xx, 429, not found) is still ``ok`` (the failed boards are
named in the reason and prove nothing); more than ``failed_share`` failed is ``failed``. A store error, a crash
while parsing, a format failure or an error naming no board makes the run at least ``partial`` whatever the share.

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
    share_min_boards: int = 20
    ok_failed_share: float = 0.05
    failed_share: float = 0.5

    @classmethod
    def from_settings(cls, settings) -> ClosingRules:
        return cls(
            parse_error_share=settings.getfloat("JOBSCOUT_DEGRADED_PARSE_ERROR_SHARE", cls.parse_error_share),
            min_parse_errors=settings.getint("JOBSCOUT_DEGRADED_MIN_PARSE_ERRORS", cls.min_parse_errors),
            min_previous=settings.getint("JOBSCOUT_DEGRADED_MIN_PREVIOUS", cls.min_previous),
            shrink_min_open=settings.getint("JOBSCOUT_SHRINK_MIN_OPEN", cls.shrink_min_open),
            shrink_share=settings.getfloat("JOBSCOUT_SHRINK_SHARE", cls.shrink_share),
            share_min_boards=settings.getint("JOBSCOUT_SHARE_MIN_BOARDS", cls.share_min_boards),
            ok_failed_share=settings.getfloat("JOBSCOUT_OK_FAILED_SHARE", cls.ok_failed_share),
            failed_share=settings.getfloat("JOBSCOUT_FAILED_SHARE", cls.failed_share),
        )

    def past_radius(self, open_before: int, closing: int) -> bool:
        return open_before >= self.shrink_min_open and closing > self.shrink_share * open_before


TRANSIENT_KINDS = frozenset({"not_found", "http", "network"})


@dataclass(frozen=True, slots=True)
class BoardStats:
    """One board's outcome as the crawl's stats tell it."""

    listed: int | None  # None: the board never answered with a listing
    error: str | None = None
    incomplete: str | None = None
    store_errors: int = 0
    missing: bool = False  # the platform answered "no such board" (HTTP 404/410): board liveness counts it
    error_kind: str | None = None  # crawler.spiders.base.ERROR_KINDS
    new: int = 0
    updated: int = 0

    @property
    def transient(self) -> bool:
        """A failure that says nothing about our code or the platform's format (tolerated in a large run)."""
        return self.error is not None and self.error_kind in TRANSIENT_KINDS

    def result(self, closed: int = 0) -> dict[str, Any]:
        """The board's line in the run's ``board_results``."""
        out: dict[str, Any] = {"listed": self.listed, "new": self.new, "updated": self.updated, "closed": closed}
        if self.error:
            out["error"], out["kind"] = self.error, self.error_kind or "format"
        if self.incomplete:
            out["incomplete"] = self.incomplete
        if self.store_errors:
            out["store_errors"] = self.store_errors
        return out

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
    kinds = per_board("jobscout/board_error_kind/")
    new = per_board("jobscout/board_new/")
    updated = per_board("jobscout/board_updated/")
    names = dict.fromkeys([*boards, *counts, *errors, *incomplete, *store_errors])
    return {
        name: BoardStats(
            listed=counts.get(name),
            error=errors.get(name),
            incomplete=incomplete.get(name),
            store_errors=store_errors.get(name, 0),
            missing=bool(missing.get(name)),
            error_kind=kinds.get(name),
            new=new.get(name, 0),
            updated=updated.get(name, 0),
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
    failed = {name: b.error for name, b in boards.items() if b.error}
    early = _early_failure(end_reason, boards, failed, rules)
    if early is not None:
        return early
    unattributed = stats.get("jobscout/unattributed_errors", 0)
    verdict, emptied = _proofs(boards, open_before, closing, held_before, rules, unattributed)
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
    elif verdict.holds:
        verdict.status = outcome.DEGRADED
        verdict.reason = (
            "boards shrank past the blast radius (nothing closed; the next crawl confirms): "
            + ", ".join(f"{b} ({h['closing']} of {h['open']} open would close)" for b, h in verdict.holds.items())
        )
    else:
        _partial_or_ok(verdict, boards, failed, rules, unattributed)
    return verdict


def _early_failure(
    end_reason: str, boards: Mapping[str, BoardStats], failed: Mapping[str, str], rules: ClosingRules
) -> Verdict | None:
    """``failed`` when the crawl ended early, every board failed, or too large a share of a large run failed."""
    if end_reason != "finished":
        return Verdict(outcome.FAILED, f"crawl ended early: {end_reason}")
    if boards and len(failed) >= len(boards):
        return Verdict(outcome.FAILED, "every board failed: " + _listing(failed))
    if len(boards) >= rules.share_min_boards and len(failed) > rules.failed_share * len(boards):
        return Verdict(outcome.FAILED, f"{len(failed)} of {len(boards)} boards failed: " + _listing(failed))
    return None


def _proofs(
    boards: Mapping[str, BoardStats],
    open_before: Mapping[str, int],
    closing: Mapping[str, int],
    held_before: Mapping[str, dict[str, int]],
    rules: ClosingRules,
    unattributed: int,
) -> tuple[Verdict, list[str]]:
    """An ``ok`` verdict with the boards whose listing proves what vanished (``proven``), the shrinks held back
    for the next crawl (``holds``) and the held ones this run confirms (``confirmed``); and the boards that listed
    nothing after having postings (``emptied``, never proven). An error naming no board proves nothing anywhere."""
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
    return Verdict(outcome.OK, proven=proven, holds=holds, confirmed=confirmed), emptied


def _partial_or_ok(
    verdict: Verdict,
    boards: Mapping[str, BoardStats],
    failed: Mapping[str, str],
    rules: ClosingRules,
    unattributed: int,
) -> None:
    """``partial`` with its reasons when a board failed, was read in part or lost writes, or an error named no
    board; else ``verdict`` stays ``ok`` (naming the failed boards a large run tolerates)."""
    # In a large run, a few boards failing for a transient or registry reason (their liveness takes care of the
    # dead ones) do not make it partial: they prove nothing, and the reason names them.
    tolerated = (
        len(boards) >= rules.share_min_boards
        and len(failed) <= rules.ok_failed_share * len(boards)
        and all(boards[name].transient for name in failed)
    )
    reasons = [] if tolerated else [_listing(failed)] if failed else []
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
    elif tolerated and failed:
        verdict.reason = f"{len(failed)} of {len(boards)} boards failed (tolerated): " + _listing(failed)


def _listing(failed: Mapping[str, str], first: int = 5) -> str:
    """``board: error`` for the first few failed boards, then how many more."""
    items = list(failed.items())
    text = "; ".join(f"{name}: {error}" for name, error in items[:first])
    return text + (f"; and {len(items) - first} more" if len(items) > first else "")
