"""Small readers shared by the source mappers: dates, numbers and strings as real payloads send them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from pipeline.text import CONTROL_CHARS, strip_controls


def parse_datetime(value: Any) -> datetime | None:
    """ISO 8601 strings (``Z`` or offsets; naive taken as UTC), epoch seconds or milliseconds -> aware UTC."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > 1e11 else value  # Lever sends ms, Arbeitnow s
        try:
            return datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if text.isdigit():
        return parse_datetime(int(text))
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def to_float(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", ""))
    except ValueError:
        return None
    return number if number == number else None  # NaN


def pay_amount(value: Any) -> float | None:
    """A pay bound as sources send it: a positive number, or None (0, "0.0", missing and junk all mean none)."""
    number = to_float(value)
    return number if number is not None and number > 0 else None


def clean_str(value: Any) -> str | None:
    """``value`` as one line of text: whitespace runs collapsed to one space, control characters removed
    (:func:`pipeline.text.strip_controls`); None when nothing is left."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    if text and not text.isprintable():  # a control character survived split(): NUL, ESC, DEL, C1...
        text = " ".join(strip_controls(text).split())
    return text or None


HTTP_SCHEMES = ("http", "https")


def http_url(value: Any) -> str | None:
    """``value`` (surrounding whitespace stripped) when it is an absolute http(s) URL with a host, else None:
    ``javascript:``, ``data:``, ``file:``, ``vbscript:``, scheme-relative (``//host/x``) and relative URLs, and
    any URL holding a control character (browsers drop tabs and newlines, so ``java\tscript:`` would run), are
    refused. The one rule for a URL that came from a remote document: a posting's ``url``/``apply_url``
    (``pipeline.normalize``) and every URL a spider follows (``crawler.spiders.base.JobSpider.follow_url``)."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    # isprintable() first: a URL without any unprintable character holds no control character, tab or line break
    if not url or (not url.isprintable() and (any(c in url for c in CONTROL_CHARS) or "\t" in url or "\n" in url)):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # an invalid IPv6 literal or port
        return None
    if parts.scheme.lower() not in HTTP_SCHEMES or not host:
        return None
    return url


def text(value: Any, fix: Callable[[str], str] | None = None) -> str | None:
    """A string field's text (after ``fix``, a repair of the source's encoding), whitespace collapsed; None for an
    empty string and for anything that is not a string."""
    if not isinstance(value, str):
        return None
    return clean_str(fix(value) if fix else value)


def texts(value: Any, fix: Callable[[str], str] | None = None) -> list[str]:
    """The texts of a list field's strings (empty ones and other types skipped); [] for anything but a list."""
    return [t for item in value if (t := text(item, fix))] if isinstance(value, list) else []
