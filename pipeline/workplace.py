"""Work mode (remote / hybrid / onsite) and remote eligibility regions of a posting.

The rules, with the examples they come from: docs/workplace-rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import NamedTuple

import ahocorasick

from pipeline import scan
from pipeline.literals import Literals
from pipeline.location import MACRO_REGIONS, country_code, key, parse_location
from pipeline.model import WORKPLACES
from pipeline.text import fold, folded_same_length

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
    return _hint_mode(hint)


@lru_cache(maxsize=256)  # a source sends a handful of distinct values ("remote", "On-site", ...)
def _hint_mode(hint: str) -> str | None:
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
    return list(_parse_regions(value[:300]))


# The postings of a board repeat the same few region strings ("USA Only", "Anywhere in the World": 683 calls, 175
# distinct strings over the 980 corpus postings) and one parse costs ~20 us, so it is cached (as location.py
# caches its parses); parse_regions still returns a new list each time.
_WORLDWIDE = re.compile(
    r"(?i)\banywhere\s+in\s+the\s+world\b|\bworld[\s-]?wide\b|\bglobal(?:ly)?\b|\ball\s+countries"
)
_NORTH_SOUTH = re.compile(r"(?i)\bnorth\s*/\s*south\s+america\b|\bnorth\s+(?:and|&)\s+south\s+america\b")
_TOKEN_PUNCT = re.compile(r"[()\[\]\"'*:!?]|\s[-–—]\s")
_BLANK_RUN = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def _parse_regions(value: str) -> tuple[str, ...]:
    out: list[str] = []
    low = fold(value)
    # The literal gates (speed only) hold a word every match of the pattern holds.
    if ("anywhere" in low or "world" in low or "global" in low or "countries" in low) and _WORLDWIDE.search(value):
        out.append("Worldwide")
    if "south" in low:
        value = _NORTH_SOUTH.sub("Americas", value)
    if not (
        "+" in value or "±" in value or "T" in value or "MSK" in value or "utc" in low or "gmt" in low
    ):  # _TZ needs an offset sign, "UTC"/"GMT" or a zone name (all end with "T" but "MSK")
        return _region_tokens(value, out)
    rest: list[str] = []
    last = 0
    for m in _TZ.finditer(value):
        tz = _tz_range(m)
        if tz:
            out.append(tz)
        rest.append(value[last : m.start()])
        last = m.end()
    rest.append(value[last:])
    return _region_tokens(" , ".join(rest), out)


def _region_tokens(text: str, out: list[str]) -> tuple[str, ...]:
    """``out`` and the regions named by the parts of ``text`` between separators, without repeats."""
    for token in _REGION_SPLIT.split(text):
        token = _REGION_NOISE.sub(" ", token)
        token = _TOKEN_PUNCT.sub(" ", token)
        token = _BLANK_RUN.sub(" ", token).strip(" .-–—")
        if not token or len(token) > 40:
            continue
        k = key(token)
        if k in MACRO_REGIONS:
            out.append(MACRO_REGIONS[k])
            continue
        code = country_code(token) if (len(token) > 3 or token.isupper() or "." in token) else None
        if code:
            out.append(code)
    return tuple(dict.fromkeys(out))


# ------------------------------------------------------------------------------------ location strings

_MODE_WORD = r"(?:remote|hybrid|on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based)"
_MODE_ANCHORS = ("remote", "hybrid", "site", "office", "person")  # one is in each _MODE_WORD (and _MODE_ALT) word
_LOC_MODE = re.compile(rf"(?i)(?<![a-z])(?:(?:fully|100%)\s+)?({_MODE_WORD})(?![a-z])")
_LOC_NEG = re.compile(r"(?i)\b(?:no|non|not)[\s-]+remote\b")


def _mode_of(word: str) -> str:
    w = word.casefold()
    if w.startswith("remote"):
        return "remote"
    if w.startswith("hybrid"):
        return "hybrid"
    return "onsite"


def _names_a_mode(value: str) -> bool:
    """Whether a _MODE_WORD (or _LOC_NEG's "remote") can occur in ``value``."""
    low = fold(value)
    # _MODE_ANCHORS spelled out: any() over a generator cost ~7% of the stage (it runs on every location and
    # title, ~5 per posting); tests/test_workplace.py checks the two agree
    return "remote" in low or "office" in low or "site" in low or "hybrid" in low or "person" in low


def _location_signal(loc: str) -> tuple[str, list[str]] | None:
    if not loc or len(loc) > 500 or not _names_a_mode(loc):
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
    if not title or len(title) > 500 or not _names_a_mode(title):
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
    r"|work(?:ing)?(?:\s+from\s+|-from-)(?:home|anywhere)|work\s+location"
)
# _TRIGGER's case-sensitive twin for folded text of the same length (same spans, several times faster)
_TRIGGER_LOW = re.compile(_TRIGGER.pattern.removeprefix("(?i)"))
_BOUNDARY = re.compile(r"\n|[.!?;](?=\s)|•|·|\s[-–—]{2,}\s")
# re's \s for str patterns: these 29 characters (the same set as str.isspace; tests/test_workplace.py checks it)
_BLANKS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
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


def _blank_start(low: str, at: int) -> int:
    r"""Where the run of blanks (``\s``) that ends at ``at`` starts."""
    while at and low[at - 1].isspace():
        at -= 1
    return at


def _mode_word_starts(low: str, words: dict[str, list[int]]) -> list[int]:
    """Where a _MODE_ALT word can start in a folded clause (``words``: where its words occur): at "remote",
    "hybrid", "office" ("office-based"), and before "site" ("onsite", "on-site", "on site"), "office" ("in
    office"), "person" ("in person")."""
    starts = [*words.get("remote", ()), *words.get("hybrid", ())]
    for at in words.get("site", ()):
        starts += [at - 2, at - 3, _blank_start(low, at) - 2]
    for at in words.get("office", ()):
        starts += [at, at - 3]
    starts += [at - 3 for at in words.get("person", ())]
    return [at for at in starts if at >= 0]


def _line_starts(low: str, first: int, last: int) -> list[int]:
    """The positions in [first, last] where ``^`` (MULTILINE) matches."""
    return [at for at in range(first, last + 1) if at == 0 or low[at - 1] == "\n"]


def _label_starts(clause: str, low: str, words: dict[str, list[int]]) -> list[int]:
    r"""Where a _LABEL match can start in a clause: before a _MODE_ALT word come ``\s*``, an optional "fully "
    or "100% ", and the lead, which ends where those blanks start: ``^`` (a line start among the blanks), one of
    ``|([:/,+``, ``\s[-–—]\s``, ``^\s*[-*]\s``, ``\bor\s``, ``\band\s`` (the lead's last blank is among them)."""
    starts: list[int] = []
    for word in _mode_word_starts(low, words):
        lead_ends = [_blank_start(low, word)]
        for prefix in ("fully", "100%"):
            if lead_ends[0] < word and low.endswith(prefix, 0, lead_ends[0]):
                lead_ends.append(_blank_start(low, lead_ends[0] - len(prefix)))
        for end in lead_ends:
            starts += _line_starts(low, end, word)
            if not end:
                continue
            ch = low[end - 1]
            if ch in "|([:/,+":
                starts.append(end - 1)
            elif ch in "-–—*":
                starts.append(end - 2)  # \s[-–—]\s
                starts += _line_starts(low, _blank_start(low, end - 1), end - 1)  # ^\s*[-*]\s
            elif low.endswith("or", 0, end):
                starts.append(end - 2)
            elif low.endswith("and", 0, end):
                starts.append(end - 3)
    return [at for at in starts if at >= 0]


def _capitals_before_remote_starts(clause: str, low: str, words: dict[str, list[int]]) -> list[int]:
    r"""Where ``\b(?-i:[A-Z]{2,4})[\s-]+(?:based\s+)?remote\b`` can start in a clause: two to four characters
    before the ``[\s-]`` run before a "remote" (or before "based" and its blanks), when a capital ends there."""
    starts: list[int] = []
    for at in words.get("remote", ()):
        ends = [at]
        blank = _blank_start(low, at)
        if blank < at and low.endswith("based", 0, blank):
            ends.append(blank - 5)
        for end in ends:
            first = end
            while first and (low[first - 1].isspace() or low[first - 1] == "-"):
                first -= 1
            if first < end and first >= 2 and "A" <= clause[first - 1] <= "Z":
                starts += [first - 4, first - 3, first - 2]
    return [at for at in starts if at >= 0]


def _remote_then(low: str, at_list: list[int], nexts: tuple[str, ...], blank_needed: bool) -> list[int]:
    """The "remote"s (at ``at_list``) followed (after blanks; at least one when ``blank_needed``) by one of
    ``nexts``."""
    starts = []
    for at in at_list:
        after = at + 6
        while after < len(low) and low[after].isspace():
            after += 1
        if (after > at + 6 or not blank_needed) and low.startswith(nexts, after):
            starts.append(at)
    return starts


def _remote_colon_starts(clause: str, low: str, words: dict[str, list[int]]) -> list[int]:
    return _remote_then(low, words.get("remote", []), (":",), False)  # \bremote\s*:


def _remote_in_starts(clause: str, low: str, words: dict[str, list[int]]) -> list[int]:
    # \bremote\s+(?:in|within|from|across)
    return _remote_then(low, words.get("remote", []), ("in", "within", "from", "across"), True)


# Where a rule can match, for the literal gates below (speed only): the clause (folded) must hold one of the
# rule's anchors and a word of each of its ``need`` groups, and a match starts where ``starts`` says. Every
# literal is one that a match of the rule holds (in lower case, on folded text). A rule whose matches start with
# one of a few literals is tried only there ((literal, offset) pairs: "site" at p -> "on-site" at p - 3); two
# rules whose starts are not literal (labels, "EU-based remote") find theirs with a function. ``re`` tries a
# word-boundary-led pattern at every position of the clause: the 35 rules cost ~40 us per clause that way.
_ANCHORS = (*_MODE_ANCHORS, "#li-", "telecommut", "work", "hq", "headquarters")
_ANCHOR_SET = frozenset(_ANCHORS)
_SITE_LEADS = (("site", -2), ("site", -3))  # "onsite", "on-site"
_FULLY_LEADS = (("full", 0), ("100", 0), ("completely", 0), ("entirely", 0), ("all", 0))


_Starts = tuple[tuple[str, int], ...] | Callable[[str, str, dict[str, list[int]]], list[int]]


class _Rule(NamedTuple):
    pattern: re.Pattern[str]
    mode: str  # a mode, "not_remote" (vetoes remote) or "*" (the mode named by the first group that matched)
    level: int
    anchors: tuple[str, ...]
    need: tuple[tuple[str, ...], ...]
    starts: _Starts


# (pattern, mode, level). mode "not_remote" vetoes remote. Level: 3 states the role's mode as a label or a
# direct sentence, 2 a clear phrase, 1 a statement about the company.
_RULES: list[_Rule] = [
    _Rule(
        re.compile(r"(?i)#li-remote\b"),
        "remote",
        3,
        ("#li-",),
        (),
        (("#li-remote", 0),),
    ),
    _Rule(
        re.compile(r"(?i)#li-hybrid\b"),
        "hybrid",
        3,
        ("#li-",),
        (),
        (("#li-hybrid", 0),),
    ),
    _Rule(
        re.compile(r"(?i)#li-(?:onsite|on-site|office)\b"),
        "onsite",
        3,
        ("#li-",),
        (),
        (("#li-", 0),),
    ),
    _Rule(
        re.compile(r"(?i)work\s+location\s*:\s*(?:fully\s+)?remote\b"),
        "remote",
        3,
        ("remote",),
        (("location",),),
        (("work", 0),),
    ),
    _Rule(
        re.compile(r"(?i)work\s+location\s*:\s*hybrid"),
        "hybrid",
        3,
        ("hybrid",),
        (("location",),),
        (("work", 0),),
    ),
    _Rule(
        re.compile(r"(?i)work\s+location\s*:\s*(?:in[\s-]person|on[\s-]?site|in[\s-]office)"),
        "onsite",
        3,
        ("person", "site", "office"),
        (("location",),),
        (("work", 0),),
    ),
    _Rule(
        re.compile(r"(?i)\bremote\s*:\s*(?:yes|true|ok|okay|possible)\b"),
        "remote",
        3,
        ("remote",),
        (),
        _remote_colon_starts,
    ),
    # negations
    _Rule(
        re.compile(r"(?i)\bremote\s*:\s*no\b"),
        "not_remote",
        3,
        ("remote",),
        (),
        _remote_colon_starts,
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:not|no|non|isn'?t|never)[\s-]+(?:a\s+|an\s+|the\s+)?(?:fully\s+|100%\s+|completely\s+"
            r"|entirely\s+)?remote(?!ly)\b"
        ),
        "not_remote",
        3,
        ("remote",),
        (),
        (("no", 0), ("isn", 0), ("never", 0)),
    ),
    _Rule(
        re.compile(
            r"(?i)\bremote(?:ly)?\s+(?:work\s+|working\s+|work\s+arrangements?\s+|options?\s+|candidates\s+|"
            r"applicants\s+|applications\s+)?(?:is\s+|are\s+|will\s+)?(?:not|n't)\s+(?:be\s+)?(?:available|possible"
            r"|offered|an\s+option|supported|permitted|allowed|considered|accepted|eligible|an\s+possibility)"
        ),
        "not_remote",
        3,
        ("remote",),
        (("not", "n't"),),
        (("remote", 0),),
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:cannot|can'?t|can\s+not|unable\s+to|won'?t|will\s+not|do\s+not|don'?t|does\s+not|doesn'?t"
            r"|are\s+not\s+able\s+to|not\s+able\s+to|not\s+open\s+to|not\s+eligible\s+for|not\s+offering)"
            r"\s+(?:be\s+)?(?:[a-z]+\s+){0,3}?(?:fully\s+)?remote(?:ly)?\b"
        ),
        "not_remote",
        3,
        ("remote",),
        (),
        (("can", 0), ("unable", 0), ("won", 0), ("will", 0), ("do", 0), ("are", 0), ("not", 0)),
    ),
    # the role, in a sentence
    _Rule(
        re.compile(
            r"(?i)\b(?:this|the)\s+(?:role|position|job|opportunity|team)\s+(?:is|will\s+be|can\s+be|is\s+based)\s+"
            r"(?:a\s+|an\s+)?(?:fully\s+|100%\s+|completely\s+|entirely\s+)?" + _MODE_ALT
        ),
        "*",
        3,
        _MODE_ANCHORS,
        (("role", "position", "job", "opportunit", "team"),),
        (("this", 0), ("the", 0)),
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:this|it)\s+is\s+(?:a\s+|an\s+)?(?:fully\s+|100%\s+|completely\s+|entirely\s+)?"
            + _MODE_ALT
            + r"[\s,]+(?:\w+[\s,]+){0,2}?(?:role|position|job|opportunity)\b"
        ),
        "*",
        3,
        _MODE_ANCHORS,
        (("role", "position", "job", "opportunit"),),
        (("this", 0), ("it", 0)),
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:role|position|job)\s+is\s+(?:based\s+)?(?:in|at|out\s+of|from)\s+(?:our|the)\s+"
            r"(?:[\w,.'-]+\s+){0,4}?(?:office|hq|headquarters)\b"
        ),
        "onsite",
        3,
        ("office", "hq", "headquarters"),
        (("role", "position", "job"),),
        (("role", 0), ("position", 0), ("job", 0)),
    ),
    # labels: "| REMOTE |", "Location: Remote (EU)", "(Onsite)", "Munich/Remote"
    _Rule(
        _LABEL,
        "*",
        3,
        _MODE_ANCHORS,
        (),
        _label_starts,
    ),
    # clear phrases
    _Rule(
        re.compile(
            r"(?i)\b(?:fully|100\s*%|completely|entirely|full|all)[\s-]+(remote|on-?site|in[\s-]office|in[\s-]person)"
            r"(?!\s*[-,]?\s*(?:first|friendly|company|team|teams|organization|organisation|culture|workforce"
            r"|business|startup|environment)\b)"
        ),
        "*",
        2,
        ("remote", "site", "office", "person"),
        (),
        _FULLY_LEADS,
    ),
    _Rule(
        re.compile(
            r"(?i)\b(remote|hybrid|on-?site|in[\s-]office|in[\s-]person)\s+(?:role|position|job|opportunity"
            r"|employee|employment|contract|work\s+arrangement|arrangement|basis)\b"
        ),
        "*",
        2,
        _MODE_ANCHORS,
        (("role", "position", "job", "opportunit", "employ", "contract", "arrangement", "basis"),),
        (("remote", 0), ("hybrid", 0), *_SITE_LEADS, ("office", -3), ("person", -3)),
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:open\s+to|eligible\s+for|option\s+(?:to|for|of)|possibility\s+(?:to|of)|available\s+for"
            r"|flexibility\s+(?:to|for)|can\s+(?:also\s+)?be)\s+(?:a\s+|being\s+|work(?:ing)?\s+)?"
            r"(?:fully\s+)?(remote(?:ly)?|hybrid)\b"
        ),
        "*",
        2,
        ("remote", "hybrid"),
        (),
        (
            ("open", 0),
            ("eligible", 0),
            ("option", 0),
            ("possibility", 0),
            ("available", 0),
            ("flexibility", 0),
            ("can", 0),
        ),
    ),
    _Rule(
        re.compile(
            r"(?i)\bremote(?:\s+work(?:ing)?)?\s+(?:is\s+|are\s+)?(?:also\s+)?(?:ok|okay|possible|available|welcome"
            r"|an\s+option|considered|supported)\b"
        ),
        "remote",
        2,
        ("remote",),
        (("ok", "possible", "available", "welcome", "option", "considered", "supported"),),
        (("remote", 0),),
    ),
    _Rule(
        re.compile(r"(?i)\bremote\s+(?:in|within|from|across)\s+(?:the\s+)?(?=[A-Z])"),
        "remote",
        2,
        ("remote",),
        (),
        _remote_in_starts,
    ),
    _Rule(
        re.compile(r"(?i)\b(?-i:[A-Z]{2,4})[\s-]+(?:based\s+)?remote\b"),
        "remote",
        2,
        ("remote",),
        (),
        _capitals_before_remote_starts,
    ),
    _Rule(
        re.compile(r"(?i)\b(?:can\s+be\s+(?:performed|done|worked|based)|work(?:ing)?\s+fully)\s+remotely\b"),
        "remote",
        2,
        ("remote",),
        (("remotely",),),
        (("can", 0), ("work", 0)),
    ),
    _Rule(
        re.compile(r"(?i)\bwork(?:ing)?\s+from\s+(?:home|anywhere)\b"),
        "remote",
        2,
        ("work",),
        (("from",), ("home", "anywhere")),
        (("work", 0),),
    ),
    _Rule(
        # hyphenated, it is mostly a perk ("work-from-home allowance", "work-from-home policies"); followed by an
        # arrangement word it states the job's mode (Catawiki: "based in Poland with a work-from-home arrangement")
        re.compile(r"(?i)\bwork(?:ing)?-from-(?:home|anywhere)\s+(?:arrangement|role|position|job|basis|contract)\b"),
        "remote",
        2,
        ("work",),
        (("from",), ("arrangement", "role", "position", "job", "basis", "contract")),
        (("work", 0),),
    ),
    # German (Arbeitnow): "100% Homeoffice", "komplett im Homeoffice" is remote (the hybrid rule below would
    # otherwise read "100% Homeoffice möglich" as an option)
    _Rule(
        re.compile(
            r"(?i)\b(?:100\s*%|komplett|vollständig|ausschließlich)\s+(?:im\s+|aus\s+dem\s+|vom\s+)?home[\s-]?office\b"
        ),
        "remote",
        2,
        ("office",),
        (("home",),),
        (("100", 0), ("komplett", 0), ("vollst", 0), ("aussch", 0)),
    ),
    _Rule(
        re.compile(r"(?i)\btelecommut\w*"),
        "remote",
        2,
        ("telecommut",),
        (),
        (("telecommut", 0),),
    ),
    _Rule(
        re.compile(
            r"(?i)\bhybrid[\s-]+(?:work|working|schedule|arrangement|setup|set-up|policy|model|role|position"
            r"|opportunity|job|office|remote|basis|environment)\b"
        ),
        "hybrid",
        2,
        ("hybrid",),
        (),
        (("hybrid", 0),),
    ),
    _Rule(
        re.compile(r"(?i)\bhybrid\s*[,(:-]?\s*\(?\s*(?:min\.?\s+|minimum\s+|at\s+least\s+)?" + _NUM + r"\b"),
        "hybrid",
        2,
        ("hybrid",),
        (),
        (("hybrid", 0),),
    ),
    _Rule(
        re.compile(r"(?i)\bhybrid\s+(?:in|at|from|out\s+of)\s+(?:our\s+|the\s+)?(?-i:[A-Z])"),
        "hybrid",
        2,
        ("hybrid",),
        (),
        (("hybrid", 0),),
    ),
    _Rule(
        re.compile(r"(?i)\b(?:is|are|be|being)\s+hybrid\b"),
        "hybrid",
        2,
        ("hybrid",),
        (),
        (("is", 0), ("are", 0), ("be", 0)),
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:work|working|be\s+based|based|located|be|are)\s+(?:fully\s+|entirely\s+)?(?:on-?site|on\s+site"
            r"|in[\s-]office|in[\s-]person)\b(?!\s+(?:interview|meeting|event|visit|day|days|lunch))"
        ),
        "onsite",
        2,
        ("site", "office", "person"),
        (),
        (("work", 0), ("be", 0), ("based", 0), ("located", 0), ("are", 0)),
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:work|working|report|reporting|based|located|come|commute)\s+(?:in|into|to|from|at|out\s+of)"
            r"\s+(?:our|the)\s+(?:[\w.'-]+\s+){0,3}?(?:office|offices|hq|headquarters)\b"
        ),
        "onsite",
        2,
        ("office", "hq", "headquarters"),
        (("our", "the"),),
        (("work", 0), ("report", 0), ("based", 0), ("located", 0), ("come", 0), ("commute", 0)),
    ),
    _Rule(
        re.compile(r"(?i)\b(?:on-?site|in[\s-]office|in[\s-]person)\s+(?:only|requirement|required|full[\s-]time)\b"),
        "onsite",
        2,
        ("site", "office", "person"),
        (("only", "require", "full"),),
        (*_SITE_LEADS, ("office", -3), ("person", -3)),
    ),
    _Rule(
        re.compile(r"(?i)\bon-?site\s+in\s+(?-i:[A-Z])"),
        "onsite",
        2,
        ("site",),
        (),
        _SITE_LEADS,
    ),
    # the company
    _Rule(
        re.compile(r"(?i)\bremote[\s-]+(?:first|friendly|native)\b"),
        "remote",
        1,
        ("remote",),
        (),
        (("remote", 0),),
    ),
    _Rule(
        re.compile(
            r"(?i)\b(?:fully|100\s*%|completely|entirely|all)[\s-]+remote\s*[-,]?\s*(?:company|team|teams"
            r"|organization|organisation|culture|workforce|business|startup|environment)\b"
        ),
        "remote",
        1,
        ("remote",),
        (),
        _FULLY_LEADS,
    ),
    _Rule(
        # the mirror of "remote-first company": "We're an in-office company", "a fully in person company" (Decagon's
        # 68 corpus postings say it and nothing else about the mode); "in-person team gatherings" is no mode
        re.compile(
            r"(?i)\b(?:in[\s-]office|in[\s-]person|on-?site)\s+(?:company|organi[sz]ation|startup|business)\b"
        ),
        "onsite",
        1,
        ("office", "person", "site"),
        (("company", "organi", "startup", "business"),),
        (("office", -3), ("person", -3), *_SITE_LEADS),
    ),
    # German (Arbeitnow) benefits lists: an option of home office next to an office location is hybrid, as
    # "flexibility to work from home" is: "anteilige Homeoffice-Möglichkeit", "die Option auf Home-Office",
    # "Homeoffice nach Einarbeitung möglich", "flexible Homeoffice-Tage", "Hybrides Arbeiten". 46 of the corpus's
    # 108 Arbeitnow postings name a home office, 43 of them as such an option; the 52 other postings that say
    # "home office" are English, where it is a perk ("home office stipend", "a quiet home office"): the German
    # words around it keep those out.
    _Rule(
        re.compile(
            r"(?i)\bhome[\s-]?office(?:[\s-]*(?:möglichkeit(?:en)?|tage?n?|regelung|option(?:en)?)\b"
            r"|\s+(?:nach\s+(?:der\s+)?\w+\s+)?möglich\b)"
            r"|\b(?:option|möglichkeit)\s+(?:auf|zum|für)\s+(?:das\s+)?home[\s-]?office\b"
            r"|\b(?:anteilig|zeitweise|teilweise|tageweise)\w*\s+(?:arbeiten\s+im\s+)?home[\s-]?office\b"
            r"|\bhybride[sn]?\s+arbeit\w*|\bhybrid(?:lösung|modell)\b"
        ),
        "hybrid",
        1,
        ("office", "hybrid"),
        (("home", "hybride", "hybridl", "hybridm"),),  # most "office" clauses are English and hold no "home"
        (
            ("home", 0),
            ("option", 0),
            ("glichkeit", -2),
            ("anteilig", 0),
            ("zeitweise", 0),
            ("teilweise", 0),
            ("tageweise", 0),
            ("hybrid", 0),
        ),
    ),
    _Rule(
        re.compile(r"(?i)\b(?:work|working)\s+remotely\b"),
        "remote",
        1,
        ("remote",),
        (("remotely",),),
        (("work", 0),),
    ),
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


@dataclass(frozen=True, slots=True)
class _Signal:
    mode: str  # remote | hybrid | onsite | not_remote
    level: int
    snippet: str
    regions: tuple[str, ...] = ()


# The characters a _BOUNDARY match holds, and those it can hold other than blanks (see _clause).
_BOUNDARY_CHARS = "\n.!?;•·-–—"
_FIRST_HARD = re.compile("[" + re.escape(_BOUNDARY_CHARS) + "]")
_LAST_HARD = re.compile("(?s:.*)[" + re.escape(_BOUNDARY_CHARS) + "]")  # its last character: the last one


def _clause(text: str, pos: int, end: int) -> tuple[int, int]:
    """The span of the clause around a hit ``text[pos:end]``: from the last boundary in the window before it to
    the first boundary in the window after it.

    The boundaries are those ``_BOUNDARY.finditer`` finds over the windows, looked for from the last (first)
    character that can be part of one rather than over the whole window: a match holds only those characters
    and blanks, so none crosses a position after any other character, and from there ``finditer`` yields the
    same matches as from the window's start. When none is found there, the search goes on before it."""
    lo = max(0, pos - _WINDOW)
    start = lo
    stop_at = pos
    while last_hard := _LAST_HARD.match(text, lo, stop_at):
        last = last_hard.end() - 1
        while last > lo and (text[last - 1] in _BOUNDARY_CHARS or text[last - 1].isspace()):
            last -= 1
        found = None
        # endpos: no match that starts before ``stop_at`` reaches it (the character before it is in none)
        for m in _BOUNDARY.finditer(text, last, stop_at):
            found = m
        if found is not None:
            start = found.end()
            break
        stop_at = last
    hi = min(len(text), end + _WINDOW)
    first = _FIRST_HARD.search(text, end, hi)
    # a match starts at a boundary character, or at the blank before a dash run: not before ``first - 1``
    m = _BOUNDARY.search(text, max(end, first.start() - 1), hi) if first else None
    stop = m.start() + (1 if m and m.group(0) in ".!?;" else 0) if m else hi
    return start, stop


_REMOTE_WORD = re.compile(r"(?i)remote(?:ly)?|telecommut\w*|work(?:ing)?\s+from\s+(?:home|anywhere)")


_REGIONS_AFTER = re.compile(
    r"(?i)(?:ly)?(?:[\s-]+(?:first|friendly|ok|okay|only|possible))?\s*(?:"
    r"\(([^()]{1,100})\)|\[([^\[\]]{1,100})\]|[-–—:,]\s*([^|()\n]{1,80})"
    r"|(?:\s+(?:role|position|job|opportunity)\s*,?)?(?:\s+(?:based|located))?"  # "remote role based in the US"
    r"\s+(?:in|within|from|across|for)\s+(?:the\s+)?(?:following\s+)?([^|()\n.;]{1,80}))"
)
_REGION_BEFORE = re.compile(
    r"(?<![#\w])([A-Za-z.]{2,20}|North\s+America|Latin\s+America)[\s-]+(?:based\s+)?(?:fully\s+)?$"
)
_ANYWHERE = re.compile(r"(?i)anywhere\s+in\s+the\s+world")


def _regions_near(clause: str, start: int, at: int) -> list[str]:
    """Regions stated right after (or just before) a remote mention: "Remote (US only)", "remote within the US",
    "Remote - EMEA", "US-based remote", "REMOTE (UTC+3)"."""
    m = _REGIONS_AFTER.match(clause[at : at + 120])
    regions: list[str] = []
    if m:
        content = next(g for g in m.groups() if g is not None)
        regions = parse_regions(content)
    if not regions:
        b = _REGION_BEFORE.search(clause[max(0, start - 30) : start])
        if b:
            regions = parse_regions(b.group(1))
    if not regions and "anywhere" in fold(clause) and _ANYWHERE.search(clause):
        regions = ["Worldwide"]
    return regions


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, when ``starts`` holds every position where a match can start:
    the first match at or after a position is then the first one found at a start."""
    if len(starts) > 1:
        starts = sorted(set(starts))
    pos = 0
    for start in starts:
        if start >= pos and (m := pattern.match(text, start)):
            yield m
            pos = m.end()


_FOOD_WORDS = ("lunch", "meal", "snack", "dinner", "breakfast", "gym", "coffee", "parking")  # _FOOD's
_OFFICE_WORDS = ("office", "site", "person", "hq", "headquarters", "studio", "campus")  # _OFFICE_WORD's
_NUM_START = re.compile(r"\d|one|two|three|four|five")  # where _DAYS can start


def _days_signal(clause: str, low: str | None = None, words: dict[str, list[int]] | None = None) -> _Signal | None:
    """ "3 days a week in the office" (hybrid), "5 days a week on site" (onsite). ``low``: the clause folded
    (same length), for the literal gates, and ``words`` its _clause_words; None runs every pattern."""
    if low is not None:
        present = (_clause_words(low) if words is None else words).keys()
        if (
            present.isdisjoint(_OFFICE_WORDS)
            or ("day" not in present and "x" not in low)  # _DAYS ends with "days?" or "x"
            or (not present.isdisjoint(_FOOD_WORDS) and _FOOD.search(clause))
        ):
            return None
    if not _OFFICE_WORD.search(clause) or _FOOD.search(clause):
        return None
    if low is None:
        days = _DAYS.finditer(clause)
    else:
        days = _matches_at(_DAYS, clause, [m.start() for m in _NUM_START.finditer(low)])
    for m in days:
        unit = (m.group(3) or "week").casefold()
        if unit in ("month", "quarter", "year"):
            continue
        nums = [fold(g) for g in m.groups()[:2] if g]  # "FİVE", "fıve" match too (KeyError before)
        vals = [int(n) if n.isdigit() else _NUMS[n] for n in nums]
        if not vals or max(vals) > 7:
            continue
        near = clause[max(0, m.start() - 80) : m.end() + 80]
        if not _OFFICE_WORD.search(near):
            continue
        mode = "onsite" if min(vals) >= 5 else "hybrid"
        return _Signal(mode, 3, clause.strip())  # as strong as a label: "ONSITE (3 days/week)" is hybrid
    return None


@lru_cache(maxsize=1024)
def _rules_for(anchors: frozenset[str], remote_only: bool) -> tuple[_Rule, ...]:
    """The rules (in order) with one of ``anchors`` (the _ANCHORS a clause holds); ``remote_only``: only those
    that can say "remote". (Keyed by the anchors only: a few dozen sets, where the sets of all gate words a
    clause holds run to hundreds.)"""
    return tuple(
        rule
        for rule in _RULES
        if not anchors.isdisjoint(rule.anchors) and (not remote_only or rule.mode in ("remote", "*"))
    )


@cache
def _clause_automaton() -> ahocorasick.Automaton:
    """Every word the gates and lead lists of _RULES and _days_signal look for: one pass over a clause finds
    where each occurs."""
    words = {*_ANCHORS, *_MODE_ANCHORS, *_OFFICE_WORDS, *_FOOD_WORDS, "day"}
    for rule in _RULES:
        words.update(rule.anchors)
        for group in rule.need:
            words.update(group)
        if not callable(rule.starts):
            words.update(word for word, _ in rule.starts)
    # pyahocorasick here: a clause is ~100 characters, where a Hyperscan call costs more than the walk
    auto = ahocorasick.Automaton()
    for word in sorted(words):
        auto.add_word(word, (word, len(word) - 1))
    auto.make_automaton()
    return auto


def _clause_words(low: str) -> dict[str, list[int]]:
    """Where each _clause_automaton word occurs in ``low`` (a folded clause): word -> start offsets, in order."""
    found: dict[str, list[int]] = {}
    for stop, (word, back) in _clause_automaton().iter(low):
        at = found.get(word)
        if at is None:
            found[word] = [stop - back]
        else:
            at.append(stop - back)
    return found


def _gated_matches(rule: _Rule, clause: str, low: str, words: dict[str, list[int]]) -> Iterator[re.Match[str]]:
    """The matches of a rule with an anchor in the clause (``words``: its _clause_words): none unless a word of
    each ``need`` group occurs, else tried where the rule's leads (or start function) say."""
    present = words.keys()
    for group in rule.need:
        if present.isdisjoint(group):
            return iter(())
    if callable(rule.starts):
        return _matches_at(rule.pattern, clause, rule.starts(clause, low, words))
    at_list: list[int] = []
    for word, offset in rule.starts:
        found = words.get(word)
        if found is None:
            continue
        if offset:
            at_list += [at + offset for at in found if at + offset >= 0]
        else:
            at_list += found
    return _matches_at(rule.pattern, clause, at_list) if at_list else iter(())


def _classify_clause(clause: str, low: str | None = None, remote_only: bool = False) -> list[_Signal]:
    """The signals of one clause, in rule order. ``low``: the clause folded (same length), for the literal gates
    (None: every rule is run over the whole clause). ``remote_only``: only the rules that can say "remote"."""
    signals: list[_Signal] = []
    snippet = clause.strip()
    words: dict[str, list[int]] | None = None
    if low is None:
        rules: tuple[_Rule, ...] = tuple(_RULES)
    else:
        words = _clause_words(low)
        rules = _rules_for(frozenset(words.keys() & _ANCHOR_SET), remote_only)
    for rule in rules:
        mode = rule.mode
        if remote_only and mode != "remote" and mode != "*":
            continue
        matches = rule.pattern.finditer(clause) if words is None else _gated_matches(rule, clause, low, words)
        for m in matches:
            level = rule.level
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
                signals.append(_Signal("remote", level, snippet, tuple(_regions_near(clause, start, end))))
            else:
                signals.append(_Signal(found, level, snippet))
            if rule.pattern is not _LABEL:
                break  # one hit per rule per clause is enough; labels may name several modes ("Onsite (Hybrid OK)")
    if not remote_only:
        days = _days_signal(clause, low, words)
        if days is not None:
            signals.append(days)
    return signals


# Where a _TRIGGER_LOW match can start, found by one Aho-Corasick pass over the folded text (~14 us per 5 KB
# posting; _TRIGGER_LOW.finditer, an alternation ``re`` tries at most positions, ~40 us). pyahocorasick compares
# each character with every child of the automaton's root and goes down on a match, so the keys start with rare
# letters (measured: 8 keys led by e, t, a, o, i, n, s, r 22 us per posting, led by z, x, j, q, k, v, b, p 14 us):
# each is a piece of a trigger, with the offsets from the key to where the trigger starts ("mote" -> "remote" at
# -2, "ffice" -> "office" at -1 and "in office" at -4). "work" counts only before a blank and "from"/"location"
# (a key with two blanks stands for any longer run of \s) or in "work-from-"; "site" stands for "onsite",
# "on-site" and "on\s+site" (see _trigger_hits).
_SITE = "site"


@cache
def _trigger_automaton() -> Literals:
    keys: dict[str, tuple[int, ...]] = {
        "mote": (-2,),  # remote
        "ybrid": (-1,),  # hybrid
        "mmut": (-6,),  # telecommut
        "fh": (-1,),  # wfh
        "#li-": (0,),
        "ffice": (-1, -4),  # office, in office / in-office
        "person": (-3,),  # in person / in-person
        _SITE: (),
    }
    for b in _BLANKS:
        for after in ("from", "location", *_BLANKS):  # work(ing)\s+from, work\s+location
            keys["k" + b + after] = (-3,)
            keys["king" + b + after] = (-3,)
    keys["k-from-"] = keys["king-from-"] = (-3,)  # work(ing)-from-home/anywhere
    return Literals((word, (len(word), offsets)) for word, offsets in keys.items())


def _trigger_hits(text: str, low: str | None) -> list[tuple[int, int]]:
    """The spans of ``_TRIGGER.finditer(text)`` (``low``: ``text`` folded, same length, or None)."""
    if low is None:
        return [m.span() for m in _TRIGGER.finditer(text)]
    starts: list[int] = []
    for stop, (size, offsets) in _trigger_automaton().iter(low):
        at = stop - size + 1
        if offsets:
            starts += [at + offset for offset in offsets]
        else:  # "site": onsite, on-site, on\s+site
            starts += [at - 2, at - 3, _blank_start(low, at) - 2]
    return [m.span() for m in _matches_at(_TRIGGER_LOW, low, [at for at in starts if at >= 0])]


def _iter_text_signals(text: str, remote_only: bool = False) -> Iterator[_Signal]:
    """The signals of the text's clauses, in order (``remote_only``: see _classify_clause)."""
    low = folded_same_length(text)
    hits = _trigger_hits(text, low)
    if len(hits) > _MAX_HITS:
        hits = hits[:300] + hits[-100:]
    seen: set[tuple[int, int]] = set()
    last_stop = -1
    for pos, end in hits:
        if pos < last_stop:
            continue  # already inside a classified clause
        span = _clause(text, pos, end)
        last_stop = span[1]
        if span in seen:
            continue
        seen.add(span)
        if low is None:
            yield from _classify_clause(text[span[0] : span[1]], None, remote_only)
            continue
        if remote_only and not any(w in low[span[0] : span[1]] for w in _REMOTE_ANCHORS):
            continue
        yield from _clause_signals(text[span[0] : span[1]], remote_only)


# The postings of a board repeat their boilerplate ("We are a remote-first company...", "This role is hybrid,
# 3 days a week in our office"): of the 786 clauses classified over the 980 corpus postings, 293 are distinct.
@lru_cache(maxsize=4096)
def _clause_signals(clause: str, remote_only: bool) -> tuple[_Signal, ...]:
    """_classify_clause of a clause (with its literal gates), cached."""
    low = fold(clause)
    return tuple(_classify_clause(clause, low if len(low) == len(clause) else None, remote_only))


# A remote signal needs "remote"/"remotely", "telecommut..." or "work(ing) from home/anywhere".
_REMOTE_ANCHORS = ("remote", "telecommut", "work")


def _text_signals(text: str) -> list[_Signal]:
    return list(_iter_text_signals(text))


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
    value = _BLANK_RUN.sub(" ", value).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


# ------------------------------------------------------------------------------------------------- API


# "ONSITE PREFERRED (Remote possible)", "hybrid preferred, remote considered": the preferred arrangement is the
# job's work mode; the alternative is an exception the employer may grant (docs/workplace-rules.md).
_PREFERRED_MODE = re.compile(
    r"(?i)\b(on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based|hybrid|remote)\s+(?:is\s+|strongly\s+)?"
    r"preferred\b[^.\n]{0,40}?\b(?:remote(?:ly)?|hybrid|on[\s-]?site|in[\s-]office)\b[^.\n]{0,12}?\b(?:is\s+)?"
    r"(?:possible|negotiable|considered|ok|okay|allowed|available|an\s+option|optional|acceptable|for\s+the\s+right)"
)
# A description that opens with a work-mode label about this very job: "ON-SITE (BAY AREA)", "Hybrid - London".
_OPENING_LABEL = re.compile(
    r"(?i)^\W{0,3}(on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based|hybrid)\b(?!\s+(?:or|/)\s*remote)"
    r"[^\n]{0,40}$"
)
_OPENING_LINES = 3
# Sources that list remote jobs only: their "remote" is the board's say-so for every posting, not this one's.
REMOTE_ONLY_SOURCES = frozenset({"remoteok", "remotive", "weworkremotely"})
_SAYS_REMOTE = re.compile(
    r"(?i)remote|telecommut|work\s+from\s+(?:home|anywhere)|\bfrom\s+home\b|\bwfh\b|anywhere\s+in\s+the\s+world"
    r"|home\s*office"
)
# Its gate and matches in the one compiled scan (pipeline.scan): a caseless alternation, which ``re`` tries at every
# position of the text up to the first match (~100 us on a remote-only board's description, ~45 us a posting).
_SAYS_REMOTE_SCAN = scan.gate("workplace.says_remote", _SAYS_REMOTE)


def says_remote(text: str) -> bool:
    """Whether ``_SAYS_REMOTE`` matches anywhere in ``text`` (a description: through the compiled scan)."""
    if len(text) <= _SHORT:
        return _SAYS_REMOTE.search(text) is not None
    return _SAYS_REMOTE_SCAN in scan.hits(text) and scan.search(_SAYS_REMOTE_SCAN, text) is not None


# Its gate in the one compiled scan (pipeline.scan), for descriptions: ``re`` tries _PREFERRED_MODE, led by a word
# boundary and an alternation, at every position (~100 us per posting); a short location or title is searched as
# it is.
_PREFERRED_SCAN = scan.gate("workplace.preferred", _PREFERRED_MODE)
_SHORT = 200


def preferred_mode(text: str) -> str | None:
    """The preferred work mode of "<mode> preferred (<other mode> possible)", or None."""
    if text and len(text) > _SHORT and _PREFERRED_SCAN not in scan.hits(text):
        return None
    m = _PREFERRED_MODE.search(text or "")
    return _mode_of(m.group(1)) if m else None


def _opening_label(text: str) -> str | None:
    """The work mode of a label heading the description ("ON-SITE (BAY AREA)"), or None."""
    lines = [line for line in text[:600].split("\n") if line.strip()][:_OPENING_LINES]
    for line in lines:
        m = _OPENING_LABEL.match(line.strip())
        if m:
            return _mode_of(m.group(1))
    return None


def infer_workplace(
    hint: str | None, locations: Sequence[str], text: str, title: str = "", *, source: str | None = None
) -> WorkplaceResult:
    """Work mode with provenance and evidence; the rules: docs/workplace-rules.md.

    ``source`` (the posting's source name) says how far a structured "remote" hint goes: a JSON-LD
    ``TELECOMMUTE`` gives way to an on-site or hybrid label heading the description, and a remote-only board's
    "remote" (``REMOTE_ONLY_SOURCES``) to a text that names an office and never says remote."""
    locations = [loc for loc in (locations or []) if isinstance(loc, str) and loc.strip()]
    text = text or ""
    title = title or ""

    loc_signals = [(loc, sig) for loc in locations if (sig := _location_signal(loc)) is not None]
    title_sig = _title_signal(title)

    structured = normalize_hint(hint)
    if structured == "remote" and source == "jsonld" and (label := _opening_label(text)):
        return WorkplaceResult(label, [], "text", _snip(text.strip().split("\n", 1)[0]))
    if structured == "remote" and source in REMOTE_ONLY_SOURCES and not loc_signals and not title_sig:
        board_only = not says_remote(text) and not any(_SAYS_REMOTE.search(s) for s in (title, *locations))
        if board_only:
            best = _decide(_text_signals(text))
            if best is not None and best.mode in ("onsite", "hybrid"):
                return WorkplaceResult(best.mode, [], "text", _snip(best.snippet))
    if structured:
        regions: list[str] = []
        if structured == "remote":
            regions = _remote_regions_for(locations, loc_signals, title_sig, text)
        return WorkplaceResult(structured, regions, "structured", str(hint))

    for value in (*locations, title):
        preferred = preferred_mode(value)
        if preferred:
            return WorkplaceResult(preferred, [], "location", _snip(value))

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

    preferred = preferred_mode(text)
    if preferred:
        m = _PREFERRED_MODE.search(text)
        return WorkplaceResult(preferred, [], "text", _snip(m.group(0) if m else ""))

    best = _decide(_text_signals(text))
    if best is None or best.mode not in WORKPLACES:
        return WorkplaceResult()
    regions = []
    if best.mode == "remote":
        # the location field first, as when the mode comes from a hint: a board lists the countries a remote
        # job is open to ("Argentina", "Portugal; Spain") and the text says only "100% remote"
        regions = list(dict.fromkeys(_country_regions(locations))) or list(best.regions)
    return WorkplaceResult(best.mode, regions, "text", _snip(best.snippet))


def _country_regions(
    locations: Sequence[str], loc_signals: list[tuple[str, tuple[str, list[str]]]] = ()
) -> list[str]:
    """The regions named by the country-level locations without a work-mode word ("United States", "Europe",
    "USA, Canada"; not "Berlin, Germany": a city is where the office is, not where a remote hire may live)."""
    out: list[str] = []
    for loc in locations:
        if loc_signals and any(loc == s for s, _ in loc_signals):
            continue
        regions = parse_regions(loc)
        if regions and parse_location(loc).city is None:
            out.extend(regions)
    return out


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
        out.extend(_country_regions(locations, loc_signals))
    if not out and title_sig and title_sig[0] == "remote":
        out.extend(title_sig[1])
    if not out and text:
        for s in _iter_text_signals(text, remote_only=True):
            if s.mode == "remote" and s.regions:
                out.extend(s.regions)
                break
    return list(dict.fromkeys(out))
