"""Crawling a whole registry: 1,000 and then 10,000 boards, unit by unit, into a fresh database, and a re-crawl.

    python -m bench.bench_registry_crawl [--boards 1000,10000] [--postings 20] [--latency 0] [--db sqlite|URL]
                                         [--corpus ../shared/corpus]

A loopback server answers ``/v1/boards/<token>/jobs`` for ANY token with a Greenhouse body of ``--postings`` jobs
taken from the corpus's real Greenhouse postings, ids and titles remapped per token (so boards never deduplicate
into each other), after ``--latency`` seconds. The boards (``bench-00001`` ...) are imported into a fresh database
whose registry is empty (``JOBSCOUT_REGISTRY`` = a header-only file), then ``jobscout crawl greenhouse`` runs
every unit in turn exactly as a user's registry pass does -- except that **politeness is overridden** (no
download delay, no AutoThrottle, 16 requests at once to the one host, no robots.txt): the figures measure
jobscout, not the delay it owes a real platform (docs/scale.md has the polite durations).

Printed per size, for the first crawl and the re-crawl (the everyday case: nothing changed): wall time,
postings/s, boards/s, peak RSS of any crawl process, database size per posting, and the per-board cost at the
largest size as a ratio to the smallest measured in the same run (goal: at most 1.2).
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_PATH = re.compile(r"^/v1/boards/([^/]+)/jobs")


def board_body(token: str, jobs: list[dict], postings: int) -> bytes:
    seed = zlib.crc32(token.encode())
    out = []
    for i in range(postings):
        job = dict(jobs[(seed + i) % len(jobs)])
        job["id"] = seed * 100 + i
        job["title"] = f"{job['title']} ({token} {i})"
        job["absolute_url"] = f"https://boards.greenhouse.io/{token}/jobs/{job['id']}"
        job["requisition_id"] = f"{token}-{i}"
        job.pop("internal_job_id", None)
        out.append(job)
    return json.dumps({"jobs": out, "meta": {"total": postings}}).encode()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def serve(jobs: list[dict], postings: int, latency: float) -> Server:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            match = _PATH.match(self.path)
            if not match:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if latency:
                time.sleep(latency)
            body = board_body(match.group(1), jobs, postings)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


IMPOLITE = [
    "DOWNLOAD_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "ROBOTSTXT_OBEY=False",
    "RETRY_TIMES=0",
]


def jobscout(home: Path, db_url: str, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JOBSCOUT_")}
    env.update(
        JOBSCOUT_CONFIG=str(home / "config.toml"),
        JOBSCOUT_DATA_DIR=str(home / "data"),
        JOBSCOUT_DB_URL=db_url,
        JOBSCOUT_REGISTRY=str(home / "empty-registry.csv"),
    )
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], env=env, capture_output=True, text=True, check=False
    )
    return result, time.perf_counter() - started


def db_bytes(db_url: str) -> int:
    from sqlalchemy import create_engine, text

    if db_url.startswith("sqlite:///"):
        path = Path(db_url.removeprefix("sqlite:///"))
        return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())
    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        return conn.execute(text("SELECT pg_database_size(current_database())")).scalar()


def fresh_database(kind: str, home: Path, n: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{home / f'registry-{n}.db'}"
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = make_url(kind).set(drivername="postgresql+psycopg")
    name = f"jobscout_bench_{n}_{os.getpid()}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin.set(database=name, drivername="postgresql").render_as_string(hide_password=False)


def run_size(n: int, server_url: str, kind: str, tmp: Path) -> dict:
    home = tmp / f"n{n}"
    home.mkdir()
    (home / "empty-registry.csv").write_text("source,token,company,config,origins\n")
    db_url = fresh_database(kind, home, n)
    boards = home / "boards.csv"
    boards.write_text("source,token\n" + "".join(f"greenhouse,bench-{i:05}\n" for i in range(n)))
    result, _ = jobscout(home, db_url, "boards", "import", str(boards))
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    figures = {}
    started_runs = 0
    for label in ("first crawl", "re-crawl"):
        settings = [arg for s in IMPOLITE for arg in ("-s", s)]
        rss_before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        result, seconds = jobscout(home, db_url, "crawl", "greenhouse", "--base-url", server_url, *settings)
        if result.returncode != 0:
            raise SystemExit(f"crawl exited {result.returncode}:\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}")
        peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        runs = runs_since(db_url, started_runs)
        started_runs += len(runs)
        figures[label] = {
            "seconds": seconds,
            "fetched": sum(r[0] for r in runs),
            "new": sum(r[1] for r in runs),
            "peak_rss_mb": max(peak_kb, rss_before) / 1024,
            "db_bytes": db_bytes(db_url),
            "units": len(runs),
        }
    return figures


def runs_since(db_url: str, skip: int) -> list[tuple[int, int]]:
    """(fetched, new) of the crawl runs after the first ``skip`` (each unit is one run)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT fetched, new FROM crawl_runs ORDER BY id")).all()
    engine.dispose()
    return [(r[0], r[1]) for r in rows[skip:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--boards", default="1000,10000", help="registry sizes to crawl, smallest first")
    parser.add_argument("--postings", type=int, default=20, help="postings per board")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds the server waits before answering")
    parser.add_argument("--db", default="sqlite", help="sqlite, or a PostgreSQL server URL (a database is created)")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    sizes = [int(x) for x in args.boards.split(",")]
    from bench.bench_ingest import greenhouse_jobs

    jobs = greenhouse_jobs(args.corpus)
    server = serve(jobs, args.postings, args.latency)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    backend = "SQLite" if args.db == "sqlite" else "PostgreSQL"
    print(
        f"registry crawl on {backend}: {args.postings} postings per board (real Greenhouse postings remapped), "
        f"latency {args.latency}s; politeness OVERRIDDEN ({', '.join(IMPOLITE)}); {os.cpu_count()} CPUs",
        flush=True,
    )
    print(
        f"{'boards':>7} {'crawl':<12}{'units':>6}{'seconds':>9}{'postings/s':>11}{'boards/s':>9}"
        f"{'peak RSS MB':>12}{'DB bytes/posting':>17}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:  # each size's rows as soon as it is done: a long run shows progress
            results[n] = run_size(n, url, args.db, Path(tmp))
            for label, f in results[n].items():
                print(
                    f"{n:>7} {label:<12}{f['units']:>6}{f['seconds']:>9.1f}{f['fetched'] / f['seconds']:>11.0f}"
                    f"{n / f['seconds']:>9.1f}{f['peak_rss_mb']:>12.0f}"
                    f"{f['db_bytes'] / max(f['fetched'], 1):>17.0f}",
                    flush=True,
                )
    server.shutdown()
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for label in ("first crawl", "re-crawl"):
            per_small = results[small][label]["seconds"] / small
            per_large = results[large][label]["seconds"] / large
            print(f"per-board cost at {large} / at {small}, {label}: {per_large / per_small:.2f} (goal <= 1.2)")


if __name__ == "__main__":
    main()
