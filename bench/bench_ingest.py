"""Ingest throughput: crawl a Greenhouse-format board built from real corpus postings, pipelines on and off.

    python bench/bench_ingest.py [--postings 2000] [--corpus ../shared/corpus]

The board replicates the corpus's Greenhouse postings (with content) under new ids and perturbed titles, and is
served by the local test server (tests/http_server.FixtureServer). The time of a crawl is the run's own
(crawl_runs.started_at -> finished_at), so process start-up is excluded. Measured, in one run:

- "off": ``-s ITEM_PIPELINES={}`` (fetch + parse + items only), the second of two crawls;
- "first crawl": the pipelines on, into an empty database (every posting new: normalize + dedup + insert);
- "re-crawl": the pipelines on, the same board again (the everyday scheduled crawl): unchanged payloads already
  normalized by this normalizer only move ``last_seen_at`` (crawler.pipelines.KnownPayloadPipeline);
- "re-crawl, no skip": the same with ``JOBSCOUT_SKIP_UNCHANGED=False`` (every posting normalized and compared).

Goal: the pipelines cost less than half of the crawl's throughput (on/off >= 0.5).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

LEVELS = ["", "Senior ", "Staff ", "Principal ", "Lead "]
TEAMS = ["Payments", "Platform", "Search", "Identity", "Billing", "Data", "Growth", "Core", "Infra", "Risk"]


def greenhouse_jobs(corpus: Path) -> list[dict]:
    """The corpus's real Greenhouse postings that have a title and content (the benchmarks' material)."""
    jobs = []
    for path in sorted((corpus / "sources" / "greenhouse").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        for job in data.get("jobs", []) if isinstance(data, dict) else []:
            if isinstance(job, dict) and job.get("content") and job.get("title"):
                jobs.append(job)
    if not jobs:
        raise SystemExit(f"no Greenhouse postings with content under {corpus}/sources/greenhouse")
    return jobs


def build_board(corpus: Path, n: int, seed: int = 5) -> dict:
    jobs = greenhouse_jobs(corpus)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        base = dict(jobs[i % len(jobs)])
        base["id"] = 9_000_000 + i
        base["title"] = f"{rng.choice(LEVELS)}{base['title']}, {rng.choice(TEAMS)} {i}"
        base["absolute_url"] = f"https://boards.greenhouse.io/bench/jobs/{base['id']}"
        base["requisition_id"] = f"B-{i}"
        out.append(base)
    return {"jobs": out, "meta": {"total": n}}


def measure(server_url: str, home: Path, db_url: str, *settings: str) -> float:
    from sqlalchemy import select

    from storage import models
    from storage.db import open_database
    from tests.crawling import crawl

    extra = [arg for setting in settings for arg in ("-s", setting)]
    result = crawl("greenhouse", "--boards", "bench", *extra, home=home, db_url=db_url, base_url=server_url)
    if result.returncode != 0:
        raise SystemExit(result.stderr[-2000:])
    import os
    if os.environ.get("BENCH_DEBUG"):
        print(result.stderr[-6000:])
    _, Session = open_database(db_url)
    with Session() as s:
        run = s.scalars(select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(1)).one()
        return (run.finished_at - run.started_at).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postings", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    args = parser.parse_args()
    from tests.http_server import FixtureServer

    body = json.dumps(build_board(args.corpus, args.postings)).encode()
    results = {}
    with FixtureServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.add("/v1/boards/bench/jobs", body)
        for label in ("off", "on"):
            home = Path(tmp) / label
            home.mkdir()
            db_url = f"sqlite:///{home / 'bench.db'}"
            if label == "off":
                measure(server.url, home, db_url, "ITEM_PIPELINES={}")  # warm-up
                results["off"] = measure(server.url, home, db_url, "ITEM_PIPELINES={}")
                continue
            results["first crawl"] = measure(server.url, home, db_url)
            results["re-crawl"] = measure(server.url, home, db_url)
            results["re-crawl, no skip"] = measure(server.url, home, db_url, "JOBSCOUT_SKIP_UNCHANGED=False")
    n = args.postings
    print(f"board: {n} postings ({len(body) / 1e6:.1f} MB), Greenhouse format, local server")
    print(f"{'crawl':<34}{'seconds':>8}{'postings/s':>12}{'on/off':>8}")
    for label, seconds in results.items():
        ratio = results["off"] / seconds
        name = "pipelines off" if label == "off" else f"pipelines on, {label}"
        print(f"{name:<34}{seconds:>8.2f}{n / seconds:>12.0f}{ratio:>8.2f}")
    print("goal: on/off >= 0.50 (the pipelines cost less than half of the crawl's throughput)")
    split(json.loads(body)["jobs"])


def split(jobs: list[dict]) -> None:
    """Where the pipelines' time goes, in-process on the same board: normalize vs fingerprint + dedup + store."""
    import time
    from datetime import UTC, datetime

    from pipeline.normalize import normalize
    from storage.db import dispose_all, open_database
    from storage.ingest import Sighting, upsert_batch

    started = time.perf_counter()
    postings = [
        normalize({"source": "greenhouse", "board": "bench", "external_id": str(j["id"]), "url": None, "payload": j})
        for j in jobs
    ]
    normalize_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as tmp:
        _, Session = open_database(f"sqlite:///{tmp}/split.db")
        now = datetime.now(UTC)
        started = time.perf_counter()
        for i in range(0, len(jobs), 200):
            with Session.begin() as s:
                upsert_batch(
                    s, [Sighting(p, j, now) for p, j in zip(postings[i : i + 200], jobs[i : i + 200], strict=True)]
                )
        store_s = time.perf_counter() - started
        dispose_all()
    n = len(jobs)
    print(
        f"in-process split: normalize {1000 * normalize_s / n:.2f} ms/posting, "
        f"fingerprint + dedup + store {1000 * store_s / n:.2f} ms/posting"
    )


if __name__ == "__main__":
    main()
