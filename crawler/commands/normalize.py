"""``jobscout normalize``: normalize postings given as text, HTML or JSON lines, and print schema v1."""

from __future__ import annotations

import json
import sys

import click

from crawler.commands.options import format_option
from crawler.context import UserError


@click.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--title", help="The posting's title (default: the first line of the text).")
@click.option("--location", help="The posting's location string.")
@click.option("--company", help="The posting's company.")
@click.option(
    "--jsonl",
    "jsonl",
    is_flag=True,
    help='Read JSON lines {"title", "description", "location", "company"}; write one posting per line.',
)
@format_option("table", "json", default="json")
def normalize(file, title, location, company, jsonl, fmt) -> int:
    """Normalize one posting from FILE (text or HTML; '-' for stdin) and print it as schema v1."""
    from pipeline.normalize import normalize_text

    if jsonl:
        errors = 0
        for number, line in enumerate(file, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict):
                    raise ValueError("not a JSON object")
                posting = normalize_text(
                    str(record.get("description") or ""),
                    title=str(record.get("title") or ""),
                    location=record.get("location") or None,
                    company=record.get("company") or None,
                )
            except ValueError as exc:
                errors += 1
                click.echo(f"jobscout: line {number}: skipped: {exc}", err=True)
                continue
            sys.stdout.write(posting.to_json() + "\n")
        return 1 if errors else 0

    text = file.read()
    if not text.strip():
        raise UserError("no posting text given (empty input)")
    posting = normalize_text(text, title=title, location=location, company=company)
    data = posting.to_dict()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            if key != "description_text":
                click.echo(f"{key:<22} {json.dumps(value, ensure_ascii=False)}")
    return 0
