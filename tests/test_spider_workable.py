"""The Workable spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``; HTTP 429
through the real ``jobscout crawl`` (the retry middleware).

tests/fixtures/workable/acme.json follows the recorded widget API format ({name, description, jobs: [...]} with
``shortcode``, ``telecommuting``, ``locations``, ``description`` HTML) with texts of our own.
"""

from __future__ import annotations

from tests import crawling
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

ACME = FIXTURES / "workable" / "acme.json"


def account_path(account: str) -> str:
    return f"/api/v1/widget/accounts/{account}"


def test_crawl_maps_jobs_and_company(http_server, sqlite_url, tmp_path):
    http_server.add(account_path("acme"), ACME)
    result = crawl("workable", "--boards", "acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 3, 3, 3, 0)
    assert run.board_counts == {"acme": 3}
    assert [p for _, p, _ in http_server.requests if p.startswith(account_path("acme"))] == [
        account_path("acme") + "?details=true"
    ]

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    python = by_title["Backend Engineer (Python)"]
    assert python["is_backend"] is True
    assert python["company"] == "Acme Freight"  # the account's name, not the token
    assert python["external_id"] == "A1B2C3D4E5"
    assert python["url"] == "https://apply.workable.com/j/A1B2C3D4E5"
    assert python["apply_url"] == "https://apply.workable.com/j/A1B2C3D4E5/apply"
    assert python["workplace"] == "remote" and python["provenance"]["workplace"] == "structured"
    assert python["employment_type"] == "full_time"
    assert python["posted_at"] == "2026-06-12T00:00:00Z"
    assert [loc["country"] for loc in python["locations"]] == ["US"]
    assert (python["pay"]["min"], python["pay"]["max"], python["provenance"]["pay"]) == (140000, 170000, "text")
    assert {"Python", "Django", "PostgreSQL"} <= set(python["skills"])

    data = by_title["Senior Software Engineer, Data Platform"]
    # telecommuting false says nothing; the text says hybrid
    assert data["workplace"] == "hybrid" and data["provenance"]["workplace"] == "text"
    assert data["locations"][0]["city"] == "Berlin"

    intern = by_title["Marketing Intern"]
    assert intern["is_backend"] is False
    assert (intern["seniority"], intern["employment_type"]) == ("intern", "internship")


def test_429_with_retry_after_then_200(http_server, sqlite_url, tmp_path):
    http_server.add(
        account_path("acme"),
        Response('{"error": "Too many requests"}', status=429, headers={"Retry-After": "1"}),
        ACME,
    )
    result = crawling.crawl(
        "workable", "--boards", "acme", "-v", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 0, result.stderr
    assert http_server.hits(account_path("acme")) == 2
    assert "HTTP 429" in result.stderr and "retrying in 1.0s" in result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.new) == ("ok", 3)


def test_429_without_retry_after_backs_off_then_the_account_fails(http_server, sqlite_url, tmp_path):
    http_server.add(account_path("acme"), ACME)
    http_server.add(account_path("busy"), Response('{"error": "Too many requests"}', status=429))
    result = crawling.crawl(
        "workable", "--boards", "busy,acme", "-v", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr
    assert http_server.hits(account_path("busy")) == 3  # the first try and RETRY_TIMES=2 retries
    assert "retrying in 0.1s" in result.stderr  # exponential: 0.05, then 0.1
    run = latest_run(sqlite_url)
    assert "HTTP 429" in run.board_errors["busy"]
    assert row_counts(sqlite_url) == (3, 3)


def test_404_account_fails_alone_and_malformed_json_is_counted(http_server, sqlite_url, tmp_path):
    http_server.add(account_path("acme"), ACME)
    http_server.add(account_path("broken"), Response('{"name": "Broken", "jobs": [{"shortcode": "X1", "ti'))
    result = crawl(
        "workable", "--boards", "gone,broken,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "partial"
    assert "HTTP 404" in run.board_errors["gone"]
    assert "broken" in run.board_errors
    assert any("malformed JSON" in m for m in run.error_messages)
    assert row_counts(sqlite_url) == (3, 3)
