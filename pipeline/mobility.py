"""Visa sponsorship and relocation: ``parse_visa_sponsorship(text)`` and ``parse_relocation(text)``.

The rules, with the examples they come from: docs/mobility-rules.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.text import folded, folded_same_length

# a sentence ends at . ! ? (not inside "e.g." / "i.e." / "U.S."), a line break, "; " or an HN " | " separator
_SENTENCE_STOP = re.compile(r"(?<!e\.g)(?<!i\.e)(?<!u\.s)\.(?=\s|$)|[!?\n]|;\s|\s\|\s", re.IGNORECASE)
_MAX_SENTENCE = 260


def _sentence(text: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence around ``text[start:end]`` (bounded on both sides), its start offset and end offset."""
    lo = max(0, start - _MAX_SENTENCE)
    cut = _last_stop_end(text[lo:start])
    s_start = lo + cut if cut >= 0 else lo
    after = text[end : end + _MAX_SENTENCE]
    stop = _SENTENCE_STOP.search(after)
    s_end = end + (stop.start() if stop else len(after))
    # keep the terminating "?" so questions can be recognised
    if s_end < len(text) and text[s_end] == "?":
        s_end += 1
    return text[s_start:s_end], s_start, s_end


_STOP_CHARS = ".!?\n;|"  # the characters a _SENTENCE_STOP match holds besides whitespace


def _last_stop_end(before: str) -> int:
    """The end of the last match of ``_SENTENCE_STOP.finditer(before)``, or -1 (the scan of the window before a
    candidate word, in C).

    ``finditer`` is started from the last stop character instead of the window's start: a match holds only stop
    characters and whitespace, so none crosses a position whose preceding character is neither, and from such a
    position ``finditer`` yields the same matches as from the start. When no match starts there (a "." inside
    "3.5"), the last match ends before it, and the search repeats on the text before it."""
    end = len(before)
    while True:
        last = max([before.rfind(c, 0, end) for c in _STOP_CHARS])
        if last < 0:
            return -1
        while last > 0 and (before[last - 1] in _STOP_CHARS or before[last - 1].isspace()):
            last -= 1
        cut = -1
        # endpos=end: no match that starts before ``end`` reaches it (the character before ``end`` is in none)
        for m in _SENTENCE_STOP.finditer(before, last, end):
            cut = m.end()
        if cut >= 0:
            return cut
        end = last


def _label_value(text: str, end: int) -> str:
    """The value after a "Label:" (same line, or the next line when the label ends its line)."""
    rest = text[end : end + 120].lstrip(" \t")
    if rest.startswith("\n"):
        rest = rest.lstrip("\n \t-•*")
    return rest.split("\n", 1)[0][:80]


_HEDGE = re.compile(r"\b(?:may|might|could|possibly|potentially|in\s+some\s+cases|certain\s+positions)\b", re.I)
_QUALIFIED = re.compile(r"\b(?:every|all)\s+(?:role|roles|position|positions|candidate|candidates)\b", re.I)

# --- visa ---------------------------------------------------------------------------------------------------

_VISA_CANDIDATE = re.compile(
    r"\bsponsor(?:s|ed|ing|ship|ships)?\b|\bvisas?\b|\bh-?1-?b\b|\bwork\s+permits?\b|\bimmigration\b",
    re.IGNORECASE,
)
_VISA_CONTEXT = re.compile(
    r"\bvisas?\b|\bh-?1-?b\b|\bgreen\s+cards?\b|\bwork\s+permits?\b|\bimmigration\b|\bopt\b|\bo-?1\b"
    r"|authori[sz]ed\s+to\s+work|authori[sz]ation|\bright\s+to\s+work\b|eligib\w+\s+to\s+work|work\s+legally"
    r"|employment\s+visa|\bcitizen",
    re.IGNORECASE,
)
_SPONSOR_WORD = re.compile(r"\bsponsor(?:s|ed|ing|ship|ships)?\b", re.IGNORECASE)
_NOT_VISA_SPONSOR = re.compile(
    r"company[\s-]sponsored|sponsored\s+by|executive\s+sponsors?|corporate\s+sponsorship|event\s+sponsor"
    r"|sponsored\s+(?:events?|content|outings|certifications?|programs?)|business\s+sponsors?|project\s+sponsor",
    re.IGNORECASE,
)
_VISA_LABEL = re.compile(r"\b(?:visa\s+)?sponsorship(?:\s+available)?\s*:\s*", re.IGNORECASE)
# "support (your) visa applications", "visa assistance/support": help with the visa, i.e. sponsoring it
_VISA_HELP = re.compile(
    r"support\s+(?:\w+\s+)?visa|\bvisas?\s+(?:(?:and|&)\s+relocation\s+)?(?:assistance|support)\b", re.IGNORECASE
)
_VISA_NEG = re.compile(
    r"\b(?:not|n't|unable\s+to|cannot|no)\b[^.!?]{0,40}\bvisas?\s+(?:assistance|support)\b"
    r"|\bvisas?\s+(?:assistance|support)\b[^.!?]{0,20}\b(?:is\s+not|isn't|not|unavailable)\b"
    r"|\b(?:unable|not\s+able|cannot|can\s*not|can't|won't|will\s+not|do\s+not|don't|does\s+not|doesn't"
    r"|are\s+not|aren't|is\s+not|isn't|not\s+in\s+a\s+position|not|never|no\s+longer)\b[^.!?]{0,60}?\bsponsor"
    r"|\bno\b[^.!?]{0,25}\bsponsorships?\b|\bwithout\b[^.!?]{0,60}\bsponsorship\b"
    r"|\bsponsorships?\b[^.!?]{0,40}\b(?:is\s+not|isn't|not|unavailable|n't)\b"
    r"|\b(?:require|requires|requiring|need|needs|needing)\b[^.!?]{0,50}\bsponsorship\b[^.!?]{0,60}"
    r"\b(?:not|ineligible|won't|cannot)\b"
    r"|\bnot\s+(?:be\s+)?(?:considering|consider|eligible)\b[^.!?]{0,80}\bsponsorship"
    r"|\bmust\s+not\s+require\b[^.!?]{0,60}\bsponsorship",
    re.IGNORECASE,
)
_VISA_POS = re.compile(
    r"\bsponsorships?\b[^.!?]{0,20}\b(?:is\s+)?(?:available|provided|offered|possible|supported)\b"
    # "Visa sponsorship and relocation support available": two offers sharing one "available"
    r"|\bsponsorships?\s+(?:and|&|\+|plus)\s+relocation(?:\s+(?:support|assistance|package|help))?\s+(?:are\s+|is\s+)?"
    r"(?:available|provided|offered|possible|supported)\b"
    r"|\b(?:we|will|can|do|does|able\s+to|willing\s+to|happy\s+to|glad\s+to|open\s+to|offer|offers|offering|provide"
    r"|provides|providing|including|includes|support|supports|plus)\b[^.!?]{0,40}?\bsponsor"
    r"|\bsponsor(?:s|ing)?\b[^.!?]{0,30}\b(?:visas?|h-?1-?b|green\s+cards?|work\s+permits?)\b"
    r"|(?:^|\|)\s*visa\s+sponsorship\s*(?:\||$)"
    r"|\bsupport\s+(?:your\s+|the\s+)?visa\s+applications?\b"
    r"|\b(?:offer|offers|offering|provide|provides|providing|including|includes|plus)\b[^.!?]{0,20}"
    r"\bvisas?\s+(?:assistance|support)\b"
    r"|\bvisas?\s+(?:(?:and|&)\s+relocation\s+)?(?:assistance|support)\b[^.!?]{0,20}\b(?:is\s+|are\s+)?"
    r"(?:available|provided|offered)\b",
    re.IGNORECASE,
)


# Where a _VISA_CANDIDATE match can start, on folded text (every branch is a word led by one of these); "work"
# (of "work permit") only counts when "permit" occurs: "work" is frequent, "permit" is not.
_VISA_LEADS = ("sponsor", "visa", "h1", "h-1", "immigration")


def parse_visa_sponsorship(text: str) -> bool | None:
    """True / False / None for visa sponsorship (docs/mobility-rules.md)."""
    if not text:
        return None
    low = folded(text)
    # Every answer below comes from a sentence holding "sponsor" (the label, _SPONSOR_WORD) or "support ... visa".
    if "sponsor" not in low and ("visa" not in low or ("support" not in low and "assist" not in low)):
        return None
    return _visa_answer(text, (*_VISA_LEADS, "work") if "permit" in low else _VISA_LEADS)


def _visa_answer(text: str, leads: tuple[str, ...] | None) -> bool | None:
    """The verdict of the candidate sentences (``leads``: see _candidate_sentences)."""
    positive = negative = False
    for sentence, s_end in _candidate_sentences(text, _VISA_CANDIDATE, leads):
        label = _VISA_LABEL.search(sentence)
        if label and (sentence[label.end() :].strip() == ""):
            value = _label_value(text, s_end)
        else:
            value = sentence[label.end() :] if label else ""
        if label and value:
            answer = _label_answer(value, _VISA_YES)
            if answer is not None:
                positive, negative = positive or answer, negative or not answer
                continue
        if sentence.rstrip().endswith("?"):
            continue
        if not _SPONSOR_WORD.search(sentence) and not _VISA_HELP.search(sentence):
            continue
        if _NOT_VISA_SPONSOR.search(sentence) and not _VISA_CONTEXT.search(sentence):
            continue
        if _VISA_NEG.search(sentence):
            if _QUALIFIED.search(sentence):
                continue
            negative = True
            continue
        if not _VISA_CONTEXT.search(sentence):
            continue
        if _HEDGE.search(sentence):
            continue
        if _VISA_POS.search(sentence):
            positive = True
    return _verdict(positive, negative)


# --- relocation ---------------------------------------------------------------------------------------------

_RELO_CANDIDATE = re.compile(r"\breloca\w*", re.IGNORECASE)
_RELO_LABEL = re.compile(
    r"\brelocation(?:\s+(?:assistance|package|support))?(?:\s+(?:provided|eligible|authori[sz]ed|available|offered))?"
    r"\s*:\s*",
    re.IGNORECASE,
)
_RELO_NEG = re.compile(
    r"\bno\s+relocation\b|\brelocation\b(?:\s+[\w/]+){0,3}?\s+(?:is\s+|are\s+|will\s+|can\s+)?(?:not|unavailable)\b"
    r"(?!\s+(?:already|currently|local|based))|\brelocation\b(?:\s+[\w/]+){0,3}?\s+(?:isn't|aren't|won't|can't)\b"
    r"|\b(?:not|n't|unable\s+to|cannot|can't|won't|will\s+not|do\s+not|does\s+not|don't|doesn't|no)\b[^.!?]{0,40}"
    r"\b(?:offer|offering|provide|providing|support|supporting|cover|covering|pay|paying|assist|help|fund|eligible)"
    r"\w*\b[^.!?]{0,25}\breloca"
    r"|\bwithout\s+(?:any\s+)?relocation\b|\bnot\s+eligible\s+for\s+relocation\b",
    re.IGNORECASE,
)
_RELO_POS = re.compile(
    r"\brelocation[\s-]+(?:assistance|support|package|packages|bonus|stipend|allowance|help|benefits?|program|reimbursement"
    r"|services|expenses|costs|budget|grant|is\s+(?:available|provided|offered|supported|covered))\b"
    r"|\b(?:offer|offers|offering|provide|provides|providing|include|includes|including|cover|covers|covering"
    r"|support|supports|supporting|help|helps|helping|assist|assists|assistance|fund|funds|pay|pays|eligible\s+for"
    r"|sponsor|sponsors)\b[^.!?]{0,40}\breloca"
    r"|\bincluye\s+relocation\b",
    re.IGNORECASE,
)
_RELO_BENEFIT = re.compile(
    r"\breloca\w*[\s-]+(?:assistance|support|package|bonus|stipend|allowance|help|benefits?|reimbursement)\b",
    re.IGNORECASE,
)
_RELO_CANDIDATE_MOVE = re.compile(
    r"\b(?:willing|able|ready|open|plan|planning|need|needs|must|required|require|requires|requirement|interested)"
    r"\b[^.!?]{0,20}\breloca",
    re.IGNORECASE,
)


def parse_relocation(text: str) -> bool | None:
    """True / False / None for relocation assistance (docs/mobility-rules.md)."""
    if not text or "reloca" not in folded(text):  # every candidate is a "reloca..." word
        return None
    return _relocation_answer(text, ("reloca",))


def _relocation_answer(text: str, leads: tuple[str, ...] | None) -> bool | None:
    """The verdict of the candidate sentences (``leads``: see _candidate_sentences)."""
    positive = negative = False
    for sentence, s_end in _candidate_sentences(text, _RELO_CANDIDATE, leads):
        label = _RELO_LABEL.search(sentence)
        if label:
            value = sentence[label.end() :].strip() or _label_value(text, s_end)
            answer = _label_answer(value, _RELO_YES)
            if answer is not None:
                positive, negative = positive or answer, negative or not answer
                continue
        if sentence.rstrip().endswith("?"):
            continue
        if _RELO_CANDIDATE_MOVE.search(sentence) and not _RELO_BENEFIT.search(sentence):
            continue  # the candidate moving ("must relocate", "will require relocation if not local")
        if _RELO_NEG.search(sentence):
            negative = True
            continue
        if _HEDGE.search(sentence):
            continue
        if _RELO_POS.search(sentence):
            positive = True
    return _verdict(positive, negative)


# --- shared by both parsers ---------------------------------------------------------------------------------
_LABEL_NO = re.compile(r"(?:no|not|none|n/a)\b")
_VISA_YES = re.compile(r"(?:yes|available|provided|offered)\b")
_RELO_YES = re.compile(r"(?:yes|eligible|available|provided|offered|national|international|domestic|full)\b")


def _candidate_sentences(
    text: str, candidate: re.Pattern[str], leads: tuple[str, ...] | None
) -> Iterator[tuple[str, int]]:
    """(sentence, end offset) around each ``candidate`` hit, each sentence once. ``leads``: lower-case literals one
    of which starts every ``candidate`` match (see ``_finditer_at``); None: ``candidate`` is tried everywhere."""
    low = folded_same_length(text) if leads else None
    last_end = -1
    for m in candidate.finditer(text) if low is None else _finditer_at(candidate, text, low, leads):
        if m.start() < last_end:
            continue
        sentence, _, s_end = _sentence(text, m.start(), m.end())
        last_end = s_end
        yield sentence, s_end


def _finditer_at(pattern: re.Pattern[str], text: str, low: str, leads: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, with ``pattern`` tried only where one of ``leads`` occurs in ``low``
    (``text`` folded, same length). Every match of ``pattern`` must start with one of ``leads`` (folded): then the
    first match at or after a position is the first one found at a lead, as in ``finditer``. ``re`` tries a
    word-boundary-led pattern at every position of the text (~60 us for a 5 KB posting here); ``str.find`` skips
    to the leads in C."""
    starts: set[int] = set()
    for lead in leads:
        i = low.find(lead)
        while i >= 0:
            starts.add(i)
            i = low.find(lead, i + 1)
    pos = 0
    for start in sorted(starts):
        if start >= pos and (m := pattern.match(text, start)):
            yield m
            pos = m.end()


def _label_answer(value: str, yes: re.Pattern[str]) -> bool | None:
    """The answer of a "Visa sponsorship: No"-style field: False, True, or None when it is neither."""
    v = value.strip().lower()
    if _LABEL_NO.match(v):
        return False
    if yes.match(v):
        return True
    return None


def _verdict(positive: bool, negative: bool) -> bool | None:
    """A posting that says both yes and no says nothing we can use."""
    if positive and not negative:
        return True
    if negative and not positive:
        return False
    return None
