"""robots.txt as RFC 9309 reads it, on top of Scrapy's ``RobotsTxtMiddleware``.

Scrapy parses whatever body robots.txt answers with. A server error page has no rules, so a host whose robots.txt
answers 500 or 503 would be crawled as if it allowed everything. RFC 9309 (section 2.3.1.4) says the opposite: when
robots.txt is unreachable because of a server error, a crawler MUST assume complete disallow. Google reads a 429
the same way (its robots.txt documentation), and so do we: a host that is rate limiting us is not inviting more.
A 4xx other than 429 still means "no robots.txt" (allow all), as the RFC says.

``RobotsTxtServerErrorMiddleware`` sits between the retry middleware and the downloader's answer: it sees the
robots.txt response only after the retries are spent, and turns a 5xx/429 into a disallow-all body, so each board
on that host fails with "Forbidden by robots.txt" (a failed board closes nothing) and the next crawl asks again.
"""

from __future__ import annotations

import logging

from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

DISALLOW_ALL = b"User-agent: *\nDisallow: /\n"


def is_robots_request(request: Request) -> bool:
    """The request Scrapy's RobotsTxtMiddleware makes for a host's robots.txt."""
    return bool(request.meta.get("dont_obey_robotstxt")) and request.url.endswith("/robots.txt")


def unavailable(status: int) -> bool:
    """A robots.txt answer that means "cannot tell" rather than "none here": treated as disallow-all."""
    return status >= 500 or status == 429


class RobotsTxtServerErrorMiddleware:
    def __init__(self, crawler=None) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider=None) -> Response:
        if not is_robots_request(request) or not unavailable(response.status):
            return response
        logger.warning(
            "robots.txt at %s answered %d: the host is treated as disallowing everything for this crawl (RFC 9309)",
            request.url,
            response.status,
        )
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value("jobscout/robots_unavailable")
        return response.replace(status=200, body=DISALLOW_ALL)


class RobotsTxtErrorFilter(logging.Filter):
    """Scrapy logs a robots.txt it cannot download (a DNS failure, a refused connection) at ERROR with a two-part
    traceback, naming the request that needed robots.txt rather than robots.txt. Scrapy then crawls the host as if
    robots.txt allowed everything, and the requests to that host fail the same way: each board says so in one line
    (``JobSpider.board_failed``). So the record becomes one INFO line without the traceback (shown with -v), and the
    ``robotstxt/exception_count/*`` stats still count it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR and str(record.msg).startswith("Error downloading"):
            record.msg = "robots.txt needed for %(request)s could not be downloaded (%(f_exception)s): not obeyed"
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.exc_info, record.exc_text = None, None
        return True


# Installed when Scrapy loads this module (it builds the downloader middlewares before the first request).
logging.getLogger("scrapy.downloadermiddlewares.robotstxt").addFilter(RobotsTxtErrorFilter())
