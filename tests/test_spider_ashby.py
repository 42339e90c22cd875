"""The Ashby spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/ashby/*.json follow the recorded Posting API format (``jobs`` with ``workplaceType``,
``isRemote``, ``secondaryLocations``, ``compensation`` tiers and components; globex.json has the older shape
without ``workplaceType`` and ``compensation``) with texts of our own.
"""

from __future__ import annotations

from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

ACME = FIXTURES / "ashby" / "acme.json"
GLOBEX = FIXTURES / "ashby" / "globex.json"


def board_path(board: str) -> str:
    return f"/posting-api/job-board/{board}"


def test_crawl_maps_compensation_and_work_mode(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    http_server.add(board_path("globex"), GLOBEX)
    result = crawl("ashby", "--boards", "acme,globex", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    # acme lists 5 jobs, one of them unlisted (isListed: false): skipped, not fetched
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 5, 5, 5, 0)
    assert run.board_counts == {"acme": 4, "globex": 1}
    paths = [p for _, p, _ in http_server.requests if p.startswith(board_path("acme"))]
    assert paths == [board_path("acme") + "?includeCompensation=true"]

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(by_title) == {
        "Senior Backend Engineer, Routing",
        "Platform Engineer",
        "Support Engineer",
        "Account Executive",
        "Software Engineer, API",
    }
    routing = by_title["Senior Backend Engineer, Routing"]
    assert routing["is_backend"] is True
    assert routing["company"] == "acme"
    assert routing["external_id"] == "0b8f2d9e-2222-4c1a-8e11-000000000001"
    assert routing["url"] == "https://jobs.ashbyhq.com/acme/0b8f2d9e-2222-4c1a-8e11-000000000001"
    assert routing["apply_url"].endswith("/application")
    assert routing["workplace"] == "hybrid"  # although isRemote is true
    assert routing["provenance"]["workplace"] == "structured"
    # Two location tiers: the primary is their envelope (pipeline/pay.py, docs/schema.md), then both as stated.
    assert (routing["pay"]["min"], routing["pay"]["max"], routing["pay"]["label"]) == (170000, 230000, None)
    assert routing["provenance"]["pay"] == "structured"
    assert [(r["min"], r["max"], r["label"]) for r in routing["pay_ranges"]] == [
        (170000, 230000, None),
        (190000, 230000, "US Tier 1"),
        (170000, 205000, "US Tier 2"),
    ]
    assert [loc["raw"] for loc in routing["locations"]] == ["New York, NY (HQ)", "Boston, MA"]
    assert routing["posted_at"] == "2026-06-02T15:30:00Z"
    assert routing["employment_type"] == "full_time"
    assert {"PostgreSQL", "Redis"} <= set(routing["skills"])

    platform = by_title["Platform Engineer"]
    assert platform["workplace"] == "remote"
    assert (platform["pay"]["currency"], platform["pay"]["min"], platform["pay"]["max"]) == ("EUR", 85000, 110000)
    assert len(platform["pay_ranges"]) == 1  # the bonus is not base pay

    support = by_title["Support Engineer"]
    assert (support["pay"]["period"], support["pay"]["annual_min"]) == ("hour", 28 * 2080)
    assert support["employment_type"] == "part_time"
    assert support["workplace"] == "remote" and support["provenance"]["workplace"] == "location"

    sales = by_title["Account Executive"]
    assert sales["workplace"] == "onsite"
    assert [(r["min"], r["max"], r["kind"]) for r in sales["pay_ranges"]] == [(90000, 110000, "base")]

    api = by_title["Software Engineer, API"]
    assert api["company"] == "globex"
    assert api["pay"] is None
    assert api["workplace"] == "remote"  # from the location "Remote", not from isRemote (false here)


def test_404_board_fails_alone_and_malformed_json_is_counted(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    http_server.add(board_path("broken"), Response('{"apiVersion": "1", "jobs": [{"id": "x", "title": "Bac'))
    result = crawl(
        "ashby", "--boards", "gone,broken,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url
    )
    assert result.returncode == 4, result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "partial"
    assert "HTTP 404" in run.board_errors["gone"]
    assert "broken" in run.board_errors
    assert any("malformed JSON" in m for m in run.error_messages)
    assert row_counts(sqlite_url) == (4, 4)


def test_unexpected_shape_fails_the_board(http_server, sqlite_url, tmp_path):
    http_server.add(board_path("acme"), ACME)
    http_server.add(board_path("odd"), Response('{"success": false, "errors": ["not a board"]}'))
    result = crawl("ashby", "--boards", "odd,acme", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 4, result.stderr
    run = latest_run(sqlite_url)
    assert run.board_errors["odd"] == "unexpected response format"
    assert run.board_counts == {"acme": 4}
