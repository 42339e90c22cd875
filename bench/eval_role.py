"""Precision/recall of the backend-role filter on the hand-labelled set (tests/data/role_labels.tsv).

    python -m bench.eval_role            # train, test, Greenhouse-only figures + misclassified test rows
    python -m bench.eval_role --all      # also list misclassified train rows

The labels were committed before the filter was written; tune on train rows only and read test rows last.
"""

from __future__ import annotations

import argparse
import csv
from dataclasses import dataclass
from pathlib import Path

from pipeline.role import classify_role

LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "role_labels.tsv"


@dataclass(frozen=True)
class Row:
    split: str
    is_backend: bool
    title: str
    source_file: str
    external_id: str
    note: str
    description: str


def load_labels(path: Path = LABELS) -> list[Row]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Row(
                split=r["split"],
                is_backend=r["is_backend"] == "1",
                title=r["title"],
                source_file=r["source_file"],
                external_id=r["external_id"],
                note=r["note"],
                description=r["description"] or "",
            )
            for r in reader
        ]


@dataclass(frozen=True)
class Score:
    n: int
    positives: int
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def line(self, name: str) -> str:
        return (
            f"{name:<18} n={self.n:<4} positives={self.positives:<4} tp={self.tp:<4} fp={self.fp:<3} fn={self.fn:<3} "
            f"precision={self.precision:.3f} recall={self.recall:.3f}"
        )


def score(rows: list[Row]) -> tuple[Score, list[tuple[Row, bool, str]]]:
    tp = fp = fn = 0
    wrong = []
    for row in rows:
        predicted, reason = classify_role(row.title, row.description)
        if predicted and row.is_backend:
            tp += 1
        elif predicted:
            fp += 1
        elif row.is_backend:
            fn += 1
        if predicted != row.is_backend:
            wrong.append((row, predicted, reason))
    return Score(len(rows), sum(r.is_backend for r in rows), tp, fp, fn), wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="also list misclassified train rows")
    args = parser.parse_args(argv)
    rows = load_labels()
    subsets = {
        "train": [r for r in rows if r.split == "train"],
        "test": [r for r in rows if r.split == "test"],
        "greenhouse (all)": [r for r in rows if r.source_file.startswith("greenhouse/")],
        "greenhouse (test)": [r for r in rows if r.source_file.startswith("greenhouse/") and r.split == "test"],
        "all": rows,
    }
    wrong_by = {}
    for name, subset in subsets.items():
        result, wrong = score(subset)
        wrong_by[name] = wrong
        print(result.line(name))
    for name in ("test", "train") if args.all else ("test",):
        print(f"\nmisclassified {name} rows ({len(wrong_by[name])}):")
        for row, predicted, reason in wrong_by[name]:
            label = "FP" if predicted else "FN"
            print(f"  {label}  {row.title!r}  -> {reason}   [label note: {row.note}]")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
