"""A board listed over pages read one after another, then one detail request per job: the shape of the Rippling,
Join and Jobvite spiders.

A platform spider says how to read a page (:meth:`PagedDetailSpider.read_page`: its jobs and the URL of the next
page, or None), how to request and read a job's detail (:meth:`detail_url`, :meth:`read_detail`), and how to
merge the listing (:meth:`merge`, for platforms that list a job once per location). The base keeps the
bookkeeping the closing rule needs (crawler.closing):

- the first page failing (HTTP, network, unreadable, no listing in it) fails the board;
- a later page failing, or more than ``MAX_PAGES`` pages, marks the board *read in part*
  (``jobscout/board_incomplete/<board>``): the jobs read are stored, nothing of the board closes;
- a job without an id is a counted parse error and the rest of the board is kept;
- a detail that cannot be fetched or read stores the listing item alone (``{"_listing": job}``), counted under
  ``jobscout/<source>/detail_fallbacks`` and as an error, as Workday does.

Pages are requested one at a time per board: these platforms serve every board from one host.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.spiders.base import JobSpider, failure_reason

LISTING_KEY = "_listing"


class PageError(ValueError):
    """A listing page that cannot be read (its message is the board's failure reason)."""


@dataclass(slots=True)
class Page:
    """What one listing page holds: its jobs and the next page's URL (None on the last page)."""

    jobs: list[Any]
    next_url: str | None = None


@dataclass(slots=True)
class BoardRead:
    jobs: list[Any] = field(default_factory=list)
    problem: str | None = None


class PagedDetailSpider(JobSpider):
    #: The most pages read of one board; a listing that goes on is read in part.
    max_pages: ClassVar[int] = 200
    #: The Accept header of listing and detail requests.
    accept: ClassVar[str] = "application/json"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.reads: dict[str, BoardRead] = {}

    # --- what a platform says -----------------------------------------------------------------------------------
    def first_page_url(self, board: str) -> str:
        raise NotImplementedError

    def read_page(self, response: Response, board: str, page: int) -> Page:
        """The jobs of one listing page and the next page's URL; :class:`PageError` when it cannot be read."""
        raise NotImplementedError

    def job_id(self, job: Any) -> str | None:
        raise NotImplementedError

    def merge(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The jobs of the whole listing, each once (the default: the first of each id)."""
        first: dict[str | None, dict[str, Any]] = {}
        for job in jobs:
            first.setdefault(self.job_id(job), job)
        return list(first.values())

    def detail_url(self, board: str, job: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def read_detail(self, response: Response, board: str, job: dict[str, Any]) -> dict[str, Any] | None:
        """The payload to store for ``job`` from its detail response, or None when it cannot be read."""
        raise NotImplementedError

    def job_url(self, board: str, job: dict[str, Any]) -> str | None:
        raise NotImplementedError

    # --- listing ------------------------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            self.reads[board] = BoardRead()
            yield self.page_request(board, self.first_page_url(board), 0)

    def page_request(self, board: str, url: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.errback_page,
            headers={"Accept": self.accept},
            cb_kwargs={"board": board, "page": page},
        )

    def parse_page(self, response: Response, board: str, page: int):
        read = self.reads[board]
        try:
            got = self.read_page(response, board, page)
        except PageError as exc:
            self.parse_error(board, response.url, exc)
            if page == 0:
                self.reads.pop(board)
                self.board_failed(board, str(exc))
                return
            read.problem = f"page {page + 1}: {exc}"
            yield from self.finish(board)
            return
        for job in got.jobs:
            if isinstance(job, dict) and self.job_id(job) is not None:
                read.jobs.append(job)
            else:
                self.parse_error(board, response.url, f"job without an id: {str(job)[:80]}")
        if got.next_url:
            if page + 1 >= self.max_pages:
                read.problem = f"more than {self.max_pages} pages"
            elif (url := self.follow_url(got.next_url, response.url, board, "next page")) is None:
                read.problem = f"page {page + 2}: not an http(s) URL"
            else:
                yield self.page_request(board, url, page + 1)
                return
        yield from self.finish(board)

    def errback_page(self, failure: Failure):
        request = failure.request
        board, page = request.cb_kwargs["board"], request.cb_kwargs["page"]
        if page == 0:
            self.reads.pop(board, None)
            self.errback_board(failure)
            return
        reason = failure_reason(failure)
        self.logger.error("%s/%s: page %d failed: %s", self.name, board, page + 1, reason)
        self.crawler.stats.inc_value("jobscout/errors")
        self.reads[board].problem = f"page {page + 1}: {reason} at {request.url}"
        yield from self.finish(board)

    def finish(self, board: str) -> Iterator[scrapy.Request | Any]:
        """The listing is in, whole or not: count it and request each job's detail."""
        read = self.reads.pop(board)
        if read.problem:
            self.logger.error("%s/%s: listing read in part: %s", self.name, board, read.problem)
            self.crawler.stats.set_value(f"jobscout/board_incomplete/{board}", read.problem[:1000])
        jobs = self.merge(read.jobs)
        self.board_listed(board, len(jobs))
        for job in jobs:
            url = self.detail_url(board, job)
            if url is None:
                yield self.fallback(board, job, "no detail URL")
                continue
            yield scrapy.Request(
                url,
                headers={"Accept": self.accept},
                callback=self.parse_detail,
                errback=self.errback_detail,
                cb_kwargs={"board": board, "job": job},
            )

    # --- details ------------------------------------------------------------------------------------------------
    def parse_detail(self, response: Response, board: str, job: dict[str, Any]):
        payload = self.read_detail(response, board, job)
        if payload is None:
            yield self.fallback(board, job, "unreadable detail")
            return
        yield self.raw_posting(board, self.job_id(job), self.job_url(board, job), payload)

    def errback_detail(self, failure: Failure):
        request = failure.request
        board, job = request.cb_kwargs["board"], request.cb_kwargs["job"]
        yield self.fallback(board, job, f"{failure_reason(failure)} at {request.url}")

    def fallback(self, board: str, job: dict[str, Any], reason: str):
        self.logger.error(
            "%s/%s: detail of %s failed (%s); storing the list item", self.name, board, self.job_id(job), reason
        )
        self.crawler.stats.inc_value(f"jobscout/{self.name}/detail_fallbacks")
        self.crawler.stats.inc_value("jobscout/errors")
        return self.raw_posting(board, self.job_id(job), self.job_url(board, job), {LISTING_KEY: job})
