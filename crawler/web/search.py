"""A search as a URL: query parameters -> :class:`storage.query.PostingFilters`, by the very options of
``jobscout query``.

The parameters are the filter options of :mod:`crawler.commands.filters` with ``--any-skill`` written ``any_skill``:
each value is handed to those click options and then to ``build_filters``, so a URL and a command line mean the
same search, with the same checks and the same messages, and an option added there is a parameter here. Repeat a
parameter or separate values by commas for the repeatable ones; a flag is ``true``/``false`` (``on`` too, what an
HTML checkbox sends); an empty value is no value (what an empty form field sends).

Paging: the API pages by an opaque ``cursor`` (the offset of the next page and a digest of the search it belongs
to); the HTML page by ``page`` numbers. A posting first seen while a reader pages does not shift the pages: a
cursor carries the time of its first page, and later pages leave out postings first seen after it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from crawler.commands.filters import build_filters, filter_options, pop_filter_params
from crawler.context import UserError
from pipeline.model import EMPLOYMENT_TYPES, SENIORITIES, WORKPLACES
from storage.query import SORTS, PostingFilters

if TYPE_CHECKING:
    from fastapi import Request

TRUE = frozenset({"1", "true", "on", "yes"})
FALSE = frozenset({"0", "false", "off", "no"})
# Values the glossary fixes (DESIGN.md): the OpenAPI document lists them; the options check them.
ENUMS = {"workplace": WORKPLACES, "seniority": SENIORITIES, "employment_type": EMPLOYMENT_TYPES}
MAX_VALUE_CHARS = 1000


class SearchError(ValueError):
    """Input a search cannot use: answered 422 with this message."""


@click.command(add_help_option=False)
@filter_options
def _filter_command(**_kwargs: Any) -> None:
    """Never run: its options parse a URL's filters."""


def _name(option: click.Option) -> str:
    long = max(option.opts, key=len)
    return long.lstrip("-").replace("-", "_")


FILTER_OPTIONS: dict[str, click.Option] = {
    _name(p): p for p in _filter_command.params if isinstance(p, click.Option) and p.name
}


def filter_names() -> tuple[str, ...]:
    """The filter parameters' names, in the order of ``jobscout query --help``."""
    return tuple(FILTER_OPTIONS)


@dataclass(slots=True)
class Search:
    filters: PostingFilters
    args: tuple[tuple[str, str], ...]  # the filter parameters as given (empty values dropped), for links and digests
    sort: str

    def query(self, **extra: Any) -> list[tuple[str, str]]:
        """Query-string pairs of this search (sort included unless the default) plus ``extra``."""
        pairs = list(self.args)
        if self.sort != "posted":
            pairs.append(("sort", self.sort))
        for key, value in extra.items():
            if value is not None:
                pairs.append((key, str(value)))
        return pairs

    def digest(self) -> str:
        text = json.dumps([sorted(self.args), self.sort], ensure_ascii=False)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def has(self, name: str, value: str) -> bool:
        """Whether parameter ``name`` names ``value`` (case-insensitive; comma-separated values count each)."""
        return any(k == name and value.lower() in [v.lower() for v in _split(given)] for k, given in self.args)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def parse_search(items: Iterable[tuple[str, str]], allowed: Iterable[str] = ()) -> Search:
    """The search a URL's query pairs state. ``allowed``: other parameter names the caller reads itself (``sort``
    is read here). Raises SearchError for an unknown parameter or a value the options refuse."""
    extra = {"sort", *allowed}
    argv: list[str] = []
    kept: list[tuple[str, str]] = []
    sort = "posted"
    for key, raw in items:
        value = raw.strip()
        if "\x00" in value:
            raise SearchError(f"{key}: a value may not contain NUL characters")
        if len(value) > MAX_VALUE_CHARS:
            raise SearchError(f"{key}: at most {MAX_VALUE_CHARS} characters")
        if key == "sort":
            if value:
                if value not in SORTS:
                    raise SearchError(f"sort: {value!r} is not one of {', '.join(SORTS)}")
                sort = value
            continue
        if key in extra:
            continue
        option = FILTER_OPTIONS.get(key)
        if option is None:
            raise SearchError(f"unknown parameter {key!r} (filters: {', '.join(FILTER_OPTIONS)})")
        if not value:
            continue
        long = max(option.opts, key=len)
        if option.is_flag:
            if value.lower() in TRUE:
                argv.append(long)
                kept.append((key, "true"))
            elif value.lower() not in FALSE:
                raise SearchError(f"{key}: {value!r} is not true or false")
            continue
        argv.append(f"{long}={value}")  # one token: a value starting with "-" ("-java") stays a value
        if value != option.default:  # the form's "USD" is no part of the search
            kept.append((key, value))
    try:
        ctx = _filter_command.make_context("jobscout serve", argv)
        filters = build_filters(pop_filter_params(dict(ctx.params)), sort=sort)
    except click.BadParameter as exc:
        name = _name(exc.param) if isinstance(exc.param, click.Option) else "parameter"
        raise SearchError(f"{name}: {_web_names(exc.message)}") from exc
    except click.UsageError as exc:
        raise SearchError(_web_names(exc.format_message())) from exc
    except UserError as exc:
        raise SearchError(_web_names(str(exc))) from exc
    return Search(filters=filters, args=tuple(kept), sort=sort)


_OPTION_WORD = re.compile(r"--([a-z][a-z-]*)")


def _web_names(message: str) -> str:
    """A message of the command-line options, with ``--min-pay`` written as the parameter ``min_pay``."""

    def name(m: re.Match[str]) -> str:
        candidate = m.group(1).replace("-", "_")
        return candidate if candidate in FILTER_OPTIONS else m.group(0)

    return _OPTION_WORD.sub(name, message)


# --- cursors ---------------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Cursor:
    offset: int
    as_of: datetime  # postings first seen after this are left out of every page after the first


def encode_cursor(search: Search, cursor: Cursor) -> str:
    data = {"o": cursor.offset, "t": cursor.as_of.isoformat(), "s": search.digest()}
    return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(search: Search, token: str) -> Cursor:
    """The cursor ``token`` holds; SearchError when it is not one of ours or belongs to another search."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        offset, as_of, digest = int(data["o"]), datetime.fromisoformat(data["t"]), str(data["s"])
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError, OverflowError) as exc:
        raise SearchError("cursor: not a cursor this server gave out") from exc
    if digest != search.digest():
        raise SearchError("cursor: it belongs to another search (the filters or the sort differ)")
    if offset < 0 or offset > 10**9:
        raise SearchError("cursor: not a cursor this server gave out")
    return Cursor(offset, as_of if as_of.tzinfo else as_of.replace(tzinfo=UTC))


# --- the OpenAPI description of the filters -------------------------------------------------------------------
def openapi_parameters() -> list[dict[str, Any]]:
    """The filter parameters as OpenAPI 3 query parameters (from the options themselves: help, types, defaults)."""
    out = []
    for name, option in FILTER_OPTIONS.items():
        schema: dict[str, Any]
        if option.is_flag:
            schema = {"type": "boolean"}
        elif isinstance(option.type, click.Choice):
            schema = {"type": "string", "enum": list(option.type.choices)}
        elif isinstance(option.type, click.FloatRange):
            schema = {"type": "number", "minimum": option.type.min or 0}
        else:
            schema = {"type": "string"}
        if name in ENUMS:
            schema["enum"] = list(ENUMS[name])
        if option.multiple:
            schema = {"type": "array", "items": schema}
        if isinstance(option.default, str) and option.default and not option.multiple:
            schema["default"] = option.default
        parameter: dict[str, Any] = {
            "name": name,
            "in": "query",
            "required": False,
            "description": (option.help or "")
            + (" Repeat it or separate values by commas." if option.multiple else ""),
            "schema": schema,
        }
        if option.multiple:
            parameter["style"], parameter["explode"] = "form", True
        out.append(parameter)
    out.append(
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": "posted: newest first; pay: highest annual pay first; seen: most recently seen first.",
            "schema": {"type": "string", "enum": list(SORTS), "default": "posted"},
        }
    )
    return out


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if len(raw) <= 20 else None
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise SearchError(f"{name}: expected a whole number from {low} to {high}, got {raw[:40]!r}")
    return value


def describe(search: Search) -> str:
    """The search in a few words, for titles: "skill=Go, workplace=remote" or "all open backend postings"."""
    parts = [f"{k}={v}" for k, v in search.args]
    return ", ".join(parts) if parts else "all open backend postings"


def form_values(request: Request) -> dict[str, list[str]]:
    """The query's values per parameter as typed (to fill the form in again, also after an error)."""
    values: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if value.strip():
            values.setdefault(key, []).append(value)
    return values
