"""Scrapy settings for jobscout, and the one place that reads the environment.

Other components get configuration through ``crawler.settings`` (Scrapy's settings object) in ``from_crawler``;
the CLI calls :func:`environment` and :func:`crawler.config.resolve`.
"""

from __future__ import annotations

import os
from pathlib import Path

from crawler.config import ConfigError, resolve, user_agent

ENV_KEYS = ("JOBSCOUT_DB_URL", "JOBSCOUT_CONFIG", "JOBSCOUT_DATA_DIR", "JOBSCOUT_CONTACT", "JOBSCOUT_REGISTRY")


def environment() -> dict[str, str]:
    """The JOBSCOUT_* environment variables that configure jobscout."""
    return {key: os.environ[key] for key in ENV_KEYS if os.environ.get(key)}


def cores() -> int:
    """The cores this process may run on (its CPU affinity, which a container or ``taskset`` narrows)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def cache_dir() -> Path | None:
    """Where ``pipeline.compile_cache`` keeps the parsers' compiled keyword sets between processes:
    ``JOBSCOUT_CACHE_DIR``, else the user cache directory (``$XDG_CACHE_HOME/jobscout``, else ``~/.cache/jobscout``
    on Linux; platformdirs); ``JOBSCOUT_CACHE_DIR=off`` keeps none (README, "Where things live")."""
    value = os.environ.get("JOBSCOUT_CACHE_DIR", "").strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("jobscout"))


def normalize_processes(value: object) -> int:
    """``JOBSCOUT_NORMALIZE_PROCESSES`` as a number of worker processes: a whole number >= 0 (0 normalizes in the
    crawl process itself); empty or unset means one per core. Anything else is a ConfigError saying so."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return cores()
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        raise ConfigError(
            f"JOBSCOUT_NORMALIZE_PROCESSES must be a whole number of processes >= 0 (0: normalize in the crawl "
            f"process; unset: one per core), not {value!r}"
        )
    return int(text)


def child_normalize_processes(parallel_crawls: int) -> int | None:
    """What a crawl started next to ``parallel_crawls - 1`` others gets: one normalize process when several crawls
    share the machine (the scheduler's ``--workers``), unless the environment named a number; None: the child's
    own default (one per core)."""
    if parallel_crawls <= 1 or os.environ.get("JOBSCOUT_NORMALIZE_PROCESSES", "").strip():
        return None
    return 1


_config = resolve(environment())

BOT_NAME = "jobscout"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- jobscout's own settings -------------------------------------------------------------------------------
JOBSCOUT_DB_URL = _config.db_url
# The default data directory, which a crawl creates when it uses the default database (``scrapy crawl`` from a
# checkout on a fresh machine); empty when the database was named by a flag, the environment or the config file,
# whose directory is the user's to create.
JOBSCOUT_DEFAULT_DATA_DIR = str(_config.data_dir) if _config.db_url_origin == "default" else ""
JOBSCOUT_CONTACT = _config.contact
JOBSCOUT_BOARDS_FILES = [str(p) for p in _config.boards_files]
# The registry data file loaded into the boards table (empty: the shipped crawler/data/registry.csv.gz).
JOBSCOUT_REGISTRY_FILE = str(_config.registry_file or "")
# Board liveness (docs/registry.md): a board answering "no such board" on this many crawls or probes in a row,
# spread over at least this many days, becomes gone; gone boards are re-probed after this many days.
JOBSCOUT_GONE_AFTER_MISSES = 3
JOBSCOUT_GONE_AFTER_DAYS = 7
JOBSCOUT_GONE_REPROBE_DAYS = 30
# Postings per database transaction: one commit per batch, never one per item.
JOBSCOUT_BATCH_SIZE = 200
# A posting whose payload is byte-identical to the stored one, stored by this very normalizer, is not normalized
# again: only its last_seen_at moves (crawler.pipelines.KnownPayloadPipeline). False re-normalizes everything.
JOBSCOUT_SKIP_UNCHANGED = True
# Worker processes that normalize postings in batches (crawler/normalizing.py), fed and read back by the crawl,
# which keeps fetching and storing meanwhile: one per core by default; the scheduler gives each of its crawls 1 when
# it runs several at once (docs/scale.md, "Processes"). 0 normalizes in the crawl process (the path before the pool).
JOBSCOUT_NORMALIZE_PROCESSES = normalize_processes(os.environ.get("JOBSCOUT_NORMALIZE_PROCESSES"))
# Where the parsers keep their compiled keyword sets between processes (pipeline/compile_cache.py); empty: none.
JOBSCOUT_CACHE_DIR = str(cache_dir() or "")
# Postings per batch handed to a normalize worker: large enough that a batch's round trip (pickling, a pipe) is
# small next to normalizing it, small enough that every worker has batches while a response's items are in flight.
JOBSCOUT_NORMALIZE_BATCH = 25
# A run is "degraded" when parse errors exceed this share of the payloads fetched (a changed format, usually).
JOBSCOUT_DEGRADED_PARSE_ERROR_SHARE = 0.10
# ...counting only from this many errors, so that one odd posting on a small board is a drop, not an alarm.
JOBSCOUT_DEGRADED_MIN_PARSE_ERRORS = 3
# ...or when a board lists nothing although it had at least this many open postings before.
JOBSCOUT_DEGRADED_MIN_PREVIOUS = 5
# The blast radius (crawler/closing.py): a board with at least this many open postings that would close more than
# this share of them at once is held (degraded, nothing closes) until the next crawl confirms the shrink.
JOBSCOUT_SHRINK_MIN_OPEN = 20
JOBSCOUT_SHRINK_SHARE = 0.5
# Windowed feeds (RemoteOK, Remotive, Arbeitnow, We Work Remotely, HN, JSON-LD) only show recent items: a sighting
# closes when its valid_through passes or after this many days unseen (checked at the end of each crawl).
JOBSCOUT_WINDOWED_CLOSE_AFTER_DAYS = 30
# A crawl's lock on its (source, board) rows expires this many seconds after the last heartbeat (a crashed crawl's
# lock is taken over after that); the running crawl renews it every third of this.
JOBSCOUT_LOCK_TTL_SECONDS = 300
# Longest Retry-After we wait for; a server asking for more gets the request retried at this delay.
JOBSCOUT_MAX_RETRY_AFTER = 300
# Exponential backoff for retries without Retry-After: base * 2**(attempt-1) seconds, capped.
JOBSCOUT_RETRY_BACKOFF_BASE = 2.0
JOBSCOUT_RETRY_BACKOFF_MAX = 120.0

# Boards per crawl unit, about (crawler/units.py): `jobscout crawl SOURCE` crawls a registry unit by unit.
JOBSCOUT_UNIT_BOARDS = 100
# Shares of failed boards in a run of at least JOBSCOUT_SHARE_MIN_BOARDS boards (crawler/closing.py): up to
# JOBSCOUT_OK_FAILED_SHARE failing for network/5xx/429/not-found reasons is still ok; over JOBSCOUT_FAILED_SHARE
# is failed.
JOBSCOUT_SHARE_MIN_BOARDS = 20
JOBSCOUT_OK_FAILED_SHARE = 0.05
JOBSCOUT_FAILED_SHARE = 0.5

# --- politeness ----------------------------------------------------------------------------------------------
USER_AGENT = user_agent(_config.contact)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# A request out of retries fails its board, and the board's failure is the one line logged (every jobscout request
# has an errback that says so); Scrapy's own "Gave up retrying" line would only repeat it.
RETRY_GIVE_UP_LOG_LEVEL = "INFO"
DOWNLOAD_TIMEOUT = 60
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
HTTPCACHE_ENABLED = False

# Only http(s) is ever fetched: a remote document (a sitemap's <loc>, a redirect) must not make the crawler read a
# local file, an inline data: URL, an FTP server or an S3 bucket (docs/operations.md, "Hostile input"). Spiders
# follow only http(s) links (crawler.spiders.base.JobSpider.follow_url); without these handlers any other request
# fails with "Unsupported URL scheme".
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,
    # after the retries on the way back: sees robots.txt's last answer (RFC 9309: a 5xx means disallow all)
    "crawler.robots.RobotsTxtServerErrorMiddleware": 540,
}
SPIDER_MIDDLEWARES = {
    # Closest to the spider: sees a callback's exception first and turns it into its board's failure.
    "crawler.middlewares.BoardFailureMiddleware": 950,
}
ITEM_PIPELINES = {
    "crawler.pipelines.KnownPayloadPipeline": 50,
    "crawler.pipelines.NormalizePipeline": 100,
    "crawler.pipelines.ValidatePipeline": 200,
    "crawler.pipelines.StorePipeline": 300,
}
EXTENSIONS = {
    "crawler.extensions.CrawlRunRecorder": 100,
}

# Items of one response in the item pipelines at once (Scrapy's default: 100): batches for every normalize worker,
# with more queued while the crawl process stores a batch (a board's listing is one response of up to thousands).
CONCURRENT_ITEMS = 400

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
