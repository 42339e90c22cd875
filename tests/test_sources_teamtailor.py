"""Teamtailor mapper: items of the recorded ``/jobs.json`` JSON Feed (with the embedded ``_jobposting``) ->
SourceFields; the recorded bodies in the corpus map and normalize, and the broken item a saver appended is a
MappingError."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.teamtailor import map_posting
from tests.corpus import require_corpus


def jobposting(**changes):
    base = {
        "@context": "http://schema.org/",
        "@type": "JobPosting",
        "title": "Mobile Engineer",
        "description": "<p>Ship the rider app in Swift.</p>",
        "identifier": {"@type": "PropertyValue", "name": "Pied Piper", "value": 5550001},
        "datePosted": "2026-10-10T10:00:00+02:00",
        "hiringOrganization": {"@type": "Organization", "name": "Pied Piper AB"},
        "jobLocation": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": "Storgatan 2",
                    "addressLocality": "Malmö",
                    "postalCode": "211 34",
                    "addressCountry": "SE",
                    "addressRegion": "Skåne",
                },
            }
        ],
    }
    return {**base, **changes}


def feed_item(**changes):
    base = {
        "id": "6b1d0c2e-2222-4a4a-8b8b-000000000009",
        "title": "Mobile Engineer",
        "url": "https://piedpiper.teamtailor.com/jobs/5550001-mobile-engineer",
        "date_published": "2026-10-11T09:30:00+02:00",
        "content_html": "<p>Ship the rider app in Swift and Kotlin.</p>",
        "_jobposting": jobposting(),
    }
    return {**base, **changes}


def test_full_item():
    fields = map_posting(feed_item(), "piedpiper")
    assert (fields.external_id, fields.title, fields.company) == (
        "6b1d0c2e-2222-4a4a-8b8b-000000000009",
        "Mobile Engineer",
        "Pied Piper AB",
    )
    assert fields.url == "https://piedpiper.teamtailor.com/jobs/5550001-mobile-engineer"
    assert fields.posted_at == datetime(2026, 10, 11, 7, 30, tzinfo=UTC)  # the feed's date wins
    assert fields.description_html == "<p>Ship the rider app in Swift and Kotlin.</p>"
    assert fields.locations == ["Malmö, Skåne, SE"]
    assert (fields.pay, fields.workplace, fields.employment_type, fields.origin) == ([], None, None, "structured")


@pytest.mark.parametrize(
    ("changes", "check"),
    [
        ({"jobLocationType": "TELECOMMUTE"}, lambda f: f.workplace == "remote"),
        ({"employmentType": ["PART_TIME"]}, lambda f: f.employment_type == "PART_TIME"),
        (
            {
                "baseSalary": {
                    "@type": "MonetaryAmount",
                    "currency": "sek",
                    "value": {
                        "@type": "QuantitativeValue",
                        "minValue": 48000,
                        "maxValue": 52000,
                        "unitText": "MONTH",
                    },
                }
            },
            lambda f: [(p.min, p.max, p.currency, p.period) for p in f.pay] == [(48000, 52000, "SEK", "month")],
        ),
        ({"validThrough": "2026-12-01T00:00:00Z"}, lambda f: f.valid_through == datetime(2026, 12, 1, tzinfo=UTC)),
        ({"hiringOrganization": None}, lambda f: f.company == "piedpiper"),
    ],
)
def test_embedded_jobposting_fields(changes, check):
    assert check(map_posting(feed_item(_jobposting=jobposting(**changes)), "piedpiper"))


def test_item_fields_fall_back_to_the_jobposting():
    fields = map_posting(feed_item(title=None, content_html="", date_published=None), "piedpiper")
    assert fields.title == "Mobile Engineer"
    assert fields.description_html == "<p>Ship the rider app in Swift.</p>"
    assert fields.posted_at == datetime(2026, 10, 10, 8, tzinfo=UTC)


def test_item_without_jobposting():
    fields = map_posting(feed_item(_jobposting=None), "piedpiper")
    assert (fields.title, fields.company, fields.locations) == ("Mobile Engineer", "piedpiper", [])


@pytest.mark.parametrize(
    "payload", [None, feed_item(id=None), feed_item(id=""), feed_item(_jobposting="x"), {"content_html": "<p>x</p>"}]
)
def test_unreadable_items_raise(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "piedpiper")


def test_recorded_bodies_map_and_normalize():
    root = require_corpus("sources", "teamtailor")
    mapped = broken = 0
    for path in sorted(root.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
            payload = {"source": "teamtailor", "board": "b", "external_id": str(item.get("id")), "payload": item}
            if "id" not in item:
                with pytest.raises(MappingError):
                    normalize(payload)
                broken += 1
                continue
            posting = normalize(payload)
            assert posting.title and posting.posted_at and posting.locations and posting.company, path.name
            mapped += 1
    assert (mapped, broken) == (5, 1)
