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
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def company_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().strip()
    text = re.sub(r"\(.*?\)", " ", text)
    text = _SUFFIXES.sub("", text).strip()
    key = _NON_ALNUM.sub("", text)
    return key or _NON_ALNUM.sub("", name.lower())
