"""One compiled pass over a posting's text that tells each parser whether its patterns can match at all.

Several parsers start with a gate ("can this pattern match anywhere in the text?") that says no on most postings,
and in ``re`` a pattern led by a lookbehind or an alternation of words is tried at every position of the text: a
pass that costs hundreds of microseconds even when it finds nothing. Here a parser registers the patterns it is
about to run (:func:`gate`, at import time); :func:`hits` compiles every registered pattern into one RE2 set
(``google-re2``: a DFA, linear in the text) and runs it once over the text, and the parser runs its exact ``re``
code only when its gate is among the hits. Its output is the same by construction, because a gate is a
*loosened* copy of the parser's pattern (:func:`loosened`) that matches wherever the original can: ``re``'s
Unicode classes written out for RE2, lookarounds and word boundaries dropped, a leading negative lookbehind turned
into a character that must precede.

Measured against Hyperscan and against the ``re`` gates themselves on this repository's corpus: docs/scan.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

import re2

# ``re``'s Unicode classes (str patterns), written out for RE2, whose \s \w \d are ASCII. \s: str.isspace(); \w:
# str.isalnum() (letters and every numeric category) or "_"; \d: decimal digits.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"
_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_CLASSES = {"s": _SPACE, "w": _WORD, "d": _DIGIT}
_FLAGS = ((re.IGNORECASE, "i"), (re.DOTALL, "s"), (re.MULTILINE, "m"))

_GATES: dict[str, str] = {}  # name -> RE2 expression
_PATTERNS: dict[str, tuple[re.Pattern[str], bool]] = {}  # name -> the parser's pattern, lowered


class _Generation:
    value = 0
    all_open = False  # see all_open()


def gate(name: str, pattern: re.Pattern[str], *, lowered: bool = False) -> str:
    """Register ``pattern`` under ``name`` and return ``name``: ``name in hits(text)`` is then False only when
    ``pattern`` matches nowhere in ``text`` (``lowered``: nowhere in ``text.lower()`` or ``fold(text)``, for the
    parsers that match the lowered text; the gate is then caseless). Call at import time."""
    expression = loosened(pattern)
    if lowered and "i" not in _flags_of(pattern):
        expression = "(?i)" + expression
    _PATTERNS[name] = (pattern, lowered)
    if _GATES.get(name) != expression:
        _GATES[name] = expression
        _Generation.value += 1
    return name


def registered() -> dict[str, tuple[re.Pattern[str], bool]]:
    """Each gate's ``re`` pattern and whether it runs on the lowered text (for the tests)."""
    return {name: _PATTERNS[name] for name in _GATES}


def hits(text: str) -> frozenset[str]:
    """The names of the registered gates whose pattern may match ``text``, from one pass of the RE2 set; cached
    for the last texts, since every parser of a posting asks about the same ``str``."""
    if _Generation.all_open:
        return frozenset(_GATES)
    return _hits(text, _Generation.value)


@contextmanager
def all_open() -> Iterator[None]:
    """Within the block every gate is open and :func:`finditer` is ``pattern.finditer``: the parsers run as they did
    before the scan (their reference), for the tests that compare both."""
    before = _Generation.all_open
    _Generation.all_open = True
    try:
        yield
    finally:
        _Generation.all_open = before


@lru_cache(maxsize=64)
def _hits(text: str, generation: int) -> frozenset[str]:
    names, rset = _compiled(generation)
    try:
        found = rset.Match(text)
    except UnicodeEncodeError:  # a lone surrogate: no answer, so every gate stays open
        return frozenset(names)
    return frozenset(names[i] for i in found) if found else frozenset()


@lru_cache(maxsize=1)
def _compiled(generation: int) -> tuple[list[str], re2.Set]:
    options = re2.Options()
    options.max_mem = 64 << 20
    options.log_errors = False
    rset = re2.Set.SearchSet(options)
    names = list(_GATES)
    for name in names:
        rset.Add(_GATES[name])
    rset.Compile()
    return names, rset


def finditer(name: str, text: str) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields for the gate ``name``'s pattern, with the pattern tried only inside
    the matches of its loosened twin (found by RE2 in one pass): every position where the pattern can match lies in
    one of them, since the twin matches there too and RE2 reports the leftmost match after each one it reports.
    ``text`` is what the parser matches (the lowered text for a ``lowered`` gate). For patterns that cannot match
    the empty string."""
    pattern = _PATTERNS[name][0]
    if _Generation.all_open:  # the reference: the pattern over the whole text
        yield from pattern.finditer(text)
        return
    data = text.encode("utf-8", "surrogatepass")
    same = len(data) == len(text)  # ASCII: byte offsets are character offsets
    pos = 0
    for q in _twin(name, _Generation.value).finditer(data):
        a, b = q.start(), q.end()
        if not same:
            a = len(data[:a].decode("utf-8", "surrogatepass"))
            b = a + len(data[q.start() : q.end()].decode("utf-8", "surrogatepass"))
        x = max(a, pos)
        while x < b:
            m = pattern.match(text, x)
            if m is None:
                x += 1
                continue
            yield m
            pos = x = m.end()


def search(name: str, text: str) -> re.Match[str] | None:
    """``pattern.search(text)`` for the gate ``name``'s pattern, by :func:`finditer`."""
    return next(finditer(name, text), None)


@lru_cache(maxsize=64)
def _twin(name: str, generation: int) -> re2._Regexp:
    options = re2.Options()
    options.max_mem = 64 << 20
    options.log_errors = False
    return re2.compile(_GATES[name], options)


def _flags_of(pattern: re.Pattern[str]) -> str:
    return "".join(letter for flag, letter in _FLAGS if pattern.flags & flag)


def loosened(pattern: re.Pattern[str]) -> str:
    """An RE2 expression that matches wherever ``pattern`` can match (a superset, for a gate).

    ``\\s \\w \\d`` and their negations become RE2's Unicode classes; ``\\b``, ``\\B``, lookaheads and lookbehinds are
    dropped (each only narrows a match), except a negative lookbehind of one character that leads the pattern,
    which becomes a character that is not it (or the start of the text). ``$`` outside MULTILINE may also precede a
    final line break, as in ``re``. Raises ValueError for what RE2 cannot express (backreferences, atomic groups,
    possessive repeats, verbose patterns)."""
    src = pattern.pattern
    if pattern.flags & re.VERBOSE:
        raise ValueError("verbose patterns are not loosened")
    out: list[str] = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == "\\" and src[i + 1] in "uU":
            i = _unicode_escape(src, i, out)
        elif c == "\\":
            out.append(_escape(src[i + 1], in_class=False))
            i += 2
        elif c == "[":
            j = _class_end(src, i)
            out.append(_class(src[i:j]))
            i = j
        elif c == "(" and src.startswith("(?", i):
            if src.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
                j = _group_end(src, i)
                if j < n and src[j] in "?*+{":
                    raise ValueError(f"a repeated lookaround: {src!r}")
                body = src[i + 4 : j - 1]
                if i == 0 and src.startswith("(?<!", i) and _is_one_char(body) and not body.startswith("[^"):
                    negated = _class("[^" + body[1:]) if body.startswith("[") else _class(f"[^{body}]")
                    out.append(f"(?:^|{negated})")
                i = j
            elif src.startswith(("(?P=", "(?>", "(?#"), i):
                raise ValueError(f"RE2 cannot express {src[i : i + 4]!r}: {src!r}")
            else:
                out.append(c)
                i += 1
        elif c in "*+?" and i + 1 < n and src[i + 1] == "+":
            raise ValueError(f"a possessive repeat: {src!r}")
        elif c == "$" and not pattern.flags & re.MULTILINE:
            out.append(r"(?:\n?\z)")
            i += 1
        else:
            out.append(c)
            i += 1
    flags = _flags_of(pattern)
    return (f"(?{flags})" if flags else "") + "".join(out)


def _escape(ch: str, *, in_class: bool) -> str:
    """One ``re`` escape ``\\ch`` in RE2 syntax ("" for the dropped ``\\b``/``\\B`` outside a class)."""
    low = ch.lower()
    if low in _CLASSES:
        body = _CLASSES[low]
        if ch.islower():
            return body if in_class else f"[{body}]"
        return f"[^{body}]"
    if ch in "bB" and not in_class:
        return ""
    if ch == "Z":
        return r"\z"
    if ch.isdigit() and not in_class:
        raise ValueError("a backreference")
    if ch.isascii():
        return "\\" + ch
    return ch  # an escaped non-ASCII character is that character


def _class(text: str) -> str:
    """A character class ``[...]`` in RE2 syntax. A negated escape (``\\S \\W \\D``) inside it is loosened: left
    out of a negated class ("[^\\S\\n]" -> "[^\\n]"), and a class holding one in its set matches any character."""
    negated = text.startswith("[^")
    out: list[str] = []
    i = 2 if negated else 1
    end = len(text) - 1
    while i < end:
        c = text[i]
        if c == "\\" and text[i + 1] in "uU":
            i = _unicode_escape(text, i, out)
        elif c == "\\":
            ch = text[i + 1]
            if ch in "SWD":
                if not negated:
                    return _ANY
            elif ch == "b":
                out.append(r"\x08")
            else:
                out.append(_escape(ch, in_class=True))
            i += 2
        elif c == "[":
            out.append(r"\[")
            i += 1
        else:
            out.append(c)
            i += 1
    if not out:
        return _ANY
    return ("[^" if negated else "[") + "".join(out) + "]"


_ANY = r"[\x{0}-\x{10ffff}]"


def _unicode_escape(src: str, i: int, out: list[str]) -> int:
    """Append ``re``'s ``\\uXXXX`` / ``\\UXXXXXXXX`` at ``i`` as RE2's ``\\x{...}``; the index after it."""
    size = 4 if src[i + 1] == "u" else 8
    out.append(f"\\x{{{src[i + 2 : i + 2 + size]}}}")
    return i + 2 + size


def _class_end(src: str, i: int) -> int:
    """The index just after the character class opening at ``i``."""
    j = i + 1
    if j < len(src) and src[j] == "^":
        j += 1
    if j < len(src) and src[j] == "]":
        j += 1
    while j < len(src) and src[j] != "]":
        j += 2 if src[j] == "\\" else 1
    return j + 1


def _group_end(src: str, i: int) -> int:
    """The index just after the group opening at ``i``."""
    depth = 0
    j = i
    while j < len(src):
        c = src[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(src, j)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError(f"unbalanced group in {src!r}")


def _is_one_char(body: str) -> bool:
    """Whether a lookbehind's body is one character: a class, or one plain character."""
    if body.startswith("[") and _class_end(body, 0) == len(body):
        return True
    return len(body) == 1 and body not in "\\.^$|()[]{}*+?"
