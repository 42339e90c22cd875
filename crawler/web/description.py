"""A posting's description as HTML that is safe to show: the source's own markup, sanitized by an allow-list.

Postings store the description as text; the markup lives in the raw payload kept for ``jobscout reprocess``. The
page reads the canonical source's payload, asks that source's mapper for the description HTML (pure, no network)
and cleans it with nh3 (the Rust ``ammonia`` sanitizer): only the tags and attributes listed here survive, so no
script, style, event handler, iframe, form or image (a remote image would tell its host who reads the posting)
reaches the page; links keep absolute http(s) and mailto targets only and get ``rel="nofollow noopener noreferrer"``.
A source that gives plain text, or a payload pruned or unreadable, falls back to the stored text in paragraphs.
"""

from __future__ import annotations

import html

import nh3

TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
# Removed with everything inside them (the others lose the tag and keep their text).
DROP_WITH_CONTENT = frozenset({"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


def sanitize(markup: str) -> str:
    """``markup`` reduced to the allow-list (tags, attributes, URL schemes); comments removed."""
    return nh3.clean(
        markup,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        url_relative="deny",  # a board's relative link would point into this app, not to the board
        strip_comments=True,
    )


def text_as_html(text: str) -> str:
    """Plain text as escaped paragraphs (blank lines separate them; single line breaks are kept)."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)


def source_html(source: str, board: str, payload: dict | None) -> str | None:
    """The description markup the source's mapper reads from ``payload``, or None (no payload, no markup, or a
    payload the mapper cannot read)."""
    if payload is None:
        return None
    from pipeline.sources import MappingError, UnknownSourceError, get_mapper

    try:
        fields = get_mapper(source)(payload, board)
    except (MappingError, UnknownSourceError, KeyError, TypeError, ValueError, AttributeError):
        return None
    return fields.description_html or None


def description_html(source: str, board: str, payload: dict | None, text: str) -> str:
    """What the posting page shows: the source's markup sanitized, else the stored text as paragraphs."""
    markup = source_html(source, board, payload)
    if markup:
        cleaned = sanitize(markup).strip()
        if cleaned:
            return cleaned
    return text_as_html(text)
