"""Normalizing in a pool of worker processes, fed in batches, results handed back in the order postings came.

Normalizing a posting costs several times what fetching and parsing it does (bench/bench_ingest.py), so a crawl
that normalizes in its own process is bound by that one core. :class:`NormalizePool` sends batches of raw postings
to ``JOBSCOUT_NORMALIZE_PROCESSES`` workers (a ``concurrent.futures.ProcessPoolExecutor``); each worker runs
:func:`normalize_batch`: ``pipeline.normalize.normalize_many`` and the pure half of the store (fingerprint,
payload compression and hashes: :func:`storage.ingest.prepare`). The crawl process only queues a batch and, when it
comes back, resolves each posting's future on the event loop (Twisted's asyncio reactor): it never waits on a
worker, and meanwhile it keeps fetching, parsing and storing.

Order: batches resolve strictly in the order they were formed (a later batch that finishes first waits), and a
batch's postings in their order, so the store sees the postings exactly as a crawl without the pool does (which
posting of a duplicate pair is stored first decides which one is canonical).

Faults: a posting whose normalize raises comes back as a :class:`Failed` outcome (the pipeline drops it as it
always has). A worker that dies (killed, out of memory, a crash in a C extension) breaks the whole executor
(``BrokenProcessPool``): the pool is rebuilt and every batch it held is sent again; a batch that fails
``attempts`` times raises :class:`BatchLost` for each of its postings, which the item pipelines count as an error
of the posting's board, so nothing of that board closes (crawler.closing).

Start method: ``fork`` while the crawl process has one thread (when the pipeline is built, before the engine
starts), ``forkserver`` otherwise (a rebuild in the middle of a crawl, or a test process with threads), since
forking a process with threads can deadlock the child. Before a fork the crawl process warms the parsers itself
(:func:`warm`) and freezes its heap (``gc.freeze``), so every worker starts with the built tables instead of
building its own: warming in each worker cost ~0.35 s of CPU per worker (its build plus the copy-on-write faults of
touching the inherited heap), paid again by every re-crawl whose workers then had nothing to normalize; warmed once
in the parent, an idle pool of two costs ~0.02 s (docs/scale.md, "Workers that start warm").
"""

from __future__ import annotations

import asyncio
import gc
import logging
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from crawler.processes import worker_context
from pipeline import compile_cache
from pipeline import model as schema
from pipeline.normalize import normalize, normalize_many
from pipeline.sources import MappingError
from storage.ingest import Prepared, prepare

logger = logging.getLogger(__name__)


# --- what a worker runs ---------------------------------------------------------------------------------------
@dataclass(slots=True)
class Normalized:
    posting: schema.Posting
    prepared: Prepared | None  # None: preparing failed; the store computes it again (and reports what fails)


@dataclass(slots=True)
class Failed:
    kind: str  # "unreadable" (pipeline.sources.MappingError) | "error" (any other exception)
    detail: str  # the exception's text ("unreadable") or repr ("error"), as the drop message shows it
    trace: str = ""


Outcome = Normalized | Failed


def normalize_one(raw: dict[str, Any]) -> Outcome:
    """One raw posting (the keys of :class:`crawler.items.RawPosting`) -> its posting, or why it has none."""
    try:
        posting = normalize(raw)
    except Exception as exc:  # a parser bug must cost one posting, never the batch
        return _outcome(raw, exc)
    return _outcome(raw, posting)


def normalize_batch(raws: Sequence[dict[str, Any]]) -> list[Outcome]:
    """What a worker process runs: one outcome per raw posting, in order.

    ``pipeline.normalize.normalize_many`` makes normalize's calls stage by stage over the batch (~25% less CPU
    than one posting after the other: docs/scan.md, "In context"), with the same outputs; should it fail as a
    whole (a bug outside any one posting), each posting is normalized on its own instead."""
    try:
        results = normalize_many(raws)
    except Exception:
        logger.exception("normalize_many failed on a batch of %d; normalizing them one by one", len(raws))
        return [normalize_one(raw) for raw in raws]
    return [_outcome(raw, result) for raw, result in zip(raws, results, strict=True)]


def _outcome(raw: dict[str, Any], result: schema.Posting | BaseException) -> Outcome:
    if isinstance(result, MappingError):
        return Failed("unreadable", str(result))
    if isinstance(result, BaseException):
        return Failed("error", repr(result), "".join(traceback.format_exception(result)))
    try:
        prepared = prepare(result, raw["payload"])
    except Exception:  # left to the store, which counts a failure against the posting's board
        prepared = None
    return Normalized(result, prepared)


def start_worker(cache: str | None) -> None:
    """A worker's initializer: the compile cache the crawl names (``JOBSCOUT_CACHE_DIR``), then :func:`warm`."""
    compile_cache.configure(cache or None)
    warm()


def warm() -> None:
    """Build the parsers' lazy tables (automata, taxonomy) once, so no batch pays for them (~0.2 s)."""
    normalize_one(
        {
            "source": "greenhouse",
            "board": "warm-up",
            "external_id": "1",
            "url": None,
            "payload": {"id": 1, "title": "Backend Engineer", "content": "&lt;p&gt;Python, $100k&lt;/p&gt;"},
        }
    )


# --- the pool, in the crawl process ---------------------------------------------------------------------------
class BatchLost(RuntimeError):
    """The workers died on this posting's batch ``attempts`` times: it was not normalized."""


@dataclass(eq=False)
class _Batch:
    raws: list[dict[str, Any]] = field(default_factory=list)
    waiters: list[asyncio.Future] = field(default_factory=list)
    attempts: int = 0
    outcomes: list[Outcome] | None = None
    error: BaseException | None = None

    @property
    def settled(self) -> bool:
        return self.outcomes is not None or self.error is not None


class NormalizePool:
    """``processes`` workers normalizing batches of up to ``batch_size`` postings (see the module docstring).

    :meth:`normalize` is awaited by one posting; postings that arrive together (a listing's items are processed
    concurrently, up to Scrapy's ``CONCURRENT_ITEMS``) share a batch: a batch is sent when it is full, or at the
    next turn of the event loop. ``work`` is the function a worker runs on a batch (default :func:`normalize_batch`;
    tests pass one that crashes).
    """

    def __init__(
        self,
        processes: int,
        batch_size: int = 25,
        *,
        attempts: int = 2,
        work: Callable[[Sequence[dict[str, Any]]], list[Outcome]] | None = None,
        cache: str | None = None,
    ) -> None:
        if processes < 1:
            raise ValueError("a normalize pool needs at least one process")
        self.processes = processes
        self.batch_size = max(1, batch_size)
        self.attempts = max(1, attempts)
        self.work = work  # None: normalize_batch
        self.cache = cache or None  # the compile cache's directory, for forkserver workers (forked ones inherit it)
        self.executor: ProcessPoolExecutor | None = None
        self.generation = 0  # bumped by each rebuild: a failure of an older executor does not rebuild again
        self.rebuilds = 0
        self._open: _Batch | None = None
        self._pending: deque[_Batch] = deque()  # sent, in the order their results are handed back
        self._loop: asyncio.AbstractEventLoop | None = None

    # --- lifecycle
    def start(self) -> None:
        """Start the workers now (they warm up while the crawl opens) rather than on the first batch."""
        if self.executor is None:
            self.executor = self._new_executor()
            for _ in range(self.processes):
                self.executor.submit(warm)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def _new_executor(self) -> ProcessPoolExecutor:
        # forkserver's server imports the parsers once; each worker it forks starts with them (warm() per worker).
        context, forked = worker_context([__name__])
        if forked:
            # The children inherit what the parent built: warm once here rather than once per worker, and freeze
            # the heap so that neither the parent's collector nor the children's walks the inherited objects (a
            # walk writes to every object's header: each page it touches is copied into the child).
            warm()
            gc.freeze()
        logger.debug("normalizing in %d worker processes (%s)", self.processes, context.get_start_method())
        return ProcessPoolExecutor(
            max_workers=self.processes, mp_context=context, initializer=start_worker, initargs=(self.cache,)
        )

    # --- feeding
    async def normalize(self, raw: dict[str, Any]) -> Outcome:
        loop = asyncio.get_running_loop()
        self._loop = loop
        waiter = loop.create_future()
        if self._open is None:
            self._open = _Batch()
            loop.call_soon(self._send_open)
        self._open.raws.append(raw)
        self._open.waiters.append(waiter)
        if len(self._open.raws) >= self.batch_size:
            self._send_open()
        return await waiter

    def _send_open(self) -> None:
        batch, self._open = self._open, None
        if batch is None or not batch.raws:
            return
        self._pending.append(batch)
        self._send(batch)

    def _send(self, batch: _Batch) -> None:
        if self.executor is None:
            self.start()
        assert self.executor is not None and self._loop is not None
        batch.attempts += 1
        generation, loop = self.generation, self._loop
        try:
            future = self.executor.submit(self.work or normalize_batch, batch.raws)
        except BrokenProcessPool as exc:  # broken before this batch got in
            self._failed(batch, exc, generation)
            return
        future.add_done_callback(lambda f: loop.call_soon_threadsafe(self._finished, batch, f, generation))

    def _finished(self, batch: _Batch, future: Future, generation: int) -> None:
        """On the event loop: a batch's future is done (results, or the executor broke under it)."""
        if future.cancelled():
            self._failed(batch, BrokenProcessPool("cancelled by a pool shutdown"), generation)
            return
        exc = future.exception()
        if exc is None:
            batch.outcomes = future.result()
            self._hand_back()
            return
        self._failed(batch, exc, generation)

    def _failed(self, batch: _Batch, exc: BaseException, generation: int) -> None:
        if isinstance(exc, BrokenProcessPool) and batch.attempts < self.attempts:
            if generation == self.generation:  # the first batch to notice rebuilds; the others just resend
                self._rebuild(exc)
            logger.warning("a normalize worker died (%s); sending its batch of %d again", exc, len(batch.raws))
            self._send(batch)
            return
        logger.error("normalize batch of %d lost after %d attempts: %r", len(batch.raws), batch.attempts, exc)
        batch.error = BatchLost(f"normalize workers failed this posting's batch {batch.attempts} times: {exc!r}")
        self._hand_back()

    def _rebuild(self, exc: BaseException) -> None:
        old, self.executor = self.executor, None
        self.generation += 1
        self.rebuilds += 1
        if old is not None:
            old.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new_executor()

    def _hand_back(self) -> None:
        """Resolve the settled batches at the head of the queue, in order: a later batch waits for earlier ones."""
        while self._pending and self._pending[0].settled:
            batch = self._pending.popleft()
            for i, waiter in enumerate(batch.waiters):
                if waiter.done():  # cancelled (the crawl is shutting down)
                    continue
                if batch.error is not None:
                    waiter.set_exception(batch.error)
                else:
                    assert batch.outcomes is not None
                    waiter.set_result(batch.outcomes[i])


# --- the crawl's pool -----------------------------------------------------------------------------------------
_ATTRIBUTE = "_jobscout_normalize_pool"
PIPELINE = "crawler.pipelines.NormalizePipeline"


def start_for(settings) -> NormalizePool | None:
    """The pool a crawl with these (Scrapy) settings normalizes in, started; None when it normalizes in process
    (``JOBSCOUT_NORMALIZE_PROCESSES`` 0) or runs no normalize pipeline (``-s ITEM_PIPELINES={}``)."""
    from scrapy.utils.conf import build_component_list

    from crawler.settings import normalize_processes

    processes = normalize_processes(settings.get("JOBSCOUT_NORMALIZE_PROCESSES"))
    cache = settings.get("JOBSCOUT_CACHE_DIR") or None
    compile_cache.configure(cache)  # this process warms the parsers before forking, or normalizes itself
    if not processes or PIPELINE not in build_component_list(settings.getwithbase("ITEM_PIPELINES")):
        return None
    pool = NormalizePool(processes, settings.getint("JOBSCOUT_NORMALIZE_BATCH", 25), cache=cache)
    pool.start()
    return pool


def attach(crawler, pool: NormalizePool | None) -> None:
    """Give ``crawler`` the pool :func:`start_for` started (the normalize pipeline takes it: :func:`pool_for`)."""
    setattr(crawler, _ATTRIBUTE, pool)


def pool_for(crawler) -> NormalizePool | None:
    """The crawl's pool: the one attached to the crawler, else one started now from its settings."""
    if hasattr(crawler, _ATTRIBUTE):
        return getattr(crawler, _ATTRIBUTE)
    pool = start_for(crawler.settings)
    attach(crawler, pool)
    return pool
