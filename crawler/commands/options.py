"""Options and parameter types shared by several commands."""

from __future__ import annotations

import math
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


#: The furthest back an age (``7d``) or a period (``stats --growth``) may reach: year 1 is about 739,000 days ago.
MAX_AGE_DAYS = 700_000


def ago(seconds: int) -> datetime:
    """Now (UTC) minus ``seconds``; OverflowError when that is before year 1 (or past MAX_AGE_DAYS)."""
    if seconds > MAX_AGE_DAYS * 86400:
        raise OverflowError(f"more than {MAX_AGE_DAYS} days ago")
    return datetime.now(UTC) - timedelta(seconds=seconds)


class DateType(click.ParamType):
    """A date (2026-11-01), a datetime (2026-11-01T12:00Z) or an age (7d, 12h, 2w) -> aware UTC datetime."""

    name = "DATE"
    _AGE = re.compile(r"^(\d+)\s*([hdw])$")

    def convert(self, value, param, ctx):
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        if m := self._AGE.match(text.lower()):
            try:
                return ago(int(m.group(1)) * {"h": 3600, "d": 86400, "w": 604800}[m.group(2)])
            except (OverflowError, ValueError):  # ValueError: more digits than int() converts
                self.fail(
                    f"{shorten(text)!r} is out of range: an age goes back at most {MAX_AGE_DAYS} days", param, ctx
                )
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(
                f"{shorten(text)!r} is not a date: use YYYY-MM-DD, an ISO datetime or an age such as 7d", param, ctx
            )
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


DATE = DateType()


def shorten(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters for a message (a 5000-digit number is no one's to read)."""
    return text if len(text) <= width else text[: width - 3] + "..."


class AmountType(click.FloatRange):
    """A finite amount of at least 0 (``nan`` and ``inf`` are floats to Python, never a pay)."""

    name = "amount"

    def __init__(self) -> None:
        super().__init__(min=0)

    def convert(self, value, param, ctx):
        amount = super().convert(value, param, ctx)
        if not math.isfinite(amount):
            self.fail(f"{shorten(str(value))!r} is not a finite amount", param, ctx)
        return amount


AMOUNT = AmountType()


class RowIdType(click.ParamType):
    """The id of a stored row (a posting, a run, a schedule): a whole number from 1 to ``MAX_ROW_ID``. A larger
    one names no row on any backend, and PostgreSQL would refuse it with an error rather than find nothing."""

    name = "id"

    def convert(self, value, param, ctx):
        from storage.models import MAX_ROW_ID

        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            if not re.fullmatch(r"[0-9]+", text):
                self.fail(f"{shorten(text)!r} is not an id: use a whole number such as 42", param, ctx)
            number = int(text)
        if not 1 <= number <= MAX_ROW_ID:
            self.fail(f"{shorten(str(value))!r} is out of range: ids go from 1 to {MAX_ROW_ID}", param, ctx)
        return number


ROW_ID = RowIdType()


def split_csv(values: tuple[str, ...] | list[str] | None) -> list[str]:
    """Repeated options and comma-separated values alike: ("a,b", "c") -> ["a", "b", "c"]."""
    out: list[str] = []
    for value in values or ():
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return out


class ChoiceList(click.ParamType):
    """One or more of ``choices``, comma-separated and case-insensitive (``--workplace Remote,hybrid``) -> the
    canonical values as a list. Its metavar lists the choices, so ``--help`` shows them instead of ``TEXT``."""

    name = "choice"

    def __init__(self, choices: tuple[str, ...]) -> None:
        self.choices = tuple(choices)

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "[" + "|".join(self.choices) + "]"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        by_fold = {c.casefold(): c for c in self.choices}
        items = [part.strip() for part in str(value).split(",") if part.strip()]
        bad = [item for item in items if item.casefold() not in by_fold]
        if bad:
            self.fail(f"{', '.join(bad)} (choose from {', '.join(self.choices)})", param, ctx)
        return [by_fold[item.casefold()] for item in items]


def flatten(_ctx: click.Context, _param: click.Parameter, value) -> list[str]:
    """A repeated :class:`ChoiceList` option's lists as one list, without repeats, in the order given."""
    out: list[str] = []
    for items in value or ():
        out.extend(item for item in (items if isinstance(items, list) else [items]) if item not in out)
    return out


def choice(*values: str) -> click.Choice:
    """A single choice, case-insensitive (``--sort Pay``); ``--help`` lists the values."""
    return click.Choice(values, case_sensitive=False)


#: The one ``--format`` vocabulary: ``table`` is the human-readable output of every command (a table, or the
#: labelled lines of one record), ``json`` is machine-readable; ``jsonl`` and ``csv`` where rows stream.
#: ``text``, which some commands used to call their human output, is still accepted as ``table``.
HUMAN_FORMAT = "table"


class FormatChoice(click.Choice):
    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.strip().lower() == "text":
            value = HUMAN_FORMAT
        return super().convert(value, param, ctx)


def format_option(*formats: str, default: str = HUMAN_FORMAT, help: str | None = None):
    """The ``--format`` option: ``table`` and ``json`` unless ``formats`` says otherwise."""
    formats = formats or (HUMAN_FORMAT, "json")
    return click.option(
        "--format",
        "fmt",
        type=FormatChoice(formats, case_sensitive=False),
        default=default,
        show_default=True,
        help=help or "table: for reading; json: for programs.",
    )
