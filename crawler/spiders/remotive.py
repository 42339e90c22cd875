"""Remotive: ``{base_url}/api/remote-jobs?category=software-dev`` returns ``{"jobs": [...]}``, one request.

A windowed feed (recent jobs of the category, delayed 24 h by Remotive): absence closes nothing. Remotive asks
for at most about four fetches a day: the ``source_limits`` table holds that interval, which ``jobscout crawl``
and the scheduler obey (a spider cannot: it does not know when the previous crawl ran). Bodies
may start with a UTF-8 BOM (one recorded body does). The single board is ``remotive``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider
from pipeline.sources.remotive import posting_id


class RemotiveSpider(JobSpider):
    name = "remotive"
    default_base_url = "https://remotive.com"
    full_snapshot = False
    needs_boards = False
    single_feed = True
    category = "software-dev"

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.board_request(
            self.name, f"{self.base_url}/api/remote-jobs?category={self.category}", self.parse_feed
        )

    def parse_feed(self, response: Response, board: str):
        if (body := self.board_body(response, board)) is None:
            return
        _, jobs = body
        self.board_listed(board, len(jobs))
        for external_id, job in self.with_ids(board, response, jobs, posting_id):
            yield self.raw_posting(board, external_id, job.get("url"), job)
