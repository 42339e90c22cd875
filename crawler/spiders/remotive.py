"""Remotive: ``{base_url}/api/remote-jobs?category=software-dev`` returns ``{"jobs": [...]}``, one request.

A windowed feed (recent jobs of the category, delayed 24 h by Remotive): absence closes nothing. Remotive asks
for at most about four fetches a day: the ``source_limits`` table holds that interval, which ``jobscout crawl``
and the scheduler obey (a spider cannot: it does not know when the previous crawl ran). Bodies
may start with a UTF-8 BOM (one recorded body does). The single board is ``remotive``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider
from pipeline.sources.remotive import posting_id

_BOM = b"\xef\xbb\xbf"


class RemotiveSpider(JobSpider):
    name = "remotive"
    default_base_url = "https://remotive.com"
    full_snapshot = False
    needs_boards = False
    single_feed = True
    category = "software-dev"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            f"{self.base_url}/api/remote-jobs?category={self.category}",
            callback=self.parse_feed,
            errback=self.errback_board,
            cb_kwargs={"board": self.name},
        )

    def load_json(self, response: Response, board: str) -> Any | None:
        """As the base class, tolerating a UTF-8 BOM."""
        try:
            return json.loads(response.body.removeprefix(_BOM))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self.parse_error(board, response.url, f"malformed JSON: {exc}")
            return None

    def parse_feed(self, response: Response, board: str):
        data = self.load_json(response, board)
        if data is None:
            self.board_failed(board, "unreadable response")
            return
        jobs = data.get("jobs") if isinstance(data, dict) else None
        if not isinstance(jobs, list):
            self.parse_error(board, response.url, "no 'jobs' list in the response")
            self.board_failed(board, "unexpected response format")
            return
        self.board_listed(board, len(jobs))
        for job in jobs:
            external_id = posting_id(job) if isinstance(job, dict) else None
            if external_id is None:
                self.parse_error(board, response.url, f"job without an id: {str(job)[:80]}")
                continue
            yield self.raw_posting(board, external_id, job.get("url"), job)
