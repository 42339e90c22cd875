"""Remote OK API payloads (one element of the JSON array from ``https://remoteok.com/api``).

**Credit:** Remote OK's API terms ask every user to link back to the posting's page on Remote OK (a followed link,
no ``nofollow``) and to mention Remote OK as the source; the logo must not be used. So ``url`` stays the
remoteok.com posting page exactly as the API sends it, and any page or export that shows these postings should
name "Remote OK" as their source.

Quirks seen in the recorded bodies:

- element 0 of the array is ``{"last_updated": ..., "legal": "API Terms of Service: ..."}``, not a posting (the
  spider skips it; this mapper refuses it);
- ``id`` is a string of digits (``"1130788"``); ``slug`` ends with it; ``epoch`` is an int, ``date`` ISO 8601;
- ``salary_min``/``salary_max`` are ints in USD, ``0`` for "none"; they are meant per year, but a few postings
  (AI trainers, coordinators) put an hourly rate there (``25``-``27``, ``80``-``140``), so an upper bound below
  :data:`_HOURLY_BELOW` is taken as per hour, as the Greenhouse mapper does; and some posters type their own
  currency's figures into these USD fields (``350700``-``474400`` with "Salary Range: PLN 350,700 - 474,400" in the
  description), so the ranges are marked ``pay_currency_assumed``: normalize takes the currency the text states
  for the same figures, and the text's own pay when it names a currency and a different currency or period
  ("€2,500-3,500/month" beside 30000-42000 "USD"), the rule for every source whose pay fields are an assumption;
- text fields are mojibake: UTF-8 bytes decoded as Latin-1 (``Weâ\\x80\\x99re``, ``â\\x82¬2,500``, ``GdaÅ\\x84sk``);
  :func:`fix_mojibake` undoes exactly that, run by run, so a later change on Remote OK's side is harmless;
- every posting is remote (Remote OK lists remote jobs only); ``location`` is free text and often empty;
- ``tags`` are lowercase keywords chosen by the poster, noisy (``"golang"`` on non-engineering jobs).
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import parse_datetime, pay_amount, text, texts

# An upper bound this small is an hourly rate, not a yearly salary.
_HOURLY_BELOW = 500.0

# UTF-8 multi-byte sequences as they look after a Latin-1 decode: a lead byte then continuation bytes.
_MOJIBAKE = re.compile(
    r"[\u00c2-\u00df][\u0080-\u00bf]|[\u00e0-\u00ef][\u0080-\u00bf]{2}|[\u00f0-\u00f4][\u0080-\u00bf]{3}"
)


def fix_mojibake(value: str) -> str:
    """Undo UTF-8-read-as-Latin-1 (``â\\x80\\x99`` -> ``’``) where a run decodes as UTF-8; anything else is kept.

    When the whole text is Latin-1 and decodes as UTF-8, every non-ASCII run is a valid sequence that the pattern
    would repair one by one, so the text is decoded at once (a description: ~55 -> ~5 us; the pattern is tried at
    every position). Otherwise (ASCII, real Unicode mixed in, an invalid run) the pattern decides."""
    if value.isascii():
        return value
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        pass

    def repair(m: re.Match[str]) -> str:
        try:
            return m.group(0).encode("latin-1").decode("utf-8")
        except UnicodeError:
            return m.group(0)

    return _MOJIBAKE.sub(repair, value)


def is_legal_notice(element: Any) -> bool:
    """The array's first element: terms of service, no posting."""
    return isinstance(element, dict) and "legal" in element and not element.get("id") and not element.get("slug")


def posting_id(payload: dict[str, Any]) -> str | None:
    """The stable id of a posting: ``id``, else the numeric tail of ``slug``, else the slug."""
    value = payload.get("id")
    if value is not None and not isinstance(value, bool) and str(value).strip():
        return str(value).strip()
    slug = payload.get("slug")
    if isinstance(slug, str) and slug.strip():
        tail = slug.strip().rsplit("-", 1)[-1]
        return tail if tail.isdigit() else slug.strip()
    return None


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Remote OK element is not an object: {type(payload).__name__}")
    if is_legal_notice(payload):
        raise MappingError("Remote OK legal notice, not a posting")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("Remote OK job without an id or slug")
    location = text(payload.get("location"), fix_mojibake)
    description = payload.get("description")
    return SourceFields(
        title=text(payload.get("position"), fix_mojibake),
        external_id=external_id,
        company=text(payload.get("company"), fix_mojibake),
        url=_url(payload.get("url")),
        apply_url=_url(payload.get("apply_url")),
        locations=[location] if location else [],
        description_html=fix_mojibake(description) if isinstance(description, str) and description.strip() else None,
        pay=_pay(payload.get("salary_min"), payload.get("salary_max")),
        pay_currency_assumed=True,
        workplace="remote",
        posted_at=parse_datetime(payload.get("date")) or parse_datetime(payload.get("epoch")),
        tags=texts(payload.get("tags"), fix_mojibake),
    )


def _url(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _pay(low_value: Any, high_value: Any) -> list[PayRange]:
    low, high = pay_amount(low_value), pay_amount(high_value)
    if low is None and high is None:
        return []
    top = high if high is not None else low
    return [
        PayRange(
            min=low,
            max=high,
            currency="USD",
            period="hour" if top < _HOURLY_BELOW else "year",
            raw=f"salary_min={low_value} salary_max={high_value}",
        )
    ]
