"""``pipeline.text.html_to_text`` as it was before issue 20's pass over it: a libxml2 parse of the ``str``, the
libxslt walk, the soft breaks resolved (``_resolve_soft``) and the text tidied (``tidy_text``) in two passes.
tests/test_text.py checks that the fast version returns the very same string, on our cases and on every corpus
description."""

from __future__ import annotations

import html as html_lib
import re
import threading

from lxml import etree

from pipeline.text import unescape_html

BLOCK_TAGS = {
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
_SPACE_CHARS = "\t\r\f\v\u00a0\u2009\u202f"
_SPACE_RUN = re.compile("   *")
_BREAK_RUN = re.compile("\n\n\n+")
_LOOKS_ESCAPED = re.compile(r"&lt;\s*/?\s*[a-zA-Z]")
_PARSER = etree.HTMLParser()
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_STRING = etree.XPath("string()", smart_strings=False)
_ITER_TAGS = (*sorted(BLOCK_TAGS), "script", "style")
SOFT_MARKS = ("\ue000", "\ue001", "\uf8ff")


def reference_html_to_text(value: str | None) -> str:
    if not value:
        return ""
    if "&lt;" in value and _LOOKS_ESCAPED.search(value):
        value = unescape_html(value)
    if "<" not in value:
        return reference_tidy_text(html_lib.unescape(value) if "&" in value else value)
    mark = next((m for m in SOFT_MARKS if m not in value), "")
    if mark and not any(c in value for c in _CONTROL_CHARS):
        collected = _collect_text(value, mark)
        if collected is not None:
            return reference_tidy_text(reference_resolve_soft(collected, mark))
    return reference_tree_text(value, mark)


def _stylesheet(mark: str) -> etree.XSLT:
    blocks = "|".join(sorted(BLOCK_TAGS - {"br", "hr", "li"}))
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
        )
    )


class _Local(threading.local):
    def __init__(self) -> None:
        self.parser = etree.HTMLParser()
        self.stylesheets = {mark: _stylesheet(mark) for mark in SOFT_MARKS}


_LOCAL = _Local()


def _collect_text(value: str, mark: str) -> str | None:
    local = _LOCAL
    try:
        doc = etree.fromstring(f"<html><body>{value}</body></html>", local.parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None
    if doc is None or doc.find("body") is None:
        return None
    return str(local.stylesheets[mark](doc))


def reference_tree_text(value: str, mark: str) -> str:
    try:
        doc = etree.fromstring(f"<html><body>{value}</body></html>", _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        doc = None
    root = doc.find("body") if doc is not None else None
    if root is None:
        return reference_tidy_text(re.sub(r"<[^>]+>", " ", value))
    try:
        _mark_blocks(root, mark)
    except ValueError:
        if _CONTROL.search(value):
            return reference_html_to_text(_CONTROL.sub("", value))
    return reference_tidy_text(reference_resolve_soft(_STRING(root), mark))


def _mark_blocks(root: etree._Element, mark: str) -> None:
    for el in list(root.iter(*_ITER_TAGS)):
        tag = el.tag
        if tag == "script" or tag == "style":
            el.text = None
            continue
        if mark and tag != "br" and tag != "hr":
            soft = etree.Element("s")
            soft.text = mark
            el.addprevious(soft)
        tail = el.tail
        el.tail = "\n" + tail if tail else "\n"
        if tag == "li":
            text = el.text
            el.text = "- " + text if text else "- "


def reference_resolve_soft(value: str, mark: str) -> str:
    if not mark or mark not in value:
        return value
    parts = value.split(mark)
    first = parts[0]
    out = [first]
    visible = bool(first.strip())
    tail_break = "\n" in first[len(first.rstrip()) :]
    for part in parts[1:]:
        stripped = part.lstrip()
        if stripped:
            if visible and not tail_break and "\n" not in part[: len(part) - len(stripped)]:
                out.append("\n")
            visible = True
            tail_break = "\n" in part[len(part.rstrip()) :]
        elif "\n" in part:
            tail_break = True
        out.append(part)
    return "".join(out)


def reference_tidy_text(value: str) -> str:
    for ch in _SPACE_CHARS:
        if ch in value:
            value = value.replace(ch, " ")
    if "  " in value:
        value = _SPACE_RUN.sub(" ", value)
    value = "\n".join([line.strip() for line in value.split("\n")])
    if "\n\n\n" in value:
        value = _BREAK_RUN.sub("\n\n", value)
    return value.strip()
