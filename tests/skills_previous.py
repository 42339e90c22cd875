"""The skills stage's fast path as it was before issue 20's second pass (pipeline/skills.py at 3552f13), kept as
the reference that the faster one is compared with: ``pipeline.skills.extract_skills`` and ``find_mentions`` must
give what ``previous_extract_skills`` and ``previous_find_mentions`` give (tests/test_skills.py, on our own texts and
on every corpus posting).

What changed since: the skeleton collapses digits and goes to the keyword scan as bytes (here its own keyword set,
built by the old code: ten keys a glued version, digits as written), rule 11's anchors are keys of the scan (here
``_PREVIOUS_NEG_ANCHOR`` over the lowered text), rules 11 and 12 read the text through ``_cased`` twins of their
patterns (here the whole text lowered with ``str.lower``), and a skill's names are read once. The old code is copied
as it was; the helpers that did not change are imported."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from pipeline.company import company_from_text
from pipeline.literals import Literals
from pipeline.skills import (
    _ALIAS,
    _AMBIGUOUS,
    _AMBIGUOUS_MARK,
    _ASCII_LOWER,
    _BULLET_LINE,
    _CASED,
    _CLAUSE_END,
    _CUE,
    _CUE_PHRASES,
    _GENERIC_MARK,
    _GLUED_VERSION,
    _NEG_NO_NEED,
    _NEG_NOT_NEEDED,
    _NEG_REACH,
    _NEG_SECTION,
    _NEG_USE,
    _PLAIN,
    _PLAIN_EXACT,
    _PLATFORM_CATEGORIES,
    _SITE_MARK,
    _URL,
    _URL_RE,
    Mention,
    SkillMatch,
    _company_skills,
    _drop_lone_generic,
    _drop_untagged,
    _drop_weak,
    _is_word,
    _layouts,
    _lower,
    _norm_generic,
    _product_mention,
    _resolve_fast,
    _scope_end,
    _support,
    _tag_index,
    load_taxonomy,
)

_DIGITS = "0123456789"


def _previous_skeleton_table() -> bytes:
    table = bytearray(b" " * 256)
    for b in range(256):
        ch = chr(b)
        if "A" <= ch <= "Z":
            table[b] = b + 32
        elif ("a" <= ch <= "z") or ("0" <= ch <= "9") or ch == "_":
            table[b] = b
        elif b >= 128 and ch.isalnum():  # a Latin-1 letter ("é", "ß") is part of a word
            table[b] = ord("_")
    return bytes(table)


_PREVIOUS_SKELETON = _previous_skeleton_table()


_SKELETON_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_ ")


def _previous_skeleton_of(body: str) -> str:
    return "".join(ch if ch in _SKELETON_CHARS else " " for ch in body)


@cache
def _previous_automaton() -> Literals:
    """The keyword set over the skeletons of every spelling layout, built once (~10k keys, ~0.5 s).

    A key's value: ``(key length, checks)``, one check per kind of spelling with that skeleton, longest first:
    ``(lead, length, kind, lowered bodies or {surface: ambiguous?}, skill index, generic?, spaced leading dot?,
    marks)`` where ``lead`` counts the punctuation before the skeleton's first letter (".net" -> 1). URL starts
    and rule 10 cues are keys too (kinds ``_URL``, ``_CUE``; the cue's kind in place of the skill index)."""
    tax = load_taxonomy()
    # skeleton key -> (lead, length, kind, skill, generic?, spaced leading dot?) -> lowered bodies / surfaces
    checks: dict[str, dict[tuple, Any]] = {}
    for key, entries in tax.index.items():
        idx = entries[0][0]
        plain = any(mode == _ALIAS for _, mode, _ in entries)
        cased = [(_layouts(surface), mode == _AMBIGUOUS) for _, mode, surface in entries]
        for k, body in enumerate(_layouts(key)):
            skeleton = _previous_skeleton_of(body)
            core = skeleton.strip()
            if not core:
                raise ValueError(f"spelling {body!r} has no letters")
            lead = len(skeleton) - len(skeleton.lstrip())
            generic = (idx, _norm_generic(body)) in tax.generic
            options = checks.setdefault(f" {core} ", {})
            if plain:
                # a space in the skeleton may be any non-word character: such bodies are compared with the text
                kind = _PLAIN_EXACT if skeleton != body or " " in body else _PLAIN
                key_ = (lead, len(body), kind, idx, generic, body.startswith(". "))
                options.setdefault(key_, set()).add(body)
            else:
                surfaces = options.setdefault((lead, len(body), _CASED, idx, generic, body.startswith(". ")), {})
                for layouts, ambiguous in cased:
                    surfaces.setdefault(layouts[k], ambiguous)
    for word, idx in tax.versionable.items():
        for d in _DIGITS:
            checks.setdefault(f" {word}{d}", {})[(0, len(word), _GLUED_VERSION, idx, False, False)] = None
    for url in ("http   ", "https   ", "www "):  # "http://", "https://", "www." in the skeleton
        checks.setdefault(f" {url}", {})[(0, 0, _URL, -1, False, False)] = None
    for cue, phrases in _CUE_PHRASES.items():
        for phrase in phrases:
            checks.setdefault(f" {phrase} ", {})[(0, len(phrase), _CUE, cue, False, False)] = None
    pairs = []
    for key, options in checks.items():
        merged = [
            (
                lead,
                length,
                kind,
                frozenset(expect) if isinstance(expect, set) else expect,
                idx,
                generic,
                dot_spaced,
                (_GENERIC_MARK if generic else 0)
                | (_SITE_MARK if kind in (_PLAIN, _PLAIN_EXACT, _CASED) and idx in tax.profile_sites else 0),
            )
            for (lead, length, kind, idx, generic, dot_spaced), expect in options.items()
        ]
        merged.sort(key=lambda option: -option[1])  # longest first
        pairs.append((key, (len(key), tuple(merged))))
    # Hyperscan's literal matcher: 21 us a posting for the scan against 35 us for pyahocorasick's walk, and in the
    # whole stage 129 -> 113 us (docs/scan.md)
    return Literals(pairs)


def previous_skeleton(text: str) -> str:
    """What the keyword set runs on, offsets unchanged: ``text`` with ASCII letters lower-cased, digits and "_"
    kept, other Latin-1 letters as "_" (part of a word) and every other character a space."""
    return text.encode("latin-1", "replace").translate(_PREVIOUS_SKELETON).decode("latin-1")


_PREVIOUS_NEG_ANCHOR = re.compile(r"n(?:[\'’]t|ot|ever|o)")


def previous_candidates(text: str) -> tuple[list[list], list[tuple[int, int]], int]:
    """The candidate mentions a whole-text tokenization would give (``[None, None, skill index, ambiguous?, start,
    end, accepted, generic?]``, sorted, not overlapping; tests/skills_reference.py), by one automaton pass over the
    skeleton.

    Only the automaton's hits (~13 per 5 KB posting) are looked at in Python: the spelling's punctuation and
    spaces must be in the text as written (the skeleton turns a line break or a comma into a space too), a cased
    spelling must have its exact surface, a spelling ending or starting with punctuation must not be glued to a
    word, a spaced leading dot must follow whitespace, and rule 4 (filenames, domains) applies. URLs are opaque
    (rule 1): their starts are keys of the automaton too, and so are the cues of rule 10, returned as
    ``(cue, end)``."""
    skeleton_ = previous_skeleton(text)
    hits = []
    urls: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    marks = 0
    n = len(text)
    # A character beyond Latin-1 became "?" and so a space: look at the text itself there.
    check = not text.isascii()
    for stop, (size, options) in _previous_automaton().iter(f" {skeleton_} "):
        core = stop - size + 1  # the text offset of the key's first letter
        for lead, length, kind, expect, idx, generic, dot_spaced, mark in options:
            start = core - lead
            end = start + length
            if kind == _PLAIN:
                ambiguous = False
                # the characters around; beyond Latin-1 they were "?" in the skeleton, so one may be a letter
                before = text[start - 1] if start else " "
                after = text[end] if end < n else " "
                if check and ((before > "\xff" and before.isalnum()) or (after > "\xff" and after.isalnum())):
                    continue
            else:
                if kind == _CASED:
                    ambiguous = expect.get(text[start:end])
                    if ambiguous is None or (dot_spaced and start and not text[start - 1].isspace()):
                        continue
                elif kind == _PLAIN_EXACT:
                    frag = text[start:end]
                    if start < 0 or (frag.lower() if frag.isascii() else frag.translate(_ASCII_LOWER)) not in expect:
                        continue
                    if dot_spaced and start and not text[start - 1].isspace():
                        continue
                    ambiguous = False
                elif kind == _GLUED_VERSION:
                    while end < n and "0" <= text[end] <= "9":
                        end += 1
                    ambiguous = False
                elif kind == _CUE:
                    cues.append((idx, end))
                    continue
                else:  # a URL, up to the next whitespace
                    if not (start and _is_word(text[start - 1])):
                        url = _URL_RE.match(text, start)
                        if url:
                            urls.append(url.span())
                    continue
                before = text[start - 1] if start else " "
                after = text[end] if end < n else " "
                if _is_word(after) or _is_word(before):
                    continue
            # rule 4: a filename or a domain
            if (before == "." and start >= 2 and _is_word(text[start - 2])) or (
                after == "." and end + 1 < n and text[end + 1].islower()
            ):
                continue
            hits.append((start, -end, idx, ambiguous, generic))
            marks |= mark
            if ambiguous:
                marks |= _AMBIGUOUS_MARK
    if not hits:
        return [], cues, marks
    hits.sort()
    found: list[list] = []
    next_free = 0
    # URL spans come in text order; two spans that overlap end at the same whitespace ("https://www.x.io")
    u, n_urls = 0, len(urls)
    for start, neg_end, idx, ambiguous, generic in hits:
        if start < next_free:
            continue
        end = -neg_end
        if n_urls:
            while u < n_urls and urls[u][1] <= start:
                u += 1
            if u < n_urls and urls[u][0] < end:
                continue
        found.append([None, None, idx, ambiguous, start, end, not ambiguous, generic])
        next_free = end
    return found, cues, marks


def previous_accepted(text: str, first_only: bool = False, supported: frozenset[int] = frozenset()) -> list[list]:
    """The accepted mentions (candidate lists, see ``_candidates``) in text order. ``first_only``: only each
    skill's first mention will be read (it is the same; later ones may be kept unchecked). ``supported``: skill
    indices a structured tag names (rule 7: a tag accepts an undecided ambiguous mention of its skill)."""
    found, cues, marks = previous_candidates(text)
    if not found:
        return found
    accepted = found
    if marks & _AMBIGUOUS_MARK:
        _resolve_fast(text, found)
        _support(text, found, supported)
        accepted = [m for m in found if m[6]]
    # before rule 8: a mention that needs a tag must not count as the specific mention a generic one needs
    accepted = _drop_untagged(text, accepted, supported)
    if marks & _GENERIC_MARK:
        # rule 10 below may drop a skill's first mention: then its later ones must have been checked
        accepted = _drop_lone_generic(text, accepted, first_only and not (cues or marks & _SITE_MARK), supported)
    if cues or marks & _SITE_MARK:
        accepted = _drop_weak(text, accepted, cues)
    return accepted


def previous_negated_scopes(low: str) -> list[tuple[int, int]]:
    """The stretches of the (lowered) text that rule 11 takes out of the job."""
    scopes: list[tuple[int, int]] = []
    sections: list[re.Match[str]] = []
    for anchor in _PREVIOUS_NEG_ANCHOR.finditer(low):
        at, word = anchor.start(), anchor.group()
        if word == "not":
            use = _NEG_USE.match(low, at - 3) if low[at - 3 : at] == "can" else _NEG_USE.match(low, at - 1)
            needed = _NEG_NOT_NEEDED.match(low, at)
            if needed and low[max(0, at - 6) : at].rstrip().endswith((" is", " are")):
                lo = max(0, at - _NEG_REACH)
                cut = max(low.rfind(c, lo, at) for c in ".;:!?\n")
                scopes.append((max(lo, cut + 1), at))
            if (m := _NEG_SECTION.match(low, at)) is not None:
                sections.append(m)
        elif word == "no":
            use = _NEG_USE.match(low, at)
            if (m := _NEG_NO_NEED.match(low, at)) is not None:
                scopes.append(m.span("span"))
        else:  # n't, never: the pattern starts with them
            use = _NEG_USE.match(low, at)
        if use is not None:
            scopes.append((use.end(), _scope_end(low, use.end())))
    for m in sections:
        line_end = low.find("\n", m.end())
        if line_end < 0:
            line_end = len(low)
        stop = _CLAUSE_END.search(low, m.end(), line_end)
        if stop is not None and low[stop.start()] not in ":?":
            scopes.append((m.end(), stop.start()))  # inside a sentence: the rest of its clause
            continue
        # a heading: the rest of its line; then the next line when the heading stands alone, and the bullets
        end, pos = line_end, line_end + 1
        taken = bool(low[m.end() : line_end].strip(" :?!-–—"))
        while pos < len(low):
            nxt = low.find("\n", pos)
            nxt = len(low) if nxt < 0 else nxt
            line = low[pos:nxt]
            if line.strip():
                if taken and not _BULLET_LINE.match(line):
                    break
                taken = True
                end = nxt
            pos = nxt + 1
        scopes.append((m.end(), end))
    return scopes


def previous_not_the_job(text: str, accepted: list[list]) -> list[list]:
    """``accepted`` without the mentions rules 11 (negation and exclusion) and 12 (the company's products) drop."""
    if not accepted:
        return accepted
    low = text.lower()
    if len(low) != len(text):  # "İ" lengthens: the offsets must stay
        low = _lower(text)
    scopes = previous_negated_scopes(low)
    tax = load_taxonomy()
    out = []
    for m in accepted:
        if scopes and any(a <= m[4] < b for a, b in scopes):
            continue
        if tax.skills[m[2]].category in _PLATFORM_CATEGORIES and _product_mention(low, m):
            continue
        out.append(m)
    return out


def previous_extract_skills(text: str, tags: Iterable[str] = (), company: str | None = None) -> SkillMatch:
    """Canonical skills the job asks for, named in ``text`` (order of first appearance), with their evidence.

    Structured ``tags`` are no evidence alone (rule 7): a tag accepts an ambiguous mention of its skill that the
    context left undecided ("Go" in a list that names nothing else), but a skill only a tag names is left out --
    feeds tag "go" on postings whose only "go" is "go above and beyond". ``company``, the hiring company's name,
    suppresses a skill whose name or a spelling equals it (case-insensitive, legal suffixes such as "Inc." stripped;
    rule 9), and so does a company the text introduces itself by ("At MongoDB, we ...",
    ``pipeline.company.company_from_text``)."""
    result = SkillMatch()
    if not text:
        return result
    own = _company_skills(company) | _company_skills(company_from_text(text))
    supported = frozenset(i for tag in tags if isinstance(tag, str) and (i := _tag_index(tag)) is not None)
    tax = load_taxonomy()
    accepted = previous_accepted(text, first_only=True, supported=supported)
    kept = previous_not_the_job(text, accepted)
    if len(kept) != len(accepted):
        # a first mention was dropped: a later generic one may have been kept unchecked (first_only), so read all
        kept = previous_not_the_job(text, previous_accepted(text, supported=supported))
    evidence = result.evidence
    for m in kept:
        skill = tax.skills[m[2]]
        for name in (skill.name, *skill.implies):
            if name not in evidence and name not in own:
                result.skills.append(name)
                evidence[name] = text[m[4] : m[5]]
    return result


def previous_find_mentions(text: str) -> list[Mention]:
    """Every accepted mention in ``text`` that speaks of the job (rules 11 and 12 drop the others), in order (a
    skill may appear several times); a skill another implies (``implies`` in the taxonomy: "ASP.NET Core" is
    .NET) follows its mention with the same span."""
    if not text:
        return []
    skills = load_taxonomy().skills
    out = []
    for m in previous_not_the_job(text, previous_accepted(text)):
        skill = skills[m[2]]
        out.append(Mention(skill.name, m[4], m[5], text[m[4] : m[5]]))
        out += [Mention(name, m[4], m[5], text[m[4] : m[5]]) for name in skill.implies]
    return out
