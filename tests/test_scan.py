"""pipeline.scan: the loosened patterns match wherever the originals do, every gate opens where its parser's pattern
matches, and the parsers give the same postings with the scan as with every gate open (their reference)."""

from __future__ import annotations

import re
import sys

import pytest
import re2

import pipeline.normalize  # noqa: F401  (imports every parser, so every gate is registered)
from pipeline import scan
from pipeline.normalize import normalize, normalize_text
from pipeline.text import fold
from tests.corpus import require_corpus


def clear_input_caches() -> None:
    """Empty the bounded per-input caches of ``pipeline`` (results keyed by a text), so that a comparison runs the
    parsers again rather than reading what the other side cached."""
    for name, module in list(sys.modules.items()):
        if name == "pipeline" or name.startswith("pipeline."):
            for value in vars(module).values():
                params = getattr(value, "cache_parameters", None)
                if callable(params) and params().get("maxsize") is not None:
                    value.cache_clear()


LOOSENED_CASES = [
    # (pattern, a text it matches)
    (re.compile(r"\bmonths?\b"), "six months ahead"),
    (re.compile(r"(?<![\w.])(?P<n>\d+)\s*jahre"), "mindestens 5 Jahre".lower()),
    (re.compile(r"(?<![\w.])(?P<n>\d+)\s*jahre"), "5\u00a0jahre to start the text"),
    (re.compile(r"\d+\s*ans"), "\u0665\u0660 ans"),  # Arabic-Indic digits are \d in re
    (re.compile(r"[\w-]+@[\w-]+"), "café-bar@ünïcode"),
    (re.compile(r"ends here$"), "it ends here\n"),
    (re.compile(r"(?i)on[\s-]?site(?!\s+visits)"), "ON-SITE work, visits weekly"),
    (re.compile(r"remote(?=\s*first)", re.IGNORECASE), "a Remote first team"),
    (re.compile(r"(?<=\$)\d+k"), "pays $120k"),
    (re.compile(r"[^\S\n]+pay"), "base\u2009pay"),
    (re.compile(r"\u00e9t\u00e9"), "un été chaud"),
    (re.compile(r"a\.b|c\|d"), "c|d"),
    (re.compile(r"[\[\]]x"), "]x"),
]


@pytest.mark.parametrize(("pattern", "text"), LOOSENED_CASES)
def test_the_loosened_pattern_matches_where_the_original_does(pattern, text):
    assert pattern.search(text)
    assert re2.search(scan.loosened(pattern), text)


@pytest.mark.parametrize(
    "pattern",
    [
        re.compile(r"(a)\1"),
        re.compile(r"(?P<x>a)(?P=x)"),
        re.compile(r"(?>ab)c"),
        re.compile(r"a++"),
        re.compile("a # b", re.X),
    ],
)
def test_what_re2_cannot_express_is_refused(pattern):
    with pytest.raises(ValueError):
        scan.loosened(pattern)


def test_a_gate_opens_only_where_its_pattern_can_match():
    name = scan.gate("tests.scan.money_word", re.compile(r"(?<!\w)salary\s+band\b", re.IGNORECASE))
    try:
        assert name in scan.hits("Our SALARY   band is wide")
        assert name not in scan.hits("no pay words in here")
        with scan.all_open():
            assert name in scan.hits("no pay words in here")
    finally:
        scan._GATES.pop(name)
        scan._PATTERNS.pop(name)
        scan._Generation.value += 1


# Our own texts: each holds something one of the gated parsers looks for (years in other languages and months,
# a preferred work mode, degrees with an equivalent clause), and some hold nothing.
FIXTURE_TEXTS = [
    "Backend Engineer\nYou bring 18 months of Go in production and a BSc or equivalent practical experience.",
    "Entwickler (m/w/d)\nMindestens drei Jahre Erfahrung mit Python; 6 Monate Probezeit.",
    "Ingénieur backend\nAu moins 4 ans d'expérience en Java. Poste hybride à Lyon.",
    "Desarrollador\nBuscamos +2 años de experiencia construyendo APIs en remoto.",
    "Platform Engineer\nOnsite preferred, remote considered for senior candidates. 5+ years with Kubernetes.",
    "Data Engineer\n- MS/PhD in statistics, or related experience\n- Hybrid preferred (remote possible)",
    "Site Reliability Engineer\nWe have been around for 12 years. You: 3-5 years on call, BA in CS.",
    "SRE\nA role for people who like pagers. No degree needed.",
    "Engineer\n" + "BS/MS " * 300 + "\nor equivalent experience",
    "Go developer\nTwelve months minimum in a backend role; bachelor's degree or comparable experience.",
]


def _gate_cases(texts):
    for text in texts:
        hits = scan.hits(text)
        low = text.lower()
        for name, (pattern, lowered) in scan.registered().items():
            if pattern.search(low if lowered else text) or (lowered and pattern.search(fold(text))):
                yield name, text, hits


def test_every_gate_opens_where_its_pattern_matches_on_our_texts():
    found = list(_gate_cases(FIXTURE_TEXTS))
    assert {name for name, _, _ in found} >= {"experience.other", "workplace.preferred", "education.equivalent_near"}
    for name, text, hits in found:
        assert name in hits, (name, text)


def _finditer_equal(texts):
    for text in texts:
        for name, (pattern, lowered) in scan.registered().items():
            subject = text.lower() if lowered else text
            assert [m.span() for m in scan.finditer(name, subject)] == [m.span() for m in pattern.finditer(subject)]
            found = scan.search(name, subject)
            expected = pattern.search(subject)
            assert (found and found.span()) == (expected and expected.span())


def test_finditer_finds_what_the_pattern_finds_in_our_texts():
    _finditer_equal([*FIXTURE_TEXTS, "", "5 ans", "plain text", "ünïcödé 3 mesi and 12 months ✓"])


def _postings_equal(texts):
    for text in texts:
        clear_input_caches()
        fast = normalize_text(text).to_dict()
        clear_input_caches()
        with scan.all_open():
            reference = normalize_text(text).to_dict()
        assert fast == reference, text[:80]


def test_the_scan_changes_no_posting_of_our_texts():
    _postings_equal(FIXTURE_TEXTS)


@pytest.mark.corpus
def test_every_gate_opens_where_its_pattern_matches_on_the_corpus():
    from bench.bench_normalize import Item
    from bench.corpus import load_corpus

    corpus = load_corpus(require_corpus())
    texts = [item.text for item in map(Item, corpus.postings) if item.text]
    assert len(texts) > 500
    for name, text, hits in _gate_cases(texts):
        assert name in hits, (name, text[:80])
    _finditer_equal(texts)


@pytest.mark.corpus
def test_the_scan_changes_no_posting_of_the_corpus():
    """Every posting of the corpus, normalized with the scan and with every gate open (the parsers as they were
    before it): the same schema v1 posting."""
    from bench.corpus import load_corpus

    corpus = load_corpus(require_corpus())
    assert len(corpus.postings) > 500
    for raw in corpus.postings:
        clear_input_caches()
        fast = normalize(raw).to_dict()
        clear_input_caches()
        with scan.all_open():
            reference = normalize(raw).to_dict()
        assert fast == reference, (raw["source"], raw["board"], raw.get("external_id"))
