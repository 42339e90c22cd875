"""Education a posting requires: ``parse_education(text) -> (level, education_equivalent)``.

``level`` is one of ``model.EDUCATION_LEVELS`` (bachelor < master < phd) or None: the **lowest** degree the
posting accepts as a requirement. "BS/MS in Computer Science" -> bachelor; "MS or PhD" -> master; "PhD" alone ->
phd; "Bachelor's required, Master's preferred" -> bachelor.

Preferred degrees do not count. A degree stated as "preferred", "a plus", "nice to have", "bonus", "ideally",
"desirable" (in its own clause, or under a "Nice to have" / "Preferred qualifications" / "Bonus points"
heading) is not a requirement, so "Master's degree preferred" alone gives None. "No degree required" and
"degree not required" also give None.

What counts as a degree mention:

* spelled out: "Bachelor's", "Bachelors", "Bachelor of ...", "Bachelor degree", "Master's", "Masters in/degree",
  "Master of Science/Arts/Engineering/...", "PhD", "Ph.D.", "doctorate", "doctoral degree";
* generic: "degree in <field>", "<field> degree" ("Computer Science degree", "CS degree", "technical degree",
  "STEM degree"), "college/university/undergraduate/4-year degree" -> bachelor (the enum's floor);
* abbreviations: dotted "B.S.", "M.S.", "B.A.", "M.Sc." always; bare "BS", "BA", "MS", "MA", "BE", "ME" only
  inside a degree phrase ("BS in", "BS/MS", "BA or BS degree", "MS, PhD"); "BSc", "MSc", "BEng", "MEng", "BTech",
  "MTech", "MBA" on their own.

Traps that are not degrees: "MS Office", "MS SQL", "MS-SQL", "BA" (Buenos Aires, business analyst), "master
branch", "scrum master", "mastery", "master your craft", "Old Masters", "Mastercard", "a high degree of",
"360-degree feedback", "bachelor party", "PhDs on our team", "leading PhD programs" (a plural describes people
or schools, not a requirement).

``education_equivalent`` is True when the posting accepts experience instead of the degree: "or equivalent
(practical/work/technical) experience" after a degree mention in the same line, "degree or equivalent", "BA or
equivalent experience", "equivalent combination of education and experience", "in lieu of a degree". "or
equivalent (experience)" elsewhere does not count: "AWS or equivalent cloud", "salary in USD or local
equivalent", "5+ years (or equivalent experience) in data science" are not about a degree.

Cost: one Aho-Corasick pass over the shared lower-cased text (``text.folded``) finds where a degree candidate
that can be judged a level may start (most postings have none and are answered there); each candidate is judged
in a short window; headings are found with one more pass (linear in the input). The answers are those of the
plain scan (every ``_CANDIDATE`` match): tests/test_education.py compares them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cache

from pipeline import scan
from pipeline.literals import Literals
from pipeline.text import case_free, folded, folded_same_length

_RANK = {"bachelor": 0, "master": 1, "phd": 2}
_LOWEST = "bachelor"

_FIELD = (
    r"(?:computer\s+science|cs|engineering|technical|stem|science|mathematics|math|maths|physics|statistics"
    r"|relevant|related|quantitative|analytical|it|information\s+technology|software\s+engineering"
    r"|electrical\s+engineering|computer\s+engineering|academic|advanced|graduate)"
)
_DEGREE_WORDS = (
    r"(?:in\b|of\b|degree|/|\bor\b|\band\b|,|\(|required|preferred|or\s+higher|or\s+above|or\s+equivalent"
    r"|level|holder|program|student)"
)

_CANDIDATE = re.compile(
    r"""
    (?P<phd>\bph\.?\s?d\b\.?(?!s\b)|\bdoctorate\b|\bdoctoral\s+degree\b|\bd\.phil\b)
  | (?P<master>\bmaster(?:'|’)?s?(?:'|’)?(?=\s+(?:degree|in\b|of\s+(?:science|arts|engineering|business|computer
        |technology|information|mathematics|applied|data|fine))|\s*/|\s+or\b|\s*,\s*(?:ph|doct))
      | \bmaster(?:'|’)s\b | \bmasters(?=\s+(?:degree|in\b))
      | \bm\.(?:s|sc|a|eng|tech)\.? | \b(?:msc|meng|mtech|mba)\b)
  | (?P<bachelor>\bbachelor(?:'|’)?s?(?:'|’)?(?=\s+(?:degree|in\b|of\b)|\s*/|\s+or\b|\s*,)
      | \bbachelor(?:'|’)s\b | \bbachelors\b
      | \bb\.(?:s|sc|a|eng|tech|e)\.? | \b(?:bsc|beng|btech)\b
      | \b(?:undergraduate|college|university|four[\s-]year|4[\s-]year|bachelor)\s+degree\b)
  | (?P<abbr>\b(?:bs|ba|ms|ma|be|me)\b)
  | (?P<generic>\bdegree\s+(?:in|from|required|or\s+(?:the\s+)?equivalent)\b|\b"""
    + _FIELD
    + r"""\s+degree\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_ABBR_LEVEL = {"bs": "bachelor", "ba": "bachelor", "be": "bachelor", "ms": "master", "ma": "master", "me": "master"}
# a bare abbreviation must be part of a degree phrase: "BS in", "BS/MS", "BA or BS degree", "MS, PhD"
_ABBR_AFTER = re.compile(
    r"^\s*(?:in\b|degree|/\s*(?:b|m|ph)|or\s+(?:b\.?[sa]|m\.?s|ph|equivalent|higher|above|master|bachelor)"
    r"|,\s*(?:b\.?s|m\.?s|ph)|\(|or\s+a\s+related)",
    re.IGNORECASE,
)
_ABBR_BEFORE = re.compile(r"(?:\b(?:b\.?s|b\.?a|m\.?s|bachelor'?s?|master'?s?)\s*(?:/|or|,)\s*)$", re.IGNORECASE)
_LEVEL_BEFORE = re.compile(
    r"(?:bachelor|master|ph\.?\s?d|doctoral|\bb\.?s\.?c?|\bm\.?s\.?c?|\bb\.?a\.?|\bm\.?a\.?|mba|associate)['’s]*\s*"
    r"(?:or\s+(?:higher|above)\s*)?$",
    re.IGNORECASE,
)
_MASTER_TRAP_BEFORE = re.compile(r"(?:scrum|web|old|puzzle|quiz|grand|ring|post|station|head|band)\s*$", re.I)

_PREFERRED = re.compile(
    r"\b(?:preferred|preferably|a\s+plus|is\s+a\s+plus|nice[\s-]to[\s-]have|bonus|desirable|desired|ideally"
    r"|advantageous|an\s+advantage|helpful|not\s+required|not\s+necessary|isn't\s+required|not\s+a\s+requirement"
    r"|no\s+degree|without\s+a\s+degree|regardless\s+of|don't\s+need|do\s+not\s+need)\b",
    re.IGNORECASE,
)
_HEADING = re.compile(
    r"^[ \t#*]*(?P<h>[^\n]{0,60}?(?:nice[\s-]to[\s-]haves?|bonus(?:\s+points)?"
    r"|preferred(?:\s+(?:qualifications|skills|experience))?|pluses|plus\s+points|would\s+be\s+great|extra\s+credit|desired|what\s+would\s+make\s+you\s+stand"
    r"|good\s+to\s+have|(?:minimum|basic|required|key)\s+(?:qualifications|requirements)|requirements|qualifications"
    r"|what\s+you(?:'ll|\s+will)?\s+(?:need|bring)|who\s+you\s+are|about\s+you|you\s+have|must[\s-]haves?"
    r"|what\s+we(?:'re|\s+are)\s+looking\s+for))\s*:?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
# Where a _HEADING match can be (speed only): a heading line ends with the last word of one of _HEADING's
# keyword phrases followed by _HEADING's own tail; on folded text. _HEADING is then tried only at the start of
# such lines, instead of at every line start (where it tries up to 61 offsets of its lazy prefix).
_HEADING_END = re.compile(
    r"(?:haves?|bonus|points|preferred|qualifications|skills|experience|pluses|great|credit|desired|stand"
    r"|requirements|need|bring|are|you|for)\s*:?[ \t]*$",
    re.MULTILINE,
)
_PREFERRED_HEADING = re.compile(r"nice|bonus|preferred|plus|great|extra|desired|stand|good\s+to", re.IGNORECASE)
_EQUIVALENT_ANYWHERE = re.compile(
    r"equivalent\s+combination\s+of\s+(?:education|training|experience)|in\s+lieu\s+of\s+(?:a\s+)?(?:formal\s+)?"
    r"(?:degree|diploma|education)|degree\s+or\s+(?:the\s+)?equivalent|equivalent\s+(?:education|qualifications?)"
    r"|(?:education|degree)[^.\n]{0,40}\bor\s+(?:equivalent|comparable)\s+(?:\w+\s+){0,2}?experience",
    re.IGNORECASE,
)
_EQUIVALENT_NEAR = re.compile(
    r"\bor\s+(?:an?\s+)?(?:equivalent|comparable|similar|related)\s+(?:\w+\s+){0,2}?experience\b"
    r"|\(?\bor\s+equivalent\b",
    re.IGNORECASE,
)
# Its gate in the one compiled scan (pipeline.scan): each candidate searches its own window (a text dense with
# degrees held thousands, each search ~15 us), and most texts hold no match at all.
_NEAR_SCAN = scan.gate("education.equivalent_near", _EQUIVALENT_NEAR)
_WINDOW = 90

# re's \s for str patterns: these 29 characters (the same set as str.isspace; tests/test_education.py checks it)
_WS = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)

# The original gates, kept for the texts whose folded form has another length (a text holding "i" + U+0307):
# a degree candidate that can be judged a level needs one of these. On folded text: every spelled-out, dotted or
# joined form, and the generic forms (which all contain "degree").
_DEGREE_GATE = re.compile(
    r"bachelor|master|doctor|degree|d\.phil|ph\.?\s?d|m\.[saet]|b\.[saet]|msc|meng|mtech|mba|bsc|beng|btech"
)
# A bare abbreviation counts only next to a degree phrase (_ABBR_AFTER / _ABBR_BEFORE): then it, or the
# abbreviation before it, is followed by one of these. "BE", "ME", "MA" count only in capitals.
_ABBR_GATE = re.compile(r"(?:[Bb][SsAa]|[Mm][Ss]|BE|ME|MA)(?<!\w..)\s*(?:(?i:in|or)\b|/|,|\()")

# parse_education's gates in the one compiled scan (pipeline.scan): without a degree word, a bare abbreviation in
# a degree phrase or an "equivalent" word (what the automaton below looks for, over the folded text), nothing can
# be judged and the answer is (None, False). 619 of the 980 corpus descriptions hold none and skip the pass of
# the automaton and its hits. Over the text itself, caseless: RE2 equates ſ with s and K with k as fold()
# does, not ı and İ with i, which are written out.
_I = "[i\u0131\u0130]"
_DEGREE_WORD_SCAN = scan.gate(
    "education.degree_word",
    re.compile(
        _DEGREE_GATE.pattern.replace("d\\.phil", f"d\\.ph{_I}l") + f"|qu{_I}valent|l{_I}eu|mparable", re.IGNORECASE
    ),
)
# _ABBR_GATE with its lookbehind leading the pattern, where the loosened gate keeps it as a preceding character
# (dropped in the middle, the gate opened on "teams in" and "jobs, " in 3 texts in 4). A run of abbreviations
# ("BA/BS in") is one match: RE2 consumes the character before a match, so a match right after another one (whose
# "/" it would need) would not be found by scan.finditer, which tests/test_scan.py checks for every gate.
_BARE_ABBR = r"(?:[Bb][SsAa]|[Mm][Ss]|BE|ME|MA)"
_ABBR_SCAN = scan.gate(
    "education.abbreviation",
    re.compile(rf"(?<![\w])(?:{_BARE_ABBR}\s*[/,(]\s*)*{_BARE_ABBR}\s*(?:(?i:{_I}n|or)\b|/|,|\()"),
)

# One Aho-Corasick pass over the folded text finds where a _CANDIDATE match that can be judged a level may start
# (re tries _CANDIDATE's word-boundary-led alternation at every position: ~100 us per 5 KB posting). The pass
# (~16 us) costs about 1-2 us per first letter of the keys (pyahocorasick compares each character with every
# child of the root, and goes down at a frequent letter), so the keys start with few, rare letters: b, m, d, p,
# and q, l for the "equivalent" words.
# A key's value: (what it is, key length).
_DEGREE_WORD = 0  # a spelled-out, dotted or joined degree word (exactly the language of _DEGREE_GATE)
_DEGREE = 1  # "degree": a candidate starts there, or at one of the two words before it ("Computer Science degree")
_BEFORE_WORD = 5  # a degree word _ABBR_BEFORE looks for before an abbreviation: bachelor'?s?, master'?s?, b.s, ...
_ABBR = 2  # a bare abbreviation ("bs", "me", ...) followed by what _ABBR_AFTER can match
_ABBR_OR = 3  # "bsor", "baor", "msor": _ABBR_BEFORE's "bs" + "or" (no word boundary needed after "bs")
_EQUIVALENT_WORD = 4  # "(e)quivalent", "lieu", "(co)mparable": every _EQUIVALENT_ANYWHERE branch holds one of these
_UPPER_ONLY = ("be", "me", "ma")  # lower-case "be"/"me"/"ma" are words, not degrees


@cache
def _automaton() -> Literals:
    r"""The automaton over folded text (built once, ~6k keys). A bare abbreviation is a key only together with
    the degree-phrase context _ABBR_AFTER needs after it: the next non-blank is "in", "degree", "/", "or", ","
    or "(" (a non-word character may follow right away; a word needs a blank between). The blank run is one \s
    character, or any two (then the key holds any longer run). An abbreviation that counts by what precedes it
    (_ABBR_BEFORE: "BS/ME", "Bachelor's or ME") is found from the word before it (see _scan)."""
    words = ["doctor", "d.phil", "msc", "meng", "mtech", "mba", "bsc", "beng", "btech"]
    words += ["m.a", "m.e", "m.t", "b.e", "b.t"]
    words += [f"ph{dot}{ws}d" for dot in ("", ".") for ws in ("", *_WS)]
    keys = [(word, _DEGREE_WORD) for word in words] + [("degree", _DEGREE)]
    keys += [(word, _BEFORE_WORD) for word in ("bachelor", "master", "b.s", "b.a", "m.s")]  # also degree words
    for abbr in ("bs", "ba", "ms", "ma", "be", "me"):
        keys += [(abbr + c, _ABBR) for c in "/,("]
        keys += [(abbr + w + f, _ABBR) for w in _WS for f in ("in", "degree", "/", "or", ",", "(")]
        keys += [(abbr + w + v, _ABBR) for w in _WS for v in _WS]
    keys += [(abbr + "or", _ABBR_OR) for abbr in ("bs", "ba", "ms")]
    # "quivalent" and "mparable" stand for "equivalent" and "comparable" (the gate may pass more often; it costs
    # less: their first letters are rare or already the root's, unlike "e" and "c": 19.2 -> 15.9 us per posting)
    keys += [(word, _EQUIVALENT_WORD) for word in ("quivalent", "lieu", "mparable")]
    return Literals((key, (kind, len(key))) for key, kind in keys)


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"  # re's \w for str patterns


def _words_before(text: str, at: int) -> tuple[int, ...]:
    r"""Where the one or two words before a "degree" at ``at`` start, when blanks separate them from it: where
    ``\b(?:undergraduate|college|...|bachelor)\s+degree`` and ``\b<field>\s+degree`` ("Computer Science degree",
    "4-year degree") can start."""
    end = at
    while end and text[end - 1].isspace():
        end -= 1
    if end == at:
        return ()
    first = end
    while first and _is_word(text[first - 1]):
        first -= 1
    gap = first
    while gap and (text[gap - 1].isspace() or text[gap - 1] == "-"):
        gap -= 1
    second = gap
    while second and _is_word(text[second - 1]):
        second -= 1
    return (first, second) if second < gap < first else (first,)


def _after_separator(low: str, at: int) -> int:
    r"""Where the word after ``\s*(?:/|or|,)\s*`` at ``at`` starts (what _ABBR_BEFORE needs before an
    abbreviation), or -1."""
    n = len(low)
    while at < n and low[at].isspace():
        at += 1
    if low.startswith("or", at):
        at += 2
    elif at < n and low[at] in "/,":
        at += 1
    else:
        return -1
    while at < n and low[at].isspace():
        at += 1
    return at


def _is_abbreviation(text: str, low: str, at: int) -> bool:
    """Whether a bare abbreviation that can count as a degree starts at ``at``: "bs", "ba", "ms" in any case, "BE",
    "ME", "MA" in capitals, as a whole word."""
    abbr = low[at : at + 2]
    return (
        abbr in _ABBR_LEVEL
        and (at == 0 or not _is_word(text[at - 1]))
        and (at + 2 >= len(text) or not _is_word(text[at + 2]))
        and (abbr not in _UPPER_ONLY or text[at : at + 2].isupper())
    )


def _scan(text: str, low: str) -> tuple[list[int], list[int], bool, bool]:
    r"""One automaton pass over ``low`` (``text`` folded, same length): (where a candidate that can be judged a
    level may start, where _ABBR_GATE may match when the abbreviations there count, whether a degree word occurs,
    whether an "equivalent" word occurs).

    _ABBR_BEFORE counts an abbreviation after ``(?:b\.?s|b\.?a|m\.?s|bachelor'?s?|master'?s?)\s*(?:/|or|,)\s*``:
    an abbreviation after such a separator is a start too. The "bs" there needs no word boundary (the 15-character
    window _ABBR_BEFORE looks at may start right at it), so every "bs", "ba", "ms" key counts."""
    starts: list[int] = []
    gate_at: list[int] = []
    degree_word = equivalent_word = False
    for stop, (kind, size) in _automaton().iter(low):
        at = stop - size + 1
        if kind in (_DEGREE_WORD, _BEFORE_WORD):
            degree_word = True
            starts.append(at)
            if kind == _BEFORE_WORD:
                end = stop + 1
                if size > 3:  # bachelor'?s?, master'?s?
                    end += low.startswith("'", end)
                    end += low.startswith("s", end)
                if (after := _after_separator(low, end)) >= 0 and _is_abbreviation(text, low, after):
                    starts.append(after)
        elif kind == _DEGREE:
            degree_word = True
            starts.append(at)
            starts.extend(_words_before(text, at))
        elif kind == _EQUIVALENT_WORD:
            equivalent_word = True
        else:
            if (
                low[at : at + 2] in ("bs", "ba", "ms")
                and (after := _after_separator(low, at + 2)) >= 0
                and _is_abbreviation(text, low, after)
            ):
                starts.append(after)
                gate_at.append(at)
            if kind == _ABBR and _is_abbreviation(text, low, at):
                starts.append(at)
                gate_at.append(at)
    return starts, gate_at, degree_word, equivalent_word


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields among the matches that start at one of ``starts``: the first match
    at or after a position is the first found at a start, when ``starts`` holds every position where a match can
    start."""
    pos = 0
    for start in sorted(set(starts)):
        if start >= pos and (m := pattern.match(text, start)):
            yield m
            pos = m.end()


def _equivalent_anywhere(text: str, low: str | None) -> bool:
    """``_EQUIVALENT_ANYWHERE.search(text)``, tried only where a branch can start: at "equivalent", "degree",
    "education", or at the "in" of "in lieu" (on folded text of the same length)."""
    if low is None:
        return bool(_EQUIVALENT_ANYWHERE.search(text))
    for word in ("equivalent", "degree", "education"):
        i = low.find(word)
        while i >= 0:
            if _EQUIVALENT_ANYWHERE.match(text, i):
                return True
            i = low.find(word, i + 1)
    i = low.find("lieu")
    while i >= 0:
        end = i
        while end and low[end - 1].isspace():
            end -= 1
        if 2 <= end < i and _EQUIVALENT_ANYWHERE.match(text, end - 2):
            return True
        i = low.find("lieu", i + 1)
    return False


def _line_bounds(text: str, start: int, end: int, reach: int) -> tuple[int, int]:
    """The bounds of the line around ``text[start:end]``, clipped to ``reach`` characters before and after it:
    the line breaks are looked for only there (a long text without line breaks made each look scan the text:
    quadratic time)."""
    line_start = max(text.rfind("\n", max(0, start - reach), start) + 1, start - reach)
    line_end = text.find("\n", end, end + reach)
    return line_start, (min(len(text), end + reach) if line_end < 0 else line_end)


def _clause(text: str, start: int, end: int) -> str:
    """The sentence-ish span around a match, bounded by the line and a short window."""
    lo, hi = _line_bounds(text, start, end, _WINDOW)
    before = text[lo:start]
    cut = max(before.rfind(". "), before.rfind("; "))
    if cut >= 0:
        lo += cut + 2
    after = text[end:hi]
    stop = re.search(r"\.\s|;", after)
    if stop:
        hi = end + stop.start()
    return text[lo:hi]


# "others from Amazon, Microsoft, and Google, leading PhD programs like Stanford" (boilerplate of 10 corpus
# postings) describes where the team comes from, like "PhDs on our team": not a requirement. "Enrolled in a PhD
# program" (singular) is a student's level and still counts.
_PROGRAMS_AFTER = re.compile(r"\.?\s+programs\b", re.IGNORECASE)


def _level_of(m: re.Match[str], text: str) -> str | None:
    kind = m.lastgroup
    if kind == "phd" and _PROGRAMS_AFTER.match(text, m.end(), m.end() + 12):
        return None
    if kind == "abbr":
        after = text[m.end() : m.end() + 30]
        before = text[max(0, m.start() - 15) : m.start()]
        if not (_ABBR_AFTER.match(after) or _ABBR_BEFORE.search(before)):
            return None
        if m.group(0).isupper() is False and m.group(0).lower() in ("be", "me", "ma"):
            return None  # lower-case "be"/"me"/"ma" are words, not degrees
        # "ſ" (long s) matches "s" under IGNORECASE: "Bſ" is "BS" (it raised KeyError before)
        return _ABBR_LEVEL[m.group(0).lower().replace("\u017f", "s")]
    if kind == "master" and _MASTER_TRAP_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
        return None
    if kind == "generic":
        if _LEVEL_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
            return None  # "Master's degree in ...": the level word before it already counted
        return "bachelor"
    return kind


# _HEADING_END's keywords ("haves?" written out), reversed: see _headings
_HEADING_END_WORDS = (
    "haves", "have", "bonus", "points", "preferred", "qualifications", "skills", "experience", "pluses", "great",
    "credit", "desired", "stand", "requirements", "need", "bring", "are", "you", "for",
)  # fmt: skip
_HEADING_END_REVERSED = re.compile(r"\n[ \t]*:?\s*(?:" + "|".join(w[::-1] for w in _HEADING_END_WORDS) + ")")


# _HEADING's case-sensitive twin for folded text (same spans): its lazy prefix tries the phrase alternation at up
# to 61 offsets of a line, and only a case-sensitive alternation skips a branch on its first letter (~4x faster).
_HEADING_LOW = case_free(_HEADING)
# A heading phrase has at most 23 non-blank characters ("preferred qualifications"), after at most 60 characters
# of _HEADING's lazy prefix: a line with more non-blank characters before its last word cannot be a heading.
_HEADING_MAX_SOLID = 60 + 23


def _headings(text: str) -> list[tuple[int, str]]:
    """(start, ``h`` group) of what ``_HEADING.finditer(text)`` finds, with ``_HEADING`` tried only at the start
    of the lines that ``_HEADING_END`` finds (every heading line is one of them).

    ``_HEADING_END`` (a keyword, then blanks, an optional ":" and spaces up to a line end) starts exactly at the
    keywords that end a line's content: each line holds at most one (no keyword ends another), and a match holds
    no other keyword. So it is searched backwards, led by the line break: over the reversed text, a line break,
    spaces, an optional ":", blanks, a reversed keyword. ``re`` skips to a literal lead in C; _HEADING_END, led by
    an alternation, it tried at every position (~60 us per 5 KB posting)."""
    low = folded_same_length(text)
    if low is None:
        return [(m.start(), m.group("h")) for m in _HEADING.finditer(text)]
    n = len(low)
    # (low + "\n") reversed: reversed index i is index n - i; the added line break is _HEADING_END's "$" at the end
    reversed_low = (low + "\n")[::-1]
    out = []
    tried = -1
    next_free = 0
    for g in reversed(list(_HEADING_END_REVERSED.finditer(reversed_low))):
        keyword = n - g.end() + 1
        line_start = low.rfind("\n", 0, keyword) + 1
        if line_start == tried or line_start < next_free:
            continue
        tried = line_start
        # the heading phrase (or its part on this line) ends where the keyword does
        if sum(map(len, low[line_start:keyword].lstrip(" \t#*").split())) > _HEADING_MAX_SOLID:
            continue
        m = _HEADING_LOW.match(low, line_start)
        if m:
            out.append((m.start(), text[m.start("h") : m.end("h")]))
            next_free = m.end()
    return out


def parse_education(text: str) -> tuple[str | None, bool]:
    """``(lowest required degree level, education_equivalent)``; see the module docstring."""
    if not text:
        return None, False
    hits = scan.hits(text)
    if _DEGREE_WORD_SCAN not in hits and _ABBR_SCAN not in hits:
        return None, False
    low = folded_same_length(text)
    if low is None:
        low = folded(text)
        if not _DEGREE_GATE.search(low) and not _ABBR_GATE.search(text):
            return None, _has_equivalent_word(low) and _equivalent_anywhere(text, None)
        return _judge(text, _CANDIDATE.finditer(text), None)
    starts, gate_at, degree_word, equivalent_word = _scan(text, low)
    # With no degree word, a bare abbreviation is judged only when _ABBR_GATE finds one (as it always was): at a
    # found abbreviation, or else (a long s, a "BS/" glued to a word) over the whole text.
    if not starts or not (
        degree_word or any(_ABBR_GATE.match(text, at) for at in gate_at) or _ABBR_GATE.search(text)
    ):
        # No degree candidate can be judged a level here: only the "equivalent" clause can still say something.
        return None, equivalent_word and _equivalent_anywhere(text, low)
    required, equivalent = _judge(text, _matches_at(_CANDIDATE, text, starts), low)
    if not equivalent and equivalent_word:
        equivalent = _equivalent_anywhere(text, low)
    return required, equivalent


def _has_equivalent_word(low: str) -> bool:
    return "equivalent" in low or "lieu" in low or "comparable" in low  # every _EQUIVALENT_ANYWHERE branch holds one


def _judge(text: str, candidates: Iterator[re.Match[str]], low: str | None) -> tuple[str | None, bool]:
    """The lowest required level among ``candidates`` (``_CANDIDATE`` matches, in order), and whether an
    "or equivalent experience" follows one of them; with ``low`` None (the slow path) the whole-text equivalent
    clause is looked at here too."""
    headings: list[tuple[int, bool]] | None = None  # found when first needed
    heading_pos: list[int] = []
    required: str | None = None
    equivalent = False
    near = _NEAR_SCAN in scan.hits(text)  # no match in the text: none in a window of it
    for m in candidates:
        level = _level_of(m, text)
        if level is None:
            continue
        if required == _LOWEST:
            # Nothing ranks lower: only an "or equivalent" after a later candidate can still change the answer, so
            # the clause, preference and heading look-ups are skipped (a text dense with "BS/MS" took seconds).
            if equivalent:
                break
            if near:
                _, line_end = _line_bounds(text, m.start(), m.end(), 200)
                equivalent = bool(_EQUIVALENT_NEAR.search(text[m.end() : line_end]))
            continue
        clause = _clause(text, m.start(), m.end())
        if near and not equivalent:
            _, line_end = _line_bounds(text, m.start(), m.end(), 200)
            equivalent = bool(_EQUIVALENT_NEAR.search(text[m.end() : line_end]))
        if _PREFERRED.search(clause):
            continue
        if headings is None:
            headings = [
                (start, bool(_PREFERRED_HEADING.search(h)))
                for start, h in _headings(text)
                if not re.search(r"degree|years|bachelor|master|ph\.?d", h, re.IGNORECASE)
            ]
            heading_pos = [pos for pos, _ in headings]
        i = bisect.bisect_right(heading_pos, m.start()) - 1
        if i >= 0 and headings[i][1]:
            continue
        if required is None or _RANK[level] < _RANK[required]:
            required = level
    if low is None and not equivalent and _has_equivalent_word(folded(text)):
        equivalent = _equivalent_anywhere(text, None)
    return required, equivalent
