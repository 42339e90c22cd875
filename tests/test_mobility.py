"""pipeline.mobility: visa sponsorship and relocation (True / False / None)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.mobility import parse_relocation, parse_visa_sponsorship
from tests.corpus import corpus_descriptions

VISA_CASES = [
    # offered
    ("We sponsor visas.", True),
    (
        "We do sponsor visas! However, we aren't able to successfully sponsor visas for every role and every "
        "candidate.",
        True,
    ),
    (
        "Visa sponsorship available: Kikoff is willing to provide sponsorship for H1-B visas and U.S. green cards "
        "for exceptional talent.",
        True,
    ),
    ("Acme | Senior Research Engineer | New York City (FiDi) | ONSITE | Full-time | VISA SPONSORSHIP", True),
    ("Acme | Platform Engineer | Full-time | Austria or Remote EU Hours | VISA sponsorship available", True),
    ("Acme | ML Engineer | ONSITE - NYC, SF | $170k-220k salary + equity and benefits | Will sponsor any visa", True),
    ("EngagedMD is able to sponsor current H1B visa holders for this role.", True),
    ("We offer visa sponsorship and relocation support.", True),
    ("We can support visa applications for individuals based there.", True),
    ("Visa sponsorship: Yes", True),
    ("We provide visa support and a relocation package for the right candidate.", True),
    ("Visa assistance is available for candidates moving to Lisbon.", True),
    # not offered
    ("We are unable to sponsor visas at this time.", False),
    ("~ We are unable to sponsor a visa at this time - must be US Citizen or hold a Green Card", False),
    ("No sponsorship is available for this role.", False),
    ("**No Sponsorship for this Role or OPT**", False),
    ("Does Not Offer Sponsorship", False),
    ("Visa sponsorship is NOT available at this time.", False),
    ("Please note that visa sponsorship is not available for this position.", False),
    ("- Not eligible for visa sponsorship", False),
    ("Candidates must be authorized to work in the US without sponsorship.", False),
    (
        "Applicants must be currently authorized to work in the United States without the need for visa sponsorship "
        "now or in the future.",
        False,
    ),
    ("We will not sponsor individuals for employment visas, now or in the future, for this job opening.", False),
    ("Allstate generally does not sponsor individuals for employment-based visas for this position.", False),
    ("At this time, we will not be able to support visa sponsorship or transfer.", False),
    (
        "At this time, we're not considering applicants that need any type of immigration sponsorship (additional "
        "work authorization or permanent work authorization) now or in the future.",
        False,
    ),
    (
        "Applicants must have work authorization that does not now and/or will not in the future require sponsorship "
        "of a visa for employment authorization in the US.",
        False,
    ),
    ("Must live and work in the US without sponsorship.", False),
    (
        "Based in the United States with extant permission to work here (sorry, no visa sponsorships right now).",
        False,
    ),
    ("Visa sponsorship:\nNo", False),
    # an agency or contractor model that says it does not help with the visa
    ("We do not provide visa assistance, and contractors are paid as independent partners.", False),
    ("Please note: we cannot offer visa support for this position.", False),
    ("Visa support is not available for this role.", False),
    # unknown
    ("Must be authorized to work in the US.", None),
    ("Do you require visa sponsorship?", None),
    ("Do you now or in the future require sponsorship for employment visa status (e.g. H-1B)?", None),
    ("American Express may provide visa sponsorship for certain positions.", None),
    ("- A company-sponsored 401(k) through Vestwell", None),
    ("You will partner with executive sponsors and senior TLs.", None),
    ("Offers company-sponsored outings and happy hours.", None),
    ("Experience with corporate sponsorship and fundraising.", None),
    ("Our checkout adds Visa support for Apple Pay wallets.", None),  # the card network, not immigration
    ("We sponsor visas for engineers. Visa sponsorship is not available for this role.", None),  # contradictory
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), VISA_CASES)
def test_visa(text, expected):
    assert parse_visa_sponsorship(text) is expected


RELOCATION_CASES = [
    # offered
    ("- Relocation assistance provided", True),
    (
        "This role is based in Lisbon, Portugal. We offer an excellent relocation package for people living outside "
        "of Portugal.",
        True,
    ),
    ("The role is preferably based in the Netherlands, Portugal, or France and supports relocation.", True),
    ("- Relocation support to NYC or SF (as needed)", True),
    ("● Full support to manage relocations", True),
    ("We provide a relocation stipend of $10,000.", True),
    ("Relocation Provided: Yes, if applicable", True),
    ("Relocation Eligible: Eligible for Standard Relocation", True),
    ("Relocation Authorized:  National - Family", True),
    ("Este proceso incluye relocation a San Francisco.", True),
    ("Must be willing to relocate to Austin; relocation assistance is provided.", True),
    # German postings write the English word as a hyphenated compound
    ("Wir begleiten Sie bis zum Vertrag, inklusive Relocation-Support für Bewerber aus dem Ausland.", True),
    ("Attraktives Relocation-Package und Jobticket.", True),
    # not offered
    ("No relocation", False),
    ("Relocation is not available for this role.", False),
    ("Relocation assistance is not provided.", False),
    ("We do not offer relocation assistance.", False),
    ("Relocation: No", False),
    ("Relocation Assistance Provided: No", False),
    ("Relocation Provided:\nNo\n\nJob Posting End Date: August 16, 2026", False),
    ("Relocation Eligible: Not Eligible for Relocation", False),
    ("Relocation Authorized:  None", False),
    ("Leider können wir keine Relocation-Unterstützung anbieten; we do not offer relocation-support.", False),
    # the candidate moving, hedges, questions
    ("Must be willing to relocate to Austin, TX.", None),
    (
        "This is not a remote or hybrid position and will require relocation if not already local to the Austin, TX "
        "area.",
        None,
    ),
    ("If not, are you interested in relocating to San Francisco or New York City?", None),
    ("Are you open to relocation for this role?", None),
    ("Hopefully we can convince you to relocate later :)", None),
    ("You may be eligible for travel allowances, relocation assistance, a signing bonus and/or equity.", None),
    ("Apply if you live in one of the states listed above or plan to relocate to one of these states.", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), RELOCATION_CASES)
def test_relocation(text, expected):
    assert parse_relocation(text) is expected


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_random_text(text):
    assert parse_visa_sponsorship(text) in (True, False, None)
    assert parse_relocation(text) in (True, False, None)


_TOKENS = st.sampled_from(
    [
        "visa", "sponsorship", "sponsor", "H-1B", "we", "do", "not", "no", "unable", "to", "available", "?",
        "relocation", "relocate", "assistance", "package", "provided", ":", "Yes", "No", "\n", "|", ".", "must",
        "be", "authorized", "work", "without", "may", "offer", "willing",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKENS, max_size=30).map(" ".join))
def test_adversarial_tokens(text):
    assert parse_visa_sponsorship(text) in (True, False, None)
    assert parse_relocation(text) in (True, False, None)


def test_large_input():
    text = ("sponsor " * 40 + "relocation " * 40 + "\n") * 3000 + "x" * 200_000
    assert parse_visa_sponsorship(text) in (True, False, None)
    assert parse_relocation(text) in (True, False, None)
    text = "lorem ipsum " * 100_000 + "\nWe are unable to sponsor visas. Relocation assistance provided."
    assert parse_visa_sponsorship(text) is False
    assert parse_relocation(text) is True


@pytest.mark.corpus
def test_corpus_smoke():
    texts = corpus_descriptions()
    assert len(texts) > 300
    for text in texts:
        assert parse_visa_sponsorship(text) in (True, False, None)
        assert parse_relocation(text) in (True, False, None)


# --- the fast paths answer as the plain scans do ---------------------------------------------------------------

_MIXED = st.sampled_from(
    [
        "visa", "VISA", "Visas", "sponsor", "Sponsorship", "SPONSORED", "ſponsor", "H-1B", "h1b", "H1-B",
        "work permit", "Work\tPermits", "immigration", "support", "support your visa", "applications", "we",
        "We can support visa applications.", "do", "not", "cannot",
        "no", "unable", "to", "available", "provided", "?", "relocation", "RELOCATE", "Relocating", "reloca",
        "assistance", "package", ":", "Yes", "No", "must", "be", "authorized", "without", "may", "offer", "willing",
        "e.g.", "i.e.", "U.S.", "3.5", ".", "!", ";", "|", " | ", "\n", "\t", "\u2003", "  ", "company-sponsored",
        "every role",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(_MIXED, max_size=40).map(" ".join))
def test_gates_and_leads_answer_as_plain_scan(text):
    from pipeline.mobility import _relocation_answer, _visa_answer

    # leads None: every candidate word is found by the candidate regex itself, and no substring gate applies
    assert parse_visa_sponsorship(text) is (_visa_answer(text, None) if text else None)
    assert parse_relocation(text) is (_relocation_answer(text, None) if text else None)


_STOP_PARTS = st.sampled_from([".", "!", "?", "\n", ";", "|", " ", "\t", "a", "e.g", "i.e", "U.S", " | ", ";\n"])


@given(st.lists(_STOP_PARTS, max_size=30).map("".join))
def test_last_stop_end_equals_finditer(before):
    from pipeline.mobility import _SENTENCE_STOP, _last_stop_end

    ends = [m.end() for m in _SENTENCE_STOP.finditer(before)]
    assert _last_stop_end(before) == (ends[-1] if ends else -1)


# Issue 19: two offers sharing one "available", in our own words.
@pytest.mark.parametrize(
    ("text", "visa", "relocation"),
    [
        ("Visa sponsorship and relocation help available.", True, True),
        ("We have visa and relocation support offered to all hires.", True, True),
        ("Sponsorship & relocation package provided.", None, True),  # no visa word: not about immigration
        ("Visa sponsorship and relocation support are not available.", False, False),
    ],
)
def test_shared_offer(text, visa, relocation):
    assert (parse_visa_sponsorship(text), parse_relocation(text)) == (visa, relocation)
