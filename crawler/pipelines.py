"""Item pipelines, thin adapters around the pure pipeline and the repository, in this order:

known payload (50) -> normalize (100) -> validate (200) -> store (300).

Normalizing runs in ``JOBSCOUT_NORMALIZE_PROCESSES`` worker processes (:mod:`crawler.normalizing`), in batches
whose results come back in order; 0 normalizes in the crawl process.

A posting whose payload is byte-identical to the stored one, stored by the running normalizer
(``pipeline.version``), skips normalize and validate: the store only moves its ``last_seen_at`` (a re-crawl of an
unchanged board is most of what a scheduler does). ``JOBSCOUT_SKIP_UNCHANGED = False`` normalizes every posting.

Every drop is counted under ``jobscout/dropped/<reason>`` and lands in the run's ``crawl_runs`` row. The store
pipeline writes in batches (``JOBSCOUT_BATCH_SIZE`` postings per transaction). Every component uses the crawl's one
database handle (:mod:`crawler.database`).
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from dataclasses import dataclass
from typing import Any

from scrapy.exceptions import DropItem, NotConfigured
from sqlalchemy.exc import SQLAlchemyError

from crawler.database import for_crawler
from crawler.items import RawPosting
from crawler.normalizing import Failed, NormalizePool, Outcome, pool_for
from crawler.settings import normalize_processes
from pipeline import model as schema
from pipeline.normalize import normalize
from pipeline.sources import MappingError
from pipeline.version import normalizer_version
from storage.ingest import (
    Prepared,
    Resighting,
    Sighting,
    known_payloads,
    payload_digest,
    touch_sources,
    upsert_batch,
)

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class NormalizedItem:
    raw: RawPosting
    posting: schema.Posting
    prepared: Prepared | None = None  # the store's pure half, when a normalize worker did it


@dataclass(slots=True)
class UnchangedItem:
    """A posting seen again exactly as stored: nothing to normalize, only its lifecycle to move."""

    raw: RawPosting


#: How much of a drop's detail (an exception's text) its log line keeps.
DROP_DETAIL_CHARS = 160


class _StatsPipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def drop(self, reason: str, message: str, source: str | None = None, parse_error: bool = False) -> DropItem:
        """Count the drop and log it as one line, "dropped source/board/id: reason (detail)". Scrapy's own
        "Dropped:" message appends the whole item (payload and all, hundreds of characters): it goes to DEBUG."""
        self.stats.inc_value(f"jobscout/dropped/{reason}")
        if parse_error and source:
            self.stats.inc_value(f"jobscout/{source}/parse_errors")
        where, _, detail = message.partition(": ")
        detail = " ".join(detail.split())
        if len(detail) > DROP_DETAIL_CHARS:
            detail = detail[: DROP_DETAIL_CHARS - 3] + "..."
        logger.warning("dropped %s: %s%s", where, reason, f" ({detail})" if detail else "")
        return DropItem(f"{reason}: {message}", log_level="DEBUG")


class KnownPayloadPipeline(_StatsPipeline):
    """Turns a posting whose payload and normalizer match what is stored into an :class:`UnchangedItem`.

    The stored hashes of a board are read once, on its first posting of the crawl (one query per board), so the
    check costs one hash per posting."""

    def __init__(self, crawler):
        if not crawler.settings.getbool("JOBSCOUT_SKIP_UNCHANGED", True):
            raise NotConfigured("JOBSCOUT_SKIP_UNCHANGED is off: every posting is normalized")
        super().__init__(crawler)
        self.session_factory = for_crawler(crawler).read_sessions
        self.version = normalizer_version()
        self.known: dict[tuple[str, str], dict[str, tuple[str, str | None]]] = {}

    def close_spider(self, spider=None) -> None:
        self.known.clear()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawPosting):
            return item
        known = self.known.get((item.source, item.board))
        if known is None:
            known = self.known[(item.source, item.board)] = self._load(item.source, item.board)
        stored = known.get(item.external_id)
        if stored is None or stored[1] != self.version or stored[0] != payload_digest(item.payload):
            return item
        self.stats.inc_value("jobscout/fetched")
        return UnchangedItem(raw=item)

    def _load(self, source: str, board: str) -> dict[str, tuple[str, str | None]]:
        try:
            with self.session_factory() as session:
                return known_payloads(session, source, board)
        except SQLAlchemyError as exc:  # the normal path still works: normalize everything of this board
            logger.warning("cannot read the stored payloads of %s/%s (%s); normalizing all", source, board, exc)
            return {}


class NormalizePipeline(_StatsPipeline):
    """Normalizes in a pool of worker processes (``JOBSCOUT_NORMALIZE_PROCESSES``; the runner starts it before the
    crawl, :func:`crawler.normalizing.pool_for`, so the workers warm up while the crawl opens), or in this process
    when it is 0 or no asyncio event loop runs. A posting whose batch the workers lost
    (:class:`crawler.normalizing.BatchLost`) is an item error: its board is not proven and nothing of it closes."""

    def __init__(self, crawler):
        super().__init__(crawler)
        normalize_processes(crawler.settings.get("JOBSCOUT_NORMALIZE_PROCESSES"))  # a bad value stops the crawl here
        self.pool: NormalizePool | None = pool_for(crawler)

    def close_spider(self, spider=None) -> None:
        if self.pool is not None:
            self.pool.close()

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, RawPosting):
            return item
        self.stats.inc_value("jobscout/fetched")
        if self.pool is not None and _loop_running():
            return self._in_pool(item)
        try:
            posting = normalize(item)
        except MappingError as exc:
            raise self._unreadable(item, str(exc)) from exc
        except Exception as exc:  # a parser bug must cost one posting, never the crawl
            logger.exception("normalize failed for %s/%s/%s", item.source, item.board, item.external_id)
            raise self._failed(item, repr(exc)) from exc
        return NormalizedItem(raw=item, posting=posting)

    async def _in_pool(self, item: RawPosting) -> NormalizedItem:
        raw = {
            "source": item.source,
            "board": item.board,
            "external_id": item.external_id,
            "url": item.url,
            "payload": item.payload,
            "company": item.company,
        }
        assert self.pool is not None
        outcome: Outcome = await self.pool.normalize(raw)
        if isinstance(outcome, Failed):
            if outcome.kind == "unreadable":
                raise self._unreadable(item, outcome.detail)
            logger.error(
                "normalize failed for %s/%s/%s\n%s", item.source, item.board, item.external_id, outcome.trace.rstrip()
            )
            raise self._failed(item, outcome.detail)
        return NormalizedItem(raw=item, posting=outcome.posting, prepared=outcome.prepared)

    def _unreadable(self, item: RawPosting, detail: str) -> DropItem:
        return self.drop(
            "unreadable_payload", f"{item.source}/{item.board}/{item.external_id}: {detail}", item.source, True
        )

    def _failed(self, item: RawPosting, detail: str) -> DropItem:
        return self.drop(
            "normalize_error", f"{item.source}/{item.board}/{item.external_id}: {detail}", item.source, True
        )


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:  # a reactor without asyncio, or a caller outside one
        return False
    return True


class ValidatePipeline(_StatsPipeline):
    def process_item(self, item: Any) -> Any:
        if not isinstance(item, NormalizedItem):
            return item
        posting, raw = item.posting, item.raw
        where = f"{raw.source}/{raw.board}/{raw.external_id}"
        if not posting.title.strip():
            raise self.drop("missing_title", where, raw.source, parse_error=True)
        if not posting.external_id:
            raise self.drop("missing_id", where, raw.source, parse_error=True)
        return item


class StorePipeline(_StatsPipeline):
    """Writes postings in batches. A posting whose write fails is counted under ``jobscout/dropped/store_error``
    and ``jobscout/board_store_errors/<board>``: its board is then not proven, so nothing of it closes
    (:mod:`crawler.closing`); a later successful crawl repairs it."""

    @classmethod
    def from_crawler(cls, crawler):
        from scrapy import signals

        pipe = cls(crawler)
        crawler.signals.connect(pipe.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipe.item_error, signal=signals.item_error)
        return pipe

    def __init__(self, crawler):
        super().__init__(crawler)
        self.session_factory = for_crawler(crawler).sessions
        self.batch_size = crawler.settings.getint("JOBSCOUT_BATCH_SIZE", 200)
        self.buffer: list[Sighting] = []
        self.touched: list[Resighting] = []
        self.listed: list[Resighting] = []  # dropped postings: still listed, so still open
        self.version = normalizer_version()
        self.skill_categories: dict[str, str] = {}

    def open_spider(self, spider=None) -> None:
        from pipeline.skills import skill_categories

        self.skill_categories = skill_categories()

    def process_item(self, item: Any) -> Any:
        if isinstance(item, UnchangedItem):
            raw = item.raw
            self.touched.append(Resighting(raw.source, raw.board, raw.external_id, raw.fetched_at))
        elif isinstance(item, NormalizedItem):
            self.buffer.append(
                Sighting(
                    posting=item.posting,
                    payload=item.raw.payload,
                    fetched_at=item.raw.fetched_at,
                    normalized_by=self.version,
                    prepared=item.prepared,
                )
            )
        else:
            return item
        self.stats.inc_value("jobscout/kept")
        # Re-sightings are a few set-based statements per batch: five times as many share one transaction (its
        # commit cost ~17 us per posting at 200, bench/bench_ingest.py re-crawl).
        if len(self.buffer) >= self.batch_size or len(self.touched) >= 5 * self.batch_size:
            self.flush()
        return item

    def close_spider(self, spider=None) -> None:
        self.flush()

    def item_dropped(self, item: Any, response=None, exception=None, spider=None) -> None:
        """A dropped posting (unreadable, no title) is still listed by its board: it stays open as it is stored."""
        raw = item.raw if isinstance(item, NormalizedItem | UnchangedItem) else item
        if isinstance(raw, RawPosting) and raw.external_id:
            self.listed.append(Resighting(raw.source, raw.board, raw.external_id, raw.fetched_at))

    def item_error(self, item: Any, response=None, spider=None, failure=None) -> None:
        """A posting lost to an unexpected error in a pipeline: its board is not proven (see crawler.closing)."""
        raw = item.raw if isinstance(item, NormalizedItem | UnchangedItem) else item
        board = raw.board if isinstance(raw, RawPosting) else None
        self.store_error(board, 1)

    def store_error(self, board: str | None, count: int) -> None:
        self.stats.inc_value("jobscout/dropped/store_error", count)
        self.stats.inc_value("jobscout/errors")
        if board is None:
            self.stats.inc_value("jobscout/unattributed_errors")
        else:
            self.stats.inc_value(f"jobscout/board_store_errors/{board}", count)

    def flush(self) -> None:
        listed, self.listed = self.listed, []
        self._touch(listed, "unreadable postings as still listed", count=False)
        touched, self.touched = self.touched, []
        self._touch(touched, "unchanged postings as seen", count=True)
        batch, self.buffer = self.buffer, []
        if not batch:
            return
        try:
            self._write(batch)
        except Exception as exc:
            # One bad row must not cost the batch: retry one by one, counting what still fails.
            logger.warning("batch of %d failed (%s); retrying posting by posting", len(batch), exc)
            for sighting in batch:
                try:
                    self._write([sighting])
                except Exception as one_exc:
                    p = sighting.posting
                    logger.error("cannot store %s/%s/%s: %s", p.source, p.board, p.external_id, one_exc)
                    self.store_error(p.board, 1)

    def _touch(self, seen: list[Resighting], what: str, *, count: bool) -> None:
        """Record re-sightings (one transaction); when that fails, each is a store error of its board."""
        if not seen:
            return
        try:
            with self.session_factory.begin() as session:
                result = touch_sources(session, seen)
        except Exception as exc:  # SQLAlchemyError, or a bug: either way these sightings were not recorded
            logger.error("cannot record %d %s: %s", len(seen), what, exc)
            for board, n in Counter(r.board for r in seen).items():
                self.store_error(board, n)
            return
        if count:
            self._count(result)

    def _write(self, batch: list[Sighting]) -> None:
        with self.session_factory.begin() as session:
            result = upsert_batch(session, batch, self.skill_categories)
        self._count(result)

    def _count(self, result) -> None:
        self.stats.inc_value("jobscout/new", result.new)
        self.stats.inc_value("jobscout/updated", result.updated)
        self.stats.inc_value("jobscout/unchanged", result.unchanged)
        self.stats.inc_value("jobscout/reopened", result.reopened)
        self.stats.inc_value("jobscout/merged", result.merged)
        for (board, kind), count in getattr(result, "by_board", {}).items():
            if count:
                self.stats.inc_value(f"jobscout/board_{kind}/{board}", count)
