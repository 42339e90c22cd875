"""Greenhouse job boards: ``{base_url}/v1/boards/{token}/jobs?content=true`` lists every open job of a board
with its content, so one request per board is the whole crawl."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider


class GreenhouseSpider(JobSpider):
    name = "greenhouse"
    default_base_url = "https://boards-api.greenhouse.io"
    custom_settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 2}

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/v1/boards/{quote(board, safe='')}/jobs"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.board_request(board, f"{self.probe_url(self.base_url, board)}?content=true", self.parse_board)

    def parse_board(self, response: Response, board: str):
        if (body := self.board_body(response, board)) is None:
            return
        _, jobs = body
        self.board_listed(board, len(jobs))
        # Greenhouse ids are numbers: only a missing one is none.
        for external_id, job in self.with_ids(board, response, jobs, lambda job: job.get("id")):
            yield self.raw_posting(board, external_id, job.get("absolute_url"), job)
