"""Company names reduced to a key for matching: "Stripe, Inc." and "stripe" are one company."""

from __future__ import annotations

import re
import unicodedata

# Legal-form suffixes dropped from the end of a name (repeatedly: "Acme Holdings, Inc." -> "acme").
_SUFFIXES = re.compile(
    r"(?:[\s,]+(?:inc|incorporated|llc|l\.l\.c|ltd|limited|corp|corporation|co|company|gmbh|ag|sa|sas|sarl|bv|"
    r"b\.v|nv|plc|pty|pte|oy|ab|as|aps|srl|spa|kk|se|holdings?|group)\.?)+$",
    re.I,
)
_REMARK = re.compile(r"\(.*?\)")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def legal_name(name: str) -> str:
    """``name`` without parenthetical remarks and trailing legal forms, otherwise as written
    ("Acme Holdings, Inc." -> "Acme", "N-iX (Ukraine)" -> "N-iX")."""
    return _SUFFIXES.sub("", _REMARK.sub(" ", name)).strip()


def company_key(name: str) -> str:
    """The key two spellings of one company share: ``legal_name`` of the ASCII-folded, lowercased name with every
    character but letters and digits dropped ("Stripe, Inc." and "stripe" -> "stripe")."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    key = _NON_ALNUM.sub("", legal_name(text))
    return key or _NON_ALNUM.sub("", name.lower())


# "At Fastly, we build ...", "At Acme Health our engineers ...": a posting that introduces its employer this way
# names the company even when no company field came with it. Up to four capitalized words; the sentence must go on
# with "we"/"our"/"you" (so "At Google Cloud Next, the keynote ..." names nothing).
_AT_COMPANY = re.compile(
    r"At\s+(?P<name>[A-Z][\w&.'’-]*(?:\s+(?:[A-Z][\w&.'’-]*|of|and|&)){0,3}?)"
    r"(?:\s*\([^()\n]{1,60}\))?\s*,?\s+(?:we|we're|we’re|our|you)\b"
)
_READ = 3000


def company_from_text(text: str | None) -> str | None:
    """The company a posting's text introduces itself as ("At Fastly, we ..."), or None. Reads the first 3,000
    characters (the introduction); only a sentence that starts with "At" counts."""
    if not text:
        return None
    head = text[:_READ]
    i = head.find("At ")
    while i >= 0:
        before = head[:i].rstrip(" \t")
        if not before or before[-1] in ".!?\n":
            m = _AT_COMPANY.match(head, i)
            if m:
                return m.group("name").strip()
        i = head.find("At ", i + 1)
    return None
