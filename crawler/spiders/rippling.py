"""Rippling job boards (``ats.rippling.com/{slug}``), listing then one detail per job.

Listing, the current board API: ``GET https://ats.rippling.com/api/v2/board/{slug}/jobs?page=N&pageSize=M`` ->
``{items, page, pageSize, totalItems, totalPages}``, pages numbered from 0, read one after the other (the next
page is requested when one is in). The older API (a board whose config says ``api: "v1"``):
``GET https://api.rippling.com/platform/api/ats/v1/board/{slug}/jobs`` -> a bare array of every job, no paging.
Either body shape is read on either URL. Both list one item per job *and location*: the items of one job are
merged (their locations kept in order) before the job is requested.

Detail: ``GET {listing URL}/{id}`` (description, employment type, created date, pay range). No detail body is
recorded in the corpus: the step follows the fields jobseek's scraper reads (docs/sources.md marks it
unverified). The payload is the detail with the merged listing item under ``_listing``; a detail that cannot be
fetched or read falls back to ``{"_listing": item}`` (counted under ``jobscout/rippling/detail_fallbacks``).
The paging, closing and fallback bookkeeping is :mod:`crawler.spiders.paged`'s.

Closing kind: full snapshot, only when the whole listing was read: a page after the first that fails, or a listing
that ends before ``totalPages``, marks the board *read in part* (``jobscout/board_incomplete/<board>``, nothing of
it closes); a first page that fails fails the board.

Mirror convention (one shared host): ``{base_url}/api/v2/board/{slug}/jobs`` (v1 boards:
``{base_url}/platform/api/ats/v1/board/{slug}/jobs``). Politeness: every board is on one host, so one request at
a time with a delay.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar
from urllib.parse import quote

from scrapy.http import Response

from crawler.spiders.base import pace
from crawler.spiders.lever import positive_int
from crawler.spiders.paged import LISTING_KEY, Page, PagedDetailSpider, PageError
from pipeline.sources.rippling import merge_items, posting_id

V1_HOST = "https://api.rippling.com"
V1_PATH = "/platform/api/ats/v1/board/{slug}/jobs"
V2_PATH = "/api/v2/board/{slug}/jobs"
DEFAULT_PAGE_SIZE = 100


def read_listing(body: bytes) -> tuple[list[Any], int | None]:
    """A listing body's items and its ``totalPages`` (None for the older bare array); PageError otherwise."""
    try:
        data = json.loads(body.removeprefix(b"\xef\xbb\xbf"))
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise PageError(f"unreadable response: {str(exc)[:200]}") from None
    if isinstance(data, list):
        return data, None
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise PageError("unexpected response format: no JSON array and no 'items' list")
    pages = data.get("totalPages")
    return items, pages if isinstance(pages, int) and not isinstance(pages, bool) else None


class RipplingSpider(PagedDetailSpider):
    name = "rippling"
    default_base_url = "https://ats.rippling.com"
    custom_settings: ClassVar[dict[str, Any]] = pace(2)

    def __init__(self, *args: Any, page_size: Any = DEFAULT_PAGE_SIZE, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.page_size = positive_int(page_size, "page_size")

    @staticmethod
    def is_v1(config: dict[str, Any]) -> bool:
        return str(config.get("api") or "").lower() == "v1"

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return base_url.rstrip("/")
        return V1_HOST if cls.is_v1(config) else cls.default_base_url

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}{V2_PATH.format(slug=quote(board, safe=''))}"

    @classmethod
    def board_probe_url(
        cls, board: str, config: dict[str, Any] | None = None, base_url: str | None = None
    ) -> str | None:
        """The board's listing URL: the older API's for a board whose config says ``api: "v1"``."""
        base = cls.board_base_url(board, config or {}, base_url)
        if cls.is_v1(config or {}):
            return f"{base}{V1_PATH.format(slug=quote(board, safe=''))}"
        return cls.probe_url(base, board)

    def listing_url(self, board: str) -> str:
        return self.board_probe_url(board, self.board_config(board), self.base_url if self.base_url_given else None)

    def page_url(self, board: str, page: int) -> str:
        url = self.listing_url(board)
        return url if self.is_v1(self.board_config(board)) else f"{url}?page={page}&pageSize={self.page_size}"

    def first_page_url(self, board: str) -> str:
        return self.page_url(board, 0)

    def read_page(self, response: Response, board: str, page: int) -> Page:
        items, pages = read_listing(response.body)
        if pages is not None and page + 1 < pages:
            if not items:
                raise PageError(f"an empty page before the last ({pages})")
            return Page(items, self.page_url(board, page + 1))
        return Page(items)

    def job_id(self, job: Any) -> str | None:
        return posting_id(job)

    def merge(self, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return merge_items(jobs)

    def detail_url(self, board: str, job: dict[str, Any]) -> str:
        return f"{self.listing_url(board)}/{quote(posting_id(job), safe='')}"

    def read_detail(self, response: Response, board: str, job: dict[str, Any]) -> dict[str, Any] | None:
        detail = self.load_json(response, board)
        if not isinstance(detail, dict) or not detail:
            if detail is not None:
                self.parse_error(board, response.url, "the detail is not a JSON object")
            return None
        return {**detail, LISTING_KEY: job}

    def job_url(self, board: str, job: dict[str, Any]) -> str:
        url = job.get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return url
        return f"https://ats.rippling.com/{quote(board, safe='')}/jobs/{quote(posting_id(job), safe='')}"
