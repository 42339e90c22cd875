"""Quality of ``pipeline.pay`` against the externally labelled sets in the shared corpus.

    python -m bench.eval_pay /path/to/shared/corpus

or ``evaluate(corpus_dir) -> dict`` (``bench/eval_normalize.py`` calls it). Figures:

- ``eval/pay_linkedin_dev.jsonl`` (LinkedIn's structured pay for US postings):
  * exact: on the ``label_nums_in_text`` rows, the primary range's min, max, period and currency all equal the
    label (min == max for a single figure; period HOURLY/DAILY/WEEKLY/MONTHLY/YEARLY -> hour/day/week/month/year;
    BIWEEKLY has no equivalent and never matches);
  * any_exact: the same, but any returned range may match (shows what the primary-range rule costs);
  * false positives: share of rows where pay is found among rows that (a) are not ``label_nums_in_text`` and
    (b) hold no currency amount: no currency symbol ($ € £ ¥ ₹ ₩ ₪ ₽ ₺ ₱ and ``CA$``-style prefixes) or upper-case
    ISO 4217 code within one space (and an optional "~") of a digit, on either side (``_CURRENCY_AMOUNT``).
  * the same exact/false-positive figures for python-jobspy 1.4.1's description extractor
    ``jobspy.linkedin.LinkedIn._guess_salary`` when it is installed ("jobspy not installed" otherwise).
- ``eval/pay_strings_au.jsonl`` (Australian salary-field strings, parsed with ``pay_field=True``): a row is right
  when a label without amounts gives no range, and otherwise the primary range has the labelled min and max (a
  label with only ``min`` is a single stated figure: ours must be that one figure — min == max, "from X" or "up to
  X") and, where the label names a unit, the same period.
- ``eval/money_strings_price_parser.jsonl``: ``parse_money`` amount equal to the labelled amount (price strings
  are not pay; reported for the number layer only; ``parse_money`` takes price-parser's amount, which measured
  better on these strings than our scanner: bench/compare_money.py).
- real postings (``sources/``, no labels needed): on every distinct posting whose source sends structured pay
  (Ashby compensation, Greenhouse/Lever/SmartRecruiters pay fields, Remote OK salary, JSON-LD baseSalary) and
  whose description states pay (the text parser, or jobspy, returns a range), the text's primary range equals
  the structured one (min, max, period, currency). The employer typed both, so a difference is either our error
  or the employer's two figures disagreeing; ``--misses`` lists them for reading.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.model import PayRange
from pipeline.pay import parse_money, parse_pay

_PERIODS = {"HOURLY": "hour", "DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_JOBSPY_PERIODS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year"}
_CODES = "USD|EUR|GBP|CAD|AUD|NZD|CHF|SEK|NOK|DKK|PLN|CZK|HUF|JPY|CNY|INR|SGD|HKD|KRW|BRL|MXN|ZAR|ILS|AED|TRY|RUB|PHP"
_CURRENCY_AMOUNT = re.compile(
    rf"(?:[$€£¥₹₩₪₽₺₱] ?~? ?\d|\d[\d,.'’]* ?(?:[€£₹]|\b(?:{_CODES})\b)|\b(?:{_CODES}) ?\$? ?\d)"
)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) < 0.005


def _load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _matches_linkedin(pr: tuple[float | None, float | None, str | None, str | None], row: dict[str, Any]) -> bool:
    lo, hi, period, currency = pr
    return (
        _close(lo, row["gold_min"])
        and _close(hi, row["gold_max"])
        and period == _PERIODS.get(row["gold_period"])
        and currency == row["gold_currency"]
    )


def _as_tuple(pr: PayRange) -> tuple[float | None, float | None, str | None, str | None]:
    return pr.min, pr.max, pr.period, pr.currency


def _jobspy_extractor() -> Callable[[str], tuple | None] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from jobspy.linkedin import LinkedIn  # python-jobspy 1.4.1
    except ImportError:
        return None

    def extract(text: str) -> tuple | None:
        comp = LinkedIn._guess_salary(text)
        if comp.min_amount is None and comp.max_amount is None:
            return None
        interval = comp.interval.value if comp.interval is not None else None
        return comp.min_amount, comp.max_amount, _JOBSPY_PERIODS.get(interval), comp.currency

    return extract


def _linkedin(rows: list[dict[str, Any]], extract: Callable[[str], list[tuple]]) -> dict[str, Any]:
    labelled = [r for r in rows if r["label_nums_in_text"]]
    negatives = [r for r in rows if not r["label_nums_in_text"] and not _CURRENCY_AMOUNT.search(r["description"])]
    exact = any_exact = 0
    misses = []
    for r in labelled:
        found = extract(r["description"])
        if found and _matches_linkedin(found[0], r):
            exact += 1
        else:
            misses.append(
                (r["job_id"], found[0] if found else None, (r["gold_min"], r["gold_max"], r["gold_period"]))
            )
        if any(_matches_linkedin(f, r) for f in found):
            any_exact += 1
    fp = sum(1 for r in negatives if extract(r["description"]))
    return {
        "n_labelled": len(labelled),
        "exact": exact,
        "exact_rate": exact / len(labelled) if labelled else 0.0,
        "any_exact": any_exact,
        "any_exact_rate": any_exact / len(labelled) if labelled else 0.0,
        "n_no_currency": len(negatives),
        "false_positives": fp,
        "fp_rate": fp / len(negatives) if negatives else 0.0,
        "misses": misses,
    }


def _au(rows: list[dict[str, Any]]) -> dict[str, Any]:
    right = 0
    misses = []
    for r in rows:
        found = parse_pay(r["text"], pay_field=True)
        if r["min"] is None and r["max"] is None:
            ok = not found
        elif not found:
            ok = False
        else:
            p = found[0]
            if r["max"] is None:
                value = p.min if p.min is not None else p.max
                ok = _close(value, r["min"]) and (p.min is None or p.max is None or _close(p.min, p.max))
            else:
                ok = _close(p.min, r["min"]) and _close(p.max, r["max"])
            ok = ok and (r["unit"] is None or p.period == r["unit"])
        right += ok
        if not ok:
            misses.append((r["text"], _as_tuple(found[0]) if found else None))
    return {"n": len(rows), "exact": right, "exact_rate": right / len(rows) if rows else 0.0, "misses": misses}


def _money(rows: list[dict[str, Any]]) -> dict[str, Any]:
    right = 0
    for r in rows:
        amount, _ = parse_money(r["price_raw"] or "")
        want = float(r["amount"]) if r["amount"] is not None else None
        right += _close(amount, want)
    return {"n": len(rows), "exact": right, "exact_rate": right / len(rows) if rows else 0.0}


def _structured_pairs(corpus_dir: Path) -> list[tuple[str, str, str, tuple]] | None:
    """(source, external id, description text, structured primary range) for every distinct corpus posting whose
    source sends structured pay; None without the corpus's ``sources/``."""
    from bench.corpus import load_corpus
    from pipeline.pay import primary_pay
    from pipeline.sources import get_mapper
    from pipeline.text import html_to_text

    if not (corpus_dir / "sources").is_dir():
        return None
    seen: set[tuple] = set()
    pairs = []
    for raw in load_corpus(corpus_dir).postings:
        fields = get_mapper(raw["source"])(raw["payload"], raw["board"])
        if not fields.pay:
            continue
        text = fields.description_text or html_to_text(fields.description_html)
        structured = primary_pay(list(fields.pay))
        if not text or structured is None or (text, _as_tuple(structured)) in seen:
            continue
        seen.add((text, _as_tuple(structured)))
        pairs.append((raw["source"], raw["external_id"], text, _as_tuple(structured)))
    return pairs


def _structured_agreement(
    pairs: list[tuple[str, str, str, tuple]] | None, extract: Callable[[str], list[tuple]]
) -> dict[str, Any] | None:
    if pairs is None:
        return None
    stated = agree = 0
    misses = []
    for source, external_id, text, structured in pairs:
        found = extract(text)
        if not found:
            continue
        stated += 1
        ours = found[0]
        if all(_close(a, b) for a, b in zip(ours[:2], structured[:2], strict=True)) and ours[2:] == structured[2:]:
            agree += 1
        else:
            misses.append((source, external_id, ours, structured))
    return {"n": stated, "agree": agree, "agree_rate": agree / stated if stated else 0.0, "misses": misses}


def evaluate(corpus_dir: Path, *, include_jobspy: bool = True) -> dict[str, Any]:
    """All figures as a dict: ``linkedin`` (ours), ``linkedin_jobspy`` (None when jobspy is absent or not asked
    for), ``au``, ``money``. Each holds counts and rates; ``misses`` lists what went wrong, for reading."""
    corpus_dir = Path(corpus_dir)
    eval_dir = corpus_dir / "eval"
    linkedin_rows = _load(eval_dir / "pay_linkedin_dev.jsonl")
    result: dict[str, Any] = {
        "linkedin": _linkedin(linkedin_rows, lambda t: [_as_tuple(p) for p in parse_pay(t)]),
        "linkedin_jobspy": None,
        "jobspy_installed": False,
    }
    pairs = _structured_pairs(corpus_dir)
    result["structured"] = _structured_agreement(pairs, lambda t: [_as_tuple(p) for p in parse_pay(t)])
    result["structured_jobspy"] = None
    if include_jobspy:
        jobspy = _jobspy_extractor()
        if jobspy is not None:
            result["jobspy_installed"] = True
            result["linkedin_jobspy"] = _linkedin(linkedin_rows, lambda t: [f] if (f := jobspy(t)) else [])
            result["structured_jobspy"] = _structured_agreement(pairs, lambda t: [f] if (f := jobspy(t)) else [])
    result["au"] = _au(_load(eval_dir / "pay_strings_au.jsonl"))
    money_path = eval_dir / "money_strings_price_parser.jsonl"
    result["money"] = _money(_load(money_path)) if money_path.exists() else None
    return result


def format_table(result: dict[str, Any]) -> str:
    li, js, au, mo = result["linkedin"], result["linkedin_jobspy"], result["au"], result["money"]

    def pct(x: float) -> str:
        return f"{100 * x:5.1f}%"

    lines = [
        f"{'set / figure':<52} {'jobscout':>18} {'jobspy 1.4.1':>18}",
        "-" * 90,
        f"{'linkedin: exact min,max,period,currency (primary)':<52} "
        f"{pct(li['exact_rate'])} {li['exact']:>4}/{li['n_labelled']:<4}  "
        + (f"{pct(js['exact_rate'])} {js['exact']:>4}/{js['n_labelled']:<4}" if js else "jobspy not installed"),
        f"{'linkedin: exact, any returned range':<52} {pct(li['any_exact_rate'])} {li['any_exact']:>4}/"
        f"{li['n_labelled']:<4}  " + (f"{'(one range only)':>18}" if js else ""),
        f"{'linkedin: false positives, rows w/o currency amount':<52} "
        f"{pct(li['fp_rate'])} {li['false_positives']:>4}/{li['n_no_currency']:<4}  "
        + (f"{pct(js['fp_rate'])} {js['false_positives']:>4}/{js['n_no_currency']:<4}" if js else ""),
        f"{'au strings: exact min,max(,unit); none when none':<52} "
        f"{pct(au['exact_rate'])} {au['exact']:>4}/{au['n']:<4}",
    ]
    if mo:
        lines.append(
            f"{'price strings: parse_money amount':<52} {pct(mo['exact_rate'])} {mo['exact']:>4}/{mo['n']:<4}"
        )
    st, sj = result.get("structured"), result.get("structured_jobspy")
    if st:
        lines.append(
            f"{'real postings: text pay == structured pay':<52} "
            f"{pct(st['agree_rate'])} {st['agree']:>4}/{st['n']:<4}  "
            + (f"{pct(sj['agree_rate'])} {sj['agree']:>4}/{sj['n']:<4}" if sj else "")
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m bench.eval_pay CORPUS_DIR [--misses]", file=sys.stderr)
        return 2
    result = evaluate(Path(argv[0]))
    if not result["jobspy_installed"]:
        print("jobspy not installed")
    print(format_table(result))
    if "--misses" in argv:
        print("\nlinkedin misses (job_id, ours, gold):")
        for miss in result["linkedin"]["misses"]:
            print("  ", miss)
        print("au misses (text, ours):")
        for miss in result["au"]["misses"]:
            print("  ", miss)
        if result.get("structured"):
            print(
                "real postings where the text's pay differs from the structured pay (source, id, text, structured):"
            )
            for miss in result["structured"]["misses"]:
                print("  ", miss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
