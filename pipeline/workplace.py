"""Work mode (remote / hybrid / onsite) and remote eligibility regions of a posting.

``infer_workplace(hint, locations, text, title)`` decides with this precedence:

1. **structured** — the source's own work-mode field (Lever/Ashby ``workplaceType``, Workable ``telecommuting``,
   a board that only lists remote jobs). Values are normalized ("On-site", "ONSITE", "in_office" -> onsite);
   anything else ("unspecified", "flexible") is ignored.
2. **location** — a work-mode word in a location string or in the title: "Remote - US", "US-Remote",
   "Hybrid (Berlin)", "Bangalore (Hybrid)", "Senior Engineer (Remote)". When several locations disagree, a
   remote option wins ("San Francisco; Remote (US)" means a remote hire is possible), then hybrid, then onsite.
   A plain place ("San Francisco, CA") says nothing definite: ATS boards put the HQ city on remote jobs too, so
   it neither means onsite nor blocks the text from deciding.
3. **text** — phrases in the description that state the work mode. A bare "remote" never counts; these do:
   labels that stand alone ("| REMOTE |", "Location: Remote (EU)", "(Onsite)", "#LI-Hybrid", "Work Location: In
   person"), statements about the role ("this role is hybrid", "this is an on-site position", "fully remote",
   "open to remote", "3 days a week in the office", "must work from our NYC office"), and, weakest,
   statements about the company ("remote-first company"). A statement about the role beats one about the
   company ("remote-first company; this role is in our Berlin office" -> onsite). Negations ("not a remote
   role", "remote work is not available", "no remote") veto remote and read as onsite, or hybrid when a hybrid
   arrangement is stated. Perks are not a work mode: "work from anywhere for 4 weeks a year", "remote Fridays",
   "work-from-home stipend", "in-office lunch".

Among equally strong statements: remote (a remote hire is possible) > hybrid > onsite. "N days a week in the
office" is hybrid for N < 5 and onsite for 5.

``remote_regions`` (only when the result is remote) uses this vocabulary: ISO 3166-1 alpha-2 country codes
("US", "GB", "DE"); macro-regions "Worldwide", "Europe", "EMEA", "Americas", "North America", "LATAM", "APAC",
"Asia", "Africa", "Oceania", "Middle East"; UTC offsets "UTC+3" and ranges "UTC-5..UTC+1" (named zones are
converted with their standard-time offset: "PT to CET" -> "UTC-8..UTC+1", "CET ±3" -> "UTC-2..UTC+4").
"US timezones" / "European timezones" read as the place ("US", "Europe").

Cost: one compiled trigger regex scans the text; each hit is classified on a bounded clause window around it
(at most ``_MAX_HITS`` windows), so the work is linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.location import MACRO_REGIONS, country_code, key, parse_location
from pipeline.model import WORKPLACES
from pipeline.text import folded_same_length

_RANK = {"remote": 3, "hybrid": 2, "onsite": 1}


@dataclass(slots=True)
class WorkplaceResult:
    workplace: str | None = None  # one of WORKPLACES, or None when unknown
    remote_regions: list[str] = field(default_factory=list)
    provenance: str | None = None  # "structured" | "location" | "text" | None
    evidence: str | None = None  # the snippet the decision came from


# ------------------------------------------------------------------------------------------------ hints

_HINT_MAP = {
    "remote": "remote",
    "fullyremote": "remote",
    "telecommute": "remote",
    "telecommuting": "remote",
    "wfh": "remote",
    "hybrid": "hybrid",
    "hybridremote": "hybrid",
    "flexiblehybrid": "hybrid",
    "onsite": "onsite",
    "inoffice": "onsite",
    "office": "onsite",
    "inperson": "onsite",
    "onpremise": "onsite",
    "onpremises": "onsite",
    "officebased": "onsite",
}


def normalize_hint(hint: str | None) -> str | None:
    """A source's work-mode value as one of WORKPLACES ("On-site" -> "onsite"); None when not a work mode."""
    if not hint or not isinstance(hint, str):
        return None
    return _HINT_MAP.get(re.sub(r"[^a-z]", "", hint.casefold()))


# ---------------------------------------------------------------------------------------------- regions

_ZONES = {
    "PT": -8, "PST": -8, "PDT": -7, "MT": -7, "MST": -7, "CT": -6, "CST": -6, "ET": -5, "EST": -5, "EDT": -4,
    "AST": -4, "BRT": -3, "ART": -3, "GMT": 0, "UTC": 0, "WET": 0, "BST": 1, "CET": 1, "CEST": 2, "EET": 2,
    "EEST": 3, "MSK": 3, "GST": 4, "PKT": 5, "SGT": 8, "HKT": 8, "JST": 9, "KST": 9, "AEST": 10, "NZST": 12,
}  # fmt: skip
_ZONE_ALT = "|".join(sorted(_ZONES, key=len, reverse=True))


def _off(name: str) -> str:
    return rf"(?:UTC|GMT)\s*(?:(?P<{name}s>[+\-−])\s*(?P<{name}h>\d{{1,2}})(?::?(?P<{name}m>[0-5]\d))?)?"


_PM = r"(?:±|\+/-|\+-|-/\+)"
_TZ = re.compile(
    rf"""(?x)
    (?P<range>(?i:{_off("a")})\s*(?:to|through|until|and|[-–—~]|\.\.)\s*(?i:{_off("b")}))      # UTC-5 to UTC+1
    | (?i:UTC|GMT)\s*{_PM}\s*(?P<pm>\d{{1,2}})                                                  # UTC±3
    | \b(?P<z1>{_ZONE_ALT})\s*(?:to|through|[-–—])\s*(?P<z2>{_ZONE_ALT})\b                        # PT to CET
    | \b(?P<zc>{_ZONE_ALT})\s*{_PM}\s*(?P<zd>\d{{1,2}})                                            # CET ±3
    | {_PM}\s*(?P<d>\d{{1,2}})\s*(?:hours?|hrs?|h)?\s*(?:of\s+|from\s+)?(?:\w+\s+)?(?P<dz>{_ZONE_ALT}|(?i:UTC|GMT))\b
    | (?P<single>(?i:{_off("c")}))                                                                 # UTC+3
    | \b(?P<zone>{_ZONE_ALT})\b                                                                     # EST
    """
)


def _fmt_offset(hours: float) -> str:
    sign = "-" if hours < 0 else "+"
    h = abs(hours)
    whole = int(h)
    minutes = round((h - whole) * 60)
    return f"UTC{sign}{whole}" + (f":{minutes:02d}" if minutes else "")


def _offset(m: re.Match[str], name: str) -> float:
    hours = m.group(f"{name}h")
    if hours is None:
        return 0.0
    value = int(hours) + (int(m.group(f"{name}m")) / 60 if m.group(f"{name}m") else 0)
    return -value if m.group(f"{name}s") in ("-", "−") else value


def _tz_range(m: re.Match[str]) -> str | None:
    if m.group("range"):
        lo, hi = _offset(m, "a"), _offset(m, "b")
    elif m.group("pm"):
        lo, hi = -float(m.group("pm")), float(m.group("pm"))
    elif m.group("z1"):
        lo, hi = float(_ZONES[m.group("z1")]), float(_ZONES[m.group("z2")])
    elif m.group("zc"):
        base, d = _ZONES[m.group("zc")], int(m.group("zd"))
        lo, hi = float(base - d), float(base + d)
    elif m.group("d"):
        base, d = _ZONES.get(m.group("dz").upper(), 0), int(m.group("d"))
        lo, hi = float(base - d), float(base + d)
    elif m.group("single"):
        lo = hi = _offset(m, "c")
    else:
        lo = hi = float(_ZONES[m.group("zone")])
    if abs(lo) > 14 or abs(hi) > 14:
        return None
    if lo > hi:
        lo, hi = hi, lo
    return _fmt_offset(lo) if lo == hi else f"{_fmt_offset(lo)}..{_fmt_offset(hi)}"


_REGION_SPLIT = re.compile(r"\s*(?:/|,|&|\||;|\+|\band\b|\bor\b|\bplus\b)\s*", re.IGNORECASE)
_REGION_NOISE = re.compile(
    r"""(?ix)\b(?:only|based|preferred|preferably|friendly|time\s*zones?|timezones?|tz|hours|overlap|countries|
    country|residents?|candidates?|applicants?|citizens?|eligible|must\s+be|located|locations?|in|within|the|from|
    across|any(?:where)?\s+in|east\s+coast|west\s+coast|central|eastern|western|mountain|pacific|coast|wide|
    remote|hybrid|on[\s-]?site|ok|okay|full[\s-]?time|part[\s-]?time|contract|required|strongly|prefer)\b"""
)


def parse_regions(value: str) -> list[str]:
    """Remote eligibility regions named in a short string ("US only", "UK/Europe", "EMEA", "UTC-5 to UTC+1",
    "anywhere in the world"), in the module's vocabulary; unrecognized words are ignored."""
    if not value:
        return []
    value = value[:300]
    out: list[str] = []
    if re.search(
        r"(?i)\banywhere\s+in\s+the\s+world\b|\bworld[\s-]?wide\b|\bglobal(?:ly)?\b|\ball\s+countries", value
    ):
        out.append("Worldwide")
    value = re.sub(r"(?i)\bnorth\s*/\s*south\s+america\b|\bnorth\s+(?:and|&)\s+south\s+america\b", "Americas", value)
    rest: list[str] = []
    last = 0
    for m in _TZ.finditer(value):
        tz = _tz_range(m)
        if tz:
            out.append(tz)
        rest.append(value[last : m.start()])
        last = m.end()
    rest.append(value[last:])
    text = " , ".join(rest)
    for token in _REGION_SPLIT.split(text):
        token = _REGION_NOISE.sub(" ", token)
        token = re.sub(r"[()\[\]\"'*:!?]|\s[-–—]\s", " ", token)
        token = re.sub(r"\s+", " ", token).strip(" .-–—")
        if not token or len(token) > 40:
            continue
        k = key(token)
        if k in MACRO_REGIONS:
            out.append(MACRO_REGIONS[k])
            continue
        code = country_code(token) if (len(token) > 3 or token.isupper() or "." in token) else None
        if code:
            out.append(code)
    return list(dict.fromkeys(out))


# ------------------------------------------------------------------------------------ location strings

_MODE_WORD = r"(?:remote|hybrid|on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based)"
_LOC_MODE = re.compile(rf"(?i)(?<![a-z])(?:(?:fully|100%)\s+)?({_MODE_WORD})(?![a-z])")
_LOC_NEG = re.compile(r"(?i)\b(?:no|non|not)[\s-]+remote\b")


def _mode_of(word: str) -> str:
    w = word.casefold()
    if w.startswith("remote"):
        return "remote"
    if w.startswith("hybrid"):
        return "hybrid"
    return "onsite"


def _location_signal(loc: str) -> tuple[str, list[str]] | None:
    if not loc or len(loc) > 500:
        return None
    if _LOC_NEG.search(loc):
        return "onsite", []
    modes = [_mode_of(m.group(1)) for m in _LOC_MODE.finditer(loc)]
    if not modes:
        return None
    mode = max(modes, key=_RANK.__getitem__)
    regions: list[str] = []
    if mode == "remote":
        rest = _LOC_MODE.sub(" ", loc)
        regions = parse_regions(rest)
        if not regions:
            country = parse_location(loc).country
            regions = [country] if country else []
    return mode, regions


# Title: a work-mode word that stands as a label: "(Remote)", "- Remote", "Remote -", ", Hybrid", "[Onsite]".
_TITLE_MODE = re.compile(
    rf"(?i)(?:^|[(\[|,:/–—]|\s-)\s*(?:fully\s+|100%\s+)?({_MODE_WORD})(?:[\s-]+(?:first|friendly|ok|only))?"
    r"\s*(?=$|[)\]|,:/(–—]|\s-|\s+(?:in|within|from|only)\b|\s+(?:US|UK|EU|USA|EMEA|APAC|LATAM)\b)"
)


def _title_signal(title: str) -> tuple[str, list[str], str] | None:
    if not title or len(title) > 500:
        return None
    for m in _TITLE_MODE.finditer(title):
        mode = _mode_of(m.group(1))
        regions = parse_regions(title[m.end() : m.end() + 60]) if mode == "remote" else []
        return mode, regions, title.strip()
    return None


# ------------------------------------------------------------------------------------------------ text

_MAX_HITS = 400  # windows classified per text: the first 300 and the last 100 hits (footers live at the end)
_TRIGGER = re.compile(
    r"(?i)remote|hybrid|on-?site|on\s+site|in[\s-]office|in[\s-]person|office|telecommut|wfh|#li-"
    r"|work(?:ing)?\s+from\s+(?:home|anywhere)|work\s+location"
)
# _TRIGGER's case-sensitive twin for folded text of the same length (same spans, several times faster)
_TRIGGER_LOW = re.compile(_TRIGGER.pattern.removeprefix("(?i)"))
_BOUNDARY = re.compile(r"\n|[.!?;](?=\s)|•|·|\s[-–—]{2,}\s")
_WINDOW = 220

_NUM = r"(?:\d|one|two|three|four|five)"
_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_MODE_ALT = r"(remote(?:ly)?|hybrid|on-?site|on\s+site|in[\s-]office|in[\s-]person|office[\s-]based)"
_LABEL_BEFORE = r"(?im)(?:^|[|(\[:/,+]|\s[-–—]\s|^\s*[-*]\s|\bor\s|\band\s)\s*"
_LABEL_AFTER = (
    r"(?:[\s-]+(?:ok|okay|possible|friendly|only|available|preferred|optional|first))?"
    r"\s*(?=$|[|)\]/,(;:+]|\s[-–—]\s|\s+(?:(?:in|within|from|across|only|or|and|with|for)\b|(?-i:[A-Z]{2,5})\b|\())"
)

_LABEL = re.compile(
    _LABEL_BEFORE
    + r"(?:fully\s+|100%\s+)?"
    + _MODE_ALT
    + r"(?!\s*(?:,|or|and|/)\s*(?:phone|e-?mail|video|virtual|online|chat|slack|written)\b)"
    + _LABEL_AFTER
)

# (pattern, mode, level). mode "not_remote" vetoes remote. Level: 3 states the role's mode as a label or a
# direct sentence, 2 a clear phrase, 1 a statement about the company.
_RULES: list[tuple[re.Pattern[str], str, int]] = [
    (re.compile(r"(?i)#li-remote\b"), "remote", 3),
    (re.compile(r"(?i)#li-hybrid\b"), "hybrid", 3),
    (re.compile(r"(?i)#li-(?:onsite|on-site|office)\b"), "onsite", 3),
    (re.compile(r"(?i)work\s+location\s*:\s*(?:fully\s+)?remote\b"), "remote", 3),
    (re.compile(r"(?i)work\s+location\s*:\s*hybrid"), "hybrid", 3),
    (re.compile(r"(?i)work\s+location\s*:\s*(?:in[\s-]person|on[\s-]?site|in[\s-]office)"), "onsite", 3),
    (re.compile(r"(?i)\bremote\s*:\s*(?:yes|true|ok|okay|possible)\b"), "remote", 3),
    # negations
    (re.compile(r"(?i)\bremote\s*:\s*no\b"), "not_remote", 3),
    (
        re.compile(
            r"(?i)\b(?:not|no|non|isn'?t|never)[\s-]+(?:a\s+|an\s+|the\s+)?(?:fully\s+|100%\s+|completely\s+"
            r"|entirely\s+)?remote(?!ly)\b"
        ),
        "not_remote",
        3,
    ),
    (
        re.compile(
            r"(?i)\bremote(?:ly)?\s+(?:work\s+|working\s+|work\s+arrangements?\s+|options?\s+|candidates\s+|"
            r"applicants\s+|applications\s+)?(?:is\s+|are\s+|will\s+)?(?:not|n't)\s+(?:be\s+)?(?:available|possible"
            r"|offered|an\s+option|supported|permitted|allowed|considered|accepted|eligible|an\s+possibility)"
        ),
        "not_remote",
        3,
    ),
    (
        re.compile(
            r"(?i)\b(?:cannot|can'?t|can\s+not|unable\s+to|won'?t|will\s+not|do\s+not|don'?t|does\s+not|doesn'?t"
            r"|are\s+not\s+able\s+to|not\s+able\s+to|not\s+open\s+to|not\s+eligible\s+for|not\s+offering)"
            r"\s+(?:be\s+)?(?:[a-z]+\s+){0,3}?(?:fully\s+)?remote(?:ly)?\b"
        ),
        "not_remote",
        3,
    ),
    # the role, in a sentence
    (
        re.compile(
            r"(?i)\b(?:this|the)\s+(?:role|position|job|opportunity|team)\s+(?:is|will\s+be|can\s+be|is\s+based)\s+"
            r"(?:a\s+|an\s+)?(?:fully\s+|100%\s+|completely\s+|entirely\s+)?" + _MODE_ALT
        ),
        "*",
        3,
    ),
    (
        re.compile(
            r"(?i)\b(?:this|it)\s+is\s+(?:a\s+|an\s+)?(?:fully\s+|100%\s+|completely\s+|entirely\s+)?"
            + _MODE_ALT
            + r"[\s,]+(?:\w+[\s,]+){0,2}?(?:role|position|job|opportunity)\b"
        ),
        "*",
        3,
    ),
    (
        re.compile(
            r"(?i)\b(?:role|position|job)\s+is\s+(?:based\s+)?(?:in|at|out\s+of|from)\s+(?:our|the)\s+"
            r"(?:[\w,.'-]+\s+){0,4}?(?:office|hq|headquarters)\b"
        ),
        "onsite",
        3,
    ),
    # labels: "| REMOTE |", "Location: Remote (EU)", "(Onsite)", "Munich/Remote"
    (_LABEL, "*", 3),
    # clear phrases
    (
        re.compile(
            r"(?i)\b(?:fully|100\s*%|completely|entirely|full|all)[\s-]+(remote|on-?site|in[\s-]office|in[\s-]person)"
            r"(?!\s*[-,]?\s*(?:first|friendly|company|team|teams|organization|organisation|culture|workforce"
            r"|business|startup|environment)\b)"
        ),
        "*",
        2,
    ),
    (
        re.compile(
            r"(?i)\b(remote|hybrid|on-?site|in[\s-]office|in[\s-]person)\s+(?:role|position|job|opportunity"
            r"|employee|employment|contract|work\s+arrangement|arrangement|basis)\b"
        ),
        "*",
        2,
    ),
    (
        re.compile(
            r"(?i)\b(?:open\s+to|eligible\s+for|option\s+(?:to|for|of)|possibility\s+(?:to|of)|available\s+for"
            r"|flexibility\s+(?:to|for)|can\s+(?:also\s+)?be)\s+(?:a\s+|being\s+|work(?:ing)?\s+)?"
            r"(?:fully\s+)?(remote(?:ly)?|hybrid)\b"
        ),
        "*",
        2,
    ),
    (
        re.compile(
            r"(?i)\bremote(?:\s+work(?:ing)?)?\s+(?:is\s+|are\s+)?(?:also\s+)?(?:ok|okay|possible|available|welcome"
            r"|an\s+option|considered|supported)\b"
        ),
        "remote",
        2,
    ),
    (re.compile(r"(?i)\bremote\s+(?:in|within|from|across)\s+(?:the\s+)?(?=[A-Z])"), "remote", 2),
    (re.compile(r"(?i)\b(?-i:[A-Z]{2,4})[\s-]+(?:based\s+)?remote\b"), "remote", 2),
    (
        re.compile(r"(?i)\b(?:can\s+be\s+(?:performed|done|worked|based)|work(?:ing)?\s+fully)\s+remotely\b"),
        "remote",
        2,
    ),
    (re.compile(r"(?i)\bwork(?:ing)?\s+from\s+(?:home|anywhere)\b"), "remote", 2),
    (re.compile(r"(?i)\btelecommut\w*"), "remote", 2),
    (
        re.compile(
            r"(?i)\bhybrid[\s-]+(?:work|working|schedule|arrangement|setup|set-up|policy|model|role|position"
            r"|opportunity|job|office|remote|basis|environment)\b"
        ),
        "hybrid",
        2,
    ),
    (
        re.compile(r"(?i)\bhybrid\s*[,(:-]?\s*\(?\s*(?:min\.?\s+|minimum\s+|at\s+least\s+)?" + _NUM + r"\b"),
        "hybrid",
        2,
    ),
    (re.compile(r"(?i)\bhybrid\s+(?:in|at|from|out\s+of)\s+(?:our\s+|the\s+)?(?-i:[A-Z])"), "hybrid", 2),
    (re.compile(r"(?i)\b(?:is|are|be|being)\s+hybrid\b"), "hybrid", 2),
    (
        re.compile(
            r"(?i)\b(?:work|working|be\s+based|based|located|be|are)\s+(?:fully\s+|entirely\s+)?(?:on-?site|on\s+site"
            r"|in[\s-]office|in[\s-]person)\b(?!\s+(?:interview|meeting|event|visit|day|days|lunch))"
        ),
        "onsite",
        2,
    ),
    (
        re.compile(
            r"(?i)\b(?:work|working|report|reporting|based|located|come|commute)\s+(?:in|into|to|from|at|out\s+of)"
            r"\s+(?:our|the)\s+(?:[\w.'-]+\s+){0,3}?(?:office|offices|hq|headquarters)\b"
        ),
        "onsite",
        2,
    ),
    (
        re.compile(r"(?i)\b(?:on-?site|in[\s-]office|in[\s-]person)\s+(?:only|requirement|required|full[\s-]time)\b"),
        "onsite",
        2,
    ),
    (re.compile(r"(?i)\bon-?site\s+in\s+(?-i:[A-Z])"), "onsite", 2),
    # the company
    (re.compile(r"(?i)\bremote[\s-]+(?:first|friendly|native)\b"), "remote", 1),
    (
        re.compile(
            r"(?i)\b(?:fully|100\s*%|completely|entirely|all)[\s-]+remote\s*[-,]?\s*(?:company|team|teams"
            r"|organization|organisation|culture|workforce|business|startup|environment)\b"
        ),
        "remote",
        1,
    ),
    (re.compile(r"(?i)\b(?:work|working)\s+remotely\b"), "remote", 1),
]

_DAYS = re.compile(
    rf"(?i)\b({_NUM})(?:\s*(?:-|–|to|or)\s*({_NUM}))?\s*\+?\s*(?:days?|x)\b\s*(?:(?:a|per|each|every|/|of\s+the"
    r"|out\s+of\s+(?:5|five)|in\s+a)\s*(?:work\s*)?(week|wk|month|quarter|year|days))?"
)
_OFFICE_WORD = re.compile(
    r"(?i)\b(?:office|offices|on-?site|on\s+site|in[\s-]person|in[\s-]office|hq|headquarters|studio|campus)\b"
)
_HOME_WORD = re.compile(r"(?i)\b(?:remote(?:ly)?|from\s+home|wfh|home\s*office|homeoffice)\b")
_FOOD = re.compile(r"(?i)\b(?:lunch|lunches|meals?|snacks?|dinners?|breakfast|gym|coffee|parking)\b")
_PERK_AFTER = re.compile(
    r"(?i)^\W{0,3}(?:[\w-]+\s+){0,3}?(?:stipend|allowance|budget|reimburse\w*|equipment|set-?up|fridays?"
    r"|(?:for|up\s+to)\s+(?:up\s+to\s+)?(?:\d+|one|two|three|four|five|six|eight|several|a\s+few)\s+(?:weeks?|days?|months?)"
    r"|weeks?\s+(?:a|per|each)\s+year|days?\s+(?:a|per|each)\s+(?:year|month|quarter))\b"
)


_HYPOTHETICAL = re.compile(r"(?i)\b(?:if|whether|unless|when(?:ever)?|except\s+(?:when|where))\b")
_OPTIONAL = re.compile(
    r"(?i)\b(?:flexib\w*|option(?:al)?|occasional(?:ly)?|sometimes|some\s+days|partially|encourag\w*|welcome\w*"
    r"|free\s+to|may)\b[^.;]{0,30}$"
)


@dataclass(slots=True)
class _Signal:
    mode: str  # remote | hybrid | onsite | not_remote
    level: int
    snippet: str
    regions: list[str] = field(default_factory=list)


def _clause(text: str, pos: int, end: int) -> tuple[int, int]:
    lo = max(0, pos - _WINDOW)
    start = lo
    for m in _BOUNDARY.finditer(text, lo, pos):
        start = m.end()
    hi = min(len(text), end + _WINDOW)
    m = _BOUNDARY.search(text, end, hi)
    stop = m.start() + (1 if m and m.group(0) in ".!?;" else 0) if m else hi
    return start, stop


_REMOTE_WORD = re.compile(r"(?i)remote(?:ly)?|telecommut\w*|work(?:ing)?\s+from\s+(?:home|anywhere)")


def _regions_near(clause: str, start: int, at: int) -> list[str]:
    """Regions stated right after (or just before) a remote mention: "Remote (US only)", "remote within the US",
    "Remote - EMEA", "US-based remote", "REMOTE (UTC+3)"."""
    after = clause[at : at + 120]
    m = re.match(
        r"(?i)(?:ly)?(?:[\s-]+(?:first|friendly|ok|okay|only|possible))?\s*(?:"
        r"\(([^()]{1,100})\)|\[([^\[\]]{1,100})\]|[-–—:,]\s*([^|()\n]{1,80})"
        r"|\s+(?:in|within|from|across|for)\s+(?:the\s+)?(?:following\s+)?([^|()\n.;]{1,80}))",
        after,
    )
    regions: list[str] = []
    if m:
        content = next(g for g in m.groups() if g is not None)
        regions = parse_regions(content)
    if not regions:
        before = clause[max(0, start - 30) : start]
        b = re.search(
            r"(?<![#\w])([A-Za-z.]{2,20}|North\s+America|Latin\s+America)[\s-]+(?:based\s+)?(?:fully\s+)?$", before
        )
        if b:
            regions = parse_regions(b.group(1))
    if not regions and re.search(r"(?i)anywhere\s+in\s+the\s+world", clause):
        regions = ["Worldwide"]
    return regions


def _days_signal(clause: str) -> _Signal | None:
    if not _OFFICE_WORD.search(clause) or _FOOD.search(clause):
        return None
    for m in _DAYS.finditer(clause):
        unit = (m.group(3) or "week").casefold()
        if unit in ("month", "quarter", "year"):
            continue
        nums = [g.casefold() for g in m.groups()[:2] if g]
        vals = [int(n) if n.isdigit() else _NUMS[n] for n in nums]
        if not vals or max(vals) > 7:
            continue
        near = clause[max(0, m.start() - 80) : m.end() + 80]
        if not _OFFICE_WORD.search(near):
            continue
        mode = "onsite" if min(vals) >= 5 else "hybrid"
        return _Signal(mode, 3, clause.strip())  # as strong as a label: "ONSITE (3 days/week)" is hybrid
    return None


def _classify_clause(clause: str) -> list[_Signal]:
    signals: list[_Signal] = []
    snippet = clause.strip()
    for pattern, mode, rule_level in _RULES:
        for m in pattern.finditer(clause):
            level = rule_level
            found = mode
            if found == "*":
                found = _mode_of(next((g for g in m.groups() if g), "onsite"))
            if found == "remote" and _PERK_AFTER.match(clause[m.end() : m.end() + 60]):
                continue  # "work from anywhere for 4 weeks a year", "work-from-home stipend"
            before = clause[max(0, m.start() - 50) : m.start()]
            if found != "not_remote" and _HYPOTHETICAL.search(clause, 0, m.start()):
                continue  # "if the job description states that the position is fully remote"
            if _OPTIONAL.search(before):
                if found == "remote" and level >= 2 and re.search(r"(?i)from\s+home|remotely", m.group(0)):
                    found, level = "hybrid", 1  # "flexibility to work from home" (some of the time)
                elif found == "onsite":
                    continue  # "we encourage employees to work from our offices", "may require you to be on site"
            if found == "onsite" and _FOOD.search(clause):
                continue  # "when you're working from the office, you'll have snacks"
            if found == "remote":
                rm = _REMOTE_WORD.search(clause, m.start(), m.end() + 12)
                start, end = (rm.start(), rm.end()) if rm else (m.start(), m.end())
                signals.append(_Signal("remote", level, snippet, _regions_near(clause, start, end)))
            else:
                signals.append(_Signal(found, level, snippet))
            if pattern is not _LABEL:
                break  # one hit per rule per clause is enough; labels may name several modes ("Onsite (Hybrid OK)")
    days = _days_signal(clause)
    if days is not None:
        signals.append(days)
    return signals


def _text_signals(text: str) -> list[_Signal]:
    low = folded_same_length(text)
    hits = [m.span() for m in (_TRIGGER_LOW.finditer(low) if low else _TRIGGER.finditer(text))]
    if len(hits) > _MAX_HITS:
        hits = hits[:300] + hits[-100:]
    seen: set[tuple[int, int]] = set()
    signals: list[_Signal] = []
    last_stop = -1
    for pos, end in hits:
        if pos < last_stop:
            continue  # already inside a classified clause
        span = _clause(text, pos, end)
        last_stop = span[1]
        if span in seen:
            continue
        seen.add(span)
        signals.extend(_classify_clause(text[span[0] : span[1]]))
    return signals


def _decide(signals: list[_Signal]) -> _Signal | None:
    negations = [s for s in signals if s.mode == "not_remote"]
    if negations:
        top_neg = max(s.level for s in negations)
        signals = [s for s in signals if not (s.mode == "remote" and s.level <= top_neg)]
        signals = [_Signal("onsite", s.level, s.snippet) if s.mode == "not_remote" else s for s in signals]
    if not signals:
        return None
    top = max(s.level for s in signals)
    best = [s for s in signals if s.level == top]
    return max(best, key=lambda s: _RANK[s.mode])


def _snip(value: str, limit: int = 200) -> str:
    value = re.sub(r"\s+", " ", value).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


# ------------------------------------------------------------------------------------------------- API


def infer_workplace(hint: str | None, locations: Sequence[str], text: str, title: str = "") -> WorkplaceResult:
    """Work mode with provenance and evidence; see the module docstring for the rules."""
    locations = [loc for loc in (locations or []) if isinstance(loc, str) and loc.strip()]
    text = text or ""
    title = title or ""

    loc_signals = [(loc, sig) for loc in locations if (sig := _location_signal(loc)) is not None]
    title_sig = _title_signal(title)

    structured = normalize_hint(hint)
    if structured:
        regions: list[str] = []
        if structured == "remote":
            regions = _remote_regions_for(locations, loc_signals, title_sig, text)
        return WorkplaceResult(structured, regions, "structured", str(hint))

    if loc_signals or title_sig:
        modes = [sig[0] for _, sig in loc_signals]
        if title_sig:
            modes.append(title_sig[0])
        mode = max(modes, key=_RANK.__getitem__)
        evidence = next((loc for loc, sig in loc_signals if sig[0] == mode), None)
        if evidence is None and title_sig:
            evidence = title_sig[2]
        regions = _remote_regions_for(locations, loc_signals, title_sig, text) if mode == "remote" else []
        return WorkplaceResult(mode, regions, "location", _snip(evidence or ""))

    best = _decide(_text_signals(text))
    if best is None or best.mode not in WORKPLACES:
        return WorkplaceResult()
    regions = []
    if best.mode == "remote":
        regions = list(best.regions)
    return WorkplaceResult(best.mode, regions, "text", _snip(best.snippet))


def _remote_regions_for(
    locations: Sequence[str],
    loc_signals: list[tuple[str, tuple[str, list[str]]]],
    title_sig: tuple[str, list[str], str] | None,
    text: str,
) -> list[str]:
    """Where a remote hire may live: the remote-marked locations first, then country-level locations of a remote
    posting ("United States", "Europe", "USA, Canada"), then the title, then what the text says next to
    "remote"."""
    out: list[str] = []
    for _, (mode, regions) in loc_signals:
        if mode == "remote":
            out.extend(regions)
    if not out:
        for loc in locations:
            if any(loc == s for s, _ in loc_signals):
                continue
            regions = parse_regions(loc)
            parsed = parse_location(loc)
            if parsed.city is None and regions:
                out.extend(regions)
    if not out and title_sig and title_sig[0] == "remote":
        out.extend(title_sig[1])
    if not out and text:
        for s in _text_signals(text):
            if s.mode == "remote" and s.regions:
                out.extend(s.regions)
                break
    return list(dict.fromkeys(out))
