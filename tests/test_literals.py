"""pipeline.literals: the Hyperscan keyword sets find what pyahocorasick's automaton built from the same keys finds,
in the same order (the reference the parsers used before), on our own cases, on the parsers' own keyword sets over
our texts and over every corpus description."""

from __future__ import annotations

import ahocorasick
import pytest

from pipeline import education, skills, workplace
from pipeline.literals import Literals
from pipeline.text import folded
from tests.corpus import corpus_descriptions


def reference(literals: Literals) -> ahocorasick.Automaton:
    auto = ahocorasick.Automaton()
    for key, value in literals.table.items():
        auto.add_word(key, value)
    auto.make_automaton()
    return auto


CASES = [
    # (keys, text)
    (["he", "she", "hers", "his"], "ushers and his sheep"),
    (["aa", "a", "aaa"], "baaaab"),
    (["ab"], ""),
    (["ab"], "no hit here"),
    (["x y", "y"], "x y y"),
    (["naïve", "ïv"], "a naïve plan, naïvely"),  # Latin-1 keys
    (["über", "\u2009pay"], "Über über\u2009pay – “quoted” \u2009pay"),  # a key beyond Latin-1: UTF-8
    (["go"], "let’s go — go‑live “go”"),  # characters beyond Latin-1 around Latin-1 keys
    (["ab", "b"], "a\ud800ab b"),  # a lone surrogate in the text
    (["emoji"], "🙂 emoji 🙂emoji"),
]


@pytest.mark.parametrize(("keys", "text"), CASES)
def test_literals_find_what_the_automaton_finds(keys, text):
    literals = Literals((key, (key, n)) for n, key in enumerate(keys))
    assert literals.iter(text) == list(reference(literals).iter(text))


def test_a_later_value_replaces_an_earlier_one():
    literals = Literals([("go", 1), ("go", 2)])
    assert literals.iter("go") == [(1, 2)]


def test_an_empty_key_is_refused():
    with pytest.raises(ValueError):
        Literals([("", 1)])


# Each parser's keyword set and the text form it is run on.
PARSER_SETS = [
    ("education", education._automaton, folded),
    ("workplace", workplace._trigger_automaton, folded),
    ("skills", skills._automaton, lambda text: f" {skills.skeleton(text)} "),
]

TEXTS = [
    "Senior Backend Engineer (Go, PostgreSQL)\nYou’ll build APIs in Go and Node.js on k8s; BS/MS in CS or similar.",
    "Remote‑first, hybrid in office 2 days; work from home Fridays. Ph.D. or M.Sc. a plus.",
    "Développeur·se backend — Python/Django, CI/CD, AWS\u2009; télétravail partiel.",
    "Data platform: Kafka, Spark & Airflow. In-person on-site in Berlin. Bachelor’s degree.",
    "",
]


@pytest.mark.parametrize(("name", "build", "form"), PARSER_SETS, ids=[p[0] for p in PARSER_SETS])
def test_each_parser_keyword_set_on_our_texts(name, build, form):
    literals = build()
    auto = reference(literals)
    for text in TEXTS:
        subject = form(text)
        assert literals.iter(subject) == list(auto.iter(subject)), (name, text)


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "build", "form"), PARSER_SETS, ids=[p[0] for p in PARSER_SETS])
def test_each_parser_keyword_set_on_every_corpus_description(name, build, form):
    literals = build()
    auto = reference(literals)
    for text in corpus_descriptions():
        subject = form(text)
        assert literals.iter(subject) == list(auto.iter(subject)), (name, text[:80])


@pytest.mark.parametrize(("keys", "text"), [c for c in CASES if all(k.isascii() or max(k) <= "\xff" for k in c[0])])
def test_scan_bytes_reports_every_occurrence_by_key_number(keys, text):
    """``scan_bytes`` on the Latin-1 bytes: the same occurrences as ``iter``, as (stop, key number), unsorted."""
    literals = Literals((key, (key, n)) for n, key in enumerate(keys))
    assert literals.latin1
    got = literals.scan_bytes(text.encode("latin-1", "replace"))
    as_iter = sorted((stop - 1, -len(literals.values[k][0]), literals.values[k]) for stop, k in got)
    assert [(end, value) for end, _, value in as_iter] == literals.iter(text)
