"""The Recruitee spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/recruitee/hooli.json follows the recorded ``/api/offers/`` format (``offers`` with ``locations``,
``salary``, ``remote``/``hybrid``/``on_site``, ``employment_type_code``; one offer not published) with texts of our
own. Mirror convention: ``{base_url}/{board}/api/offers/``.
"""

from __future__ import annotations

import json

from crawler.spiders.recruitee import RecruiteeSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

HOOLI = FIXTURES / "recruitee" / "hooli.json"


def offers_path(board: str) -> str:
    return f"/{board}/api/offers/"


def test_crawl_maps_published_offers(http_server, sqlite_url, tmp_path):
    http_server.add(offers_path("hooli"), HOOLI)
    result = crawl("recruitee", "--boards", "hooli", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {"hooli": 3}  # the closed offer is not a posting
    [(method, path, headers)] = http_server.requests
    assert (method, path, headers.get("Accept")) == ("GET", offers_path("hooli"), "application/json")

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(by_title) == {"Backend Developer (Python)", "Site Reliability Engineer", "Office Coordinator"}
    backend = by_title["Backend Developer (Python)"]
    assert backend["company"] == "Hooli Robotics"
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (65000, 80000, "EUR")
    assert backend["provenance"]["pay"] == "structured"
    assert backend["workplace"] == "hybrid" and backend["provenance"]["workplace"] == "structured"
    assert backend["employment_type"] == "full_time"
    assert backend["posted_at"] == "2026-11-02T09:15:00Z"
    assert backend["url"] == "https://hooli.recruitee.com/o/401"
    assert [loc["country"] for loc in backend["locations"]] == ["NL"]
    assert "Django or FastAPI" in backend["description_text"]  # the requirements are part of the description
    sre = by_title["Site Reliability Engineer"]
    assert sre["workplace"] == "remote" and sre["employment_type"] == "temporary"
    office = by_title["Office Coordinator"]
    assert (office["workplace"], office["employment_type"]) == ("onsite", "part_time")
    assert (office["pay"]["period"], office["pay"]["annual_min"]) == ("month", 2400 * 12)


def test_recrawl_adds_nothing(http_server, sqlite_url, tmp_path):
    http_server.add(offers_path("hooli"), HOOLI)
    for _ in range(2):
        result = crawl("recruitee", "--boards", "hooli", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
        assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.updated) == ("ok", 3, 0, 0)
    assert row_counts(sqlite_url) == (3, 3)


def test_404_fails_the_board_and_a_broken_offer_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    offers = json.loads(HOOLI.read_text())["offers"]
    broken = {"offers": [{"title": "No id here", "status": "published"}, *offers]}
    http_server.add(offers_path("hooli"), Response(json.dumps(broken)))
    result = crawl("recruitee", "--boards", "gone,hooli", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.board_errors["gone"].startswith("board not found (HTTP 404)")
    assert run.board_counts["hooli"] == 3
    assert result.stats["jobscout/recruitee/parse_errors"] == 1
    assert row_counts(sqlite_url) == (3, 3)


def test_board_urls_real_hosts_and_mirror():
    assert RecruiteeSpider.board_probe_url("hooli", {}) == "https://hooli.recruitee.com/api/offers/"
    assert (
        RecruiteeSpider.board_probe_url("careers.example.com", {"api_base": "https://careers.example.com/"})
        == "https://careers.example.com/api/offers/"
    )
    # an explicit base_url wins over the config
    assert (
        RecruiteeSpider.board_probe_url(
            "careers.example.com", {"api_base": "https://careers.example.com"}, "http://m/"
        )
        == "http://m/careers.example.com/api/offers/"
    )
