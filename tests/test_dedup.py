"""pipeline.dedup: canonical URLs, company and requisition keys, fingerprints, floors on the labelled pairs."""

from __future__ import annotations

import pytest

from pipeline import dedup
from pipeline.model import Location, Posting
from tests.corpus import require_corpus


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://boards.greenhouse.io/acme/jobs/123?gh_src=linkedin", "https://boards.greenhouse.io/acme/jobs/123"),
        ("http://www.Acme.example/careers/?gh_jid=42&utm_source=x", "https://acme.example/careers?gh_jid=42"),
        (
            "https://jobs.lever.co/acme/abc-1/?lever-source=LinkedIn&lever-origin=applied",
            "https://jobs.lever.co/acme/abc-1",
        ),
        (
            "https://jobs.ashbyhq.com/acme/uuid-1?utm_medium=post&utm_campaign=q4#apply",
            "https://jobs.ashbyhq.com/acme/uuid-1",
        ),
        ("https://remoteok.com/remote-jobs/x-1?ref=rss&source=feed", "https://remoteok.com/remote-jobs/x-1"),
        ("https://example.com/jobs?id=7&b=2&a=1", "https://example.com/jobs?a=1&b=2&id=7"),
        ("https://example.com/", None),
        ("mailto:jobs@example.com", None),
        (None, None),
    ],
)
def test_canonical_url(url, expected):
    assert dedup.canonical_url(url) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("Stripe, Inc.", "stripe"), ("Acme Holdings Ltd", "ACME"), ("Brightwave Robotics, Inc.", "Brightwave Robotics")],
)
def test_company_keys_match(a, b):
    assert dedup.company_key(a) == dedup.company_key(b)


@pytest.mark.parametrize(
    ("req", "expected"),
    [
        ("REQ-1042", "acme|req-1042"),
        ("See Opening ID", None),
        ("N/A", None),
        ("", None),
        ("TBD", None),
        ("6401", "acme|6401"),
    ],
)
def test_requisition_key(req, expected):
    assert dedup.requisition_key(req, "Acme, Inc.") == expected


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("Sr. Backend Engineer (Remote)", "senior backend engineer"),
        ("Steuerberater (m/w/d)", "steuerberater"),
        ("Senior Software Developer ($110-$190/hr)", "senior software developer"),
    ],
)
def test_title_key(title, key):
    assert dedup.title_key(title) == key


TEXT = (
    "The platform group builds the internal developer platform every robotics team ships on: build pipelines, "
    "service templates, observability and the Terraform modules behind our AWS accounts. You will write Go, operate "
    "Kubernetes clusters and help forty engineers deploy safely many times a day. Requirements: four years of "
    "infrastructure engineering, Kubernetes, Terraform and Go or Python, and empathy for the engineers you serve."
)


def posting(
    source="greenhouse",
    board="acme",
    ext="1",
    title="Platform Engineer",
    company="Acme, Inc.",
    text=TEXT,
    locations=None,
    **kw,
) -> Posting:
    return Posting(
        title=title,
        source=source,
        board=board,
        external_id=ext,
        company=company,
        description_text=text,
        locations=locations or [],
        **kw,
    )


def test_aggregator_copy_matches_its_ats_original():
    ats = dedup.fingerprint(posting(locations=[Location(raw="Remote - US", country="US")]))
    copy = dedup.fingerprint(
        posting(
            "remoteok",
            "remoteok",
            "9",
            company="Acme",
            text="Apply now! " + TEXT[:300],
            locations=[Location(raw="United States", country="US")],
        )
    )
    assert dedup.match(ats, copy) == "fingerprint"
    # A copy that names no place, of an original that names one, is not enough evidence.
    vague = dedup.fingerprint(posting("remoteok", "remoteok", "8", company="Acme", text=TEXT))
    assert dedup.match(ats, vague) is None


def test_same_title_other_place_other_company_or_other_requisition_do_not_match():
    base = posting(locations=[Location(raw="Berlin, Germany", city="Berlin", country="DE")], requisition_id="R-1")
    other_city = posting(
        "lever", "acme", "2", locations=[Location(raw="Lisbon, Portugal", city="Lisbon", country="PT")]
    )
    other_company = posting("remotive", "remotive", "3", company="Globex")
    other_req = posting(
        "ashby",
        "acme",
        "4",
        requisition_id="R-2",
        locations=[Location(raw="Berlin, Germany", city="Berlin", country="DE")],
    )
    fp = dedup.fingerprint(base)
    for other in (other_city, other_company, other_req):
        assert dedup.match(fp, dedup.fingerprint(other)) is None


def test_one_board_ids_are_distinct_unless_the_ad_is_posted_twice():
    a = dedup.fingerprint(posting(ext="1", locations=[Location(raw="Chicago", city="Chicago")]))
    b = dedup.fingerprint(posting(ext="2", locations=[Location(raw="San Francisco", city="San Francisco")]))
    twice = dedup.fingerprint(posting(ext="3", locations=[Location(raw="Chicago", city="Chicago")]))
    assert dedup.match(a, b) is None
    assert dedup.match(a, twice) == "fingerprint"


def test_requisition_and_url_layers():
    a = dedup.fingerprint(posting(ext="1", requisition_id="BWR-1", locations=[Location(raw="NYC", city="New York")]))
    b = dedup.fingerprint(posting(ext="2", requisition_id="BWR-1", locations=[Location(raw="Austin", city="Austin")]))
    assert dedup.match(a, b) == "requisition"
    u1 = dedup.fingerprint(posting(ext="5", url="https://acme.example/careers?gh_jid=5&gh_src=x", text=""))
    u2 = dedup.fingerprint(
        posting("jsonld", "acme.example", "x", url="https://www.acme.example/careers/?gh_jid=5", text="")
    )
    assert dedup.match(u1, u2) == "url"


def test_fingerprint_json_round_trip_and_keys():
    fp = dedup.fingerprint(posting(url="https://acme.example/jobs/1", requisition_id="R-9"))
    back = dedup.Fingerprint.from_json(fp.to_json(), fp.source, fp.board, fp.external_id)
    assert dedup.match(fp, back) == "exact"
    keys = dedup.lookup_keys(fp)
    assert sum(k.startswith("b") for k in keys) == dedup.BANDS
    assert {k[0] for k in keys} == {"u", "r", "t", "b"}


def test_pair_floors_on_the_test_split():
    corpus = require_corpus("sources")
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from eval_dedup import evaluate

    result = evaluate(corpus.parent)["test"]
    assert result["missing"] == 0
    assert result["pairs"] >= 35
    assert result["precision"] >= 0.99, result
    assert result["recall"] >= 0.95, result


def test_labelled_pairs_file_is_complete():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from eval_dedup import read_pairs

    pairs = read_pairs()
    assert len(pairs) >= 150
    assert sum(p["label"] == "1" for p in pairs) >= 50
    test = [p for p in pairs if p["split"] == "test"]
    assert 0.15 <= len(test) / len(pairs) <= 0.35
    assert len({p["pair_id"] for p in pairs}) == len(pairs)


def reference_words(text: str) -> list[str]:
    """signature_words as it was first written: fold and split the whole text, keep the opening words."""
    return dedup._NON_ALNUM.sub(" ", dedup._ascii(text)).split()[: dedup.SIGNATURE_WORDS]


def _long(word: str, n: int) -> str:
    return " ".join([word] * n)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "too short to fingerprint",
        _long("alpha", 300),
        # the opening words run past the first cut: long words, then every later growth of the cut
        _long("supercalifragilistic", 200),
        "x" * 5000 + " tail words here",
        # an accented letter and a ligature split by the cut (a combining mark left on either side)
        "e\u0301" * 499 + " " + _long("cafe\u0301 \ufb01le", 150),
        "a" * (dedup._OPENING_CHARS - 1) + "\u0301b " + _long("word", 200),
        # exactly SIGNATURE_WORDS words inside the first cut, and one more right after it
        _long("ab", dedup.SIGNATURE_WORDS) + " " * (dedup._OPENING_CHARS - 3 * dedup.SIGNATURE_WORDS) + "cd " * 5,
        # punctuation and digits only between the words, full-width letters
        ("Ｒｕｓｔ/C++, 10+ yrs; (remote) — ok! " * 60),
    ],
)
def test_signature_words_reads_only_the_opening_but_equals_the_whole_fold(text):
    assert dedup.signature_words(text) == reference_words(text)


def test_signature_words_equal_the_whole_fold_on_every_corpus_description():
    from tests.corpus import corpus_descriptions

    texts = corpus_descriptions()
    assert texts
    for text in texts:
        assert dedup.signature_words(text) == reference_words(text)


def reference_best_match(fp, candidates):
    """best_match as the store first wrote it: match and score every candidate."""
    best = None
    for item, other in candidates:
        reason = dedup.match(fp, other)
        if reason is None:
            continue
        value = dedup.score(fp, other)
        if best is None or value > best[0]:
            best = (value, item, reason)
    return (best[1], best[2]) if best else None


def test_best_match_picks_what_matching_every_candidate_picks():
    variants = [
        posting(),
        posting("lever", "acme", "9"),
        posting("remotive", "remotive", "r1", text="Apply now. " + TEXT[:300]),
        posting(ext="2", requisition_id="R-1"),
        posting(ext="3", requisition_id="R-2"),
        posting("lever", "acme", "4", requisition_id="R-1"),
        posting(ext="5", company="Other Co"),
        posting("remotive", "remotive", "r2", company="Other Co", requisition_id="R-1"),
        posting(ext="6", title="Senior Platform Engineer", url="https://acme.example/jobs/6"),
        posting(
            "jsonld", "acme.example", "x", url="https://www.acme.example/jobs/6?utm_source=x", requisition_id="R-9"
        ),
        posting(ext="7", company=None),
        posting(ext="1", board="acme", requisition_id="R-3"),  # the same source as the first, another requisition
    ]
    fps = [dedup.fingerprint(p) for p in variants]
    for i, fp in enumerate(fps):
        # every order of the others matters for ties: both directions
        others = [(j, other) for j, other in enumerate(fps) if j != i]
        for candidates in (others, others[::-1]):
            assert dedup.best_match(fp, candidates) == reference_best_match(fp, candidates)
    accepted = [reference_best_match(fp, [(j, o) for j, o in enumerate(fps) if j != i]) for i, fp in enumerate(fps)]
    assert sum(a is not None for a in accepted) >= 4  # the table exercises matches, not only rejections
    assert any(dedup.match(fps[i], fps[j]) is None for i in range(len(fps)) for j in range(len(fps)) if i != j)
