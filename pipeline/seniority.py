"""Seniority of a posting, from its title first and, conservatively, from its description.

The rules, with the examples they come from: docs/seniority-rules.md.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline import scan
from pipeline.model import SENIORITIES
from pipeline.text import case_free, finditer_gated, folded_same_length

_RANK = {"intern": 0, "junior": 1, "mid": 2, "senior": 3, "lead": 4, "staff": 5, "principal": 6, "manager": 7}
assert set(_RANK) == set(SENIORITIES)

_NUMERAL = {
    "i": "junior", "1": "junior",
    "ii": "mid", "2": "mid",
    "iii": "senior", "3": "senior",
    "iv": "staff", "4": "staff",
    "v": "principal", "5": "principal",
}  # fmt: skip
_LE_LEVEL = {"3": "junior", "4": "mid", "5": "senior", "6": "staff", "7": "principal", "8": "principal"}
_IC_LEVEL = {"1": "junior", "2": "mid", "3": "senior", "4": "staff", "5": "principal", "6": "principal"}

_ROLE_NOUN = (
    r"engineer|developer|programmer|scientist|analyst|architect|administrator|designer|consultant|"
    r"specialist|technician|researcher|swe|sde|sre|tse"
)
_ROMAN = r"(?:iv|v|i{1,3}|[1-5])"
# Managerial prefixes: "<word> Manager" is a people-manager title.
_MGR_PREFIX = (
    r"senior|sr\.?|snr|group|general|engineering|software\s+development|software|technology|it|qa|"
    r"infrastructure|"
    r"devops|sre|science|research"
)

_TITLE_TOKENS = re.compile(
    r"""
    (?P<chief_of_staff>\bchief\s+of\s+staff\b)
  | (?P<not_level>
        \b(?:art|creative|design|film|photo(?:graphy)?|music|casting|animation|brand\s+art|experiences\s+art)
        \s+director\b
      | \blead(?=\s*(?:gen\b|generation|qualif|nurtur|routing|scoring|sourcing|development\s+rep))
      | (?<=\binbound\s)leads?\b | (?<=\boutbound\s)leads?\b | (?<=\bqualified\s)leads?\b
      | \bdirectr?(?:eur|ice)\s+artisti\w+ | \bdirector(?:a)?\s+(?:de\s+)?arte\b )
  | (?P<manager>
        \bhead\s+of\b | \b(?:associate\s+|assistant\s+|managing\s+)?director\b | \b(?:s|e)?vp\b
      | \bgeschäftsführ\w* | \bgeschaeftsfuehr\w* | \bgeschäftsleitung\b | \bvorstand\w*
      | \bdirect(?:eur|rice)\s+g[ée]n[ée]ral\w* | \bpdg\b | \bg[ée]rant(?:e)?\b
      | \bdirector(?:a)?\s+general\b | \bgerente\s+general\b | \bconsejer[oa]\s+delegad[oa]\b
      | \bamministratore\s+delegato\b | \bdirett(?:ore|rice)\s+generale\b | \balgemeen\s+directeur\b
      | \bvice[\s-]+president\b | \bchief\b[\w\s&,-]{0,40}?\bofficer\b | \bc(?:t|i|e|o|f|p|is|s)o\b
      | \b(?:"""
    + _MGR_PREFIX
    + r""")\s+manager\b
      | ^\W*manager\b | [,(\-–|]\s*manager\b | \bmanager\s+of\b )
  | (?P<range_num>\b(?:"""
    + _ROLE_NOUN
    + r""")\s*,?\s+(?P<num1>"""
    + _ROMAN
    + r""")
        (?:\s*/\s*(?P<num2>"""
    + _ROMAN
    + r"""))?(?![\w+])
      | \blevel\s+(?P<num3>[1-5])\b )
  | (?P<le>\b[LE](?P<le_n>[3-8])\b)
  | (?P<ic>\bICT?(?P<ic_n>[1-6])\b)
  | (?P<intern>\b(?:intern|interns|internship|co-?op|praktikant(?:in)?|praktikum|pflichtpraktikum|werkstudent(?:in)?
        |working\s+student|(?:graduate\s+|management\s+)?trainee(?:ship)?|apprentice(?:ship)?|ausbildung|azubi|auszubildende[rn]?|duales?\s+studium
        |duale[rn]?\s+student(?:in)?|stagiaire|alternance|alternant(?:e)?|apprenti(?:e)?|apprentissage
        |pr[áa]cticas|becari[oa]|pasant(?:e|ía|ia)|tirocinio|tirocinante|stagista|stagiair|afstudeerstage
        |leerling)\b
        | \bstage\b(?=\s*(?:[-–:|(/,]|de\b|d['’]|en\b|di\b|in\b|bij\b|\d|$))
        | (?<=\ben\s)stage\b | (?<=\bde\s)stage\b | (?<=\()stage\b )
  | (?P<mid>\b(?:mid(?:dle)?[\s-]?(?:level|weight)|medior|intermediate|semi[\s-]?senior|ssr\.?
        |mid(?=\s*[,/&]\s*(?:senior|sr\b))|mid(?=[\s/-]+(?:senior|sr\b|level|back|front|full|software|engineer|developer|data|devops|ml|mobile
        |ios|android|python|java|\.net|qa|cloud|platform|web|golang|go\b|node|php|ruby|react)))\b)
  | (?P<junior>\b(?:junior|jr|jnr|entry[\s-]?level|new[\s-]grad(?:uate)?|graduate|early[\s-]career
        |berufseinsteiger(?:in)?|d[ée]butant(?:e)?
        |associate(?=\s+(?:[\w.+#/-]+\s+){0,2}?(?:"""
    + _ROLE_NOUN
    + r""")\b))\b\.?)
  | (?P<senior>\b(?:senior|sr|snr|sen)\b\.?)
  | (?P<lead>\b(?:tech(?:nical)?\s+lead|team\s+lead(?:er)?|lead)\b(?!\s*gen))
  | (?P<staff>\bstaff\b)
  | (?P<principal>\b(?:principal|distinguished\s+(?:engineer|architect))\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)

# Separators that make two adjacent level words alternatives ("Senior / Staff", "Mid-Senior", "Intern & New Grad").
_RANGE_GAP = re.compile(r"^\s*(?:/|\\|,?\s*\bor\b|\bto\b|&|,?\s*\band\b|-|–|\||,)\s*\(?\s*$", re.IGNORECASE)
# "Executive Assistant to the CEO", "Office of the CTO": the C-level word names someone else.
_NOT_OWN_TITLE = re.compile(r"(?:\b(?:the|to|of|for)|assistant\s*,?)\s*$", re.IGNORECASE)
_COMPANY_PREFIX = re.compile(r"^\s*[^:|]{1,60}?:\s+(?=\S)")
# "Senior Engineer: Payments" is a title with a colon, not a "Company: Role" prefix
_ROLE_IN_PREFIX = re.compile(
    r"\b(?:"
    + _ROLE_NOUN
    + r"|manager|intern|director|praktikant|werkstudent|stagiaire|stage|trainee|apprentice|student)"
    r"(?:s|in)?\b",
    re.IGNORECASE,
)


# Speed: _TITLE_TOKENS is a word-boundary-led alternation that ``re`` tries at every position (~15 us per title).
# Its case-sensitive twin (the upper-case literals lowered) runs over the lowered title, and only where a match can
# start: at the start, at a word start, and at the punctuation of "(Manager" / "- Manager". Titles that lower()
# lengthens or that hold İ ı ſ (which IGNORECASE equates with i and s) keep the original pattern.
_TITLE_TOKENS_LOW = re.compile(_TITLE_TOKENS.pattern.replace("[LE]", "[le]").replace("ICT?", "ict?"), re.VERBOSE)
_TITLE_START = re.compile(r"\W(?=\w)|.(?=[,(\-–|])", re.DOTALL)
_CASE_SPECIAL = re.compile("[\u0130\u0131\u017f]")


def _numeral_key(token: str) -> str:
    """The _NUMERAL key of a matched numeral. IGNORECASE lets "i" match the Turkish dotless ı and dotted İ, which
    lower() leaves as "ı" or turns into "i" + U+0307 ("Engineer ı" raised KeyError)."""
    return token.lower().replace("i\u0307", "i").replace("\u0131", "i")


def _title_tokens(title: str) -> list[tuple[str, int, int]]:
    tokens: list[tuple[str, int, int]] = []
    low = title.lower()
    if len(low) == len(title) and (title.isascii() or not _CASE_SPECIAL.search(title)):
        matches = finditer_gated(_TITLE_TOKENS_LOW, low, _TITLE_START, low)
    else:
        matches = _TITLE_TOKENS.finditer(title)
    for m in matches:
        kind = m.lastgroup
        if kind in ("chief_of_staff", "not_level"):
            continue
        if m.group("range_num") is not None:
            first = _numeral_key(m.group("num1") or m.group("num3"))
            second = _numeral_key(m.group("num2") or "")
            value = _NUMERAL[first]
            if second:
                value = min(value, _NUMERAL[second], key=_RANK.__getitem__)
            start = m.start("num1") if m.group("num1") else m.start()
            tokens.append((value, start, m.end()))
        elif m.group("le") is not None:
            tokens.append((_LE_LEVEL[m.group("le_n")], m.start(), m.end()))
        elif m.group("ic") is not None:
            tokens.append((_IC_LEVEL[m.group("ic_n")], m.start(), m.end()))
        else:
            if m.group("manager") is not None and _NOT_OWN_TITLE.search(title[max(0, m.start() - 20) : m.start()]):
                continue
            for name in ("manager", "intern", "mid", "junior", "senior", "lead", "staff", "principal"):
                if m.group(name) is not None:
                    tokens.append((name, m.start(), m.end()))
                    break
    return tokens


def _combine(title: str, tokens: list[tuple[str, int, int]]) -> str | None:
    """Range-joined groups take their lowest value; stacked groups their highest."""
    if not tokens:
        return None
    groups: list[str] = []
    current = tokens[0][0]
    prev_end = tokens[0][2]
    for value, start, end in tokens[1:]:
        if _RANGE_GAP.match(title[prev_end:start]):
            current = min(current, value, key=_RANK.__getitem__)
        else:
            groups.append(current)
            current = value
        prev_end = end
    groups.append(current)
    return max(groups, key=_RANK.__getitem__)


@lru_cache(maxsize=4096)  # titles repeat across a board and between crawls
def seniority_from_title(title: str) -> str | None:
    """The seniority a job title states, or None (the table: docs/seniority-rules.md)."""
    if not title:
        return None
    title = title[:500]  # titles are short; bound the work on garbage input
    prefix = _COMPANY_PREFIX.match(title)
    if prefix and not _ROLE_IN_PREFIX.search(prefix.group(0)):
        rest = title[prefix.end() :]
        return _combine(rest, _title_tokens(rest))
    return _combine(title, _title_tokens(title))


# --- description text -------------------------------------------------------------------------------------

_TEXT_CANDIDATES = re.compile(
    r"""
    (?P<manager>\b(?:engineering|software\s+engineering|development)\s+manager\b|\bhead\s+of\s+engineering\b
        |\bdirector\s+of\s+engineering\b)
  | (?P<lead>\b(?:tech(?:nical)?\s+lead|team\s+lead
        |lead\s+(?:software\s+|backend\s+|back-end\s+)?(?:engineer|developer)))\b
  | (?P<intern>\binternship\b|\bintern\b)
  | (?P<junior>\b(?:junior|jr\.?|entry[\s-]level|graduate|new[\s-]grad)\b)
  | (?P<mid>\bmid[\s-]level\b|\bintermediate\b)
  | (?P<senior>\bsenior\b|\bsr\.?(?=\s))
  | (?P<staff>\bstaff\b)
  | (?P<principal>\bprincipal\b)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_FILLER = (
    r"(?:(?:very|highly|truly|experienced|talented|motivated|self-motivated|passionate|skilled|driven|seasoned"
    r"|strong|exceptional|curious|pragmatic|hands-on|product-minded|remote|full-time|ambitious|versatile"
    r"|outstanding|brilliant|dedicated|enthusiastic|great|hungry|humble|detail-oriented|results-driven"
    r"|and|&|,)[\s,]+){0,4}"
)
_FRAME_BEFORE = re.compile(
    r"(?:looking\s+for|seeking|hiring|searching\s+for|in\s+search\s+of|recruiting|join\s+(?:us|our\s+\w+|the\s+\w+)"
    r"\s+as|this\s+is|this\s+(?:role|position|opening)\s+is|the\s+(?:role|position)\s+is|role\s+of|position\s+of"
    r"|opening\s+for|opportunity\s+for(?=\s+an?\s)|\bwe\s+(?:urgently\s+)?need(?=\s+an?\s)|\bas)"
    r"\s+(?:an?|our|the|one|two|several)?\s*" + _FILLER + r"$",
    re.IGNORECASE,
)
_NOUN_AFTER = re.compile(
    r"^[\s-]*(?:level\b|[\w.+#/-]+\s+){0,3}?(?:engineers?|developers?|programmers?|scientists?|architects?|sres?"
    r"|swes?|analysts?|designers?|researchers?|role|position|opportunity|opening|level|member|ic"
    r"|individual\s+contributor|hire"
    r"|contributor|engineering)\b",
    re.IGNORECASE,
)
_TEXT_WINDOW = 80
_TEXT_CANDIDATES_LOW = case_free(_TEXT_CANDIDATES)
_FRAME_BEFORE_LOW = case_free(_FRAME_BEFORE)
_NOUN_AFTER_LOW = case_free(_NOUN_AFTER)
# Where a _TEXT_CANDIDATES match can start, on folded text (speed only; see ``text.finditer_gated``).
_TEXT_CANDIDATE_START = re.compile(
    r"\W(?=engineering|software|development|head|director|tech|team|lead|intern|junior|jr|entry|graduate|new"
    r"|mid|intermediate|senior|sr|staff|principal)"
)


# Speed: the gate above stops at every non-word character (~60 us per description). A hiring frame ends with a
# space or a comma (its articles and filler words are followed by ``\s`` or ``[\s,]``; a candidate right after a
# word character has no ``\b``), so only candidates after ``[\s,]`` can pass. On the text mapped in C to lower-case
# ASCII bytes with those characters (and every non-ASCII one) made spaces, one scan led by a literal space finds
# every such candidate (a superset: _TEXT_CANDIDATES then decides on the text); ~16 us per posting against ~26 us
# for an Aho-Corasick pass over the first words. Skipping the other candidates cannot change what passes: the only
# candidates that start inside another one ("[software] engineering manager", "[team] lead engineer", "[new]
# graduate") follow a word that ends no frame.
_SPACED = bytes(
    32 if c in b"\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f,?" else c + 32 if 65 <= c <= 90 else c for c in range(256)
)  # fmt: skip
_TEXT_CANDIDATE_AFTER_SPACE = re.compile(
    rb" (?=e(?:ngineering +manager|ntry[ -]level)|s(?:oftware +engineering +manager|enior|r|taff)"
    rb"|d(?:evelopment +manager|irector +of +engineering)|head +of +engineering|te(?:ch(?:nical)?|am) +lead"
    rb"|lead +(?:software +|backend +|back-end +)?(?:engineer|developer)|inter(?:n|mediate)|j(?:unior|r)|graduate"
    rb"|new[ -]grad|mid[ -]level|principal)"
)


def _text_candidates(text: str):
    """The _TEXT_CANDIDATES matches (on ``text``) that start after a space or a comma, in order. ``text`` holds no
    İ ı ſ K (IGNORECASE equates them with ASCII letters; the byte scan would not see them)."""
    for m in _TEXT_CANDIDATE_AFTER_SPACE.finditer(text.encode("ascii", "replace").translate(_SPACED)):
        m = _TEXT_CANDIDATES.match(text, m.end())
        if m:
            yield m


# _from_text's gate in the one compiled scan (pipeline.scan): a hiring frame right before a candidate's first word
# ("looking for a senior", "as a Staff"), the two halves _from_text checks one candidate at a time. About a third of
# the descriptions hold one; the others skip the candidate scan (~30 us a description). It matches wherever a
# candidate passes: the frame is _FRAME_BEFORE up to its "$" (the candidate's start), the words those that start a
# _TEXT_CANDIDATES match, and the loosened gate drops the word boundaries a window's edge could add.
_FRAMED_CANDIDATE = re.compile(
    _FRAME_BEFORE.pattern.removesuffix("$")
    + r"(?:engineering|software|development|head|director|tech|team|lead|intern|junior|jr|entry|graduate|new|mid"
    r"|intermediate|senior|sr|staff|principal)",
    re.IGNORECASE,
)
_FRAMED_SCAN = scan.gate("seniority.framed_candidate", _FRAMED_CANDIDATE)


def seniority_from_text(text: str) -> str | None:
    """The seniority a description states in an explicit hiring frame, or None (conservative)."""
    if not text:
        return None
    plain = text.isascii() or not ("\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text)
    # Without İ ı ſ K (which lower() or fold() turn into ASCII letters) _from_text matches what the text itself
    # says, case aside: no frame before a candidate's first word, no answer.
    if plain and _FRAMED_SCAN not in scan.hits(text):
        return None
    return _from_text(text, plain)


def _from_text(text: str, fold: bool) -> str | None:
    """``seniority_from_text``; with ``fold`` (only for a text without İ ı ſ K) the candidates come from the byte
    scan and the windows are lowered one by one, else from the gated pattern over the folded text."""
    # Speed: every pattern here ignores case, so their case-sensitive twins run over lowered text when it aligns
    # with the original (same matches, several times faster).
    low = None if fold else folded_same_length(text)
    frame_before, noun_after = (_FRAME_BEFORE_LOW, _NOUN_AFTER_LOW) if fold or low else (_FRAME_BEFORE, _NOUN_AFTER)
    if fold:
        found = _text_candidates(text)
    elif low:
        found = finditer_gated(_TEXT_CANDIDATES_LOW, low, _TEXT_CANDIDATE_START, low)
    else:
        found = _TEXT_CANDIDATES.finditer(text)
    source = low or text
    for m in found:
        kind = m.lastgroup
        if kind is None:
            continue
        before = source[max(0, m.start() - _TEXT_WINDOW) : m.start()]
        if fold:
            before = before.lower()
        # stay inside the sentence
        cut = max(before.rfind(". "), before.rfind("!"), before.rfind("?"), before.rfind(";"))
        if cut >= 0:
            before = before[cut + 1 :]
        if not frame_before.search(before):
            continue
        if kind in ("manager", "lead", "intern"):
            return kind
        if kind == "staff" and re.match(r"\s+of\b", text[m.end() : m.end() + 5]):
            continue
        after = source[m.end() : m.end() + _TEXT_WINDOW]
        if noun_after.match(after.lower() if fold else after):
            return kind
    return None


def infer_seniority(title: str, text: str = "") -> tuple[str | None, str | None]:
    """``(seniority, provenance)``: from the title when it says, else from the description, else (None, None)."""
    value = seniority_from_title(title or "")
    if value is not None:
        return value, "title"
    value = seniority_from_text(text or "")
    if value is not None:
        return value, "text"
    return None, None
