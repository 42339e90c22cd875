"""Jobvite hosted career pages (``https://jobs.jobvite.com/{company}``): the listing, then each job's page.

Listing: ``/{company}/search``, server-rendered HTML read by :func:`pipeline.sources.jobvite.read_listing` (rows
linking to ``/{company}/job/{id}``). A next-page link is followed (**unverified**: no recorded listing pages). A
listing redirected off the board's path (a retired company lands on Jobvite's generic pages) or answering 404 fails
the board as not found; a body with no table at all (a marketing shell) fails it as a format failure.

Detail (**unverified**: no job page is recorded in the corpus): ``/{company}/job/{id}``, whose schema.org
JobPosting is stored with the row (:mod:`pipeline.sources.jobvite`); a page without one stores the row alone,
counted as a detail fallback. Paging, closing (full snapshot only when every page was read) and fallbacks:
:mod:`crawler.spiders.paged`.

Mirror convention (one shared host): ``{base_url}/{company}/search``. Politeness: one host for every board, so
one request at a time with a delay.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote, unquote, urlsplit

from scrapy.http import Response

from crawler.spiders.base import pace
from crawler.spiders.paged import LISTING_KEY, Page, PagedDetailSpider, PageError
from pipeline.sources.jobvite import is_listing, posting_id, read_listing
from pipeline.sources.jsonld import extract_job_postings


class JobviteSpider(PagedDetailSpider):
    name = "jobvite"
    default_base_url = "https://jobs.jobvite.com"
    accept = "text/html,application/xhtml+xml"
    custom_settings: ClassVar[dict[str, Any]] = pace(1)

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/{quote(board, safe='')}/search"

    def first_page_url(self, board: str) -> str:
        return self.probe_url(self.board_base(board), board)

    def parse_page(self, response: Response, board: str, page: int):
        # A retired company's listing redirects to Jobvite's generic pages: the final URL is not the board's.
        first_segment = urlsplit(response.url).path.strip("/").split("/")[0]
        if page == 0 and unquote(first_segment).lower() != board.lower():
            self.reads.pop(board, None)
            self.board_missing(board, f"board not found (redirected to {response.url[:200]})")
            return
        yield from super().parse_page(response, board, page)

    def read_page(self, response: Response, board: str, page: int) -> Page:
        rows, next_link = read_listing(response.body, board)
        if not rows and not is_listing(response.body):
            raise PageError("no job list on the page")
        return Page(rows, next_link if rows else None)

    def job_id(self, job: Any) -> str | None:
        return posting_id(job)

    def job_url(self, board: str, job: dict[str, Any]) -> str:
        return f"{self.board_base(board)}/{quote(board, safe='')}/job/{quote(posting_id(job), safe='')}"

    def detail_url(self, board: str, job: dict[str, Any]) -> str:
        return self.job_url(board, job)

    def read_detail(self, response: Response, board: str, job: dict[str, Any]) -> dict[str, Any] | None:
        found = extract_job_postings(response.body, response.url)
        if not found:
            self.parse_error(board, response.url, "no JobPosting on the job page")
            return None
        return {LISTING_KEY: job, "page_url": response.url, "jobposting": found[0]}
