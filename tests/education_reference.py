"""The education parser's judging loop as it was before a text dense with degrees stopped being judged once the
lowest level was found (pipeline.education._judge): every candidate judged in full. tests/test_education.py checks
that both give the same answer."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from pipeline.education import (
    _EQUIVALENT_NEAR,
    _PREFERRED,
    _PREFERRED_HEADING,
    _RANK,
    _clause,
    _equivalent_anywhere,
    _has_equivalent_word,
    _headings,
    _level_of,
    _line_bounds,
)
from pipeline.text import folded


def reference_judge(text: str, candidates: Iterator[re.Match[str]], low: str | None) -> tuple[str | None, bool]:
    headings: list[tuple[int, bool]] | None = None
    heading_pos: list[int] = []
    required: str | None = None
    equivalent = False
    for m in candidates:
        level = _level_of(m, text)
        if level is None:
            continue
        clause = _clause(text, m.start(), m.end())
        _, line_end = _line_bounds(text, m.start(), m.end(), 200)
        if not equivalent and _EQUIVALENT_NEAR.search(text[m.end() : line_end]):
            equivalent = True
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
