"""Breezy HR companies: ``https://{company}.breezy.hr/json`` answers a JSON array with every published position
(title, place, type, department, a salary text, on some portals a short description), so one request per board
is the whole crawl. The position pages (``/p/{friendly_id}``) are not requested.

Closing kind: full snapshot (the one answer is the whole board; Breezy has no pagination). A body that is not an
array fails the board; a position without an id is a counted parse error and the rest of the board is kept. The
board token is the ``breezy.hr`` subdomain; with ``base_url`` given (a mirror, a test server) a board is requested
at ``{base_url}/{board}/json``.

Politeness: every board is its own host (``{company}.breezy.hr``) on Breezy's one service, so the pace is set
crawl-wide: four boards at a time, one request at a time per host, half a second between a host's requests.
"""

from __future__ import annotations

from scrapy.http import Response

from crawler.spiders.company_host import CompanyHostSpider
from pipeline.sources.breezy import posting_id

LIST_PATH = "/json"


class BreezySpider(CompanyHostSpider):
    name = "breezy"
    default_base_url = "https://{company}.breezy.hr"  # what `jobscout sources` shows
    host_suffix = ".breezy.hr"
    listing_path = LIST_PATH

    def parse_listing(self, response: Response, board: str):
        if (body := self.board_body(response, board, None)) is None:
            return
        _, positions = body
        listed = 0
        for external_id, position in self.with_ids(board, response, positions, posting_id, "position without an id"):
            listed += 1
            yield self.raw_posting(board, external_id, position.get("url"), position)
        self.board_listed(board, listed)
