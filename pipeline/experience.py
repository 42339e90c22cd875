"""Years of experience a posting asks for: ``parse_experience(text) -> (years_min, years_max)``.

Months, other languages and years the employer has: docs/experience-rules.md. The English year rules:

Recognised forms: "5+ years", "5 + yrs", "3-5 years", "3 to 5 years", "8–10+ years", "five (5) years", "at least
7 years", "minimum of 4 years", "4 years minimum", "over 10 years", "more than 5 years", "10 plus years", "5 or more
years", "1 year of experience". A number counts only when the words around it make it a requirement:

* a requirement marker ("+", "plus", a range, "at least", "minimum", "over", "more than", "or more"), or
* an experience cue after it in the same clause: "of experience", "experience", "of professional ...",
  "in backend development", "as a Software Engineer", "building ...", "working ...", "with Kubernetes", ...

and never when the context says it is something else: company age and history ("founded 10 years ago", "for
over 20 years we have...", "in just two years, we achieved..."), anniversaries and leave ("work anniversaries
(3, 5, 8, 10 years)", "paid month off after 4 years"), education ("4 years of college", "a 4-year degree"),
durations ahead ("within 2 years you will", "in the next 3 years"), ages ("5 years old", "aged 18 years"),
vesting/cliffs/contracts ("four-year vesting", "one-year cliff": a hyphenated "N-year" is never a requirement),
people the company already has ("our senior developer who has 15 years of experience"). "Preferred" statements
("7+ years preferred", "ideally 8+ years", "nice to have") count only when nothing else does; a preferred word
inside a later parenthesis qualifies what precedes it, not the years ("5+ years in sales with a strong outbound
background (ideally DevOps tools)" is required).

Several requirements
--------------------

A posting often states several numbers: "5+ years of software engineering experience, 2+ years with
Kubernetes", "1+ years of engineering management experience; 5+ years of industry experience", "3+ years (5+
preferred)", "BS and 5 years, or MS and 3 years", per-level blocks ("Senior: 5+ years; Staff: 8+ years"). The
rule: among the non-preferred mentions, the one with the **largest lower bound** is the main requirement, since
the other numbers are narrower sub-requirements of it (a candidate with 5 years overall but 1 year of management
meets both lines; one with 1 year overall does not). Its lower bound is ``years_min``; ``years_max`` is set only
when that same mention is an explicit range ("3-5 years" -> (3, 5)); "5+ years" gives (5, None). Ties keep the
first. The price: a multi-level posting ("5+ for Senior, 8+ for Staff") reports its highest level's 8. Values
are limited to 0..50; "8–10+ years" gives (8, 10). With only preferred mentions, the first preferred one is used.

Cost: two literal-led scans find the units ("year"/"yr" in any case); the number-years pattern is tried only in
the stretch just before each, and each candidate is judged from a short window before and after (linear in the
input).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from pipeline import scan
from pipeline.text import case_free, folded

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}  # fmt: skip
_NUM = r"(?:\d{1,2}(?:\.\d)?|" + "|".join(_WORD_NUMBERS) + r")"
_PAREN_NUM = r"(?:\s*\(\s*" + _NUM + r"\s*\+?\s*\))?"

# Not after a word, a decimal point, a currency, "/" or a dash ("10-15" inside "2010-15 years", "X-5"), except a
# bullet dash glued to the number at a line start: "-5–8 years of full sales cycle ..." (real lists).
_CANDIDATE = re.compile(
    r"(?<![\w.$€£/])(?<![^\n]-)(?P<lo>" + _NUM + r")" + _PAREN_NUM
    + r"(?:\s*(?P<plus1>\+|plus\b))?"
    + r"(?:\s*(?:-|–|—|to|or)\s*(?P<hi>" + _NUM + r")" + _PAREN_NUM + r")?"
    + r"(?:\s*(?P<plus2>\+|plus\b))?"
    + r"(?P<ormore>\s+or\s+more)?"
    + r"(?P<sep>\s*|-)(?P<unit>years?|yrs?)\b(?P<apos>['’])?",
    re.IGNORECASE,
)  # fmt: skip

# Every _CANDIDATE match ends with a unit "yr"/"year" in any case (no other character is IGNORECASE-equal to these
# letters). Two scans led by a literal "y"/"Y" (``re`` skips to a literal in C; a case-insensitive scan is tried at
# every position and costs ~16 us per posting against ~5 us for these two).
_UNITS = (re.compile("y(?:[eE][aA][rR]|[rR])"), re.compile("Y(?:[eE][aA][rR]|[rR])"))
# What a _CANDIDATE match holds before its unit: digits, number words, "(", ")", "+", "plus", dashes, "to", "or",
# "more", whitespace (letters in both cases, and the ı İ ſ that IGNORECASE equates with i and s). No "a" (so never
# the "year" before it) and no "yr": the stretch before a unit where a match can start ends at the last character
# outside this set, or just after the previous unit. Matched on the stretch reversed.
_LETTERS = "".join(sorted(set("".join(_WORD_NUMBERS) + "plustoormore")))
_BODY_CHARS = re.compile("[" + _LETTERS + _LETTERS.upper() + r"\u0131\u0130\u017f\d()+.\-–—\s]*")
_STEP = 64
# A match ends by its unit ("years" at most), an apostrophe, and ``\b`` reads the character after the unit.
_UNIT_TAIL = len("years") + 2

_MARKER_BEFORE = re.compile(
    r"(?:at\s+least|minimum(?:\s+of)?|min\.?|over|more\s+than|greater\s+than|in\s+excess\s+of|>|≥|upwards\s+of)"
    r"[\s:,]*$",
    re.IGNORECASE,
)
_MARKER_AFTER = re.compile(r"^\W{0,3}(?:minimum|min\b|or\s+more|or\s+above|plus\b)", re.IGNORECASE)
_CUE_AFTER = re.compile(
    r"^[\s'’)\-,:]*(?:of\b|in\b|as\b|with\b|within\s+(?:a|an|the)\b|at\b|on\b|working|building|developing|designing"
    r"|writing|shipping|leading|managing|selling|running|programming|coding|delivering|doing|using|hands-on"
    r"|professional|industry|relevant|related|practical|prior|previous|full-time|post-|combined|total"
    r"|experience|exp\b|software|backend|back-end|frontend|front-end|full[\s-]?stack|engineering|development"
    r"|production|infrastructure|commercial|technical|work\b|job\b|in\s+a|\w+\s+experience)",
    re.IGNORECASE,
)
_EXPERIENCE_NEAR = re.compile(r"experience|expérience|erfahrung|exp\b", re.IGNORECASE)

_NEG_BEFORE = re.compile(
    r"(?<!\w)(?:founded|established|launched|started|created|around|operating|in\s+business|history|anniversar\w*"
    r"|after|every|within|next|first|last|past|coming|ago|since|age[ds]?|aged|vesting|cliff|warranty"
    r"|in\s+(?:just|only|under|less\s+than)|(?<!worked\s)(?<!working\s)(?<!experience\s)for\s+(?:over|more\s+than"
    r"|nearly|almost|about|the\s+(?:past|last))|we(?:'ve|\s+have)?\s+(?:spent|been)|combined|collectively"
    r"|\d\s*,\s*|up\s+to|per|each)\b[^.;\n]{0,12}$",
    re.IGNORECASE,
)
_NEG_AFTER = re.compile(
    r"^[\s'’)]*(?:ago|old\b|of\s+age\b|later|from\s+now|thereafter|after|anniversar|in\s+a\s+row"
    r"|of\s+(?:college|university|school|study|studies|education|undergraduate|post-?secondary|higher\s+education"
    r"|growth|history|operation|operating|existence|service\s+(?:to|with)|experience\s+(?:together|as\s+a\s+team)"
    r"|combined|collective|cumulative)|combined\b|collectively\b|between\s+(?:us|them)\b"
    r"|degree|college|university|program|course|contract|warranty|vesting|cliff|we\b|our\b|the\s+company)",
    re.IGNORECASE,
)
_PREFERRED = re.compile(
    r"\b(?:preferred|preferably|ideally|ideal|nice[\s-]to[\s-]have|bonus|a\s+plus|is\s+a\s+plus|desired|desirable"
    r"|advantageous|strongly\s+preferred)\b",
    re.IGNORECASE,
)
_WORK_AFTER = re.compile(
    r"^[\s'’]*(?:of\s+)?(?:professional|industry|hands-on|relevant|working|building|developing|programming|software"
    r"|engineering)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;!?\n]")
# Years that other people already have: "alongside our senior developer who has 15 years of experience", "the
# majority of our developers have more than 10 years of professional experience" (real postings; the requirement
# is stated elsewhere). Only people the company already has: "our ideal candidate has 5+ years" is a requirement.
_OTHERS_BEFORE = re.compile(
    r"\bour\s+(?:[\w-]+\s+){0,3}?(?:developers?|engineers?|team(?:\s+members)?|founders?|co-?founders?|ceo|cto"
    r"|leaders?|leadership|staff|employees|people|members|experts?|consultants?|designers?|scientists?"
    r"|researchers?)\s+(?:who\s+|all\s+|each\s+)?(?:has|have|bring|brings)\s+(?:a\s+combined\s+|over\s+"
    r"|more\s+than\s+|nearly\s+|almost\s+|about\s+|on\s+average\s+|an\s+average\s+of\s+)?$",
    re.IGNORECASE,
)
# A parenthesis opened after the number qualifies what it follows, not the years: "5+ years in software sales with
# a strong prospecting background (ideally Developer or CNCF technologies)" is a requirement (real posting; the
# "ideally" made it preferred and a narrower "3+ years" won). One right after the number still speaks of them, as
# does one holding nothing but the preferred word: "5+ years (preferred)", "5+ years of Go experience (preferred)".
# An unclosed one runs to the end of the clause window.
_LATER_PARENS = re.compile(
    r"(?<=\S)\s*\((?!\s*(?:strongly\s+)?(?:preferred|preferably|desired|desirable|a\s+plus|nice[\s-]to[\s-]have"
    r"|bonus|ideal)\s*\))[^)]*(?:\)|$)",
    re.IGNORECASE,
)


# Years the employer or its team already has: "a team with 15+ years in payments", "a company that brings over 20
# years" (real blurbs; "a team player with 5+ years" is a requirement).
_HOLDER_BEFORE = re.compile(
    r"\b(?:team(?!\s+player)|teams|company|companies|founders?|agency|firm|studio|business|organi[sz]ation)\s+"
    r"(?:\w+\s+){0,3}?(?:with|has|have|that\s+has|boasts?|brings?)\s+(?:over\s+|more\s+than\s+|nearly\s+|almost\s+"
    r"|about\s+|a\s+combined\s+)?$",
    re.IGNORECASE,
)


class _Judges(NamedTuple):
    neg_before: re.Pattern[str]
    neg_after: re.Pattern[str]
    marker_before: re.Pattern[str]
    marker_after: re.Pattern[str]
    cue_after: re.Pattern[str]
    experience_near: re.Pattern[str]
    preferred: re.Pattern[str]
    work_after: re.Pattern[str]
    others_before: re.Pattern[str]
    holder_before: re.Pattern[str]


_JUDGES = _Judges(
    _NEG_BEFORE,
    _NEG_AFTER,
    _MARKER_BEFORE,
    _MARKER_AFTER,
    _CUE_AFTER,
    _EXPERIENCE_NEAR,
    _PREFERRED,
    _WORK_AFTER,
    _OTHERS_BEFORE,
    _HOLDER_BEFORE,
)
# Speed: their case-sensitive twins, for the lowered windows (see ``_mentions``).
_JUDGES_LOW = _Judges(*(case_free(p) for p in _JUDGES))
# What IGNORECASE equates with an ASCII letter although lower() does not map it to one (İ also lengthens).
_CASE_SPECIAL_CHARS = "\u0130\u0131\u017f"
_CASE_SPECIAL = re.compile(f"[{_CASE_SPECIAL_CHARS}]")
_WINDOW = 70
_MAX_YEARS = 50.0


# The letters IGNORECASE reads as i, i and s in a number word ("fıve" matches "five"), folded before the lookup.
_CASE_SPECIAL_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _number(token: str) -> float:
    token = token.translate(_CASE_SPECIAL_FOLD).lower()
    return float(_WORD_NUMBERS[token]) if token in _WORD_NUMBERS else float(token)


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - _WINDOW) : start]
    cut = max(before.rfind("\n"), before.rfind(". "), before.rfind(";"), before.rfind("!"), before.rfind("?"))
    return before[cut + 1 :] if cut >= 0 else before


def _clause_after(text: str, end: int) -> str:
    after = text[end : end + _WINDOW]
    m = _SENTENCE_END.search(after)
    return after[: m.start()] if m else after


def _candidates(text: str) -> Iterator[re.Match[str]]:
    """What ``_CANDIDATE.finditer(text)`` yields, searching only the stretch just before each unit.

    A match holds exactly one unit, at its end (its body holds no "yr"/"year"), so it starts after the previous unit
    and inside the stretch of _BODY_CHARS before its own; it ends at most _UNIT_TAIL characters after its unit's
    start, so a search bounded there finds it unchanged. Each stretch is searched once: linear in the text."""
    units = [m.start() for m in _UNITS[0].finditer(text)]
    upper = [m.start() for m in _UNITS[1].finditer(text)]
    if upper:
        units = sorted(units + upper)
    pos = 0  # end of the last match
    floor = 0  # just after the previous unit
    for at in units:
        start = at
        while start > floor:  # back over the characters a match can hold, a bounded step at a time
            lo = max(floor, start - _STEP)
            start -= _BODY_CHARS.match(text[lo:start][::-1]).end()
            if start > lo:
                break
        floor = at + 1
        if start < at:
            m = _CANDIDATE.search(text, max(start, pos), at + _UNIT_TAIL)
            if m is not None and m.start() < at:  # a later start belongs to a later unit: found there
                yield m
                pos = m.end()


def _mentions(text: str):
    """Yield (start, min, max, preferred) for each qualifying English years-of-experience mention, in text order."""
    for m in _candidates(text):
        if m.group("sep") == "-" and m.group("unit").lower() == "year":
            continue  # "4-year degree", "10-year anniversary", "one-year cliff"
        # singular only for one year ("1 year of experience"), never "5 year old"
        if m.group("unit").lower() in ("year", "yr") and m.group("hi") is None and _number(m.group("lo")) > 1:
            continue
        before = _clause_before(text, m.start())
        after = _clause_after(text, m.end())
        # Speed: without İ ı ſ in the windows, the case-sensitive twins over the lowered windows find what the
        # IGNORECASE patterns find in them (lower() keeps their length then), several times faster.
        if (before.isascii() and after.isascii()) or not _CASE_SPECIAL.search(before + after):
            before, after, judge = before.lower(), after.lower(), _JUDGES_LOW
        else:
            judge = _JUDGES
        if (
            judge.neg_before.search(before)
            or (("our" in before or judge is _JUDGES) and judge.others_before.search(before))
            or judge.holder_before.search(before)
        ):
            continue
        if judge.neg_after.match(after):
            continue
        lo = _number(m.group("lo"))
        hi = _number(m.group("hi")) if m.group("hi") else None
        is_range = hi is not None and m.group(0).lower().find(" or ") < 0
        marker = bool(
            m.group("plus1")
            or m.group("plus2")
            or m.group("ormore")
            or is_range
            or judge.marker_before.search(before)
            or judge.marker_after.match(after)
        )
        cue = bool(judge.cue_after.match(after) or m.group("apos")) and bool(
            judge.experience_near.search(before)
            or judge.experience_near.search(after)
            or judge.cue_after.match(after)
        )
        if not (marker or cue):
            continue
        # a bare "5 years in ..." needs the word experience nearby ("5 years in Berlin" is not one)
        if (
            not marker
            and not judge.experience_near.search(after + " " + before)
            and not judge.work_after.match(after)
        ):
            continue
        if hi is not None and not is_range:
            hi = None  # "5 or 6 years": take the lower as min, no stated max
        if hi is not None and hi < lo:
            continue  # "5-3 years": not a range
        if lo > _MAX_YEARS or (hi is not None and hi > _MAX_YEARS):
            continue
        if "(" in after:  # (speed: most windows hold none)
            after = _LATER_PARENS.sub("", after)
        preferred = bool(judge.preferred.search(before) or judge.preferred.search(after))
        yield m.start(), lo, hi, preferred


# --- months, and years in other languages (docs/experience-rules.md) -----------------------------------------

_NUMBER_WORDS = _WORD_NUMBERS | {
    # German, French, Spanish, Italian, Dutch (lowered; the text is matched lowered)
    "ein": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8,
    "neun": 9, "zehn": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7, "otto": 8,
    "nove": 9, "dieci": 10, "een": 1, "één": 1, "twee": 2, "drie": 3, "vijf": 5, "zes": 6, "zeven": 7, "negen": 9,
    "tien": 10,
}  # fmt: skip
_NUM_ANY = r"(?:\d{1,2}(?:[.,]5)?|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
_YEAR_UNITS = (
    "jahr",
    "jahre",
    "jahren",
    "an",
    "ans",
    "année",
    "années",
    "año",
    "años",
    "anno",
    "anni",
    "jaar",
    "jaren",
)
_MONTH_UNITS = (
    "month",
    "months",
    "monat",
    "monate",
    "monaten",
    "mois",
    "mes",
    "meses",
    "mese",
    "mesi",
    "maand",
    "maanden",
)
# On lowered text. "+2 años", "4+ años", "5 bis 10 Jahre", "de 2 à 5 ans", "tra 3 e 5 anni", "3–12 months", "9
# months up to 2 years" (then the upper bound is in years).
_OTHER = re.compile(
    r"(?<![\w.$€£/])(?P<plus0>\+\s*)?(?P<lo>" + _NUM_ANY + r")(?:\s*(?P<plus1>\+))?"
    r"(?:\s*(?:-|–|—|bis|à|a|al|e|y|und|et|tot|tra|to|or|oder|ou|o)\s*(?P<hi>" + _NUM_ANY + r")(?:\s*\+)?)?"
    r"(?P<sep>\s*|-)(?P<unit>" + "|".join(sorted(_YEAR_UNITS + _MONTH_UNITS, key=len, reverse=True)) + r")\b"
    r"(?:\s+(?:and\s+|or\s+)?(?:up\s+)?to\s+(?P<hiy>" + _NUM_ANY + r")\s+years?\b)?"
)
_OTHER_GATE = re.compile(
    r"month|monat|jahr|\bans?\b|année|\baños?\b|\banni\b|\bjaar|\bjaren\b|\bmois\b|\bmes(?:es|i)?\b|maand"
)
_OTHER_EXPERIENCE = re.compile(
    r"experience|erfahrung|expérience|experiencia|experiência|esperienza|ervaring|tätig|\bexp\b"
)
_OTHER_MARKER_BEFORE = re.compile(
    r"(?:at\s+least|minimum(?:\s+of)?|mindestens|mind\.|au\s+moins|al\s+menos|como\s+mínimo|almeno|minimaal"
    r"|minstens|ten\s+minste|über|mehr\s+als|plus\s+de|más\s+de|oltre|meer\s+dan|von|de|of)[\s:,]*$"
)
# Years someone already has, durations ahead, contracts and training: "mit über 45 Jahren Erfahrung" (a company),
# "depuis plus de 20 ans", "a 6-month contract", "within 3 months", "puede tomarte más de 5 años".
_OTHER_NEG_BEFORE = re.compile(
    r"(?:\bmit\s+(?:über\s+|mehr\s+als\s+|rund\s+|fast\s+|knapp\s+)?|\b(?:unternehmen|firma|agentur|wir|unser\w*"
    r"|depuis|nous|notre|entreprise|société|empresa|nuestr\w*|nosotros|desde|azienda|nostr\w*|da\s+oltre|bedrijf"
    r"|onze|wij|sinds|within|after|every|per|first|next|last|past|ago|for|during|each|tomar\w*|tardar\w*|dauer\w*"
    r"|prendre|take[sn]?|took|innerhalb|nach|pendant|durante|llev\w*|contamos|cumplimos|vantiamo)\b[^.;\n]{0,30})$"
)
_OTHER_NEG_AFTER = re.compile(
    r"^[\s'’)]*(?:contract|vertrag|contrat|contrato|contratto|probation|probezeit|trial|internship|praktikum|stage"
    r"|program|programme|rotation|training|ago|later|from\s+now|old\b|notice|leave|paid|fixed|befristet|long\b)"
)
# What follows a number of years when it is work done: "4+ años construyendo software", "3+ Jahre als Entwickler".
_OTHER_WORK_AFTER = re.compile(
    r"^[\s'’)]*(?:construyendo|desarrollando|trabajando|programando|diseñando|liderando|gestionando|entwick\w*"
    r"|arbeit\w*|programmier\w*|développ\w*|travaill\w*|sviluppando|lavorando|ontwikkel\w*|werk\w*|als\b|como\b"
    r"|come\b|comme\b|en\s+(?:el|la|los|las|un|una|desarrollo|développement)\b|im\b|in\s+der\b|dans\b|nel\w*|in\s+de\b"
    r"|bei\b)"
)
_OTHER_PREFERRED = re.compile(
    r"\b(?:preferred|ideally|nice\s+to\s+have|a\s+plus|idealerweise|wünschenswert|von\s+vorteil|idéalement"
    r"|un\s+plus|un\s+atout|deseable|idealmente|preferiblemente|preferibilmente|gradit[ao]|bij\s+voorkeur)\b"
)


# _OTHER's gate in the one compiled scan (pipeline.scan): 9 postings in 10 hold no match, and ``re`` tries _OTHER,
# led by a lookbehind and an alternation of number words, at every position of the text (~300 us per posting).
_OTHER_SCAN = scan.gate("experience.other", _OTHER, lowered=True)


def _other_number(token: str) -> float:
    token = token.replace(",", ".")
    return float(_NUMBER_WORDS[token]) if token in _NUMBER_WORDS else float(token)


def _lowered(text: str) -> str:
    """``text.lower()``. Speed: the folded text the other parsers share (``pipeline.text.folded``, cached) is the
    same string when ``text`` holds none of İ ı ſ (which fold maps to i, i, s) and fold kept its length (it also
    joins an "i" and a combining dot above, which ``lower()`` keeps apart); lowering a description with a
    character beyond ASCII costs ~15 us."""
    low = folded(text)
    # (``in``, not _CASE_SPECIAL.search: ``re`` tests a class at ~4 ns a character of a text beyond Latin-1)
    if len(low) == len(text) and (text.isascii() or not any(c in text for c in _CASE_SPECIAL_CHARS)):
        return low
    return text.lower()


def _other_mentions(text: str):
    """Yield (start, min, max, preferred) for months ("9+ months of experience" -> 0.75) and for years in German,
    French, Spanish, Italian and Dutch, in text order. English years are ``_mentions``'."""
    if _OTHER_SCAN not in scan.hits(text):
        return
    low = _lowered(text)
    if len(low) != len(text):
        return
    # _OTHER.finditer(low), tried only where RE2 finds its twin
    matches = list(scan.finditer(_OTHER_SCAN, low))
    # _OTHER_GATE.search(low), which a unit of a match answers most of the time without a pass over the text
    if not matches or not (any(_OTHER_GATE.match(low, m.start("unit")) for m in matches) or _OTHER_GATE.search(low)):
        return
    for m in matches:
        unit = m.group("unit")
        months = unit in _MONTH_UNITS
        if unit in ("year", "years") or (m.group("sep") == "-" and not m.group("hi")):
            continue  # English years are _mentions'; "6-month contract", "3-Monats-Vertrag"
        before = _clause_before(low, m.start())
        after = _clause_after(low, m.end())
        if "(" in after:
            after = _LATER_PARENS.sub("", after)
        if _OTHER_NEG_BEFORE.search(before) or _OTHER_NEG_AFTER.match(after):
            continue
        marker = bool(m.group("plus0") or m.group("plus1") or m.group("hi") or _OTHER_MARKER_BEFORE.search(before))
        near = (
            _OTHER_EXPERIENCE.search(before)
            or _OTHER_EXPERIENCE.search(after)
            or (marker and not months and _OTHER_WORK_AFTER.match(after))
        )
        if not near or (months and not marker and not after.lstrip().startswith(("of", "de", "d'", "d’", "di"))):
            continue
        scale = 12.0 if months else 1.0
        lo = round(_other_number(m.group("lo")) / scale, 2)
        hi = round(_other_number(m.group("hi")) / scale, 2) if m.group("hi") else None
        if m.group("hiy"):
            hi = _other_number(m.group("hiy"))
        if hi is not None and hi < lo:
            continue
        if lo > _MAX_YEARS or (hi is not None and hi > _MAX_YEARS):
            continue
        yield m.start(), lo, hi, bool(_OTHER_PREFERRED.search(before) or _OTHER_PREFERRED.search(after))


def parse_experience(text: str) -> tuple[float | None, float | None]:
    """``(years_min, years_max)`` required by a description (see the module docstring for the rule)."""
    if not text:
        return None, None
    best: tuple[float, float | None] | None = None
    fallback: tuple[float, float | None] | None = None
    found = list(_mentions(text))
    more = list(_other_mentions(text))
    if more:
        found = sorted(found + more)
    for _, lo, hi, preferred in found:
        if preferred:
            if fallback is None:
                fallback = (lo, hi)
        elif best is None or lo > best[0]:
            best = (lo, hi)
    result = best or fallback
    return result if result is not None else (None, None)
