"""Greenhouse Job Board API payloads (one element of ``jobs`` from ``/v1/boards/{token}/jobs?content=true``).

Quirks seen in the recorded boards: ``content`` is entity-escaped HTML (``&lt;p&gt;``); pay, when the company
publishes it through the API, sits in ``metadata`` entries of ``value_type: "currency_range"`` whose value is
``{"unit": "USD", "min_value": "104000.0", "max_value": "204000.0"}``; ``"0.0"`` and ``"0.01"`` are placeholders
for "no range" (MongoDB, Stripe boards), and entries named "... Budgeted Salary" are internal budgets, not a
published range, so they are not taken as pay.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, to_float
from pipeline.text import unescape_html

# Below this an amount is a placeholder ("0.01"), not pay.
_MIN_REAL_AMOUNT = 1.0
# Greenhouse ranges carry no period; an upper bound this small is an hourly rate.
_HOURLY_BELOW = 500.0
_LABEL_IN_PARENS = re.compile(r"\(([^)]+)\)")
_EMPLOYMENT_FIELD = re.compile(r"employment|job type|commitment", re.I)


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict) or payload.get("id") is None:
        raise MappingError("Greenhouse job without an id")
    metadata = [m for m in payload.get("metadata") or [] if isinstance(m, dict)]
    location = payload.get("location") or {}
    departments = [d.get("name") for d in payload.get("departments") or [] if isinstance(d, dict)]
    content = payload.get("content")
    return SourceFields(
        title=clean_str(payload.get("title")),
        external_id=str(payload["id"]),
        company=clean_str(payload.get("company_name")) or board,
        url=payload.get("absolute_url"),
        apply_url=payload.get("absolute_url"),
        locations=[name] if (name := clean_str(location.get("name") if isinstance(location, dict) else None)) else [],
        description_html=unescape_html(content) if isinstance(content, str) else None,
        pay=_pay_ranges(metadata),
        employment_type=_employment_hint(metadata),
        posted_at=parse_datetime(payload.get("first_published")) or parse_datetime(payload.get("updated_at")),
        department=clean_str(departments[0]) if departments else None,
        requisition_id=clean_str(payload.get("requisition_id")),
    )


def _pay_ranges(metadata: list[dict[str, Any]]) -> list[PayRange]:
    ranges = []
    for entry in metadata:
        value = entry.get("value")
        if entry.get("value_type") != "currency_range" or not isinstance(value, dict):
            continue
        name = str(entry.get("name") or "")
        if "budget" in name.lower():
            continue
        low, high = to_float(value.get("min_value")), to_float(value.get("max_value"))
        low = low if low is not None and low >= _MIN_REAL_AMOUNT else None
        high = high if high is not None and high >= _MIN_REAL_AMOUNT else None
        if low is None and high is None:
            continue
        unit = value.get("unit")
        currency = unit.upper() if isinstance(unit, str) and len(unit) == 3 else None
        top = high if high is not None else low
        label = m.group(1).strip() if (m := _LABEL_IN_PARENS.search(name)) else (name or None)
        ranges.append(
            PayRange(
                min=low,
                max=high,
                currency=currency,
                period="hour" if top < _HOURLY_BELOW else "year",
                label=label,
                raw=f"{name}: {value.get('min_value')}-{value.get('max_value')} {unit or ''}".strip(),
            )
        )
    return ranges


def _employment_hint(metadata: list[dict[str, Any]]) -> str | None:
    for entry in metadata:
        if _EMPLOYMENT_FIELD.search(str(entry.get("name") or "")) and isinstance(entry.get("value"), str):
            return entry["value"]
    return None
