"""Currencies and numbers as postings write them: the layer under ``pipeline.pay``.

``currency_code(written) -> ISO 4217 code | None`` for a symbol, code or currency word as written ("Kč", "zł",
"CDN$", "руб.", "eur"); ``to_number(written) -> float`` for one number with any of the thousands and decimal
separators in use ("120,000.50", "120.000,50", "84 500,00" with a space, NBSP or thin space, "2'750.00",
"25.–"). The tables and the evidence for them: docs/pay-rules.md ("Currencies", "Numbers").

Measured against price-parser and Babel (bench/compare_money.py): the symbol table is ours because neither
library maps what postings write to ISO codes (price-parser returns the symbol as written; Babel's CLDR symbols
lack "руб.", "грн.", "lei", "лв", "TL", "Fr." and give "kr"/"$" to several currencies).
"""

from __future__ import annotations

__all__ = ["AMBIGUOUS", "CODES", "DOLLAR_PREFIXES", "SYMBOLS", "WORDS", "currency_code", "to_number"]

# One-character symbols (the scanner's character class is built from these keys).
SYMBOLS = {
    "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₩": "KRW", "₪": "ILS", "₽": "RUB", "₺": "TRY",
    "₱": "PHP", "₦": "NGN", "₫": "VND", "฿": "THB", "₴": "UAH", "₤": "GBP", "円": "JPY",
}  # fmt: skip
# Letters written before "$": "CA$", "CDN$", "A$", "S$"...
DOLLAR_PREFIXES = {
    "US": "USD", "CA": "CAD", "C": "CAD", "CAD": "CAD", "CDN": "CAD", "A": "AUD", "AU": "AUD", "AUD": "AUD",
    "NZ": "NZD", "NZD": "NZD", "S": "SGD", "SG": "SGD", "SGD": "SGD", "HK": "HKD", "R": "BRL", "MX": "MXN",
    "USD": "USD", "NT": "TWD",
}  # fmt: skip
# ISO codes we read (upper case; as words next to a number).
CODES = str.split(
    "USD EUR GBP CAD AUD NZD CHF SEK NOK DKK ISK PLN CZK HUF RON BGN JPY CNY RMB INR SGD HKD TWD KRW BRL MXN ARS "
    "CLP COP PEN ZAR ILS AED SAR QAR TRY RUB UAH PHP IDR MYR THB VND NGN KES EGP PKR BDT LKR"
)
# Local currency words and abbreviations that name one currency (compared case-sensitively as written, and then
# lower-cased): they follow the amount ("5 550 Kč", "2 499 zł", "12 000 Ft", "950 грн.", "145 lei").
WORDS = {
    "Kč": "CZK", "zł": "PLN", "Zł": "PLN", "Ft": "HUF", "лв": "BGN", "лв.": "BGN", "lei": "RON", "Lei": "RON",
    "LEI": "RON", "руб": "RUB", "руб.": "RUB", "рублей": "RUB", "р.": "RUB", "грн": "UAH", "грн.": "UAH",
    "TL": "TRY", "Fr.": "CHF", "SFr.": "CHF", "CHf": "CHF", "euro": "EUR", "euros": "EUR", "Euro": "EUR",
    "Euros": "EUR", "EURO": "EUR", "dollar": "USD", "dollars": "USD", "Rs": "INR", "Rs.": "INR", "RM": "MYR",
    "Rp": "IDR", "zl": "PLN", "pln": "PLN", "eur": "EUR", "usd": "USD", "gbp": "GBP", "chf": "CHF", "inr": "INR",
    "aud": "AUD", "Kc": "CZK", "ft": "HUF",
}  # fmt: skip
# Written forms that name one of several currencies: only a country or language around them decides.
AMBIGUOUS = {"kr": ("SEK", "NOK", "DKK", "ISK"), "kr.": ("DKK", "ISK"), "kn": ("HRK",), "R": ("ZAR", "BRL")}


def currency_code(written: str | None) -> str | None:
    """The ISO 4217 code for a currency as written next to an amount, or None when it is unknown or ambiguous
    ("kr": Swedish, Norwegian, Danish or Icelandic)."""
    if not written:
        return None
    w = written.strip()
    if w in SYMBOLS:
        return SYMBOLS[w]
    if w in WORDS:
        return WORDS[w]
    up = w.upper()
    if up == "RMB":
        return "CNY"
    if up in CODES:
        return up
    if w.endswith("$") and w[:-1].upper() in DOLLAR_PREFIXES:
        return DOLLAR_PREFIXES[w[:-1].upper()]
    return WORDS.get(w.lower())


# Spaces that group thousands: space, NBSP, narrow NBSP (French), thin space.
_GROUP_SPACES = (" ", "\u00a0", "\u202f", "\u2009")
# What "no minor units" looks like after a decimal separator: "25.–", "25,-", "25.—".
_ZERO_DASHES = ("-", "–", "—")


def to_number(num: str) -> float:
    """``120,000.50`` / ``120.000,50`` / ``120'000`` / ``75 000`` (any group space) / ``31,2`` / ``25.–`` ->
    float. A single separator followed by exactly three digits groups thousands (salaries never carry three
    decimals); otherwise the last separator is the decimal one. Raises ValueError when ``num`` holds no number."""
    if num.isdigit():
        return float(num)
    s = num.replace("'", "").replace("’", "")
    for space in _GROUP_SPACES:
        s = s.replace(space, "")
    if s.endswith(_ZERO_DASHES):
        s = s.rstrip("".join(_ZERO_DASHES)).rstrip(".,")
    last = max(s.rfind(","), s.rfind("."))
    if last == -1:
        return float(s)
    if len(s) - last - 1 == 3:
        return float(s.replace(",", "").replace(".", ""))
    return float(s[:last].replace(",", "").replace(".", "") + "." + s[last + 1 :])
