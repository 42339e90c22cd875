"""The Jobvite spider against a local server, run in-process (tests/spiders.py), then ``jobscout query``.

tests/fixtures/jobvite/bluthcompany.html follows the recorded listing (rows linking to ``/{company}/job/{id}``
with ``td.jv-job-list-location``) with texts of our own; the job pages carry a schema.org JobPosting, the
documented format (no job page is recorded: docs/sources.md marks the step unverified). Mirror convention (one
shared host): ``{base_url}/{company}/search``.
"""

from __future__ import annotations

from crawler.spiders.jobvite import JobviteSpider
from tests.crawling import FIXTURES, latest_run, row_counts
from tests.http_server import Response
from tests.spiders import crawl, query_json

HERE = FIXTURES / "jobvite"
JOBS = ("oAbC1dEf", "oGhI2jKl")


def serve_board(http_server, job_pages=JOBS):
    http_server.add("/bluthcompany/search", HERE / "bluthcompany.html")
    for job in job_pages:
        http_server.add(f"/bluthcompany/job/{job}", HERE / f"{job}.html")


def run(http_server, sqlite_url, tmp_path, boards="bluthcompany"):
    return crawl("jobvite", "--boards", boards, home=tmp_path, db_url=sqlite_url, base_url=http_server.url)


def test_crawl_reads_the_listing_and_the_job_pages(http_server, sqlite_url, tmp_path):
    serve_board(http_server)
    result = run(http_server, sqlite_url, tmp_path)
    assert result.returncode == 0, result.stderr
    run_row = latest_run(sqlite_url)
    assert (run_row.status, run_row.fetched, run_row.new, run_row.errors) == ("ok", 2, 2, 0)
    assert run_row.board_counts == {"bluthcompany": 2}  # the sister company's row is not this board's
    assert http_server.hits("/sitwell/job/oZzZ9yYy") == 0

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    backend = by_title["Backend Software Engineer (Java)"]
    assert (backend["pay"]["min"], backend["pay"]["max"], backend["pay"]["currency"]) == (130000, 160000, "USD")
    assert backend["employment_type"] == "full_time" and backend["posted_at"].startswith("2026-11-18")
    assert backend["company"] == "Bluth Company"
    assert "Spring" in backend["description_text"]
    assert backend["url"].endswith("/bluthcompany/job/oAbC1dEf")
    assert by_title["Frozen Banana Stand Supervisor"]["employment_type"] == "part_time"


def test_recrawl_adds_nothing(http_server, sqlite_url, tmp_path):
    serve_board(http_server)
    for _ in range(2):
        assert run(http_server, sqlite_url, tmp_path).returncode == 0
    run_row = latest_run(sqlite_url)
    assert (run_row.status, run_row.fetched, run_row.new, run_row.updated) == ("ok", 2, 0, 0)
    assert row_counts(sqlite_url) == (2, 2)


def test_a_failed_job_page_stores_the_row(http_server, sqlite_url, tmp_path):
    serve_board(http_server, job_pages=JOBS[:1])
    result = run(http_server, sqlite_url, tmp_path)
    assert result.stats["jobscout/jobvite/detail_fallbacks"] == 1
    stand = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}["Frozen Banana Stand Supervisor"]
    assert stand["locations"] and stand["pay"] is None


def test_a_next_page_link_is_followed(http_server, sqlite_url, tmp_path):
    first = (
        (HERE / "bluthcompany.html")
        .read_text()
        .replace("</table>", '</table><a class="jv-pagination-next" href="/bluthcompany/search?p=1">Next</a>')
    )
    second = (
        '<html><body><table class="jv-job-list"><tr><td><a href="/bluthcompany/job/oMnO3pQr">Accountant</a></td>'
        '<td class="jv-job-list-location">Irvine, California</td></tr></table></body></html>'
    )
    http_server.add("/bluthcompany/search", Response(first, content_type="text/html"))
    http_server.add("/bluthcompany/search?p=1", Response(second, content_type="text/html"))
    for job in JOBS:
        http_server.add(f"/bluthcompany/job/{job}", HERE / f"{job}.html")
    result = run(http_server, sqlite_url, tmp_path)
    assert latest_run(sqlite_url).board_counts == {"bluthcompany": 3}
    assert result.stats["jobscout/jobvite/detail_fallbacks"] == 1  # the accountant's page is not served


def test_404_and_a_page_without_a_job_list_fail_their_boards(http_server, sqlite_url, tmp_path):
    http_server.add("/shell/search", Response("<html><body><p>Join us!</p></body></html>", content_type="text/html"))
    result = run(http_server, sqlite_url, tmp_path, boards="gone,shell")
    board_errors = latest_run(sqlite_url).board_errors
    assert board_errors["gone"].startswith("board not found (HTTP 404)")
    assert board_errors["shell"] == "no job list on the page"
    assert result.stats["jobscout/board_error_kind/shell"] == "format"


def test_board_urls_real_host_and_mirror():
    assert JobviteSpider.board_probe_url("bluthcompany") == "https://jobs.jobvite.com/bluthcompany/search"
    assert JobviteSpider.board_probe_url("bluthcompany", {}, "http://m/") == "http://m/bluthcompany/search"
