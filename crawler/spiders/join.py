"""JOIN company pages (``https://join.com/companies/{slug}``), then each job's page.

Listing: the company page's ``__NEXT_DATA__`` (read by :func:`pipeline.sources.join.read_company_page`), five jobs
a page; while ``pagination.page`` is below ``pagination.pageCount`` the next page is ``?page=N+1``. A page
without ``__NEXT_DATA__`` or a job list (a changed format) fails the board on the first page and marks it read in
part after. An unknown company answers 404.

Detail (**unverified**: no job page is recorded in the corpus): the job page
``https://join.com/companies/{slug}/{idParam}``; its schema.org JobPosting (description, pay) is stored with the
listing item (:mod:`pipeline.sources.join`). A page without a JobPosting stores the listing item alone, counted as a
detail fallback. Paging, closing (full snapshot only when every page was read) and fallbacks:
:mod:`crawler.spiders.paged`.

Mirror convention (one shared host): ``{base_url}/companies/{slug}``. Politeness: one host for every board, so one
request at a time with a delay.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from scrapy.http import Response

from crawler.spiders.base import pace
from crawler.spiders.paged import LISTING_KEY, Page, PagedDetailSpider, PageError
from pipeline.sources.join import CompanyPageError, posting_id, read_company_page
from pipeline.sources.jsonld import extract_job_postings


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class JoinSpider(PagedDetailSpider):
    name = "join"
    default_base_url = "https://join.com"
    accept = "text/html,application/xhtml+xml"
    custom_settings: ClassVar[dict[str, Any]] = pace(1)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.companies: dict[str, str] = {}

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str:
        return f"{base_url}/companies/{quote(board, safe='')}"

    def first_page_url(self, board: str) -> str:
        return self.probe_url(self.board_base(board), board)

    def read_page(self, response: Response, board: str, page: int) -> Page:
        try:
            company, items, pagination = read_company_page(response.body)
        except CompanyPageError as exc:
            raise PageError(str(exc)) from None
        if isinstance(name := company.get("name"), str) and name.strip():
            self.companies[board] = name.strip()
        number, count = _int(pagination.get("page")), _int(pagination.get("pageCount"))
        if number is not None and count is not None and number < count:
            if not items:
                raise PageError(f"an empty page before the last ({count})")
            return Page(items, f"{self.first_page_url(board)}?page={number + 1}")
        return Page(items)

    def job_id(self, job: Any) -> str | None:
        return posting_id(job)

    def job_url(self, board: str, job: dict[str, Any]) -> str | None:
        id_param = job.get("idParam")
        if not isinstance(id_param, str) or not id_param.strip() or "/" in id_param:
            id_param = posting_id(job)
        return f"{self.first_page_url(board)}/{quote(id_param.strip(), safe='')}"

    def detail_url(self, board: str, job: dict[str, Any]) -> str | None:
        return self.job_url(board, job)

    def read_detail(self, response: Response, board: str, job: dict[str, Any]) -> dict[str, Any] | None:
        found = extract_job_postings(response.body, response.url)
        if not found:
            self.parse_error(board, response.url, "no JobPosting on the job page")
            return None
        payload = {LISTING_KEY: job, "page_url": response.url, "jobposting": found[0]}
        if board in self.companies:
            payload["company"] = self.companies[board]
        return payload
