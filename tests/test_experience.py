"""pipeline.experience: required years of experience (min, max) from description text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import experience
from pipeline.experience import parse_experience
from tests.corpus import corpus_descriptions

CASES = [
    # the forms
    ("- 5+ years of experience building customer-facing products", (5, None)),
    ("- 3-5 years of backend or full-stack development experience", (3, 5)),
    ("3 to 5 years of experience with Python", (3, 5)),
    ("- 5–7 years of relevant working experience", (5, 7)),
    ("- 8–10+ years of experience in HR, with a strong track record", (8, 10)),
    ("- 4-7+ years of experience in product marketing", (4, 7)),
    ("Five years of experience shipping production software.", (5, None)),
    ("five (5) years of professional experience", (5, None)),
    ("At least 7 years of experience in software engineering", (7, None)),
    ("at least 7 years", (7, None)),
    ("A minimum of 4 years of work experience in data engineering", (4, None)),
    ("- Minimum 5 years of experience building software", (5, None)),
    ("- 7+ yrs exp with Java", (7, None)),
    ("- preferred 3+yrs in consumer credit risk", (3, None)),
    ("- 2+ years of professional experience in Python", (2, None)),
    ("- Over five years of professional experience in backend development.", (5, None)),
    ("Over 10 years of experience in distributed systems", (10, None)),
    ("More than 5 years of experience as a backend engineer", (5, None)),
    ("10 plus years of experience in infrastructure", (10, None)),
    ("5 or more years of experience in a similar role", (5, None)),
    ("- Minimum 1 year of experience in mobile development", (1, None)),
    ("- You have > 1 year experience in a sales development role", (1, None)),
    ("- 4+ years’ experience in application security engineering", (4, None)),
    ("- 5+ years in software sales with a strong prospecting background", (5, None)),
    ("- 6+ years leading complex sales cycles with Enterprise organizations", (6, None)),
    ("- 5+ years building production infrastructure with security focus", (5, None)),
    ("Senior (5+ years) Backend Engineer", (5, None)),
    ("Expert Career (7-10 Years) with minimum of 2 yrs as a people manager", (7, 10)),
    ("- 0-2 years of experience in software development", (0, 2)),
    # a bullet dash glued to the number (real lists: "-5–8 years", "-3+ years")
    ("Who You Are\n\n-5–8 years of full sales cycle or account management experience", (5, 8)),
    ("You bring:\n-3+ years configuring benefit plans\n-5+ years of experience as a claims examiner", (5, None)),
    ("Professional Android Development Experience: You have 3-5 years of experience in Android", (3, 5)),
    # several requirements: the largest required minimum, max only from its own range
    ("- Have 1+ years of engineering management experience\n- Have 5+ years of industry experience", (5, None)),
    ("- 10+ years of product management experience, with at least 2+ years in conversational AI", (10, None)),
    ("- 3-5 years of experience with Go\n- 2+ years with Kubernetes", (3, 5)),
    ("- 3+ years of experience in backend development\n- 7+ years infrastructure experience preferred", (3, None)),
    ("- 7+ years backend or full-stack experience is preferred", (7, None)),  # only a preferred one: use it
    # a later parenthesis qualifies what it follows, not the years; one holding only the preferred word does not
    (
        "- 6+ years in enterprise sales with a strong outbound background (ideally DevOps or security tools)\n"
        "- 3+ years selling into Fortune 500 companies",
        (6, None),
    ),
    ("- 4+ years of backend experience (Go or Rust preferred)\n- 2+ years with Kafka", (4, None)),
    ("- 6+ years of Kotlin experience (preferred)\n- 3+ years of Android development", (3, None)),
    ("- 6+ years (preferred) of Kotlin experience\n- 3+ years of Android development", (3, None)),
    # not requirements
    ("Acme was founded 10 years ago in Berlin.", (None, None)),
    ("For over 20 years we have been building tools for developers.", (None, None)),
    ("We have been around for 15 years.", (None, None)),
    ("We are celebrating our 10-year anniversary this spring!", (None, None)),
    ("- 4 years of college or university education", (None, None)),
    ("A 4-year degree in Computer Science", (None, None)),
    ("Within 2 years you will lead a team of five engineers.", (None, None)),
    ("In the next 3 years we plan to expand to Asia.", (None, None)),
    ("In just two years, we achieved unicorn status.", (None, None)),
    ("Our platform serves 5 years old children and their parents.", (None, None)),
    ("Applicants must be at least 18 years of age.", (None, None)),
    ("We also recognise significant work anniversaries (3, 5, 8, 10 years) with additional time off.", (None, None)),
    ("- Paid month off after 4 years & every 2 years thereafter", (None, None)),
    ("a four-year vesting period and one-year cliff", (None, None)),
    ("Our founders have a combined 30 years of experience in fintech.", (None, None)),
    # years that people already at the company have
    (
        "You will work alongside our lead engineer who has 12 years of experience in e-commerce. You have at least"
        " 3 years of Shopify experience.",
        (3, None),
    ),
    ("The majority of our engineers have more than 10 years of professional experience.", (None, None)),
    ("Our ideal candidate has 5+ years of experience with Go.", (5, None)),  # the hire: a requirement
    ("- Fertility HRA (up to $10,000 per year)", (None, None)),
    ("I spent 5 years in Berlin before joining.", (None, None)),
    ("Our 100 years old company", (None, None)),
    ("Backed by 60 years of research", (None, None)),
    ("", (None, None)),
]


# Issue 19's classes, in our own words: months as fractions of a year, other languages, years the employer has.
MORE_CASES = [
    # months
    ("- 6+ months of hands-on experience with Kotlin", (0.5, None)),
    ("Between 3-9 months of experience in customer support", (0.25, 0.75)),
    ("at least 6 months and up to 3 years of experience as an analyst", (0.5, 3)),
    ("A 6-month contract; experience with Go is welcome.", (None, None)),
    ("You will get feedback within 3 months; experience with Rust helps.", (None, None)),
    ("Paid 4,000 per month depending on experience.", (None, None)),
    # German
    ("- Mindestens 3 Jahre Berufserfahrung in der Backend-Entwicklung", (3, None)),
    ("- Berufserfahrung von 4+ Jahren im Cloud-Umfeld", (4, None)),
    ("- 2 bis 4 Jahre Erfahrung mit verteilten Systemen", (2, 4)),
    ("Du arbeitest seit mindestens drei Jahren als Data Engineer?", (3, None)),
    ("- Eine Ausbildung oder praktische Erfahrung (2–5 Jahre) im Support", (2, 5)),
    ("Wir sind ein Familienunternehmen mit über 60 Jahren Erfahrung im Maschinenbau.", (None, None)),
    ("- Mehrjährige Erfahrung in der Buchhaltung", (None, None)),
    ("- 30 Tage Urlaub im Jahr", (None, None)),
    # French
    ("- 4 ans d'expérience minimum en développement Java", (4, None)),
    ("Au moins deux ans d’expérience en gestion de projet.", (2, None)),
    ("Notre société accompagne ses clients depuis plus de 20 ans.", (None, None)),
    # Italian
    ("- Almeno 5 anni di esperienza come sviluppatore backend", (5, None)),
    ("- tra 2 e 4 anni di esperienza nel ruolo", (2, 4)),
    # Spanish
    ("- Al menos 3 años de experiencia con Python", (3, None)),
    ("- +5 años trabajando con bases de datos relacionales", (5, None)),
    ("- 2-4 años de experiencia en QA (idealmente en fintech)", (2, 4)),
    ("Llevamos más de 15 años en el sector: nuestra experiencia es la clave.", (None, None)),
    # Dutch
    ("- Minimaal 4 jaar werkervaring als ontwikkelaar", (4, None)),
    ("- 3+ jaar ervaring met Kubernetes", (3, None)),
    # years the employer or its team has
    ("Join a team with 12+ years of combined experience in payments.", (None, None)),
    ("We are a studio with 25 years in games. You bring 4+ years of C++.", (4, None)),
    ("You are a team player with 3+ years of Go experience.", (3, None)),
    ("- 2+ years of agency experience", (2, None)),
]


@pytest.mark.parametrize(("text", "expected"), MORE_CASES)
def test_months_languages_and_holders(text, expected):
    assert parse_experience(text) == expected


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse_experience(text, expected):
    assert parse_experience(text) == expected


def _check(result):
    lo, hi = result
    for v in (lo, hi):
        assert v is None or (isinstance(v, float) and 0 <= v <= 50)
    if lo is not None and hi is not None:
        assert lo <= hi
    if lo is None:
        assert hi is None


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_random_text(text):
    _check(parse_experience(text))


_TOKENS = st.sampled_from(
    [
        "5", "10", "99", "0", "1.5", "five", "twenty", "+", "-", "–", "to", "or", "more", "years", "year", "yrs",
        "of", "experience", "at least", "minimum", "over", "ago", "old", "(", ")", "3,", "'", "’", "preferred",
        "founded", "degree", "\n", ".", "in", "Python", "plus", "5-year", "7+", "3-5", "50-60",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKENS, max_size=30).map(" ".join))
def test_adversarial_tokens(text):
    _check(parse_experience(text))


# The speed path tries the pattern only in the stretch before each "year"/"yr"; it must find exactly what a plain
# finditer finds, whatever the case, spacing, dashes, digits and neighbouring units.
_SPEED_TOKENS = st.sampled_from(
    [
        "5", "10", "3.5", "٣", "five", "Twenty", "twentyyr", "(", ")", "(5)", "+", "plus", "-", "–", "—", "to", "or",
        "more", "years", "year", "yrs", "yr", "YEARS", "Year", "yR", "years'", "yr’s", "yyear", "experience", "of",
        "at least", "a", "ago", "$", "€", "/", ".", "\n", "  ", "\u00a0", "\u2009", "İ", "ſix", "ı", "K", "x",
        "yrsx", "Yearly", " " * 70,  # the last: a stretch longer than one backward step
    ]
)  # fmt: skip
_SPEED_SEPARATORS = st.sampled_from(["", " ", " ", "  ", "\n", "\t", "-", ", "])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_SPEED_TOKENS, _SPEED_SEPARATORS), max_size=30).map(lambda ps: "".join(a + b for a, b in ps))
)
def test_candidates_are_the_plain_finditer(text):
    found = [(m.span(), m.groupdict()) for m in experience._candidates(text)]
    assert found == [(m.span(), m.groupdict()) for m in experience._CANDIDATE.finditer(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("REQUIREMENTS: 5+ YEARS OF EXPERIENCE", (5, None)),
        ("3 to\n5 Years of experience", (3, 5)),  # a range across a line break
        ("at least seven\u00a0years of experience", (7, None)),  # a non-ASCII space
        ("5 yrs 3+ yrs of experience", (3, None)),  # units next to each other; the bare "5 yrs" has no cue
        ("Experience: 4 years minimum (6 preferred)", (4, None)),
        # the bounded search before "yr" must not take "1+yr" out of "1+yrsexp" (no unit: no word boundary)
        ("A5 yr 1+yrsexp", (None, None)),
    ],
)
def test_units_in_any_form(text, expected):
    assert parse_experience(text) == expected


def test_large_input():
    text = "5 years " * 100_000 + "x" * 500_000 + "\n- 3+ years of experience with Go"
    assert parse_experience(text) == (3, None)


@pytest.mark.corpus
def test_corpus_smoke():
    texts = corpus_descriptions()
    assert len(texts) > 300
    found = 0
    for text in texts:
        result = parse_experience(text)
        _check(result)
        found += result[0] is not None
    assert found > len(texts) // 2


@pytest.mark.corpus
def test_quality_floor_on_the_labelled_sentences():
    """tests/data/field_labels.tsv: experience sentences of real postings in four languages (both splits)."""
    from bench.eval_fields import Postings, cases
    from tests.corpus import require_corpus

    figures = cases(Postings.load(require_corpus()))
    right = sum(figures[s]["experience"][0] for s in ("dev", "test"))
    total = sum(figures[s]["experience"][1] for s in ("dev", "test"))
    assert total >= 140 and figures["stale"] == 0
    assert right / total >= 0.95


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("You have f\u0131ve years of experience with Go.", 5),  # dotless i, which IGNORECASE reads as i
        ("At least \u017fix years of experience building APIs.", 6),  # long s, read as s
        ("F\u0130VE years of experience in backend work.", 5),  # dotted capital I
    ],
)
def test_a_number_word_with_a_letter_ignorecase_folds_is_read(text, years):
    assert parse_experience(text) == (years, None)  # it raised ValueError before


# --- _other_mentions reads the shared folded text where it is text.lower() (the previous code lowered it) --------

# Texts in our own words that open the months/other-languages gate, with the letters fold and lower() treat
# differently: İ (lower() lengthens it, fold maps it to i), ı and ſ (fold maps them to i and s), an "I" or "i"
# followed by a combining dot (fold joins them), the Kelvin sign (both lower it to k).
LOWERED_CASES = [
    "Mindestens 3 Jahre Erfahrung im Backend; 6 Monate Probezeit.",
    "Au moins 4 ans d'expérience en Python, idéalement 5 ans.",
    "18 months of production Go, ideally in payments — ünïcödé text",
    "Mindestens 3 Jahre Erfahrung in İzmir oder remote.",
    "Mindestens 3 Jahre Erfahrung; ıdeally more.",
    "Mindestens 3 Jahre Erfahrung mit Kubernetes in Beſtand.",
    "Mindestens 3 Jahre Erfahrung mit I\u0307 und i\u0307 im Text.",
    "Mindestens 3 Jahre Erfahrung mit \u212a8s.",
    "Al menos 2 años de experiencia con APIs REST.",
    "Almeno 3 anni di esperienza in Java.",
    "Minimaal 4 jaar ervaring met Go.",
]


@pytest.mark.parametrize("text", LOWERED_CASES)
def test_lowered_is_text_lower(text):
    from pipeline.text import folded

    assert experience._lowered(text) == text.lower()
    folded.cache_clear()


def _with_plain_lower(text: str):
    """parse_experience as it was: ``_other_mentions`` over ``text.lower()``."""
    saved = experience._lowered
    experience._lowered = str.lower
    try:
        return parse_experience(text)
    finally:
        experience._lowered = saved


@pytest.mark.parametrize("text", LOWERED_CASES)
def test_other_mentions_unchanged_by_the_shared_folded_text(text):
    assert parse_experience(text) == _with_plain_lower(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["3", "18", " Jahre", " months", " ans", "İ", "ı", "ſ", "\u0307", "K", " ", "I"]), max_size=20
    ).map("".join)
)
def test_lowered_on_generated_text(text):
    assert experience._lowered(text) == text.lower()


@pytest.mark.corpus
def test_other_mentions_unchanged_on_the_corpus():
    for text in corpus_descriptions():
        assert experience._lowered(text) == text.lower()
        assert parse_experience(text) == _with_plain_lower(text)
