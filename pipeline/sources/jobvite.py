"""Jobvite hosted career pages (``https://jobs.jobvite.com/{company}``) and job payloads.

:func:`read_listing` reads the server-rendered listing ``/{company}/search``: a ``table.jv-job-list`` whose rows
link to ``/{company}/job/{jobId}`` (the link text is the title) and carry ``td.jv-job-list-location`` (the corpus's
body keeps only the rows, so rows are found by their job link, in any table). A next-page link
(``a.jv-pagination-next`` or ``rel="next"``) is returned for the spider to follow; paging is **unverified** (no
recorded listing has one).

The stored payload is ``{"_listing": row, "page_url": job page, "jobposting": {...}}``: the row {``id``,
``title``, ``location``, ``path``} and the schema.org JobPosting of the job page
``https://jobs.jobvite.com/{company}/job/{jobId}`` read by :func:`pipeline.sources.jsonld.extract_job_postings`
(title, description, datePosted, jobLocation, employmentType). The job-page step is **unverified**: no job page
is recorded in the corpus. Without it (the job page failed) the payload is ``{"_listing": row}``.

Mapping: the JobPosting's structured fields first (it is the richer record), the row's title and place where it
has none.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector

from pipeline.model import SourceFields
from pipeline.sources import MappingError, jsonld
from pipeline.sources.common import clean_str

LISTING_KEY = "_listing"  # crawler.spiders.paged.LISTING_KEY
_JOB_PATH = re.compile(r"/(?P<company>[^/?#]+)/job/(?P<id>[A-Za-z0-9_-]+)/?$")


def read_listing(body: str | bytes, company: str) -> tuple[list[dict[str, Any]], str | None]:
    """``(rows, next page link)`` of a listing page. Rows whose job link names another company are left out
    (a page can link to sister boards); a row is kept once however many links it has."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    page = Selector(text=text)
    rows: dict[str, dict[str, Any]] = {}
    for row in page.css("tr"):
        for href in row.css("a::attr(href)").getall():
            match = _JOB_PATH.search(urlsplit(href.strip()).path)
            if match is None or match["company"].lower() != company.lower() or match["id"] in rows:
                continue
            link = row.xpath(".//a[@href=$h]", h=href)
            rows[match["id"]] = {
                "id": match["id"],
                "title": clean_str(" ".join(link.css("::text").getall())),
                "location": clean_str(" ".join(row.css("td.jv-job-list-location ::text").getall())),
                "path": urlsplit(href.strip()).path,
            }
            break
    next_link = page.css("a.jv-pagination-next::attr(href), a[rel~=next]::attr(href)").get()
    return list(rows.values()), clean_str(next_link)


def is_listing(body: str | bytes) -> bool:
    """True for a page that can be a listing (has a table or says it has no openings), False for a shell page."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    page = Selector(text=text)
    return bool(page.css("table, .jv-job-list, .jv-no-jobs, .jv-search-results"))


def posting_id(row: Any) -> str | None:
    return clean_str(row.get("id")) if isinstance(row, dict) else None


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Jobvite job is not an object: {type(payload).__name__}")
    row = payload.get(LISTING_KEY)
    if not isinstance(row, dict):
        raise MappingError("Jobvite job without its listing row")
    external_id = posting_id(row)
    if external_id is None:
        raise MappingError("Jobvite job without an id")
    url = clean_str(payload.get("page_url")) or f"https://jobs.jobvite.com/{board}/job/{external_id}"
    row_place = clean_str(row.get("location"))
    if not isinstance(payload.get("jobposting"), dict):
        return SourceFields(
            title=clean_str(row.get("title")),
            external_id=external_id,
            company=board,
            url=url,
            apply_url=url,
            locations=[row_place] if row_place else [],
        )
    page = jsonld.map_posting(payload, board)
    page.external_id = external_id  # the listing's id: the same job whatever its page's identifier says
    page.title = page.title or clean_str(row.get("title"))
    page.company = page.company or board
    page.url = url
    page.apply_url = url
    page.locations = page.locations or ([row_place] if row_place else [])
    return page
