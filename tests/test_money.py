"""pipeline.money: currencies as written -> ISO codes, numbers in every separator convention -> floats."""

from __future__ import annotations

import pytest

from pipeline.money import currency_code, to_number


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("€", "EUR"),
        ("£", "GBP"),
        ("Kč", "CZK"),
        ("zł", "PLN"),
        ("Ft", "HUF"),
        ("лв.", "BGN"),
        ("лв", "BGN"),
        ("lei", "RON"),
        ("руб.", "RUB"),
        ("грн", "UAH"),
        ("Fr.", "CHF"),
        ("chf", "CHF"),
        ("sek", "SEK"),
        ("NOK", "NOK"),
        ("S$", "SGD"),
        ("A$", "AUD"),
        ("C$", "CAD"),
        ("CDN$", "CAD"),
        ("CA$", "CAD"),
        ("NT$", "TWD"),
        ("円", "JPY"),
        ("RMB", "CNY"),
        # crowns of four countries: no code without more to go on
        ("kr", None),
        ("kr.", None),
        ("", None),
        (None, None),
        ("dollarz", None),
    ],
)
def test_currency_code(written, expected):
    assert currency_code(written) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("98000", 98000.0),
        ("98,000", 98000.0),
        ("98,000.75", 98000.75),
        ("98.000", 98000.0),
        ("98.000,75", 98000.75),
        ("3.215,40", 3215.4),
        ("72 300", 72300.0),
        ("72 300,40", 72300.4),
        ("72\u00a0300,40", 72300.4),
        ("72\u202f300", 72300.0),
        ("4'180.50", 4180.5),
        ("4’180", 4180.0),
        ("41,5", 41.5),
        ("18.75", 18.75),
        ("32.–", 32.0),
        ("32,-", 32.0),
        ("1.250.000", 1250000.0),
    ],
)
def test_to_number(written, expected):
    assert to_number(written) == expected


def test_to_number_refuses_what_is_no_number():
    with pytest.raises(ValueError):
        to_number("n/a")
