"""pipeline.employment: employment type from the source's field, the title, then the description."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import employment, scan
from pipeline.employment import employment_from_hint, employment_from_text, infer_employment_type
from pipeline.model import EMPLOYMENT_TYPES
from pipeline.text import html_to_text
from tests.corpus import require_corpus

# structured hints, as the real sources spell them
HINT_CASES = [
    ("FullTime", "full_time"),  # Ashby
    ("PartTime", "part_time"),
    ("Intern", "internship"),
    ("Contract", "contract"),
    ("Temporary", "temporary"),
    ("Full-time", "full_time"),  # Lever commitment, Workable
    ("Full-Time", "full_time"),  # Lever, We Work Remotely
    ("Full Time", "full_time"),  # Himalayas
    ("Permanent", "full_time"),  # Lever
    ("Part-time", "part_time"),
    ("Part Time", "part_time"),
    ("Internship", "internship"),
    ("Fixed term", "temporary"),
    ("Fixed-term", "temporary"),
    ("FULL_TIME", "full_time"),  # JSON-LD
    ("PART_TIME", "part_time"),
    ("CONTRACTOR", "contract"),
    ("TEMPORARY", "temporary"),
    ("INTERN", "internship"),
    ("OTHER", None),
    ("PER_DIEM", None),
    ("VOLUNTEER", None),
    ("full_time", "full_time"),  # Remotive
    ("part_time", "part_time"),
    ("contract", "contract"),
    ("freelance", "contract"),
    ("", None),
    ("Contractor", "contract"),  # Himalayas
    ("permanent", "full_time"),  # SmartRecruiters typeOfEmployment id
    ("part-time", "part_time"),
    ("Regular Full Time", "full_time"),
    (["Full-time permanent", "experienced"], "full_time"),  # Arbeitnow job_types
    (["Freelance", "berufseinstieg"], "contract"),
    (["Internship"], "internship"),
    (["Apprenticeship"], "internship"),
    (["Side"], "part_time"),
    (["berufserfahren"], None),
    (["geschäftsleitung"], None),
    (["professional / experienced"], None),
    (["Working student"], "part_time"),
    ([], None),
    (["Contract"], "contract"),  # Jobicy jobType
    (["Full-Time"], "full_time"),
    ("Full-time, Contract", "contract"),
    ("Contract, Full-time", "contract"),
]


@pytest.mark.parametrize(("hint", "expected"), HINT_CASES)
def test_hint(hint, expected):
    assert infer_employment_type(hint) == (expected, "structured" if expected else None)


def test_hint_wins_over_title_and_text():
    assert infer_employment_type("Contract", "Backend Engineer (Full-time)", "Job Type: Part-time") == (
        "contract",
        "structured",
    )


def test_unknown_hint_falls_back_to_title_then_text():
    assert infer_employment_type("berufserfahren", "Backend Engineer (Contract)") == ("contract", "title")
    assert infer_employment_type(None, "Backend Engineer", "Job Type: Full-time") == ("full_time", "text")


TITLE_CASES = [
    ("Junior Designer (Part-Time Contract)", "contract"),
    ("Social Media Manager, X & Threads (Part-Time Contract)", "contract"),
    ("Contract Data Architect", "contract"),
    ("Inside Sales Contractor", "contract"),
    ("Brand & Creative Designer (Freelance, 100% Remote)", "contract"),
    ("Toptal: Freelance TIBCO Developer", "contract"),
    ("Candidate Experience Coordinator, Contract", "contract"),
    ("Software Engineering Internship - Summer 2026", "internship"),
    ("Software Engineer, Intern", "internship"),
    ("Praktikum Online-Marketing / Marketing / KI / AI", "internship"),
    ("Ausbildung Fachinformatiker Systemintegration (m/w/d)", "internship"),  # an apprenticeship
    ("Azubi Kaufmann im E-Commerce (m/w/d)", "internship"),
    ("Werkstudent IT-Support (m/w/d)", "part_time"),
    ("Backend Engineer (Part-time)", "part_time"),
    ("E-Commerce Tech & Operations Manager (m/w/x)- Hybrid - Vollzeit", "full_time"),
    ("WordPress – Junior Full Stack Software Engineer – REMOTE – Full Time", "full_time"),
    ("Temp Clinical Product Lead", "temporary"),
    ("Data Engineer (Fixed-Term, 12 months)", "temporary"),
    # traps
    ("Contract Manager", None),
    ("Contracts Counsel", None),
    ("Contract Administrator, Procurement", None),
    ("Internal Auditor", None),
    ("Leiter Ausbildungswesen (m/w/d)", None),
    ("International Account Executive", None),
    ("Senior Smart Contract Engineer (EVM)", None),
    ("Senior Backend Engineer", None),
]


@pytest.mark.parametrize(("title", "expected"), TITLE_CASES)
def test_title(title, expected):
    assert infer_employment_type(None, title) == (expected, "title" if expected else None)


TEXT_CASES = [
    ("Job Type: Full-time\nPay: $90,000.00 - $120,000.00 per year\nWork Location: Remote", "full_time"),
    ("Job Types: Full-time, Contract\nPay: $60.00 per hour", "contract"),
    ("Job Type: Contract\nContract length: 6 months", "contract"),
    ("Employment Type: Full-Time; Salaried Permanent Position", "full_time"),
    ("Employment Type:\n- Contract", "contract"),
    ("Position Type: Full-Time, Remote", "full_time"),
    ("Location: Remote\nJob Type: Freelance", "contract"),
    ("Commitment: part-time (20+ hours/week) or full-time", "part_time"),
    ("Type of employment: Internship", "internship"),
    ("This is a 6-month contract role with the possibility of extension.", "contract"),
    ("This is a 6-month contract.", "contract"),
    ("This is a contract-to-hire position.", "contract"),
    ("You will be engaged on a contract basis.", "contract"),
    ("You will work as an independent contractor.", "contract"),
    ("W2 or C2C candidates welcome.", "contract"),
    ("This is a paid summer internship for students.", "internship"),
    ("Please note this is a fixed-term contract covering parental leave.", "temporary"),
    ("This is a part-time role (20 hours a week).", "part_time"),
    ("This is a full-time, permanent role.", "full_time"),
    ("We are hiring for a full-time position in Berlin.", "full_time"),
    # traps
    ("We build smart contracts on Ethereum and Solana.", None),
    ("- Ecosystems data science or B2C/C2C marketplace experience", None),
    ("Strong contract negotiation skills.", None),
    ("Our full-time employees enjoy generous benefits.", None),
    ("Our interns ship real features every summer.", None),
    ("Job Type: Standard", None),
    ("Schedule: Monday to Friday", None),
    ("Commitment: 10+ hours/week", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), TEXT_CASES)
def test_text(text, expected):
    assert infer_employment_type(None, "Backend Engineer", text) == (expected, "text" if expected else None)


def _check(result):
    value, provenance = result
    assert value is None or value in EMPLOYMENT_TYPES
    assert provenance in (None, "structured", "title", "text")
    assert (value is None) == (provenance is None)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=40), st.lists(st.text(max_size=20), max_size=4)),
       st.text(max_size=200), st.text(max_size=2000))  # fmt: skip
def test_random_inputs(hint, title, text):
    _check(infer_employment_type(hint, title, text))


_TOKENS = st.sampled_from(
    [
        "Job Type:", "Employment Type:", "Full-time", "Part-time", "Contract", "contract", "6-month", "this is a",
        "internship", "temporary", "fixed-term", "\n", ",", "or", "role", "position", "smart", "Intern", "C2C",
        "-", "to", "hire", "(", ")", "20", "hours",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_TOKENS, max_size=30).map(" ".join))
def test_adversarial_tokens(text):
    _check(infer_employment_type(None, text[:120], text))


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        (["Full-time", "Contract"], "contract"),
        ((h for h in ["Part-time"]), "part_time"),  # any iterable, read once
        (["Internal", 3, "Intern"], "internship"),  # non-strings are skipped
        ({"label": "x"}, None),
    ],
)
def test_hint_shapes(hint, expected):
    assert employment_from_hint(hint) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("About us.\nJob\nType: Contract", "contract"),  # a label broken over two lines
        ("Employment type :\n- Part-time", "part_time"),
        ("• Job Type: Internship", "internship"),
        ("Salary | Commitment: Temporary | Remote", "temporary"),
        ("Responsibilities: build things.\nJob Types: Full-time, Contract", "contract"),
        ("JOB TYPE: FULL-TIME", "full_time"),
        ("This is a 6\u00a0month contract role", "contract"),  # a non-ASCII space
        ("We offer a full-time, permanent position", "full_time"),
        ("Our C2C marketplace", None),
    ],
)
def test_text_forms(text, expected):
    assert employment_from_text(text) == expected


_SPEED_PIECES = st.sampled_from(
    [
        "job", "Type", "types", "employment", "employee", "contract", "position", "commitment", "engagement", "work",
        "category", "schedule", "of", ":", ": ", "|", "\n", "-", "*", "•", "full-time", "Full Time", "part-time",
        "(20 hours)", "contractor", "contract-to-hire", "temp-to-perm", "on a", "consulting", "basis", "as an",
        "independent", "1099", "corp-to-corp", "c2c", "/", "6-month", "twelve", "months", "week", "freelance",
        "project", "this is a", "is an", "a", "an", "the", "paid", "temporary", "role", "fixed-term",
        "maternity cover", "internship", "program", "alumni", "permanent", ",", ".", "é", "\u00a0", "x",
        "possibility", "to", "with",
        # whole statements, so that every branch is met often
        "a full-time role", "the full-time , salaried position", "full-time, permanent", "an internship",
        "this is a paid internship", "internship program", "a part-time job", "part-time (20-30 hours",
        "6-month contract", "two year freelance engagement", "a remote contract role", "fixed-term contract",
        "a temporary assignment", "12-month maternity cover", "as an independent contractor", "on a consulting basis",
        "1099 contractor", "corp-to-corp", "contract-to-hire", "temp-to-perm", "c2c", "job type: contract",
        " " * 70,
    ]
)  # fmt: skip
_SPEED_SEPARATORS = st.sampled_from([" ", " ", "", "\n", "  ", ", ", "-", "\t"])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_SPEED_PIECES, _SPEED_SEPARATORS), max_size=30).map(lambda ps: "".join(a + b for a, b in ps))
)
def test_anchored_scans_are_the_plain_finditer(text):
    # labels only at colons after a label word, statements only near their anchor words: same matches as finditer
    scan = employment._ascii_folded(text)
    assert [m.span() for m in employment._label_matches(text, scan)] == [
        m.span() for m in employment._LABEL.finditer(text)
    ]
    assert [m.span() for m in employment._text_matches(text, scan)] == [
        m.span() for m in employment._TEXT.finditer(text)
    ]


def test_large_input():
    text = "contract " * 100_000 + "Job Type:" * 10_000 + "\nJob Type: Part-time"
    assert infer_employment_type(None, "", text) == ("part_time", "text")


def _corpus_postings():
    root = require_corpus("sources")
    postings = []
    for path in sorted((root / "greenhouse").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        jobs = data.get("jobs", [data]) if isinstance(data, dict) else data
        postings += [
            (None, j.get("title") or "", html_to_text(j.get("content"))) for j in jobs if isinstance(j, dict)
        ]
    for path in sorted((root / "ashby").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        jobs = data.get("jobs", []) if isinstance(data, dict) else data
        postings += [
            (
                j.get("employmentType"),
                j.get("title") or "",
                j.get("descriptionPlain") or html_to_text(j.get("descriptionHtml")),
            )
            for j in jobs
            if isinstance(j, dict)
        ]
    return postings


@pytest.mark.corpus
def test_corpus_smoke():
    postings = _corpus_postings()
    assert len(postings) > 300
    for hint, title, text in postings:
        _check(infer_employment_type(hint, title, text))
        _check(infer_employment_type(None, title, text))
    # every Ashby posting carries employmentType, and every value seen maps
    assert all(infer_employment_type(h)[0] for h, _, _ in postings if h)


# The compiled scan's gates (employment.label, employment.text): a description with neither a label nor a phrase
# of _TEXT answers None without the label and phrase scans. Each text answers the same as with every gate open.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We ship every week and take time off in August.", None),
        ("Job type: contract (six months)\nWe build payment rails.", "contract"),
        ("Schedule:\n- Part time, mornings", "part_time"),
        ("This is a full-time, permanent role on the ledger team.", "full_time"),
        ("You will join on a freelance basis for the launch.", "contract"),
        ("A 9-month fixed-term contract covering parental leave.", "temporary"),
        ("THIS IS AN INTERNSHIP for students.", "internship"),
        ("Work with Corp-to-Corp partners ınside a small team.", "contract"),  # a dotless i: gates skipped
        ("Employment İs: Part-time", None),
        ("Employment: Part-tıme", "part_time"),  # IGNORECASE equates ı with i
        ("Job type: ſeasonal", "temporary"),
        ("Our c2c marketplace connects buyers.", None),
        ("", None),
    ],
)
def test_text_gates_keep_the_answer(text, expected):
    assert employment_from_text(text) == expected
    with scan.all_open():
        assert employment_from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a contract-to-hire role; temp to perm; on a consulting basis; as an independent contractor",
        "a 1099 contractor; corp to corp; 12-month contract; this is a paid internship; internship program",
        "part-time (20 hours); the full-time permanent position; 6 month maternity cover; a temporary job",
    ],
)
def test_the_gate_pattern_is_text_on_one_line(text):
    """The gate is made from _TEXT with its blanks removed: the same matches."""
    one_line = scan.registered()["employment.text"][0]
    assert [m.span() for m in one_line.finditer(text)] == [m.span() for m in employment._TEXT.finditer(text)]
    assert any(True for _ in employment._TEXT.finditer(text))


@pytest.mark.corpus
def test_text_gates_change_no_answer_on_the_corpus():
    from bench.bench_normalize import Item
    from bench.corpus import load_corpus

    texts = [item.text for item in map(Item, load_corpus(require_corpus()).postings) if item.text]
    assert len(texts) > 500
    one_line = scan.registered()["employment.text"][0]
    with scan.all_open():
        reference = [employment_from_text(text) for text in texts]
    assert [employment_from_text(text) for text in texts] == reference
    for text in texts:
        assert [m.span() for m in one_line.finditer(text)] == [m.span() for m in employment._TEXT.finditer(text)]
