"""Lever sites: ``{base_url}/v0/postings/{site}?mode=json&skip=N&limit=M`` returns a JSON list of postings (with
their descriptions); pages follow until one returns fewer than ``limit``.

A site whose board config says ``region: "eu"`` is read from Lever's EU host (``https://api.eu.lever.co``).
Arguments beyond the shared ones: ``region=eu`` selects the EU host for every site of the crawl (an explicit
``base_url`` wins over both); ``page_size`` (default 100) sets ``limit``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider, SpiderArgumentError, pace

REGION_HOSTS = {"global": "https://api.lever.co", "us": "https://api.lever.co", "eu": "https://api.eu.lever.co"}


def positive_int(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number < 1:
        raise SpiderArgumentError(f"{name} must be a positive integer, got {value!r}")
    return number


class LeverSpider(JobSpider):
    name = "lever"
    default_base_url = REGION_HOSTS["global"]
    # One API host serves every board of the platform: its pace is the whole platform's (docs/sources.md).
    custom_settings: ClassVar[dict[str, Any]] = pace(2, concurrency=2)
    #: A safety stop for a server that ignores ``skip`` and repeats its first page.
    max_pages: ClassVar[int] = 200

    def __init__(self, *args: Any, region: str | None = None, page_size: Any = 100, **kwargs: Any):
        region_key = (region or "").strip().lower()
        if region_key and region_key not in REGION_HOSTS:
            raise SpiderArgumentError(f"region must be one of {', '.join(sorted(REGION_HOSTS))}, got {region!r}")
        if region_key and not kwargs.get("base_url"):
            kwargs["base_url"] = REGION_HOSTS[region_key]
        super().__init__(*args, **kwargs)
        self.region = region_key or None
        self.page_size = positive_int(page_size, "page_size")

    def page_request(self, board: str, skip: int, seen: set[str], page: int = 1) -> scrapy.Request:
        site = quote(board, safe="")
        return scrapy.Request(
            f"{self.board_base(board)}/v0/postings/{site}?mode=json&skip={skip}&limit={self.page_size}",
            headers={"Accept": "application/json"},
            callback=self.parse_page,
            errback=self.errback_board,
            cb_kwargs={"board": board, "skip": skip, "seen": seen, "page": page},
            dont_filter=True,
        )

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return base_url.rstrip("/")
        return REGION_HOSTS.get(str(config.get("region", "")).lower(), cls.default_base_url)

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/v0/postings/{quote(board, safe='')}?mode=json&limit=1"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.page_request(board, 0, set())

    def parse_page(self, response: Response, board: str, skip: int, seen: set[str], page: int):
        data = self.load_json(response, board)
        if data is None:
            self.board_failed(board, f"unreadable response at skip={skip}")
            return
        if isinstance(data, dict) and data.get("ok") is False:  # Lever's error envelope
            error = str(data.get("error"))[:200]
            if "not found" in error.lower():  # Lever's "Document not found": no such site
                self.board_missing(board, f"Lever error: {error}")
            else:
                self.board_failed(board, f"Lever error: {error}")
            return
        if not isinstance(data, list):
            self.parse_error(board, response.url, "the response is not a list of postings")
            self.board_failed(board, "unexpected response format")
            return
        new = 0
        for posting_id, posting in self.with_ids(board, response, data, missing="posting without an id"):
            if posting_id in seen:
                continue
            seen.add(posting_id)
            new += 1
            yield self.raw_posting(board, posting_id, posting.get("hostedUrl"), posting)
        self.board_listed(board, new)
        if len(data) < self.page_size:
            return
        if new == 0:
            self.logger.warning("lever/%s: page at skip=%d repeated earlier postings; stopping", board, skip)
            return
        if page >= self.max_pages:
            self.logger.warning("lever/%s: stopped after %d pages", board, page)
            return
        yield self.page_request(board, skip + len(data), seen, page + 1)
