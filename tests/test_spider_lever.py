"""The Lever spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/lever/acme.json follows the recorded Postings API format (a JSON list; ``categories``,
``workplaceType``, ``salaryRange``, ``lists``; one posting with only the ``...Plain`` description fields, as some
captures have) with texts of our own.
"""

from __future__ import annotations

import json

import pytest

from crawler.spiders.base import SpiderArgumentError
from crawler.spiders.lever import LeverSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json, run_jobscout

ACME = FIXTURES / "lever" / "acme.json"


def site_path(site: str) -> str:
    return f"/v0/postings/{site}"


def page_path(site: str, skip: int, limit: int) -> str:
    return f"{site_path(site)}?mode=json&skip={skip}&limit={limit}"


def test_crawl_maps_structured_fields(http_server, sqlite_url, tmp_path):
    http_server.add(site_path("acme"), ACME)
    result = crawl("lever", "--boards", "acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 4, 4, 4, 0)
    assert run.board_counts == {"acme": 4}
    [(_, path, headers)] = [r for r in http_server.requests if r[1].startswith(site_path("acme"))]
    assert path == page_path("acme", 0, 100)
    assert headers.get("Accept") == "application/json"

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(by_title) == {
        "Senior Backend Engineer, Payments",
        "Backend Engineer (Contract), Integrations",
        "Account Executive, UK",
        "Data Engineer",
    }
    payments = by_title["Senior Backend Engineer, Payments"]
    assert payments["is_backend"] is True
    assert payments["company"] == "acme"
    assert payments["external_id"] == "5f0c1a2e-1111-4a6b-9c1d-000000000001"
    assert payments["url"] == "https://jobs.lever.co/acme/5f0c1a2e-1111-4a6b-9c1d-000000000001"
    assert payments["apply_url"].endswith("/apply")
    assert payments["pay"]["min"] == 165000 and payments["pay"]["max"] == 205000
    assert (payments["pay"]["currency"], payments["pay"]["period"]) == ("USD", "year")
    assert payments["provenance"]["pay"] == "structured"
    assert payments["workplace"] == "hybrid" and payments["provenance"]["workplace"] == "structured"
    assert payments["employment_type"] == "full_time"
    assert payments["posted_at"] == "2026-06-01T08:00:00Z"
    assert [loc["raw"] for loc in payments["locations"]] == ["San Francisco, CA", "New York, NY"]
    # the requirement lists are part of the description
    assert "Own PostgreSQL schemas and Kafka topics" in payments["description_text"]
    assert "5+ years building backend services" in payments["description_text"]
    assert {"Go", "Python", "PostgreSQL", "Kubernetes"} <= set(payments["skills"])
    assert payments["experience_years_min"] == 5

    contract = by_title["Backend Engineer (Contract), Integrations"]
    assert contract["workplace"] == "remote"
    assert contract["employment_type"] == "contract"
    assert contract["pay"]["period"] == "hour" and contract["pay"]["currency"] == "CAD"
    assert contract["pay"]["annual_min"] == 80 * 2080
    assert "FastAPI" in contract["description_text"]

    data = by_title["Data Engineer"]
    assert data["workplace"] is None  # "unspecified"
    assert (data["pay"]["period"], data["pay"]["annual_max"]) == ("month", 90000)
    assert "Apache Spark" in data["description_text"]
    assert by_title["Account Executive, UK"]["workplace"] == "onsite"
    assert by_title["Account Executive, UK"]["is_backend"] is False


def test_pages_with_skip_and_limit(http_server, sqlite_url, tmp_path):
    postings = json.loads(ACME.read_text())
    http_server.add(page_path("acme", 0, 2), Response(json.dumps(postings[:2])))
    http_server.add(page_path("acme", 2, 2), Response(json.dumps(postings[2:])))
    http_server.add(page_path("acme", 4, 2), Response("[]"))
    result = crawl(
        "lever", "--boards", "acme", "-a", "page_size=2", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 0, result.stderr
    pages = [p for _, p, _ in http_server.requests if p.startswith(site_path("acme"))]
    assert pages == [page_path("acme", s, 2) for s in (0, 2, 4)]
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new) == ("ok", 4, 4)
    assert run.board_counts == {"acme": 4}


def test_a_short_page_ends_the_board(http_server, sqlite_url, tmp_path):
    postings = json.loads(ACME.read_text())
    http_server.add(page_path("acme", 0, 3), Response(json.dumps(postings[:3])))
    http_server.add(page_path("acme", 3, 3), Response(json.dumps(postings[3:])))
    result = crawl(
        "lever", "--boards", "acme", "-a", "page_size=3", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 0, result.stderr
    assert http_server.hits(site_path("acme")) == 2
    assert latest_run(sqlite_url).new == 4


def test_404_site_fails_alone_and_malformed_json_is_counted(http_server, sqlite_url, tmp_path):
    http_server.add(site_path("acme"), ACME)
    http_server.add(site_path("broken"), Response('[{"id": "x", "text": "Back'))
    result = crawl(
        "lever", "--boards", "gone,broken,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.status == "partial"
    assert "HTTP 404" in run.board_errors["gone"]
    assert "broken" in run.board_errors
    assert any("malformed JSON" in m for m in run.error_messages)
    assert run.errors >= 2
    assert row_counts(sqlite_url) == (4, 4)


def test_region_selects_the_eu_host():
    assert LeverSpider(boards="acme").base_url == "https://api.lever.co"
    assert LeverSpider(boards="acme", region="eu").base_url == "https://api.eu.lever.co"
    assert LeverSpider(boards="acme", region="EU", base_url="http://127.0.0.1:9/").base_url == "http://127.0.0.1:9"
    with pytest.raises(SpiderArgumentError, match="region"):
        LeverSpider(boards="acme", region="mars")
    with pytest.raises(SpiderArgumentError, match="page_size"):
        LeverSpider(boards="acme", page_size="0")


def test_a_board_named_in_the_boards_table_gives_its_display_name(http_server, sqlite_url, tmp_path):
    # Lever bodies name no company: the token stood for it ("contoso"); the boards table's display name wins, in
    # a crawl and in a reprocess (tests/data/registry.csv: lever,contoso,Contoso).
    http_server.add(site_path("contoso"), ACME)
    result = crawl("lever", "--boards", "contoso", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    companies = {p["company"] for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert companies == {"Contoso"}
    run_jobscout("boards", "add", "lever", "contoso", "--company", "Contoso Ltd", home=tmp_path, db_url=sqlite_url)
    assert run_jobscout("reprocess", home=tmp_path, db_url=sqlite_url).returncode == 0
    assert {p["company"] for p in query_json(sqlite_url, tmp_path, "--all-roles")} == {"Contoso Ltd"}
