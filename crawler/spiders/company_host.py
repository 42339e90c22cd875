"""The base of platforms whose every board is its own host (``{company}.pinpointhq.com``, ``{company}.breezy.hr``,
``{company}.bamboohr.com``, ``{company}.teamtailor.com``): one listing request per board at ``listing_path``.

A subclass names its ``host_suffix`` and ``listing_path`` and parses the listing in ``parse_listing``. With
``base_url`` given (a mirror, a test server) a board is requested at ``{base_url}/{board}{listing_path}``
(docs/sources.md, the mirror convention). Politeness is set crawl-wide, since each board is its own host on the
platform's one service: four boards at a time, one request at a time per host, half a second between a host's
requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy

from crawler.spiders.base import JobSpider


class CompanyHostSpider(JobSpider):
    #: ``.pinpointhq.com``: the board token is the subdomain in front of it.
    host_suffix: ClassVar[str] = ""
    #: The listing's path on a board's host, e.g. ``/postings.json``.
    listing_path: ClassVar[str] = ""
    custom_settings: ClassVar[dict[str, Any]] = {
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0.5,
    }

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return f"{base_url.rstrip('/')}/{quote(board, safe='')}"
        return cls.company_host(board, config)

    @classmethod
    def company_host(cls, board: str, config: dict[str, Any]) -> str:
        """The board's real base URL (a subclass may read a custom domain from ``config``)."""
        return f"https://{quote(board.strip().lower(), safe='')}{cls.host_suffix}"

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}{cls.listing_path}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.board_request(board, self.probe_url(self.board_base(board), board), self.parse_listing)

    def parse_listing(self, response, board: str):
        raise NotImplementedError
