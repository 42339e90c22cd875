"""Remote OK: ``{base_url}/api`` returns one JSON array of the latest remote jobs, so one request is the crawl.

A windowed feed (the newest jobs only): absence from the feed closes nothing. Element 0 of the array is Remote
OK's legal notice (terms of service), skipped without counting it as a posting or an error. Remote OK's terms ask
for a followed link back to the posting's page on Remote OK and a mention of Remote OK as the source (see
``pipeline.sources.remoteok``). The single board is ``remoteok``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import scrapy
from scrapy.http import Response

from crawler.spiders.base import JobSpider
from pipeline.sources.remoteok import is_legal_notice, posting_id


class RemoteOkSpider(JobSpider):
    name = "remoteok"
    default_base_url = "https://remoteok.com"
    full_snapshot = False
    needs_boards = False
    single_feed = True

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.board_request(self.name, f"{self.base_url}/api", self.parse_feed)

    def parse_feed(self, response: Response, board: str):
        if (body := self.board_body(response, board, key=None)) is None:
            return
        jobs = [element for element in body[1] if not is_legal_notice(element)]
        self.board_listed(board, len(jobs))
        for external_id, job in self.with_ids(board, response, jobs, posting_id):
            yield self.raw_posting(board, external_id, job.get("url"), job)
