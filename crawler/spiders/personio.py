"""Personio companies: ``https://{company}.jobs.personio.com/xml`` (``jobs.personio.de`` when the board's config
says ``domain: "jobs.personio.de"``; ``?language=xx`` when it names a ``language``) is one XML feed with every
open position and its description, so one request per board is the whole crawl.

The feed is parsed by :func:`pipeline.sources.personio.parse_feed` (the same safe XML settings as the RSS
sources: no entity expansion, no network, no DTD); each ``<position>`` becomes one raw posting whose payload is
the position as a dict, and whose URL is its job page ``{host}/job/{id}``. An unknown company answers 404 (an
HTML page), which fails the board; an empty ``<workzag-jobs/>`` is a board with no openings.

With ``base_url`` given (a mirror, a test server) a board is requested at ``{base_url}/{board}/xml``. Every
board is its own host on Personio's one service, so the politeness is a low crawl-wide concurrency.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote, urlencode

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider
from pipeline.sources.personio import FeedError, parse_feed, posting_id

DOMAINS = ("jobs.personio.com", "jobs.personio.de")


class PersonioSpider(JobSpider):
    name = "personio"
    default_base_url = "https://{company}.jobs.personio.com"  # what `jobscout sources` shows
    custom_settings: ClassVar[dict[str, Any]] = {"CONCURRENT_REQUESTS": 4, "CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return f"{base_url.rstrip('/')}/{quote(board, safe='')}"
        domain = str(config.get("domain") or "").lower()
        return f"https://{quote(board.lower(), safe='')}.{domain if domain in DOMAINS else DOMAINS[0]}"

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/xml"

    def feed_url(self, board: str) -> str:
        url = self.probe_url(self.board_base(board), board)
        language = self.board_config(board).get("language")
        return f"{url}?{urlencode({'language': language})}" if isinstance(language, str) and language else url

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield scrapy.Request(
                self.feed_url(board),
                callback=self.parse_feed,
                errback=self.errback_board,
                headers={"Accept": "application/xml, text/xml;q=0.9"},
                cb_kwargs={"board": board},
            )

    def parse_feed(self, response: Response, board: str):
        try:
            positions = parse_feed(response.body)
        except FeedError as exc:
            self.parse_error(board, response.url, exc)
            self.board_failed(board, f"unreadable feed: {exc}")
            return
        self.board_listed(board, len(positions))
        base = self.board_base(board)
        for external_id, position in self.with_ids(board, response, positions, posting_id, "position without an id"):
            yield self.raw_posting(board, external_id, f"{base}/job/{quote(external_id, safe='')}", position)
