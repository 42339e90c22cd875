"""BambooHR companies: ``https://{company}.bamboohr.com/careers/list`` answers ``{"meta": {"totalCount": n},
"result": [...]}`` with every open opening (title, department, employment status, place, remote flags) but no
description, pay or date; each new opening's ``/careers/{id}/detail`` (``{"result": {"jobOpening": {...}}}``)
adds them. The payload is the list item with the detail's ``jobOpening`` under ``detail``.

Closing kind: full snapshot, only when the whole listing was read. A list without a ``result`` list fails the
board; an opening without an id is a counted parse error and the rest of the board is kept; a list that holds
fewer openings than its own ``meta.totalCount`` marks the board *read in part* (``jobscout/board_incomplete/``:
nothing of it closes). A detail that cannot be fetched or read falls back to the list item (no description;
counted under ``jobscout/bamboohr/detail_fallbacks`` and as an error), as SmartRecruiters and Workday do.
The detail format is UNVERIFIED: no recorded body (docs/sources.md).

The board token is the ``bamboohr.com`` subdomain; with ``base_url`` given (a mirror, a test server) a board is
requested at ``{base_url}/{board}/careers/list`` and its details at ``{base_url}/{board}/careers/{id}/detail``.

Politeness: every board is its own host (``{company}.bamboohr.com``) on BambooHR's one service, and a board costs
one request per opening, so the pace is set crawl-wide: four requests at a time, one at a time per host, half a
second between a host's requests.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.spiders.base import failure_reason
from crawler.spiders.company_host import CompanyHostSpider
from pipeline.sources.bamboohr import DETAIL_KEY, opening_url, posting_id

LIST_PATH = "/careers/list"


class BambooHRSpider(CompanyHostSpider):
    name = "bamboohr"
    default_base_url = "https://{company}.bamboohr.com"  # what `jobscout sources` shows
    host_suffix = ".bamboohr.com"
    listing_path = LIST_PATH

    def parse_listing(self, response: Response, board: str):
        if (body := self.board_body(response, board, "result")) is None:
            return
        data, openings = body
        base = self.board_base(board)
        listed = 0
        for external_id, item in self.with_ids(board, response, openings, posting_id, "opening without an id"):
            listed += 1
            yield scrapy.Request(
                f"{opening_url(base, quote(external_id, safe=''))}/detail",
                headers={"Accept": "application/json"},
                callback=self.parse_detail,
                errback=self.errback_detail,
                cb_kwargs={"board": board, "external_id": external_id, "item": item},
            )
        self.board_listed(board, listed)
        meta = data.get("meta") if isinstance(data, dict) else None
        total = meta.get("totalCount") if isinstance(meta, dict) else None
        if isinstance(total, int) and not isinstance(total, bool) and total > len(openings):
            reason = f"the list holds {len(openings)} of its {total} openings"
            self.logger.error("bamboohr/%s: listing read in part: %s", board, reason)
            self.crawler.stats.set_value(f"jobscout/board_incomplete/{board}", reason)

    def parse_detail(self, response: Response, board: str, external_id: str, item: dict[str, Any]):
        data = self.load_json(response, board)
        result = data.get("result") if isinstance(data, dict) else None
        detail = result.get("jobOpening") if isinstance(result, dict) else None
        if not isinstance(detail, dict):
            if data is not None:
                self.parse_error(board, response.url, "no 'result.jobOpening' object in the detail")
            yield self.fallback(board, external_id, item, "unreadable detail")
            return
        if detail.get("id") not in (None, "") and str(detail["id"]).strip() != external_id:
            self.parse_error(board, response.url, "the detail is not the listed opening")
            yield self.fallback(board, external_id, item, "another opening's detail")
            return
        yield self.raw_posting(board, external_id, self.page_url(board, external_id), {**item, DETAIL_KEY: detail})

    def errback_detail(self, failure: Failure):
        request = failure.request
        kwargs = request.cb_kwargs
        reason = failure_reason(failure)
        yield self.fallback(kwargs["board"], kwargs["external_id"], kwargs["item"], f"{reason} at {request.url}")

    def page_url(self, board: str, external_id: str) -> str:
        return opening_url(self.board_base(board), quote(external_id, safe=""))

    def fallback(self, board: str, external_id: str, item: dict[str, Any], reason: str):
        self.logger.error("bamboohr/%s: detail of %s failed (%s); storing the list item", board, external_id, reason)
        self.crawler.stats.inc_value("jobscout/bamboohr/detail_fallbacks")
        self.crawler.stats.inc_value("jobscout/errors")
        return self.raw_posting(board, external_id, self.page_url(board, external_id), item)
