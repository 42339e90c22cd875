"""Greenhouse job boards: ``{base_url}/v1/boards/{token}/jobs?content=true`` lists every open job of a board
with its content, so one request per board is the whole crawl.

A board whose config says ``region: "eu"`` lives on Greenhouse's EU instance (``job-boards.eu.greenhouse.io``), whose
API host is ``boards-api.eu.greenhouse.io``; an explicit ``base_url`` wins over the config."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider, pace


class GreenhouseSpider(JobSpider):
    name = "greenhouse"
    default_base_url = "https://boards-api.greenhouse.io"
    region_hosts: ClassVar[dict[str, str]] = {"eu": "https://boards-api.eu.greenhouse.io"}
    # One API host serves every board of the platform: its pace is the whole platform's (docs/sources.md).
    custom_settings: ClassVar[dict[str, Any]] = pace(2, concurrency=2)

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        if base_url:
            return base_url.rstrip("/")
        return cls.region_hosts.get(str(config.get("region", "")).lower(), cls.default_base_url)

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/v1/boards/{quote(board, safe='')}/jobs"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            url = f"{self.probe_url(self.board_base(board), board)}?content=true"
            yield self.board_request(board, url, self.parse_board)

    def parse_board(self, response: Response, board: str):
        if (body := self.board_body(response, board)) is None:
            return
        _, jobs = body
        self.board_listed(board, len(jobs))
        # Greenhouse ids are numbers: only a missing one is none.
        for external_id, job in self.with_ids(board, response, jobs, lambda job: job.get("id")):
            yield self.raw_posting(board, external_id, job.get("absolute_url"), job)
