"""Hacker News "Ask HN: Who is hiring?" threads through the Algolia HN Search API.

Navigation:

1. Without ``thread``: ``{base_url}/api/v1/search_by_date?tags=story,author_whoishiring`` lists the stories of the
   ``whoishiring`` account (newest first); the newest whose title starts with "Ask HN: Who is hiring?" is taken
   (the account also posts "Who wants to be hired?" and "Freelancer? Seeking freelancer?" every month, and once,
   in March 2020, an extra "Ask HN: Who is hiring right now?", which is not taken: pass its id as ``thread``).
   No such story: the crawl fails.
2. ``{base_url}/api/v1/search_by_date?tags=comment,story_{id}&hitsPerPage=100&page=N`` from page 0 until
   ``nbPages``, one page after the other. Only top-level comments (``parent_id == story id``) are postings;
   replies are skipped (stat ``jobscout/hn/replies_skipped``), deleted, dead or empty comments are skipped and
   counted as ``jobscout/dropped/deleted_or_empty`` (they land in the run's ``dropped``, not in its errors). A
   comment seen on two pages (the listing shifts while people post) is yielded once.

Arguments: ``thread=ID`` (``-a thread=46108941``) reads that month's thread instead of the latest; ``boards=ID,ID``
works the same way for several threads. The board is the thread id. The feed is windowed: a thread is one month,
so postings are never closed by absence (``full_snapshot = False``).

The payload is the comment hit without ``_highlightResult`` (a copy of the text marked up for search display).
A comment that lists several roles with their own title and pay is yielded once per role, external ids
``{objectID}#{n}``, each with the same payload (``pipeline.sources.hn.posting_ids``); ``jobscout reprocess``
rebuilds each role from that payload.
Algolia serves at most 1,000 hits per query (``paginationLimitedTo``); a thread with more comments (replies
included) is cut short, which the spider logs as a warning.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from crawler.spiders.base import JobSpider, SpiderArgumentError, split_list
from pipeline.sources.hn import HN_ITEM_URL, is_deleted, posting_ids

HIRING_TITLE = re.compile(r"^\s*Ask HN:\s*Who is hiring\?", re.I)
HITS_PER_PAGE = 100
MAX_PAGES = 50


class HnSpider(JobSpider):
    name = "hn"
    default_base_url = "https://hn.algolia.com"
    full_snapshot = False
    needs_boards = False
    custom_settings = {"CONCURRENT_REQUESTS_PER_DOMAIN": 1}

    def __init__(self, thread: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        threads = split_list(thread) or self.boards
        for t in threads:
            if not t.isdigit():
                raise SpiderArgumentError(f"thread must be an HN item id (digits), got {t!r}")
        self.boards = list(dict.fromkeys(threads))
        self._seen: dict[str, set[str]] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.boards:
            for thread in self.boards:
                yield self.comments_request(thread, 0)
            return
        yield scrapy.Request(
            f"{self.base_url}/api/v1/search_by_date?tags=story,author_whoishiring",
            callback=self.parse_stories,
            errback=self.errback_stories,
        )

    def comments_request(self, thread: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            f"{self.base_url}/api/v1/search_by_date?tags=comment,story_{thread}&hitsPerPage={HITS_PER_PAGE}&page={page}",
            callback=self.parse_comments,
            errback=self.errback_board,
            cb_kwargs={"board": thread, "page": page},
        )

    # --- 1. the latest thread -------------------------------------------------------------------------------
    def parse_stories(self, response: Response):
        data = self.load_json(response, "whoishiring")
        hits = data.get("hits") if isinstance(data, dict) else None
        if not isinstance(hits, list):
            if data is not None:
                self.parse_error("whoishiring", response.url, "no 'hits' list in the story search")
            raise CloseSpider("no readable story list from the whoishiring account")
        latest = pick_hiring_thread(hits)
        if latest is None:
            self.logger.error("no 'Ask HN: Who is hiring?' story among %d whoishiring stories", len(hits))
            self.crawler.stats.inc_value("jobscout/errors")
            raise CloseSpider("no 'Ask HN: Who is hiring?' story found")
        thread = str(latest["objectID"])
        self.logger.info("latest hiring thread: %s (%s)", latest.get("title"), thread)
        self.boards.append(thread)
        yield self.comments_request(thread, 0)

    def errback_stories(self, failure) -> None:
        self.logger.error("whoishiring story search failed: %s", failure.getErrorMessage())
        self.crawler.stats.inc_value("jobscout/errors")

    # --- 2. the thread's comments -----------------------------------------------------------------------------
    def parse_comments(self, response: Response, board: str, page: int):
        data = self.load_json(response, board)
        hits = data.get("hits") if isinstance(data, dict) else None
        if not isinstance(hits, list):
            if data is not None:
                self.parse_error(board, response.url, "no 'hits' list in the comment search")
            self.board_failed(board, f"unreadable comment page {page}")
            return
        seen = self._seen.setdefault(board, set())
        story_id = _int(board)
        listed = 0
        for object_id, hit in self.with_ids(board, response, hits, _object_id, "comment without an objectID"):
            if _int(hit.get("parent_id")) != story_id:
                self.crawler.stats.inc_value("jobscout/hn/replies_skipped")
                continue
            if object_id in seen:
                continue
            seen.add(object_id)
            if is_deleted(hit):
                self.crawler.stats.inc_value("jobscout/dropped/deleted_or_empty")
                continue
            payload = {k: v for k, v in hit.items() if k != "_highlightResult"}
            # a comment listing several roles is several postings, each stored with the same payload
            for external_id in posting_ids(payload):
                listed += 1
                yield self.raw_posting(board, external_id, HN_ITEM_URL.format(object_id), payload)
        self.board_listed(board, listed)

        pages = _int(data.get("nbPages"))
        if page == 0 and _int(data.get("nbHits")) > pages * _int(data.get("hitsPerPage"), HITS_PER_PAGE):
            self.logger.warning(
                "thread %s has %s comments but the search serves %s pages: the rest is not reachable",
                board,
                data.get("nbHits"),
                pages,
            )
        if page + 1 < min(pages, MAX_PAGES):
            yield self.comments_request(board, page + 1)


def pick_hiring_thread(hits: list[Any]) -> dict[str, Any] | None:
    """The newest story titled "Ask HN: Who is hiring?..." among story search hits (any order), or None."""
    stories = [
        h
        for h in hits
        if isinstance(h, dict)
        and h.get("objectID")
        and HIRING_TITLE.match(str(h.get("title") or ""))
        and h.get("author", "whoishiring") == "whoishiring"
    ]
    if not stories:
        return None
    return max(stories, key=lambda h: (_int(h.get("created_at_i")), str(h.get("created_at") or "")))


def _object_id(hit: dict[str, Any]) -> Any:
    return None if hit.get("objectID") in (None, "") else hit["objectID"]


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
