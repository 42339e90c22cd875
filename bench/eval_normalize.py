"""Every normalization quality figure of issue 4, from one run.

    python -m bench.eval_normalize CORPUS_DIR

- pay: ``bench.eval_pay.evaluate`` (LinkedIn dev set: exact match and false positives, ours and python-jobspy
  1.4.1's ``LinkedIn._guess_salary`` on the same rows; Australian pay strings), and
  ``bench.eval_pay_strings.evaluate`` (the hand-labelled multilingual pay strings of tests/data/
  pay_strings_labels.tsv, dev and test splits, ours and jobspy; price strings in many currencies);
- skills: ``bench.eval_skills.evaluate`` (SkillSpan tech postings: recall on employer tags named in the text,
  precision against expert-annotated spans, per split);
- issue 19's table: ``bench.eval_fields.evaluate`` (tag recall on untuned feeds, precision against hand labels,
  experience/seniority/technology cases in several languages, HN first lines; dev and test splits);
- coverage: over the real corpus postings (``bench.corpus``), the share of postings per source for which each
  normalized field is known (pay, workplace, seniority, experience, education, employment type, a location with a
  country, at least one skill). Coverage is not accuracy: it shows where a parser finds nothing.

Install the figures' extra with ``pip install -e .[bench]`` (python-jobspy 1.4.1); without it the jobspy column
reads "jobspy not installed".
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bench import eval_fields, eval_pay, eval_pay_strings, eval_skills
from bench.corpus import load_corpus
from pipeline.model import Posting
from pipeline.normalize import normalize

COVERAGE_FIELDS: dict[str, Any] = {
    "pay": lambda p: p.pay is not None,
    "workplace": lambda p: p.workplace is not None,
    "seniority": lambda p: p.seniority is not None,
    "experience": lambda p: p.experience_years_min is not None or p.experience_years_max is not None,
    "education": lambda p: p.education is not None,
    "employment": lambda p: p.employment_type is not None,
    "loc+country": lambda p: any(loc.country for loc in p.locations),
    "skills>=1": lambda p: bool(p.skills),
}


def coverage(corpus_dir: Path) -> dict[str, Any]:
    """``{"sources": {source: {"n": n, field: share}}, "all": {...}, "skipped": {...}, "failed": {...}}``."""
    corpus = load_corpus(corpus_dir)
    postings: dict[str, list[Posting]] = {}
    failed: dict[str, int] = {}
    for raw in corpus.postings:
        try:
            postings.setdefault(raw["source"], []).append(normalize(raw))
        except Exception:  # counted, not hidden: a mapper being written elsewhere may still refuse a payload
            failed[raw["source"]] = failed.get(raw["source"], 0) + 1

    def shares(items: list[Posting]) -> dict[str, Any]:
        n = len(items)
        return {"n": n, **{k: (sum(1 for p in items if f(p)) / n if n else 0.0) for k, f in COVERAGE_FIELDS.items()}}

    everything = [p for items in postings.values() for p in items]
    return {
        "sources": {s: shares(items) for s, items in postings.items()},
        "all": shares(everything),
        "skipped": corpus.skipped,
        "failed": failed,
    }


def format_coverage(cov: dict[str, Any]) -> str:
    names = list(COVERAGE_FIELDS)
    lines = [f"{'source':<16}{'n':>6}" + "".join(f"{k:>13}" for k in names), "-" * (22 + 13 * len(names))]
    for source, row in [*cov["sources"].items(), ("all", cov["all"])]:
        lines.append(f"{source:<16}{row['n']:>6}" + "".join(f"{100 * row[k]:>12.1f}%" for k in names))
    for source, why in cov["skipped"].items():
        lines.append(f"skipped {source}: {why}")
    for source, count in cov["failed"].items():
        lines.append(f"{source}: {count} postings failed to normalize")
    return "\n".join(lines)


def evaluate(corpus_dir: Path) -> dict[str, Any]:
    corpus_dir = Path(corpus_dir)
    skills = eval_skills.evaluate(corpus_dir)
    return {
        "pay": eval_pay.evaluate(corpus_dir),
        "pay_strings": eval_pay_strings.evaluate(corpus_dir),
        "skills": skills,
        "fields": eval_fields.evaluate(corpus_dir, skillspan=skills),
        "coverage": coverage(corpus_dir),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    args = parser.parse_args(argv)
    if not (args.corpus / "eval").is_dir():
        print(f"no eval/ under {args.corpus}", file=sys.stderr)
        return 2
    figures = evaluate(args.corpus)
    print("== pay (eval/pay_linkedin_dev.jsonl, eval/pay_strings_au.jsonl)")
    if not figures["pay"]["jobspy_installed"]:
        print("jobspy not installed (pip install -e .[bench])")
    print(eval_pay.format_table(figures["pay"]))
    print("\n== pay strings, multilingual, dev and test (tests/data/pay_strings_labels.tsv, read from the corpus)")
    if figures["pay_strings"] is None:
        print(f"no sources/ under {args.corpus}")
    else:
        print(eval_pay_strings.format_table(figures["pay_strings"]))
    print("\n== skills (eval/skills_skillspan_tech_{dev,train}.jsonl)")
    eval_skills.print_report(figures["skills"])
    print("\n== issue 19: skills, experience, seniority on the hand-labelled dev/test splits (bench.eval_fields)")
    print("\n".join(eval_fields.table(figures["fields"])))
    print("\n== coverage of normalized fields over the real corpus postings (share of postings with a value)")
    print(format_coverage(figures["coverage"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
