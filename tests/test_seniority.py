"""pipeline.seniority: seniority from the title (level words, ladders) and, conservatively, the description."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import scan, seniority
from pipeline.model import SENIORITIES
from pipeline.seniority import infer_seniority, seniority_from_text, seniority_from_title
from pipeline.text import finditer_gated, html_to_text
from tests.corpus import require_corpus

TITLE_CASES = [
    # plain level words
    ("Senior Backend Engineer", "senior"),
    ("Sr. Software Engineer, Payments", "senior"),
    ("Sr Backend Engineer (Typescript, Node)", "senior"),
    ("Snr Python Developer", "senior"),
    ("Engineer Sr, DevOps", "senior"),
    ("Optimile: (Senior) Python Full Stack Software Developer", "senior"),
    ("Staff Software Engineer, Infrastructure", "staff"),
    ("Principal Software Engineer - Backend", "principal"),
    ("Distinguished Engineer, Storage", "principal"),
    ("Lead Salesforce Engineer", "lead"),
    ("Tech Lead – .Net / C# (Remote – Mexico Only)", "lead"),
    ("Generative AI Pipeline Engineer (Tech Lead)", "lead"),
    ("Fraud Operations Team Lead", "lead"),
    ("Technical Team Leader - Backend", "lead"),
    ("Junior Full Stack Software Engineer", "junior"),
    ("Jr. Backend Developer", "junior"),
    ("Entry-Level Crypto Market Specialist", "junior"),
    ("Graduate Software Engineer 2026", "junior"),
    ("Agent Software Engineer - New Grad (2026 Start)", "junior"),
    ("Software Engineer, Early Career", "junior"),
    ("Associate Software Engineer", "junior"),
    ("Associate Application Engineer", "junior"),
    ("Mid Backend Engineer", "mid"),
    ("Mid-Level Python Developer", "mid"),
    ("Medior Backend Developer (m/w/d)", "mid"),
    ("Intermediate Web Applications Developer - JAVA/AWS (Remote)", "mid"),
    ("Brighthire - Ssr Full Stack Engineer (Python)", "mid"),
    ("Semi-Senior Backend Developer", "mid"),
    ("Software Engineer, Intern", "intern"),
    ("Software Engineering Internship - Summer 2026", "intern"),
    ("Agent Software Engineer - Intern (Summer 2026)", "intern"),
    ("Werkstudent IT-Support (m/w/d)", "intern"),
    ("Praktikum Online-Marketing / Marketing / KI / AI", "intern"),
    ("Digital Production Engineering Intern OR Student Co-Op", "intern"),
    # managers
    ("Engineering Manager, Payments", "manager"),
    ("Senior Engineering Manager", "manager"),
    ("Software Development Manager", "manager"),
    ("Manager, Software Engineering (L4)", "manager"),
    ("Manager- Site Reliability Engineering", "manager"),
    ("Senior Manager, Site Reliability Engineering (Federal)", "manager"),
    ("Sr. Manager of Creator Partnerships", "manager"),
    ("Head of Engineering", "manager"),
    ("Director, Engineering - Okta Integration Network", "manager"),
    ("VP, Data Platforms", "manager"),
    ("Vice President, Engineering - Authentication", "manager"),
    ("MyWorkDoc: Software Architect/CTO", "manager"),
    # roles named "manager" are not the management level
    ("Senior Product Manager, Wallet", "senior"),
    ("Technical Program Manager, Link", None),
    ("Product Manager", None),
    ("Account Manager", None),
    ("Partner Development Manager", None),
    ("(Junior) HR Manager (m/w/d) - Schwerpunkt Recruiting", "junior"),
    # ladders and levels
    ("Software Engineer I", "junior"),
    ("Software Engineer II, Developer Tooling (Auth0)", "mid"),
    ("DevOps Engineer III", "senior"),
    ("DevOps Engineer IV (Obs)", "staff"),
    ("Data Scientist V", "principal"),
    ("Cofense: Java Software Engineer, III", "senior"),
    ("SWE II/III, Backend", "mid"),
    ("Software Engineer 2", "mid"),
    ("Site Reliability Engineer 3", "senior"),
    ("Backend Engineer (L4)", "mid"),
    ("Software Engineer, L5", "senior"),
    ("Software Engineer (E5), Infrastructure", "senior"),
    ("Backend Engineer - E6", "staff"),
    ("Software Engineer IC3", "senior"),
    ("Support Engineer Level 2", "mid"),
    ("L5", "senior"),
    # ranges take the lower, stacked words the higher
    ("Senior / Staff Fullstack Engineer", "senior"),
    ("Mid/Senior AI Video Artist", "mid"),
    ("Cashea - Sr./Lead Frontend Engineer (Flutter/RN)", "senior"),
    ("Nubank - Sr/Lead Backend Engineer", "senior"),
    ("LegalTech Startup - Tech Lead/Principal Engineering", "lead"),
    ("Site Reliability Engineering, Fabric (Mid, Senior, or Staff)", "mid"),
    ("Software Engineer - Campus (Intern & New Grad)", "intern"),
    ("Senior Staff Software Engineer", "staff"),
    ("Senior Principal Product Designer", "principal"),
    ("ClickGUARD Inc.: Senior Technical Lead", "lead"),
    ("Principal Engineer (L5)", "principal"),
    ("Ausbildung Fachinformatiker für Anwendungsentwicklung (m/w/d)", "intern"),  # an apprenticeship (issue 19)
    ("Azubi Kaufmann für IT-Systemmanagement (m/w/d)", "intern"),
    ("Senior Software Engineer II, Data", "senior"),
    ("Associate Technical Services Engineer II", "mid"),
    # traps
    ("Staff Accountant", "staff"),  # still staff; the role filter drops non-engineering
    ("Chief of Staff", None),
    ("Leiter Ausbildungszentrum (m/w/d)", None),  # "Ausbildung" only as a whole word
    ("Lead Generation Specialist", None),
    ("Account Executive Mid Market", None),
    ("Mid-Market Account Executive", None),
    ("Internal Auditor", None),
    ("International Accounting Specialist", None),
    ("Benefits Advisor Leadership Training Program", None),
    ("Leading Fintech hiring Backend Engineers", None),
    ("Policylead: Laravel Fullstack Developer (m/w/d)", None),
    ("Tier III Service Desk Engineer", None),
    ("Senior Fullstack Engineer (f/m/d) - Berlin I Germany, EMEA I Remote", "senior"),
    ("Sr Finance Systems Admin (L1 Support & Admin)", "senior"),
    ("Support Engineer (L1)", None),
    ("Associate General Counsel - Corporate", None),
    ("Associate Product Manager", None),
    ("Associate Director, Platform", "manager"),
    ("Office of the CEO, Founder Associate", None),
    ("Executive Assistant to the CEO", None),
    ("Forward Deployed Engineer, Compliance [Office of the CTO]", None),
    ("Founding Engineer (Backend)", None),
    ("Backend Engineer", None),
    ("Software Engineer 2026", None),
    ("Lead Bank: Software Engineer", None),
    ("", None),
]


@pytest.mark.parametrize(("title", "expected"), TITLE_CASES)
def test_title(title, expected):
    assert seniority_from_title(title) == expected
    value, provenance = infer_seniority(title)
    assert value == expected
    assert provenance == ("title" if expected else None)


TEXT_CASES = [
    ("ABOUT THE ROLE\n\nWe are seeking a Senior Backend Engineer to join our backend engineering team.", "senior"),
    ("We’re looking for a Senior Full Stack Engineer to lead the development of our platform.", "senior"),
    ("We're hiring a Staff Engineer to own our data platform.", "staff"),
    ("We are looking for a highly motivated Junior Developer to join the team.", "junior"),
    ("We're looking for a senior to staff level product manager to join the team.", "senior"),
    ("As a Senior Developer, you are effective in lifting the level of your team.", "senior"),
    ("Join us as a Principal Engineer and shape our architecture.", "principal"),
    ("This is a senior-level role on the payments team.", "senior"),
    ("We are looking for an Engineering Manager to grow the platform team.", "manager"),
    ("We are hiring a Tech Lead for our mobile squad.", "lead"),
    ("This is an internship for students graduating in 2027.", "intern"),
    ("We are looking for an experienced, entry-level engineer.", "junior"),
    ("As the company grows, we need an experienced mid-level Platform Engineer to join our team.", "mid"),
    ("This is the perfect opportunity for a junior Shopify developer looking to grow.", "junior"),
    ("This is a great mid-level opportunity for someone seeking a long-term position.", "mid"),
    # not seniority
    ("5+ years of experience building distributed systems.", None),
    ("You will mentor junior engineers and work with senior leadership.", None),
    ("Senior engineers on the team will review your code.", None),
    ("You will report to the Senior Engineering Manager.", None),
    ("Our interns ship real features.", None),
    ("We are looking for someone to mentor junior engineers.", None),
    ("We are looking for a Backend Engineer to work with senior stakeholders.", None),
    ("As a staff of 40 people, we move fast.", None),
    ("We need senior engineers to review every pull request.", None),  # "we need" frames only "a/an <role>"
    ("A mentorship opportunity for junior engineers on the team.", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_text(text, expected):
    assert seniority_from_text(text) == expected
    value, provenance = infer_seniority("Backend Engineer", text)
    assert value == expected
    assert provenance == ("text" if expected else None)


def test_title_wins_over_text():
    assert infer_seniority("Staff Backend Engineer", "We are looking for a Senior Engineer.") == ("staff", "title")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300), st.text(max_size=2000))
def test_random_text_never_raises(title, text):
    value, provenance = infer_seniority(title, text)
    assert value is None or value in SENIORITIES
    assert provenance in (None, "title", "text")
    assert (value is None) == (provenance is None)


_WORDS = st.sampled_from(
    [
        "Senior", "Sr.", "Staff", "Lead", "Tech", "Manager", "Engineering", "Intern", "II", "III", "L5", "/",
        "or", "-", ",", "(", ")", "Head of", "Junior", "Mid", "Principal", "Engineer", "Software", "Chief",
        "of", "the", "CTO", "Associate", "Level", "2", "E5", "IC3", "Director", "Team", "&", ":", "\n",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_WORDS, max_size=25).map(" ".join))
def test_adversarial_titles(title):
    value, _ = infer_seniority(title, "We are looking for a " + title)
    assert value is None or value in SENIORITIES


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Sr.Backend Engineer", "senior"),  # a word after "." still starts a match
        ("Engineering-Manager", "manager"),
        ("Software Engineer (Manager)", "manager"),
        ("SOFTWARE ENGINEER II", "mid"),
        ("l5 engineer", "senior"),
        ("Ic3 Software Engineer", "senior"),
        # "i" matches the Turkish ı and İ under IGNORECASE; the numeral lookup raised KeyError on them
        ("Software Engineer ı", "junior"),
        ("Software Engineer İİ", "mid"),
    ],
)
def test_title_forms(title, expected):
    assert seniority_from_title(title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are hiring a\u00a0Senior Engineer to join", "senior"),  # a non-ASCII space before the candidate
        ("looking for a talented,senior engineer", "senior"),  # a comma before it
        ("AS A TECH LEAD, YOU WILL own the roadmap", "lead"),
        ("Join us as a\nStaff Engineer", "staff"),
        ("Seeking a Principal\u2009Engineer", "principal"),
        ("We are looking for an experienced (senior) engineer", None),  # no frame right before "senior"
        ("we are looking for a seniorengineer", None),
        ("mentor junior engineers as a senior", None),
    ],
)
def test_text_forms(text, expected):
    assert seniority_from_text(text) == expected


_TITLE_PIECES = st.sampled_from(
    [
        "Senior", "SR.", "sr", "Staff", "Lead", "Tech", "Manager", "manager", "Engineering", "Intern", "II", "iii",
        "IV", "v", "L5", "e4", "IC3", "ict2", "Level", "2", "Head of", "Junior", "Mid", "Principal", "Engineer",
        "Software", "SWE", "Chief", "Officer", "of", "the", "CTO", "VP", "Associate", "Director", "Team",
        "Data Scientist", "Co-op", "Werkstudent", "Mid-Market", "Lead Generation", "é", "Σ",
    ]
)  # fmt: skip
_TITLE_SEPARATORS = st.sampled_from(
    [" ", "  ", ", ", "-", " - ", " – ", "/", " / ", "(", ")", ": ", "|", "&", ".", ""]
)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_TITLE_PIECES, _TITLE_SEPARATORS), max_size=8).map(lambda ps: "".join(a + b for a, b in ps))
)
def test_title_scan_is_the_plain_finditer(title):
    # the lowered title, tried only where a match can start, finds what the IGNORECASE pattern finds
    low = title.lower()
    gated = finditer_gated(seniority._TITLE_TOKENS_LOW, low, seniority._TITLE_START, low)
    plain = seniority._TITLE_TOKENS.finditer(title)
    assert [(m.span(), m.lastgroup) for m in gated] == [(m.span(), m.lastgroup) for m in plain]


_TEXT_PIECES = st.sampled_from(
    [
        "looking for", "seeking", "hiring", "in search of", "join us as", "join our team as", "this is",
        "this role is", "position of", "as", "a", "an", "our", "the", "very", "talented", "and", ",", "&",
        "engineering manager", "software engineering manager", "head of engineering", "tech lead", "technical lead",
        "team lead", "lead backend engineer", "intern", "internship", "internal", "junior", "jr.", "entry-level",
        "graduate", "new grad", "mid-level", "intermediate", "senior", "Senior", "SR.", "sr", "staff", "staff of",
        "principal", "engineer", "developer", "role", "position", "member", "(", ".", "!", ";", "\n", "é", "\u00a0",
        "-",
    ]
)  # fmt: skip
_TEXT_SEPARATORS = st.sampled_from([" ", " ", "", "\n", "  ", ", ", "\t", "\u00a0"])


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_TEXT_PIECES, _TEXT_SEPARATORS), max_size=25).map(lambda ps: "".join(a + b for a, b in ps)))
def test_text_scan_agrees_with_the_gated_pattern(text):
    # the byte scan (candidates after a space or a comma only) decides as the pattern tried at every word
    assert seniority._from_text(text, True) == seniority._from_text(text, False)


def test_large_input_is_linear_enough():
    text = ("We are looking for a senior " + "x " * 50 + "\n") * 5000 + "mentor junior engineers " * 20000
    assert seniority_from_text(text) is None
    assert seniority_from_title("Senior " * 10000) == "senior"


def _corpus_postings():
    root = require_corpus("sources")
    postings = []
    for path in sorted((root / "greenhouse").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        jobs = data.get("jobs", [data]) if isinstance(data, dict) else data
        postings += [(j.get("title") or "", html_to_text(j.get("content"))) for j in jobs if isinstance(j, dict)]
    for path in sorted((root / "ashby").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        jobs = data.get("jobs", []) if isinstance(data, dict) else data
        postings += [
            (j.get("title") or "", j.get("descriptionPlain") or html_to_text(j.get("descriptionHtml")))
            for j in jobs
            if isinstance(j, dict)
        ]
    return postings


@pytest.mark.corpus
def test_corpus_smoke():
    postings = _corpus_postings()
    assert len(postings) > 300
    found = 0
    for title, text in postings:
        value, _ = infer_seniority(title, text)
        assert value is None or value in SENIORITIES
        found += value is not None
    assert found > len(postings) // 3


# Issue 19's classes, in our own words.
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # interns, apprentices and trainees in other languages are intern level
        ("Praktikum Softwareentwicklung (m/w/d)", "intern"),
        ("Werkstudentin Data Engineering", "intern"),
        ("Duales Studium Wirtschaftsinformatik 2027", "intern"),
        ("Auszubildender Fachinformatiker (w/m/d)", "intern"),
        ("Stage - Ingénieur Backend (H/F)", "intern"),
        ("Développeur Java en alternance", "intern"),
        ("Alternant Data Engineer", "intern"),
        ("Becaria de desarrollo web", "intern"),
        ("Prácticas en ingeniería de datos", "intern"),
        ("Tirocinio Sviluppatore Python", "intern"),
        ("Stagiair Software Development", "intern"),
        ("Graduate Trainee Programme - Technology", "intern"),
        ("Software Apprentice", "intern"),
        ("Stage Manager", None),  # theatre, not a French internship
        # managing directors and other executives are manager level
        ("Geschäftsführer (m/w/d) IT-Dienstleister", "manager"),
        ("Managing Director, Cloud Services", "manager"),
        ("Directrice Générale Adjointe", "manager"),
        ("Director General de Tecnología", "manager"),
        ("Amministratore Delegato", "manager"),
        # creative direction and sales leads are trades, not levels
        ("Art Director", None),
        ("Creative Director - Campaigns", None),
        ("Lead Art Director", "lead"),
        ("Senior Design Director", "senior"),
        ("Director of Engineering", "manager"),
        ("Lead Qualification Specialist", None),
        ("Outbound Lead Researcher", None),
        ("Inbound Leads Coordinator", None),
        ("Lead Backend Engineer", "lead"),
    ],
)
def test_other_languages_and_trades(title, expected):
    assert seniority_from_title(title) == expected


def test_quality_floor_on_the_labelled_titles():
    """tests/data/field_labels.tsv: hand-labelled titles (German, English; labelled before the issue 19 rules)."""
    from bench.eval_fields import FIELD_LABELS, _rows

    rows = [r for r in _rows(FIELD_LABELS) if r["field"] == "seniority"]
    right = sum(
        seniority_from_title(r["title"]) == (None if r["expected"] == "none" else r["expected"]) for r in rows
    )
    assert len(rows) >= 140
    assert right / len(rows) >= 0.95


# The compiled scan's gate (seniority.framed_candidate): a description without a hiring frame right before a
# candidate's first word skips the candidate scan. Each text answers the same as with every gate open.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are hiring a Senior platform engineer to own billing.", "senior"),
        ("Our team is seeking an experienced, driven Staff engineer.", "staff"),
        ("You will join us as a tech lead for the data group.", "lead"),
        ("Come work here AS A PRINCIPAL ENGINEER in payments.", "principal"),
        ("We hire\u00a0juniors? No: we are looking for\u2003a junior developer.", "junior"),
        ("Seniors on the team mentor everyone. Apply today.", None),
        ("The senior staff of the company meets weekly.", None),
        ("hiring.senior engineer", None),  # the sentence ends between the frame and the word
        ("Looking for a Sr. Engineer?", "senior"),
        ("This role is   an intern position for the summer.", "intern"),
        ("", None),
        ("No level words at all in this one.", None),
    ],
)
def test_text_gate_keeps_the_answer(text, expected):
    assert seniority_from_text(text) == expected
    with scan.all_open():
        assert seniority_from_text(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_TEXT_PIECES, _TEXT_SEPARATORS), max_size=25).map(lambda ps: "".join(a + b for a, b in ps)))
def test_text_gate_agrees_with_every_gate_open(text):
    with scan.all_open():
        reference = seniority_from_text(text)
    assert seniority_from_text(text) == reference


@pytest.mark.corpus
def test_text_gate_changes_no_answer_on_the_corpus():
    from bench.bench_normalize import Item
    from bench.corpus import load_corpus

    texts = [item.text for item in map(Item, load_corpus(require_corpus()).postings) if item.text]
    assert len(texts) > 500
    with scan.all_open():
        reference = [seniority_from_text(text) for text in texts]
    assert [seniority_from_text(text) for text in texts] == reference
