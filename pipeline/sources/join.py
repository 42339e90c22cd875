"""JOIN (join.com) company pages and job payloads.

:func:`read_company_page` reads the Next.js ``<script id="__NEXT_DATA__">`` of ``https://join.com/companies/{slug}``
(``?page=N`` for the next pages): ``props.pageProps.initialState.company`` {``id``, ``name``, ``domain``} and
``…initialState.jobs`` {``items[]``, ``pagination`` {``page``, ``pageCount``, ``total``, ...}}, five jobs a page.
Items as recorded: ``id``, ``idParam`` (the job page's path segment), ``title``, ``createdAt`` (ISO 8601),
``employmentType`` {``name``: "Employee", "Intern", ...}, ``workplaceType`` ("ONSITE", "REMOTE", ...), ``city``
{``cityName``, ``countryName``}, ``country`` {``iso3166``}, ``category`` {``name``}, ``salaryFrequency``,
``settings`` {``showSalary``}. No description and no amounts: those are on the job page.

The stored payload is ``{"_listing": item, "company": name, "page_url": job page, "jobposting": {...}}``, the last
being the schema.org JobPosting of the job page (``https://join.com/companies/{slug}/{idParam}``) read by
:func:`pipeline.sources.jsonld.extract_job_postings`. That step is **unverified**: no job page is recorded in the
corpus. Without it (the job page failed) the payload is ``{"_listing": item}``.

Mapping: the listing's structured fields first (title, date, employment, work mode, place); the JobPosting gives
the description, the pay (``baseSalary``) and ``validThrough``, and fills what the listing lacks.
"""

from __future__ import annotations

import json
from typing import Any

from parsel import Selector

from pipeline.model import SourceFields
from pipeline.sources import MappingError, jsonld
from pipeline.sources.common import clean_str, parse_datetime

LISTING_KEY = "_listing"  # crawler.spiders.paged.LISTING_KEY


class CompanyPageError(ValueError):
    """A body that is not a readable JOIN company page (no ``__NEXT_DATA__``, malformed JSON, no job list)."""


def read_company_page(body: str | bytes) -> tuple[dict[str, Any], list[Any], dict[str, Any]]:
    """``(company, items, pagination)`` of a company page; :class:`CompanyPageError` when it has none."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    script = Selector(text=text).css("script#__NEXT_DATA__::text").get()
    if not script:
        raise CompanyPageError("no __NEXT_DATA__ script on the page")
    try:
        data = json.loads(script)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise CompanyPageError(f"malformed __NEXT_DATA__: {str(exc)[:200]}") from None
    state = _path(data, "props", "pageProps", "initialState")
    jobs = _path(state, "jobs")
    items = _path(jobs, "items")
    if not isinstance(items, list):
        raise CompanyPageError("no initialState.jobs.items list in __NEXT_DATA__")
    company = _path(state, "company")
    pagination = _path(jobs, "pagination")
    return (
        company if isinstance(company, dict) else {},
        items,
        pagination if isinstance(pagination, dict) else {},
    )


def _path(value: Any, *keys: str) -> Any:
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def posting_id(item: Any) -> str | None:
    return clean_str(item.get("id")) if isinstance(item, dict) else None


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"JOIN job is not an object: {type(payload).__name__}")
    item = payload.get(LISTING_KEY)
    if not isinstance(item, dict):
        raise MappingError("JOIN job without its listing item")
    external_id = posting_id(item)
    if external_id is None:
        raise MappingError("JOIN job without an id")
    page = jsonld.map_posting(payload, board) if isinstance(payload.get("jobposting"), dict) else None
    id_param = clean_str(item.get("idParam"))
    url = clean_str(payload.get("page_url")) or (
        f"https://join.com/companies/{board}/{id_param}" if id_param else None
    )
    employment = _path(item, "employmentType", "name")
    return SourceFields(
        title=clean_str(item.get("title")) or (page.title if page else None),
        external_id=external_id,
        company=clean_str(payload.get("company")) or (page.company if page else None) or board,
        url=url,
        apply_url=url,
        locations=_locations(item) or (page.locations if page else []),
        description_html=page.description_html if page else None,
        pay=page.pay if page else [],
        workplace=clean_str(item.get("workplaceType")) or (page.workplace if page else None),
        remote_regions=page.remote_regions if page else [],
        employment_type=_employment(employment, page.employment_type if page else None),
        posted_at=parse_datetime(item.get("createdAt")) or (page.posted_at if page else None),
        valid_through=page.valid_through if page else None,
        department=clean_str(_path(item, "category", "name")),
    )


def _employment(listed: Any, on_page: str | None) -> str | None:
    """The listing's employment name and the job page's ``employmentType``, as one hint (either may be absent;
    JOIN's "Employee" says nothing of the schedule, the page's FULL_TIME does)."""
    parts = [clean_str(listed) if isinstance(listed, str) else None, on_page]
    return ", ".join(dict.fromkeys(p for p in parts if p)) or None


def _locations(item: dict[str, Any]) -> list[str]:
    city = item.get("city") if isinstance(item.get("city"), dict) else {}
    parts = [clean_str(city.get("cityName")), clean_str(city.get("countryName"))]
    if not parts[1]:
        parts[1] = clean_str(_path(item, "country", "iso3166"))
    place = ", ".join(p for p in parts if p)
    return [place] if place else []
