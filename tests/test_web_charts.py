"""crawler.web.charts: bar and band geometry for the stats page (pure)."""

from __future__ import annotations

from crawler.web.charts import WIDTH, count_bars, money, pay_bands, week_bars
from storage.stats import Count, PayStats, Week


def test_count_bars_scale_to_the_largest_and_keep_their_counts():
    bars = count_bars([Count("Go", 40, 0.5), Count("Rust", 10, 0.125), Count(None, 0, 0.0)])
    assert [(b.label, b.count, b.width, b.note) for b in bars] == [
        ("Go", 40, WIDTH, "50%"),
        ("Rust", 10, WIDTH / 4, "12%"),
        ("not stated", 0, 0.0, "0%"),
    ]
    assert count_bars([]) == []


def test_week_bars():
    bars = week_bars([Week("2026-11-02", 3), Week("2026-11-09", 6)])
    assert [(b.label, b.count, b.width) for b in bars] == [("2026-11-02", 3, WIDTH / 2), ("2026-11-09", 6, WIDTH)]


def test_pay_bands_share_one_scale_per_currency():
    rows = [
        PayStats("senior", "USD", 12, 150000, 180000, 200000),
        PayStats("mid", "USD", 8, 100000, 120000, 140000),
        PayStats(None, "EUR", 3, 50000, 60000, 80000),
    ]
    bands = pay_bands(rows, none_label="not stated")
    assert list(bands) == ["USD", "EUR"]
    senior, mid = bands["USD"]
    assert (senior.x25, senior.x50, senior.x75) == (WIDTH * 0.75, WIDTH * 0.9, WIDTH)
    assert (mid.x25, mid.x75, mid.postings) == (WIDTH * 0.5, WIDTH * 0.7, 8)
    (eur,) = bands["EUR"]
    assert eur.label == "not stated" and eur.x75 == WIDTH  # its own scale: never converted


def test_money():
    assert [money(v) for v in (185000, 9999, 60.5, None)] == ["185k", "9999", "60.5", "?"]
