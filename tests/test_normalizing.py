"""crawler/normalizing.py: the normalize worker pool (batches, order, a worker killed, a batch lost), and a crawl
whose normalize workers die closes nothing.

The work functions below run in the pool's worker processes (imported there by name): a worker that kills itself
with SIGKILL is a worker crash as the operating system makes one (out of memory, a segfault in a C extension)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

import crawler.normalizing as normalizing
from crawler.normalizing import BatchLost, Failed, Normalized, NormalizePool, normalize_batch, normalize_one
from storage import models
from storage.db import open_database
from tests.crawling import latest_run
from tests.spiders import crawl


# --- work functions run by the workers ------------------------------------------------------------------------
def echo(raws):
    """Each raw's id back. A batch whose first raw names ``wait_for`` ends only once that file exists, and one whose
    first raw names ``touch`` creates it: a later batch then finishes first by construction, not by timing."""
    payload = raws[0]["payload"]
    if "touch" in payload:
        Path(payload["touch"]).touch()
    if "wait_for" in payload:
        deadline = time.monotonic() + 60  # a guard against a hang, not a measurement
        while not Path(payload["wait_for"]).exists() and time.monotonic() < deadline:
            time.sleep(0.01)
    return [Failed("echo", raw["external_id"]) for raw in raws]


def crash_once(raws):
    """Kill this worker the first time a marker file is missing (then create it): the retry finds it."""
    marker = Path(raws[0]["payload"]["marker"])
    if not marker.exists():
        marker.write_text("crashed once")
        os.kill(os.getpid(), signal.SIGKILL)
    return [Failed("echo", raw["external_id"]) for raw in raws]


def always_crash(raws):
    os.kill(os.getpid(), signal.SIGKILL)


def raw(i: int, **payload) -> dict:
    return {"source": "greenhouse", "board": "pool", "external_id": str(i), "url": None, "payload": payload}


async def gather_in_completion_order(pool: NormalizePool, raws: list[dict]) -> list:
    """Normalize ``raws`` concurrently, as a listing's items are; the outcomes in the order their awaits ended."""
    ended: list = []

    async def one(r):
        try:
            ended.append(await pool.normalize(r))
        except Exception as exc:  # the test looks at what was raised
            ended.append(exc)

    await asyncio.gather(*(one(r) for r in raws))
    return ended


# --- the pool -------------------------------------------------------------------------------------------------
def test_batches_come_back_in_order_even_when_a_later_one_finishes_first(tmp_path):
    # Batches of 3 on two workers: the first batch waits until the last one has run.
    marker = str(tmp_path / "last batch ran")
    raws = [raw(i, **({"wait_for": marker} if i == 0 else {"touch": marker} if i == 9 else {})) for i in range(12)]
    pool = NormalizePool(2, batch_size=3, work=echo)
    try:
        ended = asyncio.run(gather_in_completion_order(pool, raws))
    finally:
        pool.close()
    assert [o.detail for o in ended] == [str(i) for i in range(12)]
    assert pool.rebuilds == 0


def test_postings_arriving_together_share_batches():
    sizes: list[int] = []
    pool = NormalizePool(1, batch_size=4, work=echo)
    original = pool._send

    def counting(batch):
        sizes.append(len(batch.raws))
        original(batch)

    pool._send = counting
    try:
        asyncio.run(gather_in_completion_order(pool, [raw(i) for i in range(10)]))
    finally:
        pool.close()
    assert sizes == [4, 4, 2]


def test_a_killed_worker_costs_its_batch_a_retry(tmp_path):
    marker = tmp_path / "crashed"
    raws = [raw(i, marker=str(marker)) for i in range(5)]
    pool = NormalizePool(2, batch_size=5, work=crash_once)
    try:
        ended = asyncio.run(gather_in_completion_order(pool, raws))
    finally:
        pool.close()
    assert marker.read_text() == "crashed once"
    assert [o.detail for o in ended] == [str(i) for i in range(5)]
    assert pool.rebuilds == 1


def test_a_batch_the_workers_keep_dying_on_is_lost_for_each_of_its_postings():
    pool = NormalizePool(1, batch_size=10, attempts=2, work=always_crash)
    try:
        ended = asyncio.run(gather_in_completion_order(pool, [raw(i) for i in range(3)]))
    finally:
        pool.close()
    assert all(isinstance(o, BatchLost) for o in ended) and len(ended) == 3
    assert "2 times" in str(ended[0])


def test_the_workers_normalize_and_prepare_as_the_crawl_process_would():
    from pipeline.normalize import normalize
    from storage.ingest import prepare

    payload = {
        "id": 41,
        "title": "Platform Engineer",
        "absolute_url": "https://boards.greenhouse.io/pool/jobs/41",
        "content": "&lt;p&gt;You will run our Kafka clusters and write Rust services. Fully remote.&lt;/p&gt;",
        "location": {"name": "Lisbon, Portugal"},
    }
    unreadable = {"source": "greenhouse", "board": "pool", "external_id": "42", "url": None, "payload": ["no", "job"]}
    unknown = {"source": "no-such-platform", "board": "pool", "external_id": "43", "url": None, "payload": {}}
    pool = NormalizePool(1, batch_size=3)
    try:
        good, bad, broken = asyncio.run(gather_in_completion_order(pool, [raw(41, **payload), unreadable, unknown]))
    finally:
        pool.close()
    expected = normalize(raw(41, **payload))
    assert isinstance(good, Normalized) and good.posting == expected
    here = prepare(expected, payload)
    assert good.prepared.fingerprint_json == here.fingerprint_json
    assert (good.prepared.lookup, good.prepared.payload_hash) == (here.lookup, here.payload_hash)
    assert good.prepared.content_hash == here.content_hash
    assert isinstance(bad, Failed) and bad.kind == "unreadable" and "without an id" in bad.detail
    assert isinstance(broken, Failed) and broken.kind == "error" and "UnknownSourceError" in broken.detail
    assert "Traceback" in broken.trace
    assert normalize_batch([unreadable, unknown]) == [bad, broken]


def test_a_pool_needs_a_process():
    with pytest.raises(ValueError, match="at least one process"):
        NormalizePool(0)


# --- a crawl whose workers die ----------------------------------------------------------------------------------
def listing(ids: range, rev: int = 0) -> bytes:
    """A Greenhouse listing; ``rev`` changes every payload (so a re-crawl normalizes it again)."""
    return json.dumps(
        {
            "jobs": [
                {
                    "id": 7700 + i,
                    "title": f"Backend Engineer {i}",
                    "absolute_url": f"https://boards.greenhouse.io/poolco/jobs/{7700 + i}",
                    "location": {"name": "Remote"},
                    "updated_at": f"2026-10-0{1 + rev}T09:00:00Z",
                    "content": f"&lt;p&gt;Services in Go, team {i}, revision {rev}.&lt;/p&gt;",
                }
                for i in ids
            ]
        }
    ).encode()


def test_a_crawl_whose_workers_die_closes_nothing(http_server, sqlite_url, tmp_path, monkeypatch):
    http_server.add("/v1/boards/poolco/jobs", listing(range(6)))
    first = crawl("greenhouse", "--boards", "poolco", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert first.returncode == 0, first.stderr
    assert (latest_run(sqlite_url).status, latest_run(sqlite_url).new) == ("ok", 6)

    # The board now lists two of the six, changed (four would close), but every batch kills its worker.
    http_server.add("/v1/boards/poolco/jobs", listing(range(2), rev=1))
    monkeypatch.setattr(normalizing, "normalize_batch", always_crash)
    again = crawl("greenhouse", "--boards", "poolco", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    run = latest_run(sqlite_url)
    assert run.status == "partial" and run.closed == 0
    assert run.board_results["poolco"]["store_errors"] == 2
    assert again.returncode != 0
    _, Session = open_database(sqlite_url)
    with Session() as s:
        assert s.scalar(select(func.count()).where(models.Posting.closed_at.is_not(None))) == 0

    # Workers that normalize again: the next crawl proves the board and closes the four.
    monkeypatch.undo()
    third = crawl("greenhouse", "--boards", "poolco", home=tmp_path, db_url=sqlite_url, base_url=http_server.url)
    assert third.returncode == 0, third.stderr
    assert (latest_run(sqlite_url).status, latest_run(sqlite_url).closed) == ("ok", 4)


def test_a_batch_is_normalized_stage_by_stage_with_the_outputs_of_one_by_one():
    """normalize_batch goes through pipeline.normalize.normalize_many: the same outcomes as normalizing each posting
    alone, a failing posting in its own place."""
    unreadable = {"source": "greenhouse", "board": "pool", "external_id": "9", "url": None, "payload": {"title": "x"}}
    raws = [
        raw(i, id=i, title=f"Backend Engineer {i}", content="&lt;p&gt;Go and Kafka, $150k&lt;/p&gt;")
        for i in range(20)
    ]
    raws.insert(7, unreadable)
    batch = normalize_batch(raws)
    assert batch == [normalize_one(r) for r in raws]
    assert isinstance(batch[7], Failed) and batch[7].kind == "unreadable"
    assert sum(isinstance(o, Normalized) for o in batch) == 20


def test_a_batch_whose_stage_runner_fails_is_normalized_one_by_one(monkeypatch, caplog):
    def broken(raws):
        raise RuntimeError("stage runner bug")

    monkeypatch.setattr(normalizing, "normalize_many", broken)
    raws = [raw(i, id=i, title=f"Backend Engineer {i}") for i in range(3)]
    assert normalize_batch(raws) == [normalize_one(r) for r in raws]
    assert "normalizing them one by one" in caplog.text


def cache_directory(raws):
    """The compile cache's directory in this worker."""
    from pipeline import compile_cache

    return [Failed("cache", str(compile_cache.directory())) for _ in raws]


def test_the_crawl_and_its_workers_use_the_compile_cache_the_settings_name(tmp_path, monkeypatch):
    from scrapy.settings import Settings

    from pipeline import compile_cache

    monkeypatch.setattr(compile_cache, "_directory", None)  # restored after the test
    settings = Settings({"JOBSCOUT_NORMALIZE_PROCESSES": 0, "JOBSCOUT_CACHE_DIR": str(tmp_path)})
    assert normalizing.start_for(settings) is None  # normalizes in process...
    assert compile_cache.directory() == tmp_path  # ...with the cache the settings name

    compile_cache.configure(None)  # so a worker knows the cache only from the pool, not by inheriting this process's
    pool = NormalizePool(1, work=cache_directory, cache=str(tmp_path))
    try:
        (outcome,) = asyncio.run(gather_in_completion_order(pool, [raw(1)]))
    finally:
        pool.close()
    assert outcome.detail == str(tmp_path)
