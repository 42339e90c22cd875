"""Recruitee companies: ``https://{company}.recruitee.com/api/offers/`` (or, for a board on its own careers host,
``{api_base}/api/offers/`` from the board's config) lists every offer of a company with its description and
salary, so one request per board is the whole crawl. Only ``status == "published"`` offers are postings.

The board token is the ``recruitee.com`` subdomain, or the custom host for a board whose config has ``api_base``.
With ``base_url`` given (a mirror, a test server) a board is requested at ``{base_url}/{board}/api/offers/``.
Every board is its own host on Recruitee's one service, so the politeness is a low crawl-wide concurrency.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider
from pipeline.sources.common import http_url

OFFERS_PATH = "/api/offers/"


class RecruiteeSpider(JobSpider):
    name = "recruitee"
    default_base_url = "https://{company}.recruitee.com"  # what `jobscout sources` shows
    custom_settings: ClassVar[dict[str, Any]] = {"CONCURRENT_REQUESTS": 4, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return f"{base_url.rstrip('/')}/{quote(board, safe='')}"
        api_base = http_url(config.get("api_base"))
        if api_base:
            return api_base.rstrip("/")
        return f"https://{quote(board.lower(), safe='')}.recruitee.com"

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}{OFFERS_PATH}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.board_request(board, self.probe_url(self.board_base(board), board), self.parse_board)

    def parse_board(self, response: Response, board: str):
        if (body := self.board_body(response, board, "offers")) is None:
            return
        _, offers = body
        listed = 0
        for offer_id, offer in self.with_ids(board, response, offers, lambda o: o.get("id"), "offer without an id"):
            if offer.get("status", "published") != "published":
                continue
            listed += 1
            yield self.raw_posting(board, offer_id, offer.get("careers_url"), offer)
        self.board_listed(board, listed)
