"""Teamtailor companies: ``https://{company}.teamtailor.com/jobs.json`` is a JSON Feed 1.1 whose ``items`` are
every published job with its description and an embedded schema.org JobPosting, so one request per board is the
whole crawl. A board on its own careers domain has config ``host`` (``career.example.com``) and is read at
``https://{host}/jobs.json``; a token that is itself a host name (``x.na.teamtailor.com``, or a custom domain
registered without config) is read there too.

Closing kind: full snapshot (the one feed is the whole board; no pagination was seen in recorded feeds). A body
without an ``items`` list fails the board; an item without an id is a counted parse error and the rest of the
board is kept. With ``base_url`` given (a mirror, a test server) a board is requested at
``{base_url}/{board}/jobs.json``, custom domains likewise.

Politeness: every board is its own host (``{company}.teamtailor.com`` or a custom domain served by Teamtailor), so
the pace is set crawl-wide: four boards at a time, one request at a time per host, half a second between a host's
requests.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from scrapy.http import Response

from crawler.spiders.company_host import CompanyHostSpider
from pipeline.sources.teamtailor import posting_id

FEED_PATH = "/jobs.json"
#: A host name (what the registry's ``host`` config and a host token hold): dot-separated DNS labels, nothing else.
HOST = re.compile(r"(?i)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+")


class TeamtailorSpider(CompanyHostSpider):
    name = "teamtailor"
    default_base_url = "https://{company}.teamtailor.com"  # what `jobscout sources` shows
    host_suffix = ".teamtailor.com"
    listing_path = FEED_PATH

    @classmethod
    def company_host(cls, board: str, config: dict[str, Any]) -> str:
        host = config.get("host")
        if isinstance(host, str) and HOST.fullmatch(host.strip()):
            return f"https://{host.strip().lower()}"
        token = board.strip().lower()
        if "." in token and HOST.fullmatch(token):
            return f"https://{token}"
        return f"https://{quote(token, safe='')}.teamtailor.com"

    def parse_listing(self, response: Response, board: str):
        if (body := self.board_body(response, board, "items")) is None:
            return
        _, items = body
        listed = 0
        for external_id, item in self.with_ids(board, response, items, posting_id, "feed item without an id"):
            listed += 1
            yield self.raw_posting(board, external_id, item.get("url"), item)
        self.board_listed(board, listed)
