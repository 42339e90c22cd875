"""storage.facets on SQLite and PostgreSQL, over the hand-built sample of tests/sample_postings.py (open backend
postings a-f): counts per skill, work mode, seniority, country, source and company of the filtered set."""

from __future__ import annotations

from storage.facets import FACETS, facet_counts
from storage.query import PostingFilters
from tests.sample_postings import build_sample


def table(rows):
    return [(r.key, r.postings) for r in rows]


def test_facets_of_all_open_backend_postings(db_url):
    Session = build_sample(db_url)
    with Session() as s:
        facets = facet_counts(s, PostingFilters())
    assert list(facets) == list(FACETS)
    assert table(facets["skill"]) == [("Go", 3), ("Python", 3), ("Kafka", 2), ("Java", 1), ("PostgreSQL", 1)]
    assert table(facets["workplace"]) == [("remote", 3), ("onsite", 2), ("hybrid", 1)]
    assert table(facets["seniority"]) == [("mid", 2), ("senior", 2), ("junior", 1), ("staff", 1)]
    assert table(facets["country"]) == [("US", 5), ("DE", 1)]
    assert table(facets["source"]) == [("greenhouse", 3), ("lever", 2), ("ashby", 1)]
    assert table(facets["company"]) == [("Acme", 3), ("Globex", 2), ("Initech", 1)]
    assert facets["skill"][0].share == 0.5


def test_facets_follow_the_filters_and_the_limit(db_url):
    Session = build_sample(db_url)
    with Session() as s:
        facets = facet_counts(s, PostingFilters(skills=["Go"], include_closed=True), limit=2)
    # a, b, d and the closed g ask for Go
    assert table(facets["skill"]) == [("Go", 4), ("Kafka", 1)]
    assert table(facets["workplace"]) == [("remote", 3), ("onsite", 1)]
    assert table(facets["company"]) == [("Acme", 3), ("Initech", 1)]
    with Session() as s:
        assert all(rows == [] for rows in facet_counts(s, PostingFilters(company="Nobody")).values())
