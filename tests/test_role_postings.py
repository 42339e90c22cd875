"""bench.role_postings: the bodies the role filter's held-out labels name, read from a small corpus built here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.role_postings import corpus_postings

FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>feed</title>
<item><title>Quillwork: Platform Engineer</title>
<link>https://weworkremotely.com/remote-jobs/quillwork-platform-engineer</link>
<guid>https://weworkremotely.com/remote-jobs/quillwork-platform-engineer</guid>
<description>&lt;p&gt;Run our queues and services.&lt;/p&gt;</description>
<pubDate>Mon, 03 Aug 2026 10:00:00 +0000</pubDate>
</item></channel></rss>
"""


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    entries = {
        "101": {"id": "101", "author": "a", "commentBody": "<p>Tallyho | Backend Engineer | Remote</p><p>Go.</p>"}
    }
    _write(root, "sources/hn/someone__thread_entries.json", json.dumps({"entries": entries, "metadata": {}}))
    hits = {
        "hits": [{"objectID": "202", "comment_text": "Brightloom | Site Reliability Engineer | Oslo<p>On call.</p>"}]
    }
    _write(root, "sources/hn/someone__fixture_hits.json", json.dumps(hits))
    _write(root, "sources/hn/someone__runs_classified.json", json.dumps({"jobs": [{"id": 303}]}))
    _write(root, "sources/rss/someone__feed.xml", FEED)
    cassette = (
        "http_interactions:\n- response:\n    body:\n      string: "
        + json.dumps(FEED.replace("Platform", "Data"))
        + "\n"
    )
    _write(root, "sources/rss/someone__cassette.yml", cassette)
    _write(
        root,
        "sources/workable/someone__v3.json",
        json.dumps({"results": [{"shortcode": "AB12", "title": "Pharmacist"}]}),
    )
    _write(root, "sources/other/someone__simplify_list.json", json.dumps([{"id": "s-1", "title": "Software Intern"}]))
    _write(root, "sources/jobvite/someone__list.html", '<a href="/acme/job/oXyZ">Manager, Payroll &amp; Benefits</a>')
    page = {"props": {"pageProps": {"initialState": {"jobs": {"items": [{"id": 77, "title": "Barista"}]}}}}}
    _write(
        root, "sources/join/someone__page.html", f'<script id="__NEXT_DATA__" type="x">{json.dumps(page)}</script>'
    )
    ads = [{"split": "dev", "idx": 4, "title": "Kotlin Developer", "text": "Kotlin Developer\nServices on the JVM."}]
    _write(root, "eval/skills_skillspan_tech_dev.jsonl", "\n".join(json.dumps(a) for a in ads) + "\n")
    return root


def test_reads_the_bodies_the_earlier_readers_skipped(corpus: Path) -> None:
    postings = corpus_postings(corpus)
    titles = {ref: p.title for ref, p in postings.items()}
    assert "Backend Engineer" in titles["hn/someone__thread_entries.json#101"]
    assert "Site Reliability Engineer" in titles["hn/someone__fixture_hits.json#202"]
    assert not any(ref.startswith("hn/someone__runs_classified.json") for ref in titles)  # no text to read
    wwr = {ref: title for ref, title in titles.items() if ref.startswith("rss/")}
    assert [t for r, t in wwr.items() if r.startswith("rss/someone__feed.xml#")] == ["Platform Engineer"]
    assert [t for r, t in wwr.items() if r.startswith("rss/someone__cassette.yml#")] == ["Data Engineer"]
    assert titles["workable/someone__v3.json#AB12"] == "Pharmacist"
    assert titles["other/someone__simplify_list.json#s-1"] == "Software Intern"
    assert titles["jobvite/someone__list.html#oXyZ"] == "Manager, Payroll & Benefits"
    assert titles["join/someone__page.html#77"] == "Barista"
    ad = postings["../eval/skills_skillspan_tech_dev.jsonl#dev-4"]
    assert (ad.title, "JVM" in ad.text) == ("Kotlin Developer", True)


def test_title_only_bodies_carry_no_text(corpus: Path) -> None:
    postings = corpus_postings(corpus)
    assert postings["workable/someone__v3.json#AB12"].text == ""
    assert postings["jobvite/someone__list.html#oXyZ"].text == ""
