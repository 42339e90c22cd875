"""pipeline.model: the hand-written ``to_dict`` of the small records gives what ``dataclasses.asdict`` gives, so a
field added later cannot go missing from the schema output; ``Posting.to_json`` gives the text ``json.dumps`` gives
of ``to_dict``, on our own cases, on generated ones and on every corpus posting."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.model import Location, PayRange, Posting, SourceRef, one_line
from tests.corpus import require_corpus


@pytest.mark.parametrize(
    "value",
    [
        PayRange(min=90_000, max=120_000, currency="EUR", period="year", label="Berlin", raw="€90k-€120k"),
        PayRange(min=None, max=45.5, currency=None, period="hour", kind="ote"),
        Location(raw="Lyon, France", city="Lyon", country="FR"),
        Location(raw="Remote"),
    ],
)
def test_to_dict_is_asdict(value):
    assert value.to_dict() == asdict(value)
    assert list(value.to_dict()) == list(asdict(value))


# ------------------------------------------------------------------------------------- Posting.to_json


def _posting(**changes: Any) -> Posting:
    base = Posting(
        title="Platform Engineer (Data)",
        source="greenhouse",
        board="acme",
        external_id="77",
        company="Acme Ölwerke",
        url="https://example.test/jobs/77",
        sources=[SourceRef(source="greenhouse", board="acme", external_id="77")],
        posted_at=datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC),
        locations=[Location(raw="Köln, DE", city="Köln", country="DE"), Location(raw="Remote")],
        workplace="hybrid",
        remote_regions=["EU"],
        experience_years_min=3.0,
        pay=PayRange(min=61_000.5, max=83_250, currency="EUR", period="year", label="Köln", raw="61.000,50 €"),
        pay_ranges=[PayRange(min=29.75, max=None, currency="EUR", period="hour", kind="ote")],
        skills=["Go", "PostgreSQL"],
        skill_evidence={"Go": "golang", "PostgreSQL": "postgres"},
        provenance={"pay": "structured", "skills": "text"},
        description_text='Line one.\nTabs\there, quotes " and \\ backslashes; commas, colons: and braces {[ ]}.',
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"description_text": ""},
        {"description_text": "only ascii, with a comma,\nand a newline"},
        {"description_text": 'ends with a comma,"'},
        {"description_text": "control \x00\x01\x08\x0c\x1b\x1f and DEL \x7f, separators \u2028\u2029"},
        {"description_text": "astral 🚀 and CJK 招聘 and combining é"},
        {"title": ",", "skills": [",", ", ", '","', "\\"], "remote_regions": []},
        {"skill_evidence": {'k",': "v\n,", "": ""}, "provenance": {}},
        {"locations": [], "sources": [], "pay": None, "pay_ranges": []},
        {"id": 2**40, "is_backend": True, "relocation": False, "visa_sponsorship": None},
        {"experience_years_min": 0.5, "experience_years_max": 12.25},
        {"experience_years_min": -0.0, "experience_years_max": 0.0},
        {"experience_years_min": 1e-4, "experience_years_max": 1e16},
        {"experience_years_min": 1.7976931348623157e308},
        # orjson writes these otherwise (0.00001, 1e-7, null): json.dumps writes them
        {"experience_years_min": 1e-5},
        {"experience_years_max": 3e-7},
        {"experience_years_min": float("nan")},
        {"experience_years_max": float("inf")},
        {"pay_ranges": [PayRange(min=1e-5, max=2.0, currency="USD", period="hour")]},
        {"pay": PayRange(min=float("-inf"), max=None, currency=None, period=None)},
        # orjson refuses these (an int beyond 64 bits, a lone surrogate): json.dumps writes them
        {"id": 2**70},
        {"description_text": "lone \ud800 surrogate"},
        {"title": "lone \udfff surrogate in the head"},
    ],
)
def test_to_json_is_json_dumps_of_to_dict(changes):
    posting = _posting(**changes)
    assert posting.to_json() == json.dumps(posting.to_dict(), ensure_ascii=False)


def test_to_json_raises_where_json_dumps_raises():
    posting = _posting(skill_evidence={"Go": datetime(2026, 1, 1, tzinfo=UTC)})
    with pytest.raises(TypeError):
        json.dumps(posting.to_dict(), ensure_ascii=False)
    with pytest.raises(TypeError):
        posting.to_json()


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(),
    words=st.lists(st.text(max_size=6), max_size=4),
    number=st.floats(allow_nan=True, allow_infinity=True) | st.none(),
)
def test_to_json_is_json_dumps_of_to_dict_for_any_text_and_float(text, words, number):
    posting = _posting(
        title=text,
        description_text=text + "".join(words),
        skills=words,
        skill_evidence=dict.fromkeys(words, text),
        experience_years_min=number,
        pay=PayRange(min=number, max=None, currency="USD", period="year", raw=text),
    )
    assert posting.to_json() == json.dumps(posting.to_dict(), ensure_ascii=False)


def test_the_float_guard_covers_every_float_field():
    """``Posting._orjson_floats`` checks the experience years and the four numbers of each pay range: a float field
    added elsewhere in the schema would need checking too."""
    floats = {
        f"{cls.__name__}.{f.name}"
        for cls in (Posting, PayRange, Location, SourceRef)
        for f in fields(cls)
        if "float" in str(f.type)
    }
    assert floats == {
        "Posting.experience_years_min",
        "Posting.experience_years_max",
        "PayRange.min",
        "PayRange.max",
        "PayRange.annual_min",
        "PayRange.annual_max",
    }


@pytest.mark.parametrize(
    ("indented", "expected"),
    [
        (b"{}", b"{}"),
        (b'{\n  "a": [],\n  "b": {}\n}', b'{"a": [], "b": {}}'),
        (b'[\n  1,\n  [\n    "x,\\n y",\n    {\n      "k": null\n    }\n  ]\n]', b'[1, ["x,\\n y", {"k": null}]]'),
    ],
)
def test_one_line_lays_out_as_json_dumps(indented, expected):
    assert one_line(indented) == expected


@pytest.mark.corpus
def test_to_json_is_json_dumps_of_to_dict_on_the_corpus():
    from bench.corpus import load_corpus
    from pipeline.normalize import normalize_many

    postings = normalize_many(load_corpus(require_corpus()).postings)
    assert len(postings) > 500
    for posting in postings:
        assert posting.to_json() == json.dumps(posting.to_dict(), ensure_ascii=False), posting.external_id
