"""Arbeitnow: ``{base_url}/api/job-board-api`` returns ``{"data": [...], "links": {"next": ...}, "meta": ...}``,
100 jobs a page, newest first; the spider follows ``links.next`` until it is null, a page lists nothing, or
``max_pages`` pages were read (argument, default 50).

``links.next`` is an absolute URL on www.arbeitnow.com; its path and query are re-based onto ``base_url``, so a
test server or mirror keeps serving every page and the crawl never leaves the configured host. Jobs move down
the pages while the crawl runs (new ones arrive on top), so a slug already seen on an earlier page is skipped.

A page after the first that fails (HTTP error, malformed JSON) costs only the pages after it: the error is counted
and logged and ``jobscout/board_incomplete/arbeitnow`` is set, but the board is not failed, because what the
earlier pages listed is stored and usable (a failed first page fails the board, as usual).

A windowed feed: absence closes nothing. The single board is ``arbeitnow``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.spiders.base import JobSpider, SpiderArgumentError, failure_reason
from pipeline.sources.arbeitnow import posting_id
from pipeline.sources.common import http_url

DEFAULT_MAX_PAGES = 50


class ArbeitnowSpider(JobSpider):
    name = "arbeitnow"
    default_base_url = "https://www.arbeitnow.com"
    full_snapshot = False
    needs_boards = False
    single_feed = True

    def __init__(self, *args: Any, max_pages: int | str | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        try:
            self.max_pages = DEFAULT_MAX_PAGES if max_pages in (None, "") else int(max_pages)
        except ValueError as exc:
            raise SpiderArgumentError(f"max_pages must be a whole number, got {max_pages!r}") from exc
        if self.max_pages < 1:
            raise SpiderArgumentError(f"max_pages must be at least 1, got {self.max_pages}")
        self.seen: set[str] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(f"{self.base_url}/api/job-board-api", 1)

    def page_request(self, url: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_page, errback=self.errback_page, cb_kwargs={"board": self.name, "page": page}
        )

    def errback_page(self, failure: Failure) -> None:
        page = failure.request.cb_kwargs.get("page", 1)
        if page == 1:
            self.errback_board(failure)
            return
        reason = failure_reason(failure)
        self.page_failed(page, f"{reason} at {failure.request.url}")

    def page_failed(self, page: int, reason: str) -> None:
        """A later page failed: the pages before it stand; the board is marked incomplete, not failed."""
        self.logger.error("%s: page %d failed, later pages not read: %s", self.name, page, reason)
        self.crawler.stats.set_value(f"jobscout/board_incomplete/{self.name}", f"page {page}: {reason}")
        self.crawler.stats.inc_value("jobscout/errors")

    def rebase(self, url: str) -> str | None:
        """``url``'s path and query on ``base_url`` (None when it is not an http(s) URL: ``follow_url``'s rule)."""
        parts = urlsplit(url)
        if (parts.scheme and http_url(url) is None) or not parts.path.startswith("/"):
            return None
        return f"{self.base_url}{parts.path}" + (f"?{parts.query}" if parts.query else "")

    def parse_page(self, response: Response, board: str, page: int):
        data = self.load_json(response, board)
        jobs = data.get("data") if isinstance(data, dict) else None
        if data is not None and not isinstance(jobs, list):
            self.parse_error(board, response.url, "no 'data' list in the response")
        if not isinstance(jobs, list):
            reason = "unreadable response" if data is None else "unexpected response format"
            if page == 1:
                self.board_failed(board, reason)
            else:
                self.crawler.stats.set_value(f"jobscout/board_incomplete/{self.name}", f"page {page}: {reason}")
            return
        listed = 0
        for external_id, job in self.with_ids(board, response, jobs, posting_id, "job without a slug"):
            if external_id in self.seen:
                continue
            self.seen.add(external_id)
            listed += 1
            yield self.raw_posting(board, external_id, job.get("url"), job)
        self.board_listed(board, listed)
        self.crawler.stats.inc_value("jobscout/arbeitnow/pages")

        links = data.get("links")
        next_url = links.get("next") if isinstance(links, dict) else None
        if not jobs or not isinstance(next_url, str) or not next_url.strip():
            return
        if page >= self.max_pages:
            self.logger.warning("arbeitnow: stopped after max_pages=%d pages; more pages remain", self.max_pages)
            self.crawler.stats.set_value("jobscout/arbeitnow/page_limit_reached", 1)
            return
        target = self.rebase(next_url.strip())
        if target is None:
            self.parse_error(board, response.url, f"unusable links.next: {next_url[:120]}")
            return
        yield self.page_request(target, page + 1)
