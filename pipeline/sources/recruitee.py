"""Recruitee Careers Site API payloads (one element of ``offers`` from ``https://{company}.recruitee.com/api/offers/``
or a custom careers host's ``/api/offers/``).

Shape as recorded (Aikido Security, Espeo Software and a Berlin employer's boards): ``id`` (a number), ``guid``,
``slug``, ``title``, ``status`` ("published"; the spider keeps only those), ``company_name``, ``location`` (one
line: "Berlin, Berlin, Germany", or "Remote job" on remote offers), ``city``/``state_name``/``country``/
``country_code``, ``locations`` [{``name``, ``city``, ``state``, ``country``, ``country_code``, ...}] (absent
from reduced captures), ``remote``/``hybrid``/``on_site`` (booleans), ``employment_type_code``
("fulltime_permanent", "fulltime_fixed_term", "contract", "freelance", ...), ``experience_code`` ("entry_level",
"mid_level", "experienced", ...), ``education_code``, ``category_code``, ``department``, ``tags`` [...],
``description`` and ``requirements`` (HTML; also under ``translations.{lang}``), ``salary`` {``min``, ``max``
(strings: "60000", "75.00"), ``period`` ("year", "month", "hour", ...), ``currency``} -- every key null when
the employer publishes none --, ``published_at``/``created_at``/``updated_at`` ("2026-08-05 10:10:39 UTC"),
``close_at``, ``careers_url``/``careers_apply_url``.

Work mode: ``remote`` true -> remote, else ``hybrid`` true -> hybrid, else ``on_site`` true -> onsite; all
false is left unknown. Employment: the code's two halves are read as one hint ("fulltime_fixed_term" ->
"fulltime, fixed_term": a fixed-term full-time job is temporary). Seniority only where unambiguous
("entry_level" -> junior).

Pay: a yearly salary below 1,000 (or a monthly one below 100) is not a salary in any currency Recruitee serves:
it is a figure written in thousands ("75.00" for 75k), and guessing the multiplier would be guessing a pay, so the
range is not taken (the description may still state it).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, pay_amount

_PERIODS = {
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "month": "month",
    "monthly": "month",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
    "hour": "hour",
    "hourly": "hour",
}
#: The smallest figure per period that can be a salary (see the module docstring).
_PLAUSIBLE_MIN = {"year": 1000, "month": 100}
_SENIORITY = {"entry_level": "junior"}


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Recruitee offer is not an object: {type(payload).__name__}")
    if payload.get("id") in (None, "", 0) or isinstance(payload.get("id"), bool | dict | list):
        raise MappingError("Recruitee offer without an id")
    for key, kind in (("locations", list), ("salary", dict), ("tags", list)):
        if payload.get(key) is not None and not isinstance(payload[key], kind):
            raise MappingError(f"Recruitee offer with a malformed {key!r}")
    url = clean_str(payload.get("careers_url"))
    experience = clean_str(payload.get("experience_code"))
    return SourceFields(
        title=clean_str(payload.get("title")),
        external_id=str(payload["id"]).strip(),
        company=clean_str(payload.get("company_name")) or board,
        url=url,
        apply_url=clean_str(payload.get("careers_apply_url")) or url,
        locations=_locations(payload),
        description_html=_description_html(payload),
        pay=_pay(payload.get("salary")),
        workplace=_workplace(payload),
        employment_type=employment_hint(payload.get("employment_type_code")),
        seniority=_SENIORITY.get(experience.lower()) if experience else None,
        posted_at=recruitee_datetime(payload.get("published_at")) or recruitee_datetime(payload.get("created_at")),
        valid_through=recruitee_datetime(payload.get("close_at")),
        tags=[t for tag in payload.get("tags") or [] if isinstance(tag, str) and (t := clean_str(tag))],
        department=clean_str(payload.get("department")),
    )


def recruitee_datetime(value: Any) -> datetime | None:
    """Recruitee's "2026-08-05 10:10:39 UTC" (and plain ISO 8601) as an aware UTC datetime."""
    if isinstance(value, str) and value.strip().endswith(" UTC"):
        value = value.strip()[: -len(" UTC")]
    return parse_datetime(value)


def employment_hint(code: Any) -> str | None:
    """``employment_type_code`` as a hint: "parttime_permanent" -> "parttime, permanent"."""
    text = clean_str(code) if isinstance(code, str) else None
    return ", ".join(text.split("_", 1)) if text else None


def _workplace(payload: dict[str, Any]) -> str | None:
    for key, mode in (("remote", "remote"), ("hybrid", "hybrid"), ("on_site", "onsite")):
        if payload.get(key) is True:
            return mode
    return None


def _place(*parts: Any) -> str | None:
    values = [clean_str(p) for p in parts if isinstance(p, str)]
    return ", ".join(dict.fromkeys(v for v in values if v)) or None


def _locations(payload: dict[str, Any]) -> list[str]:
    out = []
    for loc in payload.get("locations") or []:
        if isinstance(loc, dict) and (name := _place(loc.get("city"), loc.get("state"), loc.get("country"))):
            out.append(name)
    if not out and (
        one := clean_str(payload.get("location"))
        or _place(payload.get("city"), payload.get("state_name"), payload.get("country"))
    ):
        out.append(one)
    return list(dict.fromkeys(out))


def _description_html(payload: dict[str, Any]) -> str | None:
    parts = [
        value.strip()
        for key in ("description", "requirements")
        if isinstance(value := payload.get(key), str) and value.strip()
    ]
    return "\n".join(parts) or None


def _pay(value: Any) -> list[PayRange]:
    if not isinstance(value, dict):
        return []
    low, high = pay_amount(value.get("min")), pay_amount(value.get("max"))
    period = _PERIODS.get(str(value.get("period") or "").strip().lower())
    if (low is None and high is None) or period is None:
        return []
    floor = _PLAUSIBLE_MIN.get(period, 0)
    if any(v is not None and v < floor for v in (low, high)):
        return []
    currency = value.get("currency")
    currency = currency.strip().upper() if isinstance(currency, str) and len(currency.strip()) == 3 else None
    raw = f"salary: {value.get('min')}-{value.get('max')} {currency or ''} {value.get('period')}"
    return [PayRange(min=low, max=high, currency=currency, period=period, raw=" ".join(raw.split()))]
