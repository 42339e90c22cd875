"""Remotive API payloads (one element of ``jobs`` from ``https://remotive.com/api/remote-jobs``).

Remotive's terms ask users to link back to the posting's URL on Remotive and to mention Remotive as the source,
and to fetch at most about four times a day (the spider declares ``min_interval_seconds``); ``url`` stays the
remotive.com posting page.

Quirks seen in the recorded bodies:

- ``id`` is an int; ``publication_date`` is ISO 8601 without a zone (``"2026-07-26T20:49:11"``), taken as UTC;
- ``salary`` is free text (``"$18 - $22/hr"``, ``"$31,2k- $52k"``, ``"OTE $25k - $35k"``, ``"Pay per task"``,
  often ``""``): it is not structured pay, so it goes into the description as a leading ``Salary: ...`` line for
  the text pay parser, which also decides what "OTE" or "per task" mean;
- ``candidate_required_location`` says where a remote hire may live (``"USA"``, ``"Worldwide"``,
  ``"Americas, Europe, Israel"``, ``"USA, CST (UTC-6)"``): it is passed as the location, and, being a field
  that only ever names eligibility regions, its names are put into the regions vocabulary with
  :func:`pipeline.workplace.parse_regions` (``["Americas", "Europe", "IL"]``, ``["US", "UTC-6"]``); the location
  parser reads "Europe, UK, Germany, France" as one place and would find no region there;
- ``job_type`` is ``full_time``, ``part_time``, ``contract``, ``freelance``, ``internship`` or ``""``;
- every posting is remote; the body may start with a UTF-8 BOM (handled where the body is parsed);
- the envelope may carry ``"0-legal-notice"``, ``"00-warning"``, ``job-count``; some saved bodies drop it.
"""

from __future__ import annotations

import html
from typing import Any

from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import parse_datetime, text, texts
from pipeline.workplace import parse_regions


def posting_id(payload: dict[str, Any]) -> str | None:
    value = payload.get("id")
    if value is None or isinstance(value, bool) or not str(value).strip():
        return None
    return str(value).strip()


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Remotive job is not an object: {type(payload).__name__}")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("Remotive job without an id")
    location = text(payload.get("candidate_required_location"))
    url = payload.get("url") if isinstance(payload.get("url"), str) and payload["url"].strip() else None
    tags = payload.get("tags")
    return SourceFields(
        title=text(payload.get("title")),
        external_id=external_id,
        company=text(payload.get("company_name")),
        url=url,
        apply_url=url,
        locations=[location] if location else [],
        description_html=_description(payload.get("description"), text(payload.get("salary"))),
        workplace="remote",
        remote_regions=parse_regions(location) if location else [],
        employment_type=text(payload.get("job_type")),
        posted_at=parse_datetime(payload.get("publication_date")),
        tags=texts(tags),
    )


def _description(description: Any, salary: str | None) -> str | None:
    body = description if isinstance(description, str) and description.strip() else ""
    if salary:
        body = f"<p>Salary: {html.escape(salary, quote=False)}</p>\n{body}"
    return body or None
