"""The ``jobscout serve`` web app: a search page, a posting page, a stats page, a JSON API and an Atom feed per
search, all read-only over one database.

:func:`create_app` takes a session factory (``storage.db.read_only_session_factory``: on SQLite its sessions never
take the write lock, so browsing never holds up a crawl) and builds a FastAPI application. Every search goes
through :mod:`crawler.web.search` (the options of ``jobscout query``) to ``storage.query.build_select``; the facets
come from :mod:`storage.facets`, the stats from ``storage.stats.compute_stats``, the feed from the watches' Atom
writer (``storage.watches.atom_document``). Bad input is a 422 with one clear message (``{"detail": "..."}`` from
the API, the page with the message otherwise). Nothing is fetched from elsewhere: templates and the stylesheet ship
in the package, and the Content-Security-Policy keeps the browser to this origin.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import urlencode

from fastapi import FastAPI, Path, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from crawler.web import charts
from crawler.web.search import (
    FILTER_OPTIONS,
    Cursor,
    Search,
    SearchError,
    decode_cursor,
    encode_cursor,
    openapi_parameters,
    parse_search,
)
from pipeline.model import EMPLOYMENT_TYPES, SCHEMA_VERSION, SENIORITIES, WORKPLACES, Posting, iso
from pipeline.sources.common import http_url
from storage import models
from storage.query import SORTS, build_select, resolve_skills

HERE = FilePath(__file__).parent
PAGE_SIZE = 20  # results per search page
API_LIMIT, API_MAX_LIMIT = 50, 200
FEED_ENTRIES = 50
MAX_PAGE = 10**6
MAX_ID = 2**31 - 1  # postings.id is an INTEGER column: PostgreSQL refuses a larger value outright (a 500)
FACET_PARAM = {"skill": "skill", "workplace": "workplace", "seniority": "seniority", "country": "country"}
FACET_PARAM |= {"source": "source", "company": "company"}
SECURITY_HEADERS = {
    # Only this origin's stylesheet; no script at all; images only from here (a description's remote images are
    # removed, and this makes sure no markup can load one).
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

SessionFactory = Callable[[], Session]


def create_app(
    session_factory: SessionFactory,
    *,
    dialect: str,
    allowed_hosts: Iterable[str] | None = None,
    rates=None,
) -> FastAPI:
    """The web app over the database ``session_factory`` opens (``dialect``: ``sqlite`` or ``postgresql``).
    ``allowed_hosts``: the Host names requests may carry (a loopback server refuses others, so that a web page that
    rebinds its own name to 127.0.0.1 cannot read the API); None accepts any. ``rates``: the exchange rates that
    compare pay across currencies (``storage.fx.rates_in_use``; None: the shipped ECB rates), as ``jobscout
    query`` uses them."""
    from crawler.config import VERSION

    app = FastAPI(
        title="jobscout",
        version=VERSION,
        summary="Read-only API over the aggregated backend-engineering job postings (schema v1 records).",
        docs_url=None,  # the interactive docs load their script from a CDN: nothing here does
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        money=charts.money, width=charts.WIDTH, sorts=SORTS, workplaces=WORKPLACES, seniorities=SENIORITIES
    )
    templates.env.globals["employment_types"] = EMPLOYMENT_TYPES
    templates.env.globals["source_names"] = _source_names()
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def is_api(request: Request) -> bool:
        return request.url.path.startswith(("/api/", "/feed", "/openapi"))

    def error(request: Request, status: int, message: str) -> Response:
        if is_api(request):
            return JSONResponse({"detail": message}, status_code=status)
        # A search page that cannot run shows its form again, filled in as typed, to be fixed there.
        action = request.url.path if status == 422 and request.url.path in ("/", "/stats") else None
        context = {"message": message, "status": status, "form": form_values(request), "action": action}
        if action:
            context["skill_names"] = _skill_names()
        return templates.TemplateResponse(request, "error.html", context, status_code=status)

    @app.exception_handler(SearchError)
    async def search_error(request: Request, exc: SearchError) -> Response:
        return error(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for e in exc.errors():
            where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("path", "query"))
            parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
        return error(request, 422, "; ".join(parts) or "invalid request")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return error(request, exc.status_code, str(exc.detail))

    # --- API ---------------------------------------------------------------------------------------------------
    filters_doc = openapi_parameters()

    @app.get(
        "/api/postings",
        summary="Postings matching the filters of `jobscout query` (schema v1 records), newest first",
        description="Filters as in `jobscout query` (`--min-pay` is `min_pay`). Pages: follow `next_cursor`.",
        openapi_extra={"parameters": [*filters_doc, *_paging_doc()]},
        responses=_errors_doc(),
    )
    def api_postings(request: Request) -> dict[str, Any]:
        search = parse_search(request.query_params.multi_items(), allowed=("limit", "cursor"))
        limit = _int_param(request, "limit", API_LIMIT, 1, API_MAX_LIMIT)
        token = request.query_params.get("cursor") or None
        cursor = decode_cursor(search, token) if token else Cursor(0, datetime.now(UTC))
        with session_factory() as session:
            skills = resolve_skills(session, search.filters)
            stmt = build_select(search.filters, dialect, rates, window=cursor.offset + limit, skills=skills).where(
                models.Posting.first_seen_at <= cursor.as_of
            )
            total = _count(session, stmt)
            rows = session.scalars(stmt.limit(limit).offset(cursor.offset)).all()
            postings = [_schema(row).to_dict() for row in rows]
        end = cursor.offset + len(postings)
        return {
            "schema_version": SCHEMA_VERSION,
            "total": total,
            "offset": cursor.offset,
            "count": len(postings),
            "postings": postings,
            "next_cursor": encode_cursor(search, Cursor(end, cursor.as_of)) if end < total else None,
        }

    @app.get(
        "/api/postings/{posting_id}",
        summary="One posting (schema v1) with its recorded changes, as `jobscout show --format json`",
        responses={**_errors_doc(), 404: {"description": "No posting with this id."}},
    )
    def api_posting(posting_id: int = Path(ge=1, le=MAX_ID)) -> dict[str, Any]:
        with session_factory() as session:
            row = session.get(models.Posting, posting_id)
            if row is None:
                raise StarletteHTTPException(404, f"no posting with id {posting_id}")
            data = _schema(row).to_dict()
            data["changes"] = [_change(c) for c in _changes(session, posting_id)]
        return data

    @app.get(
        "/api/stats",
        summary="The statistics of `jobscout stats` over the postings the filters select",
        openapi_extra={"parameters": [*filters_doc, *_stats_doc()]},
        responses=_errors_doc(),
    )
    def api_stats(request: Request) -> dict[str, Any]:
        search = parse_search(request.query_params.multi_items(), allowed=("top", "weeks"))
        top = _int_param(request, "top", 15, 1, 100)
        weeks = _int_param(request, "weeks", 26, 1, 520)
        with session_factory() as session:
            return _compute_stats(session, search, top, weeks, rates).to_dict()

    @app.get(
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
        for key in request.query_params:
            if key not in ("q", "limit"):
                raise SearchError(f"unknown parameter {key!r} (parameters: q, limit)")
        prefix = (request.query_params.get("q") or "").strip().lower()
        if "\x00" in prefix:
            raise SearchError("q: a value may not contain NUL characters")
        limit = _int_param(request, "limit", 1000, 1, 1000)
        with session_factory() as session:
            counts = _skill_counts(session)
        return {"skills": _skills(prefix, counts)[:limit]}

    @app.get(
        "/feed",
        summary="An Atom feed of the newest postings a search selects (the search page's filters)",
        openapi_extra={"parameters": filters_doc},
        response_class=Response,
        responses={200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."}}
        | _errors_doc(),
    )
    def feed(request: Request) -> Response:
        from storage.watches import atom_document

        search = parse_search(request.query_params.multi_items())
        with session_factory() as session:
            skills = resolve_skills(session, search.filters)
            rows = session.scalars(
                build_select(search.filters, dialect, rates, window=FEED_ENTRIES, skills=skills).limit(FEED_ENTRIES)
            ).all()
            postings = [_schema(row).to_dict() for row in rows]
        body = atom_document(
            f"urn:jobscout:search:{search.digest()}",
            f"jobscout: {describe(search)}",
            iso(datetime.now(UTC)) or "",
            postings,
        )
        return Response(body, media_type="application/atom+xml; charset=utf-8")

    # --- pages -------------------------------------------------------------------------------------------------
    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)  # no icon; an empty answer keeps browsers from logging a 404 per page

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request) -> Response:
        search = parse_search(request.query_params.multi_items(), allowed=("page",))
        page = _int_param(request, "page", 1, 1, MAX_PAGE)
        from storage.facets import facet_counts

        with session_factory() as session:
            skills = resolve_skills(session, search.filters)
            stmt = build_select(search.filters, dialect, rates, window=page * PAGE_SIZE, skills=skills)
            total = _count(session, stmt)
            rows = session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
            wanted = {*search.filters.skills, *search.filters.any_skills}
            results = [_result(_schema(row), wanted) for row in rows]
            facets = facet_counts(session, search.filters, limit=8, total=total)
        pages = max(1, math.ceil(total / PAGE_SIZE))
        context = {
            "search": search,
            "form": form_values(request),
            "skill_names": _skill_names(),
            "total": total,
            "results": results,
            "page": page,
            "pages": pages,
            "first": (page - 1) * PAGE_SIZE + 1 if results else 0,
            "last": (page - 1) * PAGE_SIZE + len(results),
            "prev_href": _href("/", search.query(page=page - 1 if page > 2 else None)) if page > 1 else None,
            "next_href": _href("/", search.query(page=page + 1)) if page < pages else None,
            "facets": {name: _facet_links(search, name, rows) for name, rows in facets.items()},
            "feed_href": _href("/feed", search.query()),
            "stats_href": _href("/stats", search.query()),
            "api_href": _href("/api/postings", search.query()),
            "description": describe(search),
        }
        return templates.TemplateResponse(request, "search.html", context)

    @app.get("/postings/{posting_id}", response_class=HTMLResponse, include_in_schema=False)
    def posting_page(request: Request, posting_id: int = Path(ge=1, le=MAX_ID)) -> Response:
        from crawler.commands.changes import pay_direction
        from crawler.web.description import description_html
        from storage.ingest import decompress_payload

        with session_factory() as session:
            row = session.get(models.Posting, posting_id)
            if row is None:
                raise StarletteHTTPException(404, f"no posting with id {posting_id}")
            posting = _schema(row)
            canonical = next(
                (
                    s
                    for s in row.sources
                    if (s.source, s.board, s.external_id) == (row.source, row.board, row.external_id)
                ),
                None,
            )
            payload = decompress_payload(canonical.payload_gz) if canonical is not None else None
            changes = [
                {**_change(c), "direction": pay_direction(c.old, c.new) if c.field == "pay" else None}
                for c in _changes(session, posting_id)
            ]
        apply_links = []
        for url in (posting.apply_url, posting.url, *(s.url for s in posting.sources)):
            if (safe := http_url(url)) and safe not in apply_links:
                apply_links.append(safe)
        context = {
            "p": posting,
            "d": posting.to_dict(),
            "apply_links": apply_links,
            "pay": _pay_text(posting.pay) if posting.pay else None,
            "pay_ranges": [(r, _pay_text(r)) for r in posting.pay_ranges],
            "sources": [{**s.to_dict(), "url": http_url(s.url)} for s in posting.sources],
            "changes": changes,
            "description": description_html(row.source, row.board, payload, posting.description_text),
            "form": {},
        }
        return templates.TemplateResponse(request, "posting.html", context)

    @app.get("/stats", response_class=HTMLResponse, include_in_schema=False)
    def stats_page(request: Request) -> Response:
        search = parse_search(request.query_params.multi_items())
        with session_factory() as session:
            s = _compute_stats(session, search, 15, 26, rates)
        context = {
            "search": search,
            "form": form_values(request),
            "skill_names": _skill_names(),
            "s": s,
            "skills": charts.count_bars(s.top_skills),
            "sources": charts.count_bars(s.sources),
            "companies": charts.count_bars(s.companies),
            "weeks": charts.week_bars(s.weekly),
            "pay": charts.pay_bands(s.pay),
            "pay_by": {by: charts.pay_bands(rows, none_label="not stated") for by, rows in s.pay_by.items()},
            "search_href": _href("/", search.query()),
            "description": describe(search),
        }
        return templates.TemplateResponse(request, "stats.html", context)

    return app


# --- helpers -----------------------------------------------------------------------------------------------------
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


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if len(raw) <= 20 else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise SearchError(f"{name}: expected a whole number from {low} to {high}, got {raw[:40]!r}")
    return value


def _count(session: Session, stmt: Select) -> int:
    return session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0


def _schema(row: models.Posting) -> Posting:
    from storage.mapping import to_schema

    return to_schema(row)


def _changes(session: Session, posting_id: int) -> list[models.PostingChange]:
    return list(
        session.scalars(
            select(models.PostingChange)
            .where(models.PostingChange.posting_id == posting_id)
            .order_by(models.PostingChange.changed_at, models.PostingChange.id)
        )
    )


def _change(c: models.PostingChange) -> dict[str, Any]:
    return {"field": c.field, "old": c.old, "new": c.new, "changed_at": iso(c.changed_at)}


def _compute_stats(session: Session, search: Search, top: int, weeks: int, rates=None):
    from storage.stats import compute_stats

    return compute_stats(session, search.filters, top=top, weeks=weeks, rates=rates)


def _skill_counts(session: Session) -> dict[str, int]:
    from storage.query import PostingFilters
    from storage.stats import top_skills

    return {c.key: c.postings for c in top_skills(session, PostingFilters(), limit=None, total=0) if c.key}


def _skills(prefix: str, counts: dict[str, int]) -> list[dict[str, Any]]:
    from pipeline.skills import load_taxonomy

    rows = [
        {"name": s.name, "category": s.category, "postings": counts.get(s.name, 0)}
        for s in load_taxonomy().skills
        if not prefix or any(word.startswith(prefix) for word in (s.name.lower(), *s.name.lower().split()))
    ]
    rows.sort(key=lambda r: (-r["postings"], r["name"].lower()))
    return rows


def _skill_names() -> list[str]:
    from pipeline.skills import load_taxonomy

    return sorted((s.name for s in load_taxonomy().skills), key=str.lower)


def _href(path: str, pairs: list[tuple[str, str]]) -> str:
    return f"{path}?{urlencode(pairs)}" if pairs else path


def _facet_links(search: Search, facet: str, rows) -> list[dict[str, Any]]:
    """Each facet value with its count and a link that adds it to the search (or, when chosen, removes it)."""
    name = FACET_PARAM[facet]
    option = FILTER_OPTIONS[name]
    out = []
    for row in rows:
        if row.key is None:
            out.append({"label": "not stated", "count": row.postings, "href": None, "chosen": False})
            continue
        value = str(row.key)
        chosen = search.has(name, value)
        if chosen:
            kept = [(k, v) for k, v in search.args if k != name or not _names(v, value)]
        elif option.multiple:
            kept = [*search.args, (name, value)]
        else:
            kept = [(k, v) for k, v in search.args if k != name] + [(name, value)]
        pairs = kept + ([("sort", search.sort)] if search.sort != "posted" else [])
        out.append({"label": value, "count": row.postings, "href": _href("/", pairs), "chosen": chosen})
    return out


def _names(given: str, value: str) -> bool:
    return value.lower() in (part.strip().lower() for part in given.split(","))


def _source_names() -> list[str]:
    from crawler.commands.filters import known_sources

    return known_sources()


def _pay_text(r) -> str:
    def amount(v: float | None) -> str:
        return "?" if v is None else f"{v:,.0f}"

    if r.min is not None and r.max is not None and r.min != r.max:
        span = f"{amount(r.min)}–{amount(r.max)}"
    elif r.min is None:
        span = f"up to {amount(r.max)}"
    elif r.max is None:
        span = f"from {amount(r.min)}"
    else:
        span = amount(r.min)
    text = f"{r.currency or ''} {span} per {r.period or '?'}".strip()
    if r.kind == "ote":
        text += " (OTE)"
    return text + (f" — {r.label}" if r.label else "")


def _result(p: Posting, wanted: set[str]) -> dict[str, Any]:
    """A search result's fields; the skills searched for first among its skills."""
    from crawler.commands.output import format_pay

    lowered = {w.lower() for w in wanted}
    skills = sorted(p.skills, key=lambda s: s.lower() not in lowered)

    sources = []
    for s in p.sources:
        if s.source not in sources:
            sources.append(s.source)
    return {
        "id": p.id,
        "title": p.title,
        "company": p.company,
        "locations": "; ".join(loc.raw for loc in p.locations),
        "pay": format_pay(p),
        "workplace": p.workplace,
        "seniority": p.seniority,
        "skills": skills[:6],
        "posted": (iso(p.posted_at) or "")[:10],
        "sources": sources or [p.source],
        "closed": p.closed_at is not None,
    }


def describe(search: Search) -> str:
    """The search in a few words, for titles: "skill=Go, workplace=remote" or "all open backend postings"."""
    parts = [f"{k}={v}" for k, v in search.args]
    return ", ".join(parts) if parts else "all open backend postings"


def form_values(request: Request) -> dict[str, list[str]]:
    """The query's values per parameter as typed (to fill the form in again, also after an error)."""
    values: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if value.strip():
            values.setdefault(key, []).append(value)
    return values
