"""Lever Postings API payloads (one element of the list from ``/v0/postings/{site}?mode=json``).

Shape as recorded (Palantir, Spotify, Outreach, Match Group boards): ``id`` (a UUID), ``text`` (the title),
``categories`` {``location``, ``allLocations``, ``team``, ``department``, ``commitment``}, ``workplaceType``
("onsite" | "remote" | "hybrid" | "unspecified"), ``country`` (ISO alpha-2 of the primary location), ``createdAt``
(epoch milliseconds), ``hostedUrl``/``applyUrl``, optional ``salaryRange`` {``min``, ``max``, ``currency``,
``interval``: "per-year-salary", "per-month-salary", "per-hour-wage", ...} and ``salaryDescription`` (HTML text
about the range).

The description is split in parts: ``description`` (HTML, = ``opening`` + ``descriptionBody``), ``lists``
[{``text``: heading, ``content``: ``<li>`` items without their ``<ul>``}] (the requirements usually live here),
``additional`` (HTML). Each has a ``...Plain`` twin; some captures keep only the plain ones (no ``description``
at all), so the HTML is rebuilt from the plain text then. The mapper joins description, lists, salary
description and additional into one HTML document so the text parsers see the requirement lists.

Lever bodies carry no company name: the site token (the board) stands for it.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, pay_amount

# ``salaryRange.interval`` -> PayRange.period. Lever's values read "per-<unit>-<salary|wage>".
_INTERVAL_UNIT = re.compile(r"\b(hour|day|week|month|year|annual)", re.I)
_PERIODS = {"hour": "hour", "day": "day", "week": "week", "month": "month", "year": "year", "annual": "year"}
_WORKPLACES = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite", "on-site": "onsite"}
_HAS_LIST_ITEMS = re.compile(r"<li[\s>]", re.I)
_HAS_LIST_WRAPPER = re.compile(r"<[uo]l[\s>]", re.I)


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Lever posting is not an object: {type(payload).__name__}")
    if not clean_str(payload.get("id")):
        raise MappingError("Lever posting without an id")
    categories = payload.get("categories")
    if categories is None:
        categories = {}
    if not isinstance(categories, dict):
        raise MappingError("Lever posting with non-object 'categories'")
    department = clean_str(categories.get("department")) or clean_str(categories.get("team"))
    return SourceFields(
        title=clean_str(payload.get("text")),
        external_id=str(payload["id"]).strip(),
        company=board,
        url=clean_str(payload.get("hostedUrl")),
        apply_url=clean_str(payload.get("applyUrl")) or clean_str(payload.get("hostedUrl")),
        locations=_locations(categories),
        description_html=_description_html(payload),
        pay=_pay(payload.get("salaryRange")),
        workplace=workplace_hint(payload.get("workplaceType")),
        employment_type=clean_str(categories.get("commitment")),
        posted_at=parse_datetime(payload.get("createdAt")),
        department=department,
    )


def workplace_hint(value: Any) -> str | None:
    """``workplaceType`` as one of remote/hybrid/onsite; "unspecified", empty and unknown values -> None."""
    if not isinstance(value, str):
        return None
    return _WORKPLACES.get(value.strip().lower())


def _locations(categories: dict[str, Any]) -> list[str]:
    names = categories.get("allLocations")
    values = names if isinstance(names, list) else []
    primary = clean_str(categories.get("location"))
    out = [name for v in values if (name := clean_str(v))]
    if primary and primary not in out:
        out.insert(0, primary)
    return list(dict.fromkeys(out))


def _pay(value: Any) -> list[PayRange]:
    if not isinstance(value, dict):
        return []
    low, high = pay_amount(value.get("min")), pay_amount(value.get("max"))
    if low is None and high is None:
        return []
    interval = value.get("interval")
    unit = _INTERVAL_UNIT.search(interval) if isinstance(interval, str) else None
    if unit is None:  # "one-time" and unknown intervals: not a periodic pay
        return []
    currency = value.get("currency")
    currency = currency.strip().upper() if isinstance(currency, str) and len(currency.strip()) == 3 else None
    raw = f"salaryRange: {value.get('min')}-{value.get('max')} {currency or ''} {interval}"
    return [PayRange(min=low, max=high, currency=currency, period=_PERIODS[unit.group(1).lower()], raw=raw)]


def _description_html(payload: dict[str, Any]) -> str | None:
    parts: list[str] = []
    description = _html(payload.get("description")) or _joined(
        _html(payload.get("opening")), _html(payload.get("descriptionBody"))
    )
    if description is None:  # captures that keep only the plain twins
        description = _plain_as_html(payload.get("descriptionPlain")) or _joined(
            _plain_as_html(payload.get("openingPlain")), _plain_as_html(payload.get("descriptionBodyPlain"))
        )
    if description is not None:
        parts.append(description)
    for item in payload.get("lists") or []:
        if not isinstance(item, dict):
            continue
        heading = clean_str(item.get("text"))
        content = item.get("content")
        if heading:
            parts.append(f"<h3>{html.escape(heading, quote=False)}</h3>")
        if isinstance(content, str) and content.strip():
            wrap = _HAS_LIST_ITEMS.search(content) and not _HAS_LIST_WRAPPER.search(content)
            parts.append(f"<ul>{content}</ul>" if wrap else f"<div>{content}</div>")
    for html_key, plain_key in (("salaryDescription", "salaryDescriptionPlain"), ("additional", "additionalPlain")):
        if (part := _html_or_plain(payload, html_key, plain_key)) is not None:
            parts.append(part)
    return "\n".join(parts) or None


def _html_or_plain(payload: dict[str, Any], html_key: str, plain_key: str) -> str | None:
    return _html(payload.get(html_key)) or _plain_as_html(payload.get(plain_key))


def _html(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _plain_as_html(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    lines = (html.escape(line.strip(), quote=False) for line in value.splitlines())
    return "".join(f"<div>{line}</div>" for line in lines if line) or None


def _joined(*parts: str | None) -> str | None:
    return "\n".join(p for p in parts if p) or None
