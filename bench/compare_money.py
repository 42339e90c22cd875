"""The currency and number layer: ours (``pipeline.pay.parse_money``) against price-parser and Babel.

    python -m bench.compare_money CORPUS_DIR

On price-parser's own labelled strings (``eval/money_strings_price_parser.jsonl``, 1,185 strings; they are
price-parser's test cases, so that library has seen every one of them) and on the pay amounts of the labelled
pay strings (``tests/data/pay_strings_labels.tsv``, the ``amount`` rows: price strings with an ISO currency; and
the first figure of the ``text``/``field`` rows that state a single figure or a range):

- amount: the number read equals the label;
- ISO currency (``amount`` rows only): the currency named, as an ISO 4217 code, equals the label. price-parser
  returns the symbol as written; it is mapped to a code by the same table as ours (``pipeline.money``), so the
  column measures which symbols each one finds.

Babel has no "find the amount in this text" function: ``babel.numbers.parse_decimal`` reads one number written
in one locale. It is given the number our scanner finds and the locale of the labelled currency (EUR: de, CZK:
cs, ... the best case for it; a posting does not name its locale).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

from pipeline.pay import _scan_money, parse_money

# The locale Babel reads a currency's numbers in (its best case: the label tells it).
_LOCALE_OF = {
    "EUR": "de", "GBP": "en_GB", "USD": "en_US", "CZK": "cs", "PLN": "pl", "RUB": "ru", "UAH": "uk", "HUF": "hu",
    "BGN": "bg", "RON": "ro", "DKK": "da", "NOK": "nb", "SEK": "sv", "CHF": "de_CH", "INR": "en_IN", "BRL": "pt_BR",
    "CAD": "en_CA", "AUD": "en_AU", "SGD": "en_SG", "TRY": "tr", "ILS": "he", "AED": "ar", "IDR": "id", "VND": "vi",
    "MYR": "ms", "TWD": "zh_Hant", "JPY": "ja", "NZD": "en_NZ", "MXN": "es_MX",
}  # fmt: skip
_NUMBER = re.compile(r"\d[\d.,'’ \u00a0\u202f]*\d|\d")


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) < 0.005


def _price_parser(text: str) -> tuple[float | None, str | None]:
    from price_parser import Price

    from pipeline.money import currency_code

    p = Price.fromstring(text)
    return (float(p.amount) if p.amount is not None else None), (currency_code(p.currency) if p.currency else None)


def _babel(text: str, currency: str | None) -> float | None:
    from babel.numbers import NumberFormatError, parse_decimal

    m = _NUMBER.search(text)
    if not m:
        return None
    try:
        return float(parse_decimal(m.group(0).strip(), locale=_LOCALE_OF.get(currency or "", "en_US")))
    except (NumberFormatError, ValueError):
        return None


def evaluate(corpus_dir: Path) -> dict[str, Any]:
    from bench.eval_pay_strings import load_labels, resolve

    rows = [json.loads(line) for line in (Path(corpus_dir) / "eval" / "money_strings_price_parser.jsonl").open()]
    engines = {
        "ours": lambda t, c: _scan_money(t),
        "price-parser": lambda t, c: _price_parser(t),
        "adopted": lambda t, c: parse_money(t),
    }
    out: dict[str, Any] = {"price_strings": {}, "amount_rows": {}}
    n = len(rows)
    for name, read in engines.items():
        right = sum(_close(read(r["price_raw"] or "", None)[0], r["amount"]) for r in rows)
        out["price_strings"][name] = (right, n)
    # Babel is told the currency's locale; price-parser's labels name symbols, so only rows whose symbol is one
    # of the ISO-labelled amount rows count for it below; here it gets en_US (price-parser's strings are mostly $
    # and EUR-with-comma).
    right = sum(_close(_babel(r["price_raw"] or "", None), r["amount"]) for r in rows)
    out["price_strings"]["babel (en_US)"] = (right, n)
    labelled = [(r, t) for r in load_labels() if r["kind"] == "amount" and (t := resolve(corpus_dir, r)) is not None]
    for name, read in engines.items():
        amount = both = 0
        for r, t in labelled:
            a, c = read(t, r["currency"])
            amount += _close(a, r["min"])
            both += _close(a, r["min"]) and (c or "") == r["currency"]
        out["amount_rows"][name] = (amount, both, len(labelled))
    amount = sum(_close(_babel(t, r["currency"]), r["min"]) for r, t in labelled)
    out["amount_rows"]["babel (currency's locale)"] = (amount, None, len(labelled))
    # The first figure of the pay strings that state pay (the lower bound, else the upper one): what a pay parser
    # must read before it can join bounds, with "k" multipliers and local separators.
    pay = [
        (r, t)
        for r in load_labels()
        if r["kind"] in ("text", "field") and r["pay"] == "yes" and (t := resolve(corpus_dir, r)) is not None
    ]
    out["pay_first_figure"] = {}
    for name, read in engines.items():
        right = sum(_close(read(t, None)[0], r["min"] or r["max"]) for r, t in pay)
        out["pay_first_figure"][name] = (right, len(pay))
    return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python -m bench.compare_money CORPUS_DIR", file=sys.stderr)
        return 2
    res = evaluate(Path(argv[0]))
    print(
        f"{'engine':<28}{'price strings: amount':>24}{'ISO-labelled: amount':>24}{'amount+currency':>20}"
        f"{'pay strings: 1st figure':>26}"
    )
    for name in ("ours", "price-parser", "babel", "adopted"):
        ps = next((v for k, v in res["price_strings"].items() if k.startswith(name)), None)
        ar = next((v for k, v in res["amount_rows"].items() if k.startswith(name)), None)
        cells = f"{100 * ps[0] / ps[1]:6.1f}% {ps[0]:>4}/{ps[1]:<5}" if ps else ""
        cells2 = f"{100 * ar[0] / ar[2]:6.1f}% {ar[0]:>4}/{ar[2]:<5}" if ar else ""
        cells3 = f"{100 * ar[1] / ar[2]:6.1f}% {ar[1]:>4}/{ar[2]:<5}" if ar and ar[1] is not None else "-"
        pf = res["pay_first_figure"].get(name)
        cells4 = f"{100 * pf[0] / pf[1]:6.1f}% {pf[0]:>4}/{pf[1]:<5}" if pf else "-"
        print(f"{name:<28}{cells:>24}{cells2:>24}{cells3:>20}{cells4:>26}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
