"""Pinpoint, Breezy, BambooHR and Teamtailor end to end: the real ``jobscout crawl`` in a subprocess
(tests/crawling.py) against a local server in the mirror layout (``--base-url URL``: ``{URL}/{board}/<the real
path>``), a re-crawl that adds nothing, ``jobscout query`` reading structured pay back, and ``jobscout sources``
listing the platforms with their registered boards. The spiders' contracts are tested in-process
(tests/test_spider_{pinpoint,breezy,bamboohr,teamtailor}.py)."""

from __future__ import annotations

import json

from tests import crawling
from tests.crawling import FIXTURES, run_jobscout

CRAWLS = (
    ("pinpoint", "dunder", 3),
    ("breezy", "initech", 3),
    ("bamboohr", "globex", 3),
    ("teamtailor", "vandelay", 3),
)


def serve(http_server) -> None:
    http_server.add("/dunder/postings.json", FIXTURES / "pinpoint" / "dunder.json")
    http_server.add("/initech/json", FIXTURES / "breezy" / "initech.json")
    http_server.add("/globex/careers/list", FIXTURES / "bamboohr" / "globex-list.json")
    for external_id in ("12", "15", "19"):
        http_server.add(
            f"/globex/careers/{external_id}/detail", FIXTURES / "bamboohr" / f"globex-detail-{external_id}.json"
        )
    http_server.add("/vandelay/jobs.json", FIXTURES / "teamtailor" / "vandelay.json")


def test_four_platforms_crawl_recrawl_and_query(http_server, db_url, tmp_path):
    serve(http_server)
    crawling.crawl_and_recrawl(CRAWLS, http_server, tmp_path, db_url)

    by_title = {p["title"]: p for p in crawling.query_json(db_url, tmp_path, "--all-roles")}
    pinpoint = by_title["Senior Backend Engineer (Go)"]
    assert (pinpoint["source"], pinpoint["pay"]["min"], pinpoint["pay"]["currency"]) == ("pinpoint", 72000, "EUR")
    assert pinpoint["provenance"]["pay"] == "structured"
    teamtailor = by_title["Backend Engineer (Kotlin)"]
    assert (teamtailor["source"], teamtailor["pay"]["max"], teamtailor["pay"]["period"]) == (
        "teamtailor",
        65000,
        "month",
    )
    assert teamtailor["provenance"]["pay"] == "structured"
    # free-text pay fields: read by the pay parser
    breezy = by_title["Backend Engineer (Python)"]
    assert (breezy["source"], breezy["pay"]["max"], breezy["provenance"]["pay"]) == ("breezy", 155000, "text")
    bamboohr = by_title["Senior Backend Engineer"]
    assert (bamboohr["source"], bamboohr["pay"]["min"], bamboohr["workplace"]) == ("bamboohr", 140000, "hybrid")
    backend = {p["title"] for p in crawling.query_json(db_url, tmp_path)}
    assert {"Senior Backend Engineer (Go)", "Backend Engineer (Python)", "Senior Backend Engineer"} <= backend


def test_sources_lists_the_platforms_with_their_boards(tmp_path, sqlite_url):
    result = run_jobscout("sources", "--format", "json", home=tmp_path, db_url=sqlite_url)
    assert result.returncode == 0, result.stderr
    rows = {row["source"]: row for row in json.loads(result.stdout)}
    # tests/data/registry.csv: one board each, two for Teamtailor (one on its own domain), all active
    for source, endpoint, boards in (
        ("pinpoint", "https://{company}.pinpointhq.com", 1),
        ("breezy", "https://{company}.breezy.hr", 1),
        ("bamboohr", "https://{company}.bamboohr.com", 1),
        ("teamtailor", "https://{company}.teamtailor.com", 2),
    ):
        row = rows[source]
        assert (row["endpoint"], row["kind"], row["needs_boards"]) == (endpoint, "full snapshot", True)
        assert row["boards"] == {"active": boards, "unverified": 0, "gone": 0, "removed": 0}
