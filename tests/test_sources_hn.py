"""HN "Who is hiring?" comments: first-line parsing, text conversion, mapping, and a contract check over the
recorded threads in the shared corpus."""

from __future__ import annotations

import json

import pytest

from crawler.spiders.hn import pick_hiring_thread
from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.hn import _shorten, comment_to_text, is_deleted, map_posting, parse_header
from tests.corpus import require_corpus

LINE = object()  # the expected title is the first line itself (no role named)


def hit(text: str | None, object_id: str = "47000101", **extra) -> dict:
    return {"objectID": object_id, "comment_text": text, "created_at_i": 1772460000, "parent_id": 1, **extra}


# (first line, company, title, locations, workplace hint, employment hint)
HEADERS = [
    (
        "Quillbyte | Senior Backend Engineer | Berlin, Germany | REMOTE | Full-time",
        "Quillbyte", "Senior Backend Engineer", ["Berlin, Germany"], "remote", "Full-time",
    ),
    (
        "Hike Medical | Boston (ONSITE) | Senior+ Software Engineer",
        "Hike Medical", "Senior+ Software Engineer", ["Boston (ONSITE)"], "onsite", None,
    ),
    (
        "Enveritas (YC S18, non-profit) | Backend Software Engineer | Remote (Global) | https://enveritas.org/jobs/",
        "Enveritas", "Backend Software Engineer", ["Remote (Global)"], "remote", None,
    ),
    (
        "Happy Returns (UPS) | Software Engineer | Remote (US) | Full-time",
        "Happy Returns (UPS)", "Software Engineer", ["Remote (US)"], "remote", "Full-time",
    ),
    (
        "Atomscale | Software Engineer, Full Stack | Boston, MA (Hybrid Onsite) | https://atomscale.ai",
        "Atomscale", "Software Engineer, Full Stack", ["Boston, MA (Hybrid Onsite)"], "hybrid", None,
    ),
    (
        "Qase | Developer Advocate | Technical Customer Support Specialist | REMOTE | Full-time",
        "Qase", "Developer Advocate / Technical Customer Support Specialist", [], "remote", "Full-time",
    ),
    (
        "Baseten Labs | San Francisco, New York |ONSITE, REMOTE, HYBRID | VISA SPONSORSHIP",
        "Baseten Labs", LINE, ["San Francisco, New York"], "remote", None,
    ),
    (
        "Xledger | Mid/Senior Software Engineer | Colorado Springs, CO | ONSITE NO-VISA | 90K - 150K",
        "Xledger", "Mid/Senior Software Engineer", ["Colorado Springs, CO"], "onsite", None,
    ),
    (
        "Ro | NYC | Hybrid/Onsite | Full Time",
        "Ro", LINE, ["NYC"], "hybrid", "Full Time",
    ),
    (  # dash-separated (older threads)
        "Old Mission Capital - Chicago, IL - QA Engineer - No remote",
        "Old Mission Capital", "QA Engineer", ["Chicago, IL"], "onsite", None,
    ),
    (
        "Notion – San Francisco",
        "Notion", LINE, ["San Francisco"], None, None,
    ),
    (  # slash-separated; a bare slash inside a field does not split
        "Orbital Freight / Platform Engineer / Munich/Remote / Contract",
        "Orbital Freight", "Platform Engineer", ["Munich/Remote"], "remote", "Contract",
    ),
    (  # the place comes first: the company is the next plain field
        "San Francisco, CA - Life360 - Android Developer",
        "Life360", "Android Developer", ["San Francisco, CA"], None, None,
    ),
    (
        "Kestrel | Nonprofit | Seattle",
        "Kestrel", "Nonprofit", ["Seattle"], None, None,
    ),
    (  # prose: the company it introduces ("At <Name>, we ..."), no hints from prose
        "At Grey Rhino (www.greyrhino.ai), we are a growing stealth-mode hedge fund that is fully remote.",
        "Grey Rhino", LINE, [], None, None,
    ),
    (
        "Senior PHP Engineer",
        None, "Senior PHP Engineer", [], None, None,
    ),
    (
        "Lift AI | Senior Software Engineer | Remote (US timezones) | $80-100K base + equity",
        "Lift AI", "Senior Software Engineer", ["Remote (US timezones)"], "remote", None,
    ),
]  # fmt: skip


@pytest.mark.parametrize(("line", "company", "title", "locations", "workplace", "employment"), HEADERS)
def test_first_line(line, company, title, locations, workplace, employment):
    header = parse_header(line)
    title = _shorten(line) if title is LINE else title
    assert (header.company, header.title, header.locations) == (company, title, locations)
    assert (header.workplace, header.employment) == (workplace, employment)


def test_title_from_the_body_when_the_header_names_no_role():
    text = (
        "Innolitics | US-Based | Remote | Full-time\n\nWe make medical software.\n\n- Senior Backend Engineer\n- QA"
    )
    assert parse_header(text).title == "Senior Backend Engineer"
    text = "Cloudflare | Austin | Full Time\n\nWe are hiring engineers everywhere."
    assert parse_header(text).title == "Cloudflare | Austin | Full Time"  # last resort: the first line
    long_line = "We are a small team building tools for " + "very " * 30 + "large farms."
    title = parse_header(long_line).title
    assert title.endswith("very…") and len(title) <= 121


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("A | B<p>Para one<p>Para two", "A | B\n\nPara one\n\nPara two"),
        ("Stack: Go&#x2F;Rust &amp; SQL, we&#x27;re &quot;remote&quot;", 'Stack: Go/Rust & SQL, we\'re "remote"'),
        (
            'Apply: <a href="https:&#x2F;&#x2F;x.example&#x2F;jobs" rel="nofollow">'
            "https:&#x2F;&#x2F;x.example&#x2F;jobs</a>",
            "Apply: https://x.example/jobs",
        ),
        ('<a href="https://x.example/jobs">our jobs page</a>', "our jobs page (https://x.example/jobs)"),
        ("line one\n- item\n- item two", "line one\n- item\n- item two"),
        ("<p><pre><code>  code\n</code></pre>", "code"),
        ("https://example.com/jobs", "https://example.com/jobs"),  # looks like a URL to BeautifulSoup: no warning
        ('<span class="comment"><font color="#000000">Acme - NYC<p>Hello</p></font></span>', "Acme - NYC\n\nHello"),
    ],
)
def test_comment_to_text(html, text):
    assert comment_to_text(html) == text


def test_map_posting_fields():
    payload = hit(
        "Quillbyte | Senior Backend Engineer | Remote (EU) | 90K - 150K<p>We use Go and PostgreSQL.",
        author="qb",
        story_id=1,
    )
    fields = map_posting(payload, "1")
    assert fields.external_id == "47000101"
    assert fields.url == "https://news.ycombinator.com/item?id=47000101"
    assert fields.posted_at.isoformat() == "2026-03-02T14:00:00+00:00"
    assert (fields.company, fields.title, fields.workplace) == ("Quillbyte", "Senior Backend Engineer", "remote")
    assert fields.description_text.startswith("Quillbyte | Senior Backend Engineer |")
    assert fields.description_text.endswith("\n\nPay: 90K - 150K")  # a pay field without currency, cue added
    assert fields.pay == []  # amounts are the text parser's job


def test_normalized_pay_comes_from_the_text():
    posting = normalize(
        {"source": "hn", "board": "1", "payload": hit("Acme | Backend Engineer | NYC | $150k-$200k<p>Python.")}
    )
    assert (posting.pay.min, posting.pay.max, posting.pay.currency) == (150000, 200000, "USD")
    assert posting.provenance["pay"] == "text"


@pytest.mark.parametrize(
    ("payload", "deleted"),
    [
        (hit(None), True),
        (hit(""), True),
        (hit("   "), True),
        (hit("[deleted]"), True),
        (hit("[dead]"), True),
        (hit("Acme | Engineer", dead=True), True),
        (hit("Acme | Engineer", deleted=True), True),
        (hit("Acme | Engineer"), False),
    ],
)
def test_deleted_or_empty(payload, deleted):
    assert is_deleted(payload) is deleted


def test_payload_without_object_id_is_a_mapping_error():
    with pytest.raises(MappingError):
        map_posting({"comment_text": "Acme | Engineer"}, "1")


def _algolia(name: str) -> list[dict]:
    return json.loads(require_corpus("sources", "hn", name).read_text(encoding="utf-8"))["hits"]


def _gantryops() -> list[dict]:
    """Reshaped {id, by, time, text} items of the Feb 2026 thread, put back in Algolia hit form."""
    data = json.loads(
        require_corpus("sources", "hn", "gantryops_hn-jobs-data__runs_2026-02-01_raw.json").read_text("utf-8")
    )
    story = data["sources"]["who_is_hiring_thread_id"]
    return [
        {"objectID": str(j["id"]), "comment_text": j["text"], "created_at_i": j["time"], "parent_id": story}
        for j in data["jobs"]
        if j["source"] == "who_is_hiring"
    ]


def _curated_2013() -> list[dict]:
    data = json.loads(
        require_corpus("sources", "hn", "perspectivezoom_curated-hn-hiring__data_2013-10.json").read_text("utf-8")
    )
    return [{"objectID": e["id"], "comment_text": e["commentBody"], **e} for e in data["entries"].values()]


# (loader, hits, top-level comments, of which titled otherwise than by the whole first line)
CORPUS = [
    (lambda: _algolia("ikevinxie_remote-jobs-collector__tests_fixtures_hn.json"), 7, 6, 6),
    (lambda: _algolia("jarraomar_job_hunt__tests_fixtures_hn_hiring_comments.json"), 6, 1, 1),
    (_gantryops, 421, 421, 340),
    (_curated_2013, 334, 334, 146),
]


@pytest.mark.corpus
@pytest.mark.parametrize(("load", "count", "top_level", "role_titles"), CORPUS)
def test_contract_recorded_threads_map_and_normalize(load, count, top_level, role_titles):
    hits = load()
    assert len(hits) == count
    story_ids = {str(h.get("story_id")) for h in hits if h.get("story_id")}
    tops = [h for h in hits if not story_ids or str(h.get("parent_id")) in story_ids]
    assert len(tops) == top_level
    with_role = 0
    for h in hits:
        if is_deleted(h):
            continue
        posting = normalize({"source": "hn", "board": "1", "payload": h})
        assert posting.url.startswith("https://news.ycombinator.com/item?id=")
        assert posting.description_text and posting.title  # every comment with text is kept
        first_line = posting.description_text.split("\n", 1)[0]
        with_role += h in tops and posting.title != _shortened(first_line)
    assert with_role == role_titles


def _shortened(line: str) -> str:
    from pipeline.sources.hn import _shorten

    return _shorten(line)


@pytest.mark.corpus
def test_contract_company_names_against_the_curated_2013_labels():
    """Oct 2013 comments carry hand-curated company names: the header rules name few companies wrongly."""
    right = wrong = 0
    for entry in _curated_2013():
        gold = (entry.get("companyName") or "").lower()
        company = (map_posting(entry, "6475879").company or "").lower()
        if company and gold:
            right += company == gold or gold in company
            wrong += not (company == gold or gold in company)
    assert right >= 210
    assert wrong <= 10


@pytest.mark.corpus
def test_contract_latest_thread_from_a_recorded_story_search():
    hits = _algolia("jarraomar_job_hunt__tests_fixtures_hn_hiring_thread.json")
    # "Ask HN: Who is hiring right now?" (March 2020, the newest here) is not a monthly thread
    assert pick_hiring_thread(hits)["title"] == "Ask HN: Who is hiring? (February 2017)"


# Issue 19: first lines that named the wrong company or kept too long a title, in our own words.
@pytest.mark.parametrize(
    ("line", "company", "title", "locations"),
    [
        # "Role @Company in Place": a level word before " / " is half of the title
        (
            "Senior / Staff Platform Engineers @Quarkly in Boston",
            "Quarkly",
            "Senior / Staff Platform Engineers",
            ["Boston"],
        ),
        # "Company (note)": the note is a place or work mode, not the company
        ("Lumenrise (Remote EU) — Backend Engineer — Go", "Lumenrise", "Backend Engineer", ["Remote EU"]),
        # a first field that is a role or hiring talk names no company
        ("Backend Developer (Contract) | Denver, CO", None, "Backend Developer (Contract)", ["Denver, CO"]),
        ("LOOKING FOR A COFOUNDER | Austin, TX", None, None, ["Austin, TX"]),
        # prose headers name the company they start with
        (
            "Tidepool Labs is hiring engineers who love compilers and want to build the next toolchain",
            "Tidepool Labs",
            None,
            [],
        ),
        # a place field that starts with something else keeps the place
        ("Acme Observability | SRE | tracing folks in Denver | Full-time", "Acme Observability", "SRE", ["Denver"]),
    ],
)
def test_first_line_company_and_place(line, company, title, locations):
    header = parse_header(line)
    assert header.company == company
    if title is not None:
        assert header.title == title
    assert header.locations == locations
    assert header.title is None or len(header.title) <= 81


MULTI = (
    "Kelpforge | Remote (EU) | Full-time<p>We model kelp farms from satellite data; Python and Rust."
    "<p>- Senior Data Engineer - &#x20AC;90k-&#x20AC;110k<p>Owns the ingestion jobs."
    "<p>- Engineering Manager (&#x20AC;120k-&#x20AC;140k)<p>Leads six engineers.<p>Apply: jobs@kelpforge.example"
)


def test_multi_role_comment_is_one_posting_per_role():
    from pipeline.sources.hn import map_postings, posting_ids

    payload = hit(MULTI, object_id="555")
    assert posting_ids(payload) == ["555#1", "555#2"]
    roles = map_postings(payload, "1")
    assert [r.title for r in roles] == ["Senior Data Engineer", "Engineering Manager"]
    assert {r.company for r in roles} == {"Kelpforge"}
    assert all(r.locations == ["Remote (EU)"] and r.url.endswith("id=555") for r in roles)
    assert [r.requisition_id for r in roles] == ["555#1", "555#2"]
    assert "Leads six engineers" not in roles[0].description_text
    assert "Owns the ingestion jobs" not in roles[1].description_text
    assert "Python and Rust" in roles[1].description_text  # the introduction is shared


def test_each_role_is_rebuilt_from_the_same_payload_by_its_external_id():
    payload = hit(MULTI, object_id="555")
    first, second = (
        normalize({"source": "hn", "board": "1", "external_id": f"555#{n}", "payload": payload}) for n in (1, 2)
    )
    assert (first.title, first.external_id, first.seniority) == ("Senior Data Engineer", "555#1", "senior")
    assert (second.title, second.seniority) == ("Engineering Manager", "manager")
    assert (first.pay.min, first.pay.max, first.pay.currency) == (90000, 110000, "EUR")
    assert (second.pay.min, second.pay.max) == (120000, 140000)
    # the comment itself (no role suffix) is still one posting: jobscout normalize and older stored rows
    whole = normalize({"source": "hn", "board": "1", "external_id": "555", "payload": payload})
    assert whole.external_id == "555"
    with pytest.raises(MappingError):
        normalize({"source": "hn", "board": "1", "external_id": "555#3", "payload": payload})


@pytest.mark.parametrize(
    "html",
    [
        # roles without their own pay, or a single priced role: one posting
        "Acme | Remote<p>- Senior Backend Engineer<p>- Staff Engineer",
        "Acme | Remote<p>- Senior Backend Engineer - $150k<p>We use Go.",
        # responsibilities that mention engineers and money are no role lines
        "Acme | Remote<p>You will mentor engineers and manage a $2M budget.<p>You will hire engineers for $0 fees.",
    ],
)
def test_comments_that_stay_one_posting(html):
    from pipeline.sources.hn import posting_ids

    assert posting_ids(hit(html, object_id="9")) == ["9"]


def test_one_header_line_per_role():
    from pipeline.sources.hn import map_postings

    html = (
        "Gridwell | Director of Engineering | Full-time | REMOTE (US) | $230k<p>"
        "Gridwell | Senior Engineer | Full-time | REMOTE (US) | $170k<p>We balance the power grid."
    )
    roles = map_postings(hit(html, object_id="77"), "1")
    assert [r.title for r in roles] == ["Director of Engineering", "Senior Engineer"]
    assert "$170k" not in roles[0].description_text and "$230k" not in roles[1].description_text
