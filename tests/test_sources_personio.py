"""Personio mapper and feed parser: XML in the recorded ``<workzag-jobs>`` format -> position dicts ->
SourceFields; the recorded feeds in the corpus parse, map and normalize without an exception."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.personio import FeedError, employment_hint, map_posting, parse_feed
from tests.corpus import require_corpus

FEED = b"""<?xml version="1.0" encoding="UTF-8"?>
<workzag-jobs>
  <position>
    <id>555001</id>
    <subcompany>Kramerica GmbH</subcompany>
    <office>Cologne</office>
    <additionalOffices><office>Bonn</office><office>Cologne</office></additionalOffices>
    <department>Platform</department>
    <name>Backend Engineer (Go)</name>
    <jobDescriptions>
      <jobDescription><name>Your tasks</name>
        <value><![CDATA[<p>Build the <b>order</b> API.</p>]]></value></jobDescription>
      <jobDescription><name>Your profile</name>
        <value><![CDATA[<ul><li>Go &amp; SQL</li></ul>]]></value></jobDescription>
      <jobDescription><name>Empty</name><value><![CDATA[  ]]></value></jobDescription>
    </jobDescriptions>
    <employmentType>permanent</employmentType>
    <seniority>entry-level</seniority>
    <schedule>part-time</schedule>
    <keywords>Go, SQL,,Kafka</keywords>
    <createdAt>2026-11-05T09:00:00+01:00</createdAt>
    <salaryInformation><min>48000.00</min><max>56000.00</max><currencySymbol>&#8364;</currencySymbol><currencyCode>EUR</currencyCode><type>yearly</type></salaryInformation>
  </position>
  <position>
    <id>555002</id>
    <office>Remote</office>
    <name>Support Specialist</name>
    <employmentType>freelance</employmentType>
    <createdAt>2026-10-01T00:00:00+00:00</createdAt>
  </position>
</workzag-jobs>"""


def test_feed_positions():
    first, second = parse_feed(FEED)
    assert first["id"] == "555001" and first["additionalOffices"] == ["Bonn", "Cologne"]
    assert [d["name"] for d in first["jobDescriptions"]] == ["Your tasks", "Your profile", "Empty"]
    assert first["salaryInformation"]["currencySymbol"] == "€"
    assert second == {
        "id": "555002",
        "office": "Remote",
        "name": "Support Specialist",
        "employmentType": "freelance",
        "createdAt": "2026-10-01T00:00:00+00:00",
    }


def test_mapped_fields():
    fields = map_posting(parse_feed(FEED)[0], "kramerica")
    assert (fields.external_id, fields.title, fields.company) == ("555001", "Backend Engineer (Go)", "Kramerica GmbH")
    assert fields.locations == ["Cologne", "Bonn"]
    assert fields.posted_at == datetime(2026, 11, 5, 8, 0, tzinfo=UTC)
    assert fields.employment_type == "permanent, part-time"
    assert fields.seniority == "junior"
    assert fields.tags == ["Go", "SQL", "Kafka"] and fields.department == "Platform"
    [pay] = fields.pay
    assert (pay.min, pay.max, pay.currency, pay.period, pay.annual_max) == (48000, 56000, "EUR", "year", 56000)
    html = fields.description_html
    assert html.index("<h3>Your tasks</h3>") < html.index("order") < html.index("<h3>Your profile</h3>")
    assert "Empty" not in html
    other = map_posting(parse_feed(FEED)[1], "kramerica")
    assert (other.company, other.locations, other.description_html, other.pay) == ("kramerica", ["Remote"], None, [])


@pytest.mark.parametrize(
    ("employment_type", "schedule", "expected"),
    [
        ("permanent", "full-time", "permanent, full-time"),
        ("permanent", "full-or-part-time", "permanent"),
        ("intern", "part-time", "intern, part-time"),
        (None, "part-time", "part-time"),
        (None, None, None),
    ],
)
def test_employment_hint(employment_type, schedule, expected):
    assert employment_hint(employment_type, schedule) == expected


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ({"min": "3500", "max": "4200", "currencyCode": "CHF", "type": "monthly"}, (3500, 4200, "CHF", "month")),
        ({"min": "95000.00", "max": None, "currencyCode": "GBP", "type": "yearly"}, (95000, None, "GBP", "year")),
        ({"min": "", "max": "", "currencyCode": "EUR", "type": "yearly"}, None),
        ({"min": "50000", "max": "60000", "currencyCode": "EUR", "type": "per project"}, None),
    ],
)
def test_salary(salary, expected):
    pay = map_posting({"id": "1", "name": "x", "salaryInformation": salary}, "b").pay
    assert ((pay[0].min, pay[0].max, pay[0].currency, pay[0].period) if pay else None) == expected


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"<html><body>Not found</body></html>", "not a Personio feed"),
        (b"<workzag-jobs><position>", "malformed XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><workzag-jobs/>', "entities"),
    ],
)
def test_unreadable_feeds_raise(body, message):
    with pytest.raises(FeedError, match=message):
        parse_feed(body)


def test_an_empty_board():
    assert parse_feed(b"<workzag-jobs></workzag-jobs>") == []


@pytest.mark.parametrize("payload", [[], {"name": "No id"}, {"id": "1", "jobDescriptions": "text"}])
def test_unreadable_positions_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "b")


def test_recorded_feeds_parse_map_and_normalize():
    root = require_corpus("sources", "personio")
    mapped = 0
    for path in sorted(root.glob("*.xml")):
        for position in parse_feed(path.read_bytes()):
            posting = normalize(
                {"source": "personio", "board": "b", "external_id": position["id"], "payload": position}
            )
            assert posting.title and posting.description_text and posting.posted_at, path.name
            mapped += 1
    assert mapped == 14
