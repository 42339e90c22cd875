"""The ``jobscout serve`` web app: a search page, a posting page, a stats page, a JSON API and an Atom feed per
search, all read-only over one database.

:func:`create_app` takes a session factory (``storage.db.read_only_session_factory``: on SQLite its sessions never
take the write lock, so browsing never holds up a crawl) and builds a FastAPI application: the JSON API and the
feed are :mod:`crawler.web.api`, the pages :mod:`crawler.web.pages`, both reading what
:class:`crawler.web.state.WebState` holds. Every search goes through :mod:`crawler.web.search` (the options of
``jobscout query``) to ``storage.query.build_select``; the facets come from :mod:`storage.facets`, the stats from
``storage.stats.compute_stats``, the feed from the watches' Atom writer (``storage.watches.atom_document``). Bad
input is a 422 with one clear message (``{"detail": "..."}`` from the API, the page with the message otherwise).
Nothing is fetched from elsewhere: templates and the stylesheet ship in the package, and the
Content-Security-Policy keeps the browser to this origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path as FilePath

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from crawler.web import api, charts, pages
from crawler.web.reads import skill_names
from crawler.web.search import SearchError, form_values
from crawler.web.state import SessionFactory, WebState, web_state
from pipeline.model import EMPLOYMENT_TYPES, SENIORITIES, WORKPLACES
from storage.query import SORTS

HERE = FilePath(__file__).parent
SECURITY_HEADERS = {
    # Only this origin's stylesheet; no script at all; images only from here (a description's remote images are
    # removed, and this makes sure no markup can load one).
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


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
    app.middleware("http")(security_headers)
    app.state.web = WebState(session_factory, dialect, _templates(), rates)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.add_exception_handler(SearchError, search_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.include_router(api.router)
    app.include_router(pages.router)
    return app


def _templates() -> Jinja2Templates:
    from crawler.commands.filters import known_sources

    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(
        money=charts.money, width=charts.WIDTH, sorts=SORTS, workplaces=WORKPLACES, seniorities=SENIORITIES
    )
    templates.env.globals["employment_types"] = EMPLOYMENT_TYPES
    templates.env.globals["source_names"] = known_sources()
    return templates


async def security_headers(request: Request, call_next):
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


# --- errors: one message, as JSON for the API and as a page otherwise ---------------------------------------------
def is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/feed", "/openapi"))


def error(request: Request, status: int, message: str) -> Response:
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=status)
    # A search page that cannot run shows its form again, filled in as typed, to be fixed there.
    action = request.url.path if status == 422 and request.url.path in ("/", "/stats") else None
    context = {"message": message, "status": status, "form": form_values(request), "action": action}
    if action:
        context["skill_names"] = skill_names()
    return web_state(request).templates.TemplateResponse(request, "error.html", context, status_code=status)


async def search_error(request: Request, exc: Exception) -> Response:
    return error(request, 422, str(exc))


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for e in exc.errors():
        where = ".".join(str(x) for x in e.get("loc", ()) if x not in ("path", "query"))
        parts.append(f"{where}: {e.get('msg', 'invalid')}" if where else str(e.get("msg", "invalid")))
    return error(request, 422, "; ".join(parts) or "invalid request")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    return error(request, exc.status_code, str(exc.detail))
