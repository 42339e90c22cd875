"""Arbeitnow Job Board API payloads (one element of ``data`` from ``https://www.arbeitnow.com/api/job-board-api``).

Arbeitnow asks users to link back to the site; ``url`` stays the arbeitnow.com posting page.

Quirks seen in the recorded bodies:

- no numeric id: ``slug`` (``"ml-product-engineer-heidelberg-60723"``) is the stable id;
- ``created_at`` is epoch seconds;
- ``remote`` is a bool: ``true`` means a remote job; ``false`` only means the poster did not mark it remote (most
  German postings), so it is no work-mode hint at all;
- ``job_types`` is a list mixing employment types (``"Full-time permanent"``, ``"Freelance"``, ``"Internship"``,
  ``"Side"``) with seniority-like labels (``"berufserfahren"``, ``"professional / experienced"``); it is passed
  on joined with ", " and the employment parser picks what it recognises;
- ``tags`` are job categories (``"Recruitment and Selection"``, ``"Data Scientist"``); ``location`` may list
  several cities (``"Hamburg, Berlin"``); most texts are German.
"""

from __future__ import annotations

from typing import Any

from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import parse_datetime, text, texts


def posting_id(payload: dict[str, Any]) -> str | None:
    slug = payload.get("slug")
    return slug.strip() if isinstance(slug, str) and slug.strip() else None


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Arbeitnow job is not an object: {type(payload).__name__}")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("Arbeitnow job without a slug")
    location = text(payload.get("location"))
    url = payload.get("url") if isinstance(payload.get("url"), str) and payload["url"].strip() else None
    description = payload.get("description")
    return SourceFields(
        title=text(payload.get("title")),
        external_id=external_id,
        company=text(payload.get("company_name")),
        url=url,
        apply_url=url,
        locations=[location] if location else [],
        description_html=description if isinstance(description, str) and description.strip() else None,
        workplace="remote" if payload.get("remote") is True else None,
        employment_type=", ".join(texts(payload.get("job_types"))) or None,
        posted_at=parse_datetime(payload.get("created_at")),
        tags=texts(payload.get("tags")),
    )
