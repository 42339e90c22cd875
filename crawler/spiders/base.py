"""The base of every jobscout spider: arguments, board bookkeeping, and error accounting.

A spider navigates (list -> detail -> next page) and yields :class:`~crawler.items.RawPosting`; it never
interprets a payload beyond finding the postings in it. Per-board outcomes go into stats that the
:class:`~crawler.extensions.CrawlRunRecorder` turns into the ``crawl_runs`` row:

- ``jobscout/board_count/<board>``: postings the board listed;
- ``jobscout/board_error/<board>``: set when the board failed (the text is kept in the run's ``board_errors``),
  and ``jobscout/board_error_kind/<board>`` says why (:data:`ERROR_KINDS`);
- ``jobscout/board_missing/<board>``: set when the platform answered "no such board" (HTTP 404 or 410, or the
  platform's own not-found answer: :meth:`JobSpider.board_missing`); board liveness (storage.boards) counts it;
- ``jobscout/<source>/parse_errors`` and ``jobscout/errors``: payloads that could not be read (a listing page that
  cannot be read also fails its board: see :mod:`crawler.closing` for what a board must do to close anything).

Arguments shared by all spiders (``scrapy crawl SOURCE -a boards=a,b -a base_url=http://127.0.0.1:8000``):
``boards`` (comma-separated; default: the source's active boards in the ``boards`` table), ``base_url`` (test
servers, mirrors; default: the real endpoint) and ``board_configs`` (a JSON object, token -> that board's config
object; default: each board's ``config`` in the ``boards`` table).

**Per-board configuration.** Some boards live on another host or region (Lever EU, Greenhouse EU, a Recruitee custom
domain, a Workday ``wdN`` host). A platform spider reads a board's config with :meth:`JobSpider.board_config` and
builds the board's base URL in :meth:`JobSpider.board_base_url` (a classmethod, so ``jobscout boards check`` builds
the same URL without a spider). An explicit ``base_url`` (a mirror, a test server) wins over any config: platforms
whose real host names the company then request ``{base_url}/{board}/<the real path>``.
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

#: Why a board failed: ``not_found`` (the platform says there is no such board), ``http`` (a 5xx, 429 or other
#: status out of retries), ``network`` (DNS, refused, reset, timeout), ``format`` (a response that cannot be read
#: or has no listing: a changed format, usually), ``crash`` (a callback raised). The first three are transient or
#: the registry's business (crawler.closing tolerates a few of them in a large run); the last two are ours.
ERROR_KINDS = ("not_found", "http", "network", "format", "crash")


class SpiderArgumentError(ValueError):
    """A spider was started with arguments it cannot use."""


def split_list(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def parse_board_configs(value: str | dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """``board_configs`` as given (a JSON object as text, or a dict): token -> config object."""
    if value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise SpiderArgumentError(f"board_configs must be a JSON object: {exc}") from None
    if not isinstance(value, dict) or not all(isinstance(c, dict) for c in value.values()):
        raise SpiderArgumentError("board_configs must be a JSON object of token -> config object")
    return {str(token): dict(config) for token, config in value.items()}


def pace(requests_per_second: float, concurrency: int = 1) -> dict[str, Any]:
    """A platform's ``custom_settings`` for its pace: at most ``requests_per_second`` to its host to start with
    (AutoThrottle slows it when answers get slow, a 429 halves it: crawler.middlewares), ``concurrency`` requests
    in flight. docs/sources.md lists each platform's pace."""
    delay = 1.0 / requests_per_second
    return {"CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_START_DELAY": delay}


class JobSpider(scrapy.Spider):
    #: The real endpoint; ``base_url`` overrides it.
    default_base_url: ClassVar[str] = ""
    #: True for full-snapshot sources (an ATS board lists every open job); False for windowed feeds.
    full_snapshot: ClassVar[bool] = True
    #: True when the spider needs ``boards`` (ATS platforms); feeds have one implicit board.
    needs_boards: ClassVar[bool] = True
    #: True for a source that is one feed: its only board is the source's name.
    single_feed: ClassVar[bool] = False

    def __init__(
        self,
        boards: str | list[str] | None = None,
        base_url: str | None = None,
        board_configs: str | dict[str, dict[str, Any]] | None = None,
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        self.boards = split_list(boards)
        #: True when ``base_url`` was given (a mirror or a test server): it wins over every board's config.
        self.base_url_given = bool(base_url)
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.board_configs = parse_board_configs(board_configs)
        #: token -> the company display name the boards table has for it (set in ``from_crawler``)
        self.board_companies: dict[str, str] = {}
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
        if spider.needs_boards and not spider.single_feed:
            from crawler.database import for_crawler
            from storage.boards import active_boards, board_configs, display_names

            database = for_crawler(crawler)
            with database.read_sessions() as session:
                if not spider.boards:
                    spider.boards = [board.token for board in active_boards(session, cls.name)]
                # The table's config for each board, unless the command line gave one.
                known = board_configs(session, cls.name, spider.boards)
                spider.board_companies = display_names(session, cls.name, spider.boards)
            spider.board_configs = {**known, **spider.board_configs}
        if spider.needs_boards and not spider.boards:
            raise SpiderArgumentError(f"{cls.name} has no active boards: pass boards=TOKEN[,TOKEN...]")
        return spider

    def board_config(self, board: str) -> dict[str, Any]:
        """``board``'s configuration (an empty dict when it has none): treat it as read-only."""
        return self.board_configs.get(board, {})

    def board_base(self, board: str) -> str:
        """The base URL ``board``'s requests start with (see :meth:`board_base_url`)."""
        return self.board_base_url(board, self.board_config(board), self.base_url if self.base_url_given else None)

    @classmethod
    def board_base_url(cls, board: str, config: dict[str, Any], base_url: str | None = None) -> str:
        """The base URL of ``board`` given its ``config``; ``base_url`` (a mirror, a test server) wins when given.

        The default is the platform's one API host. A platform with regional hosts or a host per company overrides
        this: with ``base_url`` given, a host-per-company platform returns ``{base_url}/{board}`` (the mirror
        convention of docs/sources.md)."""
        return (base_url or cls.default_base_url).rstrip("/")

    @classmethod
    def probe_url(cls, base_url: str, board: str) -> str | None:
        """The URL that lists ``board`` under ``base_url`` (the board's base, :meth:`board_base_url`): what
        ``jobscout boards check`` requests once. None for feeds."""
        return None

    @classmethod
    def board_probe_url(
        cls, board: str, config: dict[str, Any] | None = None, base_url: str | None = None
    ) -> str | None:
        """The probe URL of ``board`` with its ``config`` (``base_url`` overriding the real host)."""
        return cls.probe_url(cls.board_base_url(board, config or {}, base_url), board)

    # --- bookkeeping ---------------------------------------------------------------------------------------
    def raw_posting(self, board: str, external_id: Any, url: str | None, payload: dict[str, Any]) -> RawPosting:
        company = self.board_companies.get(board)  # the boards table's display name, when it has one
        return RawPosting(
            source=self.name, board=board, external_id=str(external_id), url=url, payload=payload, company=company
        )

    def board_listed(self, board: str, count: int) -> None:
        self.crawler.stats.inc_value(f"jobscout/board_count/{board}", count)

    def board_failed(self, board: str, reason: str, kind: str = "format") -> None:
        """``board`` failed for ``reason`` (one of :data:`ERROR_KINDS`; by default an unreadable response)."""
        self.logger.error("board %s/%s failed: %s", self.name, board, reason)
        self.crawler.stats.set_value(f"jobscout/board_error/{board}", reason)
        self.crawler.stats.set_value(f"jobscout/board_error_kind/{board}", kind)
        self.crawler.stats.inc_value("jobscout/errors")

    def board_missing(self, board: str, reason: str) -> None:
        """The platform says ``board`` does not exist (a 404, or its own "no such board" answer): the board fails,
        and its liveness counts the answer (a network error, a timeout, a 5xx or a 429 never does)."""
        self.crawler.stats.set_value(f"jobscout/board_missing/{board}", 1)
        self.board_failed(board, reason, "not_found")

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
            if status in (404, 410):
                self.board_missing(board, f"board not found (HTTP {status}) at {request.url}")
                return
            reason, kind = f"HTTP {status}", "http"
        else:
            reason, kind = failure_reason(failure), "network"
        self.board_failed(board, f"{reason} at {request.url}", kind)


def failure_reason(failure: Failure) -> str:
    """A failed request's reason as errors and logs write it: "HTTP 503", or the exception and its message."""
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"


# Quiet the per-item DEBUG log of scraped items: a board yields hundreds.
logging.getLogger("scrapy.core.scraper").setLevel(logging.INFO)
