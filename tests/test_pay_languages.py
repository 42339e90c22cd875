"""pipeline.pay on pay written the world over (issue 18): one parametrized table per class of text, in our own
words. Each row is (text, (min, max, currency, period)) for the primary range, or (text, None) for no pay."""

from __future__ import annotations

import pytest

from pipeline.pay import parse_money, parse_pay

NBSP = "\u00a0"


def primary(text: str, **kw) -> tuple | None:
    found = parse_pay(text, **kw)
    if not found:
        return None
    p = found[0]
    return p.min, p.max, p.currency, p.period


def check(text: str, expected: tuple | None, **kw) -> None:
    assert primary(text, **kw) == expected


# --- location ranges with non-breaking spaces: the primary is the envelope -------------------------------------

LOCATION_RANGES = [
    (
        f"Hires in Denver or Austin:{NBSP}$132,000{NBSP}–{NBSP}$158,000. All other US locations:{NBSP}"
        f"$121,000{NBSP}–{NBSP}$145,000.",
        (121000.0, 158000.0, "USD", "year"),
    ),
    (
        f"Tier{NBSP}1 metro:{NBSP}$64{NBSP}-{NBSP}$71 per hour\nTier{NBSP}2 metro:{NBSP}$58{NBSP}-{NBSP}$66 per hour",
        (58.0, 71.0, "USD", "hour"),
    ),
    (
        f"Base pay (Zurich):{NBSP}CHF{NBSP}118'000{NBSP}–{NBSP}CHF{NBSP}139'000 / Base pay (Geneva):{NBSP}"
        f"CHF{NBSP}112'000{NBSP}–{NBSP}CHF{NBSP}131'000",
        (112000.0, 139000.0, "CHF", "year"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), LOCATION_RANGES)
def test_location_ranges_with_nbsp_give_the_envelope(text, expected):
    check(text, expected)


def test_nbsp_keeps_raw_aligned_with_the_text():
    text = f"Salary:{NBSP}$90,000{NBSP}-{NBSP}$104,000"
    (found,) = parse_pay(text)
    assert found.raw == "$90,000 - $104,000"


# --- label words glued to the word before (HTML block boundaries lost) -----------------------------------------

GLUED = [
    ("Seasonal roleSalary: $24.10 - $27.30 per hour", (24.1, 27.3, "USD", "hour")),
    ("Flexible schedule each weekPay Rate: $22.40/hr", (22.4, 22.4, "USD", "hour")),
    ("Work from homeCompensation: $61,000", (61000.0, 61000.0, "USD", "year")),
    ("Hybrid in LyonRemuneration: €47,500 per year", (47500.0, 47500.0, "EUR", "year")),
    # a benefit glued the same way stays a benefit
    ("Great teamStipend: $400 per month", None),
]


@pytest.mark.parametrize(("text", "expected"), GLUED)
def test_glued_label_words(text, expected):
    check(text, expected)


# --- a unit after each bound with "to" between; a range stated in two clauses -----------------------------------

TWO_PART_RANGES = [
    ("$142,000/yr to $188,000/yr", (142000.0, 188000.0, "USD", "year")),
    ("Salary: $36/hr to $44/hr depending on shift", (36.0, 44.0, "USD", "hour")),
    ("Pay starts at £11.95 an hour, rising to £13.20 after six months", (11.95, 13.2, "GBP", "hour")),
    ("Salary starting at €41,000, increasing to €47,000 after the first review", (41000.0, 47000.0, "EUR", "year")),
    ("Pay: $19 per hour, going up to $21 per hour on nights", (19.0, 21.0, "USD", "hour")),
]


@pytest.mark.parametrize(("text", "expected"), TWO_PART_RANGES)
def test_two_part_ranges(text, expected):
    check(text, expected)


# --- currencies: prefixed dollars, local words after the amount, ISO codes after the amount ----------------------

CURRENCIES = [
    ("Salary: S$7,200 - S$9,400 per month", (7200.0, 9400.0, "SGD", "month")),
    ("Compensation: A$151k - A$172k", (151000.0, 172000.0, "AUD", "year")),
    ("Salary: C$88,000 - C$97,000", (88000.0, 97000.0, "CAD", "year")),
    ("Salary: CDN$101,000 - CDN$118,000", (101000.0, 118000.0, "CAD", "year")),
    ("Wynagrodzenie: 13 500 - 17 200 zł", (13500.0, 17200.0, "PLN", "month")),
    ("Mzda: 58 000 - 74 000 Kč", (58000.0, 74000.0, "CZK", "month")),
    ("Fizetés: 850 000 - 1 100 000 Ft", (850000.0, 1100000.0, "HUF", "month")),
    ("Заплата: 3 200 - 4 100 лв.", (3200.0, 4100.0, "BGN", "month")),
    ("Salariu: 9 000 - 12 000 lei", (9000.0, 12000.0, "RON", "month")),
    ("Salary: 8 400 - 9 900 CHF per month", (8400.0, 9900.0, "CHF", "month")),
    ("Salary: 12 600 - 15 100 PLN per month", (12600.0, 15100.0, "PLN", "month")),
    ("Salary: 61 000 - 73 000 CZK per month", (61000.0, 73000.0, "CZK", "month")),
    ("Salary: 980 000 - 1 150 000 HUF per month", (980000.0, 1150000.0, "HUF", "month")),
    ("Salary: 41 000 - 49 000 DKK per month", (41000.0, 49000.0, "DKK", "month")),
    ("Salary: 47 000 - 55 000 SEK per month", (47000.0, 55000.0, "SEK", "month")),
    ("Salary: 610 000 - 720 000 NOK per year", (610000.0, 720000.0, "NOK", "year")),
    ("Salary: 4 300 - 5 200 BGN per month", (4300.0, 5200.0, "BGN", "month")),
    ("Salary: 11 500 - 14 000 RON per month", (11500.0, 14000.0, "RON", "month")),
    # "kr" is a currency (so the bare-number rules do not apply) but names no single code
    ("Løn: 44.000 - 52.000 kr. om måneden", (44000.0, 52000.0, None, "month")),
    ("Lön: 39 000 - 46 000 kr per månad", (39000.0, 46000.0, None, "month")),
]


@pytest.mark.parametrize(("text", "expected"), CURRENCIES)
def test_currencies(text, expected):
    check(text, expected)


def test_a_czech_koruna_is_no_thousands_multiplier():
    # "K" followed by a letter is the currency, not "k" for thousands
    check("Plat: 62 500 Kč měsíčně", (62500.0, 62500.0, "CZK", "month"))
    assert parse_money("4 750 Kč") == (4750.0, "CZK")


# --- number formats -------------------------------------------------------------------------------------------

NUMBER_FORMATS = [
    ("Salary: 76 400,00 - 88 900,00 EUR per year", (76400.0, 88900.0, "EUR", "year")),
    (f"Salary: 5{NBSP}840,50 - 6{NBSP}310,75 EUR per month", (5840.5, 6310.75, "EUR", "month")),
    ("Gehalt: 3.180,00 € - 3.960,00 € pro Monat", (3180.0, 3960.0, "EUR", "month")),
    ("Gehalt: 58.400,00 - 66.900,00 EUR jährlich", (58400.0, 66900.0, "EUR", "year")),
    ("Lohn: CHF 3'150.00 - CHF 3'600.00 pro Monat", (3150.0, 3600.0, "CHF", "month")),
    ("Stundenlohn: 31.– CHF", (31.0, 31.0, "CHF", "hour")),
    ("Stundenlohn: 29,- € brutto", (29.0, 29.0, "EUR", "hour")),
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_FORMATS)
def test_number_formats(text, expected):
    check(text, expected)


# --- range and period words in other languages ---------------------------------------------------------------

LANGUAGES = [
    # French
    ("Salaire : entre 44 000 et 52 000 € brut annuel", (44000.0, 52000.0, "EUR", "year")),
    ("Rémunération de 2 900 € à 3 450 € par mois", (2900.0, 3450.0, "EUR", "month")),
    ("Rémunération : 46 000 à 55 000 € par an", (46000.0, 55000.0, "EUR", "year")),
    ("Salaire : 3 100 € brut mensuel", (3100.0, 3100.0, "EUR", "month")),
    # German
    ("Gehalt zwischen 57.000 und 66.000 € jährlich", (57000.0, 66000.0, "EUR", "year")),
    ("Vergütung: 4.100 - 4.700 € pro Monat", (4100.0, 4700.0, "EUR", "month")),
    ("Gehalt: 3.900 € monatlich", (3900.0, 3900.0, "EUR", "month")),
    ("Stundenlohn von 17 € bis 21 €", (17.0, 21.0, "EUR", "hour")),
    # Dutch
    ("Salaris tussen € 3.400 en € 4.300 per maand", (3400.0, 4300.0, "EUR", "month")),
    ("Salaris: € 52.000 tot € 61.000 per jaar", (52000.0, 61000.0, "EUR", "year")),
    # Danish / Swedish / Norwegian
    ("Løn mellem 41.000 til 48.000 kr. per måned", (41000.0, 48000.0, None, "month")),
    ("Lønn: 52 000 - 60 000 NOK per måned", (52000.0, 60000.0, "NOK", "month")),
    ("Lön: 38 000 - 44 000 SEK i månaden", (38000.0, 44000.0, "SEK", "month")),
    ("Løn: 520.000 - 610.000 DKK per år", (520000.0, 610000.0, "DKK", "year")),
    # Polish
    ("Wynagrodzenie od 15 500 do 19 800 PLN miesięcznie", (15500.0, 19800.0, "PLN", "month")),
    ("Wynagrodzenie: 14 000 - 17 500 zł brutto/mies.", (14000.0, 17500.0, "PLN", "month")),
    ("Wynagrodzenie: 190 000 - 230 000 PLN rocznie", (190000.0, 230000.0, "PLN", "year")),
    # Czech
    ("Plat 54 000 až 68 000 Kč měsíčně", (54000.0, 68000.0, "CZK", "month")),
    ("Mzda: 720 000 - 860 000 CZK ročně", (720000.0, 860000.0, "CZK", "year")),
    # Hungarian
    ("Fizetés: 920 000 - 1 180 000 Ft bruttó havonta", (920000.0, 1180000.0, "HUF", "month")),
    # Spanish / Italian
    ("Salario de 2.400 a 2.900 € al mes", (2400.0, 2900.0, "EUR", "month")),
    ("Retribuzione: 34.000 - 39.000 € lordi annui", (34000.0, 39000.0, "EUR", "year")),
]


@pytest.mark.parametrize(("text", "expected"), LANGUAGES)
def test_range_and_period_words_in_other_languages(text, expected):
    check(text, expected)


LANGUAGE_BOUNDS = [
    ("Gehalt: mindestens 61.000 € jährlich", (61000.0, None, "EUR", "year")),
    ("Salaire : à partir de 3 300 € par mois", (3300.0, None, "EUR", "month")),
    ("Wynagrodzenie: do 21 000 PLN miesięcznie", (None, 21000.0, "PLN", "month")),
    ("Salaris: vanaf € 3.900 per maand", (3900.0, None, "EUR", "month")),
]


@pytest.mark.parametrize(("text", "expected"), LANGUAGE_BOUNDS)
def test_one_sided_bounds_in_other_languages(text, expected):
    check(text, expected)


def test_pair_words_need_their_between_word():
    # "en"/"et"/"og" join bounds only after "tussen"/"entre"/"mellem", like "and" after "between"
    check("Team of 14 000 en 18 000 users", None)
    assert primary("Salaris € 3.200 en € 4.100 vakantiegeld") != (3200.0, 4100.0, "EUR", "month")


# --- amounts that are not pay --------------------------------------------------------------------------------

NOT_PAY = [
    ("Transportation compensation of $140 per month", None),
    ("Commuter compensation: €90 per month on top of your salary", None),
    ("Referral reward: $1,500 for every hire you bring", None),
    ("Relocation pay of up to €6,000", None),
    ("Home-office allowance of €550 per year besides the salary", None),
    ("Internet allowance of $45 per month, next to your base pay", None),
    ("Fahrtkostenzuschuss: 60 € monatlich", None),
    ("Jobticket im Wert von 49 € pro Monat", None),
    ("Prime de transport : 75 € par mois", None),
    ("Reiskostenvergoeding van € 0,23 per kilometer", None),
    ("Příspěvek na stravenky 120 Kč za den", None),
]


@pytest.mark.parametrize(("text", "expected"), NOT_PAY)
def test_amounts_that_are_not_pay(text, expected):
    check(text, expected)


def test_the_salary_beside_an_allowance_is_still_found():
    text = "Salary: €54,000 - €61,000 per year\nHome-office allowance of €550 per year besides the salary"
    assert primary(text) == (54000.0, 61000.0, "EUR", "year")
    assert len(parse_pay(text)) == 1


# --- salary fields in other languages --------------------------------------------------------------------------

FIELDS = [
    ("3 400 - 4 200 € brut/mois", (3400.0, 4200.0, "EUR", "month")),
    ("18 000 - 22 000 zł", (18000.0, 22000.0, "PLN", "month")),
    ("75 000 Kč", (75000.0, 75000.0, "CZK", "month")),
    ("CHF 105'000 - 120'000", (105000.0, 120000.0, "CHF", "year")),
]


@pytest.mark.parametrize(("text", "expected"), FIELDS)
def test_salary_fields(text, expected):
    check(text, expected, pay_field=True)
