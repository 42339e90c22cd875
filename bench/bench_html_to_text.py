"""``pipeline.text.html_to_text`` against the version before issue 20's pass (tests/text_reference.py) and lxml's
``text_content()``, on every HTML description of the shared corpus, in one process.

    python -m bench.bench_html_to_text CORPUS_DIR [--rounds N]

Prints how many descriptions each source gives, how many come out identical (all of them, or the new version is
wrong), and per description: CPU time (``time.process_time``) and wall time, the best of ``--rounds`` rounds
(default 5) in which the three run one after the other, so that each ratio is measured under the same load.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import lxml.html

from bench.corpus import load_corpus
from pipeline.sources import get_mapper
from pipeline.text import html_to_text
from tests.text_reference import reference_html_to_text


def descriptions(corpus_dir: Path) -> list[tuple[str, str]]:
    """(source, description HTML) for every corpus posting whose mapper returns HTML, as normalize would get it."""
    out = []
    for raw in load_corpus(corpus_dir).postings:
        fields = get_mapper(raw["source"])(raw["payload"], raw["board"])
        if fields.description_html:
            out.append((raw["source"], fields.description_html))
    return out


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one call of ``fn``, with the GC paused."""
    gc.collect()
    gc.disable()
    try:
        c0, w0 = time.process_time(), time.perf_counter()
        fn()
        return time.process_time() - c0, time.perf_counter() - w0
    finally:
        gc.enable()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    if not (args.corpus / "sources").is_dir():
        print(f"no sources/ under {args.corpus}", file=sys.stderr)
        return 2
    items = descriptions(args.corpus)
    markups = [m for _, m in items]
    counts = Counter(s for s, _ in items)
    same = sum(html_to_text(m) == reference_html_to_text(m) for m in markups)
    print("HTML descriptions: " + ", ".join(f"{s} {n}" for s, n in counts.items()) + f" ({len(markups)})")
    print(f"identical to the previous version: {same} of {len(markups)}")

    runs: dict[str, Callable[[], object]] = {
        "lxml.html.fromstring(d).text_content()": lambda: [lxml.html.fromstring(m).text_content() for m in markups],
        "previous html_to_text (tests/text_reference.py)": lambda: [reference_html_to_text(m) for m in markups],
        "pipeline.text.html_to_text": lambda: [html_to_text(m) for m in markups],
    }
    for fn in runs.values():  # warm-up
        fn()
    best = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            cpu, wall = timed(fn)
            best[name] = (min(best[name][0], cpu), min(best[name][1], wall))
    n = len(markups) / 1e6
    lx_cpu, lx_wall = best["lxml.html.fromstring(d).text_content()"]
    print(f"\n{'us per description, best of ' + str(args.rounds):<50}{'CPU':>8}{'x lxml':>8}{'wall':>8}{'x lxml':>8}")
    for name, (cpu, wall) in best.items():
        print(f"{name:<50}{cpu / n:>8.1f}{cpu / lx_cpu:>8.2f}{wall / n:>8.1f}{wall / lx_wall:>8.2f}")
    return 0 if same == len(markups) else 1


if __name__ == "__main__":
    sys.exit(main())
