"""``jobscout serve``'s JSON API, feed and pages through FastAPI's test client, on SQLite and PostgreSQL: one test
per filter of ``jobscout query`` (expected postings worked out from the table in tests/serve_data.py), cursor
paging, a posting with its changes, stats, skills, the Atom feed, bad input as 422, the OpenAPI document, and the
pages' content (facets, sanitized description, apply links, history, charts with their counts)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

pytest.importorskip("fastapi", reason='the web extra is not installed: pip install -e ".[web]"')

from fastapi.testclient import TestClient

from crawler.web.app import create_app
from storage.db import open_database, read_only_session_factory
from tests.serve_data import build_catalog, build_many

ATOM = "{http://www.w3.org/2005/Atom}"


def client_for(db_url: str) -> TestClient:
    engine, _ = open_database(db_url)
    return TestClient(create_app(read_only_session_factory(engine), dialect=engine.dialect.name))


@pytest.fixture
def catalog(db_url):
    ids = build_catalog(db_url)
    with client_for(db_url) as client:
        yield client, ids


def keys(response, ids: dict[str, int]) -> set[str]:
    assert response.status_code == 200, response.text
    by_id = {v: k for k, v in ids.items()}
    return {by_id[p["id"]] for p in response.json()["postings"]}


FILTER_CASES = [
    # (query string, expected keys): one or more cases per filter of `jobscout query`
    ("", {"k1", "k2", "k3", "k4"}),
    ("skill=Go", {"k1", "k3"}),
    ("skill=Go&skill=Kafka", {"k3"}),
    ("skill=go,kafka", {"k3"}),
    ("skill=golang", {"k1", "k3"}),
    ("any_skill=Kafka&any_skill=Kubernetes", {"k2", "k3", "k4"}),
    ("workplace=remote", {"k1", "k4"}),
    ("workplace=remote,hybrid", {"k1", "k2", "k4"}),
    ("remote_region=US", {"k1", "k4"}),
    ("remote_region=DE", {"k4"}),
    ("seniority=senior", {"k1"}),
    ("seniority=junior&seniority=staff", {"k3", "k4"}),
    ("employment_type=contract", {"k2"}),
    ("min_pay=150000", {"k1"}),
    ("min_pay=130000", {"k1", "k4"}),
    ("min_pay=130000&max_pay=125000", {"k4"}),
    ("min_pay=80000&max_pay=75000&currency=EUR", {"k2"}),
    ("min_pay=80000&max_pay=75000&currency=eur", {"k2"}),
    ("min_pay=70000&currency=EUR&exact_currency=true", {"k2"}),  # only ranges stated in EUR
    ("min_pay=150000&include_unknown_pay=true", {"k1", "k3"}),
    ("company=northwind", {"k1"}),
    ("company=Fabrikam", {"k3"}),
    ("country=DE", {"k2"}),
    ("country=gb", {"k3"}),
    ("city=london", {"k3"}),
    ("city=New York", {"k1"}),
    ("source=lever", {"k2"}),
    ("source=greenhouse,ashby", {"k1", "k3", "k4"}),
    ("visa=yes", {"k1"}),
    ("visa=no", {"k2"}),
    ("search=platform", {"k1", "k3"}),
    ("search=platform -data", {"k1"}),
    ('search="event sourcing"', {"k1"}),
    ("posted_since=2026-10-10", {"k1", "k3"}),
    ("seen_since=2026-10-14", {"k1", "k4"}),
    ("include_closed=true", {"k1", "k2", "k3", "k4", "k6"}),
    ("include_closed=false", {"k1", "k2", "k3", "k4"}),
    ("all_roles=true", {"k1", "k2", "k3", "k4", "k5"}),
    ("all_roles=on&include_closed=1&skill=Go", {"k1", "k3", "k6"}),
    ("skill=&workplace=&min_pay=", {"k1", "k2", "k3", "k4"}),  # empty form fields are no filter
]


@pytest.mark.parametrize(("query", "expected"), FILTER_CASES)
def test_api_postings_filters(catalog, query, expected):
    client, ids = catalog
    assert keys(client.get(f"/api/postings?{query}"), ids) == expected


def test_every_filter_of_query_has_a_case():
    from crawler.web.search import filter_names

    tested = {name for query, _ in FILTER_CASES for name in re.findall(r"(?:^|&)(\w+)=", query)}
    assert set(filter_names()) - tested == set()


def test_api_records_are_schema_v1_and_sorted(catalog):
    client, ids = catalog
    data = client.get("/api/postings").json()
    assert data["schema_version"] == 1 and data["total"] == 4 and data["count"] == 4 and data["next_cursor"] is None
    first = data["postings"][0]
    assert first["schema_version"] == 1 and {"sources", "pay", "skills", "skill_evidence", "locations"} <= set(first)
    # newest posted first, a posting without a date last
    assert [p["id"] for p in data["postings"]] == [ids["k1"], ids["k3"], ids["k2"], ids["k4"]]
    by_pay = client.get("/api/postings?sort=pay").json()["postings"]
    assert [p["id"] for p in by_pay] == [ids["k1"], ids["k4"], ids["k2"], ids["k3"]]
    k1 = next(p for p in data["postings"] if p["id"] == ids["k1"])
    assert (k1["pay"]["min"], k1["pay"]["max"], k1["pay"]["currency"]) == (160000, 210000, "USD")
    assert {(s["source"], s["board"]) for s in k1["sources"]} == {
        ("greenhouse", "northwind"),
        ("greenhouse", "northwind-eu"),
    }


def test_api_cursor_pages_through_everything_once(db_url):
    build_many(db_url, 45)
    with client_for(db_url) as client:
        seen, cursor, pages = [], None, 0
        while True:
            response = client.get(
                "/api/postings", params={"limit": 20, "skill": "Go", **({"cursor": cursor} if cursor else {})}
            )
            assert response.status_code == 200, response.text
            data = response.json()
            assert data["total"] == 23 and data["offset"] == len(seen)
            seen += [p["title"] for p in data["postings"]]
            pages += 1
            cursor = data["next_cursor"]
            if cursor is None:
                break
        assert pages == 2
        assert seen == [f"Engineer {i:03d}" for i in range(45, 0, -1) if i % 2]
        first = client.get("/api/postings?limit=20&skill=Go").json()
        # a cursor belongs to its search: other filters, or a made-up token, are refused
        other = client.get("/api/postings", params={"limit": 20, "skill": "Python", "cursor": first["next_cursor"]})
        assert other.status_code == 422 and "another search" in other.json()["detail"]
        bad = client.get("/api/postings?cursor=not-a-cursor")
        assert bad.status_code == 422 and "cursor" in bad.json()["detail"]


@pytest.mark.parametrize(
    "params",
    [{"sort": "pay"}, {"workplace": "remote", "seniority": "senior"}, {"search": "engineer"}],
    ids=["pay sort", "workplace and seniority", "search"],
)
def test_api_total_and_pages_are_the_whole_sets_with_a_window(db_url, params):
    """The statement of a page reads only the page's window (the pay sort's candidates, the ids first): the total is
    still the whole filtered set's, and the pages still go through it once, in order."""
    build_many(db_url, 45)
    with client_for(db_url) as client:
        whole = client.get("/api/postings", params={"limit": 100, **params}).json()
        seen, cursor = [], None
        while True:
            paging = {"limit": 20, **({"cursor": cursor} if cursor else {})}
            data = client.get("/api/postings", params={**params, **paging}).json()
            assert data["total"] == whole["total"] == len(whole["postings"])
            seen += [p["title"] for p in data["postings"]]
            if (cursor := data["next_cursor"]) is None:
                break
        page = client.get("/", params={**params, "page": 2}).text
    assert whole["total"] > 20
    assert seen == [p["title"] for p in whole["postings"]]
    assert f'data-count="{whole["total"]}"' in page and "page 2 of" in page


def test_api_posting_detail_with_changes(catalog):
    client, ids = catalog
    data = client.get(f"/api/postings/{ids['k1']}").json()
    assert data["schema_version"] == 1 and data["title"] == "Platform Engineer"
    assert [(c["field"], c["old"]["max"], c["new"]["max"]) for c in data["changes"]] == [("pay", 190000, 210000)]
    missing = client.get("/api/postings/999999")
    assert missing.status_code == 404 and missing.json() == {"detail": "no posting with id 999999"}
    for bad in ("abc", "0", "-1", "2147483648", "99999999999999999999999"):
        response = client.get(f"/api/postings/{bad}")
        assert response.status_code == 422 and response.json()["detail"].startswith("posting_id:"), bad


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("workplace=moon", ["workplace", "moon", "remote"]),
        ("seniority=guru", ["seniority", "guru"]),
        ("employment_type=gig", ["employment_type", "gig"]),
        ("min_pay=abc", ["min_pay", "abc"]),
        ("min_pay=-5", ["min_pay"]),
        ("max_pay=inf", ["max_pay", "finite"]),
        ("currency=dollars", ["currency", "3-letter"]),
        ("country=Germany", ["country", "2-letter"]),
        ("posted_since=yesterday", ["posted_since", "date"]),
        ("seen_since=99999999999d", ["seen_since", "out of range"]),
        ("source=nowhere", ["source", "nowhere", "known sources"]),
        ("search=-java", ["search", "no term"]),
        ("visa=maybe", ["visa", "maybe"]),
        ("include_closed=perhaps", ["include_closed", "true or false"]),
        ("skil=Go", ["unknown parameter", "skil"]),
        ("limit=0", ["limit", "1 to 200"]),
        ("limit=many", ["limit"]),
        ("sort=cheapest", ["sort", "cheapest"]),
        ("search=a%00b", ["NUL"]),
    ],
)
def test_bad_input_is_a_422_with_a_clear_message(catalog, query, words):
    client, _ = catalog
    response = client.get(f"/api/postings?{query}")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, str) and "--" not in detail  # parameter names, not the command line's options
    for word in words:
        assert word.lower() in detail.lower(), (word, detail)


def test_api_stats_matches_the_filters(catalog):
    client, _ = catalog
    data = client.get("/api/stats?skill=Go").json()
    assert data["total"] == 2
    assert {c["key"]: c["postings"] for c in data["top_skills"]} == {"Go": 2, "Apache Kafka": 1, "PostgreSQL": 1}
    usd = [r for r in data["pay"] if r["currency"] == "USD"]
    assert [(r["postings"], r["p50"]) for r in usd] == [(1, 185000.0)]  # k1: the middle of 160k-210k
    assert client.get("/api/stats?top=0").status_code == 422


def test_api_skills_from_the_taxonomy_with_counts(catalog):
    client, _ = catalog
    skills = client.get("/api/skills?q=KAF").json()["skills"]  # any word of the name
    assert skills[0] == {"name": "Apache Kafka", "category": "messaging", "postings": 2}
    assert all(any(w.startswith("kaf") for w in s["name"].lower().split()) for s in skills)
    everything = client.get("/api/skills").json()["skills"]
    assert len(everything) > 100
    assert [(s["name"], s["postings"]) for s in everything[:5]] == [
        ("Apache Kafka", 2),
        ("Go", 2),
        ("Python", 2),
        ("Kubernetes", 1),
        ("PostgreSQL", 1),
    ]
    assert client.get("/api/skills?prefix=go").status_code == 422


def test_feed_is_atom_of_the_search(catalog):
    client, ids = catalog
    response = client.get("/feed?skill=Go")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed" and "skill=Go" in feed.findtext(f"{ATOM}title")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"urn:jobscout:posting:{ids[k]}" for k in ("k1", "k3")]
    assert entries[0].find(f"{ATOM}link").get("href") == "https://jobs.example/northwind/k1"
    assert feed.findtext(f"{ATOM}id") != ET.fromstring(client.get("/feed?skill=Kafka").content).findtext(f"{ATOM}id")
    assert client.get("/feed?workplace=moon").status_code == 422


def test_openapi_document_lists_the_api_and_its_filters(catalog):
    client, _ = catalog
    doc = client.get("/openapi.json").json()
    assert {"/api/postings", "/api/postings/{posting_id}", "/api/stats", "/api/skills", "/feed"} <= set(doc["paths"])
    assert "/" not in doc["paths"] and "/stats" not in doc["paths"]  # pages are not API
    params = {p["name"]: p for p in doc["paths"]["/api/postings"]["get"]["parameters"]}
    assert {"skill", "min_pay", "posted_since", "include_closed", "limit", "cursor", "sort"} <= set(params)
    assert params["workplace"]["schema"]["items"]["enum"] == ["remote", "hybrid", "onsite"]
    assert params["include_closed"]["schema"]["type"] == "boolean"
    # nothing from a CDN: the interactive docs pages (which load scripts from one) are off
    assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404


def test_search_page_shows_results_facets_and_paging_links(catalog):
    client, ids = catalog
    page = client.get("/?skill=Go")
    assert page.status_code == 200
    text = page.text
    assert 'id="result-count" data-count="2"' in text
    assert f'href="/postings/{ids["k1"]}"' in text and f'href="/postings/{ids["k3"]}"' in text
    assert f'href="/postings/{ids["k2"]}"' not in text
    # facets over the filtered set, each a link that adds its value to the search
    assert re.search(r'href="/\?skill=Go&amp;skill=Apache\+Kafka">Apache Kafka</a> <span class="n">1</span>', text)
    assert re.search(r'href="/\?skill=Go&amp;workplace=onsite">onsite</a> <span class="n">1</span>', text)
    assert re.search(r'href="/\?skill=Go&amp;country=GB">GB</a> <span class="n">1</span>', text)
    # the chosen value links back to the search without it
    assert re.search(r'<a href="/" class="chosen" title="remove this filter">Go</a>', text)
    assert 'href="/feed?skill=Go"' in text and 'type="application/atom+xml"' in text
    assert '<option value="Kubernetes">' in text  # skill autocomplete from the taxonomy
    assert 'name="skill" list="skill-names" value="Go"' in text  # the form keeps the search


def test_search_page_pages(db_url):
    build_many(db_url, 45)
    with client_for(db_url) as client:
        first = client.get("/").text
        assert 'data-count="45"' in first and "page 1 of 3" in first and 'href="/?page=2"' in first
        assert "prev-page" not in first
        third = client.get("/?page=3").text
        assert "Engineer 005" in third and "Engineer 006" not in third and "next-page" not in third
        assert client.get("/?page=0").status_code == 422


def test_search_page_bad_input_shows_the_message(catalog):
    client, _ = catalog
    response = client.get("/?min_pay=lots")
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]
    assert "min_pay" in response.text and "lots" in response.text
    assert 'name="min_pay"' in response.text and 'name="skill"' in response.text  # the form, to fix it there


def test_posting_page_sanitizes_the_description(catalog):
    client, ids = catalog
    page = client.get(f"/postings/{ids['k1']}")
    assert page.status_code == 200
    description = page.text.split('id="description"', 1)[1]
    assert "<h2>About the team</h2>" in description and "<li>Go services</li>" in description
    assert (
        'href="https://northwind.example/team"' in description and 'rel="nofollow noopener noreferrer"' in description
    )
    lowered = description.lower()
    for banned in ("<script", "onclick", "onerror", "<img", "<iframe", "javascript:", "<style", "tracker.example"):
        assert banned not in lowered, banned
    assert "document.title" not in description and "display: none" not in description
    assert page.headers["content-security-policy"].startswith("default-src 'none'")


def test_posting_page_shows_apply_sources_pay_skills_and_history(catalog):
    client, ids = catalog
    text = client.get(f"/postings/{ids['k1']}").text
    assert re.search(r'<a class="apply-link primary" href="https://jobs.example/northwind/k1"', text)
    assert text.count("<td>greenhouse</td>") == 2 and "<td>northwind-eu</td>" in text
    assert "USD 160,000–210,000 / year" in text  # the text `jobscout show` prints (storage.fx.money)
    assert '<td>PostgreSQL</td><td><q class="evidence">postgresql</q></td>' in text
    assert re.search(r"<td>pay <span class=\"tag\">raised</span></td>", text)
    plain = client.get(f"/postings/{ids['k2']}").text  # no markup in the payload: the stored text
    assert "<p>API Developer at Contoso.</p>" in plain
    assert client.get("/postings/424242").status_code == 404


def test_stats_page_draws_bars_with_their_counts(catalog):
    client, _ = catalog
    text = client.get("/stats?workplace=remote").text
    assert 'id="stats-total" data-count="2"' in text
    skills = dict(
        re.findall(
            r'<g class="bar-row"[^>]*data-label="([^"]+)" data-count="(\d+)"',
            text.split('id="chart-skills"')[1].split("</svg>")[0],
        )
    )
    assert skills == {"Go": "1", "PostgreSQL": "1", "Kubernetes": "1", "Python": "1"}
    usd = text.split('id="chart-pay-USD"')[1].split("</svg>")[0]
    assert "p25 144k · p50 158k · p75 171k · n=2" in usd  # k4 130k and k1 185k (the middles of their ranges)
    assert "<script" not in text


def test_loopback_server_refuses_other_host_names(db_url):
    build_catalog(db_url)
    engine, _ = open_database(db_url)
    app = create_app(read_only_session_factory(engine), dialect=engine.dialect.name, allowed_hosts=["127.0.0.1"])
    with TestClient(app, base_url="http://127.0.0.1:8000") as local:
        assert local.get("/api/postings").status_code == 200
    with TestClient(app, base_url="http://rebound.example") as remote:
        assert remote.get("/api/postings").status_code == 400
