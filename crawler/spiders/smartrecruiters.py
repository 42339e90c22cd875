"""SmartRecruiters companies: ``{base_url}/v1/companies/{id}/postings?limit=100&offset=N`` lists a company's
public postings (``content``, ``totalFound``) without their job ads, so each posting's detail
``{base_url}/v1/companies/{id}/postings/{postingId}`` is fetched too; the detail is the payload.

Pages follow until ``offset`` reaches ``totalFound`` (or a page comes back empty). When a detail cannot be
fetched or read, the list item is stored instead (no description; the next crawl fetches the detail again),
counted under ``jobscout/smartrecruiters/detail_fallbacks`` and as an error. ``page_size`` (default 100) sets
``limit``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.spiders.base import JobSpider, failure_reason, pace
from crawler.spiders.lever import positive_int


class SmartRecruitersSpider(JobSpider):
    name = "smartrecruiters"
    default_base_url = "https://api.smartrecruiters.com"
    # One API host serves every board of the platform: its pace is the whole platform's (docs/sources.md).
    custom_settings: ClassVar[dict[str, Any]] = pace(2, concurrency=2)
    #: A safety stop for a server that ignores ``offset``.
    max_pages: ClassVar[int] = 200

    def __init__(self, *args: Any, page_size: Any = 100, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.page_size = positive_int(page_size, "page_size")

    def company_url(self, board: str) -> str:
        return f"{self.base_url}/v1/companies/{quote(board, safe='')}/postings"

    def page_request(self, board: str, offset: int, seen: set[str], page: int = 1) -> scrapy.Request:
        return scrapy.Request(
            f"{self.company_url(board)}?limit={self.page_size}&offset={offset}",
            headers={"Accept": "application/json"},
            callback=self.parse_page,
            errback=self.errback_board,
            cb_kwargs={"board": board, "offset": offset, "seen": seen, "page": page},
            dont_filter=True,
        )

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/v1/companies/{quote(board, safe='')}/postings?limit=1"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.page_request(board, 0, set())

    def parse_page(self, response: Response, board: str, offset: int, seen: set[str], page: int):
        data = self.load_json(response, board)
        if data is None:
            self.board_failed(board, f"unreadable response at offset={offset}")
            return
        content = data.get("content") if isinstance(data, dict) else None
        if not isinstance(content, list):
            self.parse_error(board, response.url, "no 'content' list in the response")
            self.board_failed(board, "unexpected response format")
            return
        total = data.get("totalFound")
        new = 0
        for posting_id, item in self.with_ids(board, response, content, missing="posting without an id"):
            if posting_id in seen:
                continue
            seen.add(posting_id)
            new += 1
            yield scrapy.Request(
                f"{self.company_url(board)}/{quote(posting_id, safe='')}",
                headers={"Accept": "application/json"},
                callback=self.parse_detail,
                errback=self.errback_detail,
                cb_kwargs={"board": board, "item": item},
            )
        self.board_listed(board, new)
        next_offset = offset + len(content)
        more = next_offset < total if isinstance(total, int) else len(content) >= self.page_size
        if not content or not more:
            return
        if new == 0:
            self.logger.warning("smartrecruiters/%s: page at offset=%d repeated earlier postings", board, offset)
            return
        if page >= self.max_pages:
            self.logger.warning("smartrecruiters/%s: stopped after %d pages", board, page)
            return
        yield self.page_request(board, next_offset, seen, page + 1)

    def parse_detail(self, response: Response, board: str, item: dict[str, Any]):
        detail = self.load_json(response, board)
        if not isinstance(detail, dict) or str(detail.get("id") or "") != str(item["id"]):
            if detail is not None:
                self.parse_error(board, response.url, "the detail is not the listed posting")
            yield self.fallback(board, item, "unreadable detail")
            return
        yield self.raw_posting(board, item["id"], detail.get("postingUrl"), detail)

    def errback_detail(self, failure: Failure):
        request = failure.request
        board, item = request.cb_kwargs["board"], request.cb_kwargs["item"]
        reason = failure_reason(failure)
        yield self.fallback(board, item, f"{reason} at {request.url}")

    def fallback(self, board: str, item: dict[str, Any], reason: str):
        self.logger.error(
            "smartrecruiters/%s: detail of %s failed (%s); storing the list item", board, item["id"], reason
        )
        self.crawler.stats.inc_value("jobscout/smartrecruiters/detail_fallbacks")
        self.crawler.stats.inc_value("jobscout/errors")
        return self.raw_posting(board, item["id"], None, item)
