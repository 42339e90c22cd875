"""Workday, Recruitee and Personio end to end: the real ``jobscout crawl`` in a subprocess (tests/crawling.py)
against a local server in the mirror layout (``--base-url URL``: ``{URL}/{board}/<the real path>``), a re-crawl
that adds nothing, and ``jobscout query`` reading structured pay back. The spiders' contracts are tested
in-process (tests/test_spider_{workday,recruitee,personio}.py)."""

from __future__ import annotations

from tests import crawling
from tests.crawling import FIXTURES
from tests.http_server import Response
from tests.workday_tenant import BOARD as WORKDAY_BOARD
from tests.workday_tenant import serve_fixtures

CRAWLS = (("workday", WORKDAY_BOARD, 3), ("recruitee", "hooli", 3), ("personio", "wonka", 3))


def test_three_platforms_crawl_recrawl_and_query(http_server, db_url, tmp_path):
    serve_fixtures(http_server)
    http_server.add("/hooli/api/offers/", FIXTURES / "recruitee" / "hooli.json")
    http_server.add(
        "/wonka/xml", Response((FIXTURES / "personio" / "wonka.xml").read_bytes(), content_type="application/xml")
    )

    crawling.crawl_and_recrawl(CRAWLS, http_server, tmp_path, db_url)

    by_title = {p["title"]: p for p in crawling.query_json(db_url, tmp_path, "--all-roles")}
    recruitee = by_title["Backend Developer (Python)"]
    assert (recruitee["source"], recruitee["pay"]["min"], recruitee["pay"]["currency"]) == ("recruitee", 65000, "EUR")
    assert recruitee["provenance"]["pay"] == "structured"
    personio = by_title["Senior Backend Engineer (Java)"]
    assert (personio["source"], personio["pay"]["max"], personio["provenance"]["pay"]) == (
        "personio",
        90000,
        "structured",
    )
    workday = by_title["Senior Backend Engineer, Billing"]
    assert (workday["source"], workday["board"], workday["pay"]["max"]) == ("workday", WORKDAY_BOARD, 190000)
    assert workday["provenance"]["pay"] == "text" and workday["workplace"] == "hybrid"
    backend = {p["title"] for p in crawling.query_json(db_url, tmp_path)}
    assert {
        "Backend Developer (Python)",
        "Senior Backend Engineer (Java)",
        "Senior Backend Engineer, Billing",
    } <= backend
