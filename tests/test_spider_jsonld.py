"""The JSON-LD spider against local career pages, run in-process (tests/spiders.py), then ``jobscout query``; its
argument check through the real ``jobscout crawl`` (tests/crawling.py).

Pages under tests/fixtures/jsonld follow real markup (Built In's entity-escaped ``type="application/ld&#x2B;json"``
and ``@graph``; a block wrapped in an HTML comment with trailing commas and an invalid ``\\'`` escape; a page whose
only JSON-LD is a WebSite) with texts of our own. Sitemaps hold ``{base}``, replaced by the server's URL.
"""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

from tests import crawling
from tests.crawling import FIXTURES, latest_run
from tests.http_server import Response
from tests.spiders import crawl, query_json

JSONLD = FIXTURES / "jsonld"
GRAPH = "/jobs/senior-backend-engineer-payments/880011"
MALFORMED = "/jobs/contract-sre"
PLAIN = "/jobs/life-at-northgale"
GONE = "/jobs/filled-role"
BLOG = "/blog/how-we-hire"


def html(name: str) -> Response:
    return Response((JSONLD / name).read_bytes(), content_type="text/html; charset=utf-8")


def xml(name: str, base: str) -> Response:
    return Response((JSONLD / name).read_text().replace("{base}", base), content_type="application/xml")


def serve_site(server) -> None:
    server.add(GRAPH, html("graph_page.html"))
    server.add(MALFORMED, html("malformed_page.html"))
    server.add(PLAIN, html("plain_page.html"))
    server.add(BLOG, html("plain_page.html"))
    server.add(GONE, Response("<html><body>Not found</body></html>", status=404, content_type="text/html"))
    server.add("/sitemap_index.xml", xml("sitemap_index.xml", server.url))
    server.add("/sitemaps/jobs-1.xml", xml("sitemap_jobs_1.xml", server.url))
    server.add("/sitemaps/jobs-2.xml", xml("sitemap_jobs_2.xml", server.url))


def test_urls_graph_and_malformed_pages(http_server, sqlite_url, tmp_path):
    serve_site(http_server)
    urls = f"{http_server.url}{GRAPH},{http_server.url}{MALFORMED}"
    result = crawl("jsonld", "--urls", urls, home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.new, run.errors) == ("ok", 2, 2, 2, 0)
    assert run.boards == ["127.0.0.1"] and run.board_counts == {"127.0.0.1": 2}
    assert run.dropped == {}

    by_title = {p["title"]: p for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert set(by_title) == {"Senior Backend Engineer, Payments", "Contract Site Reliability Engineer"}
    payments = by_title["Senior Backend Engineer, Payments"]
    assert (payments["source"], payments["board"], payments["external_id"]) == ("jsonld", "127.0.0.1", "880011")
    assert payments["company"] == "Tidewater Labs"
    assert payments["url"] == f"{http_server.url}{GRAPH}"
    assert payments["pay"]["min"] == 170000 and payments["pay"]["max"] == 210000
    assert payments["pay"]["period"] == "year" and payments["provenance"]["pay"] == "jsonld"
    assert [loc["raw"] for loc in payments["locations"]] == ["Oakland, California, USA"]
    assert payments["locations"][0]["country"] == "US"
    assert payments["posted_at"] == "2026-06-02T00:00:00Z"
    assert payments["employment_type"] == "full_time"
    assert payments["workplace"] == "hybrid"  # no TELECOMMUTE: the description decides
    assert payments["is_backend"] and {"Go", "PostgreSQL"} <= set(payments["skills"])

    sre = by_title["Contract Site Reliability Engineer"]
    assert sre["external_id"] == "NG-2291" and sre["company"] == "Northgale"
    assert sre["url"] == f"{http_server.url}/careers/sre-contract"  # relative url resolved against the page
    assert sre["workplace"] == "remote" and sre["remote_regions"] == ["CA"]
    assert sre["provenance"]["workplace"] == "jsonld"
    assert sre["employment_type"] == "contract"
    assert (sre["pay"]["min"], sre["pay"]["currency"], sre["pay"]["period"]) == (95, "CAD", "hour")
    assert sre["pay"]["annual_min"] == 95 * 2080
    assert "Northgale's platform team" in sre["description_text"]

    again = crawl("jsonld", "--urls", urls, home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert again.returncode == 0, again.stderr
    run2 = latest_run(sqlite_url)
    assert (run2.status, run2.fetched, run2.new, run2.updated, run2.closed) == ("ok", 2, 0, 0, 0)


def test_sitemap_index_pages_without_markup_and_gone_pages_are_counted(http_server, sqlite_url, tmp_path):
    serve_site(http_server)
    result = crawl(
        "jsonld",
        "--sitemap",
        f"{http_server.url}/sitemap_index.xml",
        "-a",
        "follow=/jobs/",
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert result.returncode == 0, result.stderr
    for path in ("/sitemap_index.xml", "/sitemaps/jobs-1.xml", "/sitemaps/jobs-2.xml", GRAPH, MALFORMED, PLAIN, GONE):
        assert http_server.hits(path) == 1, path
    assert http_server.hits(BLOG) == 0  # not matched by follow
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept, run.errors) == ("ok", 2, 2, 0)
    assert run.dropped == {"no_jobposting": 1, "page_not_found": 1}
    assert run.board_counts == {"127.0.0.1": 2}
    assert "no_jobposting: 1" in result.stdout
    titles = {p["title"] for p in query_json(sqlite_url, tmp_path, "--all-roles")}
    assert titles == {"Senior Backend Engineer, Payments", "Contract Site Reliability Engineer"}


def test_missing_sitemap_fails_its_board(http_server, sqlite_url, tmp_path):
    result = crawl(
        "jsonld",
        "--sitemap",
        f"{http_server.url}/nope.xml",
        home=tmp_path,
        db_url=sqlite_url,
        base_url=http_server.url,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    run = latest_run(sqlite_url)
    assert run.status == "failed" and "HTTP 404" in run.board_errors["127.0.0.1"]


def test_without_urls_or_sitemap_is_a_usage_error(http_server, sqlite_url, tmp_path):
    result = crawling.crawl("jsonld", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode != 0
    assert "urls" in result.stderr and "sitemap" in result.stderr


def test_an_expired_posting_is_closed_by_its_valid_through(http_server, sqlite_url, tmp_path):
    expired = (JSONLD / "graph_page.html").read_text().replace("2099-07-02", "2020-07-02")
    http_server.add(GRAPH, Response(expired, content_type="text/html"))
    http_server.add(MALFORMED, html("malformed_page.html"))
    urls = f"{http_server.url}{GRAPH},{http_server.url}{MALFORMED}"
    result = crawl("jsonld", "--urls", urls, home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert result.returncode == 0, result.stderr
    assert (latest_run(sqlite_url).kept, latest_run(sqlite_url).closed) == (2, 1)
    assert [p["title"] for p in query_json(sqlite_url, tmp_path, "--all-roles")] == [
        "Contract Site Reliability Engineer"
    ]


def jobposting_page(title: str, identifier: str) -> str:
    return (
        '<html><head><script type="application/ld+json">'
        f'{{"@context": "http://schema.org", "@type": "JobPosting", "title": "{title}", "identifier": "{identifier}",'
        ' "hiringOrganization": "Tidewater Labs", "description": "Build Go services."}'
        "</script></head><body></body></html>"
    )


def test_a_sitemap_cannot_make_the_crawler_read_local_files_or_inline_data(http_server, sqlite_url, tmp_path):
    """Only http(s) sitemap entries are requested: file:, data:, ftp: and s3: entries are counted and logged, never
    read (the harness's urllib would read them all, as Scrapy's default download handlers did)."""
    local = tmp_path / "secret.html"
    local.write_text(jobposting_page("Local File Engineer", "LOCAL-1"))
    inline = base64.b64encode(jobposting_page("Inline Data Engineer", "DATA-1").encode()).decode()
    bad = [
        local.as_uri(),
        "file:///etc/hostname",
        f"FILE://{local}",
        f"data:text/html;base64,{inline}",
        "ftp://127.0.0.1/jobs/1",
        "s3://bucket/jobs/1",
    ]
    entries = [*bad, f"{http_server.url}{GRAPH}", "/jobs/relative-is-fine"]
    sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{escape(loc)}</loc></url>" for loc in entries)
        + "</urlset>"
    )
    http_server.add("/sitemap.xml", Response(sitemap, content_type="application/xml"))
    http_server.add(GRAPH, html("graph_page.html"))
    http_server.add("/jobs/relative-is-fine", html("malformed_page.html"))
    result = crawl(
        "jsonld", "--sitemap", f"{http_server.url}/sitemap.xml", home=tmp_path, db_url=sqlite_url, base_url=None
    )
    assert result.returncode == 0, result.stderr
    assert http_server.hits(GRAPH) == 1 and http_server.hits("/jobs/relative-is-fine") == 1
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.kept) == ("ok", 2, 2)
    assert run.dropped == {"not_http_url": len(bad)}
    assert "not an http(s) URL" in result.stderr and "file:///etc/hostname" in result.stderr
    postings = query_json(sqlite_url, tmp_path, "--all-roles")
    titles = {p["title"] for p in postings}
    assert titles == {"Senior Backend Engineer, Payments", "Contract Site Reliability Engineer"}
    for p in postings:
        assert p["url"].startswith(http_server.url) and all(s["url"].startswith("http") for s in p["sources"])


def test_a_javascript_entry_is_counted_and_does_not_fail_the_sitemap(http_server, sqlite_url, tmp_path):
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>javascript:alert(1)</loc></url><url><loc>{http_server.url}{GRAPH}</loc></url></urlset>"
    )
    http_server.add("/sitemap.xml", Response(sitemap, content_type="application/xml"))
    http_server.add(GRAPH, html("graph_page.html"))
    result = crawl(
        "jsonld", "--sitemap", f"{http_server.url}/sitemap.xml", home=tmp_path, db_url=sqlite_url, base_url=None
    )
    assert result.returncode == 0, result.stderr
    run = latest_run(sqlite_url)
    assert (run.status, run.fetched, run.dropped) == ("ok", 1, {"not_http_url": 1})


def test_a_sitemap_index_follows_only_http_sitemaps(http_server, sqlite_url, tmp_path):
    local = tmp_path / "sitemap.xml"
    local.write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{http_server.url}{GRAPH}</loc></url></urlset>"
    )
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{local.as_uri()}</loc></sitemap></sitemapindex>"
    )
    http_server.add("/index.xml", Response(index, content_type="application/xml"))
    http_server.add(GRAPH, html("graph_page.html"))
    result = crawl(
        "jsonld", "--sitemap", f"{http_server.url}/index.xml", home=tmp_path, db_url=sqlite_url, base_url=None
    )
    assert result.returncode == 0, result.stderr
    assert http_server.hits(GRAPH) == 0
    run = latest_run(sqlite_url)
    assert run.fetched == 0 and run.dropped == {"not_http_url": 1}
