"""We Work Remotely category RSS feeds (``https://weworkremotely.com/categories/<category>.rss``).

:func:`parse_feed` turns a feed body into one plain dict per ``<item>`` (the spider stores that dict as the raw
payload); :func:`map_posting` maps one such dict.

Item fields as recorded (2022 and 2026 feeds): ``title`` ("Company: Role"), ``region`` ("Anywhere in the World",
"USA Only", "Europe Only", ...), ``category`` ("DevOps and Sysadmin"), ``type`` ("Full-Time", "Contract"),
``description`` (HTML, entity-escaped inside the XML, so plain HTML once parsed; it opens with the logo and a
"Headquarters: ... URL: ..." block), ``pubDate`` and ``expires_at`` (RFC 822), ``guid`` and ``link`` (the posting
page), ``media:content`` (logo URL, kept as ``media_content``). 2026 feeds add ``country``, ``state`` (a
headquarters-like place: "London" on a worldwide job, so not taken as the job's location) and ``skills``
(comma-separated, often empty). The 2014 feed (``/categories/2/jobs.rss``) had only title, description, pubDate,
guid and link.

Titles are "Company: Role", built by WWR from the two fields, so the first ": " separates them; a role may hold
colons of its own ("Proxify AB: Senior Python Engineer: Long-term job - 100% remote") and a company may end with a
space before the colon ("Praxis ... Training : Wanted: ..."). Every posting is remote; ``region`` says where a
hire may live: it is passed as the location, and its names are put into the regions vocabulary with
:func:`pipeline.workplace.parse_regions` ("USA Only" -> ["US"], "Anywhere in the World" -> ["Worldwide"]).
``expires_at`` becomes ``valid_through`` (windowed feeds close on it).

Safety: the feed is parsed by :func:`pipeline.sources.safe_xml.parse_document` (entity expansion off, no network,
no DTD, no huge-tree mode); a document that declares entities is refused outright.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, text
from pipeline.sources.safe_xml import XMLDocumentError, element_text, parse_document
from pipeline.workplace import parse_regions

_COMPANY_SEPARATOR = re.compile(r"\s*:\s+")
# Where the root element starts: entity declarations can only come before it (in the DOCTYPE).
_ROOT_START = re.compile(rb"<(?:rss|channel|feed|rdf:RDF)[\s>]")


class FeedError(ValueError):
    """A body that is not a readable RSS feed (malformed XML, not RSS, entity declarations)."""


def parse_feed(body: bytes) -> list[dict[str, Any]]:
    """The ``<item>`` elements of an RSS 2.0 body as dicts of their child elements' text.

    Raises :class:`FeedError` for malformed XML, a document that is not RSS, or one that declares entities.
    """
    try:
        root = parse_document(body, _ROOT_START)
    except XMLDocumentError as exc:
        raise FeedError(str(exc).replace("the document declares", "the feed declares")) from exc
    channel = root if etree.QName(root).localname == "channel" else root.find("channel")
    if etree.QName(root).localname not in ("rss", "channel") or channel is None:
        raise FeedError(f"not an RSS feed (root element <{etree.QName(root).localname}>)")
    return [_item_dict(item) for item in channel.iterfind("item")]


def _item_dict(item: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in item:
        if not isinstance(child.tag, str):
            continue
        qname = etree.QName(child)
        if qname.namespace:
            prefix = child.prefix or "ns"
            key = f"{prefix}_{qname.localname}"
            value: Any = element_text(child) or child.get("url")
        else:
            key = qname.localname
            value = element_text(child)
        if key not in out:  # the first of repeated elements
            out[key] = value
    return out


def posting_id(item: dict[str, Any]) -> str | None:
    """The stable id of an item: the path of its ``guid`` (a posting URL), else of its ``link``.

    The path ("remote-jobs/clevertech-senior-devops-engineer-11") survives an http -> https or host change."""
    for key in ("guid", "link"):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            value = value.strip()
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") and parts.path.strip("/"):
                return parts.path.strip("/")
            return value
    return None


def split_title(title: str | None) -> tuple[str | None, str | None]:
    """("Company", "Role") from "Company: Role"; (None, title) when there is no separator."""
    if not title:
        return None, None
    parts = _COMPANY_SEPARATOR.split(title, maxsplit=1)
    if len(parts) == 2 and parts[0].strip() and parts[1].strip():
        return clean_str(parts[0]), clean_str(parts[1])
    return None, clean_str(title)


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"We Work Remotely item is not an object: {type(payload).__name__}")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("We Work Remotely item without a guid or link")
    company, title = split_title(text(payload.get("title")))
    region = text(payload.get("region"))
    link = text(payload.get("link")) or (text(payload.get("guid")) if "://" in str(payload.get("guid")) else None)
    description = payload.get("description")
    skills = payload.get("skills")
    return SourceFields(
        title=title,
        external_id=external_id,
        company=company,
        url=link,
        apply_url=link,
        locations=[region] if region else [],
        description_html=description if isinstance(description, str) and description.strip() else None,
        workplace="remote",
        remote_regions=parse_regions(region) if region else [],
        employment_type=text(payload.get("type")),
        posted_at=_rfc822(payload.get("pubDate")),
        valid_through=_rfc822(payload.get("expires_at")),
        tags=[s for part in skills.split(",") if (s := clean_str(part))] if isinstance(skills, str) else [],
    )


# The feeds' dates as WWR writes them ("Wed, 12 Aug 2026 16:20:00 +0000"), read by one pattern: ~10x faster than
# email.utils' parsedate_to_datetime (a tokenizer for every RFC 822 variant, ~10 us a date, two dates an item),
# which reads every other form and every value this one refuses. Only what it reads alike: four-digit years from
# 1000 (it makes 0099 into 1999), the month names as written, digits 0-9, a numeric offset.
_RFC822 = re.compile(
    r"(?:[A-Za-z]{3}, )?([0-9]{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([1-9][0-9]{3})"
    r" ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})"
)
_MONTHS = {
    name: i
    for i, name in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)
}


def _rfc822(value: Any) -> datetime | None:
    """An RSS date (RFC 822, or ISO 8601 if the feed ever switches) as aware UTC; None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    m = _RFC822.fullmatch(value.strip())
    if m:
        day, month, year, hour, minute, second, sign, off_h, off_m = m.groups()
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        try:
            zone = timezone(-offset if sign == "-" else offset) if offset else UTC  # WWR writes +0000
            stamp = datetime(int(year), _MONTHS[month], int(day), int(hour), int(minute), int(second), tzinfo=zone)
        except ValueError:  # a day, hour or offset out of range: as parsedate_to_datetime would, below
            pass
        else:
            return stamp if offset else stamp.astimezone(UTC)
    return _rfc822_any(value)


def _rfc822_any(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return parse_datetime(value)  # an ISO 8601 date, if the feed ever switches
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
