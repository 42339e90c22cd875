"""Pay on the hand-labelled multilingual pay strings (tests/data/pay_strings_labels.tsv), per split.

    python -m bench.eval_pay_strings CORPUS_DIR [--misses]

The label file holds no corpus text: each row names a field of a corpus file (``ref``) and a span of its text, and
this module reads the string from the corpus (a row whose text no longer hashes to its ``sha1`` is counted as
stale, not scored). Rows were labelled before the parser ran on them; rules are tuned on ``dev`` only, ``test`` is
reported beside it. Kinds and what is scored:

- ``text`` (a line of a description, ``parse_pay(text)``) and ``field`` (a salary field,
  ``parse_pay(text, pay_field=True)``): a row labelled with pay is right when the primary range has the labelled
  min, max, currency and period (an empty label cell is "not stated": the range must leave it None); a row
  labelled "no pay" is right when no range is found, and a range found there is a false positive;
- ``amount`` (price-parser strings in many currencies and languages): ``parse_money`` gives the labelled amount
  and ISO currency (the number and currency layer on its own).

python-jobspy 1.4.1's ``LinkedIn._guess_salary`` runs on the same text/field rows when installed.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.pay import parse_money, parse_pay
from pipeline.text import html_to_text

LABELS = Path(__file__).resolve().parent.parent / "tests" / "data" / "pay_strings_labels.tsv"

Found = tuple[float | None, float | None, str | None, str | None] | None


def load_labels(path: Path = LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@cache
def _document(path: Path) -> Any:
    raw = path.read_text(encoding="utf-8-sig", errors="replace")
    if path.suffix == ".json":
        return json.loads(raw)
    if path.suffix == ".jsonl":
        return [json.loads(line) if line.strip() else None for line in raw.splitlines()]
    if path.suffix == ".csv":
        csv.field_size_limit(1 << 30)
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
            return list(csv.DictReader(fh))
    return raw  # whole HTML/XML pages


def _field(corpus_dir: Path, ref: str) -> str | None:
    """The string a ``ref`` names: ``file#/json/pointer``, ``file##row/pointer`` (JSON lines, CSV rows) or
    ``file#`` (a whole page)."""
    file_part, _, pointer = ref.partition("#")
    path = corpus_dir / file_part
    if not path.is_file():
        return None
    node: Any = _document(path)
    if file_part.endswith("money_strings_price_parser.jsonl"):  # the eval file: "#line"
        row = node[int(pointer)]
        return row.get("price_raw") if row else None
    parts = pointer.split("/") if pointer else []
    if parts and parts[0].startswith("#"):  # JSON lines / CSV: "#row" then the pointer
        node = node[int(parts[0][1:])]
        parts = parts[1:]
    elif parts and parts[0] == "":
        parts = parts[1:]
    for part in parts:
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node if isinstance(node, str) else None


def resolve(corpus_dir: Path, row: dict[str, str]) -> str | None:
    """The labelled string, or None when the corpus lacks it or it no longer matches its hash."""
    value = _field(Path(corpus_dir), row["ref"])
    if value is None:
        return None
    if row["kind"] != "amount" and ("<" in value or "&" in value):
        value = html_to_text(value)
    start, _, end = row["span"].partition(":")
    text = value[int(start) : int(end)]
    if hashlib.sha1(text.encode()).hexdigest()[:8] != row["sha1"]:
        return None
    return text


def _num(cell: str) -> float | None:
    return float(cell) if cell else None


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.005


def _as_fed(row: dict[str, str], text: str) -> str:
    """The text as the pipeline feeds it to the parser: Remote OK's mapper repairs its mojibake first."""
    if row["ref"].startswith("sources/remoteok/"):
        from pipeline.sources.remoteok import fix_mojibake

        return fix_mojibake(text)
    return text


def _ours(text: str, kind: str) -> Found:
    found = parse_pay(text, pay_field=kind == "field")
    if not found:
        return None
    p = found[0]
    return p.min, p.max, p.currency, p.period


def _right(found: Found, row: dict[str, str]) -> bool:
    if row["pay"] == "no":
        return found is None
    if found is None:
        return False
    lo, hi, currency, period = found
    return (
        _close(lo, _num(row["min"]))
        and _close(hi, _num(row["max"]))
        and (currency or "") == row["currency"]
        and (period or "") == row["period"]
    )


def _score(rows: list[tuple[dict[str, str], str]], extract: Callable[[str, str], Found]) -> dict[str, Any]:
    pay = [(r, t) for r, t in rows if r["pay"] == "yes"]
    neg = [(r, t) for r, t in rows if r["pay"] == "no"]
    right = fp = 0
    misses = []
    for r, t in rows:
        found = extract(t, r["kind"])
        ok = _right(found, r)
        right += ok
        if r["pay"] == "no" and found is not None:
            fp += 1
        if not ok:
            misses.append((r["id"], r["kind"], t, found, r["min"], r["max"], r["currency"], r["period"]))
    n = len(rows)
    return {
        "n": n,
        "n_pay": len(pay),
        "n_no_pay": len(neg),
        "exact": right,
        "exact_rate": right / n if n else 0.0,
        "pay_exact": sum(1 for r, t in pay if _right(extract(t, r["kind"]), r)),
        "false_positives": fp,
        "fp_rate": fp / len(neg) if neg else 0.0,
        "misses": misses,
    }


def _amounts(rows: list[tuple[dict[str, str], str]]) -> dict[str, Any]:
    right = amount_right = 0
    misses = []
    for r, t in rows:
        amount, currency = parse_money(t)
        a_ok = _close(amount, _num(r["min"]))
        amount_right += a_ok
        if a_ok and (currency or "") == r["currency"]:
            right += 1
        else:
            misses.append((r["id"], t, amount, currency, r["min"], r["currency"]))
    n = len(rows)
    return {
        "n": n,
        "exact": right,
        "exact_rate": right / n if n else 0.0,
        "amount_rate": amount_right / n if n else 0.0,
        "misses": misses,
    }


def _jobspy() -> Callable[[str, str], Found] | None:
    from bench.eval_pay import _jobspy_extractor

    extract = _jobspy_extractor()
    if extract is None:
        return None

    def ours_order(text: str, kind: str) -> Found:
        found = extract(text)  # (min, max, period, currency)
        return (found[0], found[1], found[3], found[2]) if found else None

    return ours_order


def evaluate(corpus_dir: Path, *, include_jobspy: bool = True) -> dict[str, Any] | None:
    """``{"dev": {...}, "test": {...}, "stale": n, "languages": [...], "currencies": [...]}``; each split holds
    ``pay`` (text and field rows, ours), ``pay_jobspy`` (or None) and ``amount``. None without the corpus."""
    corpus_dir = Path(corpus_dir)
    if not (corpus_dir / "sources").is_dir():
        return None
    labels = load_labels()
    resolved = []
    stale = 0
    for row in labels:
        text = resolve(corpus_dir, row)
        if text is None:
            stale += 1
        else:
            resolved.append((row, _as_fed(row, text)))
    jobspy = _jobspy() if include_jobspy else None
    result: dict[str, Any] = {
        "stale": stale,
        "languages": sorted({r["lang"] for r, _ in resolved if r["lang"]}),
        "currencies": sorted({r["currency"] for r, _ in resolved if r["currency"]}),
    }
    for split in ("dev", "test"):
        pay_rows = [(r, t) for r, t in resolved if r["split"] == split and r["kind"] in ("text", "field")]
        amount_rows = [(r, t) for r, t in resolved if r["split"] == split and r["kind"] == "amount"]
        result[split] = {
            "pay": _score(pay_rows, _ours),
            "pay_jobspy": _score(pay_rows, jobspy) if jobspy else None,
            "amount": _amounts(amount_rows),
        }
    return result


def format_table(result: dict[str, Any]) -> str:
    def pct(x: float) -> str:
        return f"{100 * x:5.1f}%"

    lines = [
        f"{'pay strings (tests/data/pay_strings_labels.tsv)':<52} {'jobscout':>18} {'jobspy 1.4.1':>18}",
        "-" * 90,
    ]
    for split in ("dev", "test"):
        ours, js, am = result[split]["pay"], result[split]["pay_jobspy"], result[split]["amount"]
        lines += [
            f"{split + ': exact min,max,currency,period; none when none':<52} "
            f"{pct(ours['exact_rate'])} {ours['exact']:>4}/{ours['n']:<4}  "
            + (f"{pct(js['exact_rate'])} {js['exact']:>4}/{js['n']:<4}" if js else "jobspy not installed"),
            f"{split + ': of which rows stating pay':<52} "
            f"{pct(ours['pay_exact'] / ours['n_pay'] if ours['n_pay'] else 0)} "
            f"{ours['pay_exact']:>4}/{ours['n_pay']:<4}  "
            + (
                f"{pct(js['pay_exact'] / js['n_pay'] if js['n_pay'] else 0)} {js['pay_exact']:>4}/{js['n_pay']:<4}"
                if js
                else ""
            ),
            f"{split + ': false positives, rows stating no pay':<52} "
            f"{pct(ours['fp_rate'])} {ours['false_positives']:>4}/{ours['n_no_pay']:<4}  "
            + (f"{pct(js['fp_rate'])} {js['false_positives']:>4}/{js['n_no_pay']:<4}" if js else ""),
            f"{split + ': price strings, amount and ISO currency':<52} "
            f"{pct(am['exact_rate'])} {am['exact']:>4}/{am['n']:<4}  (amount alone {pct(am['amount_rate'])})",
        ]
    lines.append(
        f"labelled strings in {len(result['currencies'])} currencies, languages {', '.join(result['languages'])}"
        + (f"; {result['stale']} rows stale (corpus text changed)" if result["stale"] else "")
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m bench.eval_pay_strings CORPUS_DIR [--misses] [--test]", file=sys.stderr)
        return 2
    result = evaluate(Path(argv[0]))
    if result is None:
        print(f"no sources/ under {argv[0]}", file=sys.stderr)
        return 2
    print(format_table(result))
    if "--misses" in argv:
        # Only dev misses are listed unless asked: the test split is for measuring, not for reading while tuning.
        for split in ("dev", "test") if "--test" in argv else ("dev",):
            print(f"\n{split} pay misses (id, kind, text, ours, label min/max/currency/period):")
            for miss in result[split]["pay"]["misses"]:
                print("  ", miss)
            print(f"{split} price misses (id, text, amount, currency, label amount/currency):")
            for miss in result[split]["amount"]["misses"]:
                print("  ", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
