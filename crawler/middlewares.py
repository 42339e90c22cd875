"""Retries with exponential backoff that honour Retry-After (robots.txt rules live in ``crawler.robots``).

Scrapy's RetryMiddleware re-queues a failed request at once; a server answering 429 or 503 asks us to wait, and
hammering it again is what gets a crawler blocked. This middleware waits (without blocking other requests) for
Retry-After when given (seconds or an HTTP date, capped by JOBSCOUT_MAX_RETRY_AFTER), else for an exponential
backoff, then retries through Scrapy's own ``get_retry_request`` so retry stats and limits stay standard.

A 429 also slows its host for the rest of the run: the download slot's delay doubles (at least 1 s, at most
``AUTOTHROTTLE_MAX_DELAY``) and stays at least that high (AutoThrottle would lower it again on the next quick
answer), so a registry pass does not keep a platform's API at the edge of its rate limit.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response
from scrapy.utils.response import response_status_message

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date); None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings):
        super().__init__(settings)
        self.max_retry_after = settings.getfloat("JOBSCOUT_MAX_RETRY_AFTER", 300)
        self.backoff_base = settings.getfloat("JOBSCOUT_RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("JOBSCOUT_RETRY_BACKOFF_MAX", 120.0)
        self.max_slot_delay = settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0)
        #: download slot -> the least delay it keeps after a 429
        self.slowed: dict[str, float] = {}

    def _slot(self, request: Request):
        engine = getattr(self.crawler, "engine", None)
        downloader = getattr(engine, "downloader", None)
        if downloader is None:
            return None, None
        key = request.meta.get("download_slot")
        return key, downloader.slots.get(key) if key is not None else None

    def slow_down(self, request: Request) -> None:
        """After a 429: double the host's delay for the rest of the run."""
        key, slot = self._slot(request)
        if slot is None:
            return
        delay = min(max(slot.delay * 2, 1.0), self.max_slot_delay)
        self.slowed[key] = max(self.slowed.get(key, 0.0), delay)
        slot.delay = max(slot.delay, self.slowed[key])
        self.crawler.stats.set_value(f"jobscout/slowed/{key}", round(self.slowed[key], 3))
        logger.warning("HTTP 429 from %s: its requests now go at most one per %.1fs", key, self.slowed[key])

    def delay_for(self, request: Request, response: Response | None) -> float:
        if response is not None:
            asked = retry_after_seconds(response.headers.get(b"Retry-After"))
            if asked is not None:
                return min(asked, self.max_retry_after)
        attempt = request.meta.get("retry_times", 0) + 1
        return min(self.backoff_base * 2 ** (attempt - 1), self.backoff_max)

    async def process_response(self, request: Request, response: Response, spider=None):
        if self.slowed:
            key, slot = self._slot(request)
            if slot is not None and key in self.slowed:
                slot.delay = max(slot.delay, self.slowed[key])
        if response.status == 429:
            self.slow_down(request)
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = self.delay_for(request, response)
        if delay > 0:
            logger.info("HTTP %s from %s: retrying in %.1fs", response.status, request.url, delay)
            self.crawler.stats.inc_value("jobscout/retry_wait_seconds", delay)
            await asyncio.sleep(delay)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is None:
            return None
        delay = self.delay_for(request, None)
        if delay > 0:
            await asyncio.sleep(delay)
        return retry


class BoardFailureMiddleware:
    """Spider middleware: an exception raised while parsing a board's response is that board's failure.

    Without it, a callback that raises (a RecursionError on deeply nested JSON, a bug meeting a new format) was only
    counted under ``spider_exceptions/*`` with an ~80-line traceback, and the run could still end ``ok`` and close
    postings of the board it never finished reading. Here the board is failed with one log line naming the
    exception (``JobSpider.board_failed``), so it is not proven and nothing of it closes; the rest of the crawl
    goes on. An exception that names no board (``board`` is neither in the request's ``cb_kwargs`` nor its
    ``meta``) is counted under ``jobscout/unattributed_errors``, and then no board of the run is proven.
    ``HttpError`` is left to Scrapy's HttpErrorMiddleware and the spiders' errbacks, ``CloseSpider`` to the engine.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception, spider=None):
        from scrapy.exceptions import CloseSpider
        from scrapy.spidermiddlewares.httperror import HttpError

        if isinstance(exception, HttpError | CloseSpider):  # CloseSpider: the spider's own way to end the crawl
            return None
        spider = self.crawler.spider
        request = response.request
        board = (request.cb_kwargs.get("board") or request.meta.get("board")) if request is not None else None
        if board is None and getattr(spider, "single_feed", False):
            board = spider.name
        reason = f"{type(exception).__name__} while parsing {response.url}: {str(exception)[:200]}"
        stats = self.crawler.stats
        if board is None or not hasattr(spider, "board_failed"):
            logger.error("crawl error that names no board: %s", reason)
            stats.inc_value("jobscout/unattributed_errors")
            stats.inc_value("jobscout/errors")
        else:
            spider.board_failed(board, reason, "crash")
        return []
