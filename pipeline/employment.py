"""Employment type: ``infer_employment_type(hint, title, text) -> (value, provenance)``.

The rules, with the examples they come from: docs/employment-rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache

import ahocorasick

from pipeline import scan
from pipeline.text import case_free, finditer_gated, folded_same_length

_SPECIFICITY = {"internship": 4, "contract": 3, "temporary": 2, "part_time": 1, "full_time": 0}

_HINT_TABLE = {
    "fulltime": "full_time", "full_time": "full_time", "full-time": "full_time", "full time": "full_time",
    "permanent": "full_time", "regular": "full_time", "full-time permanent": "full_time",
    "festanstellung": "full_time",
    "vollzeit": "full_time", "cdi": "full_time", "regular full time": "full_time", "regular employee": "full_time",
    "parttime": "part_time", "part_time": "part_time", "part-time": "part_time", "part time": "part_time",
    "side": "part_time", "side job": "part_time", "working student": "part_time", "werkstudent": "part_time",
    "mini-job": "part_time", "minijob": "part_time", "teilzeit": "part_time",
    "contract": "contract", "contractor": "contract", "contracts": "contract", "freelance": "contract",
    "freelancer": "contract", "freelancing": "contract", "consultant": "contract", "c2c": "contract",
    "1099": "contract", "b2b": "contract", "contract to hire": "contract", "contract-to-hire": "contract",
    "intern": "internship", "internship": "internship", "apprenticeship": "internship", "apprentice": "internship",
    "trainee": "internship", "co-op": "internship", "coop": "internship", "praktikum": "internship",
    "ausbildung": "internship", "stage": "internship",
    "temporary": "temporary", "temp": "temporary", "fixed term": "temporary", "fixed-term": "temporary",
    "fixed_term": "temporary", "fixedterm": "temporary", "seasonal": "temporary", "befristet": "temporary",
    "cdd": "temporary",
}  # fmt: skip

_TITLE = re.compile(
    r"""
    (?P<internship>\b(?:intern|internship|praktikum|praktikant(?:in)?|co-?op|apprentice(?:ship)?|ausbildung|azubi
        |auszubildender?)\b)
  | (?P<contract>\b(?:(?<!smart\s)contract(?!s)(?!\s+(?:manager|management|specialist|administrator
        |administration|analyst|negotiator|lawyer|counsel|attorney|law|review|coordinator|associate|officer|paralegal|lead))
        |contractor|freelance|freelancer|1099)\b)
  | (?P<temporary>\b(?:temporary|temp|fixed[\s-]term|seasonal|befristet)\b)
  | (?P<part_time>\b(?:part[\s-]?time|teilzeit|werkstudent(?:in)?|working\s+student|minijob)\b)
  | (?P<full_time>\b(?:full[\s-]?time|vollzeit)\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_LABEL = re.compile(
    r"(?:^|\n|\|)[ \t*•-]*(?:employee\s+)?(?:job\s+types?|employment\s+types?|type\s+of\s+employment"
    r"|contract\s+type|position\s+type|employment|commitment|engagement(?:\s+type)?|work\s+type|job\s+category"
    r"|schedule)\s*:[ \t]*\n?[ \t*•-]*"
    r"(?P<value>[^\n|]{1,80})",
    re.IGNORECASE,
)
_LABEL_VALUE = re.compile(
    r"(?P<internship>\binternship\b|\bintern\b)"
    r"|(?P<contract>\bcontract(?:or)?\b|\bfreelance\b|\bc2c\b|\b1099\b|\bb2b\b)"
    r"|(?P<temporary>\btemporary\b|\btemp\b|\bfixed[\s-]term\b|\bseasonal\b)"
    r"|(?P<part_time>\bpart[\s-]?time\b)"
    r"|(?P<full_time>\bfull[\s-]?time\b|\bpermanent\b|\bregular\b)",
    re.IGNORECASE,
)
_TEXT = re.compile(
    r"""
    (?P<contract>\bcontract[\s-]to[\s-]hire\b|\btemp[\s-]to[\s-]perm\b|\bon\s+a\s+(?:contract|contractor|freelance
        |consulting)\s+basis\b|\bas\s+an?\s+(?:independent\s+|freelance\s+)?contractor\b|\b1099\s+(?:contractor|contract
        |position|role)\b|\bcorp[\s-]to[\s-]corp\b
      | (?<![/-])\bc2c\b(?!\s*(?:/|-|marketplace|market|platform|commerce|e-?commerce|business))
      | \b(?:\d{1,2}|one|two|three|four|five|six|nine|twelve|eighteen)[\s-]+(?:month|week|year)s?[\s-]+(?:contract
        |freelance\s+(?:contract|engagement|project))\b(?!\s+(?:to|with\s+(?:the\s+)?possibility)\s)
      | \b(?:this\s+is\s+an?|is\s+an?|a|an)\s+
        (?:remote\s+|paid\s+|short-term\s+|long-term\s+|full-time\s+|part-time\s+)?(?:contract|contractor|freelance)\s+(?:role|position|opportunity|engagement|assignment|job|gig)\b)
  | (?P<temporary>\bfixed[\s-]term\s+(?:contract|role|position|employment)\b|\b(?:this\s+is\s+an?|a|an)\s+
        temporary\s+(?:role|position|assignment|job|contract)\b|\b(?:\d{1,2}|six|three|twelve)[\s-]+month\s+
        (?:fixed[\s-]term|temporary|maternity\s+cover|parental\s+leave\s+cover)\b)
  | (?P<internship>\b(?:this\s+is\s+an?|an?)\s+
        (?:paid\s+|unpaid\s+|summer\s+|remote\s+|\d{1,2}[\s-](?:week|month)\s+)*internship\b(?!\s+(?:program\s+)?(?:alumni|experience))|\binternship\s+(?:program|position|role|opportunity)\b)
  | (?P<part_time>\b(?:this\s+is\s+an?|an?)\s+part[\s-]time\s+(?:role|position|job|opportunity|contract|employment)\b
      | \bpart[\s-]time\s*\(\s*\d{1,2}\s*(?:\+|-|–)?\s*\d{0,2}\s*(?:hours|hrs|h)\b)
  | (?P<full_time>\b(?:this\s+is\s+an?|an?|the)\s+full[\s-]time\s+(?:,\s*)?(?:permanent\s+|remote\s+|salaried\s+)?
        (?:role|position|job|opportunity|employment|permanent\s+role)\b|\bfull[\s-]time,?\s+permanent\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def _hint_values(parts: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for part in parts:
        out.extend(p.strip() for p in re.split(r"[,/;|]| and ", part) if p.strip())
    return out


def employment_from_hint(hint: str | Iterable[str] | None) -> str | None:
    """Map a source's structured employment value (string or list of strings) to an EMPLOYMENT_TYPES value."""
    if hint is None:
        return None
    return _employment_from_parts((hint,) if isinstance(hint, str) else tuple(h for h in hint if isinstance(h, str)))


# A source sends a handful of distinct values ("Full-time", "FULL_TIME", ...) on every posting: the mapping is cached.
@lru_cache(maxsize=1024)
def _employment_from_parts(parts: tuple[str, ...]) -> str | None:
    found: list[str] = []
    for raw in _hint_values(parts):
        key = re.sub(r"\s+", " ", raw.lower().replace("_", " ").strip(" .")).strip()
        value = (
            _HINT_TABLE.get(key) or _HINT_TABLE.get(key.replace(" ", "")) or _HINT_TABLE.get(key.replace(" ", "-"))
        )
        if value is None:
            m = _LABEL_VALUE.search(key)
            value = m.lastgroup if m else None
        if value is not None:
            found.append(value)
    return _pick(found) if found else None


def _pick(values: list[str]) -> str:
    """The first listed value, except that full_time yields to a more specific co-listed one ("Full-time,
    Contract" is a full-time contract engagement)."""
    if values[0] == "full_time":
        return max(values, key=_SPECIFICITY.__getitem__)
    return values[0]


@lru_cache(maxsize=4096)  # titles repeat across a board and between crawls
def employment_from_title(title: str) -> str | None:
    if not title:
        return None
    title = title[:500]
    # Speed: _TITLE's case-sensitive twin on the lowered title, tried only where a word starts (every branch starts
    # with a word character after ``\b``), when lower() keeps the title's length and no İ ı ſ is in it.
    low = title.lower()
    if len(low) == len(title) and (title.isascii() or not _CASE_SPECIAL.search(title)):
        matches = finditer_gated(_TITLE_LOW, low, _WORD_START, low)
    else:
        matches = _TITLE.finditer(title)
    found = {m.lastgroup for m in matches if m.lastgroup}
    return max(found, key=_SPECIFICITY.__getitem__) if found else None


_TITLE_LOW = case_free(_TITLE)
_WORD_START = re.compile(r"\W(?=\w)")
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f]")


_LABEL_LOW = case_free(_LABEL)
_LABEL_VALUE_LOW = case_free(_LABEL_VALUE)
_TEXT_LOW = case_free(_TEXT)


# Where a _TEXT match can start, on folded text (speed only; see ``text.finditer_gated``).
_TEXT_START = re.compile(
    r"\W(?=contract|temp|on\s|as\s|1099|corp|c2c|\d|one|two|three|four|five|six|nine|twelve|eighteen|this|is\s"
    r"|an?\s|fixed|internship|part|full|the\s)"
)


# --- speed: anchored scans --------------------------------------------------------------------------------------
# _LABEL is tried by ``re`` at every position (its first branch is "^") and _TEXT's gate stops at every "a", "the",
# "is" and digit: together ~170 us per posting that reaches the text. Instead, on ``_ascii_folded(text)``:
#
# * a label ends with one of a few words right before its colon ("Job Type:"), so only colons so preceded are
#   looked at, and _LABEL is tried only at the line starts ("\n", "|", the start) of the stretch before such a
#   colon that a label can span (its words, spaces, bullets);
# * every _TEXT branch holds one of a few anchor words (below), found in one Aho-Corasick pass; _TEXT is tried
#   only where its gate says a match can start, in the stretch before each anchor (``finditer_anchored``).


@lru_cache(maxsize=32)
def _ascii_folded(text: str) -> str | None:
    """``text`` lower-cased with each non-ASCII character replaced by "?" (same length, same offsets), or None when
    ``text`` holds one of İ ı ſ K. Otherwise an IGNORECASE pattern whose literals are ASCII can match ``text`` only
    where each of its literals, lower case, occurs here at the same offset: a stand-in to search for anchors.
    ~4 us per 5 KB posting against ~9 us for ``text.lower()``, and searches in it (one byte per character) run
    about twice as fast."""
    if not text.isascii() and ("\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text):
        return None
    return text.encode("ascii", "replace").lower().decode("ascii")


def finditer_anchored(
    pattern: re.Pattern[str],
    text: str,
    scan: str,
    anchors: Iterable[int],
    body: re.Pattern[str],
    starts: re.Pattern[str],
    reach: int,
) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, with ``pattern`` tried only in the stretch before each anchor.

    ``re`` tries a pattern led by a word boundary or a class at every position of the text; this tries it only near
    literals that every match holds (found by a fast scan), so the cost follows the anchors, not the text (a generic
    helper; ``pipeline.text`` would be its natural home).

    * ``scan``: ``text`` itself or a stand-in of the same length that ``body`` and ``starts`` read (e.g. lower-case
      ASCII);
    * ``anchors``: the start offsets, increasing, of every occurrence of a set of literals (no one inside another)
      such that every match of ``pattern`` holds one;
    * ``body``: a repeated character class matching every character that a match can hold before its first anchor
      (matched on the stretch reversed);
    * ``starts``: run on ``scan``, finds as the end of one of its matches every position where ``pattern`` can
      start (as for ``text.finditer_gated``), reading at most ``reach`` characters from there.

    A match that starts at or before an anchor holds that whole anchor, so the stretch searched before an anchor
    never reaches back past the previous anchor: the total work stays linear in the text."""
    pos = 0  # end of the last match
    floor = 0  # no match starts at or before the previous anchor without holding it
    end = len(scan)
    for at in anchors:
        start = at
        while start > floor:  # back over the characters a match can hold, a bounded step at a time
            lo = max(floor, start - _STEP)
            start -= body.match(scan[lo:start][::-1]).end()
            if start > lo:
                break
        floor = at + 1
        if start == 0 and pos == 0:
            m = pattern.match(text)
            if m:
                yield m
                pos = m.end()
        for s in starts.finditer(scan, max(start - 1, 0), min(end, at + reach + 1)):
            at_start = s.end()
            if at_start > at:
                break
            if at_start >= pos:
                m = pattern.match(text, at_start)
                if m:
                    yield m
                    pos = m.end()


_STEP = 64


_STEP = 64


_LABEL_ENDS = ("type", "types", "employment", "commitment", "engagement", "category", "schedule")
# What a label can hold before its colon, on ``_ascii_folded`` text ("?" for "•" and non-ASCII spaces).
_LABEL_BODY = re.compile(
    "[" + "".join(sorted(set("employee job types employment type of contract position commitment engagement work"
                              " category schedule".replace(" ", "")))) + r"\s*?\-]*"
)  # fmt: skip
_SPACES = frozenset(" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f?")  # ``\s`` on ``_ascii_folded`` text ("?": maybe)
# Each _TEXT branch holds one of these (no one inside another): "contract"(-to-hire, -or, 6-month ...), "temp"
# (-to-perm, -orary), "basis" (on a consulting basis), "month" (6-month maternity cover), "time" (full-/part-).
_TEXT_ANCHORS = (
    "contract", "freelance", "temp", "basis", "1099", "corp", "c2c", "fixed", "month", "internship", "time",
)  # fmt: skip
_TEXT_ANCHOR_AC = ahocorasick.Automaton()
for _word in _TEXT_ANCHORS:
    _TEXT_ANCHOR_AC.add_word(_word, len(_word))
_TEXT_ANCHOR_AC.make_automaton()
# What a _TEXT match holds before its first anchor (words, digits, spaces, "-"), and its gate, on ``_ascii_folded``
# text ("?" may be any non-ASCII digit or space).
_TEXT_BODY = re.compile(r"[a-z0-9\s?\-]*")
_TEXT_START_ASCII = re.compile(_TEXT_START.pattern.replace(r"\s", r"[\s?]").replace(r"|\d|", r"|[\d?]|"))
_TEXT_START_REACH = len("internship")  # the longest word its lookahead reads


def _label_matches(text: str, scan: str):
    """What ``_LABEL.finditer(text)`` yields (see above)."""
    pos = 0  # end of the last match
    floor = 0  # a label never spans a colon
    for colon in re.finditer(":", scan):
        c = colon.start()
        k = c
        while k > floor and scan[k - 1] in _SPACES:
            k -= 1
        prev_floor, floor = floor, c + 1
        if not scan.endswith(_LABEL_ENDS, prev_floor, k):
            continue
        start = k
        while start > prev_floor:  # back over what a label can hold, a bounded step at a time
            lo = max(prev_floor, start - 64)
            start -= _LABEL_BODY.match(scan[lo:start][::-1]).end()
            if start > lo:
                break
        # where a label can start: a line break in the stretch, a "|" just before it, the start of the text
        candidates = [start - 1] if start > 0 and scan[start - 1] == "|" else [0] if start == 0 else []
        i = scan.find("\n", start, c)
        while i >= 0:
            if i:
                candidates.append(i)
            i = scan.find("\n", i + 1, c)
        for p in candidates:
            if p >= pos:
                m = _LABEL.match(text, p)
                if m:
                    yield m
                    pos = m.end()
                    break


def _text_matches(text: str, scan: str):
    """What ``_TEXT.finditer(text)`` yields (see above)."""
    anchors = sorted(end - size + 1 for end, size in _TEXT_ANCHOR_AC.iter(scan))
    return finditer_anchored(_TEXT, text, scan, anchors, _TEXT_BODY, _TEXT_START_ASCII, _TEXT_START_REACH)


# employment_from_text's gates in the one compiled scan (pipeline.scan): a label ("Job type: Contract") or a
# phrase of _TEXT must match for the text to say anything, and 934 of the 980 corpus descriptions hold neither.
# _TEXT in one line (it holds no blank of its own: its classes write them \s), since the gate is made from the
# pattern's source. RE2 equates ſ with s and K with k as IGNORECASE does, not ı and İ with i: texts holding those
# skip the gates.
_TEXT_SCAN = scan.gate("employment.text", re.compile(re.sub(r"\s+", "", _TEXT.pattern), re.IGNORECASE))
_LABEL_SCAN = scan.gate("employment.label", _LABEL)


def employment_from_text(text: str) -> str | None:
    if not text:
        return None
    if text.isascii() or ("\u0130" not in text and "\u0131" not in text):
        gates = scan.hits(text)
        if _TEXT_SCAN not in gates and _LABEL_SCAN not in gates:
            return None
    scan_text = _ascii_folded(text)
    if scan_text is not None:
        labels, label_value, hits = _label_matches(text, scan_text), _LABEL_VALUE, _text_matches(text, scan_text)
    else:
        # Speed: the case-sensitive twins over the folded text when it aligns (same matches, several times faster).
        low = folded_same_length(text)
        label, label_value, free = (_LABEL_LOW, _LABEL_VALUE_LOW, _TEXT_LOW) if low else (_LABEL, _LABEL_VALUE, _TEXT)
        labels = label.finditer(low or text)
        hits = finditer_gated(free, low, _TEXT_START, low) if low else free.finditer(text)
    for m in labels:
        values = [v.lastgroup for v in label_value.finditer(m.group("value")) if v.lastgroup]
        if values:
            return _pick(values)
    found = {m.lastgroup for m in hits if m.lastgroup}
    return max(found, key=_SPECIFICITY.__getitem__) if found else None


def infer_employment_type(
    hint: str | Iterable[str] | None, title: str = "", text: str = ""
) -> tuple[str | None, str | None]:
    """``(employment_type, provenance)``: the structured hint first, then the title, then the description."""
    value = employment_from_hint(hint)
    if value is not None:
        return value, "structured"
    value = employment_from_title(title or "")
    if value is not None:
        return value, "title"
    value = employment_from_text(text or "")
    if value is not None:
        return value, "text"
    return None, None
