"""The web app's pages: the search page (the filters of ``jobscout query`` as a form, facets, paging), a posting's
page (its description rebuilt from the stored payload and sanitised, sources, pay ranges, history) and the stats
page (server-rendered SVG charts)."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from crawler.web import charts
from crawler.web.reads import change_dict, changes_of, count, search_stats, skill_names, to_posting
from crawler.web.search import FILTER_OPTIONS, Search, describe, form_values, int_param, parse_search
from crawler.web.state import web_state
from pipeline.model import Posting, iso
from pipeline.sources.common import http_url
from storage import models
from storage.fx import money
from storage.query import build_select, resolve_skills

PAGE_SIZE = 20  # results per search page
MAX_PAGE = 10**6
FACET_PARAM = {"skill": "skill", "workplace": "workplace", "seniority": "seniority", "country": "country"}
FACET_PARAM |= {"source": "source", "company": "company"}

router = APIRouter()


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    return Response(status_code=204)  # no icon; an empty answer keeps browsers from logging a 404 per page


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request) -> Response:
    web = web_state(request)
    search = parse_search(request.query_params.multi_items(), allowed=("page",))
    page = int_param(request, "page", 1, 1, MAX_PAGE)
    from storage.facets import facet_counts

    with web.session_factory() as session:
        skills = resolve_skills(session, search.filters)
        stmt = build_select(search.filters, web.dialect, web.rates, window=page * PAGE_SIZE, skills=skills)
        total = count(session, build_select(search.filters, web.dialect, web.rates, skills=skills))  # not the window
        rows = session.scalars(stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
        wanted = {*search.filters.skills, *search.filters.any_skills}
        results = [_result(to_posting(row), wanted) for row in rows]
        facets = facet_counts(session, search.filters, limit=8, total=total)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    context = {
        "search": search,
        "form": form_values(request),
        "skill_names": skill_names(),
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
    return web.templates.TemplateResponse(request, "search.html", context)


@router.get("/postings/{posting_id}", response_class=HTMLResponse, include_in_schema=False)
def posting_page(request: Request, posting_id: int = Path(ge=1, le=models.MAX_ROW_ID)) -> Response:
    web = web_state(request)
    from crawler.commands.changes import pay_direction
    from crawler.web.description import description_html
    from storage.ingest import decompress_payload

    with web.session_factory() as session:
        row = session.get(models.Posting, posting_id)
        if row is None:
            raise StarletteHTTPException(404, f"no posting with id {posting_id}")
        posting = to_posting(row)
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
            {**change_dict(c), "direction": pay_direction(c.old, c.new) if c.field == "pay" else None}
            for c in changes_of(session, posting_id)
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
    return web.templates.TemplateResponse(request, "posting.html", context)


@router.get("/stats", response_class=HTMLResponse, include_in_schema=False)
def stats_page(request: Request) -> Response:
    web = web_state(request)
    search = parse_search(request.query_params.multi_items())
    with web.session_factory() as session:
        s = search_stats(session, search, 15, 26, web.rates)
    context = {
        "search": search,
        "form": form_values(request),
        "skill_names": skill_names(),
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
    return web.templates.TemplateResponse(request, "stats.html", context)


# --- helpers ---------------------------------------------------------------------------------------------------
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


def _pay_text(r) -> str:
    """A pay range as the posting page writes it: ``storage.fx.money``'s text (the one ``show`` prints), marked
    "(OTE)" for on-target earnings and followed by the range's label."""
    text = money(r.min, r.max, r.currency, r.period) or "amount not stated"
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
