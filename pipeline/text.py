"""HTML -> plain text for descriptions.

lxml's ``text_content()`` is ~14x faster than BeautifulSoup on clean ATS HTML (DESIGN.md, measured on 394 real
descriptions), so it is the hot path; block elements become line breaks so that line-based parsers (footers such
as "Pay: $X - $Y per hour", HN first lines) still see lines. A block element starts a new line ("A | B<p>Para" ->
"A | B\nPara") and ends one; the break before it is "soft": it adds no blank line where a break already is.
"""

from __future__ import annotations

import html as html_lib
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from itertools import repeat

from lxml import etree

from pipeline import scan

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "table",
    "section",
    "article",
    "header",
    "footer",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "hr",
}
# Horizontal spaces that collapse to one " " (other whitespace is only stripped at line ends).
_SPACE_CHARS = "\t\r\f\v\u00a0\u2009\u202f"
# Led by the whole two- and three-character literal: " {2,}" is tried at every space of the text (15 us on a
# 5 KB posting); "  +" is skipped to in C (measured on the corpus: 2 runs per posting on average).
_SPACE_RUN = re.compile("   *")
_BREAK_RUN = re.compile("\n\n\n+")
_LOOKS_ESCAPED = re.compile(r"&lt;\s*/?\s*[a-zA-Z]")
_PARSER = etree.HTMLParser()
# What lxml will not store in a tree (XML 1.0 excludes these control characters).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_CONTROL_BYTES = "".join(_CONTROL_CHARS).encode()
# Every character that str.isspace() calls whitespace, which is what str.strip() strips (tests/test_text.py checks
# the list against the whole of Unicode): the same set given to strip(chars) with a soft-break mark added.
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


# Control characters that no posting text keeps (docs/operations.md, "Hostile input"): C0 except tab and line feed,
# DEL and C1. Invisible at best; at worst they make XML invalid (the Atom watch feed) or drive a terminal (ESC, BEL).
CONTROL_CHARS = "".join(chr(c) for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)))
# Invisible characters that split a word without showing it: zero-width space, word joiner, byte-order mark (a
# zero-width no-break space inside text), soft hyphen. Real descriptions carry them ("\u200b\u200bCode reviews"
# in We Work Remotely's feeds), and "Kuber\u00adnetes" or "Post\u200bgreSQL" would be no skill at all. Zero-width
# (non-)joiners stay: Persian, Indic scripts and emoji sequences need them.
INVISIBLE_CHARS = "\u200b\u2060\ufeff\u00ad"
_CONTROLS = re.compile(f"[{re.escape(CONTROL_CHARS + INVISIBLE_CHARS)}]")


def _control_replacement(m: re.Match[str]) -> str:
    return " " if m.group().isspace() else ""


# For a description, the question is one more pattern in the compiled scan that its parsers run over the very same
# str next (pipeline.scan): ~12 us per posting for _CONTROLS.search, nothing in the scan. Short fields ask ``re``.
_CONTROLS_SCAN = scan.gate("text.controls", _CONTROLS)
_SHORT = 200


def strip_controls(value: str) -> str:
    """``value`` without control characters (:data:`CONTROL_CHARS`; tab and line feed stay) and invisible ones
    (:data:`INVISIBLE_CHARS`): those that Python counts as whitespace (CR, VT, FF, U+001C..U+001F, NEL) become a
    space, so that words stay apart, the others go. Text without any is returned as it is."""
    if value.isprintable():  # every control character is unprintable: most short fields end here, in C
        return value
    if len(value) > _SHORT and _CONTROLS_SCAN not in scan.hits(value):
        return value
    if not _CONTROLS.search(value):
        return value
    return _CONTROLS.sub(_control_replacement, value)


def _has_control(value: str) -> bool:
    """``_CONTROL.search(value)``, by one C-speed substring search per character: 5 us against 16 us for the
    character class, which ``re`` tries at every position (967 real descriptions, mostly non-ASCII)."""
    return any(c in value for c in _CONTROL_CHARS)


def _has_control_bytes(data: bytes) -> bool:
    """``_has_control`` on the UTF-8 bytes of a text (control characters are single bytes there, and no byte of a
    longer character is one): the bytes without them, one C pass, are shorter. 3 us against 6.5 us for the
    substring searches on the ``str`` (967 real descriptions)."""
    return len(data.translate(None, _CONTROL_BYTES)) != len(data)


# what lxml.html text_content() evaluates: the text nodes of the subtree (no comments), without the tail
_STRING = etree.XPath("string()", smart_strings=False)
_ITER_TAGS = (*sorted(_BLOCK_TAGS), "script", "style")
# The soft break before a block element is first written as a private-use character that the input does not hold
# (lxml stores it; control characters it refuses), then resolved over the whole text at once by _resolve_soft.
_SOFT_MARKS = ("\ue000", "\ue001", "\uf8ff")


# The entities of escaped markup. When they are all a text holds, replacing them (``&amp;`` last, so that
# "&amp;lt;" becomes "&lt;" as html.unescape makes it) is one level of unescaping at a third less cost than
# html.unescape's per-entity callback (Greenhouse content: 124 -> 80 us per 9 KB description, measured).
_MARKUP_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&amp;", "&"))


def unescape_html(value: str) -> str:
    """Undo one level of entity escaping (Greenhouse sends ``&lt;p&gt;...``)."""
    if value.count("&") != sum(value.count(entity) for entity, _ in _MARKUP_ENTITIES):
        return html_lib.unescape(value)
    for entity, char in _MARKUP_ENTITIES:
        value = value.replace(entity, char)
    return value


def html_to_text(value: str | None) -> str:
    """Readable text of an HTML fragment: block elements on their own lines, whitespace collapsed.

    Accepts entity-escaped HTML too (it is unescaped once first) and plain text (returned tidied).
    """
    if not value:
        return ""
    if "&lt;" in value and _LOOKS_ESCAPED.search(value):
        value = unescape_html(value)
    if "<" not in value:
        return tidy_text(html_lib.unescape(value) if "&" in value else value)
    mark = next((m for m in _SOFT_MARKS if m not in value), "")
    if mark:
        collected = _collect_text(value, mark)
        if collected is not None:
            return _tidy(collected, mark)
    return _tree_text(value, mark)


def _stylesheet(mark: str) -> etree.XSLT:
    """What ``_mark_blocks`` + ``string()`` read from the tree, as an XSLT transform run in C by libxslt: the text
    of ``<body>``, ``mark`` (a soft break) before each block element and a line break after it, "- " at the start
    of a list item, nothing from script and style (comments and processing instructions write nothing). Without
    EXSLT's regular expressions (``regexp=False``), which lxml would otherwise register again on every call."""
    blocks = "|".join(sorted(_BLOCK_TAGS - {"br", "hr", "li"}))
    ref = f"&#x{ord(mark):X};"
    return etree.XSLT(
        etree.fromstring(
            f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates select="html[1]/body[1]"/></xsl:template>
<xsl:template match="script|style"/>
<xsl:template match="{blocks}">{ref}<xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="li">{ref}- <xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="br|hr"><xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>"""
        ),
        regexp=False,
    )


class _Local(threading.local):
    """lxml parsers and XSLT objects are not to be shared between threads: one set per thread."""

    def __init__(self) -> None:
        # The description goes in as UTF-8 bytes: a str reaches libxml2 in its own width (UTF-16 or UCS-4 for most
        # descriptions, which are not Latin-1) and is converted there. Parse 50 -> 43 us a description, plus 3.5 us
        # to encode (967 real ones, one process); the same trees. No table of ID attributes: no text needs one.
        self.parser = etree.HTMLParser(encoding="utf-8", collect_ids=False)
        self.str_parser = etree.HTMLParser()  # for the str that UTF-8 cannot encode (lone surrogates)
        self.stylesheets = {mark: _stylesheet(mark) for mark in _SOFT_MARKS}


_LOCAL = _Local()


def _collect_text(value: str, mark: str) -> str | None:
    """The text of ``value`` with soft-break marks, as the tree path reads it, or None when the value holds control
    characters, the parse fails or holds no body (the caller then takes the tree path, which has the fallbacks).

    libxml2 parses, libxslt walks: 91 us per real description against 118 us for a Python parser target and 49 us
    for lxml's text_content() (bench_normalize's corpus, measured in one run), with the same output on all 967.
    The control characters that send a value to the tree path are looked for in the UTF-8 bytes the parser reads."""
    local = _LOCAL
    wrapped = f"<html><body>{value}</body></html>"
    try:
        data = wrapped.encode()
    except UnicodeEncodeError:
        if _has_control(value):
            return None
        data, parser = wrapped, local.str_parser
    else:
        if _has_control_bytes(data):
            return None
        parser = local.parser
    try:
        doc = etree.fromstring(data, parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if doc is None or doc.find("body") is None:
        return None
    return str(local.stylesheets[mark](doc))


def _tree_text(value: str, mark: str) -> str:
    """``html_to_text`` by a tree: parse, mark the blocks in the tree, read its text. The transform above does the
    same in C; this path stays for inputs it leaves (control characters, every mark taken)."""
    # What lxml.html.fragment_fromstring does, with a plain etree parser: lxml.html's parser looks up a Python
    # element class for every element it hands out, which costs more than the parse itself.
    try:
        doc = etree.fromstring(f"<html><body>{value}</body></html>", _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        doc = None
    root = doc.find("body") if doc is not None else None
    if root is None:
        return tidy_text(re.sub(r"<[^>]+>", " ", value))
    try:
        _mark_blocks(root, mark)
    except ValueError:  # lxml refuses to write back text holding control characters ("<li>\x1f")
        if _CONTROL.search(value):
            return html_to_text(_CONTROL.sub("", value))
    return _tidy(_STRING(root), mark)


def _mark_blocks(root: etree._Element, mark: str) -> None:
    """Block elements get a soft break (``mark``) before them and a line break after them, list items a "- "
    marker, script and style lose their text. Only the elements that need a change are visited (lxml filters by
    tag in C). The soft break is the text of a new empty element placed before the block, so no text of the input
    is rewritten for it (lxml refuses to write back text holding control characters)."""
    for el in list(root.iter(*_ITER_TAGS)):
        tag = el.tag
        if tag == "script" or tag == "style":
            el.text = None
            continue
        if mark and tag != "br" and tag != "hr":  # br, hr: empty, the break after them is the break
            soft = etree.Element("s")
            soft.text = mark
            el.addprevious(soft)
        tail = el.tail
        el.tail = "\n" + tail if tail else "\n"
        if tag == "li":
            text = el.text
            el.text = "- " + text if text else "- "


# What a line is stripped of: whitespace, and the soft-break mark when there is one.
_STRIP = {mark: _WHITESPACE + mark for mark in ("", *_SOFT_MARKS)}


def _tidy(value: str, mark: str) -> str:
    """``tidy_text`` of ``value`` with its soft breaks (``mark``) resolved: each run of whitespace holding soft
    breaks becomes a line break, unless it already holds one or starts or ends the text (then the marks just go).

    One pass over the lines does both: a mark next to a line break or an end of the text is whitespace to strip
    (``str.strip`` with the mark among its characters), so the marks left afterwards are those between visible
    characters of one line, and each run of them (with the spaces around) becomes one line break. The two-pass
    version (tests/text_reference.py) split the text at every mark first: 41 -> 34 us a description."""
    for ch in _SPACE_CHARS:
        if ch in value:
            value = value.replace(ch, " ")
    if "  " in value:
        value = _SPACE_RUN.sub(" ", value)
    value = "\n".join(map(str.strip, value.split("\n"), repeat(_STRIP[mark])))
    if mark and mark in value:
        value = "\n".join([piece for piece in map(str.strip, value.split(mark)) if piece])
    if "\n\n\n" in value:  # lines are stripped: a run of blank lines is a run of line breaks
        value = _BREAK_RUN.sub("\n\n", value)
    return value.strip()


def tidy_text(value: str) -> str:
    """Runs of spaces -> one space, lines stripped, blank-line runs -> one blank line, ends stripped.

    Written with ``str`` methods and literal-led patterns only: a pattern that may start at any character
    (a whitespace class) costs a match attempt at every position."""
    return _tidy(value, "")


def fold(text: str) -> str:
    """``text.lower()`` with the three non-ASCII letters that ``re.IGNORECASE`` equates with ASCII ones (İ ı ſ)
    mapped to i, i, s: when an IGNORECASE pattern whose literal parts are ASCII matches ``text``, each of its
    literal parts, lower case, occurs in ``fold(text)``. Offsets may differ from ``text``: never index ``text``
    with them. Uncached, for short strings (windows, labels) that should not take ``folded``'s cache slots."""
    low = text.lower()
    if not low.isascii():
        low = low.replace("i\u0307", "i").replace("\u0131", "i").replace("\u017f", "s")
    return low


@lru_cache(maxsize=64)
def folded(text: str) -> str:
    """``fold(text)`` for cheap "can this pattern match at all?" gates, computed once per text and shared by the
    parsers (the parsers receive the same ``str`` object, whose hash Python caches)."""
    return fold(text)


def folded_same_length(text: str) -> str | None:
    """``folded(text)`` when it is as long as ``text`` (almost always; "İ" lowers to two characters), so that
    offsets and slices agree; None otherwise."""
    low = folded(text)
    return low if len(low) == len(text) else None


def case_free(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of an IGNORECASE ``pattern`` whose literals are all lower case: on folded text it
    finds exactly what ``pattern`` finds on the original, at the same offsets (same length), and ``re`` runs
    case-sensitive patterns several times faster."""
    assert pattern.flags & re.IGNORECASE
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


def finditer_gated(
    pattern: re.Pattern[str], text: str, starts: re.Pattern[str], low: str, *, at_zero: bool = True
) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, with ``pattern`` tried only where ``starts`` says a match can start.

    ``re`` tries a word-boundary-led alternation at every position of the text; a pattern led by a character
    class or a literal it skips to in C. ``starts`` runs over ``low`` (``text`` folded, same length) and must find,
    as the **end** of one of its matches, every position where ``pattern`` can match (a superset is fine): the
    usual shape is one non-word character and a lookahead for the literal starts, so that no start is consumed.
    Position 0 is tried too unless ``at_zero`` is False. ``pattern`` must not match the empty string."""
    pos = 0
    if at_zero:
        m = pattern.match(text)
        if m:
            yield m
            pos = m.end()
    for s in starts.finditer(low, max(pos - 1, 0)):
        start = s.end()
        if start < pos:
            continue
        m = pattern.match(text, start)
        if m:
            yield m
            pos = m.end()
