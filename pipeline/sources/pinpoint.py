"""Pinpoint postings (one element of ``data`` from ``https://{company}.pinpointhq.com/postings.json``).

Shape as recorded (Pinpoint's own board, two captures): ``id`` (a string of digits), ``title``, ``url`` (the
posting page), ``path``, ``description``, ``key_responsibilities``, ``skills_knowledge_expertise`` and
``benefits`` (HTML sections, each with a ``*_header`` such as "What you'll do"), ``employment_type``
("full_time", ...) and ``employment_type_text`` ("Full Time"), ``workplace_type`` ("remote", "hybrid", "onsite")
and ``workplace_type_text`` ("Fully remote"), ``compensation`` (text: "£70,000 - £90,000 / year"),
``compensation_minimum``/``compensation_maximum`` (numbers), ``compensation_currency`` ("GBP"),
``compensation_frequency`` ("year"), ``compensation_visible`` (false: the employer hides the figures, which are
then not taken), ``deadline_at``, ``reporting_to``, ``job`` {``requisition_id``, ``department`` {``name``},
``division``}, ``location`` {``name`` (the office's label: "United Kingdom", or "Remote"), ``city``,
``province``, ``postal_code``, ``street_address``}. One reduced capture has only ``id``, ``title``, ``url``,
``description``, ``location`` and the ``*_text`` fields. No posted date exists.

Pay: the structured figures when visible and their frequency is known; else, when the employer shows a
``compensation`` text, it leads the description as a ``Salary: ...`` line for the text pay parser. Location:
city, province and the office label (a label "Remote" says how, not where: the work mode carries it).
"""

from __future__ import annotations

import html
from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, pay_amount

_PERIODS = {
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "month": "month",
    "monthly": "month",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
    "hour": "hour",
    "hourly": "hour",
}
#: The HTML sections of a posting, in the order a posting page shows them.
SECTIONS = ("description", "key_responsibilities", "skills_knowledge_expertise", "benefits")


def posting_id(item: Any) -> str | None:
    """A posting's ``id`` as text; None when it has none."""
    value = item.get("id") if isinstance(item, dict) else None
    if value is None or isinstance(value, bool | dict | list) or not str(value).strip():
        return None
    return str(value).strip()


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Pinpoint posting is not an object: {type(payload).__name__}")
    external_id = posting_id(payload)
    if external_id is None:
        raise MappingError("Pinpoint posting without an id")
    for key in ("location", "job"):
        if payload.get(key) is not None and not isinstance(payload[key], dict):
            raise MappingError(f"Pinpoint posting with a malformed {key!r}")
    job = payload.get("job") or {}
    department = job.get("department")
    pay = _pay(payload)
    url = clean_str(payload.get("url"))
    return SourceFields(
        title=clean_str(payload.get("title")),
        external_id=external_id,
        company=board,
        url=url,
        apply_url=url,
        locations=_locations(payload.get("location")),
        description_html=_description_html(payload, with_pay_text=not pay),
        pay=pay,
        workplace=clean_str(payload.get("workplace_type")) or clean_str(payload.get("workplace_type_text")),
        employment_type=clean_str(payload.get("employment_type")) or clean_str(payload.get("employment_type_text")),
        valid_through=parse_datetime(payload.get("deadline_at")),
        department=clean_str(department.get("name")) if isinstance(department, dict) else None,
        requisition_id=clean_str(job.get("requisition_id")),
    )


def _visible(payload: dict[str, Any]) -> bool:
    # An absent flag (a reduced capture) is not a hidden figure; only an explicit false hides it.
    return payload.get("compensation_visible") is not False


def _pay(payload: dict[str, Any]) -> list[PayRange]:
    if not _visible(payload):
        return []
    low, high = pay_amount(payload.get("compensation_minimum")), pay_amount(payload.get("compensation_maximum"))
    period = _PERIODS.get(str(payload.get("compensation_frequency") or "").strip().lower())
    if (low is None and high is None) or period is None:
        return []
    currency = payload.get("compensation_currency")
    currency = currency.strip().upper() if isinstance(currency, str) and len(currency.strip()) == 3 else None
    raw = clean_str(payload.get("compensation")) or f"{low}-{high} {currency or ''} per {period}"
    return [PayRange(min=low, max=high, currency=currency, period=period, raw=" ".join(raw.split()))]


def _locations(location: dict[str, Any] | None) -> list[str]:
    if not location:
        return []
    name = clean_str(location.get("name"))
    if name and name.lower() == "remote":
        name = None
    parts = [p for p in (clean_str(location.get(k)) for k in ("city", "province")) if p]
    if name:
        parts.append(name)
    text = ", ".join(dict.fromkeys(parts))
    return [text] if text else []


def _description_html(payload: dict[str, Any], with_pay_text: bool) -> str | None:
    parts = []
    compensation = clean_str(payload.get("compensation")) if _visible(payload) else None
    if with_pay_text and compensation:
        parts.append(f"<p>Salary: {html.escape(compensation, quote=False)}</p>")
    for key in SECTIONS:
        body = payload.get(key)
        if not isinstance(body, str) or not body.strip():
            continue
        header = clean_str(payload.get(f"{key}_header"))
        if header and key != "description":
            parts.append(f"<h3>{html.escape(header, quote=False)}</h3>")
        parts.append(body.strip())
    return "\n".join(parts) or None
