"""Quality floors of pipeline.pay on the hand-labelled multilingual pay strings (tests/data/pay_strings_labels.tsv),
read from the shared corpus by reference (skipped without it). The test split was never read while tuning."""

from __future__ import annotations

from collections import Counter

import pytest

from bench.eval_pay_strings import evaluate, load_labels
from tests.corpus import require_corpus


def test_the_label_file_covers_enough_strings_currencies_and_languages():
    rows = load_labels()
    assert len(rows) >= 300
    assert len({r["id"] for r in rows}) == len(rows)
    assert len({r["currency"] for r in rows if r["currency"]}) >= 10
    assert len({r["lang"] for r in rows if r["lang"]}) >= 6
    splits = Counter((r["split"], r["kind"]) for r in rows)
    for kind in ("text", "amount"):
        assert splits[("dev", kind)] and splits[("test", kind)]
    for r in rows:
        assert r["pay"] in ("yes", "no", "amount")
        assert r["pay"] != "yes" or r["period"] in ("hour", "day", "week", "month", "year")


@pytest.fixture(scope="module")
def figures():
    return evaluate(require_corpus(), include_jobspy=False)


def test_every_labelled_string_is_still_in_the_corpus(figures):
    assert figures["stale"] == 0


@pytest.mark.parametrize(("split", "floor"), [("dev", 0.95), ("test", 0.92)])
def test_pay_floor(figures, split, floor):
    assert figures[split]["pay"]["exact_rate"] >= floor


def test_false_positives_stay_at_most_one_percent(figures):
    fp = sum(figures[s]["pay"]["false_positives"] for s in ("dev", "test"))
    negatives = sum(figures[s]["pay"]["n_no_pay"] for s in ("dev", "test"))
    assert fp / negatives <= 0.01


@pytest.mark.parametrize("split", ["dev", "test"])
def test_price_strings_floor(figures, split):
    assert figures[split]["amount"]["exact_rate"] >= 0.95
