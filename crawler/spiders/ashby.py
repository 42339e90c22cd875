"""Ashby job boards: ``{base_url}/posting-api/job-board/{board}?includeCompensation=true`` lists every published
job of a board with its description and compensation, so one request per board is the whole crawl.

Jobs with ``isListed: false`` (unlisted: reachable by link only, not on the public board) are skipped and
counted under ``jobscout/ashby/unlisted``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider, pace


class AshbySpider(JobSpider):
    name = "ashby"
    default_base_url = "https://api.ashbyhq.com"
    # One API host serves every board of the platform: its pace is the whole platform's (docs/sources.md).
    custom_settings: ClassVar[dict[str, Any]] = pace(2, concurrency=2)

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/posting-api/job-board/{quote(board, safe='')}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            url = f"{self.probe_url(self.base_url, board)}?includeCompensation=true"
            yield self.board_request(board, url, self.parse_board)

    def parse_board(self, response: Response, board: str):
        if (body := self.board_body(response, board)) is None:
            return
        _, jobs = body
        listed = 0
        for external_id, job in self.with_ids(board, response, jobs):
            if job.get("isListed") is False:
                self.crawler.stats.inc_value("jobscout/ashby/unlisted")
                continue
            listed += 1
            yield self.raw_posting(board, external_id, job.get("jobUrl"), job)
        self.board_listed(board, listed)
