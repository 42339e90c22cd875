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
"360-degree feedback", "bachelor party", "PhDs on our team" (a plural describes people, not a requirement).

``education_equivalent`` is True when the posting accepts experience instead of the degree: "or equivalent
(practical/work/technical) experience" after a degree mention in the same line, "degree or equivalent", "BA or
equivalent experience", "equivalent combination of education and experience", "in lieu of a degree". "or
equivalent (experience)" elsewhere does not count: "AWS or equivalent cloud", "salary in USD or local
equivalent", "5+ years (or equivalent experience) in data science" are not about a degree.

Cost: one compiled regex finds degree candidates; each is judged in a short window; headings are found with one
more pass (linear in the input).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from pipeline.text import finditer_gated, folded, folded_same_length

_RANK = {"bachelor": 0, "master": 1, "phd": 2}

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
_WINDOW = 90

# Gates (speed only, no meaning): one of these occurs wherever _CANDIDATE can yield a level. They are led by
# literals, which ``re`` skips to quickly, unlike _CANDIDATE's word-boundary-led alternation. On folded text:
# every spelled-out, dotted or joined form, and the generic forms (which all contain "degree").
_DEGREE_GATE = re.compile(
    r"bachelor|master|doctor|degree|d\.phil|ph\.?\s?d|m\.[saet]|b\.[saet]|msc|meng|mtech|mba|bsc|beng|btech"
)
# A bare abbreviation counts only next to a degree phrase (_ABBR_AFTER / _ABBR_BEFORE): then it, or the
# abbreviation before it, is followed by one of these. "BE", "ME", "MA" count only in capitals.
_ABBR_GATE = re.compile(r"(?:[Bb][SsAa]|[Mm][Ss]|BE|ME|MA)(?<!\w..)\s*(?:(?i:in|or)\b|/|,|\()")


# Where a _CANDIDATE match can start (speed only): after a non-word character, one of the literal starts of its
# branches, on folded text (same offsets). Only the non-word character is consumed, so no start is skipped; the
# pattern is led by a character class, which ``re`` scans for in C, unlike _CANDIDATE's word-boundary-led
# alternation, which it tries at every position.
_CANDIDATE_START = re.compile(
    r"\W(?=ph|doctor|d\.phil|master|m\.|msc|meng|mtech|mba|bachelor|b\.|bsc|beng|btech|undergraduate|college"
    r"|university|four|4|(?:b[sae]|m[sae])\b|degree|" + _FIELD + r"\s+degree)"
)


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """What ``_CANDIDATE.finditer(text)`` yields, trying the pattern only where a match can start."""
    low = folded_same_length(text)
    if low is None:
        return _CANDIDATE.finditer(text)
    return finditer_gated(_CANDIDATE, text, _CANDIDATE_START, low)


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, (len(text) if line_end < 0 else line_end)


def _clause(text: str, start: int, end: int) -> str:
    """The sentence-ish span around a match, bounded by the line and a short window."""
    line_start, line_end = _line_bounds(text, start, end)
    lo = max(line_start, start - _WINDOW)
    hi = min(line_end, end + _WINDOW)
    before = text[lo:start]
    cut = max(before.rfind(". "), before.rfind("; "))
    if cut >= 0:
        lo += cut + 2
    after = text[end:hi]
    stop = re.search(r"\.\s|;", after)
    if stop:
        hi = end + stop.start()
    return text[lo:hi]


def _level_of(m: re.Match[str], text: str) -> str | None:
    kind = m.lastgroup
    if kind == "abbr":
        after = text[m.end() : m.end() + 30]
        before = text[max(0, m.start() - 15) : m.start()]
        if not (_ABBR_AFTER.match(after) or _ABBR_BEFORE.search(before)):
            return None
        if m.group(0).isupper() is False and m.group(0).lower() in ("be", "me", "ma"):
            return None  # lower-case "be"/"me"/"ma" are words, not degrees
        return _ABBR_LEVEL[m.group(0).lower()]
    if kind == "master" and _MASTER_TRAP_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
        return None
    if kind == "generic":
        if _LEVEL_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
            return None  # "Master's degree in ...": the level word before it already counted
        return "bachelor"
    return kind


def _headings(text: str) -> list[re.Match[str]]:
    """What ``_HEADING.finditer(text)`` yields, with ``_HEADING`` tried only at the start of the lines that
    ``_HEADING_END`` finds (every heading line is one of them)."""
    low = folded_same_length(text)
    if low is None:
        return list(_HEADING.finditer(text))
    out = []
    tried = -1
    next_free = 0
    for g in _HEADING_END.finditer(low):
        line_start = low.rfind("\n", 0, g.start()) + 1
        if line_start == tried or line_start < next_free:
            continue
        tried = line_start
        m = _HEADING.match(text, line_start)
        if m:
            out.append(m)
            next_free = m.end()
    return out


def parse_education(text: str) -> tuple[str | None, bool]:
    """``(lowest required degree level, education_equivalent)``; see the module docstring."""
    if not text:
        return None, False
    low = folded(text)
    if not _DEGREE_GATE.search(low) and not _ABBR_GATE.search(text):
        # No degree candidate can be judged a level here: only the "equivalent" clause can still say something.
        return None, ("equivalent" in low or "lieu" in low or "comparable" in low) and bool(
            _EQUIVALENT_ANYWHERE.search(text)
        )
    headings: list[tuple[int, bool]] | None = None  # found when first needed
    heading_pos: list[int] = []
    required: str | None = None
    equivalent = False
    for m in _candidates(text):
        level = _level_of(m, text)
        if level is None:
            continue
        clause = _clause(text, m.start(), m.end())
        _, line_end = _line_bounds(text, m.start(), m.end())
        if not equivalent and _EQUIVALENT_NEAR.search(text[m.end() : min(line_end, m.end() + 200)]):
            equivalent = True
        if _PREFERRED.search(clause):
            continue
        if headings is None:
            headings = [
                (h.start(), bool(_PREFERRED_HEADING.search(h.group("h"))))
                for h in _headings(text)
                if not re.search(r"degree|years|bachelor|master|ph\.?d", h.group("h"), re.IGNORECASE)
            ]
            heading_pos = [pos for pos, _ in headings]
        i = bisect.bisect_right(heading_pos, m.start()) - 1
        if i >= 0 and headings[i][1]:
            continue
        if required is None or _RANK[level] < _RANK[required]:
            required = level
    # every branch of _EQUIVALENT_ANYWHERE holds one of these words
    if not equivalent and ("equivalent" in low or "lieu" in low or "comparable" in low):
        equivalent = bool(_EQUIVALENT_ANYWHERE.search(text))
    return required, equivalent
