"""The Workday spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/workday holds one listing page and three details in the recorded CXS format (``jobPostings``,
``facets`` with a nested ``locationMainGroup``, ``jobPostingInfo`` with ``remoteType``, ``startDate``,
``timeType``, pay as text in the description) with texts of our own; tests/workday_tenant.py generates larger
boards in the same format (paging by POST body, ``total`` on the first page only, the result cap). Mirror
convention: ``{base_url}/{tenant}/{wdN}/{site}/wday/cxs/{tenant}/{site}/jobs``.
"""

from __future__ import annotations

import json

import pytest

from crawler.spiders.base import SpiderArgumentError
from crawler.spiders.workday import WorkdaySpider, parse_token, split_facet
from tests.crawling import latest_run
from tests.http_server import Response
from tests.spiders import crawl, query_json
from tests.workday_tenant import BOARD, Job, Tenant, cxs_path, listing_queries, serve_fixtures


def crawl_workday(server, db_url, home, *args, boards=BOARD):
    return crawl("workday", "--boards", boards, *args, home=home, db_url=db_url, base_url=server.url)


def test_crawl_lists_then_reads_each_detail(http_server, sqlite_url, tmp_path):
    serve_fixtures(http_server)
    result = crawl_workday(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.new, run.errors) == ("ok", 3, 3, 0)
    assert run.board_counts == {BOARD: 3}
    [query] = listing_queries(http_server)
    assert query == {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}
    [(method, _, headers)] = [r for r in http_server.requests if r[1].endswith("/jobs")]
    assert (method, headers.get("Content-Type"), headers.get("Accept")) == (
        "POST",
        "application/json",
        "application/json",
    )
    assert http_server.hits(f"{cxs_path()}/job/Reno-NV/Warehouse-Associate_JR1003") == 1

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    billing = by_title["Senior Backend Engineer, Billing"]
    assert billing["external_id"] == "Senior-Backend-Engineer--Billing_JR1001"
    assert billing["company"] == "umbrella"
    assert billing["url"] == "https://umbrella.wd5.myworkdayjobs.com/UmbrellaCareers" + (
        "/job/Austin-TX/Senior-Backend-Engineer--Billing_JR1001"
    )
    assert billing["workplace"] == "hybrid" and billing["provenance"]["workplace"] == "structured"  # "Flex"
    assert billing["employment_type"] == "full_time"
    assert billing["posted_at"] == "2026-11-20T00:00:00Z"
    assert (billing["pay"]["min"], billing["pay"]["max"], billing["pay"]["currency"]) == (150000, 190000, "USD")
    assert billing["provenance"]["pay"] == "text"  # Workday has no pay field
    assert {"Go", "PostgreSQL", "Apache Kafka", "gRPC"} <= set(billing["skills"])
    platform = by_title["Platform Engineer (Remote)"]
    assert platform["workplace"] == "remote"
    assert [loc["raw"] for loc in platform["locations"]] == ["Remote - USA", "Denver, CO"]
    warehouse = by_title["Warehouse Associate"]
    assert warehouse["employment_type"] == "part_time"
    assert (warehouse["pay"]["period"], warehouse["pay"]["min"]) == ("hour", 19.5)


def test_pages_follow_the_first_total(http_server, sqlite_url, tmp_path):
    Tenant([Job(n, "eng") for n in range(1, 8)]).install(http_server)
    result = crawl_workday(http_server, sqlite_url, tmp_path, "-a", "page_size=3")
    assert result.returncode == 0, result.stderr
    assert [q["offset"] for q in listing_queries(http_server)] == [0, 3, 6]
    run = latest_run(sqlite_url)
    assert (run.status, run.new, run.board_counts) == ("ok", 7, {BOARD: 7})


def test_a_board_over_the_cap_is_read_through_a_facet(http_server, sqlite_url, tmp_path):
    # 9 jobs, a cap of 5: every job is in Austin (that facet cannot split them), teams a/b/c can.
    teams = "aaaabbbcc"
    Tenant([Job(n, teams[n - 1]) for n in range(1, 10)], cap=5).install(http_server)
    result = crawl_workday(http_server, sqlite_url, tmp_path, "-a", "page_size=2", "-a", "result_cap=5")
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.new, run.board_counts) == ("ok", 9, {BOARD: 9})
    scopes = {
        (tuple(q["appliedFacets"].get("jobFamilyGroup", [])), q["offset"]) for q in listing_queries(http_server)
    }
    assert scopes == {((), 0), (("id-a",), 0), (("id-a",), 2), (("id-b",), 0), (("id-b",), 2), (("id-c",), 0)}


def test_a_board_the_facets_cannot_split_is_read_in_part_and_closes_nothing(http_server, sqlite_url, tmp_path):
    Tenant([Job(n, "eng") for n in range(10, 14)], cap=5).install(http_server)
    first = crawl_workday(http_server, sqlite_url, tmp_path, "-a", "result_cap=5")
    assert first.returncode == 0 and latest_run(sqlite_url).new == 4
    # Six newer jobs come first in the listing; with one team and one place no facet gets under the cap, so only
    # the first 5 results are read, and the 4 older jobs are not seen: they must not close.
    Tenant([Job(n, "eng") for n in (1, 2, 3, 4, 5, 6, 10, 11, 12, 13)], cap=5).install(http_server)
    second = crawl_workday(http_server, sqlite_url, tmp_path, "-a", "result_cap=5")
    run = latest_run(sqlite_url)
    assert second.returncode == 4, second.stderr  # partial
    assert run.status == "partial" and run.closed == 0
    assert "reach the 5-result cap" in run.status_reason
    assert second.stats[f"jobscout/board_incomplete/{BOARD}"]
    open_ids = {p["external_id"] for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert {"Engineer-10_JR10", "Engineer-13_JR13"} <= open_ids


def test_a_failed_later_page_keeps_the_rest_and_marks_the_board_read_in_part(http_server, sqlite_url, tmp_path):
    Tenant([Job(n, "eng") for n in range(1, 6)], failing={(None, 2): 500}).install(http_server)
    result = crawl_workday(http_server, sqlite_url, tmp_path, "-a", "page_size=2")
    assert result.returncode == 4, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.new) == ("partial", 3)
    assert "offset 2: HTTP 500" in run.status_reason


def test_missing_board_bad_token_and_a_failed_detail(http_server, sqlite_url, tmp_path):
    serve_fixtures(http_server)
    http_server.add(f"{cxs_path()}/job/Reno-NV/Warehouse-Associate_JR1003", Response(b"{}", status=500))
    result = crawl_workday(http_server, sqlite_url, tmp_path, boards=f"gone/wd1/Careers,not-a-token,{BOARD}")
    assert result.returncode == 4, result.stderr
    run = latest_run(sqlite_url)
    assert run.board_errors["gone/wd1/Careers"].startswith("board not found (HTTP 404)")
    assert "tenant/wdN/site" in run.board_errors["not-a-token"]
    assert run.board_counts[BOARD] == 3 and run.new == 3
    assert result.stats["jobscout/workday/detail_fallbacks"] == 1
    warehouse = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}["Warehouse Associate"]
    assert warehouse["description_text"] in (None, "")  # the list item alone: no description
    assert warehouse["locations"][0]["raw"] == "Reno, NV"


def test_a_job_without_an_external_path_is_a_counted_parse_error(http_server, sqlite_url, tmp_path):
    tenant = Tenant([Job(n, "eng") for n in range(1, 4)])
    tenant.install(http_server)
    listing = tenant.listing

    def without_path(method, path, body):
        answer = listing(method, path, body)
        return Response(answer.encoded().replace(b'"externalPath": "/job/Austin/Engineer-2_JR2", ', b""))

    http_server.add_handler(f"{cxs_path()}/jobs", without_path)
    result = crawl_workday(http_server, sqlite_url, tmp_path)
    assert result.stats["jobscout/workday/parse_errors"] == 1
    run = latest_run(sqlite_url)
    assert (run.new, run.board_counts) == (2, {BOARD: 2})


def test_search_text_from_the_board_config(http_server, sqlite_url, tmp_path):
    serve_fixtures(http_server)
    config = json.dumps({BOARD: {"search_text": "Umbrella Labs"}})
    result = crawl_workday(http_server, sqlite_url, tmp_path, "-a", f"board_configs={config}")
    assert result.returncode == 0, result.stderr
    assert listing_queries(http_server)[0]["searchText"] == "Umbrella Labs"


@pytest.mark.parametrize(
    ("board", "config", "base_url", "probe"),
    [
        (
            "accenture/wd103/AccentureCareers",
            {},
            None,
            "https://accenture.wd103.myworkdayjobs.com/wday/cxs/accenture/AccentureCareers/jobs",
        ),
        (
            "wf/wd1/WellsFargoJobs",
            {"domain": "myworkdaysite.com"},
            None,
            "https://wd1.myworkdaysite.com/wday/cxs/wf/WellsFargoJobs/jobs",
        ),
        (
            "accenture/wd103/AccentureCareers",
            {"domain": "myworkdaysite.com"},
            "http://mirror.test/",
            "http://mirror.test/accenture/wd103/AccentureCareers/wday/cxs/accenture/AccentureCareers/jobs",
        ),
    ],
)
def test_board_urls(board, config, base_url, probe):
    assert WorkdaySpider.listing_url(WorkdaySpider.board_base_url(board, config, base_url), board) == probe
    # no GET probe: what a GET of the POST-only listing answers is unknown, and a wrong 404 would retire the board
    assert WorkdaySpider.board_probe_url(board, config, base_url) is None


def test_arguments_are_checked():
    with pytest.raises(SpiderArgumentError, match="at most 20"):
        WorkdaySpider(boards=BOARD, page_size="50")
    with pytest.raises(SpiderArgumentError, match="result_cap"):
        WorkdaySpider(boards=BOARD, result_cap="0")


@pytest.mark.parametrize(
    ("facets", "total", "expected"),
    [
        # the facet whose values all fit under the cap wins over one with fewer values
        (
            [
                {"facetParameter": "timeType", "values": [{"id": "f", "count": 9}, {"id": "p", "count": 1}]},
                {
                    "facetParameter": "team",
                    "values": [{"id": "a", "count": 4}, {"id": "b", "count": 3}, {"id": "c", "count": 3}],
                },
            ],
            10,
            "team",
        ),
        # a facet that does not add up to the total (jobs without a value) cannot be the split
        ([{"facetParameter": "team", "values": [{"id": "a", "count": 4}, {"id": "b", "count": 3}]}], 10, None),
        # nested groups are flattened
        (
            [
                {
                    "facetParameter": "locationMainGroup",
                    "values": [
                        {"facetParameter": "locations", "values": [{"id": "x", "count": 6}, {"id": "y", "count": 5}]}
                    ],
                }
            ],
            10,
            "locations",
        ),
        ("not a list", 10, None),
    ],
)
def test_split_facet(facets, total, expected):
    chosen = split_facet(facets, total, cap=8)
    assert (chosen[0] if chosen else None) == expected


@pytest.mark.parametrize(
    ("token", "parts"),
    [
        ("Initrode/WD3/InitrodeJobs", ("initrode", "wd3", "InitrodeJobs")),
        ("vhr_law-firm/wd1/careers", ("vhr_law-firm", "wd1", "careers")),
        ("initrode/InitrodeJobs", None),  # the old two-part spelling
        ("initrode/wdx/InitrodeJobs", None),
        ("initrode.evil.example/wd1/Jobs", None),
        ("initrode/wd1/Jobs/extra", None),
        ("initrode/wd1/Jobs?x=1", None),
    ],
)
def test_parse_token(token, parts):
    if parts is None:
        with pytest.raises(ValueError, match="tenant/wdN/site"):
            parse_token(token)
    else:
        board = parse_token(token)
        assert (board.tenant, board.instance, board.site) == parts
