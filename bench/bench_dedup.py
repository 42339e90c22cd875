"""Dedup at scale: store N realistic postings (perturbed copies of real corpus postings) through upsert_batch.

    python bench/bench_dedup.py [--sizes 10000,100000] [--corpus ../shared/corpus]

Each size runs in a fresh process and a fresh SQLite file. The postings: every real corpus posting is the seed of
a company (its name suffixed, so companies stay realistic in size); each generated posting is either a new job
(reworded title and text) or a copy of an earlier one from another source (trimmed text, tracking URL, company
"Inc." dropped), so the dedup layers do real work. Prints time and peak memory per posting for each size, and the
per-posting time ratio of the largest size to the smallest (goal: within 1.5x).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

SYNONYMS = {
    "build": "create",
    "design": "architect",
    "services": "systems",
    "team": "group",
    "you": "you'll",
    "experience": "background",
    "strong": "solid",
    "work": "collaborate",
}
AGGREGATORS = ["remoteok", "remotive", "weworkremotely", "arbeitnow"]


def generate(seeds: list, n: int, rng: random.Random):
    """Yield n postings: ~70% new jobs, ~30% copies of an earlier generated job on an aggregator."""
    from collections import deque

    from pipeline.model import Posting

    made: deque[Posting] = deque(maxlen=5000)  # copies come from the recent past; bounded, like a real feed
    for i in range(n):
        if made and rng.random() < 0.3:
            orig = made[rng.randrange(len(made))]
            words = orig.description_text.split()
            cut = words[: max(40, int(len(words) * rng.uniform(0.3, 0.8)))]
            src = rng.choice(AGGREGATORS)
            yield Posting(
                title=orig.title,
                source=src,
                board=src,
                external_id=f"{src}-{i}",
                company=(orig.company or "").replace(", Inc.", ""),
                url=f"https://{src}.example/jobs/{i}?utm_source=feed&ref=rss",
                locations=list(orig.locations),
                description_text="Apply now. " + " ".join(cut),
            )
            continue
        seed = seeds[i % len(seeds)]
        company = f"{seed.company or seed.board} {i % 1500}, Inc."
        words = [SYNONYMS.get(w, w) if rng.random() < 0.1 else w for w in seed.description_text.split()]
        rng.shuffle(words[:20])
        p = Posting(
            title=f"{seed.title} {rng.choice(['I', 'II', 'III', 'Lead'])} {i}",
            source="greenhouse",
            board=f"b{i % 1500}",
            external_id=str(i),
            company=company,
            url=f"https://boards.greenhouse.io/b{i % 1500}/jobs/{i}",
            locations=list(seed.locations),
            description_text=" ".join(words),
            requisition_id=f"R-{i}",
        )
        made.append(p)
        yield p


def run_size(n: int, corpus: Path) -> dict:
    from corpus_postings import load_postings

    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch

    seeds = [p for p in load_postings(corpus).values() if len(p.description_text) > 300]
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        _, Session = open_database(f"sqlite:///{tmp}/dedup.db")
        base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        batch, merged, new = [], 0, 0
        started = time.perf_counter()
        from datetime import UTC, datetime

        now = datetime.now(UTC)
        for posting in generate(seeds, n, rng):
            batch.append(Sighting(posting=posting, payload={"id": posting.external_id}, fetched_at=now))
            if len(batch) == 500:
                with Session.begin() as s:
                    r = upsert_batch(s, batch)
                merged, new, batch = merged + r.merged, new + r.new, []
        if batch:
            with Session.begin() as s:
                r = upsert_batch(s, batch)
            merged, new = merged + r.merged, new + r.new
        elapsed = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_rss
    return {"n": n, "seconds": elapsed, "new": new, "merged": merged, "peak_kb": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_size(args.one, args.corpus)))
        return
    rows = []
    for n in (int(x) for x in args.sizes.split(",")):
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n), "--corpus", str(args.corpus)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    head = f"{'postings':>9} {'seconds':>8} {'ms/posting':>11} {'peak MB':>8} {'KB/posting':>11}"
    print(f"{head} {'new':>7} {'linked':>7}")
    for r in rows:
        print(
            f"{r['n']:>9} {r['seconds']:>8.1f} {1000 * r['seconds'] / r['n']:>11.3f} {r['peak_kb'] / 1024:>8.1f} "
            f"{r['peak_kb'] / r['n']:>11.3f} {r['new']:>7} {r['merged']:>7}"
        )
    if len(rows) > 1:
        small, large = rows[0], rows[-1]
        ratio = (large["seconds"] / large["n"]) / (small["seconds"] / small["n"])
        print(f"per-posting time, {large['n']} vs {small['n']}: {ratio:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
