"""Options and parameter types shared by several commands."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import click

from crawler.context import AppContext


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value:
        ctx.ensure_object(AppContext).with_db(value)
    return value


db_option = click.option(
    "--db",
    "db_url",
    metavar="URL",
    expose_value=False,
    callback=_set_db,
    help="Database URL (sqlite:///PATH, postgresql://...) or a SQLite file path.",
)


class DateType(click.ParamType):
    """A date (2026-11-01), a datetime (2026-11-01T12:00Z) or an age (7d, 12h, 2w) -> aware UTC datetime."""

    name = "DATE"
    _AGE = re.compile(r"^(\d+)\s*([hdw])$")

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        if m := self._AGE.match(text.lower()):
            amount, unit = int(m.group(1)), m.group(2)
            delta = {"h": timedelta(hours=amount), "d": timedelta(days=amount), "w": timedelta(weeks=amount)}[unit]
            return datetime.now(UTC) - delta
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(f"{text!r} is not a date: use YYYY-MM-DD, an ISO datetime or an age such as 7d", param, ctx)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


DATE = DateType()


def split_csv(values: tuple[str, ...] | list[str] | None) -> list[str]:
    """Repeated options and comma-separated values alike: ("a,b", "c") -> ["a", "b", "c"]."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out
