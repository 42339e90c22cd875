"""The stats page's charts as geometry for server-rendered SVG (no script, no chart library): bars for counts,
bands for pay percentiles. Every bar carries the figure it stands for, which the page prints beside it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.stats import Count, PayStats, Week

WIDTH = 320  # pixels of the longest bar / the widest band


@dataclass(slots=True)
class Bar:
    label: str
    count: int
    width: float  # pixels, proportional to count (the largest count is WIDTH)
    note: str = ""  # e.g. the share: "42%"


@dataclass(slots=True)
class Band:
    """One group's p25-p75 band with its median, on a scale shared by the groups of one currency."""

    label: str
    postings: int
    p25: float
    p50: float
    p75: float
    x25: float
    x50: float
    x75: float


def count_bars(rows: Iterable[Count], none_label: str = "not stated") -> list[Bar]:
    rows = list(rows)
    top = max((r.postings for r in rows), default=0)
    return [
        Bar(
            label=none_label if r.key is None else str(r.key),
            count=r.postings,
            width=_scale(r.postings, top),
            note=f"{r.share * 100:.0f}%",
        )
        for r in rows
    ]


def week_bars(rows: Iterable[Week]) -> list[Bar]:
    rows = list(rows)
    top = max((r.postings for r in rows), default=0)
    return [Bar(label=r.week, count=r.postings, width=_scale(r.postings, top)) for r in rows]


def pay_bands(rows: Iterable[PayStats], none_label: str = "all") -> dict[str, list[Band]]:
    """Bands per currency (one scale per currency: figures are never converted between currencies)."""
    by_currency: dict[str, list[PayStats]] = {}
    for row in rows:
        by_currency.setdefault(row.currency, []).append(row)
    out: dict[str, list[Band]] = {}
    for currency, group in by_currency.items():
        top = max(r.p75 for r in group)
        out[currency] = [
            Band(
                label=none_label if r.group is None else str(r.group),
                postings=r.postings,
                p25=r.p25,
                p50=r.p50,
                p75=r.p75,
                x25=_scale(r.p25, top),
                x50=_scale(r.p50, top),
                x75=_scale(r.p75, top),
            )
            for r in group
        ]
    return out


def _scale(value: float, top: float) -> float:
    if top <= 0 or value <= 0:
        return 0.0
    return round(WIDTH * value / top, 1)


def money(value: float | None) -> str:
    """An annual figure for a chart label: 185000 -> "185k"; small figures as they are."""
    if value is None:
        return "?"
    return f"{value / 1000:.0f}k" if abs(value) >= 10000 else f"{value:g}"
