"""The JOIN spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/join/ follows the recorded company page (``__NEXT_DATA__`` with ``initialState.company`` and
``initialState.jobs`` {items, pagination}) with texts of our own; the job pages carry a schema.org JobPosting, the
documented format (no job page is recorded: docs/sources.md marks the step unverified). Mirror convention (one
shared host): ``{base_url}/companies/{slug}``.
"""

from __future__ import annotations

from crawler.spiders.join import JoinSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

HERE = FIXTURES / "join"
COMPANY = "/companies/prestige-worldwide"
JOBS = ("20000101-python-backend-developer", "20000102-working-student-data", "20000103-event-manager")


def serve_board(http_server, *, second_page=True, job_pages=JOBS):
    http_server.add(COMPANY, HERE / "prestige-worldwide.html")
    if second_page:
        http_server.add(f"{COMPANY}?page=2", HERE / "prestige-worldwide-page2.html")
    for job in job_pages:
        http_server.add(f"{COMPANY}/{job}", HERE / f"{job}.html")


def run(http_server, sqlite_url, tmp_path, boards="prestige-worldwide"):
    return crawl("join", "--boards", boards, home=tmp_path, db_url=sqlite_url, base_url=http_server.url)


def test_crawl_reads_both_pages_and_the_job_pages(http_server, sqlite_url, tmp_path):
    serve_board(http_server)
    result = run(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run_row = latest_run(sqlite_url)
    assert (run_row.status, run_row.fetched, run_row.new, run_row.errors) == ("ok", 3, 3, 0)
    assert run_row.board_counts == {"prestige-worldwide": 3}
    paths = [path for _, path, _ in http_server.requests]
    assert paths[:2] == [COMPANY, f"{COMPANY}?page=2"]
    assert http_server.requests[0][2].get("Accept", "").startswith("text/html")

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    backend = by_title["Python Backend Developer"]
    assert backend["company"] == "Prestige Worldwide"
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (58000, 72000, "EUR")
    assert backend["workplace"] == "hybrid" and backend["employment_type"] == "full_time"
    assert backend["posted_at"] == "2026-11-10T08:30:00Z"
    assert "FastAPI" in backend["description_text"]
    assert backend["url"].endswith(f"{COMPANY}/20000101-python-backend-developer")
    assert [loc["country"] for loc in backend["locations"]] == ["DE"]
    student = by_title["Working Student Data Engineering"]
    assert (student["workplace"], student["employment_type"]) == ("remote", "part_time")
    assert by_title["Event Manager"]["workplace"] == "onsite"


def test_recrawl_adds_nothing(http_server, sqlite_url, tmp_path):
    serve_board(http_server)
    for _ in range(2):
        assert run(http_server, sqlite_url, tmp_path).returncode == 0
    run_row = latest_run(sqlite_url)
    assert (run_row.status, run_row.fetched, run_row.new, run_row.updated) == ("ok", 3, 0, 0)
    assert row_counts(sqlite_url) == (3, 3)


def test_a_failed_second_page_marks_the_board_read_in_part(http_server, sqlite_url, tmp_path):
    serve_board(http_server, second_page=False)
    http_server.add(f"{COMPANY}?page=2", Response("<html><body>maintenance</body></html>", content_type="text/html"))
    result = run(http_server, sqlite_url, tmp_path)
    assert latest_run(sqlite_url).board_counts == {"prestige-worldwide": 2}
    assert "page 2: no __NEXT_DATA__" in result.stats["jobscout/board_incomplete/prestige-worldwide"]
    assert row_counts(sqlite_url) == (2, 2)


def test_a_job_page_without_a_jobposting_stores_the_listing_item(http_server, sqlite_url, tmp_path):
    serve_board(http_server, job_pages=JOBS[1:])
    http_server.add(f"{COMPANY}/{JOBS[0]}", Response("<html><body>gone</body></html>", content_type="text/html"))
    result = run(http_server, sqlite_url, tmp_path)
    assert result.stats["jobscout/join/detail_fallbacks"] == 1
    backend = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}["Python Backend Developer"]
    assert backend["workplace"] == "hybrid" and backend["posted_at"] == "2026-11-10T08:30:00Z"
    assert backend["pay"] is None  # the amounts are on the job page only


def test_404_and_a_page_without_next_data_fail_their_boards(http_server, sqlite_url, tmp_path):
    http_server.add("/companies/shell", Response("<html><body>hello</body></html>", content_type="text/html"))
    result = run(http_server, sqlite_url, tmp_path, boards="gone,shell")
    board_errors = latest_run(sqlite_url).board_errors
    assert board_errors["gone"].startswith("board not found (HTTP 404)")
    assert board_errors["shell"] == "no __NEXT_DATA__ script on the page"
    assert result.stats["jobscout/board_error_kind/shell"] == "format"


def test_board_urls_real_host_and_mirror():
    assert JoinSpider.board_probe_url("acme-gmbh") == "https://join.com/companies/acme-gmbh"
    assert JoinSpider.board_probe_url("acme-gmbh", {}, "http://m/") == "http://m/companies/acme-gmbh"
