"""Workday career sites through the CXS JSON API (undocumented; field shapes in ``pipeline.sources.workday``).

A board is one site of one tenant, token ``{tenant}/{wdN}/{site}`` (``accenture/wd103/AccentureCareers``), served
at ``https://{tenant}.{wdN}.myworkdayjobs.com`` (``https://{wdN}.myworkdaysite.com`` when the board's config says
``domain: "myworkdaysite.com"``). With ``base_url`` given (a mirror, a test server) a board is requested under
``{base_url}/{tenant}/{wdN}/{site}``, followed by the path the real host would get.

Listing: ``POST {host}/wday/cxs/{tenant}/{site}/jobs`` with ``{"appliedFacets": {}, "limit": 20, "offset": N,
"searchText": ""}`` (``searchText`` from the board's ``search_text`` config). ``total`` comes on the first page
only, so the remaining pages are requested from it. Workday answers at most 2,000 results per query
(``result_cap``): a board whose total reaches it is read through a facet of its first page (``facets[]``; nested
groups such as ``locationMainGroup`` are flattened) whose value counts add up to the total -- the one with no value
over the cap and the fewest values --, each value paged on its own, the jobs de-duplicated by ``externalPath``.

Closing kind: full snapshot, only when the whole listing was read. The board is marked *read in part*
(``jobscout/board_incomplete/<board>``, so nothing of it closes; see :mod:`crawler.closing`) when a page after the
first fails, when no facet splits a board over the cap, when a facet value is itself over the cap, or when the
split read fewer distinct jobs than the total. A first page that fails fails the board.

Detail: each new job's ``GET {host}/wday/cxs/{tenant}/{site}{externalPath}``; the payload is the detail with the
listing item under ``_listing``. A detail that cannot be fetched or read falls back to ``{"_listing": item}``
(no description; counted under ``jobscout/workday/detail_fallbacks`` and as an error), as SmartRecruiters does.

Arguments beyond the shared ones: ``page_size`` (default and maximum 20: Workday answers 400 above it),
``result_cap`` (default 2,000). Politeness: every tenant is its own host; two requests at a time per host, with
the project's download delay and AutoThrottle.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.spiders.base import JobSpider, SpiderArgumentError, failure_reason
from crawler.spiders.lever import positive_int
from pipeline.sources.workday import LISTING_KEY, posting_id

MAX_PAGE_SIZE = 20
DEFAULT_RESULT_CAP = 2000
SITE_DOMAIN = "myworkdaysite.com"
# The tenant is a host name label, the instance ``wdN``; the site is one path segment.
_TOKEN = re.compile(r"(?P<tenant>[A-Za-z0-9][A-Za-z0-9_-]*)/(?P<instance>wd\d+)/(?P<site>[^/\s?#]+)", re.I)


@dataclass(frozen=True, slots=True)
class WorkdayBoard:
    tenant: str
    instance: str  # wdN
    site: str


def parse_token(board: str) -> WorkdayBoard:
    """``tenant/wdN/site`` -> its parts; ValueError for anything else."""
    match = _TOKEN.fullmatch(board.strip())
    if match is None:
        raise ValueError(f"not a Workday board token tenant/wdN/site: {board!r}")
    return WorkdayBoard(match["tenant"].lower(), match["instance"].lower(), match["site"])


def facet_choices(facets: Any) -> Iterator[tuple[str, list[tuple[str, int]]]]:
    """``(facetParameter, [(value id, count), ...])`` for every facet of a listing page, nested groups flattened;
    values without an id or a count are left out."""
    if not isinstance(facets, list):
        return
    for facet in facets:
        if not isinstance(facet, dict):
            continue
        values = facet.get("values")
        if not isinstance(values, list):
            continue
        if any(isinstance(v, dict) and "facetParameter" in v for v in values):  # a group of facets
            yield from facet_choices(values)
            continue
        parameter = facet.get("facetParameter")
        pairs = [
            (v["id"], v["count"])
            for v in values
            if isinstance(v, dict) and isinstance(v.get("id"), str) and isinstance(v.get("count"), int)
        ]
        if isinstance(parameter, str) and parameter and pairs:
            yield parameter, pairs


def split_facet(facets: Any, total: int, cap: int) -> tuple[str, list[tuple[str, int]]] | None:
    """The facet to read a board of ``total`` jobs through: it has several values and their counts add up to at
    least ``total``; among those, one with no value at or over ``cap`` if any, then the fewest values. None when no
    facet covers the total."""
    covering = [
        (p, values) for p, values in facet_choices(facets) if len(values) > 1 and sum(c for _, c in values) >= total
    ]
    if not covering:
        return None
    return min(covering, key=lambda pv: (max(c for _, c in pv[1]) >= cap, len(pv[1])))


@dataclass(slots=True)
class BoardRead:
    """One board's listing in progress: what was seen, what is in flight, and why it is not whole."""

    total: int | None = None
    split: bool = False
    seen: set[str] = field(default_factory=set)
    pending: int = 0
    problems: list[str] = field(default_factory=list)


class WorkdaySpider(JobSpider):
    name = "workday"
    default_base_url = "https://{tenant}.{wdN}.myworkdayjobs.com"  # what `jobscout sources` shows
    custom_settings: ClassVar[dict[str, Any]] = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2}

    def __init__(self, *args: Any, page_size: Any = MAX_PAGE_SIZE, result_cap: Any = DEFAULT_RESULT_CAP, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_size = positive_int(page_size, "page_size")
        if self.page_size > MAX_PAGE_SIZE:
            raise SpiderArgumentError(f"page_size must be at most {MAX_PAGE_SIZE} (Workday's limit)")
        self.result_cap = positive_int(result_cap, "result_cap")
        self.reads: dict[str, BoardRead] = {}

    # --- URLs ---------------------------------------------------------------------------------------------------
    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        parts = parse_token(board)
        if base_url:
            segments = (parts.tenant, parts.instance, parts.site)
            return f"{base_url.rstrip('/')}/" + "/".join(quote(s, safe="") for s in segments)
        if str(config.get("domain") or "").lower() == SITE_DOMAIN:
            return f"https://{parts.instance}.{SITE_DOMAIN}"
        return f"https://{quote(parts.tenant, safe='')}.{parts.instance}.myworkdayjobs.com"

    @classmethod
    def cxs_url(cls, base_url: str, board: str) -> str:
        """The board's CXS root: ``{base}/wday/cxs/{tenant}/{site}``."""
        parts = parse_token(board)
        return f"{base_url}/wday/cxs/{quote(parts.tenant, safe='')}/{quote(parts.site, safe='')}"

    @classmethod
    def listing_url(cls, base_url: str, board: str) -> str:
        """The CXS listing URL (POSTed) of ``board`` under its base."""
        return f"{cls.cxs_url(base_url, board)}/jobs"

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str | None:
        """None: Workday lists with a POST, and what a GET of the listing URL answers (a 404 for every board, a
        405?) is recorded nowhere; a probe that might say "no such board" of a live board would retire it
        (docs/registry.md, liveness). Workday boards' liveness comes from their crawls only."""
        return None

    def job_page_url(self, board: str, external_path: str) -> str:
        """The page a person opens for a job (the detail's ``externalUrl`` when it has one)."""
        parts = parse_token(board)
        base = self.board_base(board)
        site = quote(parts.site, safe="")
        if not self.base_url_given and str(self.board_config(board).get("domain") or "").lower() == SITE_DOMAIN:
            return f"{base}/recruiting/{quote(parts.tenant, safe='')}/{site}{external_path}"
        return f"{base}/{site}{external_path}"

    # --- listing ------------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            try:
                parse_token(board)
            except ValueError as exc:
                self.board_failed(board, str(exc))
                continue
            read = self.reads[board] = BoardRead()
            yield self.page_request(board, read, 0, {})

    def page_request(self, board: str, read: BoardRead, offset: int, facets: dict[str, list[str]]) -> scrapy.Request:
        read.pending += 1
        search = self.board_config(board).get("search_text")
        body = {
            "appliedFacets": facets,
            "limit": self.page_size,
            "offset": offset,
            "searchText": search if isinstance(search, str) else "",
        }
        return scrapy.Request(
            self.listing_url(self.board_base(board), board),
            method="POST",
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            callback=self.parse_page,
            errback=self.errback_page,
            cb_kwargs={"board": board, "offset": offset, "facets": facets},
        )

    def where(self, offset: int, facets: dict[str, list[str]]) -> str:
        scope = " ".join(f"{name}={','.join(ids)}" for name, ids in facets.items())
        return f"offset {offset}" + (f" of {scope}" if scope else "")

    def parse_page(self, response: Response, board: str, offset: int, facets: dict[str, list[str]]):
        read = self.reads[board]
        read.pending -= 1
        first = offset == 0 and not facets
        data = self.load_json(response, board)
        jobs = data.get("jobPostings") if isinstance(data, dict) else None
        if data is not None and not isinstance(jobs, list):
            self.parse_error(board, response.url, "no 'jobPostings' list in the response")
        if not isinstance(jobs, list):
            reason = "unreadable response" if data is None else "unexpected response format"
            if first:
                self.board_failed(board, reason)
            else:
                read.problems.append(f"{self.where(offset, facets)}: {reason}")
                self.finish_if_done(board, read)
            return
        new = 0
        for external_id, item in self.with_ids(board, response, jobs, posting_id, "job without an externalPath"):
            if external_id in read.seen:
                continue
            read.seen.add(external_id)
            new += 1
            yield self.detail_request(board, item)
        self.board_listed(board, new)
        if offset == 0:
            yield from self.plan(board, read, data, facets)
        self.finish_if_done(board, read)

    def plan(self, board: str, read: BoardRead, data: dict[str, Any], facets: dict[str, list[str]]):
        """After the first page of the board (or of one facet value): request the rest of it."""
        total = data.get("total")
        if not isinstance(total, int) or isinstance(total, bool) or total < 0:
            read.problems.append(f"{self.where(0, facets)}: no total on the first page")
            return
        if not facets:
            read.total = total
            if total >= self.result_cap:
                chosen = split_facet(data.get("facets"), total, self.result_cap)
                if chosen is not None:
                    read.split = True
                    parameter, values = chosen
                    self.logger.info(
                        "workday/%s: %d jobs reach the %d-result cap; reading through facet %s (%d values)",
                        board,
                        total,
                        self.result_cap,
                        parameter,
                        len(values),
                    )
                    for value_id, _ in values:
                        yield self.page_request(board, read, 0, {parameter: [value_id]})
                    return
                read.problems.append(f"{total} jobs reach the {self.result_cap}-result cap and no facet splits them")
        elif total >= self.result_cap:
            read.problems.append(f"{self.where(0, facets)}: {total} jobs reach the {self.result_cap}-result cap")
        for offset in range(self.page_size, min(total, self.result_cap), self.page_size):
            yield self.page_request(board, read, offset, facets)

    def errback_page(self, failure: Failure):
        request = failure.request
        board, offset, facets = (request.cb_kwargs[k] for k in ("board", "offset", "facets"))
        read = self.reads[board]
        read.pending -= 1
        if offset == 0 and not facets:
            self.errback_board(failure)
            return
        reason = failure_reason(failure)
        self.logger.error("workday/%s: %s failed: %s", board, self.where(offset, facets), reason)
        self.crawler.stats.inc_value("jobscout/errors")
        read.problems.append(f"{self.where(offset, facets)}: {reason}")
        self.finish_if_done(board, read)

    def finish_if_done(self, board: str, read: BoardRead) -> None:
        """When the board's last listing page is in: say whether the listing was read whole."""
        if read.pending:
            return
        if read.split and read.total is not None and len(read.seen) < read.total:
            read.problems.append(f"read {len(read.seen)} of {read.total} jobs through the facet split")
        if read.problems:
            reason = "; ".join(read.problems[:5]) + (
                f" (+{len(read.problems) - 5} more)" if len(read.problems) > 5 else ""
            )
            self.logger.error("workday/%s: listing read in part: %s", board, reason)
            self.crawler.stats.set_value(f"jobscout/board_incomplete/{board}", reason[:1000])

    # --- details ------------------------------------------------------------------------------------------------
    def detail_request(self, board: str, item: dict[str, Any]) -> scrapy.Request | None:
        path = item.get("externalPath")
        if not isinstance(path, str) or not path.strip().startswith("/") or "://" in path:
            return self.fallback(board, item, "no usable externalPath")
        return scrapy.Request(
            f"{self.cxs_url(self.board_base(board), board)}{path.strip()}",
            headers={"Accept": "application/json"},
            callback=self.parse_detail,
            errback=self.errback_detail,
            cb_kwargs={"board": board, "item": item},
        )

    def parse_detail(self, response: Response, board: str, item: dict[str, Any]):
        detail = self.load_json(response, board)
        if not isinstance(detail, dict) or not isinstance(detail.get("jobPostingInfo"), dict):
            if detail is not None:
                self.parse_error(board, response.url, "the detail has no 'jobPostingInfo' object")
            yield self.fallback(board, item, "unreadable detail")
            return
        url = detail["jobPostingInfo"].get("externalUrl")
        yield self.raw_posting(
            board,
            posting_id(item),
            url if isinstance(url, str) and url else self.job_page_url(board, item["externalPath"].strip()),
            {**detail, LISTING_KEY: item},
        )

    def errback_detail(self, failure: Failure):
        request = failure.request
        board, item = request.cb_kwargs["board"], request.cb_kwargs["item"]
        reason = failure_reason(failure)
        yield self.fallback(board, item, f"{reason} at {request.url}")

    def fallback(self, board: str, item: dict[str, Any], reason: str):
        self.logger.error(
            "workday/%s: detail of %s failed (%s); storing the list item", board, posting_id(item), reason
        )
        self.crawler.stats.inc_value("jobscout/workday/detail_fallbacks")
        self.crawler.stats.inc_value("jobscout/errors")
        path = item.get("externalPath")
        url = (
            self.job_page_url(board, path.strip()) if isinstance(path, str) and path.strip().startswith("/") else None
        )
        return self.raw_posting(board, posting_id(item), url, {LISTING_KEY: item})
