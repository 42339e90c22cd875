"""The Personio spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/personio/wonka.xml follows the recorded XML feed (``<workzag-jobs>``, ``<position>`` with
``jobDescriptions``, ``additionalOffices``, ``salaryInformation``) with texts of our own. Mirror convention:
``{base_url}/{board}/xml``.
"""

from __future__ import annotations

from crawler.spiders.personio import PersonioSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

WONKA = FIXTURES / "personio" / "wonka.xml"


def feed(path=WONKA) -> Response:
    return Response(path.read_bytes(), content_type="application/xml")


def test_crawl_maps_the_feed(http_server, sqlite_url, tmp_path):
    http_server.add("/wonka/xml", feed())
    result = crawl("personio", "--boards", "wonka", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {"wonka": 3}

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    java = by_title["Senior Backend Engineer (Java)"]
    assert java["company"] == "Wonka Industries GmbH"
    assert (java["pay"]["min"], java["pay"]["max"], java["pay"]["currency"], java["pay"]["period"]) == (
        70000,
        90000,
        "EUR",
        "year",
    )
    assert java["provenance"]["pay"] == "structured"
    assert [loc["raw"] for loc in java["locations"]] == ["Munich", "Hamburg"]
    assert java["employment_type"] == "full_time"
    assert java["posted_at"] == "2026-11-03T09:20:30Z"
    assert java["url"] == f"{http_server.url}/wonka/job/880101"
    assert "What you bring" in java["description_text"] and "Spring Boot" in java["description_text"]
    assert {"Java", "PostgreSQL"} <= set(java["skills"])
    devops = by_title["DevOps Engineer"]
    assert devops["company"] == "Wonka Industries"  # no subcompany: the boards table names the board (registry.csv)
    assert devops["workplace"] == "remote" and devops["seniority"] == "junior"
    student = by_title["Working Student Marketing"]
    assert student["employment_type"] == "part_time"
    assert (student["pay"]["min"], student["pay"]["max"], student["pay"]["period"]) == (16, None, "hour")


def test_language_and_domain_from_the_board_config(http_server, sqlite_url, tmp_path):
    http_server.add("/wonka/xml", feed())
    result = crawl(
        "personio",
        "--boards",
        "wonka",
        "-a",
        'board_configs={"wonka": {"language": "en", "domain": "jobs.personio.de"}}',
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert result.returncode == 0, result.stderr
    assert [p for _, p, _ in http_server.requests] == ["/wonka/xml?language=en"]
    assert (
        PersonioSpider.board_probe_url("wonka", {"domain": "jobs.personio.de"})
        == "https://wonka.jobs.personio.de/xml"
    )
    assert PersonioSpider.board_probe_url("Wonka", {}) == "https://wonka.jobs.personio.com/xml"


def test_empty_feed_unknown_company_and_unsafe_xml(http_server, sqlite_url, tmp_path):
    http_server.add(
        "/empty/xml", Response(b'<?xml version="1.0"?>\n<workzag-jobs></workzag-jobs>', content_type="text/xml")
    )
    http_server.add("/html/xml", Response(b"<html><body>Page not found</body></html>", content_type="text/html"))
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa">]>'
        b"<workzag-jobs><position><id>1</id><name>&a;</name></position></workzag-jobs>"
    )
    http_server.add("/bomb/xml", Response(bomb, content_type="application/xml"))
    http_server.add("/wonka/xml", feed())
    result = crawl(
        "personio",
        "--boards",
        "empty,gone,html,bomb,wonka",
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert result.returncode == 4, result.stderr  # partial
    run = latest_run(sqlite_url)
    assert run.board_counts["empty"] == 0 and run.board_counts["wonka"] == 3
    assert run.board_errors["gone"].startswith("board not found (HTTP 404)")
    assert "not a Personio feed" in run.board_errors["html"]
    assert "entities" in run.board_errors["bomb"]
    assert row_counts(sqlite_url) == (3, 3)


def test_a_position_without_an_id_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    body = WONKA.read_bytes().replace(b"<id>880102</id>", b"")
    http_server.add("/wonka/xml", Response(body, content_type="application/xml"))
    result = crawl("personio", "--boards", "wonka", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    run = latest_run(sqlite_url)
    assert result.stats["jobscout/personio/parse_errors"] == 1
    assert run.new == 2 and "wonka" not in (run.board_errors or {})
