"""Crawl units on the Celery + Redis queue: throughput with 1, 2 and 4 workers, as ratios to 1 worker.

    python -m bench.bench_queue --db postgresql://USER:PW@127.0.0.1:5432/postgres --queue redis://127.0.0.1:6379/15
                                [--workers 1,2,4] [--boards 400] [--unit-boards 50] [--postings 5] [--latency 0.1]
                                [--corpus ../shared/corpus]

Loopback only. The replay server of bench.bench_registry_crawl answers ``/v1/boards/<token>/jobs`` for any token
with ``--postings`` real Greenhouse postings from the corpus (ids and titles remapped per token) after ``--latency``
seconds (~100 ms, a remote API's round trip). For each worker count: a fresh PostgreSQL database, ``--boards``
boards imported, ``jobscout scheduler run --queue`` enqueues the source's units (``JOBSCOUT_UNIT_BOARDS`` =
``--unit-boards``) once, and N ``jobscout worker --concurrency 1`` processes (N hosts, here on one machine) crawl
them. The clock runs from the enqueue to the last unit's end. Each crawl reads **one request at a time with no
download delay** (politeness overridden, and said so: a unit is bound by the server's latency, as a polite crawl is
by its delay) so the figure measures how units spread over workers. The Redis database given is emptied.

Printed: per worker count, seconds, boards/s, postings stored, and the throughput as a ratio to 1 worker; every
run checks that each board was read and no posting was stored twice.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.bench_registry_crawl import corpus_jobs, fresh_database, serve  # noqa: E402

POLITENESS_OVERRIDDEN = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS_PER_DOMAIN=1",
    "ROBOTSTXT_OBEY=False",
    "RETRY_TIMES=0",
]


def environment(home: Path, db_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    env.update(
        JOBSCOUT_CONFIG=str(home / "config.toml"),
        JOBSCOUT_DATA_DIR=str(home / "data"),
        JOBSCOUT_DB_URL=db_url,
        JOBSCOUT_REGISTRY=str(home / "empty-registry.csv"),
    )
    return env


def jobscout(env, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"jobscout {' '.join(args[:2])} exited {result.returncode}:\n{result.stderr[-3000:]}")
    return result


class Worker:
    def __init__(self, env, queue: str) -> None:
        argv = ["worker", "--queue", queue, "--concurrency", "1", "--visibility-timeout", "600"]
        self.popen = subprocess.Popen(
            [sys.executable, "-m", "crawler.cli", *argv],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.popen.stderr), daemon=True)
        self.reader.start()

    def ready(self) -> bool:
        return any(" ready." in line for line in self.lines)

    def stop(self) -> None:
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()
        self.reader.join(timeout=5)
        self.popen.stderr.close()


def counts(db_url: str) -> tuple[int, int, int, set[str], float]:
    """(finished runs, postings, posting sources, boards read, seconds from the enqueue to the last run's end)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT board_results FROM crawl_runs WHERE finished_at IS NOT NULL")).all()
        postings = conn.execute(text("SELECT count(*) FROM postings")).scalar()
        sources = conn.execute(text("SELECT count(*) FROM posting_sources")).scalar()
        # The claim (scheduler) and the runs' ends (workers) are stamped by this machine's clock.
        span = conn.execute(
            text("SELECT max(r.finished_at) - max(s.last_started_at) FROM crawl_runs r, schedules s")
        ).scalar()
    engine.dispose()
    read = {board for (results,) in runs for board in (results or {})}
    return len(runs), postings, sources, read, span.total_seconds() if span is not None else 0.0


def flush(queue: str) -> None:
    import redis

    client = redis.Redis.from_url(queue)
    client.flushdb()
    client.close()


def trial(workers: int, args, server_url: str, tmp: Path) -> dict:
    home = tmp / f"w{workers}"
    home.mkdir()
    (home / "empty-registry.csv").write_text("source,token,company,config,origins\n")
    db_url = fresh_database(args.db, home, workers)
    env = environment(home, db_url)
    flush(args.queue)
    boards = home / "boards.csv"
    boards.write_text("source,token\n" + "".join(f"greenhouse,bench-{i:05}\n" for i in range(args.boards)))
    jobscout(env, "boards", "import", str(boards))
    settings = [f"JOBSCOUT_UNIT_BOARDS={args.unit_boards}", *POLITENESS_OVERRIDDEN]
    options = [arg for s in settings for arg in ("-s", s)]
    jobscout(env, "schedule", "add", "greenhouse", "--base-url", server_url, "--every", "1s", *options)
    pool = [Worker(env, args.queue) for _ in range(workers)]
    try:
        deadline = time.monotonic() + 300
        while not all(w.ready() for w in pool):
            if time.monotonic() > deadline or any(w.popen.poll() is not None for w in pool):
                raise SystemExit("a worker did not start:\n" + "".join(pool[0].lines[-30:]))
            time.sleep(0.2)
        result = jobscout(env, "scheduler", "run", "--queue", args.queue, "--max-runs", "1", "--reload-every", "0.2")
        started = time.monotonic()
        units = int(re.search(r"enqueued (\d+) units", result.stderr).group(1))
        while (done := counts(db_url))[0] < units:
            if time.monotonic() - started > 1800:
                raise SystemExit(f"{workers} workers: {done[0]} of {units} units after 30 minutes")
            time.sleep(0.25)
    finally:
        for worker in pool:
            worker.stop()
    _runs, postings, sources, read, seconds = done
    expected = args.boards * args.postings
    if len(read) != args.boards or postings != expected or sources != expected:
        raise SystemExit(
            f"{workers} workers: {len(read)} of {args.boards} boards read, {postings} postings and {sources} "
            f"sources stored, {expected} expected"
        )
    return {"units": units, "seconds": seconds, "postings": postings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL server URL (a database is created per trial)")
    parser.add_argument("--queue", required=True, help="a Redis database URL (it is emptied)")
    parser.add_argument("--workers", default="1,2,4", help="worker counts to measure, 1 first")
    parser.add_argument("--boards", type=int, default=400)
    parser.add_argument("--unit-boards", type=int, default=50, help="JOBSCOUT_UNIT_BOARDS")
    parser.add_argument("--postings", type=int, default=5, help="postings per board")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds the server waits before answering")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    counts_wanted = [int(n) for n in args.workers.split(",")]
    server = serve(corpus_jobs(args.corpus), args.postings, args.latency)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in counts_wanted:
            results[n] = trial(n, args, url, Path(tmp))
            print(f"{n} workers: {results[n]['seconds']:.1f}s", file=sys.stderr, flush=True)
    server.shutdown()
    print(
        f"queue crawl on PostgreSQL + Redis, {datetime.now(UTC):%Y-%m-%d}, {platform.machine()} "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}: {args.boards} boards x {args.postings} real "
        f"Greenhouse postings (remapped), {args.latency * 1000:.0f} ms per response, units of ~{args.unit_boards} "
        f"boards; politeness OVERRIDDEN ({', '.join(POLITENESS_OVERRIDDEN)})"
    )
    print(f"{'workers':>7}{'units':>6}{'seconds':>9}{'boards/s':>9}{'postings':>9}{'x 1 worker':>11}")
    base = results[counts_wanted[0]]["seconds"]
    for n, r in results.items():
        print(
            f"{n:>7}{r['units']:>6}{r['seconds']:>9.1f}{args.boards / r['seconds']:>9.1f}{r['postings']:>9}"
            f"{base / r['seconds']:>11.2f}"
        )


if __name__ == "__main__":
    main()
