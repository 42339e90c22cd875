"""Remote OK mapper: payloads in the real ``/api`` format (texts of our own) -> SourceFields; corpus contract."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.sources.remoteok import fix_mojibake, is_legal_notice, map_posting
from tests.corpus import require_corpus

LEGAL = {"last_updated": 1786757871, "legal": "API Terms of Service: Please link back ..."}


def job(**overrides):
    base = {
        "slug": "remote-backend-engineer-fjordline-1140001",
        "id": "1140001",
        "epoch": 1786700000,
        "date": "2026-08-14T09:33:20+00:00",
        "company": "Fjordline",
        "company_logo": "",
        "position": "Backend Engineer",
        "tags": ["backend", "python"],
        "description": "<p>Build APIs.</p>",
        "location": "United States",
        "apply_url": "https://remoteOK.com/remote-jobs/remote-backend-engineer-fjordline-1140001",
        "salary_min": 0,
        "salary_max": 0,
        "logo": "",
        "url": "https://remoteOK.com/remote-jobs/remote-backend-engineer-fjordline-1140001",
    }
    base.update(overrides)
    return base


def test_a_full_payload():
    f = map_posting(job(salary_min=140000, salary_max=180000), "remoteok")
    assert (f.external_id, f.title, f.company) == ("1140001", "Backend Engineer", "Fjordline")
    assert f.url == "https://remoteOK.com/remote-jobs/remote-backend-engineer-fjordline-1140001"  # credit link kept
    assert f.apply_url == f.url
    assert f.locations == ["United States"]
    assert f.workplace == "remote"
    assert f.tags == ["backend", "python"]
    assert f.posted_at == datetime(2026, 8, 14, 9, 33, 20, tzinfo=UTC)
    assert f.description_html == "<p>Build APIs.</p>"
    [pay] = f.pay
    assert (pay.min, pay.max, pay.currency, pay.period, pay.annual_max) == (140000, 180000, "USD", "year", 180000)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"salary_min": 0, "salary_max": 0}, None),
        ({"salary_min": 90000, "salary_max": 0}, (90000, None, "year")),
        ({"salary_min": 0, "salary_max": 120000}, (None, 120000, "year")),
        ({"salary_min": 30, "salary_max": 30}, (30, 30, "hour")),  # an hourly rate in the yearly field
        ({"salary_min": 80, "salary_max": 140}, (80, 140, "hour")),
        ({"salary_min": "95000", "salary_max": "105000"}, (95000, 105000, "year")),
        ({"salary_min": None, "salary_max": None}, None),
        ({"salary_min": 200000, "salary_max": 150000}, (150000, 200000, "year")),
    ],
)
def test_salary_fields(overrides, expected):
    pay = map_posting(job(**overrides), "remoteok").pay
    if expected is None:
        assert pay == []
    else:
        assert [(p.min, p.max, p.period) for p in pay] == [expected]
        assert pay[0].currency == "USD"


@pytest.mark.parametrize(
    ("overrides", "field", "expected"),
    [
        ({"location": ""}, "locations", []),
        ({"location": "Remote - US"}, "locations", ["Remote - US"]),
        ({"location": "Gda\u00c5\u0084sk"}, "locations", ["Gdańsk"]),  # mojibake repaired
        ({"position": "  Staff   Engineer "}, "title", "Staff Engineer"),
        ({"position": None}, "title", None),
        ({"company": "Caf\u00c3\u00a9 Systems"}, "company", "Café Systems"),
        ({"date": "", "epoch": 1786700000}, "posted_at", datetime(2026, 8, 14, 9, 33, 20, tzinfo=UTC)),
        ({"date": None, "epoch": None}, "posted_at", None),
        ({"tags": "python"}, "tags", []),
        ({"tags": ["go", "", None, " k8s "]}, "tags", ["go", "k8s"]),
        ({"description": ""}, "description_html", None),
        (
            {"description": "<p>We\u00e2\u0080\u0099re \u00e2\u0082\u00ac2,500</p>"},
            "description_html",
            "<p>We’re €2,500</p>",
        ),
        ({"id": None}, "external_id", "1140001"),  # the slug's numeric tail
        ({"id": None, "slug": "remote-something"}, "external_id", "remote-something"),
        ({"id": 1140009}, "external_id", "1140009"),
    ],
)
def test_field_table(overrides, field, expected):
    assert getattr(map_posting(job(**overrides), "remoteok"), field) == expected


@pytest.mark.parametrize(
    "payload",
    [LEGAL, job(id=None, slug=None), job(id="", slug=""), ["not", "an", "object"], "text", None],
)
def test_bad_payloads_raise_mapping_error(payload):
    with pytest.raises(MappingError):
        map_posting(payload, "remoteok")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We\u00e2\u0080\u0099re hiring", "We’re hiring"),
        ("\u00f0\u009f\u0091\u008b Hi", "👋 Hi"),
        ("Already right: Gdańsk — “quoted”", "Already right: Gdańsk — “quoted”"),
        ("Plain ASCII", "Plain ASCII"),
        ("\u00c3 alone", "\u00c3 alone"),
    ],
)
def test_fix_mojibake(text, expected):
    assert fix_mojibake(text) == expected


def test_legal_notice_detection():
    assert is_legal_notice(LEGAL)
    assert not is_legal_notice(job())
    assert not is_legal_notice(job(legal="x"))


# name -> (postings, postings without a title). The full body has one blank posting (id 1130784: empty
# position and company), which maps fine and is dropped later by validation as missing_title.
RECORDED = {
    "JACKAS5_resume-helper__remoteok.json": (97, 1),
    "TheGamer406_BreteAI-Backend__tests_fixtures_remoteok.json": (3, 0),
    "ikevinxie_remote-jobs-collector__tests_fixtures_remoteok.json": (4, 0),
    "lcarlini_JobSearchAggregator__tests_fixtures_remoteok.json": (4, 0),
}


@pytest.mark.parametrize(("name", "counts"), sorted(RECORDED.items()))
def test_contract_every_recorded_body_maps_and_normalizes(name, counts):
    """Raw ``remoteok.com/api`` bodies (some trimmed): element 0 is the legal notice, the rest all map."""
    data = json.loads(require_corpus("sources", "remoteok", name).read_bytes())
    assert is_legal_notice(data[0])
    jobs = [element for element in data if not is_legal_notice(element)]
    postings = [
        normalize({"source": "remoteok", "board": "remoteok", "payload": j, "url": j.get("url")}) for j in jobs
    ]
    count, untitled = counts
    assert len(postings) == count
    assert sum(1 for p in postings if not p.title) == untitled
    assert all(p.external_id and p.workplace == "remote" for p in postings)
    assert all(p.url and "remoteok.com/remote-jobs/" in p.url.lower() for p in postings)
    assert all("\u00e2\u0080" not in p.description_text for p in postings)  # no mojibake left


def _mojibake_reference(value: str) -> str:
    import re

    from pipeline.sources.remoteok import _MOJIBAKE

    def repair(m: re.Match[str]) -> str:
        try:
            return m.group(0).encode("latin-1").decode("utf-8")
        except UnicodeError:
            return m.group(0)

    return _MOJIBAKE.sub(repair, value)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=8).map(lambda t: t.encode("utf-8").decode("latin-1")),  # mojibake runs
            st.text(max_size=4),  # real Unicode, ASCII
            st.sampled_from(["\u00c2", "\u00e2\u0080", "\u00e9", "\u0085", "\u00f0\u009f"]),  # broken runs
        ),
        max_size=8,
    ).map("".join)
)
def test_fix_mojibake_equals_the_run_by_run_repair(value):
    assert fix_mojibake(value) == _mojibake_reference(value)
