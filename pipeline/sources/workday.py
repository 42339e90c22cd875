"""Workday CXS payloads: a job's detail from ``GET .../wday/cxs/{tenant}/{site}{externalPath}`` with the listing
item it was found under (``POST .../wday/cxs/{tenant}/{site}/jobs``) kept as ``_listing``; or, when the detail
could not be fetched, ``{"_listing": item}`` alone (the only key jobscout adds).

Shape as recorded (GDIT, NVIDIA, Hitachi, Synchrony and a semiconductor tenant): a listing item has ``title``,
``externalPath`` ("/job/{location}/{title}_{req}"), ``locationsText`` (a place, or "3 Locations"), ``postedOn``
(relative: "Posted Today", "Posted 30+ Days Ago"), ``bulletFields`` [...] and, on some tenants, ``remoteType``.
The detail's ``jobPostingInfo`` has ``id``, ``title``, ``jobDescription`` (HTML; pay, when stated, is text in it),
``location``, ``additionalLocations`` [...], ``country`` {``descriptor``}, ``jobRequisitionLocation``
{``descriptor``, ``country.alpha2Code``}, ``postedOn`` (relative), ``startDate`` (ISO date: the posting's start,
the only absolute date), ``timeType`` ("Full time", "Part time"), ``remoteType`` on some tenants ("Onsite",
"Flex", "Remote"), ``jobReqId``, ``jobPostingId`` (= the last segment of ``externalPath``), ``externalUrl``;
beside it ``hiringOrganization`` {``name``: a legal entity such as "XY00 Example Holdings, Ltd."} and
``similarJobs``.

Identity: the last segment of ``externalPath`` (``jobPostingId``), which keeps its value when the job's location
segment changes. Company: the tenant (the token's first part), since ``hiringOrganization`` names a legal entity
that differs between postings of one employer. Work mode: ``remoteType`` "Flex" is Workday's word for hybrid.
Posted date: ``startDate``; the relative ``postedOn`` is not converted (the mapper has no fetch time).
No structured pay exists: the text parsers read it from the description.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime

LISTING_KEY = "_listing"
_WORKPLACES = {"flex": "hybrid", "flexible": "hybrid"}
#: ``locationsText`` that only counts places ("3 Locations").
_COUNTED_PLACES = re.compile(r"^\d+\s+locations?$", re.I)


def posting_id(item: Any) -> str | None:
    """The id of a listing item (or of a detail's ``jobPostingInfo``): the last segment of its ``externalPath``
    (or ``jobPostingId``/``externalUrl``); None when it has none."""
    if not isinstance(item, dict):
        return None
    for key in ("externalPath", "jobPostingId", "externalUrl"):
        value = item.get(key)
        if isinstance(value, str) and (segment := value.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1].strip()):
            return segment
    return None


def tenant_of(board: str) -> str:
    """The tenant of a board token ``tenant/wdN/site``."""
    return board.split("/", 1)[0]


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Workday payload is not an object: {type(payload).__name__}")
    info, listing = payload.get("jobPostingInfo"), payload.get(LISTING_KEY)
    if info is not None and not isinstance(info, dict):
        raise MappingError("Workday payload with non-object 'jobPostingInfo'")
    if listing is not None and not isinstance(listing, dict):
        raise MappingError("Workday payload with non-object '_listing'")
    info, listing = info or {}, listing or {}
    external_id = posting_id(listing) or posting_id(info)
    if external_id is None:
        raise MappingError("Workday job without an externalPath or jobPostingId")
    description = info.get("jobDescription")
    return SourceFields(
        title=clean_str(info.get("title")) or clean_str(listing.get("title")),
        external_id=external_id,
        company=tenant_of(board) or None,
        url=clean_str(info.get("externalUrl")),
        apply_url=clean_str(info.get("externalUrl")),
        locations=_locations(info, listing),
        description_html=description if isinstance(description, str) and description.strip() else None,
        workplace=workplace_hint(info.get("remoteType") or listing.get("remoteType")),
        employment_type=clean_str(info.get("timeType")) if isinstance(info.get("timeType"), str) else None,
        posted_at=parse_datetime(info.get("startDate")),
        requisition_id=clean_str(info.get("jobReqId")),
    )


def workplace_hint(value: Any) -> str | None:
    """``remoteType`` as a work-mode hint: "Flex" -> hybrid; other values as sent ("Remote", "Onsite")."""
    text = clean_str(value) if isinstance(value, str) else None
    return _WORKPLACES.get(text.lower(), text) if text else None


def _locations(info: dict[str, Any], listing: dict[str, Any]) -> list[str]:
    extra = info.get("additionalLocations")
    places = [info.get("location"), *(extra if isinstance(extra, list) else [])]
    out = [p for value in places if isinstance(value, str) and (p := clean_str(value))]
    if not out and isinstance(listing.get("locationsText"), str):
        text = clean_str(listing["locationsText"])
        if text and not _COUNTED_PLACES.match(text):
            out.append(text)
    return list(dict.fromkeys(out))
