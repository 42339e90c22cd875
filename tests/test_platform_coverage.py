"""bench/platform_coverage.py on the corpus's Workday, Recruitee and Personio bodies: every recorded posting maps,
and the fields each payload shape carries are found (floors from the recorded formats, not from the mappers)."""

from __future__ import annotations

from bench.platform_coverage import measure, rows
from tests.corpus import require_corpus


def test_coverage_on_the_recorded_bodies():
    results = measure(require_corpus())
    for label, figures in results.items():
        assert figures["postings"] > 0, label
        assert figures["title"] == figures["postings"], label
    # A Workday detail names its place and start date; a listing item has neither date nor description.
    detail = results["workday (detail)"]
    assert detail["location"] == detail["description"] == detail["posted date"] == detail["postings"]
    assert results["workday (listing item only)"]["description"] == 0
    # Every Recruitee offer and Personio position carries its place, its date and its work-mode flags or office.
    for label in ("recruitee", "personio"):
        figures = results[label]
        assert figures["location"] == figures["posted date"] == figures["postings"], label
    assert results["recruitee"]["work mode"] == results["recruitee"]["postings"]  # remote/hybrid/on_site flags
    assert results["recruitee"]["pay"] >= 2 and results["personio"]["pay"] >= 5  # the published salary objects
    assert len(list(rows(results))) == len(results) + 1


# --- Platforms II, second half (issue 17): Rippling, Join and Jobvite -----------------------------------------------
def test_rippling_join_jobvite_listings():
    results = measure(require_corpus())
    for label in ("rippling (listing item)", "join (listing item)", "jobvite (listing row)"):
        figures = results[label]
        assert figures["postings"] > 0, label
        assert figures["title"] == figures["location"] == figures["postings"], label
        assert figures["description"] == figures["pay"] == 0, label  # both are on the detail step only
    join = results["join (listing item)"]
    assert join["posted date"] == join["work mode"] == join["postings"]  # createdAt and workplaceType on every item
