"""Pinpoint companies: ``https://{company}.pinpointhq.com/postings.json`` answers ``{"data": [...]}`` with every
open posting, its description sections and its compensation fields, so one request per board is the whole crawl.

Closing kind: full snapshot (the one answer is the whole board; no pagination was seen in recorded bodies). A
body without a ``data`` list fails the board; a posting without an id is a counted parse error and the rest of
the board is kept. The board token is the ``pinpointhq.com`` subdomain; with ``base_url`` given (a mirror, a test
server) a board is requested at ``{base_url}/{board}/postings.json``.

Politeness: every board is its own host (``{company}.pinpointhq.com``) on Pinpoint's one service, so the pace is
set crawl-wide: four boards at a time, one request at a time per host, half a second between a host's requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider
from pipeline.sources.pinpoint import posting_id

POSTINGS_PATH = "/postings.json"


class PinpointSpider(JobSpider):
    name = "pinpoint"
    default_base_url = "https://{company}.pinpointhq.com"  # what `jobscout sources` shows
    custom_settings: ClassVar[dict[str, Any]] = {
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0.5,
    }

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return f"{base_url.rstrip('/')}/{quote(board, safe='')}"
        return f"https://{quote(board.lower(), safe='')}.pinpointhq.com"

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}{POSTINGS_PATH}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.board_request(board, self.probe_url(self.board_base(board), board), self.parse_board)

    def parse_board(self, response: Response, board: str):
        if (body := self.board_body(response, board, "data")) is None:
            return
        _, postings = body
        listed = 0
        for external_id, posting in self.with_ids(board, response, postings, posting_id, "posting without an id"):
            listed += 1
            yield self.raw_posting(board, external_id, posting.get("url"), posting)
        self.board_listed(board, listed)
