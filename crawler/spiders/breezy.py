"""Breezy HR companies: ``https://{company}.breezy.hr/json`` answers a JSON array with every published position
(title, place, type, department, a salary text, on some portals a short description), so one request per board
is the whole crawl. The position pages (``/p/{friendly_id}``) are not requested.

Closing kind: full snapshot (the one answer is the whole board; Breezy has no pagination). A body that is not an
array fails the board; a position without an id is a counted parse error and the rest of the board is kept. The
board token is the ``breezy.hr`` subdomain; with ``base_url`` given (a mirror, a test server) a board is requested
at ``{base_url}/{board}/json``.

Politeness: every board is its own host (``{company}.breezy.hr``) on Breezy's one service, so the pace is set
crawl-wide: four boards at a time, one request at a time per host, half a second between a host's requests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider
from pipeline.sources.breezy import posting_id

LIST_PATH = "/json"


class BreezySpider(JobSpider):
    name = "breezy"
    default_base_url = "https://{company}.breezy.hr"  # what `jobscout sources` shows
    custom_settings: ClassVar[dict[str, Any]] = {
        "CONCURRENT_REQUESTS": 4,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": 0.5,
    }

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return f"{base_url.rstrip('/')}/{quote(board, safe='')}"
        return f"https://{quote(board.lower(), safe='')}.breezy.hr"

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}{LIST_PATH}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.board_request(board, self.probe_url(self.board_base(board), board), self.parse_board)

    def parse_board(self, response: Response, board: str):
        if (body := self.board_body(response, board, None)) is None:
            return
        _, positions = body
        listed = 0
        for external_id, position in self.with_ids(board, response, positions, posting_id, "position without an id"):
            listed += 1
            yield self.raw_posting(board, external_id, position.get("url"), position)
        self.board_listed(board, listed)
