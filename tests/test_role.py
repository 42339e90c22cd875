"""The backend-role filter (pipeline/role.py; policy in docs/role-policy.md)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import role, role_vocabulary
from pipeline.role import classify_role
from pipeline.text import finditer_gated
from tests.corpus import require_corpus

LABELS = Path(__file__).parent / "data" / "role_labels.tsv"
HELDOUT = Path(__file__).parent / "data" / "role_heldout.tsv"

BACKEND_TEXT = (
    "You will design and build backend services and REST APIs in Go and Python, own our PostgreSQL databases, "
    "and scale distributed systems running on Kubernetes in AWS."
)
FRONTEND_TEXT = (
    "You will build pixel-perfect user interfaces in React and TypeScript, own our design system, and care about "
    "CSS, accessibility and front-end performance."
)
MOBILE_TEXT = (
    "Ship features in our iOS and Android apps using Swift, SwiftUI and React Native; mobile release trains."
)
ML_TEXT = "Train and evaluate machine learning models with PyTorch; fine-tuning LLMs; computer vision research."
SILENT_TEXT = "We are a fast-growing company with a great culture, generous benefits and a remote-first team."

# (title, description, expected is_backend, expected reason prefix)
CASES = [
    # explicit backend words
    ("Senior Backend Engineer", "", True, "title: backend"),
    ("Back-End Developer (Node.js)", "", True, "title: backend"),
    ("Staff Software Engineer, Backend", FRONTEND_TEXT, True, "title: backend"),
    ("The Mobile-First Company - Staff Backend Engineer (Java/Kotlin)", "", True, "title: backend"),
    ("Server-Side Developer", "", True, "title: backend"),
    # full-stack (in scope)
    ("Senior Full-Stack Engineer", "", True, "title: full-stack"),
    ("Fullstack Developer (React, Node.js)", "", True, "title: full-stack"),
    ("Senior Software Engineer (Node.js & React.js)", "", True, "title: full-stack"),
    # platform, infrastructure, SRE, DevOps, cloud, API
    ("Platform Engineer", "", True, "title: platform engineer"),
    ("Staff Software Engineer, Deployment Platform", "", True, "title: platform engineer"),
    ("Senior Infrastructure Engineer", "", True, "title: infrastructure"),
    ("Site Reliability Engineer (SRE)", "", True, "title: infrastructure"),
    ("Senior DevOps Engineer - LATAM", "", True, "title: infrastructure"),
    ("Cloud Engineer", "", True, "title: infrastructure"),
    ("Software Engineer, Distributed Systems", "", True, "title: infrastructure"),
    ("API Developer", "", True, "title: API"),
    ("Backend / API Engineer, Billing", "", True, "title: backend"),
    # data/ML platform is platform; data engineering and ML are not
    ("ML Platform Engineer", "", True, "title: data/ML platform"),
    ("Machine Learning Infrastructure Engineer", "", True, "title: data/ML platform"),
    ("Principal Data Platform Engineer", "", True, "title: data/ML platform"),
    ("Senior Data Engineer", BACKEND_TEXT, False, "excluded: data science"),
    ("Data Scientist, Core Infrastructure", "", False, "excluded: data science"),
    ("Machine Learning Engineer", BACKEND_TEXT, False, "excluded: machine learning"),
    ("Senior AI Engineer", "", False, "excluded: machine learning"),
    ("Research Engineer, Post-Training", "", False, "excluded: data science"),
    # engineering managers / leads of backend teams are backend; of other teams are not
    ("Engineering Manager, Infrastructure", "", True, "title: infrastructure"),
    ("Engineering Manager", BACKEND_TEXT, True, "generic engineering lead/manager; description is backend"),
    ("Mobile Engineering Manager", "", False, "excluded: mobile"),
    ("Technical Lead", FRONTEND_TEXT, False, "generic engineering lead/manager; description not backend"),
    # generic titles: the description decides; a silent description keeps the posting
    ("Software Engineer", BACKEND_TEXT, True, "generic software engineer; description is backend"),
    ("Software Engineer", FRONTEND_TEXT, False, "generic software engineer; description not backend"),
    ("Software Engineer", MOBILE_TEXT, False, "generic software engineer; description not backend"),
    ("Software Engineer II, Growth", ML_TEXT, False, "generic software engineer; description not backend"),
    ("Senior Software Engineer", SILENT_TEXT, True, "generic software engineer; description silent"),
    ("Software Engineer", "", True, "generic software engineer; description silent"),
    ("SWE, New Grad", BACKEND_TEXT, True, "generic software engineer; description is backend"),
    ("Product Engineer", BACKEND_TEXT, True, "generic software engineer; description is backend"),
    ("Founding Engineer", FRONTEND_TEXT, False, "generic software engineer; description not backend"),
    ("Desarrollador Backend Senior", "", True, "title: backend"),
    ("Softwareentwickler (m/w/d)", BACKEND_TEXT, True, "generic software engineer; description is backend"),
    # language-named engineers are generic too
    ("Python Developer", BACKEND_TEXT, True, "generic python engineer; description is backend"),
    ("Go Engineer", "", True, "generic go engineer; description silent"),
    ("Senior Java Developer", FRONTEND_TEXT, False, "generic java engineer; description not backend"),
    ("ASP.NET C# Developer", BACKEND_TEXT, True, "generic"),
    # frontend, mobile, desktop
    ("Senior Frontend Engineer (React)", BACKEND_TEXT, False, "excluded: frontend"),
    ("Software Engineer, Front-End", "", False, "excluded: frontend"),
    ("UI Engineer", "", False, "excluded: frontend"),
    ("React Developer", "", False, "excluded: frontend"),
    ("Senior iOS Engineer", "", False, "excluded: mobile"),
    ("Android Developer", BACKEND_TEXT, False, "excluded: mobile"),
    ("React Native Platform Engineer", "", False, "excluded: mobile"),
    ("Flutter Developer", "", False, "excluded: mobile"),
    ("Senior Software Engineer, Windows/Desktop Applications", "", False, "excluded: desktop"),
    # security engineering is its own class; a software engineer on a security team is generic
    ("Senior Security Engineer, Infrastructure", "", False, "excluded: security"),
    ("Application Security Engineer", "", False, "excluded: security"),
    ("Security Operations Analyst (SOC Analyst)", "", False, "excluded: security"),
    ("Senior Software Engineer, Security", BACKEND_TEXT, True, "generic software engineer; description is backend"),
    # customer-facing engineering
    ("Solutions Engineer", BACKEND_TEXT, False, "excluded: solutions"),
    ("Sales Engineer", "", False, "excluded: solutions"),
    ("Senior Forward Deployed Engineer", BACKEND_TEXT, False, "excluded: solutions"),
    ("Partner Solutions Architect - AWS", "", False, "excluded: solutions"),
    ("Technical Support Engineer", "", False, "excluded: not engineering (support)"),
    ("Developer Advocate", "", False, "excluded: not engineering (docs"),
    # QA, hardware/embedded, IT, vendor platforms, smart contracts, games
    ("Senior QA Engineer", "", False, "excluded: QA"),
    ("Software Engineer in Test", "", False, "excluded: QA"),
    ("Senior Firmware Engineer", "", False, "excluded: hardware"),
    ("Embedded Software Engineer", BACKEND_TEXT, False, "excluded: hardware"),
    ("Electrical Engineer", "", False, "excluded: hardware"),
    ("IT Support Engineer", "", False, "excluded: not engineering (support)"),
    ("System Administrator", "", False, "excluded: IT"),
    ("Senior Salesforce Engineer", "", False, "excluded: vendor-platform"),
    ("Senior SAP BTP Developer (m/w/d)", "", False, "excluded: vendor-platform"),
    ("Senior Smart Contract Engineer (EVM)", "", False, "excluded: blockchain/smart contracts"),
    ("Unity Game Developer", "", False, "excluded: games"),
    # not engineering at all
    ("Senior Product Manager, Infrastructure", "", False, "excluded: not engineering (product/program"),
    ("Technical Program Manager, Site Reliability Engineering", "", False, "excluded: not engineering (product"),
    ("Product Designer", "", False, "excluded: design"),
    ("Account Executive, Data Platforms", "", False, "excluded: not engineering (sales)"),
    ("Business Developer - Eastern Europe", "", False, "excluded: not engineering (sales)"),
    ("Senior Marketing Manager", "", False, "excluded: not engineering (marketing)"),
    ("Senior Corporate Recruiter", "", False, "excluded: not engineering (recruiting"),
    ("Data Analyst", BACKEND_TEXT, False, "excluded: data science"),
    ("Financial Analyst", "", False, "excluded: data science"),
    ("Paralegal, Litigation", BACKEND_TEXT, False, "excluded: not engineering (administration"),
    ("Office Assistant", "", False, "excluded: not engineering (administration"),
    # pay in the title is not a role ("/hr" is not HR)
    ("Senior Software Developer ($90-$170/hr)", BACKEND_TEXT, True, "generic software engineer; description is"),
    ("HR Generalist", "", False, "excluded: not engineering (recruiting"),
    # HTML-escaped titles are unescaped first
    ("Software Engineer &amp;#8211; Backend &amp;#8211; Full Remote (H/F)", "", True, "title: backend"),
    ("", "", False, "excluded: not a backend engineering title"),
]


# Descriptions for the classes below, in our own words.
DOTNET_API_TEXT = (
    "Besides the React screens you will write the C# services behind them: ASP.NET Core Web API endpoints, REST "
    "integrations with payment and ERP partners, SQL Server queries, deployed to Azure."
)
REACT_ONLY_TEXT = (
    "Own our React component library and the TypeScript front end; CSS, accessibility, Figma handoffs, and calling "
    "the REST APIs other teams build."
)
TRADE_TEXT = (
    "Assign ICD-10 and CPT codes from medical records, audit charts, keep the coding database current and support "
    "the billing services team; the rest of the department relies on your accuracy."
)
MECHANICAL_TEXT = (
    "Size pumps and valves for customer projects, produce SolidWorks and AutoCAD drawings, visit plants, and keep "
    "our service database and the rest of the quoting services up to date."
)
CHAIN_TEXT = (
    "Write and audit Solidity smart contracts for our DeFi protocol on EVM chains; some infrastructure work and "
    "distributed systems knowledge helps."
)
WEAK_ONLY_TEXT = "Lead the team, work with the rest of the company, and keep our services and infrastructure healthy."


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("Developer Advocate, Data Infrastructure", BACKEND_TEXT),
        ("Senior Developer Advocate (Cloud Infrastructure)", ""),
        ("Lead Developer Evangelist - Platform", BACKEND_TEXT),
        ("Staff Developer Relations Engineer, Kubernetes", ""),
        ("Senior Developer Advocate", BACKEND_TEXT),  # "Senior Developer" alone is generic; the advocacy word decides
        ("Cloud Advocate", ""),
    ],
)
def test_advocacy_beats_an_area_word(title: str, text: str) -> None:
    assert classify_role(title, text) == (False, "excluded: not engineering (docs/advocacy/training)")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Director, Platform Account Management", False),
        ("Cloud Platform Key Account Lead", False),
        ("Platform Business Manager", False),
        ("Head of Infrastructure Procurement", False),
        ("Director of Platform Strategy", False),
        # a leader of the area itself still counts
        ("VP, Data Platforms", True),
        ("Platform Manager", True),
        ("Director of Cloud Operations", True),
    ],
)
def test_business_function_titles_with_an_area_word(title: str, expected: bool) -> None:
    assert classify_role(title, BACKEND_TEXT)[0] is expected


@pytest.mark.parametrize(
    ("title", "text", "reason_prefix"),
    [
        ("Medical Coder", TRADE_TEXT, "excluded: not software"),
        ("Coder II, Medical Records", BACKEND_TEXT, "excluded: not software"),
        ("Certified Professional Coder (Outpatient)", "", "excluded: not software"),
        ("Risk Adjustment Coding Specialist", TRADE_TEXT, "excluded: not software"),
        ("Mechanical Applications Engineer", BACKEND_TEXT, "excluded: hardware"),
        ("Manufacturing Engineering Manager", BACKEND_TEXT, "excluded: hardware"),
        ("Manager, Process Engineering", BACKEND_TEXT, "excluded: hardware"),
        ("Field Service Engineer", BACKEND_TEXT, "excluded: not software"),
        # a generic title whose description is another trade's: its words outweigh the shared service words
        ("Applications Engineer", MECHANICAL_TEXT, "generic software engineer; description not backend"),
        ("Engineer II", TRADE_TEXT, "generic software engineer; description not backend"),
    ],
)
def test_other_trades_are_not_backend(title: str, text: str, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (False, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # words every trade uses count half on their own: not enough against a specialty's words...
        ("Engineering Manager", f"{WEAK_ONLY_TEXT} Our screens are built with React and Tailwind.", False),
        # ...but still keep a posting when nothing else is said, and count fully beside a software-only term
        ("Engineering Manager", WEAK_ONLY_TEXT, True),
        ("Software Engineer", f"{WEAK_ONLY_TEXT} We write Go. Our screens use React.", True),
    ],
)
def test_shared_service_words_weigh_half_alone(title: str, text: str, expected: bool) -> None:
    assert classify_role(title, text)[0] is expected


@pytest.mark.parametrize(
    ("title", "text", "reason_prefix"),
    [
        ("Software Engineer, Offensive Security", BACKEND_TEXT, "excluded: security"),
        ("Red Team Operator / Engineer", BACKEND_TEXT, "excluded: security"),
        ("Senior Exploit Developer", BACKEND_TEXT, "excluded: security"),
        ("Staff Engineer, Vulnerability Research", BACKEND_TEXT, "excluded: security"),
        ("Blockchain Developer", BACKEND_TEXT, "excluded: blockchain"),
        ("Senior Software Engineer - Blockchain Infrastructure", BACKEND_TEXT, "excluded: blockchain"),
        ("Rust Engineer, DeFi", "", "excluded: blockchain"),
        ("Software Engineer", CHAIN_TEXT, "generic software engineer; description not backend"),
    ],
)
def test_offensive_security_and_blockchain_are_excluded(title: str, text: str, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (False, reason_prefix), reason


def test_a_backend_title_still_beats_blockchain() -> None:
    assert classify_role("Backend Engineer (Blockchain Indexing)", CHAIN_TEXT) == (True, "title: backend")


@pytest.mark.parametrize(
    "title",
    [
        "Engineering Manager, AI Quality",
        "Engineering Manager - Model Evaluation",
        "Senior Engineering Manager, AI Evals",
        "Engineering Manager, LLM Quality",
        "Software Engineer, AI Safety",
    ],
)
def test_ml_quality_teams_are_ml(title: str) -> None:
    assert classify_role(title, BACKEND_TEXT) == (False, "excluded: machine learning/AI")


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # engineering managers named by their team, or by none: the description decides
        ("Engineering Manager, Analytics", BACKEND_TEXT, True),
        ("Engineering Manager - Customer Insights", SILENT_TEXT, True),
        ("Engineering Manager, Partner Experience", BACKEND_TEXT, True),
        ("Engineering Manager, Data", "", True),
        ("Manager, Engineering", SILENT_TEXT, True),
        ("Senior Manager, Software Engineering", BACKEND_TEXT, True),
        ("Engineering Manager, Analytics", FRONTEND_TEXT, False),
        # software engineers with an analytics/insights team before or after the title
        ("Software Engineer, Analytics", BACKEND_TEXT, True),
        ("Analytics Software Engineer", "", True),
        ("Senior Software Engineer - Insights Platform", BACKEND_TEXT, True),
        ("Software Engineer II (Partnerships)", BACKEND_TEXT, True),
        # the discipline itself stays excluded
        ("Analytics Engineer", BACKEND_TEXT, False),
        ("Analytics Engineering Manager", BACKEND_TEXT, False),
        ("Data Analyst, Insights", BACKEND_TEXT, False),
        ("Partner Manager", BACKEND_TEXT, False),
    ],
)
def test_team_names_do_not_decide(title: str, text: str, expected: bool) -> None:
    assert classify_role(title, text)[0] is expected


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Senior React Developer", DOTNET_API_TEXT, True),
        ("Angular Engineer", DOTNET_API_TEXT, True),
        ("Vue.js Developer", "Vue front end, plus the Laravel API and PostgreSQL schema behind it.", True),
        ("Senior React Developer", REACT_ONLY_TEXT, False),  # consuming APIs is frontend work
        ("React Developer", "", False),
        ("Frontend Engineer (React)", DOTNET_API_TEXT, False),  # "frontend" in the title still decides
    ],
)
def test_frontend_framework_titles_read_the_description(title: str, text: str, expected: bool) -> None:
    is_backend, reason = classify_role(title, text)
    assert is_backend is expected, reason
    if expected:
        assert reason.startswith("title: frontend framework; description asks for server-side work")


@pytest.mark.parametrize(
    ("title", "text", "reason_prefix"),
    [
        ("Staff UI Software Engineer", "", "excluded: frontend"),
        ("Software Engineer II - UI Development", BACKEND_TEXT, "excluded: frontend"),
        ("WebGL Graphics Engineer", BACKEND_TEXT, "excluded: frontend"),
        ("Software Engineer - QE Tooling", BACKEND_TEXT, "excluded: QA"),
        ("Lead, Quality Engineering", "", "excluded: QA"),
        ("Platform Owner, Payments", BACKEND_TEXT, "excluded: not engineering (product/program"),
        ("Agent Software Engineer", BACKEND_TEXT, "excluded: machine learning/AI"),
        ("Engineering Manager, AI Agent Engineering", "", "excluded: machine learning/AI"),
        ("Senior Engineer, Physical Design", "", "excluded: hardware"),
        ("Staff Engineer - Power Electronics", "", "excluded: hardware"),
        ("Engineer III, Equipment Engineering", "", "excluded: hardware"),
        ("Technician II, Product Engineering", "", "excluded: not software"),
        ("Highways Engineering Lead", WEAK_ONLY_TEXT, "excluded: not software"),
    ],
)
def test_specialty_team_names_after_a_generic_title(title: str, text: str, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (False, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "reason_prefix"),
    [
        ("Technical Leader - Remote", BACKEND_TEXT, "generic engineering lead/manager; description is backend"),
        ("Software Engineer (Go/TypeScript)", "", "generic go engineer"),
        ("Acme | Engineers | Go, Postgres | Remote", "", "generic go engineer"),
        ("Growth Engineer", BACKEND_TEXT, "generic software engineer; description is backend"),
        ("Multiple engineering roles", BACKEND_TEXT, "generic several roles; description is backend"),
        ("4 engineering openings", SILENT_TEXT, "generic several roles; description silent"),
    ],
)
def test_more_generic_titles(title: str, text: str, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (True, reason_prefix), reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # full-stack work is in scope, so a description asking for it is backend evidence
        ("Ship end to end as a full-stack engineer: React screens, Tailwind styling, and the Fullstack glue.", True),
        # site builders on a CMS or a shop platform are frontend work
        ("Build client themes on Shopify and Drupal, with some PHP and REST calls; HTML, CSS and WordPress.", False),
        ("Write WebGPU shaders and WebGL fallbacks for our map renderer; a little infrastructure work.", False),
    ],
)
def test_description_vocabulary(text: str, expected: bool) -> None:
    assert classify_role("Software Engineer", text)[0] is expected


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a title listing several roles is backend when one of them is...
        (
            "Data Scientists, Platform Engineers, Account Executive",
            "",
            True,
            "title: platform engineer (one of several",
        ),
        ("Designer + Backend Developer", "", True, "title: backend (one of several"),
        # ...generic when one of them is generic, and excluded when none is an engineering role we keep
        ("Software Engineers, Product Designer", BACKEND_TEXT, True, "generic software engineer; description is"),
        ("Senior Java Engineer, Support Engineer, Recruiter", "", True, "generic java engineer"),
        ("ML Engineers, Data Analysts, Product Managers", BACKEND_TEXT, False, "excluded: machine learning"),
        # one role and its team is not a list
        ("Senior Software Engineer, Solutions Engineer", BACKEND_TEXT, False, "excluded: solutions"),
        ("Group Product Manager, Developer Infrastructure", "", False, "excluded: not engineering (product"),
    ],
)
def test_titles_listing_several_roles(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # a thread post's header line names no role: its text decides, and a silent one is kept
        ("Acme Labs | Berlin | Full-time | https://acme.example", BACKEND_TEXT, True),
        ("Acme | REMOTE (EU) | Full-time", SILENT_TEXT, True),
        ("Acme | Hybrid, 3 days | Contract", FRONTEND_TEXT, False),
        # a pipe inside an ordinary title is no header line
        ("Night Nurse (Remote | Licence Required)", BACKEND_TEXT, False),
        ("Acme | Account Exec | Full-time", BACKEND_TEXT, False),
        # "Multiple roles" and the like: the text decides
        ("Multiple roles", BACKEND_TEXT, True),
        ("Several open positions", FRONTEND_TEXT, False),
    ],
)
def test_titles_that_name_no_single_role(title: str, text: str, expected: bool) -> None:
    assert classify_role(title, text)[0] is expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Full Stack Engineer (Web3 dApps)", False),  # on-chain full-stack work is blockchain work
        ("Backend Engineer, DeFi Indexer", True),  # a backend title still decides
        ("Generative AI Application Engineer", False),
        ("Senior Node.js Developer (Generative AI products)", True),  # an AI product is a domain, not the job
    ],
)
def test_blockchain_and_generative_ai_titles(title: str, expected: bool) -> None:
    assert classify_role(title, BACKEND_TEXT)[0] is expected


@pytest.mark.parametrize(("title", "text", "expected", "reason_prefix"), CASES)
def test_classify_role(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


def test_reason_is_short_text() -> None:
    _, reason = classify_role("Software Engineer", BACKEND_TEXT * 50)
    assert isinstance(reason, str) and 0 < len(reason) <= 120


def _load_labels() -> list[dict[str, str]]:
    with LABELS.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_label_set_shape() -> None:
    rows = _load_labels()
    assert len(rows) >= 450
    assert sum(r["is_backend"] == "1" for r in rows) >= 120
    assert sum(r["source_file"].startswith("greenhouse/") for r in rows) >= 100
    assert {r["split"] for r in rows} == {"train", "test"}
    assert len({r["title"].lower() for r in rows}) == len(rows)  # de-duplicated


def test_quality_floor_on_held_out_test_split() -> None:
    """Precision/recall on the test quarter (descriptions are the stored paraphrases, so no corpus needed)."""
    tp = fp = fn = 0
    for row in _load_labels():
        if row["split"] != "test":
            continue
        predicted, _ = classify_role(row["title"], row["description"] or "")
        actual = row["is_backend"] == "1"
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
    precision = tp / (tp + fp)
    recall = tp / (tp + fn)
    assert precision >= 0.97, (precision, tp, fp)
    assert recall >= 0.95, (recall, tp, fn)


# Held-out batches kept sealed: labelled before the filter ran on them and measured once, by hand, with
# `python -m bench.eval_role` after the round they are kept for, so no test may score them until then. Unsealing one
# means giving it a floor below once its honest figure is recorded. batch 9 was measured once after round 8
# (0.877 / 0.847); batch 10 once with round 9 (0.896 / 0.507, its header-line HN thread at 0.900 / 0.316), then
# round 10 was made on its errors. None is sealed now.
SEALED_BATCHES: frozenset[str] = frozenset()

# Batch 10's own floor: a little under round 10's seen figures (0.938 / 0.796). It holds the header-line HN thread of
# 2013 whose posts name no role in their first line; batches 1-9 keep the stricter floor below.
LATE_BATCHES = {"10": (0.93, 0.78)}


def _heldout_rows() -> list[dict[str, str]]:
    with HELDOUT.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_heldout_label_set_shape() -> None:
    rows = _heldout_rows()
    assert len(rows) >= 300
    assert {r["is_backend"] for r in rows} == {"0", "1"}
    assert {r["batch"] for r in rows} == {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}
    refs = [(r["source_file"], r["external_id"]) for r in rows]
    assert len(set(refs)) == len(refs)
    dev = {(r["source_file"], r["external_id"]) for r in _load_labels()}
    assert not dev & set(refs)  # postings of the dev set are never held out
    assert set(rows[0]) == {"source_file", "external_id", "is_backend", "note", "batch"}  # no corpus text


def test_quality_floor_on_heldout_corpus_postings() -> None:
    """Precision/recall on the held-out corpus postings, read from the shared corpus (skips without it). The
    floor sits a little under the figures measured when the set was committed, to catch regressions."""
    from bench.eval_role import load_heldout, score

    scored = [r for r in load_heldout(require_corpus()) if r.split.removeprefix("batch ") not in SEALED_BATCHES]
    assert len(scored) == sum(r["batch"] not in SEALED_BATCHES for r in _heldout_rows())
    rows = [r for r in scored if r.split.removeprefix("batch ") not in LATE_BATCHES]
    result, _ = score(rows)
    assert result.precision >= 0.955, result
    assert result.recall >= 0.97, result
    for batch, (precision, recall) in LATE_BATCHES.items():
        late, _ = score([r for r in scored if r.split == f"batch {batch}"])
        assert late.n > 0 and late.precision >= precision and late.recall >= recall, (batch, late)


@settings(max_examples=300, deadline=None)
@given(title=st.text(max_size=200), text=st.text(max_size=2000))
def test_never_raises(title: str, text: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert isinstance(is_backend, bool)
    assert reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("We build the back - end in Go.", "description is backend (back end, go)"),  # a lone "-" is no token
        ("Own our BACK-END services, REST APIs and Postgres.", "description is backend (back-end, services, rest)"),
        (
            "Design data, pipelines and message -- queues.",
            "description is backend (data pipelines, queues, message queues)",
        ),
        ("Our stack: Node.js. React. CSS.", "description not backend (react, css)"),  # "node.js." is not "node.js"
        ("We use React\nNative and Swift for mobile.", "description not backend (react, react native, swift)"),
        ("Use .NET and ASP.NET", "description is backend (asp.net)"),  # a token's leading "." is stripped
        ("Build with c++ and C#, not c.", "description is backend (c++, c#)"),
        ("Machine-learning and deep\u00a0learning", "description not backend (deep learning)"),
    ],
)
def test_description_tokens(text: str, reason: str) -> None:
    assert classify_role("Software Engineer", text)[1] == f"generic software engineer; {reason}"


_TERMS = role_vocabulary._BACKEND_TERMS | role_vocabulary._OTHER_TERMS
_BIGRAMS = role_vocabulary._BACKEND_BIGRAMS | role_vocabulary._OTHER_BIGRAMS
_VOCABULARY = sorted(_TERMS | {word for bigram in _BIGRAMS for word in bigram.split()})
_SEPARATORS = st.sampled_from(
    [
        " ", "  ", "-", ".", "..", " - ", " . ", "-.", ".-", ". ", "- ", "... ", ",", "\n", "(", ")", "#", "+", "/",
        "’", "\u00a0", " -- ", "",
    ]
)  # fmt: skip


# words, and bigrams with any gap between their words (a bigram is two tokens in a row, whatever separates them)
_PIECES = st.one_of(
    st.sampled_from([*_VOCABULARY, "x", "Data", "BACK", "End", "On", "é", "–", "ı", "ſ"]),
    st.builds(lambda bigram, gap: bigram.replace(" ", gap), st.sampled_from(sorted(_BIGRAMS)), _SEPARATORS),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(_PIECES, _SEPARATORS), max_size=40).map(lambda ps: "".join(a + b for a, b in ps)))
def test_signal_scan_is_the_token_walk(text: str) -> None:
    # one automaton pass over the mapped head finds the terms and bigrams, in order, that the token walk finds
    for head in (text, text.upper()):
        assert role_vocabulary._signals_from_scan(head) == role_vocabulary._signals_from_tokens(head)


_TITLE_PIECES = st.sampled_from(
    [
        "Senior", "Backend", "Back-End", "Software", "Engineer", "Developer", "Platform", "Data", "ML", "AI",
        "Product", "Manager", "Sales", "Solutions", "Architect", "Node.js", ".NET", "C#", "C++", "Go", "React", "iOS",
        "QA", "SRE", "DevOps", "Full Stack", "API", "Head of", "Engineering", "VP", "Lead", "Staff", "Support", "HR",
        "é", "Σ",
    ]
)  # fmt: skip
_TITLE_SEPARATORS = st.sampled_from([" ", ", ", " - ", "/", " (", ") ", "&", " | ", ".", "#", "+", ""])


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(_TITLE_PIECES, _TITLE_SEPARATORS), max_size=8).map(lambda ps: "".join(a + b for a, b in ps))
)
def test_title_scan_is_the_plain_finditer(title: str) -> None:
    low = title.lower()
    gated = finditer_gated(role._TITLE_RE_LOW, low, role._TITLE_START, low)
    assert [(m.span(), m.lastgroup) for m in gated] == [
        (m.span(), m.lastgroup) for m in role._TITLE_RE.finditer(title)
    ]


# --- round 4 (held-out batch 4's error classes), in our own words -----------------------------------------------

NAMES_A_BACKEND_ROLE = (
    "We are a small team building route planning for freight. Open now: a Senior Backend Engineer (Go, Postgres) "
    "and, later this year, a designer."
)
NAMES_MTS_INFRA = (
    "Roles: Member of Technical Staff, Infrastructure - link. Member of Technical Staff, Research - link."
)
HIRING_OTHER_TRADE = (
    "We are hiring two product marketing managers to tell the story of our APIs, Kubernetes operator and Go SDK."
)
NAMES_OTHERS_IN_PASSING = (
    "Our users are architects and our ML engineers ship models daily; the platform itself is Go, Postgres and Kafka."
)


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a header line of place and office-cadence fields names no role
        ("Fernwood Grid (home batteries) | Leeds, UK | 3 days a week in the office", NAMES_A_BACKEND_ROLE, True, ""),
        # "Acme is hiring" and a post's first line cut short name no role either
        ("Quokka Freight is hiring", NAMES_A_BACKEND_ROLE, True, "the post names a backend role"),
        ("Quokka (YC S24) Is Hiring", SILENT_TEXT, True, "generic role not named in the title; description silent"),
        ("Hello, we are four people making scheduling software for dental clinics and we…", BACKEND_TEXT, True, ""),
        ("Quokka is hiring interns in design", BACKEND_TEXT, False, ""),  # a title naming a role keeps it
        ("Quokka Is Hiring Engineers in Porto", NAMES_A_BACKEND_ROLE, True, "the post names a backend role"),
        ("Engineering", FRONTEND_TEXT, False, "generic several roles; description not backend"),
        # the roles such a post names decide: a backend one makes it backend, like a title listing it...
        ("Acme | Remote (EU) | Full-time", NAMES_MTS_INFRA, True, "the post names a backend role"),
        # ...the role it says it is hiring for, when another trade's, excludes it...
        ("Acme | Paris | Full-time", HIRING_OTHER_TRADE, False, "excluded: the post is hiring for another role"),
        # ...but roles named in passing do not
        ("Acme | Remote | Full-time", NAMES_OTHERS_IN_PASSING, True, "generic role not named in the title; desc"),
        # a pipe inside parentheses is still no header line
        ("Night Nurse (Remote | Licence Required | Nights)", BACKEND_TEXT, False, ""),
        # a first line cut short stands for a post only when the post hires engineers (not a thread's replies)
        ("Thanks for putting this list together, I found two leads through it and…", SILENT_TEXT, False, "excluded"),
        (
            "Hello, we are four people making scheduling software for clinics and we…",
            SILENT_TEXT + " Engineers!",
            True,
            "",
        ),
    ],
)
def test_posts_whose_title_names_no_role(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # a title listing areas, engineering among them, names no role: the post decides
        ("Engineering & Sales", NAMES_A_BACKEND_ROLE, True),
        ("Hiring Eng, Ops & Growth", FRONTEND_TEXT, False),
        ("Tech and Policy roles", SILENT_TEXT, True),
        ("FE, FS, Data engineers", BACKEND_TEXT, True),
        ("Careers [ Worldwide / Open Roles: Eng, GTM, Support + more ]", NAMES_A_BACKEND_ROLE, True),
        # a role with its team or industry is not an area list
        ("Account Executive, Software", BACKEND_TEXT, False),
        ("Software Engineers (Payments, Ledger, SDK)", FRONTEND_TEXT, False),
        ("SWE, New Grad", FRONTEND_TEXT, False),
    ],
)
def test_titles_listing_areas(title: str, text: str, expected: bool) -> None:
    assert classify_role(title, text)[0] is expected


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        ("Member of Technical Staff, Backend", "", True, "title: backend"),
        ("Member of the Technical Staff - Compute Infrastructure", "", True, "title: infrastructure"),
        ("Member of Technical Staff", SILENT_TEXT, True, "generic software engineer; description silent"),
        ("MTS, Storage Platform", "", True, "title: platform engineer"),
        ("Member of Technical Staff, Machine Learning", BACKEND_TEXT, False, "excluded: machine learning"),
        ("Member of Technical Staff", FRONTEND_TEXT, False, "generic software engineer; description not backend"),
    ],
)
def test_member_of_technical_staff_is_an_engineering_title(
    title: str, text: str, expected: bool, reason_prefix: str
) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a test engineer with a seniority in front is still a test engineer
        ("Senior Software Engineer in Test", "", False, "excluded: QA"),
        ("Principal Software Development Engineer in Test", BACKEND_TEXT, False, "excluded: QA"),
        # platform or infrastructure engineers named by an ML or data area build that platform
        ("Staff Platform Engineer, Machine Learning", "", True, "title: data/ML platform"),
        ("Platform Data Engineer II", "", True, "title: data/ML platform"),
        ("Experiment Tooling and Data Platform Engineer (ML)", "", True, "title: data/ML platform"),
        ("Machine Learning Engineer, Platform", BACKEND_TEXT, False, "excluded: machine learning"),
        ("Data Scientist, Core Infrastructure", "", False, "excluded: data science"),
        # technology-development leaders lead engineering; the description decides
        (
            "Director and Technology Development Lead, Treasury",
            BACKEND_TEXT,
            True,
            "generic engineering lead/manager; d",
        ),
        ("Technology Development Manager", FRONTEND_TEXT, False, "generic engineering lead/manager; d"),
        # an engineering internship is an engineering title; its area still decides
        ("Market Data Systems Engineering Internship", BACKEND_TEXT, True, "generic software engineer; desc"),
        ("Electrical Engineering Internship", BACKEND_TEXT, False, "excluded: hardware"),
        # "Software/Data Engineer" is two roles, one of them generic: the description decides
        ("Software/Analytics Engineer II", BACKEND_TEXT, True, "generic software engineer; description is"),
        ("Software / Machine Learning Developer", FRONTEND_TEXT, False, "generic software engineer; description n"),
        # a leader or architect of engineering as a whole
        ("Lead, Engineering", BACKEND_TEXT, True, "generic engineering lead/manager; description is"),
        ("Head - Software Engineering", FRONTEND_TEXT, False, "generic engineering lead/manager; description n"),
        ("Technical Architect", BACKEND_TEXT, True, "generic software engineer; description is"),
        ("Engineering Architect, Payments", FRONTEND_TEXT, False, "generic software engineer; description not"),
        # database and delivery-pipeline engineers are infrastructure
        ("Database Replication Engineer", "", True, "title: infrastructure"),
        ("Continuous Delivery Engineer", "", True, "title: infrastructure"),
        ("Senior CI/CD Engineer", "", True, "title: infrastructure"),
        # leaders of a business function, whatever area they serve
        ("Sourcing Manager, Network Infrastructure", BACKEND_TEXT, False, "excluded: not a backend engineering"),
        ("Director, Product and Platform", BACKEND_TEXT, False, "excluded: not a backend engineering"),
        ("Logistics Lead, Cloud Infrastructure", BACKEND_TEXT, False, "excluded: not a backend engineering"),
    ],
)
def test_more_title_classes(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


GAME_TEXT = "Ship browser games in TypeScript with Phaser and three.js; tune gameplay; go live every week."
DRONE_TEXT = "Port our tracker to the drone's NPU and DSP and close the flight control loop in C++."
GRAPHICS_TEXT = "A 3D modeller in the browser: WebGL, computer graphics, computational geometry; some Rust."
VENDOR_TEXT = "Extend our Oracle E-Business Suite interfaces and NetSuite jobs; SQL and web services."
IMAGING_TEXT = "Image processing with OpenCV, optics calibration and hardware control for our cameras; Rust."
KERNEL_TEXT = "Extend our eBPF probes and the kernel module behind the endpoint agent; Linux, C."


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        # specialties a generic title can hide, named in its description
        ("Software Engineer", GAME_TEXT, False),
        ("Founding Engineer", DRONE_TEXT, False),
        ("Senior Software Engineer", GRAPHICS_TEXT, False),
        ("Integrations Developer", VENDOR_TEXT, False),
        ("Software Engineer", IMAGING_TEXT, False),
        ("Software Engineer", KERNEL_TEXT, False),
        # a vendor named as a customer is no vendor-platform work
        (
            "Senior Software Engineer",
            "Trusted by teams at Salesforce and ServiceNow; we hire senior engineers.",
            True,
        ),
        # "Node" alone names the server runtime in a stack list
        ("Tech Lead", "Stack: Node, React, TypeScript. Lead a team of five.", True),
    ],
)
def test_specialties_in_the_description(title: str, text: str, expected: bool) -> None:
    assert classify_role(title, text)[0] is expected


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a security team's generic title doing offensive work is a security role...
        (
            "Software Engineer II (Security)",
            "Run penetration tests against our back-end services and build offensive tooling in Go on AWS.",
            False,
            "excluded: security (offensive work",
        ),
        # ...offensive words do not decide a title that names no security team...
        ("Software Engineer", f"{BACKEND_TEXT} Yearly penetration tests keep us honest.", True, "generic software"),
        # ...and a security team building services stays generic
        ("Senior Software Engineer, Security", BACKEND_TEXT, True, "generic software engineer; description is"),
    ],
)
def test_offensive_work_on_a_security_team(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


# --- round 5 (the sealed batch 5's error classes, read after its one measurement) --------------------------------

CHAIN_PROGRAMS_TEXT = (
    "Write Rust programs for our order book on the Solana blockchain; decentralized finance experience helps."
)
SIMULATOR_TEXT = (
    "Own our vehicle dynamics simulator and the Monte Carlo runs behind GNC design reviews; C++ and Python."
)


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # full-stack qualifying a mobile engineer is mobile work
        ("Full Stack Mobile Developer (Flutter)", BACKEND_TEXT, False, "excluded: mobile"),
        ("Full-Stack iOS Engineer", "", False, "excluded: mobile"),
        ("Full-Stack Engineer, Mobile Backend", "", True, "title: backend"),
        # a communications team after a software-engineer title is a messaging team, not marketing
        ("Senior Software Engineer, Messaging Communications", BACKEND_TEXT, True, "generic software engineer; d"),
        ("Communications Manager", BACKEND_TEXT, False, "excluded: not engineering (marketing)"),
        # "a few ... roles" names no single role
        ("Berlin office + a few remote roles", NAMES_A_BACKEND_ROLE, True, "the post names a backend role"),
        # on-chain programs and simulators named in a generic title's description
        ("Senior Software Engineer", CHAIN_PROGRAMS_TEXT, False, "generic software engineer; description not"),
        ("Software Engineer, Simulation", SIMULATOR_TEXT, False, "generic software engineer; description not"),
    ],
)
def test_round_five_classes(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


# --- round 6 (held-out batch 6's error classes, read after its one measurement; and the classes left open) -------

PHP_FIRST_TEXT = (
    "You will build tools on our marketing platform. Must have: three years of PHP. Nice to have: Node.js, and a "
    "frontend library of your choice (React, Angular, Svelte or Vue)."
)
ROLE_LIST_TEXT = (
    "Open roles: Product Analyst (Lisbon); Senior Frontend Platform Engineer (Lisbon); Staff Engineer, Billing "
    "Team (Austin); Senior Software Engineer (Austin); Product Designer (Austin). Apply on our site."
)
NAMES_AN_SRE = (
    "We build triage software for clinics. Looking for: an AI Engineer; a Tech Lead; SRE: DevOps & Infrastructure "
    "Engineer with Kubernetes; a Customer Success Lead."
)
JOB_PAGE_BACKEND = (
    "Founding Engineer at Acme | Startup jobs. Job type Full-time Role Engineering, Backend Experience 3+ years "
    "Skills Python, Postgres. About the role: you own our ingestion services."
)
JOB_PAGE_SUPPORT = (
    "Founders Associate at Acme | Startup jobs. Job type Full-time Role Support Experience Any (new grads ok) "
    "About the role: you talk to customers every day, on top of our AWS-hosted platform."
)
JOB_PAGE_FRONTEND = (
    "Engineer at Acme | Startup jobs. Job type Full-time Role Engineering, Frontend Experience 2+ years "
    "Skills React. Our backend is Go on AWS; you will work with it."
)
REPORTING_TEXT = (
    "Join the revenue reporting team: write T-SQL procedures on SQL Server and Azure, build SSRS reports and "
    "Power BI dashboards for the finance services group, and answer ad-hoc data requests."
)


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a software engineer named by a desktop operating system or toolkit builds desktop clients
        ("Principal Software Engineer - macOS", "", False, "excluded: desktop"),
        ("Senior Software Engineer, Windows", BACKEND_TEXT, False, "excluded: desktop"),
        ("WinForms / WPF Developer (C#)", BACKEND_TEXT, False, "excluded: desktop"),
        ("Windows Forms (.NET) Programmer", BACKEND_TEXT, False, "excluded: desktop"),
        ("Backend Engineer, Windows Update Service", "", True, "title: backend"),
        # a data-integration engineer is a data engineer; a data-engineering team after a software-engineer title is
        # a team, and the description decides
        ("Data Integration Engineer", BACKEND_TEXT, False, "excluded: data science"),
        ("Senior Software Engineer, Data Engineering Tools", SILENT_TEXT, True, "generic software engineer; desc"),
        ("Software Engineer - Data Integrations", FRONTEND_TEXT, False, "generic software engineer; description n"),
        ("Data Engineering Manager", BACKEND_TEXT, False, "excluded: data science"),
        ("Senior Data Engineer, Platform Team", BACKEND_TEXT, False, "excluded: data science"),
        # a site builder beats a full-stack word unless the description asks for server-side work
        ("Full-Stack WordPress Developer (contract)", FRONTEND_TEXT, False, "excluded: frontend (site builder)"),
        ("Shopify - Junior Fullstack Engineer", "", False, "excluded: frontend (site builder)"),
        ("Full-Stack WordPress Developer", BACKEND_TEXT, True, "title: full-stack site builder; description asks"),
        ("WordPress Developer", BACKEND_TEXT, False, "excluded: frontend (site builder)"),
        ("Backend Developer (WordPress plugins, PHP)", "", True, "title: backend"),
        # project engineering is a construction/industrial trade, not software
        ("Assistant Project Engineering Manager", BACKEND_TEXT, False, "excluded: not software"),
        ("Project Engineer - Substations", BACKEND_TEXT, False, "excluded: not software"),
        # a simulation engineer builds physical simulations
        ("Senior Simulation Software Engineer", BACKEND_TEXT, False, "excluded: hardware"),
        ("Simulation Engineer, Autonomy", "", False, "excluded: hardware"),
        # mainframe systems are IT
        ("Mainframe Storage Infrastructure Engineer II", "", False, "excluded: IT"),
        # security beats the platform or infrastructure it secures
        ("Security Platform Engineer", BACKEND_TEXT, False, "excluded: security"),
        ("Staff Security Infrastructure Engineer", "", False, "excluded: security"),
        ("Platform Engineer", "", True, "title: platform engineer"),
    ],
)
def test_round_six_title_classes(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a software engineer whose team names an infrastructure or platform for ML builds ML infrastructure
        ("Staff Software Engineer - Infrastructure, Machine Learning", "", True, "title: data/ML platform"),
        ("Senior Software Engineer, ML Serving Platform", "", True, "title: data/ML platform"),
        ("Software Engineer, Machine Learning", BACKEND_TEXT, False, "excluded: machine learning"),
        ("Machine Learning Engineer, Platform", BACKEND_TEXT, False, "excluded: machine learning"),
        # "Fullstack" or "Backend" with no role noun names the role itself
        ("FE/Fullstack Senior", "", True, "title: full-stack"),
        ("Backend (Go), Remote", "", True, "title: backend"),
        ("Account Executive - Full Stack Observability", "", False, "excluded: not engineering (sales)"),
        # a title listing roles joined by "and" is backend when one of them is
        ("Software Engineers (full-stack / web) and Delivery Lead, and more", "", True, "title: full-stack"),
        ("Delivery Lead and Software Engineer", "", False, "excluded: not engineering (product"),
        ("Research and Development Engineer", FRONTEND_TEXT, False, "excluded: not a backend engineering"),
    ],
)
def test_round_six_titles_naming_roles(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # "Hiring" alone names no role: the post decides
        ("Hiring", NAMES_AN_SRE, True, "the post names a backend role"),
        ("We're hiring!", NAMES_AN_SRE, True, "the post names a backend role"),
        ("Hiring", SILENT_TEXT, True, "generic role not named in the title; description silent"),
        # a header line of fields separated by dashes instead of pipes
        ("Quokka Labs — ONSITE (Porto) — Full-time", NAMES_A_BACKEND_ROLE, True, "the post names a backend role"),
        ("Quokka Labs — Remote (EU)", FRONTEND_TEXT, False, "generic role not named in the title; description n"),
        ("Staff Nurse — Night Shift", BACKEND_TEXT, False, "excluded: not engineering (administration"),
        ("Month-End Close – Finance Trainee – Remote Spain", BACKEND_TEXT, False, "excluded: not a backend engin"),
        # a title announcing several engineering roles: the names of the roles the post lists are not evidence of
        # the work (a frontend opening among generic ones does not make the post frontend)
        ("Software Engineers (Multiple Roles)", ROLE_LIST_TEXT, True, "generic several roles; description silent"),
        ("Software Engineers (Multiple Roles)", FRONTEND_TEXT, False, "generic several roles; description not"),
        # a startup job page's "Role" field names the area of the job
        ("Acme (YC W24) Is Hiring", JOB_PAGE_BACKEND, True, "the post names a backend role"),
        ("Acme (YC W23) Is Hiring", JOB_PAGE_SUPPORT, False, "excluded: the job page's role field"),
        ("Acme (YC S22) Is Hiring", JOB_PAGE_FRONTEND, False, "excluded: the job page's role field"),
    ],
)
def test_round_six_posts_naming_no_role(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a SQL or database developer writing reports and dashboards is business intelligence
        ("Database Developer", REPORTING_TEXT, False, "excluded: business intelligence"),
        ("Senior SQL Developer", REPORTING_TEXT, False, "excluded: business intelligence"),
        ("SQL Server Developer", BACKEND_TEXT, True, "generic database developer; description is"),
        ("Software Engineer", REPORTING_TEXT, True, "generic software engineer; description is"),
        # a list of interchangeable frontend frameworks is one skill, like a list of server languages
        ("Junior Programmer", PHP_FIRST_TEXT, True, "generic software engineer; description is"),
        ("Web Developer", FRONTEND_TEXT, False, "generic software engineer; description not"),
    ],
)
def test_round_six_description_classes(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


# --- round 7 (batch 7's error classes) ------------------------------------------------------------------------
ROUTING_POST = (
    "Cargoly | Freight Routing | Remote (EU) | Full-time\n"
    "We plan truck routes for regional carriers. We need a senior engineer to own our Go routing APIs and the "
    "Postgres schema behind them."
)
SHOUTED_HEADER_POST = (
    "Tallow Notes REMOTE, with a meetup twice a year. I wrote most of this note-taking app myself in TypeScript and "
    "want a second engineer who is comfortable with backend services and Postgres."
)
SALES_AND_SETUP_POST = (
    "Gable | https://gable.example | Denver (on-site) | Full-time\n"
    "We make estate-planning software with an API for advisors. Open Roles - Sales You will talk to families and "
    "close deals. - Setup You will walk new customers through configuring their accounts."
)
PM_ONLY_POST = (
    "Lumen Ear | Remote | Full-time\n"
    "We build hearing-training apps. Role: Product Manager (Phone App) You will own the roadmap, work with our "
    "engineers and define the REST APIs the app consumes."
)
SALES_AND_BACKEND_POST = SALES_AND_SETUP_POST + " - Senior Backend Engineer You will run our Django services."
ON_CHAIN_POST = (
    "Weft (https://weft.example) | Remote | Several full-time roles\n"
    "We put a verifiable query layer inside the validators of public chains. Stack: Rust, Go, gRPC, GraphQL, "
    "Postgres. Hiring: Senior Smart Contract Engineer; Blockchain Protocol Engineer; SDK Engineer."
)
ONE_CHAIN_OPENING_POST = (
    "We run payroll APIs in Go, Kafka and Postgres. Hiring: Senior Software Engineer, Staff Platform Engineer, "
    "Senior Smart Contract Engineer, Senior Backend Engineer (Payouts)."
)
ONE_CHAIN_AMONG_GENERIC = (
    "We run payroll APIs in Go, Kafka and Postgres. Hiring: Senior Software Engineer, Staff Software Engineer, "
    "Senior Smart Contract Engineer."
)
ROBOTICS_FOUNDER_SERVICES = (
    "We are hiring two founding engineers: a Founding Staff Full-Stack Engineer who owns our backend and cloud "
    "infrastructure, and a second one across the app and its APIs."
)
ROBOTICS_FOUNDER_FIRMWARE = (
    "We are hiring one founding engineer to write the firmware for our motor controllers and the embedded "
    "vision pipeline."
)


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a thread post's title taken from a header field that names a topic or a product, not a role: the post
        # decides, as for a header line with no role
        ("Freight Routing", ROUTING_POST, True, "generic role not named in the title; description is backend"),
        ("Tallow Notes", SHOUTED_HEADER_POST, True, "generic role not named in the title; description is backend"),
        # a field naming an executive, an expert or a function is no topic
        ("CTO", "Acme | CTO | Remote\nLead our backend services in Go and Postgres.", False, "excluded: not a backe"),
        ("Product", "Acme | Product | Remote\nShape our API platform.", False, "excluded: not a backend engine"),
        (
            "Tax Tech",
            "Acme | Tax Tech | Remote\nWe need a Senior Go Developer for our filing APIs.",
            True,
            "generic role n",
        ),
        # ...but only when the title is a field of the post's header line: a bare topic stays no engineering title
        ("Freight Routing", BACKEND_TEXT, False, "excluded: not a backend engineering title"),
        (
            "Bookkeeping",
            "Bookkeeping Full-time, weekdays. Keep the books of a bakery; we use a cloud database.",
            False,
            "",
        ),
    ],
)
def test_round_seven_header_field_titles(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a post whose openings field names only non-engineering roles is excluded, whatever its product words
        (
            "Gable | https://gable.example | Denver (on-site) | Full-time",
            SALES_AND_SETUP_POST,
            False,
            "excluded: the po",
        ),
        ("Lumen Ear | Remote | Full-time", PM_ONLY_POST, False, "excluded: the post's openings name another role"),
        # an engineering opening beside them still decides
        ("Gable | https://gable.example | Denver | Full-time", SALES_AND_BACKEND_POST, True, "the post names a back"),
    ],
)
def test_round_seven_posts_opening_other_roles(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # two roles after a comma, each with its own seniority, are two roles, not a role and its team
        ("Staff Product Engineer, Staff Computer Vision Engineer", BACKEND_TEXT, True, "generic software engineer"),
        ("Senior Platform Engineer, Senior iOS Engineer", SILENT_TEXT, True, "title: platform engineer (one of sev"),
        ("Lead Data Scientist, Senior Mobile Engineer", BACKEND_TEXT, False, "excluded: data science"),
        # without a seniority word the second part is still a team
        ("Senior Software Engineer, Computer Vision Engineer", BACKEND_TEXT, False, "excluded: machine learning"),
    ],
)
def test_round_seven_two_senior_roles(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a post whose openings are mostly on-chain roles is an on-chain company's, whatever server languages its
        # stack lists
        ("Several full-time roles", ON_CHAIN_POST, False, "excluded: blockchain (the post's openings are mostly"),
        # one on-chain opening among others does not decide
        ("Acme | Remote | Full-time", ONE_CHAIN_OPENING_POST, True, "the post names a backend role"),
        ("Acme | Remote | Full-time", ONE_CHAIN_AMONG_GENERIC, True, "generic role not named in the title; descr"),
        # a chain named in the title excludes, as a blockchain does
        ("C++ | Rust | Bitcoin", BACKEND_TEXT, False, "excluded: blockchain"),
    ],
)
def test_round_seven_on_chain_work(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a first line cut short that is a sentence about the company: its specialty word names the company, not
        # the role; the post decides
        ("Hello HN, I'm Priya, co-founder of Marlin Robotics, a kitchen automation lab in Queens…",
         ROBOTICS_FOUNDER_SERVICES, True, "the post names a backend role"),
        ("Hello HN, I'm Priya, co-founder of Marlin Robotics, a kitchen automation lab in Queens…",
         ROBOTICS_FOUNDER_FIRMWARE, False, ""),
        # a short cut-short title is still read as a title, and a non-engineering function still decides
        ("Embedded Rust…", ROBOTICS_FOUNDER_SERVICES, False, "excluded: hardware"),
        ("Looking for sales folks who love selling developer tools to large banks…", BACKEND_TEXT, False, "excluded"),
    ],
)  # fmt: skip
def test_round_seven_first_line_sentences(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


# --- round 8 (batch 8's error classes) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # other occupations: office, legal, care, language work; a bare writer or editor
        ("Executive Assistant to the Founders", BACKEND_TEXT, False, "excluded: not engineering (administration"),
        ("Bookkeeper (part-time)", "", False, "excluded: not engineering (administration"),
        ("Clinic Coordinator", "", False, "excluded: not engineering (administration"),
        ("Editor", "", False, "excluded: not engineering (docs/advocacy/training)"),
        (
            "Writer",
            "Quizlark | Writer | Lisbon | REMOTE\nWrite a fresh puzzle prompt every morning for our trivia app.",
            False,
            "excluded: not engineering (docs",
        ),
        # "assistant" as a rank or a product team is no assistant's job
        ("Assistant Software Engineer", BACKEND_TEXT, True, "generic software engineer; description is backend"),
        ("Software Engineer, AI Assistant", BACKEND_TEXT, True, "generic software engineer; description is backend"),
    ],
)
def test_round_eight_other_occupations(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


HIRING_LABEL_POST = (
    "Orrery | Remote | Full Time\n\nHiring: Office Coordinator\n\nWe are a small team building calm planning "
    "software. You will keep our calendars and vendors in order."
)
OPENINGS_LIST_POST = (
    "Nimbo | Hybrid (Oslo)\nStack: Vue / Python / GCP\n\nOpen Roles (5+ years for all): Search Infrastructure "
    "(Senior) * Billing Lead * Product Designer\n\nWe help dentists keep their records straight."
)
TRAIT_LIST_POST = (
    "Pellet | NYC | Full Time\n\nHiring:\n\nFounding Engineer - writes Go, owns features end to end\n\n"
    "Senior SWE - platform, queues and storage\n\nEmail us a note about yourself."
)


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a "Hiring:" label opens the post's openings field, like "Open roles:"
        ("Orrery | Remote | Full Time", HIRING_LABEL_POST, False, "excluded: the post's openings name another role"),
        # an openings list is read item by item; a title-case item with no role noun names that area's engineer
        ("Nimbo | Hybrid (Oslo)", OPENINGS_LIST_POST, True, "the post names a backend role (Search Infrastructure"),
        # ... and an item's part after a comma is left out
        ("Pellet | NYC | Full Time", TRAIT_LIST_POST, True, "the post names a backend role (Senior SWE - platform"),
        # other wordings of "is hiring" in a title that names no role: the post decides
        (
            "Quillmate (YC F25) needs an engineer who likes hard problems",
            "Job type Full-time Role Engineering, Backend Experience 2+ years",
            True,
            "the post names a backend role",
        ),
        ("Tinplate is looking for engineers", SILENT_TEXT, True, "generic role not named in the title; descr"),
        ("Tinplate seeks engineers", FRONTEND_TEXT, False, "generic role not named in the title; description not"),
    ],
)
def test_round_eight_openings_and_hiring_wordings(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


QUANT_AND_FIELD_POST = (
    "Marlin Capital | Remote (US) | Full-time\nWe run a systematic fund on our own trading infrastructure in "
    "Kubernetes and Postgres. We're hiring for:\n- Senior Quantitative Developer\n- Forward Deployed Engineer"
)


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # every opening the post names in title case is another discipline's: its product words do not decide
        (
            "Marlin Capital | Remote (US) | Full-time",
            QUANT_AND_FIELD_POST,
            False,
            "excluded: the post's openings are",
        ),
        # ... not when one of them is an engineering opening the filter cannot place, or an engineering leader
        (
            "Marlin Capital | Remote (US) | Full-time",
            QUANT_AND_FIELD_POST + "\n- Staff Privacy Engineer",
            True,
            "generic role not named in the title; description is backend",
        ),
        (
            "Marlin Capital | Remote (US) | Full-time",
            QUANT_AND_FIELD_POST + "\n- Engineering Manager, Ledger",
            True,
            "generic role not named in the title; description is backend",
        ),
        # roles named in lower case are in passing
        (
            "Marlin Capital | Remote (US) | Full-time",
            "Marlin Capital | Remote | Full-time\nYou will pair with our quantitative developers on Go services, "
            "Kafka and Postgres.",
            True,
            "generic role not named in the title; description is backend",
        ),
        # a role noun that qualifies the next word names no role ("developer tooling", "engineer onboarding")
        (
            "Brightkite | SF | Onsite",
            "Brightkite | SF | Onsite\nWe sell developer tooling for data teams on Kubernetes. Open roles: Account "
            "Executive, Partner Manager.",
            False,
            "excluded: the post's openings name another role",
        ),
    ],
)
def test_round_eight_posts_whose_openings_are_other_roles(
    title: str, text: str, expected: bool, reason_prefix: str
) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # server frameworks by their short names: with a frontend framework, a full-stack title
        ("Mid-level RoR / Vue Engineer", "", True, "title: full-stack"),
        ("NestJS & Angular Developer", "", True, "title: full-stack"),
        ("Express.js Developer", BACKEND_TEXT, True, "generic express.js engineer; description is backend"),
        # a city that shares a framework's name is no framework
        ("React Developer - Phoenix, AZ", FRONTEND_TEXT, False, "excluded: frontend"),
        # a cloud team after an engineer title, and CloudOps, are cloud infrastructure
        ("Systems Engineer II, Cloud", "", True, "title: infrastructure/SRE/DevOps"),
        ("Engineer (Cloud)", "", True, "title: infrastructure/SRE/DevOps"),
        ("Staff CloudOps Engineer", "", True, "title: infrastructure/SRE/DevOps"),
        ("Cloud Software Engineer", "", True, "title: infrastructure/SRE/DevOps"),
        ("Sales Engineer - Cloud", BACKEND_TEXT, False, "excluded: solutions/sales engineering"),
        # (a partnerships team after an engineer title is a team, and no cloud infrastructure)
        ("Engineer - Cloud Partnerships", BACKEND_TEXT, True, "generic software engineer; description is backend"),
        # an AI technical lead leads model work, like an AI engineer
        ("AI Tech Lead - Code Assistants", BACKEND_TEXT, False, "excluded: machine learning/AI"),
        ("Lead AI Engineer", BACKEND_TEXT, False, "excluded: machine learning/AI"),
        # scientific and research software is computational science
        ("Research Software Engineer (Climate Models)", BACKEND_TEXT, False, "excluded: scientific/research"),
        ("Scientific Programmer", "", False, "excluded: scientific/research software"),
        ("Scientific Computing Developer (Julia)", "", False, "excluded: scientific/research software"),
        ("Computational Chemist", "", False, "excluded: scientific/research software"),
        # a role followed by a list of traits is that role; a trade word among the traits does not decide
        (
            "Founding Engineer - writes Go, owns the roadmap, half designer",
            BACKEND_TEXT,
            True,
            "generic software engineer; description is backend",
        ),
        # ... but a list of capitalised names after the dash is the title's own (a frontend list stays frontend)
        ("Frontend Engineer - React, Vue, Svelte", BACKEND_TEXT, False, "excluded: frontend"),
    ],
)
def test_round_eight_title_classes(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # desktop applications and code editors are client-side work
        (
            "Senior Software Engineer",
            "Build our native code editor: a desktop app in Rust with a GPU text renderer, shipped on macOS, Linux "
            "and Windows; IDE integrations and extensions.",
            False,
            "generic software engineer; description not backend",
        ),
        # 3D graphics and CAD geometry in the browser or native
        (
            "Software Engineer",
            "Write our rendering pipeline in Vulkan and WebGL2, mesh booleans and other geometry kernels, and the "
            "GLSL shaders behind them; a small Python service hands jobs out.",
            False,
            "generic software engineer; description not backend",
        ),
        # a sentence first line whose only evidence is an area word is a reply, not a posting
        (
            "Honestly, building payment infrastructure for corner shops sounds like a great gig…",
            "Honestly, building payment infrastructure for corner shops sounds like a great gig at that rate.",
            False,
            "excluded: not a backend engineering title",
        ),
        # ... and when it is a posting, the post decides
        (
            "We are building the payment infrastructure for corner shops across Europe…",
            "We are building the payment infrastructure for corner shops across Europe. Hiring a Senior Backend "
            "Engineer (Go, Postgres).",
            True,
            "the post names a backend role",
        ),
    ],
)
def test_round_eight_description_and_first_lines(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # roles split by "/" (or "|") outside brackets, three or more: one backend opening keeps the title...
        ("Senior Backend Developer/Principal Designer/Field Sales Engineer", "", True, "title: backend (one of"),
        ("Lead Fullstack Engineer | Staff Solutions Engineer | Data Analyst", "", True, "title: full-stack (one of"),
        # ... one generic opening leaves it to the description
        (
            "Sales Engineer/Staff Software Engineer/Product Designer",
            BACKEND_TEXT,
            True,
            "generic software engineer; description is backend",
        ),
        ("Sales Engineer/Staff Software Engineer/Product Designer", MOBILE_TEXT, False, "generic software engineer"),
        # ... none: excluded
        ("iOS Engineer/Android Engineer/Product Designer", BACKEND_TEXT, False, "excluded: "),
        # two roles split by "/" are one hybrid title, unless each carries its own seniority
        ("Database Developer / BI Analyst", BACKEND_TEXT, False, "excluded: data science"),
        ("Senior iOS Developer / Senior Platform Engineer", "", True, "title: platform engineer (one of several"),
        # a link's slashes separate nothing
        ("Tidewater (https://tidewater.example/jobs) / Mobile Engineer", BACKEND_TEXT, False, "excluded: mobile"),
        # areas in brackets sharing one role noun: each area with the noun is an opening
        ("Acme / [Mobile / Growth / Infra] Engineer", "", True, "title: infrastructure/SRE/DevOps (one of"),
        ("(Advocacy / Platform) Engineer", "", True, "title: platform engineer (one of several"),
        ("[iOS / Android] Engineer", BACKEND_TEXT, False, "excluded: mobile"),
        # three or more bare areas split by "/" too; two are one role across both areas
        ("Kernel/Web/Platform Engineer", "", True, "title: platform engineer (one of several"),
        ("Firmware/Platform Software Engineer", BACKEND_TEXT, False, "excluded: hardware"),
        # areas sharing a plural role noun, after "is hiring" or not
        ("Quillby (YC X25) Is Hiring Product, Brand and ML Engineers", SILENT_TEXT, True, "generic software"),
        ("Mobile & Platform Engineers", "", True, "title: platform engineer (one of several"),
        ("Robotics, Vision, and Controls Engineers", BACKEND_TEXT, False, "excluded: hardware"),
        # a singular noun after areas joined by "and" is one title
        ("Research and Development Engineer", BACKEND_TEXT, False, "excluded: not a backend engineering title"),
        # a list of technologies names one opening's stack, not several openings
        ("Node.js / Vue / Postgres Developers", "", True, "title: full-stack"),
        ("PHP/WordPress/Shopify Developer", BACKEND_TEXT, False, "excluded: frontend (site builder)"),
        # engineering leaders in the plural are engineering leaders
        ("Flutter Engineers, Engineering Managers", BACKEND_TEXT, True, "generic engineering lead/manager; desc"),
        ("Tech Leads", BACKEND_TEXT, True, "generic engineering lead/manager; description is backend"),
        # software engineering beside another area is a list of areas: the post decides
        ("Software Development & Marketing", BACKEND_TEXT, True, "generic several roles; description is backend"),
        ("Software Engineering and Recruiting", FRONTEND_TEXT, False, "generic several roles; description not"),
    ],
)
def test_round_nine_titles_naming_several_openings(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # a post whose text only repeats its several-openings title: the names of the openings are not evidence
        (
            "Quillby is hiring Product, Brand and ML Engineers",
            "Quillby is hiring Product, Brand and ML Engineers\n\nPlease turn on scripts to view this page.",
            True,
            "generic software engineer; description silent (kept)",
        ),
        # ... while the rest of its text still decides
        (
            "Quillby is hiring Product, Brand and ML Engineers",
            "Quillby is hiring Product, Brand and ML Engineers\n\n" + ML_TEXT,
            False,
            "generic software engineer; description not backend",
        ),
        # a UI platform team is frontend
        ("Principal Engineer - UI Platforms", BACKEND_TEXT, False, "excluded: frontend"),
        # a title that is a link alone: the post decides when it names a role or backend work, else no posting
        ("https://brightkite.example/careers", "https://brightkite.example/careers", False, "excluded: not a"),
        (
            "https://brightkite.example/careers",
            "https://brightkite.example/careers\nWe need a Staff Platform Engineer to run our Kubernetes fleet.",
            True,
            "the post names a backend role",
        ),
    ],
)
def test_round_nine_posts_and_teams(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


# Round 10: a thread post whose header line names no role at all (company, place, link, employment terms); the
# post's text names the roles. Written for these tests, not taken from any posting.
KILN_HEADER = "Kilnworks - Leeds, UK - https://kilnworks.example/careers"
KILN_POST = (
    f"{KILN_HEADER}\n\nWe make scheduling software for pottery studios. We are looking for Elixir developers to "
    "grow the service that books kiln time, and a designer."
)
PLACE_ONLY_POST = (
    "Tromso, Norway. Permanent, on-site.\n\nFjordlight\n\nSmall team, big maps: we need a couple of engineers who "
    "like Postgres and Python to own the tile server and its APIs."
)
TESTER_POST = (
    f"{KILN_HEADER}\n\nWe are after a manual tester to check each release of our booking service, its APIs and its "
    "database migrations before customers see them."
)
MARKETER_POST = (
    f"{KILN_HEADER}\n\nWe want a marketer to tell potters about our cloud booking APIs and our Kubernetes uptime."
)


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # the header names no role: the post's openings decide, as for a header of "|" fields
        (KILN_HEADER, KILN_POST, True, "generic header line names no role"),
        ("Tromso, Norway. Permanent, on-site.", PLACE_ONLY_POST, True, "generic header line names no role; descri"),
        # the title may be only part of the first line (a feed that took the company name off)
        ("Leeds, UK - https://kilnworks.example/careers", KILN_POST, True, "generic header line names no role"),
        # a link naming a role is no role of the header
        (
            "Kilnworks - https://kilnworks.example/jobs/software-engineer - Leeds",
            "Kilnworks - https://kilnworks.example/jobs/software-engineer - Leeds\nA Go developer for our API.",
            True,
            "generic header line names no role; description is backend",
        ),
        # ... it stands for an engineering posting only when the post names an engineer, whatever its product words
        (KILN_HEADER, TESTER_POST, False, "excluded: not a backend engineering title"),
        (KILN_HEADER, MARKETER_POST, False, "excluded: not a backend engineering title"),
        # a title naming a non-engineering role stays excluded, even at the head of such a post
        ("Account Executive - Leeds, UK", "Account Executive - Leeds, UK\n" + KILN_POST, False, "excluded: not engi"),
        # ATS titles that name a role without a role noun are no header: a gender marker, a head, an occupation
        ("Projektleitung Vertriebsinnendienst (m/w/d)", "Projektleitung (m/w/d)\n" + BACKEND_TEXT, False, "excluded"),
        ("Head of Finance", "Head of Finance\nWe need engineers who know Postgres.", False, "excluded"),
        ("Pharmacist - Night Shifts", "Pharmacist - Night Shifts\nOur developers built the rota API.", False, "ex"),
        # the short lines below the header name the openings: another trade's role there excludes the post ...
        (
            KILN_HEADER,
            f"{KILN_HEADER}\n\nRegional Sales Director\n\n{BACKEND_TEXT} Our engineers",
            False,
            "excluded: the p",
        ),
        (
            KILN_HEADER,
            f"{KILN_HEADER}\n* Copywriter (part time) - words for our site\n* Recruiter\nOur developers use Go.",
            False,
            "excluded: the post's role line names another role (Recruiter",
        ),
        # ... also after a company's name on that line
        (
            KILN_HEADER,
            f"{KILN_HEADER}\nKilnworks - Office Assistant, Bookings\nOur developers use Go.",
            False,
            "excluded: t",
        ),
        # ... unless one of them is an engineering opening
        (
            KILN_HEADER,
            f"{KILN_HEADER}\n- Senior developer (you will touch every part of it)\n- Support analyst\n{BACKEND_TEXT}",
            True,
            "generic header line names no role; description is backend",
        ),
        # a thread names its engineers in its own words too ("devs", "hackers")
        (KILN_HEADER, f"{KILN_HEADER}\nWe want two devs for the Django side of things.", True, "generic header line"),
        (KILN_HEADER, f"{KILN_HEADER}\nWe want two hackers who know Rust services.", True, "generic header line"),
        # beside employment terms, "intern" is a term of the header, not a role
        (
            "Leeds - FULL TIME + INTERN",
            f"Kilnworks - Leeds - FULL TIME + INTERN\n{BACKEND_TEXT} Our engineers",
            True,
            "g",
        ),
        # in a header marked by a link or employment terms, a specialty or sales word names the company
        (
            "Ferncast Insights (https://ferncast.example) - Leeds",
            f"Ferncast Insights (https://ferncast.example) - Leeds\nWe need Rails developers. {BACKEND_TEXT}",
            True,
            "generic header line names no role",
        ),
        (
            "Tallyho Talent - Full time - Leeds",
            f"Tallyho Talent - Full time - Leeds\nOur backend engineers want company. {BACKEND_TEXT}",
            True,
            "the post names a backend role",
        ),
        # ... not without such a mark, and not an occupation or a role in a field of its own
        ("Ferncast Insights - Leeds", f"Ferncast Insights - Leeds\nRails developers. {BACKEND_TEXT}", False, "excl"),
        ("Remote Ward Nurse", f"Remote Ward Nurse\nOur engineers built the rota. {BACKEND_TEXT}", False, "excl"),
        (
            "Ferncast | Enterprise Account Exec | Full-time",
            f"Ferncast | Enterprise Account Exec | Full-time\nOur engineers. {BACKEND_TEXT}",
            False,
            "excluded: not engineering (sales)",
        ),
        # a header that is not the post's first line is a title like any other
        ("Kilnworks - Leeds, UK", BACKEND_TEXT, False, "excluded: not a backend engineering title"),
    ],
)
def test_round_ten_header_lines_naming_no_role(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # an operations engineer is generic: a web company's ops engineer runs its servers, a plant's does not
        ("Operations Engineer", BACKEND_TEXT, True, "generic software engineer; description is backend"),
        ("Ops engineer", "", True, "generic software engineer; description silent (kept)"),
        (
            "Operations Engineer",
            "Keep the CNC machining line and its PLC controls running on the night shift.",
            False,
            "",
        ),
        # a software intern is a generic software engineer, like an engineering intern
        ("Software Intern", "", True, "generic software engineer; description silent (kept)"),
        ("Software Intern", MOBILE_TEXT, False, "generic software engineer; description not backend"),
    ],
)
def test_round_ten_generic_titles(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("title", "text", "expected", "reason_prefix"),
    [
        # an anonymised dataset's title runs on into the ad's fields after its first placeholder: the title is the
        # text before it, so words of the later fields ("Role: QA", "sysadmin") do not decide
        ("Platform Engineer <ORGANIZATION> <LOCATION> Date posted: today Role: QA/Test", "", True, "title: platform"),
        ("<ORGANIZATION> Payments - Backend Engineer ( <LOCATION> ) Technologies swift", "", True, "title: backend"),
        ("Go Developer <ORGANIZATION> Job type: Full-time Role: Mobile Developer", BACKEND_TEXT, True, "generic go"),
        # a title without placeholders keeps its "<" text
        ("Engineer <3 Mobile", "", False, "excluded: mobile"),
        # a frontend title naming a server runtime beside its framework is frontend, not full-stack
        ("Frontend Developer - Vue, Node.js", BACKEND_TEXT, False, "excluded: frontend"),
        ("UI Engineer (React / Express.js)", "", False, "excluded: frontend"),
        # ... while the pair alone still reads as full-stack
        ("Node.js & Vue Developer", "", True, "title: full-stack"),
        # "SW" is software
        ("Principal SW Engineer", BACKEND_TEXT, True, "generic software engineer; description is backend"),
        ("SW Engineer", MOBILE_TEXT, False, "generic software engineer; description not backend"),
        # social engineering is security work
        ("APAC Social Engineering Manager", BACKEND_TEXT, False, "excluded: security"),
        # a database's internals are backend (storage) work
        ("Postgres Internals Engineer", "", True, "title: infrastructure/SRE/DevOps"),
        ("Kafka Internals Developer", FRONTEND_TEXT, True, "title: infrastructure/SRE/DevOps"),
        # a staff engineer named by a revenue team is a software engineer; a revenue-operations engineer is not
        ("Staff Engineer, Revenue Systems", BACKEND_TEXT, True, "generic software engineer; description is backend"),
        ("Senior Software Engineer - Revenue", "", True, "generic software engineer; description silent (kept)"),
        ("Revenue Operations Engineer", BACKEND_TEXT, False, "excluded: not engineering (sales)"),
        ("Revenue Manager", "", False, "excluded: not engineering (sales)"),
        # a CTO is an executive, whatever platform the title names
        ("CTO for a Payments Platform", BACKEND_TEXT, False, "excluded: not a backend engineering title"),
        ("VP, Data Platforms", "", True, "title: data/ML platform"),
    ],
)
def test_round_ten_title_classes(title: str, text: str, expected: bool, reason_prefix: str) -> None:
    is_backend, reason = classify_role(title, text)
    assert (is_backend, reason[: len(reason_prefix)]) == (expected, reason_prefix), reason


@pytest.mark.parametrize(
    ("source_file", "kind"),
    [
        ("../eval/skills_skillspan_tech_train.jsonl", "skillspan"),
        ("../eval/other_set.jsonl", "eval"),
        ("rss/feed.xml", "wwr"),
        ("other/some_workday_board.json", "workday"),
        ("greenhouse/board.json", "greenhouse"),
    ],
)
def test_eval_role_kind(source_file: str, kind: str) -> None:
    from bench.eval_role import _kind

    assert _kind(source_file) == kind
