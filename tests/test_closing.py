"""crawler.closing: which boards a crawl proved (and so may close what they no longer list), and the run's status."""

from __future__ import annotations

import pytest

from crawler import outcome
from crawler.closing import BoardStats, ClosingRules, board_stats, judge

RULES = ClosingRules()


def verdict(boards, *, stats=None, open_before=None, closing=None, held_before=None, end="finished"):
    return judge(
        source="greenhouse",
        end_reason=end,
        stats=stats or {},
        boards=boards,
        open_before=open_before or {},
        closing=closing or {},
        held_before=held_before or {},
        rules=RULES,
    )


def test_board_stats_reads_every_per_board_stat():
    stats = {
        "jobscout/board_count/acme": 4,
        "jobscout/board_count/globex": 0,
        "jobscout/board_error/gone": "board not found (HTTP 404)",
        "jobscout/board_incomplete/paged": "page 3: HTTP 500",
        "jobscout/board_store_errors/globex": 2,
    }
    boards = board_stats(stats, ["acme", "gone", "never"])
    assert list(boards) == ["acme", "gone", "never", "globex", "paged"]
    assert boards["acme"] == BoardStats(listed=4)
    assert boards["globex"] == BoardStats(listed=0, store_errors=2)
    assert boards["gone"].error == "board not found (HTTP 404)" and boards["gone"].listed is None
    assert boards["never"] == BoardStats(listed=None)


def test_a_clean_run_proves_every_listed_board():
    v = verdict({"acme": BoardStats(listed=4), "globex": BoardStats(listed=2)}, closing={"acme": 1, "globex": 0})
    assert (v.status, v.reason, v.proven) == (outcome.OK, None, ["acme", "globex"])


@pytest.mark.parametrize(
    ("board", "reason_part"),
    [
        (BoardStats(listed=3, store_errors=2), "2 postings could not be stored"),
        (BoardStats(listed=3, incomplete="page 2: HTTP 500"), "bad incomplete: page 2: HTTP 500"),
        (BoardStats(listed=None, error="HTTP 502 at http://x"), "bad: HTTP 502 at http://x"),
        (BoardStats(listed=2, error="RecursionError while parsing http://x: too deep"), "RecursionError"),
    ],
)
def test_a_board_not_read_and_stored_whole_is_not_proven_and_the_run_is_partial(board, reason_part):
    v = verdict({"good": BoardStats(listed=4), "bad": board})
    assert v.status == outcome.PARTIAL
    assert reason_part in v.reason
    assert v.proven == ["good"]


def test_store_errors_on_every_board_prove_nothing():
    v = verdict({"acme": BoardStats(listed=300, store_errors=280)}, open_before={"acme": 300})
    assert v.status == outcome.PARTIAL and v.proven == []


def test_an_error_that_names_no_board_proves_no_board():
    v = verdict({"acme": BoardStats(listed=4)}, stats={"jobscout/unattributed_errors": 1})
    assert v.status == outcome.PARTIAL and v.proven == []
    assert "1 errors that name no board" in v.reason


@pytest.mark.parametrize("end", ["shutdown", "closespider_errorcount", "cancelled"])
def test_a_crawl_that_ended_early_fails_and_proves_nothing(end):
    v = verdict({"acme": BoardStats(listed=4)}, end=end)
    assert (v.status, v.proven) == (outcome.FAILED, [])
    assert end in v.reason


def test_every_board_failed_is_a_failed_run():
    v = verdict({"a": BoardStats(listed=None, error="HTTP 500"), "b": BoardStats(listed=None, error="HTTP 404")})
    assert v.status == outcome.FAILED and v.proven == [] and "every board failed" in v.reason


def test_a_board_that_emptied_is_degraded_and_keeps_its_postings():
    v = verdict({"acme": BoardStats(listed=0), "globex": BoardStats(listed=3)}, open_before={"acme": 8})
    assert v.status == outcome.DEGRADED and "acme (had 8)" in v.reason
    assert v.proven == ["globex"]


def test_a_small_board_may_list_nothing():
    v = verdict({"acme": BoardStats(listed=0)}, open_before={"acme": 4}, closing={"acme": 4})
    assert (v.status, v.proven) == (outcome.OK, ["acme"])


@pytest.mark.parametrize(
    ("open_before", "closing", "held"),
    [
        (300, 290, True),  # the fault-injection case: 300 listed, then 10
        (20, 11, True),  # just past: more than half of the minimum board
        (20, 10, False),  # exactly half closes
        (19, 18, False),  # under the minimum size: a small board's churn is real
        (1000, 400, False),
    ],
)
def test_the_blast_radius(open_before, closing, held):
    v = verdict(
        {"acme": BoardStats(listed=open_before - closing)},
        open_before={"acme": open_before},
        closing={"acme": closing},
    )
    assert ("acme" in v.holds) is held
    assert ("acme" in v.proven) is not held
    if held:
        assert v.status == outcome.DEGRADED
        assert v.holds["acme"] == {"open": open_before, "closing": closing}
        assert f"acme ({closing} of {open_before} open would close)" in v.reason
    else:
        assert v.status == outcome.OK


def test_the_next_crawl_confirms_a_held_shrink():
    v = verdict(
        {"acme": BoardStats(listed=10)},
        open_before={"acme": 300},
        closing={"acme": 290},
        held_before={"acme": {"open": 300, "closing": 290}},
    )
    assert (v.status, v.proven, v.confirmed, v.holds) == (outcome.OK, ["acme"], ["acme"], {})


def test_many_parse_errors_across_the_source_degrade_and_close_nothing():
    v = verdict(
        {"acme": BoardStats(listed=10)},
        stats={"jobscout/fetched": 10, "jobscout/greenhouse/parse_errors": 5},
    )
    assert v.status == outcome.DEGRADED and v.proven == []


def test_rules_come_from_settings():
    from scrapy.settings import Settings

    rules = ClosingRules.from_settings(Settings({"JOBSCOUT_SHRINK_MIN_OPEN": "50", "JOBSCOUT_SHRINK_SHARE": "0.25"}))
    assert (rules.shrink_min_open, rules.shrink_share, rules.min_previous) == (50, 0.25, 5)
    assert rules.past_radius(50, 13) and not rules.past_radius(50, 12) and not rules.past_radius(49, 49)


# --- shares of failed boards in a large run (a registry unit) ------------------------------------------------------


def unit_of_boards(failures: dict[int, tuple[str, str]], size: int = 100) -> dict[str, BoardStats]:
    """``size`` boards that listed 3 postings each, except ``failures``: index -> (error, kind)."""
    boards = {}
    for i in range(size):
        if i in failures:
            error, kind = failures[i]
            boards[f"b{i:03}"] = BoardStats(listed=None, error=error, error_kind=kind, missing=kind == "not_found")
        else:
            boards[f"b{i:03}"] = BoardStats(listed=3)
    return boards


def test_a_few_transient_failures_in_a_large_run_are_ok_and_named():
    boards = unit_of_boards(
        {1: ("timed out", "network"), 2: ("HTTP 503", "http"), 3: ("board not found", "not_found")}
    )
    v = verdict(boards)
    assert v.status == outcome.OK
    assert v.reason.startswith("3 of 100 boards failed (tolerated): b001: timed out; b002: HTTP 503")
    assert len(v.proven) == 97 and "b001" not in v.proven


def test_too_many_transient_failures_are_partial():
    boards = unit_of_boards({i: ("timed out", "network") for i in range(6)})
    v = verdict(boards)
    assert v.status == outcome.PARTIAL and v.reason.endswith("; and 1 more")


@pytest.mark.parametrize("kind", ["format", "crash"])
def test_one_format_or_crash_failure_is_partial_whatever_the_share(kind):
    assert verdict(unit_of_boards({7: ("unexpected response format", kind)})).status == outcome.PARTIAL


def test_a_store_error_is_partial_whatever_the_share():
    boards = unit_of_boards({})
    boards["b050"] = BoardStats(listed=3, store_errors=1)
    assert verdict(boards).status == outcome.PARTIAL


def test_most_boards_failing_is_a_failed_run():
    boards = unit_of_boards({i: ("timed out", "network") for i in range(51)})
    v = verdict(boards)
    assert v.status == outcome.FAILED and v.reason.startswith("51 of 100 boards failed")
    assert v.proven == []


def test_small_runs_keep_the_strict_rule():
    # Below JOBSCOUT_SHARE_MIN_BOARDS one failed board of a handful makes the run partial, as before.
    assert verdict(unit_of_boards({0: ("timed out", "network")}, size=5)).status == outcome.PARTIAL
    assert verdict(unit_of_boards({i: ("timed out", "network") for i in range(3)}, size=5)).status == outcome.PARTIAL


def test_board_results_carry_each_boards_line():
    stats = {
        "jobscout/board_count/a": 4,
        "jobscout/board_new/a": 3,
        "jobscout/board_updated/a": 1,
        "jobscout/board_error/b": "HTTP 503 at http://x",
        "jobscout/board_error_kind/b": "http",
    }
    boards = board_stats(stats, ["a", "b"])
    assert boards["a"].result(closed=2) == {"listed": 4, "new": 3, "updated": 1, "closed": 2}
    assert boards["b"].result() == {
        "listed": None,
        "new": 0,
        "updated": 0,
        "closed": 0,
        "error": "HTTP 503 at http://x",
        "kind": "http",
    }
