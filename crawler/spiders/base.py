"""The base of every jobscout spider: arguments, board bookkeeping, and error accounting.

A spider navigates (list -> detail -> next page) and yields :class:`~crawler.items.RawPosting`; it never
interprets a payload beyond finding the postings in it. Per-board outcomes go into stats that the
:class:`~crawler.extensions.CrawlRunRecorder` turns into the ``crawl_runs`` row:

- ``jobscout/board_count/<board>``: postings the board listed;
- ``jobscout/board_error/<board>``: set when the board failed (the text is kept in the run's ``board_errors``);
- ``jobscout/<source>/parse_errors`` and ``jobscout/errors``: payloads that could not be read (a listing page that
  cannot be read also fails its board: see :mod:`crawler.closing` for what a board must do to close anything).

Arguments shared by all spiders (``scrapy crawl SOURCE -a boards=a,b -a base_url=http://127.0.0.1:8000``):
``boards`` (comma-separated; default: the boards registered for the source) and ``base_url`` (test servers,
mirrors; default: the real endpoint).
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.items import RawPosting
from pipeline.sources.common import http_url


class SpiderArgumentError(ValueError):
    """A spider was started with arguments it cannot use."""


def split_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


class JobSpider(scrapy.Spider):
    #: The real endpoint; ``base_url`` overrides it.
    default_base_url: ClassVar[str] = ""
    #: True for full-snapshot sources (an ATS board lists every open job); False for windowed feeds.
    full_snapshot: ClassVar[bool] = True
    #: True when the spider needs ``boards`` (ATS platforms); feeds have one implicit board.
    needs_boards: ClassVar[bool] = True
    #: True for a source that is one feed: its only board is the source's name.
    single_feed: ClassVar[bool] = False

    def __init__(self, boards: str | list[str] | None = None, base_url: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.boards = split_list(boards)
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise SpiderArgumentError(f"base_url must be an http(s) URL, got {self.base_url!r}")
        if self.single_feed:
            if self.boards and self.boards != [self.name]:
                raise SpiderArgumentError(f"{self.name} is a single feed: boards must be {self.name!r}")
            self.boards = [self.name]

    @classmethod
    def arguments(cls) -> list[str]:
        """The arguments this spider takes (``-a NAME=VALUE``): the named parameters of the ``__init__`` of this class
        and of every jobscout spider class it extends. Scrapy's own ``Spider.__init__`` takes any keyword and makes it
        an attribute, so a misspelt argument would be silently ignored; ``jobscout crawl`` refuses it instead."""
        names: set[str] = set()
        for klass in cls.__mro__:
            if not (isinstance(klass, type) and issubclass(klass, JobSpider)) or "__init__" not in vars(klass):
                continue
            for parameter in list(inspect.signature(klass.__init__).parameters.values())[1:]:  # not self
                if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                    names.add(parameter.name)
        return sorted(names)

    @classmethod
    def check_arguments(cls, given: Iterable[str]) -> None:
        """Raise :class:`SpiderArgumentError` naming the first of ``given`` that this spider does not take."""
        accepted = cls.arguments()
        for name in given:
            if name not in accepted:
                raise SpiderArgumentError(f"{cls.name}: unknown argument {name!r} (accepted: {', '.join(accepted)})")

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.needs_boards and not spider.boards:
            spider.boards = cls.registered_boards(crawler.settings)
        if spider.needs_boards and not spider.boards:
            raise SpiderArgumentError(f"{cls.name} needs boards: pass boards=TOKEN[,TOKEN...]")
        return spider

    @classmethod
    def registered_boards(cls, settings) -> list[str]:
        """Boards of this source from the board registry (empty until a registry provides some)."""
        try:
            from crawler.boards import boards_for
        except ImportError:
            return []
        return boards_for(cls.name, settings.getlist("JOBSCOUT_BOARDS_FILES"))

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str | None:
        """The URL that lists ``board`` (what ``jobscout sources check`` requests once); None for feeds."""
        return None

    # --- bookkeeping ---------------------------------------------------------------------------------------
    def raw_posting(self, board: str, external_id: Any, url: str | None, payload: dict[str, Any]) -> RawPosting:
        return RawPosting(source=self.name, board=board, external_id=str(external_id), url=url, payload=payload)

    def board_listed(self, board: str, count: int) -> None:
        self.crawler.stats.inc_value(f"jobscout/board_count/{board}", count)

    def board_failed(self, board: str, reason: str) -> None:
        self.logger.error("board %s/%s failed: %s", self.name, board, reason)
        self.crawler.stats.set_value(f"jobscout/board_error/{board}", reason)
        self.crawler.stats.inc_value("jobscout/errors")

    def parse_error(self, board: str, what: str, exc: BaseException | str) -> None:
        """A payload (page, posting) that could not be read: logged, counted, skipped."""
        self.logger.error("parse error in %s/%s (%s): %s", self.name, board, what, exc)
        self.crawler.stats.inc_value(f"jobscout/{self.name}/parse_errors")
        self.crawler.stats.inc_value("jobscout/errors")

    def follow_url(self, url: Any, base: str | None, board: str, what: str) -> str | None:
        """The URL to request for ``url``, a link read from a remote document (a sitemap's ``<loc>``, a listing's
        next page), resolved against ``base`` (the document's URL) when relative: only absolute http(s) URLs
        (:func:`pipeline.sources.common.http_url`). Anything else (``file:``, ``data:``, ``ftp:``, ``s3:``,
        ``javascript:``...) is never requested: it is logged and counted as ``jobscout/dropped/not_http_url``, and
        None is returned. (The settings disable the ``file``, ``data``, ``ftp`` and ``s3`` download handlers too.)
        """
        target = None
        if isinstance(url, str) and url.strip():
            try:
                target = http_url(urljoin(base, url.strip()) if base else url)
            except ValueError:  # an invalid IPv6 literal
                target = None
        if target is None:
            self.logger.warning("%s/%s: not following %s %.200r: not an http(s) URL", self.name, board, what, url)
            self.crawler.stats.inc_value("jobscout/dropped/not_http_url")
        return target

    def with_ids(
        self,
        board: str,
        response: Response,
        jobs: Iterable[Any],
        id_of: str | Callable[[dict[str, Any]], Any] = "id",
        missing: str = "job without an id",
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """``(external id, job)`` for each job of a listing that has an id; a parse error for each that has none.

        ``id_of`` is the key of the id (a missing, empty or zero value is none) or a function of the job returning
        its id or None; a job that is not an object has none. ``missing`` starts the parse error's message.
        """
        get = (lambda job: job.get(id_of) or None) if isinstance(id_of, str) else id_of
        for job in jobs:
            external_id = get(job) if isinstance(job, dict) else None
            if external_id is None:
                self.parse_error(board, response.url, f"{missing}: {str(job)[:80]}")
                continue
            yield str(external_id), job

    def load_json(self, response: Response, board: str) -> Any | None:
        """The JSON body of ``response``, or None after counting a parse error (malformed or truncated body)."""
        try:
            # A UTF-8 BOM is tolerated: one recorded Remotive body starts with one, and json.loads rejects it.
            return json.loads(response.body.removeprefix(b"\xef\xbb\xbf"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            self.parse_error(board, response.url, f"malformed JSON: {exc}")
            return None
        except RecursionError:  # nesting deeper than the interpreter's stack: no job board sends that
            self.parse_error(board, response.url, "malformed JSON: nested too deeply")
            return None

    def board_request(self, board: str, url: str, callback, **kwargs: Any) -> scrapy.Request:
        """The request for a board's listing (or a page of it): JSON accepted, failures charged to the board."""
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        cb_kwargs = {"board": board, **kwargs.pop("cb_kwargs", {})}
        return scrapy.Request(
            url, callback=callback, errback=self.errback_board, headers=headers, cb_kwargs=cb_kwargs, **kwargs
        )

    def board_body(self, response: Response, board: str, key: str | None = "jobs") -> tuple[Any, list] | None:
        """The JSON body of a board's listing and its list of postings under ``key`` (the body itself when None).

        None after failing the board when the body is unreadable or has no such list (a changed format).
        """
        data = self.load_json(response, board)
        if data is None:
            self.board_failed(board, "unreadable response")
            return None
        jobs = data if key is None else (data.get(key) if isinstance(data, dict) else None)
        if not isinstance(jobs, list):
            where = "a JSON array" if key is None else f"a {key!r} list"
            self.parse_error(board, response.url, f"expected {where} in the response")
            self.board_failed(board, "unexpected response format")
            return None
        return data, jobs

    def errback_board(self, failure: Failure) -> None:
        """Errback for a board's listing request: the board fails, the others go on."""
        request = failure.request
        board = request.cb_kwargs.get("board") or request.meta.get("board") or "?"
        if failure.check(HttpError):
            status = failure.value.response.status
            reason = "board not found (HTTP 404)" if status == 404 else f"HTTP {status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"
        self.board_failed(board, f"{reason} at {request.url}")


# Quiet the per-item DEBUG log of scraped items: a board yields hundreds.
logging.getLogger("scrapy.core.scraper").setLevel(logging.INFO)
