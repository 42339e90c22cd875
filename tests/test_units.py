"""crawler.units: stable crawl units over a source's boards."""

from __future__ import annotations

import pytest

from crawler.units import UnitError, boards_of_unit, parse_unit, split, unit_count, unit_of

TOKENS = [f"company{i}" for i in range(1000)]


@pytest.mark.parametrize(
    ("boards", "count"), [(0, 1), (1, 1), (100, 1), (101, 2), (200, 2), (201, 4), (6203, 64), (12_800, 128)]
)
def test_unit_count_is_the_smallest_power_of_two_keeping_units_small(boards, count):
    assert unit_count(boards, size=100) == count


def test_split_covers_every_board_once_and_keeps_units_near_the_size():
    units = split("greenhouse", TOKENS, size=100)
    assert [u.count for u in units] == [16] * len(units)  # 1000 boards / 100 -> 16 units (power of two)
    members = [t for u in units for t in u.boards]
    assert sorted(members) == sorted(TOKENS)
    assert max(len(u.boards) for u in units) < 2 * 1000 / 16  # a hash spreads them


def test_membership_is_stable_as_the_registry_grows():
    before = {t: unit_of("lever", t, 16) for t in TOKENS}
    # New boards arrive: nobody moves while the unit count stays the same
    grown = split("lever", [*TOKENS, "newcomer1", "newcomer2"], size=100)
    assert all(unit_of("lever", t, grown[0].count) == before[t] for t in TOKENS)
    # Past a doubling, unit k of U splits into k and k+U of 2U: a board never lands in an unrelated unit
    assert all(unit_of("lever", t, 32) % 16 == before[t] for t in TOKENS)


def test_units_follow_the_platforms_token_comparison():
    # Greenhouse has no case: two spellings of one board are in the same unit
    assert unit_of("greenhouse", "Stripe", 64) == unit_of("greenhouse", "stripe", 64)
    assert boards_of_unit("greenhouse", ["Stripe"], unit_of("greenhouse", "stripe", 64), 64) == ["Stripe"]


@pytest.mark.parametrize(("text", "value"), [("0/1", (0, 1)), ("3/64", (3, 64)), (" 7 / 8 ", (7, 8))])
def test_parse_unit(text, value):
    assert parse_unit(text) == value


@pytest.mark.parametrize("text", ["", "3", "3/", "a/b", "8/8", "1/3", "-1/4", "0/0"])
def test_parse_unit_rejects(text):
    with pytest.raises(UnitError):
        parse_unit(text)
