"""Breezy HR positions (one element of the array ``https://{company}.breezy.hr/json`` answers).

Shape as recorded (Breezy's demo portal, two captures): ``id`` (a hex string), ``friendly_id``
("{id}-{slug}"), ``name`` (the title), ``url`` (the position page ``/p/{friendly_id}``), ``published_date`` (ISO
8601), ``type`` {``id`` ("fullTime", "partTime", "contract", "other", ...), ``name``}, ``location``
{``country`` {``id``, ``name``}, ``state`` {``id``, ``name``}, ``city``, ``is_remote``, ``name`` ("Chaos, FL")}
and ``locations`` [the same objects] (either may be missing), ``department``, ``salary`` (free text:
"$0.05 – $0.06 / hour"), ``description`` (a short HTML text, on some portals only), ``company`` {``name``,
``friendly_id``}.

Pay: ``salary`` is text, so it leads the description as a ``Salary: ...`` line for the text pay parser (which
decides what it means). Work mode: ``is_remote`` true on a location -> remote; false says nothing about hybrid
work, so it is left unknown. Employment: ``type.id`` as a hint ("other" maps to nothing).
"""

from __future__ import annotations

import html
from typing import Any

from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime


def posting_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return clean_str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Breezy position is not an object: {type(payload).__name__}")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("Breezy position without an id")
    for key, kind in (("location", dict), ("locations", list), ("type", dict), ("company", dict)):
        if payload.get(key) is not None and not isinstance(payload[key], kind):
            raise MappingError(f"Breezy position with a malformed {key!r}")
    places = [p for p in (payload.get("locations") or []) if isinstance(p, dict)] or (
        [payload["location"]] if payload.get("location") else []
    )
    kind = payload.get("type") or {}
    company = payload.get("company") or {}
    url = clean_str(payload.get("url"))
    return SourceFields(
        title=clean_str(payload.get("name")),
        external_id=external_id,
        company=clean_str(company.get("name")) or board,
        url=url,
        apply_url=url,
        locations=list(dict.fromkeys(loc for place in places if (loc := _place(place)))),
        description_html=_description_html(payload),
        workplace="remote" if any(place.get("is_remote") is True for place in places) else None,
        employment_type=clean_str(kind.get("id")) or clean_str(kind.get("name")),
        posted_at=parse_datetime(payload.get("published_date")),
        department=clean_str(payload.get("department")),
    )


def _name(value: Any) -> str | None:
    return clean_str(value.get("name")) if isinstance(value, dict) else clean_str(value)


def _place(place: dict[str, Any]) -> str | None:
    """The place as "City, State, Country" (the one-line ``name`` abbreviates the state, drops the country)."""
    parts = [clean_str(place.get("city")), _name(place.get("state")), _name(place.get("country"))]
    text = ", ".join(dict.fromkeys(p for p in parts if p))
    return text or clean_str(place.get("name"))


def _description_html(payload: dict[str, Any]) -> str | None:
    parts = []
    if salary := clean_str(payload.get("salary")):
        parts.append(f"<p>Salary: {html.escape(salary, quote=False)}</p>")
    if isinstance(description := payload.get("description"), str) and description.strip():
        parts.append(description.strip())
    return "\n".join(parts) or None
