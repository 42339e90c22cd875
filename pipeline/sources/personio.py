"""Personio XML feed (``https://{company}.jobs.personio.de/xml``, the same feed on ``.jobs.personio.com``).

:func:`parse_feed` turns a feed body into one plain dict per ``<position>`` (the spider stores that dict as the raw
payload); :func:`map_posting` maps one such dict.

Shape as recorded (two feeds of a plugin's test and demo tenants): the root ``<workzag-jobs>`` holds
``<position>`` elements with ``id``, ``name`` (the title), ``subcompany`` (the hiring entity, not on every
position), ``office`` and ``additionalOffices/office`` (places; "Remote" is an office name too), ``department``,
``recruitingCategory``, ``employmentType`` ("permanent", "intern", "trainee", "freelance", ...), ``schedule``
("full-time", "part-time", "full-or-part-time"), ``seniority`` ("entry-level", "experienced", "student", ...),
``yearsOfExperience`` ("lt-1", "2-5"), ``keywords`` (comma-separated), ``occupation``,
``occupationCategory``, ``createdAt`` (ISO 8601 with offset), ``jobDescriptions/jobDescription`` {``name`` (a
section heading), ``value`` (HTML in CDATA)} and, when published, ``salaryInformation`` {``min``, ``max`` (may be
empty: a floor), ``currencySymbol``, ``currencyCode``, ``type`` ("yearly", ...)}. An empty board is an empty
``<workzag-jobs/>``.

The payload dict keeps every leaf element's text under its tag; ``jobDescriptions`` becomes a list of
``{name, value}``, ``additionalOffices`` a list of office names, ``salaryInformation`` a dict of its leaves.
The feed names no posting page: the spider stores the job page (``{host}/job/{id}``) as the raw posting's URL.

Employment: ``employmentType`` and ``schedule`` are read together ("permanent" + "part-time" is part time;
"intern" stays an internship whatever the schedule); "full-or-part-time" says neither, so it is left out.
Seniority only where unambiguous ("entry-level" -> junior). Work mode: the feed has no field; an office named
"Remote" reaches the workplace parser through the locations.

Safety: parsed by :func:`pipeline.sources.safe_xml.parse_document` (entity expansion off, no network, no DTD).
"""

from __future__ import annotations

import html
import re
from typing import Any

from lxml import etree

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, pay_amount
from pipeline.sources.safe_xml import XMLDocumentError, element_text, local_name, parse_document

ROOT = "workzag-jobs"
_ROOT_START = re.compile(rb"<workzag-jobs[\s/>]")
_PERIODS = {
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
}
_SENIORITY = {"entry-level": "junior", "entry_level": "junior"}
#: ``schedule`` values that name no one schedule.
_OPEN_SCHEDULES = frozenset({"full-or-part-time", "full_or_part_time"})


class FeedError(ValueError):
    """A body that is not a readable Personio feed (malformed XML, another document, entity declarations)."""


def parse_feed(body: bytes) -> list[dict[str, Any]]:
    """The ``<position>`` elements of a Personio feed as dicts (see the module docstring for their shape).

    Raises :class:`FeedError` for malformed XML, a document that is not a Personio feed (an HTML error page), or
    one that declares entities."""
    try:
        root = parse_document(body, _ROOT_START)
    except XMLDocumentError as exc:
        raise FeedError(str(exc)) from exc
    if local_name(root) != ROOT:
        raise FeedError(f"not a Personio feed (root element <{local_name(root)}>)")
    return [position_dict(p) for p in root if isinstance(p.tag, str) and local_name(p) == "position"]


def position_dict(position: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in position:
        if not isinstance(child.tag, str):
            continue
        tag = local_name(child)
        if tag == "jobDescriptions":
            out[tag] = [
                {"name": _leaf(d, "name"), "value": _leaf(d, "value")}
                for d in child
                if isinstance(d.tag, str) and local_name(d) == "jobDescription"
            ]
        elif tag == "additionalOffices":
            out[tag] = [t for o in child if isinstance(o.tag, str) and (t := element_text(o))]
        elif tag == "salaryInformation":
            out[tag] = {local_name(c): element_text(c) for c in child if isinstance(c.tag, str)}
        elif tag not in out:  # the first of repeated elements
            out[tag] = element_text(child)
    return out


def _leaf(element: etree._Element, tag: str) -> str | None:
    for child in element:
        if isinstance(child.tag, str) and local_name(child) == tag:
            return element_text(child)
    return None


def posting_id(position: dict[str, Any]) -> str | None:
    return clean_str(position.get("id"))


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Personio position is not an object: {type(payload).__name__}")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("Personio position without an id")
    for key, kind in (("jobDescriptions", list), ("additionalOffices", list), ("salaryInformation", dict)):
        if payload.get(key) is not None and not isinstance(payload[key], kind):
            raise MappingError(f"Personio position with a malformed {key!r}")
    seniority = clean_str(payload.get("seniority"))
    keywords = payload.get("keywords")
    return SourceFields(
        title=clean_str(payload.get("name")),
        external_id=external_id,
        company=clean_str(payload.get("subcompany")) or board,
        locations=_locations(payload),
        description_html=_description_html(payload.get("jobDescriptions") or []),
        pay=_pay(payload.get("salaryInformation")),
        employment_type=employment_hint(payload.get("employmentType"), payload.get("schedule")),
        seniority=_SENIORITY.get(seniority.lower()) if seniority else None,
        posted_at=parse_datetime(payload.get("createdAt")),
        department=clean_str(payload.get("department")),
        tags=[k for part in keywords.split(",") if (k := clean_str(part))] if isinstance(keywords, str) else [],
    )


def employment_hint(employment_type: Any, schedule: Any) -> str | None:
    """``employmentType`` and ``schedule`` as one hint for :func:`pipeline.employment.employment_from_hint`:
    the contract first, the schedule after it ("permanent, part-time"), "full-or-part-time" left out."""
    parts = [clean_str(employment_type) if isinstance(employment_type, str) else None]
    plan = clean_str(schedule) if isinstance(schedule, str) else None
    if plan and plan.lower() not in _OPEN_SCHEDULES:
        parts.append(plan)
    return ", ".join(p for p in parts if p) or None


def _locations(payload: dict[str, Any]) -> list[str]:
    offices = [clean_str(payload.get("office")), *(clean_str(o) for o in payload.get("additionalOffices") or [])]
    return list(dict.fromkeys(o for o in offices if o))


def _description_html(sections: list[Any]) -> str | None:
    parts = []
    for section in sections:
        if not isinstance(section, dict):
            continue
        value = section.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        heading = clean_str(section.get("name"))
        parts.append(f"<h3>{html.escape(heading, quote=False)}</h3>\n{value.strip()}" if heading else value.strip())
    return "\n".join(parts) or None


def _pay(value: Any) -> list[PayRange]:
    if not isinstance(value, dict):
        return []
    low, high = pay_amount(value.get("min")), pay_amount(value.get("max"))
    period = _PERIODS.get(str(value.get("type") or "").strip().lower())
    if (low is None and high is None) or period is None:
        return []
    currency = value.get("currencyCode")
    currency = currency.strip().upper() if isinstance(currency, str) and len(currency.strip()) == 3 else None
    raw = f"salaryInformation: {value.get('min')}-{value.get('max') or ''} {currency or ''} {value.get('type')}"
    return [PayRange(min=low, max=high, currency=currency, period=period, raw=" ".join(raw.split()))]
