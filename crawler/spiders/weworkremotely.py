"""We Work Remotely: one RSS feed per category, ``{base_url}/categories/{category}.rss``; the board is the
category slug. By default the back-end, full-stack and devops categories are crawled; ``boards`` picks others
(any slug WWR serves, e.g. ``remote-front-end-programming-jobs``).

The feed is parsed by :func:`pipeline.sources.weworkremotely.parse_feed` (entity expansion off, entity
declarations refused); each ``<item>`` becomes one raw posting whose payload is the item's fields as a dict. A
windowed feed (the latest items of the category): absence closes nothing; items carry ``expires_at``.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider, SpiderArgumentError
from pipeline.sources.weworkremotely import FeedError, parse_feed, posting_id

DEFAULT_CATEGORIES = (
    "remote-back-end-programming-jobs",
    "remote-full-stack-programming-jobs",
    "remote-devops-sysadmin-jobs",
)
_CATEGORY = re.compile(r"[a-z0-9][a-z0-9-]*")


class WeWorkRemotelySpider(JobSpider):
    name = "weworkremotely"
    default_base_url = "https://weworkremotely.com"
    full_snapshot = False
    needs_boards = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.boards = [b.removesuffix(".rss") for b in self.boards] or list(DEFAULT_CATEGORIES)
        bad = [b for b in self.boards if not _CATEGORY.fullmatch(b)]
        if bad:
            raise SpiderArgumentError(f"not a We Work Remotely category slug: {', '.join(bad)}")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield scrapy.Request(
                f"{self.base_url}/categories/{board}.rss",
                callback=self.parse_category,
                errback=self.errback_board,
                cb_kwargs={"board": board},
            )

    def parse_category(self, response: Response, board: str):
        try:
            items = parse_feed(response.body)
        except FeedError as exc:
            self.parse_error(board, response.url, exc)
            self.board_failed(board, f"unreadable feed: {exc}")
            return
        self.board_listed(board, len(items))
        for external_id, item in self.with_ids(board, response, items, posting_id, "item without a guid or link"):
            yield self.raw_posting(board, external_id, item.get("link"), item)
