"""Ingest cost per new posting into databases pre-filled to different sizes (100k, 1M): does it grow with the size?

    python -m bench.bench_ingest_scale CORPUS_DIR --db URL_100K --db URL_1M [--postings 2000] [--workdir DIR]

Each ``--db`` is a database pre-filled by ``bench.bench_query --keep`` (``upsert_batch`` of generated postings,
never a million postings through Scrapy). It is copied first and only the copy is written, so the pre-filled
database stays as loaded and the runs can be repeated: a SQLite file is checkpointed and copied into
``--workdir`` (default: beside it); a PostgreSQL database is copied with ``CREATE DATABASE ... TEMPLATE``. On the
copy, in this order:

1. **crawl, new**: ``jobscout crawl greenhouse`` of a 2,000-posting Greenhouse board built from the corpus's real
   postings (``bench.bench_ingest.build_board``), served on loopback: every posting is new (normalize, dedup
   lookups against the whole database, insert, full-text index). Time: the run's own (``crawl_runs``), so process
   start-up is excluded. The database grows by the postings, their sources and their real payloads (compressed):
   the growth divided by the postings is the stored size of a real posting.
2. **crawl, again**: the same board again (unchanged payloads: the everyday crawl).
3. **dedup stream**: 2,000 postings of ``bench.bench_dedup.generate`` (about 70% new jobs, 30% copies of them on
   aggregators, which dedup must find and merge) through ``storage.ingest.upsert_batch`` in batches of 500,
   in-process: the store path alone, without the crawl's constant costs.

Prints milliseconds per posting for each, wall and CPU (on a shared machine the load moves wall times between runs;
the CPU time of the crawl process, start-up included, and of this process for the dedup stream is steadier; on
PostgreSQL the server's share is not in it), and the ratio of each size's cost to the first ``--db``'s (issue 22's
goal: at most 1.2 at 1M against 100k). ``--rounds 2`` measures the sizes alternately twice and keeps each one's
faster round, so that both sizes see the machine's load alike.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
if str(REPO / "bench") not in sys.path:
    sys.path.insert(0, str(REPO / "bench"))

from bench.bench_ingest import build_board  # noqa: E402
from storage import models  # noqa: E402
from storage.db import dispose_all, normalize_url, open_database  # noqa: E402


def db_bytes(url: str) -> int:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":  # the pages in use (WAL frames included), not the files' sizes
        conn = sqlite3.connect(parsed.database)
        try:
            return conn.execute("PRAGMA page_count").fetchone()[0] * conn.execute("PRAGMA page_size").fetchone()[0]
        finally:
            conn.close()
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(text("SELECT pg_database_size(current_database())"))
    finally:
        engine.dispose()


def copy_database(url: str, workdir: Path | None) -> str:
    """A writable copy of the pre-filled database; returns its URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        source = Path(parsed.database)
        conn = sqlite3.connect(source)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy of the main file is then the whole database
        conn.close()
        target = (workdir or source.parent) / f"ingest-copy-{source.stem}.sqlite"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, target)
        return f"sqlite:///{target}"
    copy_name = f"{parsed.database}_ingest_copy"
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{copy_name}"'))
            conn.execute(text(f'CREATE DATABASE "{copy_name}" TEMPLATE "{parsed.database}"'))
    finally:
        admin.dispose()
    return parsed.set(database=copy_name).render_as_string(hide_password=False)


def drop_copy(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}"'))
    finally:
        admin.dispose()


def crawl_seconds(server_url: str, home: Path, db_url: str, cpu: list[float]) -> float:
    """The run's own seconds; the crawl process's CPU seconds (start-up included) appended to ``cpu``."""
    from tests.crawling import FAST, jobscout_command, jobscout_env

    argv = [*jobscout_command(), "crawl", "greenhouse", "--base-url", server_url, *FAST, "--boards", "bench"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run(argv, env=jobscout_env(home, db_url), capture_output=True, text=True, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    _, Session = open_database(db_url)
    with Session() as s:
        run = s.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(1)).one()
        seconds = (run.finished_at - run.started_at).total_seconds()
    dispose_all()
    return seconds


def dedup_stream(db_url: str, corpus: Path, n: int) -> tuple[float, float, int, int]:
    from datetime import UTC, datetime

    from bench_dedup import generate
    from corpus_postings import load_postings

    from storage.ingest import Sighting, upsert_batch

    seeds = [p for p in load_postings(corpus).values() if len(p.description_text) > 300]
    _, Session = open_database(db_url)
    now = datetime.now(UTC)
    new = merged = 0
    batch: list[Sighting] = []
    cpu0, started = time.process_time(), time.perf_counter()
    for posting in generate(seeds, n, random.Random(11)):
        posting.external_id = f"scale-{posting.external_id}"  # never one of the pre-filled postings' ids
        batch.append(Sighting(posting=posting, payload={"id": posting.external_id}, fetched_at=now))
        if len(batch) == 500:
            with Session.begin() as s:
                r = upsert_batch(s, batch)
            new, merged, batch = new + r.new, merged + r.merged, []
    if batch:
        with Session.begin() as s:
            r = upsert_batch(s, batch)
        new, merged = new + r.new, merged + r.merged
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu0
    dispose_all()
    return seconds, cpu, new, merged


def measure(url: str, corpus: Path, body: bytes, n: int, workdir: Path | None) -> dict:
    from tests.http_server import FixtureServer

    _, Session = open_database(url)
    with Session() as s:
        prefilled = s.scalar(select(func.count()).select_from(models.Posting)) or 0
    dispose_all()
    t0 = time.perf_counter()
    copy = copy_database(url, workdir)
    out = {"prefilled": prefilled, "copy_s": time.perf_counter() - t0}
    try:
        size0 = db_bytes(copy)
        with FixtureServer() as server, tempfile.TemporaryDirectory() as home:
            server.add("/v1/boards/bench/jobs", body)
            cpu: list[float] = []
            out["new"] = crawl_seconds(server.url, Path(home), copy, cpu)
            out["bytes_per_new"] = (db_bytes(copy) - size0) / n
            out["again"] = crawl_seconds(server.url, Path(home), copy, cpu)
            out["new_cpu"], out["again_cpu"] = cpu
        out["dedup"], out["dedup_cpu"], out["dedup_new"], out["dedup_merged"] = dedup_stream(copy, corpus, n)
    finally:
        dispose_all()
        drop_copy(copy)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="the shared corpus directory (../shared/corpus)")
    parser.add_argument("--db", action="append", required=True, help="a pre-filled database URL (repeat)")
    parser.add_argument("--postings", type=int, default=2000, help="postings on the board (default 2000)")
    parser.add_argument("--workdir", type=Path, help="where SQLite copies go (default: beside the original)")
    parser.add_argument("--rounds", type=int, default=1, help="measure the sizes alternately this many times")
    args = parser.parse_args(argv)

    body = json.dumps(build_board(args.corpus, args.postings)).encode()
    n = args.postings
    best: dict[str, dict] = {}
    for _ in range(args.rounds):
        for url in args.db:
            url = normalize_url(url)
            print(f"measuring {make_url(url).render_as_string()} ...", file=sys.stderr)
            r = measure(url, args.corpus, body, n, args.workdir)
            if url not in best or r["new"] + r["dedup"] < best[url]["new"] + best[url]["dedup"]:
                best[url] = r
    rows = list(best.items())
    first = rows[0][1]
    print(f"board: {n} postings, Greenhouse format, local server; dedup stream: {n} postings in batches of 500")
    print("ms per posting: wall (the run's own for crawls) and CPU (the crawl process's; this process's for dedup)")
    keys = ("new", "again", "dedup")
    header = "  ".join(f"{k + ' wall':>10} {k + ' cpu':>10}" for k in keys)
    print(f"{'pre-filled':>10}  {header}  {'merged':>6}  {'ratio wall new/again/dedup':>26}  {'cpu':>14}  bytes/new")
    for _, r in rows:
        cells = "  ".join(f"{1000 * r[k] / n:>10.2f} {1000 * r[k + '_cpu'] / n:>10.2f}" for k in keys)
        wall = "/".join(f"{r[k] / first[k]:.2f}" for k in keys)
        cpu = "/".join(f"{r[k + '_cpu'] / first[k + '_cpu']:.2f}" for k in keys)
        size = f"{r['bytes_per_new']:,.0f}"
        print(f"{r['prefilled']:>10,}  {cells}  {r['dedup_merged']:>6}  {wall:>26}  {cpu:>14}  {size}")
    print("goal (issue 22): cost per new posting at 1M within 1.2x of 100k, the same for dedup")
    return 0


if __name__ == "__main__":
    sys.exit(main())
