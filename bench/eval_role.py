"""Precision/recall of the backend-role filter on its two hand-labelled sets.

    python -m bench.eval_role            # dev (train/test) and held-out figures + misclassified test rows
    python -m bench.eval_role --all      # also list misclassified train and held-out rows
    python -m bench.eval_role --corpus PATH   # the shared corpus elsewhere (default: JOBSCOUT_CORPUS or
                                              # ../shared/corpus beside the checkout)
    python -m bench.eval_role --seal 7        # leave held-out batch 7 unscored (kept sealed while tuning)

- dev: ``tests/data/role_labels.tsv``, titles with a short paraphrase of the description (needs no corpus),
  split train/test; the labels were committed before the filter was written.
- held-out: ``tests/data/role_heldout.tsv``, corpus postings named by path and id only, read from the corpus
  through ``bench.role_postings`` (title and full description as ``jobscout normalize`` sees them); labelled
  before the filter ran on them, in batches (see docs/role-policy.md for which batch was unseen for which round).
  Never tune on it; it is skipped, with the reason printed, when the corpus is absent.
"""

from __future__ import annotations

import argparse
import csv
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.role import classify_role

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "data" / "role_labels.tsv"
HELDOUT = REPO / "tests" / "data" / "role_heldout.tsv"


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


def default_corpus() -> Path:
    return Path(os.environ.get("JOBSCOUT_CORPUS") or REPO.parent / "shared" / "corpus")


def load_heldout(corpus: Path, path: Path = HELDOUT) -> list[Row]:
    """The held-out rows with their title and description read from ``corpus``; raises ``FileNotFoundError``
    when the corpus is absent and ``KeyError`` naming the first labelled posting the corpus no longer holds."""
    from bench.role_postings import corpus_postings

    if not (corpus / "sources").is_dir():
        raise FileNotFoundError(f"corpus not found at {corpus} (set JOBSCOUT_CORPUS or pass --corpus)")
    postings = corpus_postings(corpus)
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            ref = f"{r['source_file']}#{r['external_id']}"
            posting = postings.get(ref)
            if posting is None:
                raise KeyError(f"labelled posting not in the corpus: {ref}")
            rows.append(
                Row(
                    f"batch {r['batch']}",
                    r["is_backend"] == "1",
                    posting.title,
                    r["source_file"],
                    r["external_id"],
                    r["note"],
                    posting.text,
                )
            )
    return rows


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
            f"{name:<24} n={self.n:<4} positives={self.positives:<4} tp={self.tp:<4} fp={self.fp:<3} fn={self.fn:<3} "
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
    parser.add_argument("--all", action="store_true", help="also list misclassified train and held-out rows")
    parser.add_argument("--corpus", type=Path, default=None, help="the shared corpus (for the held-out split)")
    parser.add_argument(
        "--seal",
        action="append",
        default=[],
        metavar="BATCH",
        help="leave this held-out batch unscored (a batch kept unseen until the fixes are done; repeatable)",
    )
    args = parser.parse_args(argv)
    rows = load_labels()
    subsets = {
        "dev train": [r for r in rows if r.split == "train"],
        "dev test": [r for r in rows if r.split == "test"],
        "dev greenhouse": [r for r in rows if r.source_file.startswith("greenhouse/")],
        "dev greenhouse/test": [r for r in rows if r.source_file.startswith("greenhouse/") and r.split == "test"],
        "dev all": rows,
    }
    try:
        heldout = load_heldout(args.corpus or default_corpus())
    except FileNotFoundError as exc:
        print(f"held-out split skipped: {exc}")
    else:
        sealed = {f"batch {b}" for b in args.seal}
        if sealed:
            print(f"held-out sealed (not scored): {', '.join(sorted(sealed))}")
        heldout = [r for r in heldout if r.split not in sealed]
        subsets["held-out"] = heldout
        for batch in sorted({r.split for r in heldout}):
            subsets[f"held-out {batch}"] = [r for r in heldout if r.split == batch]
        for kind in sorted({_kind(r.source_file) for r in heldout}):
            subsets[f"held-out {kind}"] = [r for r in heldout if _kind(r.source_file) == kind]
    wrong_by = {}
    for name, subset in subsets.items():
        result, wrong = score(subset)
        wrong_by[name] = wrong
        print(result.line(name))
    shown = ("dev test", "dev train", "held-out") if args.all else ("dev test",)
    for name in (n for n in shown if n in wrong_by):
        print(f"\nmisclassified {name} rows ({len(wrong_by[name])}):")
        for row, predicted, reason in wrong_by[name]:
            label = "FP" if predicted else "FN"
            print(f"  {label}  {row.title!r}  -> {reason}   [label note: {row.note}]")
    return 0


def _kind(source_file: str) -> str:
    """The source kind a held-out posting is reported under (its corpus folder; other/ by platform)."""
    folder, _, name = source_file.partition("/")
    if folder == "other":
        return next(
            (p for p in ("himalayas", "jobicy", "themuse", "workday", "workable", "smartrecruiters") if p in name),
            folder,
        )
    if folder == "datasets":
        return (
            "linkedin-csv"
            if name.startswith("parishinde_")
            else "remotive"
            if name.startswith("Snoopy")
            else "datasets"
        )
    if folder == "..":  # the SkillSpan ads sit beside sources/ ("../eval/skills_skillspan_tech_train.jsonl")
        return "skillspan" if "skillspan" in name else "eval"
    return "wwr" if folder == "rss" else folder


if __name__ == "__main__":
    raise SystemExit(main())
