"""Workable accounts: ``{base_url}/api/v1/widget/accounts/{account}?details=true`` lists every published job of
an account with its description, so one request per account is the whole crawl.

Workable rate-limits this endpoint (HTTP 429, with Retry-After); the 429 goes to the shared
``BackoffRetryMiddleware`` (it is in ``RETRY_HTTP_CODES``), which waits as asked, else backs off exponentially.
The response's top-level ``name`` (the company) is copied into each job's payload as ``_account: {"name": ...}``,
since jobs carry no company field (see ``pipeline.sources.workable``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider, pace
from pipeline.sources.workable import ACCOUNT_KEY


class WorkableSpider(JobSpider):
    name = "workable"
    default_base_url = "https://apply.workable.com"
    # One API host serves every board of the platform: its pace is the whole platform's (docs/sources.md).
    custom_settings: ClassVar[dict[str, Any]] = pace(1)

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/api/v1/widget/accounts/{quote(board, safe='')}"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for board in self.boards:
            yield self.board_request(
                board, f"{self.probe_url(self.base_url, board)}?details=true", self.parse_account
            )

    def parse_account(self, response: Response, board: str):
        if (body := self.board_body(response, board)) is None:
            return
        data, jobs = body
        account = {"name": data.get("name")} if isinstance(data.get("name"), str) else None
        listed = 0
        for shortcode, job in self.with_ids(board, response, jobs, "shortcode", "job without a shortcode"):
            listed += 1
            payload = {**job, ACCOUNT_KEY: account} if account else job
            yield self.raw_posting(board, shortcode, job.get("url") or job.get("shortlink"), payload)
        self.board_listed(board, listed)
