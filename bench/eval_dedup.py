"""Pair precision and recall of ``pipeline.dedup.match`` on the hand-labelled pairs, per split.

    python bench/eval_dedup.py [--corpus ../shared/corpus] [--show-errors]

The pairs (tests/data/dedup_pairs.tsv) name corpus postings by reference; each is normalized by the real
mappers and fingerprinted, and a pair is predicted "same opening" when :func:`pipeline.dedup.match` accepts it —
the same decision ``storage.ingest.upsert_batch`` applies to its indexed candidates.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

PAIRS = REPO / "tests" / "data" / "dedup_pairs.tsv"


def read_pairs(path: Path = PAIRS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def fingerprints(refs: set[str], corpus: Path) -> dict[str, object]:
    """ref -> Fingerprint; ATS boards are keyed by company so two captures of one board are one board."""
    from corpus_postings import iter_items

    from pipeline.dedup import company_key, fingerprint
    from pipeline.normalize import normalize

    wanted = {ref.split("#", 1)[0] for ref in refs}
    out = {}
    for item in iter_items(corpus):
        if item.ref not in refs or item.ref.split("#", 1)[0] not in wanted:
            continue
        posting = normalize(
            {
                "source": item.source,
                "board": item.board,
                "external_id": item.external_id,
                "url": item.url,
                "payload": item.payload,
            }
        )
        if posting.source in ("greenhouse", "lever", "ashby"):
            posting.board = ats_board(posting.url) or company_key(posting.company) or posting.board
        out[item.ref] = fingerprint(posting)
    return out


def ats_board(url: str | None) -> str | None:
    """The board token in an ATS job URL (boards.greenhouse.io/<token>/..., jobs.ashbyhq.com/<board>/...)."""
    from urllib.parse import urlsplit

    if not url:
        return None
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if segments and any(h in (parts.hostname or "") for h in ("greenhouse.io", "ashbyhq.com", "lever.co")):
        return segments[0].lower()
    return None


def evaluate(corpus: Path, show_errors: bool = False) -> dict[str, dict[str, float]]:
    from pipeline.dedup import match

    pairs = read_pairs()
    fps = fingerprints({p["a_ref"] for p in pairs} | {p["b_ref"] for p in pairs}, corpus)
    results: dict[str, dict[str, float]] = {}
    for split in ("train", "test", "all"):
        tp = fp = fn = tn = missing = 0
        for pair in pairs:
            if split != "all" and pair["split"] != split:
                continue
            a, b = fps.get(pair["a_ref"]), fps.get(pair["b_ref"])
            if a is None or b is None:
                missing += 1
                continue
            predicted = match(a, b) is not None
            truth = pair["label"] == "1"
            tp += predicted and truth
            fp += predicted and not truth
            fn += truth and not predicted
            tn += not predicted and not truth
            if show_errors and predicted != truth and split == "all":
                print(
                    f"  {'FP' if predicted else 'FN'} {pair['kind']}: {pair['a_title']!r} | {pair['b_title']!r}"
                    f"  ({pair['a_ref']} | {pair['b_ref']})"
                )
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        results[split] = {
            "pairs": tp + fp + fn + tn,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "missing": missing,
            "precision": precision,
            "recall": recall,
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    results = evaluate(args.corpus, args.show_errors)
    print(f"{'split':<6} {'pairs':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'tn':>4} {'precision':>10} {'recall':>8}")
    for split, r in results.items():
        print(
            f"{split:<6} {r['pairs']:>5} {r['tp']:>4} {r['fp']:>4} {r['fn']:>4} {r['tn']:>4} "
            f"{r['precision']:>10.3f} {r['recall']:>8.3f}"
            + (f"  ({r['missing']} unreadable)" if r["missing"] else "")
        )


if __name__ == "__main__":
    main()
