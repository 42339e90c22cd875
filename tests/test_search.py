"""storage.search: user text parsed safely into FTS5 / PostgreSQL queries, on both backends."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Posting
from storage.db import open_database
from storage.ingest import Sighting, upsert_batch
from storage.query import PostingFilters, build_select
from storage.search import fts5_query, parse_search

T0 = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("event sourcing", '"event" "sourcing"'),
        ('"event sourcing"', '"event sourcing"'),
        ("kube*", '"kube"*'),
        ("kafka -java", '"kafka" NOT "java"'),
        ("C#", '"c#"'),
        ("C++ NEAR", '"c++" "near"'),
        (".NET", '"net"'),
        ("Node.js", '"node js"'),
        ('unbalanced "quote', '"unbalanced" "quote"'),
        ("AND OR NOT", '"and" "or" "not"'),
        ("title:go", '"title go"'),
    ],
)
def test_fts5_query_quotes_every_term(text, expected):
    assert fts5_query(parse_search(text)) == expected


def test_punctuated_terms_require_exact_text():
    terms = {t.raw: t.exact for t in parse_search("C# .NET Node.js CI/CD golang").terms}
    assert terms == {"C#": None, ".NET": ".net", "Node.js": "node.js", "CI/CD": "ci/cd", "golang": None}


DOCS = {
    "1": ("Senior C# Engineer", "Build services in C# and .NET 8 with event sourcing and CQRS."),
    "2": ("Backend Engineer (C++)", "Low-latency C++ systems; we measure net revenue per trade."),
    "3": ("Platform Engineer", "Kubernetes operators in Go; event-driven architecture with Kafka."),
    "4": ("Node.js Developer", "APIs in Node.js and TypeScript; CI/CD with GitHub Actions."),
}


@pytest.fixture
def searchable(db_url):
    engine, Session = open_database(db_url)
    sightings = [
        Sighting(
            Posting(
                title=title,
                source="greenhouse",
                board="acme",
                external_id=eid,
                description_text=body,
                is_backend=True,
            ),
            {"id": eid},
            T0,
        )
        for eid, (title, body) in DOCS.items()
    ]
    with Session.begin() as s:
        upsert_batch(s, sightings)
    return engine, Session


def search(searchable, text: str) -> set[str]:
    engine, Session = searchable
    stmt = build_select(PostingFilters(search=text), engine.dialect.name)
    with Session() as s:
        return {row.external_id for row in s.scalars(stmt)}


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("event sourcing", {"1"}),
        ('"event sourcing"', {"1"}),
        ("C#", {"1"}),
        ("c++", {"2"}),
        (".NET", {"1"}),  # "net revenue" is not .NET
        ("kube*", {"3"}),
        ("kafka", {"3"}),
        ("engineer -kafka", {"1", "2"}),
        ("Node.js", {"4"}),
        ("CI/CD", {"4"}),
        ("NEAR", set()),
        ("services AND", {"1"}),  # AND is the plain word "and" here
    ],
)
def test_search_finds_the_right_postings(searchable, text, ids):
    assert search(searchable, text) == ids


@pytest.mark.parametrize(
    "text",
    ['"', "NEAR(", "a AND", "* *", "-", "title:", "(", ")", "'", "^", "a OR OR b", "\\", "%_%", 'x"y"z', "NOT"],
)
def test_hostile_search_text_never_raises(searchable, text):
    if not parse_search(text).positive:
        pytest.skip("nothing to search for: the CLI rejects it with a clear error")
    search(searchable, text)


def test_updates_keep_the_index_in_step(searchable):
    _engine, Session = searchable
    title, _ = DOCS["3"]
    changed = Posting(
        title=title,
        source="greenhouse",
        board="acme",
        external_id="3",
        description_text="Now it is all about Elixir.",
        is_backend=True,
    )
    with Session.begin() as s:
        upsert_batch(s, [Sighting(changed, {"id": "3", "v": 2}, T0)])
    assert search(searchable, "kafka") == set()
    assert search(searchable, "elixir") == {"3"}


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parse_search_never_fails_and_quotes_are_balanced(text):
    query = fts5_query(parse_search(text))
    assert query.count('"') % 2 == 0
