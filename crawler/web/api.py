"""The web app's JSON API and Atom feed: ``/api/postings`` (the filters of ``jobscout query``, cursor paging),
``/api/postings/{id}``, ``/api/stats``, ``/api/skills`` and ``/feed``. Every answer is read-only; bad input is a 422
with one message (crawler.web.app's error handlers)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException

from crawler.web.reads import change_dict, changes_of, count, search_stats, to_posting
from crawler.web.search import (
    Cursor,
    SearchError,
    decode_cursor,
    describe,
    encode_cursor,
    int_param,
    openapi_parameters,
    parse_search,
)
from crawler.web.state import web_state
from pipeline.model import SCHEMA_VERSION, iso
from storage import models
from storage.query import build_select, resolve_skills

API_LIMIT, API_MAX_LIMIT = 50, 200
FEED_ENTRIES = 50

router = APIRouter()


def _paging_doc() -> list[dict[str, Any]]:
    return [
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": f"Postings per page (1-{API_MAX_LIMIT}).",
            "schema": {"type": "integer", "minimum": 1, "maximum": API_MAX_LIMIT, "default": API_LIMIT},
        },
        {
            "name": "cursor",
            "in": "query",
            "required": False,
            "description": "The `next_cursor` of the previous page, with the same filters and sort.",
            "schema": {"type": "string"},
        },
    ]


def _stats_doc() -> list[dict[str, Any]]:
    return [
        {
            "name": "top",
            "in": "query",
            "required": False,
            "description": "Rows of the skill and company lists (1-100).",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 15},
        },
        {
            "name": "weeks",
            "in": "query",
            "required": False,
            "description": "Weeks of the weekly counts (1-520).",
            "schema": {"type": "integer", "minimum": 1, "maximum": 520, "default": 26},
        },
    ]


def _errors_doc() -> dict[int | str, dict[str, Any]]:
    return {
        422: {
            "description": "Bad input: an unknown parameter or a value the filter refuses.",
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
                }
            },
        }
    }


def skill_counts(session: Session) -> dict[str, int]:
    from storage.query import PostingFilters
    from storage.stats import top_skills

    return {c.key: c.postings for c in top_skills(session, PostingFilters(), limit=None, total=0) if c.key}


def skill_rows(prefix: str, counts: dict[str, int]) -> list[dict[str, Any]]:
    from pipeline.skills import load_taxonomy

    rows = [
        {"name": s.name, "category": s.category, "postings": counts.get(s.name, 0)}
        for s in load_taxonomy().skills
        if not prefix or any(word.startswith(prefix) for word in (s.name.lower(), *s.name.lower().split()))
    ]
    rows.sort(key=lambda r: (-r["postings"], r["name"].lower()))
    return rows


FILTERS_DOC = openapi_parameters()


@router.get(
    "/api/postings",
    summary="Postings matching the filters of `jobscout query` (schema v1 records), newest first",
    description="Filters as in `jobscout query` (`--min-pay` is `min_pay`). Pages: follow `next_cursor`.",
    openapi_extra={"parameters": [*FILTERS_DOC, *_paging_doc()]},
    responses=_errors_doc(),
)
def api_postings(request: Request) -> dict[str, Any]:
    web = web_state(request)
    search = parse_search(request.query_params.multi_items(), allowed=("limit", "cursor"))
    limit = int_param(request, "limit", API_LIMIT, 1, API_MAX_LIMIT)
    token = request.query_params.get("cursor") or None
    cursor = decode_cursor(search, token) if token else Cursor(0, datetime.now(UTC))
    with web.session_factory() as session:
        skills = resolve_skills(session, search.filters)
        # The cursor's cut-off is a filter of the set (inside the page's window), and the total is the set's.
        seen_by = [models.Posting.first_seen_at <= cursor.as_of]
        stmt, whole = (
            build_select(search.filters, web.dialect, web.rates, window=window, skills=skills, conditions=seen_by)
            for window in (cursor.offset + limit, None)
        )
        total = count(session, whole)
        rows = session.scalars(stmt.limit(limit).offset(cursor.offset)).all()
        postings = [to_posting(row).to_dict() for row in rows]
    end = cursor.offset + len(postings)
    return {
        "schema_version": SCHEMA_VERSION,
        "total": total,
        "offset": cursor.offset,
        "count": len(postings),
        "postings": postings,
        "next_cursor": encode_cursor(search, Cursor(end, cursor.as_of)) if end < total else None,
    }


@router.get(
    "/api/postings/{posting_id}",
    summary="One posting (schema v1) with its recorded changes, as `jobscout show --format json`",
    responses={**_errors_doc(), 404: {"description": "No posting with this id."}},
)
def api_posting(request: Request, posting_id: int = Path(ge=1, le=models.MAX_ROW_ID)) -> dict[str, Any]:
    web = web_state(request)
    with web.session_factory() as session:
        row = session.get(models.Posting, posting_id)
        if row is None:
            raise StarletteHTTPException(404, f"no posting with id {posting_id}")
        data = to_posting(row).to_dict()
        data["changes"] = [change_dict(c) for c in changes_of(session, posting_id)]
    return data


@router.get(
    "/api/stats",
    summary="The statistics of `jobscout stats` over the postings the filters select",
    openapi_extra={"parameters": [*FILTERS_DOC, *_stats_doc()]},
    responses=_errors_doc(),
)
def api_stats(request: Request) -> dict[str, Any]:
    web = web_state(request)
    search = parse_search(request.query_params.multi_items(), allowed=("top", "weeks"))
    top = int_param(request, "top", 15, 1, 100)
    weeks = int_param(request, "weeks", 26, 1, 520)
    with web.session_factory() as session:
        return search_stats(session, search, top, weeks, web.rates).to_dict()


@router.get(
    "/api/skills",
    summary="The skills of the taxonomy with the number of open backend postings asking for each",
    openapi_extra={
        "parameters": [
            {
                "name": "q",
                "in": "query",
                "required": False,
                "description": "Only skills whose name or a word of it starts with this (case-insensitive).",
                "schema": {"type": "string"},
            },
            {
                "name": "limit",
                "in": "query",
                "required": False,
                "description": "At most this many skills (1-1000).",
                "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000},
            },
        ]
    },
    responses=_errors_doc(),
)
def api_skills(request: Request) -> dict[str, Any]:
    web = web_state(request)
    for key in request.query_params:
        if key not in ("q", "limit"):
            raise SearchError(f"unknown parameter {key!r} (parameters: q, limit)")
    prefix = (request.query_params.get("q") or "").strip().lower()
    if "\x00" in prefix:
        raise SearchError("q: a value may not contain NUL characters")
    limit = int_param(request, "limit", 1000, 1, 1000)
    with web.session_factory() as session:
        counts = skill_counts(session)
    return {"skills": skill_rows(prefix, counts)[:limit]}


@router.get(
    "/feed",
    summary="An Atom feed of the newest postings a search selects (the search page's filters)",
    openapi_extra={"parameters": FILTERS_DOC},
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."}} | _errors_doc(),
)
def feed(request: Request) -> Response:
    web = web_state(request)
    from storage.watches import atom_document

    search = parse_search(request.query_params.multi_items())
    with web.session_factory() as session:
        skills = resolve_skills(session, search.filters)
        stmt = build_select(search.filters, web.dialect, web.rates, window=FEED_ENTRIES, skills=skills)
        rows = session.scalars(stmt.limit(FEED_ENTRIES)).all()
        postings = [to_posting(row).to_dict() for row in rows]
    body = atom_document(
        f"urn:jobscout:search:{search.digest()}",
        f"jobscout: {describe(search)}",
        iso(datetime.now(UTC)) or "",
        postings,
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
