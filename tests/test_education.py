"""pipeline.education: the lowest required degree level and "or equivalent experience"."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import scan
from pipeline.education import parse_education
from pipeline.model import EDUCATION_LEVELS
from tests.corpus import corpus_descriptions

CASES = [
    # levels
    ("- BS/MS in Computer Science or a related field", ("bachelor", False)),
    (
        "- Bachelor's degree in Statistics, Computer Science, Economics, or a related quantitative field.",
        ("bachelor", False),
    ),
    (
        "Education: Bachelor’s degree in Human Factors, Human-Computer Interaction, or a related field",
        ("bachelor", False),
    ),
    ("- Bachelors’ or above in quantitative discipline: Statistics, Applied Mathematics", ("bachelor", False)),
    ("- Have a bachelor's degree in Science, Technology, Engineering, Math or similar fields", ("bachelor", False)),
    (
        "- Bachelor's or Master's degree in Computer Science, Software Engineering, or related field",
        ("bachelor", False),
    ),
    ("- BA/BS in a technical or analytical field (e.g. Computer Science, Engineering)", ("bachelor", False)),
    ("- B.A. / B.S. / M.S. or strong self-taught fundamentals in computer science", ("bachelor", False)),
    ("- BSc in Computer Science", ("bachelor", False)),
    ("- Degree in Computer Science or other applicable field", ("bachelor", False)),
    (
        "- A strong technical background with a degree in Computer Science, Data Science, or a related field.",
        ("bachelor", False),
    ),
    ("- CS degree or engineering background", ("bachelor", False)),
    (
        "- Pursuing or completing a B.S. (or higher) in Computer Science or a related technical field",
        ("bachelor", False),
    ),
    ("- Masters in Data Science or a related field", ("master", False)),
    ("- Master’s degree in Machine Learning", ("master", False)),
    ("- MS or PhD in Computer Science, Statistics or a related field", ("master", False)),
    ("- M.Sc. in Physics", ("master", False)),
    ("- PhD in Machine Learning, NLP or a related field", ("phd", False)),
    ("- Ph.D. in Physics or Applied Mathematics", ("phd", False)),
    ("- Doctorate in Computer Science", ("phd", False)),
    # preferred does not count; required + preferred -> the required one
    ("- Bachelor's degree in CS required; Master's degree preferred", ("bachelor", False)),
    ("- Master's degree preferred", (None, False)),
    ("- MBA is a plus", (None, False)),
    ("- CS degree or engineering background strongly preferred", (None, False)),
    ("Requirements:\n- BS in Computer Science\nNice to have:\n- MS in Machine Learning", ("bachelor", False)),
    ("Nice to have:\n- Master's in Computer Science\n- Kafka", (None, False)),
    ("Preferred Qualifications\n- PhD in Machine Learning", (None, False)),
    ("- No degree required: we care about what you can do", (None, False)),
    ("- A degree is not required", (None, False)),
    # equivalent
    (
        "- Bachelor’s degree in Computer Science or related technical field or equivalent practical experience",
        ("bachelor", True),
    ),
    ("- A Computer Science, Engineering, or Math degree — or equivalent technical experience.", ("bachelor", True)),
    ("- Bachelor's degree or equivalent work experience", ("bachelor", True)),
    (
        "- Bachelor’s/Master’s degree in product design, interaction design, or equivalent experience",
        ("bachelor", True),
    ),
    ("- BA or equivalent experience in HCI, Psychology, Sociology, or a related field.", ("bachelor", True)),
    ("- Hold a PhD (or equivalent experience) in a relevant field such as Computer Science", ("phd", True)),
    ('- "All Industry Levels": have at least PhD (or equivalent)', ("phd", True)),
    ("- Degree or equivalent", ("bachelor", True)),
    ("An equivalent combination of education and experience will be considered.", (None, True)),
    ("Relevant experience may be considered in lieu of a degree.", (None, True)),
    # traps
    ("- Experience with MS Office (Excel, Word, PowerPoint)", (None, False)),
    ("- MS SQL Server and Oracle administration", (None, False)),
    ("- PostgreSQL, MySQL, MS-SQL, Oracle, Cassandra", (None, False)),
    ("This position requires to be based in Buenos Aires, or willingness to move to BA.", (None, False)),
    ("You will work closely with the BA and the product owner.", (None, False)),
    ("- Merge your changes into the master branch after review", (None, False)),
    ("- Certified Scrum Master (CSM)", (None, False)),
    ("- Mastery of both front-end and back-end technologies.", (None, False)),
    ("- Desire to work in a fast-paced environment and master your craft", (None, False)),
    ("- Current undergraduate and master students or early career professionals", (None, False)),
    ("From Old Masters to early 20th-century abstraction", (None, False)),
    ("network rules (Mastercard) and regulatory requirements", (None, False)),
    ("Plan the bachelor party for the team offsite", (None, False)),
    ("- A high degree of comfort digging into systems failures", (None, False)),
    ("- Open to receiving 360-degree feedback", (None, False)),
    ("- Competitive salary (in USD or local equivalent)", (None, False)),
    ("- Experience using a sales CRM (Hubspot or any equivalent) is a plus", (None, False)),
    ("- Experience with AWS or equivalent cloud providers", (None, False)),
    ("- 5+ years (or equivalent experience) in data science or product analytics roles", (None, False)),
    ("- 3 years of experience or more in a Product Startup or equivalent experience", (None, False)),
    ("PREFERRED\n\n - Bachelor’s degree in Computer Science or equivalent practical experience", (None, True)),
    ("Our team includes PhDs from MIT and Stanford.", (None, False)),
    # schools the team comes from, not a requirement; a student's own program still counts
    ("Our engineers come from Google, Meta, leading PhD programs like Stanford, and startups.", (None, False)),
    ("- Alumni of top Ph.D. programs and YC startups", (None, False)),
    ("- Currently enrolled in a PhD program in Computer Science", ("phd", False)),
    ("- BS/MS/PhD in Computer Science.\nOur engineers come from leading PhD programs like MIT.", ("bachelor", False)),
    ("Founder and CEO at 20VC: How to Grow Capital Efficiently in a World of BS Growth", (None, False)),
    ("", (None, False)),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_education(text, expected):
    assert parse_education(text) == expected


def _check(result):
    level, equivalent = result
    assert level is None or level in EDUCATION_LEVELS
    assert isinstance(equivalent, bool)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_random_text(text):
    _check(parse_education(text))


_TOKENS = st.sampled_from(
    [
        "BS", "MS", "BA", "MA", "PhD", "Ph.D.", "Bachelor's", "Master's", "master", "degree", "in", "or", "/",
        ",", "equivalent", "experience", "preferred", "Nice to have:", "Requirements:", "\n", "-", "Office",
        "SQL", "Computer Science", "(", ")", "doctorate", "B.S.", "M.S.", "scrum", "of", "a", "high",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKENS, max_size=30).map(" ".join))
def test_adversarial_tokens(text):
    _check(parse_education(text))


def test_large_input():
    text = (
        ("MS Office " * 50 + "\n") * 2000 + "degree " * 50_000 + "\n- BS in Computer Science or equivalent experience"
    )
    assert parse_education(text) == ("bachelor", True)


@pytest.mark.corpus
def test_corpus_smoke():
    texts = corpus_descriptions()
    assert len(texts) > 300
    for text in texts:
        _check(parse_education(text))


_HEADING_PARTS = st.sampled_from(
    [
        "Nice to have",
        "nice-to-haves",
        "Bonus points",
        "Preferred skills",
        "Pluses",
        "would be great",
        "Extra credit",
        "what would make you stand",
        "Minimum qualifications",
        "Requirements",
        "What you'll need",
        "who you are",
        "About You",
        "must-haves",
        "What we're looking for",
        "behave",
        "İ",
        "ſkills",
        "x" * 30,
        " ",
        "\t",
        "#",
        "*",
        ":",
        "\n",
        "\n\n",
    ]
)


@given(st.lists(_HEADING_PARTS, max_size=14).map("".join))
def test_gated_headings_equal_finditer(text):
    from pipeline.education import _HEADING, _headings

    expected = [(m.start(), m.group("h")) for m in _HEADING.finditer(text)]
    assert _headings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "ſ" (long s) matches "s" under IGNORECASE, so "Bſ" is a bare "BS"; its level lookup raised KeyError
        ("- Requires a Bſ in Computer Science degree", ("bachelor", False)),
        ("- MS Office, Mſ in CS, degree", ("master", False)),
    ],
)
def test_long_s_abbreviation(text, expected):
    assert parse_education(text) == expected


def test_blank_characters_are_re_whitespace():
    import re

    from pipeline.education import _WS

    assert set(_WS) == {c for c in map(chr, range(0x110000)) if re.fullmatch(r"\s", c)}


# --- the fast path answers as the plain scan does ----------------------------------------------------------------

_DEGREE_WORDS = st.sampled_from(
    [
        "BS", "MS", "BA", "MA", "BE", "ME", "bs", "Ms", "Bſ", "B.S.", "M.Sc", "b.a", "BSc", "MSc", "MBA", "BEng",
        "BTech", "PhD", "Ph.D.", "ph d", "PhDs", "D.Phil", "doctorate", "doctoral degree", "Bachelor's", "bachelors",
        "Master’s", "master", "masters", "Master of Science", "degree", "Degree", "4-year", "four year", "college",
        "Computer Science", "CS", "related", "IT", "in", "or", "OR", "and", "of", "a", "/", ",", "(", ")", "'s",
        "equivalent", "or equivalent experience", "comparable", "in lieu of", "education", "preferred", "a plus",
        "scrum", "jobs", "teams", "being", "main", "Requirements:", "Nice to have:", "About you", "x" * 20,
    ]
)  # fmt: skip
_SEPARATORS = st.sampled_from(
    [" ", " ", "", "\n", "\t", "  ", "\u2003", "\xa0", " " * 13, ". ", "; ", "/", ", ", "-"]
)


def _reference_education(text):
    """parse_education as it read the text before the automaton: two gates, then every _CANDIDATE match."""
    from pipeline import education
    from pipeline.text import folded

    if not text:
        return None, False
    low = folded(text)
    if not education._DEGREE_GATE.search(low) and not education._ABBR_GATE.search(text):
        return None, education._has_equivalent_word(low) and bool(education._EQUIVALENT_ANYWHERE.search(text))
    return education._judge(text, education._CANDIDATE.finditer(text), None)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_DEGREE_WORDS, _SEPARATORS), max_size=25).map(lambda parts: "".join(w + s for w, s in parts))
)
def test_scan_answers_as_the_plain_scan(text):
    assert parse_education(text) == _reference_education(text)


@given(
    st.lists(st.tuples(_DEGREE_WORDS, _SEPARATORS), max_size=25).map(lambda parts: "".join(w + s for w, s in parts))
)
def test_equivalent_anywhere_equals_search(text):
    from pipeline.education import _EQUIVALENT_ANYWHERE, _equivalent_anywhere
    from pipeline.text import folded_same_length

    low = folded_same_length(text)
    if low is not None:
        assert _equivalent_anywhere(text, low) == bool(_EQUIVALENT_ANYWHERE.search(text))


@pytest.mark.parametrize(
    "text",
    [
        "MS/BE",  # BE counts by what precedes it (_ABBR_BEFORE) only
        "Master's or BE",
        "M.S., BE.",
        "MSor BE",
        "MS/\u2003BE.",
        "jobs/" + " " * 12 + "ME",  # no degree word and no _ABBR_GATE match: not judged
        "BS in CS",
        "BSin CS",
        "Requirements:\n- Bachelor's degree\nNice to have:\n- MS/PhD",
    ],
)
def test_abbreviations_answer_as_the_plain_scan(text):
    assert parse_education(text) == _reference_education(text)


def _reference(text):
    """parse_education with every candidate judged in full and every scan gate open (tests/education_reference.py)."""
    from unittest import mock

    from pipeline import education, scan
    from tests.education_reference import reference_judge

    with mock.patch.object(education, "_judge", reference_judge), scan.all_open():
        return parse_education(text)


DENSE = [
    # degrees stated many times over, the lowest level early or late, an "or equivalent" after a later one
    "Requirements:\n" + "- BS/MS in a quantitative field\n" * 40 + "- PhD, or equivalent experience\n",
    "Nice to have: a BSc.\n" + "MS or PhD in physics; " * 60,
    "PhD in CS. " * 30 + "\nBachelor's degree in math. " + "MS in stats, " * 30 + "or related experience",
    "Bonus points\n- bachelor's degree\nMinimum qualifications\n" + "- master's degree\n" * 20,
]


@pytest.mark.parametrize("text", DENSE)
def test_dense_degrees_are_judged_as_the_full_loop_judges_them(text):
    assert parse_education(text) == _reference(text)


@pytest.mark.corpus
def test_every_corpus_description_is_judged_as_the_full_loop_judges_it():
    for text in corpus_descriptions():
        assert parse_education(text) == _reference(text), text[:80]


# The compiled scan's gates (education.degree_word, education.abbreviation): a text with no degree word, no bare
# abbreviation in a degree phrase and no "equivalent" word is answered without the automaton's pass. Each text
# answers the same as with every gate open, including those where a Turkish dotless or dotted i, a long s or a
# Kelvin sign stands in for an ASCII letter (re's IGNORECASE and fold() equate them; RE2 only some of them).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ship services in Rust. We pay well and work in small teams.", (None, False)),
        ("Jobs, labs and teams: abs of steel are not a degree.", (None, False)),
        ("A BS in Computer Science is required.", ("bachelor", False)),
        ("You hold a BS or MS, or comparable practical experience.", ("bachelor", True)),
        ("MS, PhD welcome", ("master", False)),
        ("Master’s degree in physics or equivalent experience.", ("master", True)),
        ("A D.Phıl in statistics.", ("phd", False)),
        ("A D.PHİL in statistics.", ("phd", False)),
        ("An Mſc in chemistry", ("master", False)),
        ("Bſ in mathematics", (None, False)),  # a bare abbreviation needs a capital S here (as before the gates)
        ("MS ın data science", ("master", False)),
        ("BA İn economics", ("bachelor", False)),
        ("Experience in lıeu of a degree is fine.", (None, True)),
        ("equıvalent combination of education and experience", (None, True)),
        ("BAN the MSG: nothing to see here", (None, False)),
    ],
)
def test_scan_gates_keep_the_answer(text, expected):
    assert parse_education(text) == expected
    with scan.all_open():
        assert parse_education(text) == expected
