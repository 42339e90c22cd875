"""We Work Remotely: ``parse_feed`` (safe RSS parsing) and the item mapper; corpus contract over the raw feeds."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.weworkremotely import FeedError, map_posting, parse_feed, posting_id, split_title
from tests.corpus import require_corpus

ITEM = """
    <item>
      <media:content url="https://wwr-pro.s3.amazonaws.com/logos/0099/0001/logo.gif" type="image/png"/>
      <title>Saltmarsh Analytics: Senior Backend Engineer</title>
      <region>USA Only</region>
      <country>United States</country>
      <state></state>
      <skills>Go, PostgreSQL</skills>
      <category>Back-End Programming</category>
      <type>Full-Time</type>
      <description>&lt;p&gt;
  &lt;strong&gt;Headquarters:&lt;/strong&gt; Portland, OR
&lt;/p&gt;&lt;div&gt;Go services &amp;amp; PostgreSQL.&lt;/div&gt;</description>
      <pubDate>Wed, 12 Aug 2026 16:20:00 +0000</pubDate>
      <expires_at>Fri, 11 Sep 2026 16:20:00 +0000</expires_at>
      <guid>https://weworkremotely.com/remote-jobs/saltmarsh-analytics-senior-backend-engineer</guid>
      <link>https://weworkremotely.com/remote-jobs/saltmarsh-analytics-senior-backend-engineer</link>
    </item>"""


def feed(*items: str, prolog: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"{prolog}"
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss">\n'
        "  <channel>\n    <title>We Work Remotely: Back-End Programming Jobs</title>\n"
        "    <link>https://weworkremotely.com/categories/remote-back-end-programming-jobs.rss</link>\n"
        f"{''.join(items)}\n  </channel>\n</rss>\n"
    ).encode()


def item(**fields) -> dict:
    [parsed] = parse_feed(feed(ITEM))
    parsed.update(fields)
    return parsed


def test_parse_feed_reads_every_item_field():
    [parsed] = parse_feed(feed(ITEM))
    assert parsed["title"] == "Saltmarsh Analytics: Senior Backend Engineer"
    assert parsed["region"] == "USA Only"
    assert parsed["type"] == "Full-Time"
    assert parsed["category"] == "Back-End Programming"
    assert parsed["skills"] == "Go, PostgreSQL"
    assert parsed["state"] is None
    assert parsed["media_content"] == "https://wwr-pro.s3.amazonaws.com/logos/0099/0001/logo.gif"
    assert parsed["description"].startswith("<p>\n  <strong>Headquarters:</strong>")  # HTML once parsed
    assert "Go services &amp; PostgreSQL." in parsed["description"]
    assert parsed["guid"] == parsed["link"]


def test_parse_feed_of_an_empty_channel():
    assert parse_feed(feed()) == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"   ", "empty body"),
        (feed(ITEM)[:-40], "malformed XML"),  # truncated
        (b"<html><body>Bad gateway</body></html>", "not an RSS feed"),
        (b'{"jobs": []}', "malformed XML"),
        (feed(ITEM).replace(b"Senior Backend", b"Senior &nbsp; Backend"), "malformed XML"),  # undeclared entity
    ],
)
def test_unreadable_feeds_raise_feed_error(body, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(body)


BILLION_LAUGHS = (
    "<!DOCTYPE rss [\n"
    ' <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + "]>\n"
)
EXTERNAL = '<!DOCTYPE rss [\n <!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
QUADRATIC = f'<!DOCTYPE rss [\n <!ENTITY big "{"x" * 50_000}">\n]>\n'


@pytest.mark.parametrize(
    ("prolog", "reference"), [(BILLION_LAUGHS, "&lol9;"), (EXTERNAL, "&xxe;"), (QUADRATIC, "&big;" * 2000)]
)
def test_entity_declarations_are_refused_not_expanded(prolog, reference):
    body = feed(ITEM.replace("Senior Backend Engineer", f"Senior {reference}"), prolog=prolog)
    with pytest.raises(FeedError, match="entit"):
        parse_feed(body)


def test_entity_declarations_hidden_from_the_prefilter_are_refused_too():
    """A DOCTYPE the byte check cannot see (UTF-16) still meets lxml with expansion off and the DTD check."""
    body = feed(ITEM.replace("Senior Backend Engineer", "Senior &xxe;"), prolog=EXTERNAL).decode()
    body = body.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    with pytest.raises(FeedError):
        parse_feed(body)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Saltmarsh Analytics: Senior Backend Engineer", ("Saltmarsh Analytics", "Senior Backend Engineer")),
        ("Proxy AB: Python Engineer: Long-term", ("Proxy AB", "Python Engineer: Long-term")),
        (
            "Copperline : Wanted: Rails dev [remote – Americas] ",
            ("Copperline", "Wanted: Rails dev [remote – Americas]"),
        ),
        ("Clevertech: Senior DevOps Engineer ", ("Clevertech", "Senior DevOps Engineer")),
        ("10:10 Labs: Go Engineer", ("10:10 Labs", "Go Engineer")),
        ("Kestrel & Finch: Product Designer", ("Kestrel & Finch", "Product Designer")),
        ("No company here", (None, "No company here")),
        ("Trailing colon:", (None, "Trailing colon:")),
        (": Role only", (None, ": Role only")),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_title(title, expected):
    assert split_title(title) == expected


def test_a_full_item():
    f = map_posting(item(), "remote-back-end-programming-jobs")
    assert (f.company, f.title) == ("Saltmarsh Analytics", "Senior Backend Engineer")
    assert f.external_id == "remote-jobs/saltmarsh-analytics-senior-backend-engineer"
    assert (
        f.url == f.apply_url == "https://weworkremotely.com/remote-jobs/saltmarsh-analytics-senior-backend-engineer"
    )
    assert f.locations == ["USA Only"]
    assert f.remote_regions == ["US"]
    assert f.workplace == "remote"
    assert f.employment_type == "Full-Time"
    assert f.posted_at == datetime(2026, 8, 12, 16, 20, tzinfo=UTC)
    assert f.valid_through == datetime(2026, 9, 11, 16, 20, tzinfo=UTC)
    assert f.tags == ["Go", "PostgreSQL"]
    assert "Headquarters" in f.description_html


@pytest.mark.parametrize(
    ("fields", "attribute", "expected"),
    [
        ({"region": None}, "locations", []),
        ({"region": None}, "remote_regions", []),
        ({"region": "Anywhere in the World"}, "remote_regions", ["Worldwide"]),
        ({"region": "Latin America Only"}, "remote_regions", ["LATAM"]),
        ({"region": "Anywhere in the World"}, "locations", ["Anywhere in the World"]),
        ({"skills": None}, "tags", []),
        ({"skills": "Cryptocurrency"}, "tags", ["Cryptocurrency"]),
        ({"type": "Contract"}, "employment_type", "Contract"),
        ({"type": None}, "employment_type", None),
        ({"pubDate": "Mon, 07 Nov 2022 13:53:59 +0100"}, "posted_at", datetime(2022, 11, 7, 12, 53, 59, tzinfo=UTC)),
        ({"pubDate": "2026-08-12T16:20:00Z"}, "posted_at", datetime(2026, 8, 12, 16, 20, tzinfo=UTC)),
        ({"pubDate": "yesterday"}, "posted_at", None),
        ({"expires_at": None}, "valid_through", None),
        ({"guid": "https://weworkremotely.com/jobs/1080", "link": None}, "external_id", "jobs/1080"),
        ({"guid": "http://weworkremotely.com/jobs/1080"}, "external_id", "jobs/1080"),  # scheme-independent
        ({"guid": "wwr-1080"}, "external_id", "wwr-1080"),
        ({"guid": None}, "external_id", "remote-jobs/saltmarsh-analytics-senior-backend-engineer"),
        ({"link": None}, "url", "https://weworkremotely.com/remote-jobs/saltmarsh-analytics-senior-backend-engineer"),
        ({"description": None}, "description_html", None),
    ],
)
def test_field_table(fields, attribute, expected):
    assert getattr(map_posting(item(**fields), "remote-back-end-programming-jobs"), attribute) == expected


@pytest.mark.parametrize("payload", [item(guid=None, link=None), item(guid="", link=" "), ["x"], None, "<item/>"])
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "remote-back-end-programming-jobs")


def test_posting_id_matches_the_mapper():
    assert posting_id(item()) == map_posting(item(), "b").external_id
    assert posting_id({"title": "x"}) is None


def test_region_becomes_remote_regions():
    posting = normalize({"source": "weworkremotely", "board": "b", "payload": item(region="Europe Only")})
    assert posting.workplace == "remote" and posting.remote_regions == ["Europe"]
    assert posting.company == "Saltmarsh Analytics" and posting.employment_type == "full_time"


RECORDED = {
    "maentx_wwr-stats-collector__feeds_remote-devops-sysadmin-jobs.rss": 30,
    "maentx_wwr-stats-collector__feeds_remote-full-stack-programming-jobs.rss": 125,
    "maentx_wwr-stats-collector__feeds_remote-jobs.rss": 100,
    "ikevinxie_remote-jobs-collector__tests_fixtures_wwr.xml": 4,  # trimmed 2026 feed with country/state/skills
}
# Not raw feeds, so not part of the contract: lcarlini_...weworkremotely-jobs.json (reshaped into JSON by an
# aggregator) and turingschool_...jobs_2_from_url.yml (a 2014 body inside a Ruby VCR YAML cassette).


@pytest.mark.parametrize(("name", "count"), sorted(RECORDED.items()))
def test_contract_every_recorded_feed_parses_maps_and_normalizes(name, count):
    items = parse_feed(require_corpus("sources", "rss", name).read_bytes())
    postings = [normalize({"source": "weworkremotely", "board": "b", "payload": i}) for i in items]
    assert len(postings) == count
    assert all(p.title and p.company and p.workplace == "remote" and p.posted_at for p in postings)
    assert len({p.external_id for p in postings}) == count


# The feed's dates: WWR's own form read by a pattern, every other through email.utils (tests/
# weworkremotely_reference.py, the code before): the same datetime, or None, for each.
@pytest.mark.parametrize(
    "value",
    [
        "Tue, 03 Mar 2026 08:05:09 +0000",
        "Sat, 29 Feb 2028 23:59:59 -0730",
        "Thu, 1 Jan 2026 00:00:00 +1400",
        "Sun, 31 Dec 2023 22:10:00 -0000",
        "31 Dec 2023 22:10:00 +0200",  # no weekday
        "Xyz, 05 Jun 2024 10:00:00 +0000",  # a weekday that is not one
        "  Mon, 05 Jun 2024 10:00:00 +0000  ",
        "Fri, 31 Apr 2026 10:00:00 +0000",  # no such day
        "Fri, 30 Apr 2026 24:00:00 +0000",  # no such hour
        "Fri, 30 Apr 2026 23:59:60 +0000",  # a leap second
        "Fri, 30 Apr 2026 10:00:00 +2400",  # no such offset
        "Fri, 30 Apr 2026 10:00:00 +0175",  # 75 minutes
        "Fri, 30 Apr 0099 10:00:00 +0000",  # email.utils makes this 1999
        "Fri, 30 Apr 26 10:00:00 +0000",
        "Fri, 30 apr 2026 10:00:00 +0000",
        "Fri, 30 Apr 2026 10:00 +0000",
        "Fri, 30 Apr 2026 10:00:00 GMT",
        "Fri, 30 Apr 2026 10:00:00 EST",
        "Fri,  30 Apr 2026 10:00:00 +0000",
        "Fri, \u0663\u0660 Apr 2026 10:00:00 +0000",  # Arabic-Indic digits
        "2026-04-30T10:00:00Z",
        "2026-04-30",
        "last Friday",
        "",
        "   ",
        None,
        1777543200,
    ],
)
def test_rfc822_dates_read_as_email_utils_reads_them(value):
    from pipeline.sources.weworkremotely import _rfc822
    from tests.weworkremotely_reference import reference_rfc822

    assert _rfc822(value) == reference_rfc822(value)


@settings(max_examples=500, deadline=None)
@given(
    day=st.integers(0, 40),
    month=st.sampled_from(["Jan", "Feb", "Jun", "Sep", "Dec", "jan", "Foo"]),
    year=st.integers(0, 9999),
    clock=st.tuples(st.integers(0, 70), st.integers(0, 70), st.integers(0, 70)),
    sign=st.sampled_from("+-"),
    offset=st.integers(0, 9999),
    weekday=st.sampled_from(["Mon, ", "Sun, ", "", "Abc, "]),
)
def test_rfc822_dates_agree_with_email_utils(day, month, year, clock, sign, offset, weekday):
    from pipeline.sources.weworkremotely import _rfc822
    from tests.weworkremotely_reference import reference_rfc822

    hour, minute, second = clock
    value = f"{weekday}{day:02d} {month} {year:04d} {hour:02d}:{minute:02d}:{second:02d} {sign}{offset:04d}"
    assert _rfc822(value) == reference_rfc822(value)


@pytest.mark.corpus
def test_rfc822_dates_of_the_corpus_read_as_email_utils_reads_them():
    from bench.corpus import load_corpus
    from pipeline.sources.weworkremotely import _rfc822
    from tests.weworkremotely_reference import reference_rfc822

    items = [raw["payload"] for raw in load_corpus(require_corpus()).postings if raw["source"] == "weworkremotely"]
    assert len(items) > 100
    for item in items:
        for key in ("pubDate", "expires_at"):
            assert _rfc822(item.get(key)) == reference_rfc822(item.get(key)), item.get(key)
