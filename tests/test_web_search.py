"""crawler.web.search: a URL's query pairs -> the PostingFilters of `jobscout query` (through its own options),
the messages of bad input, the cursors, and the OpenAPI description of the filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.web.search import (
    Cursor,
    SearchError,
    decode_cursor,
    encode_cursor,
    filter_names,
    openapi_parameters,
    parse_search,
)
from storage.query import PostingFilters


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], {}),
        ([("skill", "golang")], {"skills": ["Go"]}),
        ([("skill", "go, k8s"), ("skill", "Python")], {"skills": ["Go", "Kubernetes", "Python"]}),
        ([("any_skill", "Rust")], {"any_skills": ["Rust"]}),
        ([("workplace", "remote"), ("workplace", "hybrid")], {"workplace": ["remote", "hybrid"]}),
        ([("remote_region", "europe,us")], {"remote_regions": ["Europe", "US"]}),
        ([("seniority", "staff")], {"seniority": ["staff"]}),
        ([("employment_type", "contract")], {"employment_type": ["contract"]}),
        ([("min_pay", "150000"), ("max_pay", "2e5")], {"min_pay": 150000.0, "max_pay": 200000.0}),
        ([("currency", "eur")], {"currency": "EUR"}),
        ([("include_unknown_pay", "on")], {"include_unknown_pay": True}),
        ([("company", "Acme Inc")], {"company": "Acme Inc"}),
        ([("country", "de"), ("city", "Berlin")], {"country": "DE", "city": "Berlin"}),
        ([("source", "lever,greenhouse")], {"source": ["lever", "greenhouse"]}),
        ([("visa", "yes")], {"visa": True}),
        ([("visa", "no")], {"visa": False}),
        ([("search", "-java kotlin")], {"search": "-java kotlin"}),  # a leading "-" stays a value
        ([("posted_since", "2026-11-01")], {"posted_since": datetime(2026, 11, 1, tzinfo=UTC)}),
        ([("seen_since", "2026-11-01T08:00Z")], {"seen_since": datetime(2026, 11, 1, 8, tzinfo=UTC)}),
        ([("include_closed", "TRUE"), ("all_roles", "1")], {"include_closed": True, "all_roles": True}),
        ([("include_closed", "false"), ("all_roles", "off")], {}),
        ([("skill", ""), ("min_pay", "  "), ("visa", "")], {}),  # empty form fields
        ([("sort", "pay")], {"sort": "pay"}),
    ],
)
def test_parse_search(pairs, expected):
    got = parse_search(pairs).filters
    assert got == PostingFilters(**{**PostingFilters().to_json(), **expected})


def test_relative_dates_are_ages():
    before = datetime.now(UTC)
    since = parse_search([("posted_since", "7d")]).filters.posted_since
    assert 6.99 < (before - since).total_seconds() / 86400 < 7.01


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([("skills", "Go")], "unknown parameter 'skills'"),
        ([("workplace", "mars")], "workplace: mars (choose from remote, hybrid, onsite)"),
        ([("min_pay", "lots")], "min_pay: 'lots' is not a valid"),
        ([("min_pay", "nan")], "min_pay: 'nan' is not a finite amount"),
        ([("currency", "EURO")], "currency expects a 3-letter ISO 4217 code, got 'EURO'"),
        ([("country", "DEU")], "country expects a 2-letter ISO 3166-1 code, got 'DEU'"),
        ([("visa", "perhaps")], "visa: 'perhaps' is not one of 'yes', 'no'"),
        ([("all_roles", "yes please")], "all_roles: 'yes please' is not true or false"),
        ([("sort", "random")], "sort: 'random' is not one of posted, pay, seen"),
        ([("search", "\x00")], "search: a value may not contain NUL characters"),
        ([("city", "x" * 1001)], "city: at most 1000 characters"),
    ],
)
def test_bad_input_names_the_parameter(pairs, message):
    with pytest.raises(SearchError) as info:
        parse_search(pairs)
    assert message in str(info.value)


def test_allowed_parameters_are_left_to_the_caller():
    search = parse_search([("page", "2"), ("skill", "Go")], allowed=("page",))
    assert search.filters.skills == ["Go"] and search.args == (("skill", "Go"),)
    with pytest.raises(SearchError, match="unknown parameter 'page'"):
        parse_search([("page", "2")])


def test_links_keep_the_search():
    search = parse_search([("skill", "Go"), ("currency", "USD"), ("min_pay", ""), ("sort", "pay")])
    assert search.query(page=2) == [("skill", "Go"), ("sort", "pay"), ("page", "2")]  # the form's default USD dropped
    assert search.has("skill", "go") and not search.has("skill", "Rust")


def test_cursor_round_trip_and_refusals():
    search = parse_search([("skill", "Go")])
    as_of = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
    token = encode_cursor(search, Cursor(40, as_of))
    assert decode_cursor(search, token) == Cursor(40, as_of)
    with pytest.raises(SearchError, match="another search"):
        decode_cursor(parse_search([("skill", "Rust")]), token)
    with pytest.raises(SearchError, match="another search"):
        decode_cursor(parse_search([("skill", "Go"), ("sort", "pay")]), token)
    for bad in ("", "%%%", "bm90IGpzb24", encode_cursor(search, Cursor(40, as_of))[:-4]):
        with pytest.raises(SearchError, match="cursor"):
            decode_cursor(search, bad)


def test_openapi_parameters_follow_the_options():
    params = {p["name"]: p for p in openapi_parameters()}
    assert set(filter_names()) | {"sort"} == set(params)
    assert params["skill"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert params["skill"]["explode"] is True
    assert params["seniority"]["schema"]["items"]["enum"][0] == "intern"
    assert params["min_pay"]["schema"] == {"type": "number", "minimum": 0}
    assert params["visa"]["schema"] == {"type": "string", "enum": ["yes", "no"]}
    assert params["currency"]["schema"] == {"type": "string", "default": "USD"}
    assert params["all_roles"]["schema"] == {"type": "boolean"}
    assert "Full-text search" in params["search"]["description"]
