"""Pinpoint companies: ``https://{company}.pinpointhq.com/postings.json`` answers ``{"data": [...]}`` with every
open posting, its description sections and its compensation fields, so one request per board is the whole crawl.

Closing kind: full snapshot (the one answer is the whole board; no pagination was seen in recorded bodies). A
body without a ``data`` list fails the board; a posting without an id is a counted parse error and the rest of
the board is kept. The board token is the ``pinpointhq.com`` subdomain; with ``base_url`` given (a mirror, a test
server) a board is requested at ``{base_url}/{board}/postings.json``.

Politeness: every board is its own host (``{company}.pinpointhq.com``) on Pinpoint's one service, so the pace is
set crawl-wide: four boards at a time, one request at a time per host, half a second between a host's requests.
"""

from __future__ import annotations

from scrapy.http import Response

from crawler.spiders.company_host import CompanyHostSpider
from pipeline.sources.pinpoint import posting_id

POSTINGS_PATH = "/postings.json"


class PinpointSpider(CompanyHostSpider):
    name = "pinpoint"
    default_base_url = "https://{company}.pinpointhq.com"  # what `jobscout sources` shows
    host_suffix = ".pinpointhq.com"
    listing_path = POSTINGS_PATH

    def parse_listing(self, response: Response, board: str):
        if (body := self.board_body(response, board, "data")) is None:
            return
        _, postings = body
        listed = 0
        for external_id, posting in self.with_ids(board, response, postings, posting_id, "posting without an id"):
            listed += 1
            yield self.raw_posting(board, external_id, posting.get("url"), posting)
        self.board_listed(board, listed)
