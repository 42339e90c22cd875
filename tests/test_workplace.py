"""pipeline.workplace: work mode and remote regions from the hint, the location strings/title, the text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import workplace as workplace_module
from pipeline.model import WORKPLACES
from pipeline.workplace import infer_workplace, normalize_hint, parse_regions

# (description text, expected workplace, expected remote_regions)
TEXT_CASES = [
    # negations
    ("This is not a remote role. You will work from our Austin office.", "onsite", []),
    ("Remote work is not available for this position.", "onsite", []),
    ("Backend Engineer | Austin, TX | Onsite, no remote | Full-time", "onsite", []),
    ("We are unable to consider remote candidates for this position.", "onsite", []),
    ("This position cannot be performed remotely.", "onsite", []),
    ("Remote: No", "onsite", []),
    ("This is not a fully remote role; expect 2 days a week in our Paris office.", "hybrid", []),
    # company-level remote vs the role
    ("We are a remote-first company, but this role is based in our Berlin office.", "onsite", []),
    ("We're a remote-first company. This role is hybrid, 2 days a week in our London office.", "hybrid", []),
    ("We are a fully remote company.", "remote", []),
    ("We’re an in-office company, driven by a shared commitment to craft and speed.", "onsite", []),
    ("Acme is a fully in person company, with teams in Austin and Denver.", "onsite", []),
    ("We are an in-office company, but this role is fully remote.", "remote", []),
    ("- Week-long in-person team gatherings twice a year, all expenses paid", None, []),
    # German benefits lists (Arbeitnow): a home-office option next to an office is hybrid
    ("- Work-Life-Balance: flexible Arbeitszeiten sowie eine anteilige Homeoffice-Möglichkeit", "hybrid", []),
    ("- Flexible Gestaltung der Arbeitszeiten sowie die Option auf Home-Office", "hybrid", []),
    ("• Homeoffice nach der Einarbeitung möglich", "hybrid", []),
    ("- Flexible Homeoffice-Tage und ein Büro in Leipzig", "hybrid", []),
    ("- Hybrides Arbeiten: zwei Tage pro Woche im Büro", "hybrid", []),
    ("- 100% Homeoffice möglich, bundesweit", "remote", []),
    ("- $500 home office stipend", None, []),
    ("You need a quiet home office with fast internet.", None, []),
    # hyphenated work-from-home: an arrangement is a mode, an allowance or a policy is a perk
    ("The role is based in Spain with a work-from-home arrangement.", "remote", []),
    ("- Monthly transport and work-from-home allowances", None, []),
    ("- Flexible PTO and work-from-home policies", None, []),
    # perks are not a work mode
    ("Perks: work from anywhere for 4 weeks a year, and a home office stipend.", None, []),
    ("Benefits include remote Fridays and a work-from-home stipend.", None, []),
    ("- In-Office Lunch (5 days per week)", None, []),
    ("Onsite interviews happen in our SF office.", None, []),
    # traps: the word without the work mode
    ("We build hybrid cloud infrastructure and remote monitoring tools for remote teams.", None, []),
    ("Experience with remote sensing data is a plus.", None, []),
    ("Excellent communication skills (in person, phone, email).", None, []),
    ("If the job description states that the position is fully remote, that arrangement applies.", None, []),
    ("This role may require you to be on site at times.", None, []),
    ("", None, []),
    # hybrid
    ("We expect you 3 days a week in the office.", "hybrid", []),
    ("We follow a hybrid work model.", "hybrid", []),
    ("Willingness and ability to work in-office in London at least three days per week.", "hybrid", []),
    ("Acme | Software Engineer | Cupertino, CA | ONSITE (3 days/week in office)", "hybrid", []),
    ("Carta | Senior Software Engineer | Waterloo / Toronto | ONSITE (Hybrid OK)", "hybrid", []),
    ("Location: Hybrid, 3 days onsite in San Francisco, CA.", "hybrid", []),
    ("#LI-Hybrid", "hybrid", []),
    # onsite
    ("Must be able to work 5 days per week at our New York City office.", "onsite", []),
    ("This is an onsite role in our Cambridge, Mass office.", "onsite", []),
    ("This is an in-person role working at our NYC office location.", "onsite", []),
    ("Acme | Founding Engineer | Berkeley, CA | ONSITE | $175k - $210k", "onsite", []),
    ("Phonely | Senior Backend Engineer | San Francisco (Onsite) | Full-time", "onsite", []),
    ("#LI-Onsite", "onsite", []),
    # Indeed footers
    ("Job Type: Full-time\nPay: $90,000.00 - $120,000.00 per year\nWork Location: In person", "onsite", []),
    ("Job Type: Full-time\nWork Location: Hybrid remote in Austin, TX 78701", "hybrid", []),
    ("Job Type: Contract\nWork Location: Remote", "remote", []),
    # remote with regions
    ("Location: Remote (US only)", "remote", ["US"]),
    ("Acme | Backend Engineer | REMOTE (EU) | Full-time", "remote", ["Europe"]),
    ("Acme | Backend Engineer | Remote - EMEA | Full-time", "remote", ["EMEA"]),
    ("This position is remote, Europe.", "remote", ["Europe"]),
    ("This is a remote role based in the United States.", "remote", ["US"]),
    ("This is a remote position, located in Canada, reporting to the CTO.", "remote", ["CA"]),
    ("Fully remote (UTC-5 to UTC+1).", "remote", ["UTC-5..UTC+1"]),
    ("Zeitlabs | Senior Frontend Engineer | Remote (UTC±3) | Full time", "remote", ["UTC-3..UTC+3"]),
    ("Remote (LATAM)", "remote", ["LATAM"]),
    ("Remote (Americas)", "remote", ["Americas"]),
    ("You can work from anywhere in the world.", "remote", ["Worldwide"]),
    ("Enveritas | Backend Software Engineer | Remote (Global)", "remote", ["Worldwide"]),
    ("Matcha | Engineer | REMOTE (Canada, Europe, UK, US)", "remote", ["CA", "Europe", "GB", "US"]),
    ("We're headquartered in NYC but US-remote friendly.", "remote", ["US"]),
    ("Acme | Engineer | Remote (US) | Full-time", "remote", ["US"]),
    ("This role is fully remote.", "remote", []),
    ("You don't need to relocate: this role is fully remote.", "remote", []),
    ("#LI-Remote", "remote", []),
    # a remote option among others: remote
    ("EnsoData | Engineer | Hybrid (Madison, WI) or Remote (US)", "remote", ["US"]),
    ("Hybrid 1-2 days per week preferred, remote work arrangement also available.", "remote", []),
]


@pytest.mark.parametrize(("text", "workplace", "regions"), TEXT_CASES)
def test_text(text, workplace, regions):
    result = infer_workplace(None, [], text)
    assert result.workplace == workplace
    assert result.remote_regions == regions
    if workplace is None:
        assert result.provenance is None and result.evidence is None
    else:
        assert result.provenance == "text"
        assert result.evidence


# (locations, title, expected workplace, expected regions)
LOCATION_CASES = [
    (["Remote - US"], "", "remote", ["US"]),
    (["US-Remote"], "", "remote", ["US"]),
    (["Remote (US only)"], "", "remote", ["US"]),
    (["Remote - EMEA"], "", "remote", ["EMEA"]),
    (["Remote, Europe"], "", "remote", ["Europe"]),
    (["United States (Remote)"], "", "remote", ["US"]),
    (["Remote"], "", "remote", []),
    (["Hybrid (Berlin)"], "", "hybrid", []),
    (["Bangalore (Hybrid)"], "", "hybrid", []),
    (["San Francisco, CA", "Remote (US)"], "", "remote", ["US"]),
    (["San Francisco, CA"], "", None, []),
    (["Worldwide"], "", None, []),
    ([], "Senior Backend Engineer (Remote - EMEA)", "remote", ["EMEA"]),
    ([], "Backend Engineer - Hybrid", "hybrid", []),
    ([], "Software Engineer [Onsite]", "onsite", []),
    ([], "Remote Sensing Engineer", None, []),
    ([], "Remote Control Systems Developer", None, []),
]


@pytest.mark.parametrize(("locations", "title", "workplace", "regions"), LOCATION_CASES)
def test_locations_and_title(locations, title, workplace, regions):
    result = infer_workplace(None, locations, "", title)
    assert result.workplace == workplace
    assert result.remote_regions == regions
    assert result.provenance == ("location" if workplace else None)


def test_location_beats_text():
    result = infer_workplace(None, ["Hybrid (Berlin)"], "This role is fully remote.")
    assert (result.workplace, result.provenance, result.evidence) == ("hybrid", "location", "Hybrid (Berlin)")


# A remote mode from the text takes its regions from country-level locations first (a city is an office).
@pytest.mark.parametrize(
    ("locations", "text", "regions"),
    [
        (["Argentina", "Mexico"], "Remote-First Work Environment: this role is 100% remote.", ["AR", "MX"]),
        (
            ["Portugal; Spain"],
            "The role is based in Spain or Portugal with a work-from-home arrangement.",
            ["PT", "ES"],
        ),
        (["Lisbon, Portugal"], "Fully remote.", []),
        (["Berlin"], "Location: Remote (EU)", ["Europe"]),
        (["Brazil"], "Location: Remote (LATAM)", ["BR"]),
    ],
)
def test_text_remote_takes_country_locations(locations, text, regions):
    result = infer_workplace(None, locations, text)
    assert (result.workplace, result.remote_regions, result.provenance) == ("remote", regions, "text")


def test_plain_city_lets_the_text_decide():
    result = infer_workplace(None, ["San Francisco, CA"], "This is an onsite role in our SF office.")
    assert (result.workplace, result.provenance) == ("onsite", "text")


@pytest.mark.parametrize(
    ("hint", "expected"),
    [
        ("remote", "remote"),
        ("Remote", "remote"),
        ("hybrid", "hybrid"),
        ("On-site", "onsite"),
        ("onsite", "onsite"),
        ("ONSITE", "onsite"),
        ("in_office", "onsite"),
        ("unspecified", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_hint(hint, expected):
    assert normalize_hint(hint) == expected


def test_structured_hint_wins():
    result = infer_workplace("On-site", ["Remote - US"], "This role is fully remote.")
    assert (result.workplace, result.provenance, result.evidence) == ("onsite", "structured", "On-site")


def test_structured_remote_takes_regions_from_locations():
    result = infer_workplace("Remote", ["United States"], "")
    assert (result.workplace, result.remote_regions, result.provenance) == ("remote", ["US"], "structured")
    result = infer_workplace("remote", ["Americas, Europe, Asia"], "")
    assert result.remote_regions == ["Americas", "Europe", "Asia"]
    result = infer_workplace("remote", ["San Francisco"], "Remote (EMEA)")
    assert result.remote_regions == ["EMEA"]


def test_unknown_hint_falls_through():
    result = infer_workplace("unspecified", ["Remote - US"], "")
    assert (result.workplace, result.provenance) == ("remote", "location")


REGION_CASES = [
    ("US only", ["US"]),
    ("U.S. only", ["US"]),
    ("US/Canada", ["US", "CA"]),
    ("EMEA", ["EMEA"]),
    ("Europe", ["Europe"]),
    ("EU timezone preferred", ["Europe"]),
    ("UK/Europe/US East Coast", ["GB", "Europe", "US"]),
    ("Americas, Europe, Asia, Africa, Oceania", ["Americas", "Europe", "Asia", "Africa", "Oceania"]),
    ("Northern America, LATAM, Europe, APAC", ["North America", "LATAM", "Europe", "APAC"]),
    ("North/South America", ["Americas"]),
    ("anywhere in the world", ["Worldwide"]),
    ("Worldwide", ["Worldwide"]),
    ("Global", ["Worldwide"]),
    ("UTC-5 to UTC+1", ["UTC-5..UTC+1"]),
    ("GMT-8 to GMT+2", ["UTC-8..UTC+2"]),
    ("UTC±3", ["UTC-3..UTC+3"]),
    ("UTC+3", ["UTC+3"]),
    ("UTC+5:30", ["UTC+5:30"]),
    ("CET ±3", ["UTC-2..UTC+4"]),
    ("PT to CET", ["UTC-8..UTC+1"]),
    ("USA, Canada, USA timezones", ["US", "CA"]),
    ("Legal to work in the US", []),
    ("", []),
]


@pytest.mark.parametrize(("value", "expected"), REGION_CASES)
def test_parse_regions(value, expected):
    assert parse_regions(value) == expected


_WORDS = st.sampled_from(
    [
        "remote", "Remote", "REMOTE", "hybrid", "onsite", "on-site", "in-office", "in person", "office", "not",
        "no", "a", "role", "this", "is", "days", "3", "five", "week", "per", "(", ")", "|", ":", "-", ",", ".",
        "\n", "US", "EU", "UTC+3", "UTC-5 to", "GMT±", "±", "anywhere", "in the world", "Work Location:",
        "#LI-", "work from home", "stipend", "for 4 weeks", "first", "company", "if", "flexibility to",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    hint=st.one_of(st.none(), st.sampled_from(["remote", "Hybrid", "on-site", "whatever", ""]), st.text(max_size=20)),
    locations=st.lists(st.one_of(st.text(max_size=60), st.lists(_WORDS, max_size=8).map(" ".join)), max_size=4),
    text=st.one_of(st.text(max_size=2000), st.lists(_WORDS, max_size=200).map(" ".join)),
    title=st.one_of(st.text(max_size=100), st.lists(_WORDS, max_size=10).map(" ".join)),
)
def test_never_fails(hint, locations, text, title):
    result = infer_workplace(hint, locations, text, title)
    assert result.workplace is None or result.workplace in WORKPLACES
    assert result.provenance in (None, "structured", "location", "text")
    assert (result.workplace is None) == (result.provenance is None)
    assert isinstance(result.remote_regions, list)
    if result.workplace != "remote":
        assert result.remote_regions == []
    for region in result.remote_regions:
        assert isinstance(region, str) and region


def test_large_input_is_handled():
    text = ("remote hybrid office 3 days a week in the office. " * 20000) + "\nWork Location: In person"
    result = infer_workplace(None, [], text)
    assert result.workplace in WORKPLACES


@pytest.mark.parametrize(
    ("text", "workplace"),
    [
        # "ı" (dotless i) and "İ" match "i" under IGNORECASE; the number's lookup raised KeyError
        ("Hybrid: fıve days a week in the office", "hybrid"),
        ("You will work FİVE days a week in our office.", "onsite"),
    ],
)
def test_days_spelled_with_other_i(text, workplace):
    assert infer_workplace(None, [], text).workplace == workplace


@pytest.mark.parametrize("value", ["Remote", "REMOTE - US", "Hybrid", "On-site", "onsite", "In Office", "in person"])
def test_names_a_mode_spells_out_the_anchors(value):
    from pipeline.workplace import _MODE_ANCHORS, _names_a_mode

    assert _names_a_mode(value)
    assert all(_names_a_mode(word) for word in _MODE_ANCHORS)
    assert not _names_a_mode("San Francisco, CA")


def test_blank_characters_are_re_whitespace():
    import re

    from pipeline.workplace import _BLANKS

    assert set(_BLANKS) == {c for c in map(chr, range(0x110000)) if re.fullmatch(r"\s", c)}


# --- the gated scans find what the plain scans find ------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        "remote", "Remote", "REMOTE", "remotely", "ReMoTe", "hybrid", "HYBRID", "onsite", "on-site", "On Site",
        "on\nsite", "in-office", "in office", "In Person", "in\u2003person", "office", "offices", "office-based",
        "telecommute", "WFH", "#LI-Remote", "#li-hybrid", "#LI-Onsite", "work from home", "working from anywhere",
        "work  location:", "Work Location:", "not", "no", "non", "isn't", "never", "cannot", "can't", "unable to",
        "won't", "do not", "doesn't", "are not able to", "a", "the", "this", "it", "is", "are", "be", "being",
        "role", "position", "job", "opportunity", "team", "fully", "100%", "completely", "all", "first", "friendly",
        "company", "open to", "eligible for", "option to", "can be", "performed", "ok", "possible", "available",
        "in", "within", "from", "across", "US", "EU", "EMEA", "Europe", "based", "our", "HQ", "headquarters",
        "report", "come", "commute", "located", "only", "required", "full-time", "min.", "3", "five", "fıve",
        "days", "a week", "x", "/week", "lunch", "stipend", "for 4 weeks", "if", "may", "flexible", "phone",
        "(", ")", "[", "]", "|", ":", ",", ".", ";", "!", "?", "/", "+", "-", " - ", " -- ", "—", " —— ", "–– ",
        "•", "·", "*", "\n", "\n- ", "\n* ", "\t", "\u2003", "  ", "ſite", "remote:", "yes", "UTC+3",
        "anywhere in the world", "Homeoffice", "Home-Office", "home office", "HOMEOFFICE", "Möglichkeit",
        "möglich", "Option", "auf", "zum", "das", "anteilige", "zeitweises", "nach", "der", "Einarbeitung",
        "Hybrides", "Arbeiten", "Hybridlösung", "im", "komplett", "vollständig", "100 %", "Tage", "Regelung",
        "work-from-home", "working-from-anywhere", "arrangement", "basis", "startup", "organisation", "business",
    ]
)  # fmt: skip
_JOINERS = st.sampled_from([" ", " ", "", "\n", "  ", "-", " | ", ". "])
_CLAUSE_TEXT = st.lists(st.tuples(_PIECES, _JOINERS), max_size=30).map(lambda p: "".join(a + b for a, b in p))


@settings(max_examples=400, deadline=None)
@given(_CLAUSE_TEXT)
def test_gated_rules_equal_plain_rules(text):
    from pipeline.text import folded_same_length
    from pipeline.workplace import _RULES, _classify_clause, _clause_words, _gated_matches, _trigger_hits

    low = folded_same_length(text)
    if low is None:
        return
    words = _clause_words(low)
    for rule in _RULES:
        # a rule is tried only when one of its anchors is in the clause (as _classify_clause does)
        gated = [] if words.keys().isdisjoint(rule.anchors) else _gated_matches(rule, text, low, words)
        assert [m.span() for m in gated] == [m.span() for m in rule.pattern.finditer(text)]
    assert repr(_classify_clause(text, low)) == repr(_classify_clause(text, None))
    remote = [s for s in _classify_clause(text, None) if s.mode == "remote"]
    assert repr([s for s in _classify_clause(text, low, True) if s.mode == "remote"]) == repr(remote)
    assert _trigger_hits(text, low) == _trigger_hits(text, None)


def _reference_clause(text, pos, end):
    """The clause span as the boundaries were found before: ``_BOUNDARY`` over both whole windows."""
    from pipeline.workplace import _BOUNDARY, _WINDOW

    lo = max(0, pos - _WINDOW)
    start = lo
    for m in _BOUNDARY.finditer(text, lo, pos):
        start = m.end()
    hi = min(len(text), end + _WINDOW)
    m = _BOUNDARY.search(text, end, hi)
    stop = m.start() + (1 if m and m.group(0) in ".!?;" else 0) if m else hi
    return start, stop


@settings(max_examples=300, deadline=None)
@given(_CLAUSE_TEXT, st.integers(0, 400), st.integers(0, 12))
def test_clause_equals_plain_boundary_scan(text, pos, length):
    from pipeline.workplace import _clause

    pos = min(pos, len(text))
    end = min(len(text), pos + length)
    assert _clause(text, pos, end) == _reference_clause(text, pos, end)


@given(
    st.lists(st.sampled_from([*(v for v, _ in REGION_CASES), "South", "+", "T", "MSK", "gmt", " ", "/"]), max_size=6)
)
def test_region_gates_hold_what_the_patterns_need(parts):
    from pipeline.text import fold
    from pipeline.workplace import _NORTH_SOUTH, _TZ, _WORLDWIDE

    value = "".join(parts)
    low = fold(value)
    if _WORLDWIDE.search(value):
        assert any(word in low for word in ("anywhere", "world", "global", "countries"))
    if _NORTH_SOUTH.search(value):
        assert "south" in low
    if _TZ.search(value):
        assert any(s in value for s in ("+", "±", "T", "MSK")) or "utc" in low or "gmt" in low


# Issue 19's classes, in our own words (docs/workplace-rules.md: preferences, weak hints).
@pytest.mark.parametrize(
    ("locations", "text", "expected"),
    [
        # "<mode> preferred (<other> possible)": the preferred mode is the job's
        ([], "IN-OFFICE PREFERRED (remote considered)\nWe build boats.", "onsite"),
        ([], "Hybrid preferred, remote is negotiable for senior hires.", "hybrid"),
        (["Lisbon | ONSITE PREFERRED (Remote OK)"], "We build boats.", "onsite"),
        # a number of office days per week is hybrid
        ([], "Expect to be in the office 3x/week.", "hybrid"),
        ([], "Office days: 2x per week at our Leeds studio.", "hybrid"),
    ],
)
def test_preferred_mode_and_office_days(locations, text, expected):
    assert infer_workplace(None, locations, text).workplace == expected


@pytest.mark.parametrize(
    ("source", "text", "expected", "provenance"),
    [
        # JSON-LD TELECOMMUTE against an on-site label heading the description: the label about this job wins
        ("jsonld", "ONSITE (SEATTLE)\nWe build warehouse robots.", "onsite", "text"),
        ("jsonld", "Hybrid - Dublin\nPayments team.", "hybrid", "text"),
        ("jsonld", "We build warehouse robots. Some onsite weeks per year.", "remote", "structured"),
        # a remote-only board's say-so against a text that names an office and never says remote
        ("remotive", "You will work from our Vienna office every day.", "onsite", "text"),
        ("weworkremotely", "Work from our Vienna office or from home, as you like.", "remote", "structured"),
        ("remoteok", "A great team shipping great things.", "remote", "structured"),
        # an ATS's own per-job field is the employer's statement about this job: it stands
        ("lever", "ONSITE (SEATTLE)\nWe build warehouse robots.", "remote", "structured"),
    ],
)
def test_how_far_a_remote_hint_goes(source, text, expected, provenance):
    result = infer_workplace("remote", [], text, source=source)
    assert (result.workplace, result.provenance) == (expected, provenance)


_FILLER = "We design payment systems and care about reliable services. " * 5  # past the 200-character scan cut-off


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Fully REMOTE across Europe.", True),
        ("You may telecommute most days.", True),
        ("Work   from anywhere you like.", True),
        ("Team members work from home twice a week.", True),
        ("WFH stipend included.", True),
        ("Hire from anywhere in the world.", True),
        ("A home office budget comes with the role.", True),
        ("Office in Lisbon, five days a week.", False),
        ("Our wfhq dashboard tracks incidents.", False),
        ("", False),
    ],
)
def test_says_remote_agrees_with_its_pattern_short_and_long(text, expected):
    for subject in (text, _FILLER + text, text + _FILLER):
        assert workplace_module.says_remote(subject) is expected, subject[-60:]
        assert expected is (workplace_module._SAYS_REMOTE.search(subject) is not None)
