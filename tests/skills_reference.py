"""The skills extractor's reference: the matching rules (docs/skills-rules.md) applied the plain way, on a
whole-text tokenization, trying every token. ``pipeline.skills`` finds mentions by one automaton pass and reads
context only around its hits; ``tests/test_skills.py`` checks that both accept the same mentions."""

from __future__ import annotations

import re

from pipeline.skills import (
    _ALIAS,
    _AMBIGUOUS,
    _CUE_PHRASES,
    _LIST_DISTANCE,
    _LOOSE_PUNCT,
    _SKELETON,
    Taxonomy,
    _brand_product,
    _context_verdict,
    _drop_lone_generic,
    _drop_untagged,
    _drop_weak,
    _is_separator,
    _is_word,
    _norm_generic,
    _support,
    _Tokens,
    load_taxonomy,
)

_TRAILING_VERSION_RE = re.compile(r"^(.*[a-z])[0-9]+$")


def reference_accepted(text: str) -> list[list]:
    """The same as ``pipeline.skills._accepted`` by the plain method: tokenize the whole text, try every token."""
    toks = _Tokens(text)
    tax = load_taxonomy()
    found = _scan(tax, toks)
    _resolve_ambiguous(toks, found)
    _support(text, found)
    accepted = _drop_lone_generic(text, _drop_untagged(text, [m for m in found if m[6]]))
    return _drop_weak(text, accepted, _reference_cues(text))


def _gaps_ok(toks: _Tokens, i: int, n: int) -> bool:
    """Whether tokens ``i .. i+n-1`` are spaced as one spelling (rule 3)."""
    low = toks.low
    for j in range(i, i + n - 1):
        gap = toks.gap(j)
        if not gap:
            continue
        a, b = low[j], low[j + 1]
        if gap != " ":  # one space: the automaton's layouts (a line break, two spaces, a tab end a spelling)
            return False
        if a[-1].isalnum() and b[0].isalnum():
            continue  # "spring boot", "amazon web services"
        if a in _LOOSE_PUNCT or b in _LOOSE_PUNCT:
            continue  # "CI / CD", "Spring - Boot"
        if j == i and a == ".":
            # Leading dot (". NET"): only when the dot does not end a preceding word.
            if j == 0 or toks.gap(j - 1):  # whole-text tokens: the text's start counts as whitespace
                continue
            return False
        return False
    return True


def _edges_ok(text: str, start: int, end: int) -> bool:
    """Reject a spelling glued to a word (``x.net``, ``c++x``), filenames and domains: ``config.yaml``,
    ``file.go``, ``python.org``."""
    if (start and _is_word(text[start - 1])) or (end < len(text) and _is_word(text[end])):
        return False
    if start >= 2 and text[start - 1] == "." and (text[start - 2].isalnum() or text[start - 2] == "_"):
        return False
    return not (end + 1 < len(text) and text[end] == "." and text[end + 1].islower())


def _match_at(tax: Taxonomy, toks: _Tokens, i: int) -> list | None:
    """The longest spelling starting at token ``i``, as a candidate ``[token start, token end, skill index,
    ambiguous?, char start, char end, accepted, generic?]``, or None."""
    text = toks.text
    low = toks.low
    tok = low[i]
    lens = tax.first.get(tok)
    if lens is None:
        if tok[-1].isdigit() and tok[0].isalpha():
            m = _TRAILING_VERSION_RE.match(tok)
            if m and (idx := tax.versionable.get(m.group(1))) is not None:
                s, e = toks.start(i), toks.end(i)
                if _edges_ok(text, s, e):
                    return [i, i + 1, idx, False, s, e, True, False]
        return None
    n_toks = len(low)
    index = tax.index
    for n in lens:
        if i + n > n_toks:
            continue
        entries = index.get(tuple(low[i : i + n]) if n > 1 else (tok,))
        if entries is None or (n > 1 and not _gaps_ok(toks, i, n)):
            continue
        start, end = toks.start(i), toks.end(i + n - 1)
        if not _edges_ok(text, start, end):
            continue
        generic = (entries[0][0], _norm_generic(text[start:end])) in tax.generic
        for idx, mode, surface in entries:
            if mode == _ALIAS:
                return [i, i + n, idx, False, start, end, True, generic]
            if tuple(toks.orig(k) for k in range(i, i + n)) == surface:
                return [i, i + n, idx, mode == _AMBIGUOUS, start, end, mode != _AMBIGUOUS, generic]
    return None


def _scan(tax: Taxonomy, toks: _Tokens) -> list[list]:
    """Candidate mentions over a whole-text tokenization (``pipeline.skills._candidates`` finds the same)."""
    first = tax.first
    found: list[list] = []
    next_free = 0
    for i in [k for k, t in enumerate(toks.low) if t in first or (t[-1].isdigit() and t[0].isalpha())]:
        if i < next_free:
            continue
        hit = _match_at(tax, toks, i)
        if hit:
            found.append(hit)
            next_free = hit[1]
    return found


def _resolve_ambiguous(toks: _Tokens, found: list[list]) -> None:
    """Apply the context rule (rule 6) to ambiguous candidates, in place (whole-text tokens)."""
    candidates: list[list] = []
    for k, m in enumerate(found):
        if m[3]:
            if _brand_product(toks.text, found, k):
                continue
            verdict = _context_verdict(toks, m[0], m[1], m[4], m[5])
            if verdict:
                m[6] = True
            elif verdict is None:
                candidates.append(m)
    # b. list adjacency to an accepted mention, until no change.
    if candidates:
        low = toks.low
        by_start = {m[0]: m for m in found}
        by_end = {m[1]: m for m in found}
        changed = True
        while changed and candidates:
            changed = False
            for m in list(candidates):
                if _list_neighbour(low, m, by_start, by_end):
                    m[6] = True
                    candidates.remove(m)
                    changed = True
    for m in candidates:
        m[6] = None  # undecided: ``_support`` may still accept it


def _list_neighbour(low: list[str], m: list, by_start: dict, by_end: dict) -> bool:
    """Whether an accepted mention sits next to ``m`` with only list separators between."""
    n_toks = len(low)
    k = m[1]
    for _ in range(_LIST_DISTANCE + 1):
        other = by_start.get(k)
        if other is not None:
            if other[6]:
                return True
            break
        if k >= n_toks or not _is_separator(low[k]):
            break
        k += 1
    k = m[0]
    for _ in range(_LIST_DISTANCE + 1):
        other = by_end.get(k)
        if other is not None:
            return bool(other[6])
        if k <= 0 or not _is_separator(low[k - 1]):
            break
        k -= 1
    return False


def _reference_cues(text: str) -> list[tuple[int, int]]:
    """The rule 10 cues as ``pipeline.skills._candidates`` finds them (each phrase between non-word characters), by
    plain search."""
    skeleton = f" {text.encode('latin-1', 'replace').translate(_SKELETON).decode('latin-1')} "
    cues = []
    for cue, phrases in _CUE_PHRASES.items():
        for phrase in phrases:
            key = f" {phrase} "
            pos = skeleton.find(key)
            while pos >= 0:
                cues.append((cue, pos + len(phrase)))
                pos = skeleton.find(key, pos + 1)
    return cues
