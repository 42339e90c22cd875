"""Spider runs in this process, without Twisted's reactor: the spider contract tests' runner.

:func:`crawl` takes the same arguments as ``jobscout crawl`` (``tests.crawling.crawl``, which runs the real command
in a child process) and returns an object with the same ``returncode``/``stdout``/``stderr``, so a test moves
between the two by its import. What it runs, all real jobscout and Scrapy code, on one crawler built by
``scrapy.utils.test.get_crawler`` from the project settings (``crawler.settings``) plus the command's
``JOBSCOUT_DB_URL``, user agent and boards files and any ``-s`` override:

- the spider, built by its ``from_crawler`` with the ``-a``/``--boards``/``--urls``/``--sitemap`` arguments;
- the spider middlewares (``SPIDER_MIDDLEWARES``, Scrapy's ``SpiderMiddlewareManager``): ``start()`` goes through
  ``process_start``, every response through ``scrape_response_async``, so ``HttpErrorMiddleware`` turns a status
  outside 200-299 into ``HttpError`` for the request's errback, exactly as in a crawl;
- the requests: breadth-first, start requests first; a request whose scheme has no download handler
  (``DOWNLOAD_HANDLERS``: only http and https are enabled) fails with ``NotSupported`` as in a crawl; a request
  is dropped when its fingerprint was seen unless ``dont_filter`` (the scheduler's dupe filter). Each one is
  answered over real HTTP by the local test server (``tests/http_server.py``; urllib, so the server sees the
  method, headers and body) with the request's headers plus ``DEFAULT_REQUEST_HEADERS`` and ``USER_AGENT``. The
  response class comes from Scrapy's ``responsetypes`` (JSON, HTML, XML, binary), as the download handler picks it;
- callbacks and errbacks as ``Scraper`` calls them (``cb_kwargs``; ``failure.request``); an exception escaping
  one is a spider error (logged, ``spider_exceptions/*`` stats), ``CloseSpider`` ends the crawl with its reason;
- each item through the item pipelines (``ITEM_PIPELINES``, each built by ``from_crawler``, in order; a stage that
  returns an awaitable, the normalize pool, is awaited), with Scrapy's drop and error logging;
- the extensions' run bookkeeping: the crawler's ``CrawlRunRecorder`` (built by Scrapy's ``ExtensionManager``
  with ``from_crawler`` on this crawler) gets ``spider_opened`` before the first request, after the pipelines'
  ``open_spider``, and ``spider_closed(spider, reason)`` after their ``close_spider``, as the engine orders them;
- the summary and exit code: the runner's ``outcome_of_run`` on the recorded ``crawl_runs`` row, printed by
  ``jobscout crawl``'s own ``print_summary``.
  ``stderr`` holds what the command would print at its default log level (WARNING and up, with tracebacks).

What it does NOT exercise; tests of these run the real command (``tests.crawling.crawl``):

- the downloader middlewares: retries and their backoff (``BackoffRetryMiddleware``), ``Retry-After`` on 429,
  ``robots.txt`` (``ROBOTSTXT_OBEY``), download delays and AutoThrottle, timeouts, redirects as Scrapy follows
  them (urllib follows them here), compression, cookies;
- the engine's concurrency and scheduling order (one request at a time here), the reactor, and the stats/log
  extensions; of the signals, only ``item_scraped``, ``item_dropped`` and ``item_error`` are sent (as the
  scraper sends them), besides the recorder's two handlers called directly;
- ``jobscout crawl`` itself: argument checks, the fetch-interval rule, the crawl lock and the process.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import io
import json
import logging
import os
import subprocess
import urllib.error
import urllib.request
from collections import deque
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.core.spidermw import SpiderMiddlewareManager
from scrapy.exceptions import CloseSpider, DropItem, IgnoreRequest, NotConfigured, NotSupported
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.conf import build_component_list
from scrapy.utils.log import logformatter_adapter
from scrapy.utils.misc import arg_to_iter, build_from_crawler, load_object
from scrapy.utils.python import without_none_values
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from crawler.commands.crawl import parse_pairs, print_summary
from crawler.config import resolve
from crawler.context import AppContext
from crawler.database import for_crawler
from crawler.extensions import CrawlRunRecorder
from crawler.runner import outcome_of_run, scrapy_settings
from tests.crawling import FAST

logger = logging.getLogger("scrapy.core.scraper")  # where Scrapy's scraper logs drops and spider errors

#: A spider that keeps asking for pages is a bug; stop it instead of looping.
MAX_REQUESTS = 2000


class _Closed(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


@dataclass
class SpiderRun:
    """One in-process crawl: its outcome as ``jobscout crawl`` reports it (``returncode``, ``stdout``, ``stderr``),
    the reason it closed with and its Scrapy stats."""

    returncode: int
    stdout: str
    stderr: str
    reason: str
    stats: dict[str, Any]


def crawl(source: str, *argv: str, home: Path, db_url: str, base_url: str | None) -> SpiderRun:
    """``jobscout crawl SOURCE --base-url BASE_URL ARGV...`` in this process, with the environment and the ``-s``
    settings (``FAST``) that ``tests.crawling.crawl`` gives the command."""
    spider_args, overrides = _parse_argv(argv)
    if base_url:
        spider_args["base_url"] = base_url
    settings = scrapy_settings(resolve(_environment(home, db_url)), "WARNING")
    for name, value in {**_parse_argv(FAST)[1], **overrides}.items():
        settings.set(name, value, priority="cmdline")
    spidercls = SpiderLoader.from_settings(settings).load(source)
    project = {
        name: value
        for name, value in settings.copy_to_dict().items()
        if (settings.getpriority(name) or 0) >= SETTINGS_PRIORITIES["project"]
    }
    harness = SpiderHarness(get_crawler(spidercls, project), spider_args)
    with _jobscout_env(home, db_url):
        return harness.run(db_url)


def _environment(home: Path, db_url: str | None) -> dict[str, str]:
    """The JOBSCOUT_* variables ``tests.crawling.run_jobscout`` gives a command: nothing of the user's."""
    env = {"JOBSCOUT_CONFIG": str(home / "config.toml"), "JOBSCOUT_DATA_DIR": str(home / "data")}
    if registry := os.environ.get("JOBSCOUT_REGISTRY"):  # the suite's small registry (tests/conftest.py)
        env["JOBSCOUT_REGISTRY"] = registry
    return {**env, "JOBSCOUT_DB_URL": db_url} if db_url else env


@contextlib.contextmanager
def _jobscout_env(home: Path, db_url: str | None) -> Iterator[None]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    with mock.patch.dict(os.environ, {**env, **_environment(home, db_url)}, clear=True):
        yield


def _parse_argv(argv: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """``jobscout crawl``'s options -> (spider arguments, setting overrides)."""
    spider_args: dict[str, str] = {}
    settings: list[str] = []
    args: list[str] = []
    it = iter(argv)
    for option in it:
        if option in ("-v", "--verbose"):
            continue
        value = next(it)
        if option in ("-a", "--arg"):
            args.append(value)
        elif option in ("-s", "--set"):
            settings.append(value)
        elif option in ("--boards", "--urls", "--sitemap"):
            spider_args[option[2:]] = value
        else:
            raise ValueError(f"tests.spiders.crawl does not take {option}")
    return {**parse_pairs(tuple(args), "--arg"), **spider_args}, parse_pairs(tuple(settings), "--set")


class SpiderHarness:
    """Runs one spider on ``crawler`` (see the module docstring for what is real and what is left out)."""

    def __init__(self, crawler, spider_args: dict[str, Any]) -> None:
        self.crawler = crawler
        self.spider = crawler.spidercls.from_crawler(crawler, **spider_args)
        crawler.spider = self.spider  # what Crawler.crawl() does with the spider it creates
        self.spidermw = SpiderMiddlewareManager.from_crawler(crawler)
        self.pipelines = []
        for path in build_component_list(crawler.settings.getwithbase("ITEM_PIPELINES")):
            try:
                self.pipelines.append(build_from_crawler(load_object(path), crawler))
            except NotConfigured:  # Scrapy leaves such a component out
                continue
        self.recorder = crawler.get_extension(CrawlRunRecorder)
        assert self.recorder is not None, "EXTENSIONS has no CrawlRunRecorder"
        self.queue: deque[Request] = deque()
        self.seen: set[bytes] = set()
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # 127.0.0.1, never a proxy
        self.requested = 0

    def run(self, db_url: str) -> SpiderRun:
        log = io.StringIO()
        handler = logging.StreamHandler(log)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("%(asctime)s [%(name)s] %(levelname)s: %(message)s"))
        root = logging.getLogger()
        root.addHandler(handler)
        try:
            reason = asyncio.run(self._crawl())
        finally:
            root.removeHandler(handler)
        run_id = self.crawler.stats.get_value("jobscout/run_id")
        out = io.StringIO()
        result = outcome_of_run(for_crawler(self.crawler), self.spider.name, run_id)
        with contextlib.redirect_stdout(out):
            print_summary(AppContext(db_flag=db_url), result)
        return SpiderRun(result.exit_code, out.getvalue(), log.getvalue(), reason, self.crawler.stats.get_stats())

    # --- the engine -------------------------------------------------------------------------------------------
    async def _crawl(self) -> str:
        spider = self.spider
        for pipeline in self.pipelines:
            if hasattr(pipeline, "open_spider"):
                pipeline.open_spider()
        self.crawler.stats.open_spider()
        self.recorder.spider_opened(spider)
        reason = "finished"
        try:
            async for request in await self.spidermw.process_start():
                self._schedule(request)
            while self.queue:
                request = self.queue.popleft()
                await self._scrape(self._download(request), request)
        except _Closed as closed:
            reason = closed.reason
        for pipeline in reversed(self.pipelines):
            if hasattr(pipeline, "close_spider"):
                pipeline.close_spider()
        self.recorder.spider_closed(spider, reason)
        self.crawler.stats.close_spider(reason=reason)
        return reason

    def _schedule(self, request: Request) -> None:
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request)
        if not request.dont_filter and fingerprint in self.seen:
            self.crawler.stats.inc_value("dupefilter/filtered")
            return
        self.seen.add(fingerprint)
        self.requested += 1
        if self.requested > MAX_REQUESTS:
            raise AssertionError(f"{self.spider.name} asked for more than {MAX_REQUESTS} requests")
        self.queue.append(request)

    # --- the downloader ---------------------------------------------------------------------------------------
    def _download(self, request: Request) -> Response | Failure:
        scheme = urlsplit(request.url).scheme
        if scheme not in without_none_values(self.crawler.settings.getwithbase("DOWNLOAD_HANDLERS")):
            # what the downloader fails a request with when the scheme's download handler is disabled
            return Failure(NotSupported(f"Unsupported URL scheme '{scheme}': no handler available for that scheme"))
        headers = Headers(request.headers)
        for name, value in self.crawler.settings.getdict("DEFAULT_REQUEST_HEADERS").items():
            headers.setdefault(name, value)
        if self.crawler.settings.get("USER_AGENT"):
            headers.setdefault("User-Agent", self.crawler.settings["USER_AGENT"])
        http_request = urllib.request.Request(
            request.url, data=request.body or None, method=request.method, headers=headers.to_unicode_dict()
        )
        try:
            with self.opener.open(http_request, timeout=self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT")) as answer:
                # file: and data: answers have no status; Scrapy's handlers for them answer 200
                status, answer_headers, body, url = answer.status or 200, answer.headers, answer.read(), answer.url
        except urllib.error.HTTPError as error:
            status, answer_headers, body, url = error.code, error.headers, error.read(), error.url
        except urllib.error.URLError as error:  # refused, unresolvable: what the download handler fails with
            return Failure(error.reason if isinstance(error.reason, Exception) else error)
        except OSError as error:  # a timeout or a reset
            return Failure(error)
        return self._response(request, url, status, [(k, v) for k, v in answer_headers.items()], body)

    @staticmethod
    def _response(request: Request, url: str, status: int, headers: list[tuple[str, str]], body: bytes) -> Response:
        scrapy_headers = Headers()
        for name, value in headers:
            scrapy_headers.appendlist(name, value)
        respcls = responsetypes.from_args(headers=scrapy_headers, url=url, body=body)
        return respcls(url=url, status=status, headers=scrapy_headers, body=body, request=request)

    # --- the scraper ------------------------------------------------------------------------------------------
    async def _scrape(self, result: Response | Failure, request: Request) -> None:
        if isinstance(result, Response):
            try:
                output = await self.spidermw.scrape_response_async(self._call_spider, result, request)
            except Exception:
                self._spider_error(Failure(), request, result)
                return
            await self._handle_output(output, request, result)
            return
        try:
            output = await self._call_spider(result, request)
        except Exception as exc:
            if not result.check(IgnoreRequest):
                logkws = self.crawler.logformatter.download_error(result, request, self.spider)
                logger.log(*logformatter_adapter(logkws), exc_info=(result.type, result.value, result.tb))
            if exc is not result.value:
                self._spider_error(Failure(), request, result)
            return
        await self._handle_output(output, request, result)

    async def _call_spider(self, result: Response | Failure, request: Request) -> Iterable[Any] | AsyncIterator[Any]:
        if isinstance(result, Response):
            if getattr(result, "request", None) is None:
                result.request = request
            callback = request.callback or self.spider._parse
            output = callback(result, **request.cb_kwargs)
        else:
            result.request = request
            if not request.errback:
                result.raiseException()
            output = request.errback(result)
            if isinstance(output, Failure):
                output.raiseException()
        if inspect.isawaitable(output):
            output = await output
        return output if inspect.isasyncgen(output) or isinstance(output, AsyncIterator) else arg_to_iter(output)

    async def _handle_output(self, output, request: Request, response: Response | Failure) -> None:
        try:
            if isinstance(output, AsyncIterator):
                async for element in output:
                    await self._output(element, response)
            else:
                for element in output:
                    await self._output(element, response)
        except _Closed:
            raise
        except Exception:
            self._spider_error(Failure(), request, response)

    async def _output(self, element: Any, response: Response | Failure) -> None:
        if isinstance(element, Request):
            self._schedule(element)
        elif element is not None:
            await self._process_item(element, response)

    def _spider_error(self, failure: Failure, request: Request, response: Response | Failure) -> None:
        if isinstance(failure.value, CloseSpider):
            raise _Closed(failure.value.reason or "cancelled")
        logkws = self.crawler.logformatter.spider_error(failure, request, response, self.spider)
        logger.log(*logformatter_adapter(logkws), exc_info=(failure.type, failure.value, failure.tb))
        self.crawler.stats.inc_value("spider_exceptions/count")
        self.crawler.stats.inc_value(f"spider_exceptions/{failure.value.__class__.__name__}")

    async def _process_item(self, item: Any, response: Response | Failure) -> None:
        try:
            for pipeline in self.pipelines:
                if hasattr(pipeline, "process_item"):
                    result = pipeline.process_item(item)
                    if inspect.isawaitable(result):  # a pipeline working asynchronously (the normalize pool)
                        result = await result
                    item = result
        except DropItem as exc:
            logkws = self.crawler.logformatter.dropped(item, exc, response, self.spider)
            if logkws is not None:
                logger.log(*logformatter_adapter(logkws))
            self.crawler.signals.send_catch_log(
                signal=signals.item_dropped, item=item, response=response, exception=exc, spider=self.spider
            )
        except Exception as exc:
            logkws = self.crawler.logformatter.item_error(item, exc, response, self.spider)
            logger.log(*logformatter_adapter(logkws), exc_info=True)
            self.crawler.signals.send_catch_log(
                signal=signals.item_error, item=item, response=response, spider=self.spider, failure=Failure(exc)
            )
        else:
            self.crawler.signals.send_catch_log(
                signal=signals.item_scraped, item=item, response=response, spider=self.spider
            )


# --- the other commands, in this process ----------------------------------------------------------------------
def run_jobscout(*argv: str, home: Path, db_url: str | None = None) -> subprocess.CompletedProcess:
    """``jobscout ARGV`` in this process (``crawler.cli.main``), environment as ``tests.crawling.run_jobscout``
    sets it; not for ``crawl``, which starts Twisted's reactor (use :func:`crawl`)."""
    from crawler.cli import main

    if "crawl" in argv[:3]:
        raise ValueError("run_jobscout runs no crawl in this process: use tests.spiders.crawl")
    out, err = io.StringIO(), io.StringIO()
    with _jobscout_env(home, db_url), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return subprocess.CompletedProcess(["jobscout", *argv], code, out.getvalue(), err.getvalue())


def query_json(db_url: str, home: Path, *args: str) -> list[dict]:
    """``jobscout query --format json ARGS`` in this process (``tests.crawling.query_json`` runs the command)."""
    result = run_jobscout("query", "--format", "json", *args, home=home, db_url=db_url)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
