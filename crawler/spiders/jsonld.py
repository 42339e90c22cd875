"""Career pages that embed schema.org ``JobPosting`` JSON-LD (Built In, Ashby- and iCIMS-hosted pages, company
career sites...).

Arguments (one of ``urls``/``sitemap`` is required):

- ``urls=U1,U2`` (``jobscout crawl jsonld --urls ...``): the pages to read;
- ``sitemap=URL`` (``--sitemap URL``; several comma-separated): a sitemap ``urlset`` whose ``<loc>`` pages are read,
  or a sitemap index whose child sitemaps are followed (up to 3 levels; gzipped sitemaps are unpacked);
- ``follow=REGEX``: only sitemap pages whose URL matches (``re.search``) are read, e.g. ``follow=/jobs/``;
- ``max_pages=N``: stop scheduling pages after N (a sitemap may list tens of thousands).

Relative URLs are resolved against ``base_url`` when one is given.

The board of a posting is the host of the page it was read from, so a site's postings are counted (and, for
sources that close, closed) together; the source is not a full snapshot (a page list is not a complete board),
so nothing is closed by absence. Each page's postings are yielded with the payload
``{"page_url": <final URL>, "jobposting": <the JobPosting object as found>}``; extraction and mapping live in
``pipeline.sources.jsonld``.

Per-page outcomes, all in the run's ``dropped`` (``jobscout/dropped/<reason>``) rather than its errors, because a
page list routinely holds pages that are gone or carry no markup:

- ``no_jobposting``: the page has no JobPosting JSON-LD (LinkedIn, Indeed, Greenhouse-hosted pages...);
- ``page_not_found``: the page answered 404 or 410 (a filled job, usually);
- ``page_error``: any other failure (HTTP 5xx after retries, DNS, timeout) — also counted in the run's errors;
- ``not_html``: a binary response (a PDF job description).

A JSON-LD block that cannot be read even leniently is a parse error (``jobscout/jsonld/parse_errors``). A sitemap
that cannot be fetched or read fails its board (the sitemap's host).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from crawler.spiders.base import JobSpider, SpiderArgumentError, split_list
from pipeline.sources.jsonld import posting_id, read_page

MAX_SITEMAP_DEPTH = 3
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class JsonLdSpider(JobSpider):
    name = "jsonld"
    #: Only used to resolve relative ``urls``/``sitemap`` when ``base_url`` is given; pages are absolute URLs.
    default_base_url = "http://localhost"
    full_snapshot = False
    needs_boards = False
    #: Nothing to crawl without --urls or --sitemap (`jobscout crawl all` skips it).
    needs_urls = True

    def __init__(
        self,
        urls: str | list[str] | None = None,
        sitemap: str | list[str] | None = None,
        follow: str | None = None,
        max_pages: str | int | None = None,
        base_url: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(base_url=base_url, **kwargs)
        self._resolve_base = self.base_url + "/" if base_url else None
        self.urls = [self._absolute(u) for u in split_list(urls)]
        self.sitemaps = [self._absolute(u) for u in split_list(sitemap)]
        if not self.urls and not self.sitemaps:
            raise SpiderArgumentError("jsonld needs pages: pass urls=U1,U2 (--urls) or sitemap=URL (--sitemap)")
        try:
            self.follow = re.compile(follow) if follow else None
        except re.error as exc:
            raise SpiderArgumentError(f"follow is not a valid regular expression: {exc}") from exc
        try:
            self.max_pages = int(max_pages) if max_pages not in (None, "") else None
        except ValueError as exc:
            raise SpiderArgumentError(f"max_pages must be a number, got {max_pages!r}") from exc
        self.boards = list(dict.fromkeys(host_of(u) for u in [*self.urls, *self.sitemaps]))
        self._scheduled: set[str] = set()

    def _absolute(self, url: str) -> str:
        if self._resolve_base and not urlsplit(url).scheme:
            url = urljoin(self._resolve_base, url)
        if not url.startswith(("http://", "https://")):
            raise SpiderArgumentError(f"not an http(s) URL: {url!r} (pass absolute URLs, or base_url)")
        return url

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.sitemaps:
            yield self.sitemap_request(url, 0)
        for request in self.page_requests(self.urls):
            yield request

    # --- sitemaps -------------------------------------------------------------------------------------------
    def sitemap_request(self, url: str, depth: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_sitemap,
            errback=self.errback_board,
            cb_kwargs={"board": host_of(url), "depth": depth},
        )

    def parse_sitemap(self, response: Response, board: str, depth: int):
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
            except OSError as exc:
                self.parse_error(board, response.url, f"unreadable gzipped sitemap: {exc}")
                self.board_failed(board, f"unreadable sitemap at {response.url}")
                return
        try:
            sitemap = Sitemap(body)
            entries = [e for e in sitemap if isinstance(e.get("loc"), str) and e["loc"].strip()]
        except Exception as exc:  # lxml raises several error types on non-XML bodies
            self.parse_error(board, response.url, f"not a sitemap: {exc}")
            self.board_failed(board, f"unreadable sitemap at {response.url}")
            return
        # Only http(s) URLs are followed: a sitemap listing file:///etc/passwd or data: URLs gets them counted as
        # not_http_url, never read (JobSpider.follow_url).
        followed = (self.follow_url(e["loc"], response.url, board, "sitemap entry") for e in entries)
        locs = [loc for loc in followed if loc is not None]
        if sitemap.type == "sitemapindex":
            if depth >= MAX_SITEMAP_DEPTH:
                self.logger.warning("sitemap index nested deeper than %d at %s", MAX_SITEMAP_DEPTH, response.url)
                return
            for loc in locs:
                yield self.sitemap_request(loc, depth + 1)
            return
        if sitemap.type != "urlset":
            self.parse_error(board, response.url, f"not a sitemap (root element {sitemap.type!r})")
            self.board_failed(board, f"unreadable sitemap at {response.url}")
            return
        pages = [loc for loc in locs if self.follow is None or self.follow.search(loc)]
        self.crawler.stats.inc_value("jobscout/jsonld/sitemap_pages", len(pages))
        yield from self.page_requests(pages)

    # --- pages ----------------------------------------------------------------------------------------------
    def page_requests(self, urls: Iterable[str]) -> Iterable[scrapy.Request]:
        for url in urls:
            if url in self._scheduled:
                continue
            if self.max_pages is not None and len(self._scheduled) >= self.max_pages:
                self.crawler.stats.inc_value("jobscout/jsonld/pages_over_limit")
                continue
            self._scheduled.add(url)
            yield scrapy.Request(
                url, callback=self.parse_page, errback=self.errback_page, cb_kwargs={"board": host_of(url)}
            )

    def parse_page(self, response: Response, board: str):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("jobscout/dropped/not_html")
            self.board_listed(board, 0)
            return
        page = read_page(response.text, response.url)
        if page.unreadable:
            self.parse_error(board, response.url, f"{page.unreadable} unreadable JSON-LD block(s)")
        self.board_listed(board, len(page.postings))
        if not page.postings:
            self.crawler.stats.inc_value("jobscout/dropped/no_jobposting")
            self.logger.info("no JobPosting JSON-LD at %s", response.url)
            return
        seen: set[str] = set()
        for job in page.postings:
            external_id = posting_id(job, response.url)
            if external_id in seen:
                continue
            seen.add(external_id)
            url = job.get("url") if isinstance(job.get("url"), str) and job["url"].strip() else response.url
            yield self.raw_posting(board, external_id, url, {"page_url": response.url, "jobposting": job})

    def errback_page(self, failure: Failure) -> None:
        request = failure.request
        board = request.cb_kwargs.get("board") or host_of(request.url)
        self.board_listed(board, 0)
        if failure.check(HttpError) and failure.value.response.status in (404, 410):
            self.crawler.stats.inc_value("jobscout/dropped/page_not_found")
            self.logger.warning("page gone (HTTP %s): %s", failure.value.response.status, request.url)
            return
        reason = (
            f"HTTP {failure.value.response.status}"
            if failure.check(HttpError)
            else f"{failure.type.__name__}: {failure.getErrorMessage()}"
        )
        self.crawler.stats.inc_value("jobscout/dropped/page_error")
        self.crawler.stats.inc_value("jobscout/errors")
        self.logger.error("page %s failed: %s", request.url, reason)
