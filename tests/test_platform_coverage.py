"""bench/platform_coverage.py on the corpus's Workday, Recruitee, Personio, Pinpoint, Breezy, BambooHR and Teamtailor
bodies: every recorded posting maps,
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


def test_coverage_of_platforms_two_on_the_recorded_bodies():
    results = measure(require_corpus())
    # Pinpoint: a place, sections of text and the work-mode field on every posting; the one visible compensation
    # is structured pay; the format has no posted date.
    pinpoint = results["pinpoint"]
    n = pinpoint["postings"]
    assert pinpoint["location"] == pinpoint["description"] == pinpoint["work mode"] == n == 4
    assert (pinpoint["pay"], pinpoint["posted date"]) == (1, 0)
    # Breezy: a place and a published date on every position; both salary texts reach the pay parser.
    breezy = results["breezy"]
    assert breezy["location"] == breezy["posted date"] == breezy["postings"] == 4
    assert breezy["pay"] == 2
    # BambooHR list items: no description, pay or date (those are on the detail); every item has a work mode
    # (isRemote or locationType) and all but the one with empty place objects have a place.
    bamboohr = results["bamboohr (list item only)"]
    assert bamboohr["work mode"] == bamboohr["postings"] == 5 and bamboohr["location"] == 4
    assert bamboohr["description"] == bamboohr["pay"] == bamboohr["posted date"] == 0
    # Teamtailor: the feed item gives the date and text, the embedded JobPosting the place; the broken item a saver
    # appended is not a posting (the spider counts it as a parse error).
    teamtailor = results["teamtailor"]
    assert teamtailor["postings"] == 5
    assert teamtailor["location"] == teamtailor["description"] == teamtailor["posted date"] == 5


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
