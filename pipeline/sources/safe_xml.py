"""Parsing XML bodies from the network safely: the one parser configuration for every XML source (the We Work
Remotely RSS feeds, Personio's XML feed).

Entity expansion is off, no DTD is loaded, nothing is fetched from the network and huge-tree mode stays off; a
document that declares entities is refused outright (no real feed declares any: that is how XML bombs and
external-entity reads work).
"""

from __future__ import annotations

import re

from lxml import etree


class XMLDocumentError(ValueError):
    """A body that is not a readable XML document (empty, malformed, declaring entities)."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, remove_comments=True
    )


_FIRST_ELEMENT = re.compile(rb"<[A-Za-z_]")


def parse_document(body: bytes, root_start: re.Pattern[bytes] | None = None) -> etree._Element:
    """The root element of ``body``. ``root_start`` finds where the root element starts (entity declarations can
    only come before it, in the DOCTYPE); by default the first element start tag.

    Raises :class:`XMLDocumentError` for an empty body, malformed XML or a document declaring entities.
    """
    if not body or not body.strip():
        raise XMLDocumentError("empty body")
    root_at = (root_start or _FIRST_ELEMENT).search(body)
    if b"<!ENTITY" in body[: root_at.start() if root_at else len(body)]:
        raise XMLDocumentError("the document declares XML entities (refused: entity expansion is off)")
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as exc:
        raise XMLDocumentError(f"malformed XML: {exc}") from exc
    if root is None:
        raise XMLDocumentError("empty document")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise XMLDocumentError("the document declares XML entities (refused: entity expansion is off)")
    return root


def local_name(element: etree._Element) -> str:
    return etree.QName(element).localname


def element_text(element: etree._Element) -> str | None:
    """Text and tails, skipping unexpanded entity references (``&name;`` nodes never become text); None when only
    whitespace is left."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(element_text(child) or "")
        parts.append(child.tail or "")
    joined = "".join(parts)
    return joined if joined.strip() else None
