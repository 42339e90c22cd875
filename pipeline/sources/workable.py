"""Workable widget API payloads (one element of ``jobs`` from ``/api/v1/widget/accounts/{account}?details=true``).

Shape as recorded (CrewAI): the response is {``name`` (the company), ``description``, ``jobs`` [...]}; a job has
``title``, ``shortcode`` (the id), ``code`` (the employer's requisition code, often ""), ``employment_type``
("Full-time", ...), ``telecommuting`` (bool), ``department``, ``url``/``shortlink``/``application_url``,
``published_on``/``created_at`` (dates, "2026-06-30"), ``country``/``state``/``city`` (full names, "" when
unset), ``locations`` [{``country``, ``countryCode``, ``city``, ``region``, ``hidden``}], ``experience``
("Mid-Senior level", ...), ``education``, ``function``, ``industry`` and, with ``details=true``, ``description``
(HTML).

A job carries no company name, so the spider copies the response's top-level ``name`` into the payload as
``_account: {"name": ...}`` (the only key jobscout adds); without it the account token (the board) stands in.

Work mode: ``telecommuting: true`` -> remote; false says nothing (onsite or hybrid), so it stays None.
Seniority from ``experience`` only where unambiguous ("Internship" -> intern, "Entry level" -> junior).
"""

from __future__ import annotations

from typing import Any

from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime

ACCOUNT_KEY = "_account"
_SENIORITY = {"internship": "intern", "entry level": "junior", "entry-level": "junior"}


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Workable job is not an object: {type(payload).__name__}")
    if not clean_str(payload.get("shortcode")):
        raise MappingError("Workable job without a shortcode")
    if payload.get("locations") is not None and not isinstance(payload["locations"], list):
        raise MappingError("Workable job with non-list 'locations'")
    account = payload.get(ACCOUNT_KEY)
    company = clean_str(account.get("name")) if isinstance(account, dict) else None
    url = clean_str(payload.get("url")) or clean_str(payload.get("shortlink"))
    description = payload.get("description")
    experience = clean_str(payload.get("experience"))
    return SourceFields(
        title=clean_str(payload.get("title")),
        external_id=str(payload["shortcode"]).strip(),
        company=company or board,
        url=url,
        apply_url=clean_str(payload.get("application_url")) or url,
        locations=_locations(payload),
        description_html=description if isinstance(description, str) and description.strip() else None,
        workplace="remote" if payload.get("telecommuting") is True else None,
        employment_type=clean_str(payload.get("employment_type")),
        seniority=_SENIORITY.get(experience.lower()) if experience else None,
        posted_at=parse_datetime(payload.get("published_on")) or parse_datetime(payload.get("created_at")),
        department=clean_str(payload.get("department")),
        requisition_id=clean_str(payload.get("code")),
    )


def _place(city: Any, region: Any, country: Any) -> str | None:
    parts = [clean_str(v) if isinstance(v, str) else None for v in (city, region, country)]
    return ", ".join(dict.fromkeys(p for p in parts if p)) or None


def _locations(payload: dict[str, Any]) -> list[str]:
    out = []
    for loc in payload.get("locations") or []:
        if isinstance(loc, dict) and not loc.get("hidden"):
            name = _place(loc.get("city"), loc.get("region"), loc.get("country"))
            if name:
                out.append(name)
    if not out and (name := _place(payload.get("city"), payload.get("state"), payload.get("country"))):
        out.append(name)
    return list(dict.fromkeys(out))
