"""Teamtailor jobs (one element of ``items`` from ``https://{company}.teamtailor.com/jobs.json``, a JSON Feed 1.1;
custom careers domains serve the same ``/jobs.json``).

Shape as recorded (UpCloud and 1KOMMA5° Sverige): the feed has ``version``, ``title`` (the company),
``home_page_url``, ``feed_url`` and ``items``; an item has ``id`` (a UUID), ``title``, ``url``
(``.../jobs/{number}-{slug}``), ``date_published`` (ISO 8601 with offset), ``content_html`` (the description)
and ``_jobposting``, an embedded schema.org JobPosting (``title``, ``description``, ``identifier`` {``value``: the
job number}, ``datePosted``, ``hiringOrganization`` {``name``, ``sameAs``}, ``jobLocation`` [{``address``
{``streetAddress``, ``addressLocality``, ``postalCode``, ``addressCountry``, ``addressRegion``}}];
``employmentType``, ``jobLocationType`` and ``baseSalary`` when the employer set them).

The item's own fields give the id, title, URL, date and description; the embedded JobPosting is read by the
JSON-LD mapper (:func:`pipeline.sources.jsonld.map_posting`) for the company, places, employment type, remote flag
and pay. Both are the platform's feed, so the fields' origin is ``structured``. Pay is rarely structured here
(sometimes only in the title's words, which the text parsers may read).
"""

from __future__ import annotations

from typing import Any

from pipeline.model import SourceFields
from pipeline.sources import MappingError, jsonld
from pipeline.sources.common import clean_str, parse_datetime

JOBPOSTING_KEY = "_jobposting"


def posting_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    return clean_str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Teamtailor item is not an object: {type(payload).__name__}")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("Teamtailor item without an id")
    job = payload.get(JOBPOSTING_KEY)
    if job is not None and not isinstance(job, dict):
        raise MappingError("Teamtailor item with a malformed '_jobposting'")
    url = clean_str(payload.get("url"))
    embedded = jsonld.map_posting({"jobposting": job, "page_url": url}, board) if job else None
    content = payload.get("content_html")
    description = content.strip() if isinstance(content, str) and content.strip() else None
    return SourceFields(
        title=clean_str(payload.get("title")) or (embedded.title if embedded else None),
        external_id=external_id,
        company=(embedded.company if embedded else None) or board,
        url=url,
        apply_url=url,
        locations=embedded.locations if embedded else [],
        description_html=description or (embedded.description_html if embedded else None),
        pay=embedded.pay if embedded else [],
        workplace=embedded.workplace if embedded else None,
        remote_regions=embedded.remote_regions if embedded else [],
        employment_type=embedded.employment_type if embedded else None,
        posted_at=parse_datetime(payload.get("date_published")) or (embedded.posted_at if embedded else None),
        valid_through=embedded.valid_through if embedded else None,
        requisition_id=None,
    )
