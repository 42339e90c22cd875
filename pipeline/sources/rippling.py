"""Rippling job board payloads: a job's detail with its merged listing item under ``_listing`` (or the listing
item alone when the detail failed).

Listing shapes as recorded (docs/sources.md): the current board API's ``items[]`` {``id``, ``name``, ``url``,
``department`` {``name``}, ``locations`` [{``name``, ``city``, ``state``, ``country``, ``countryCode``,
``workplaceType`` ("ON_SITE", "REMOTE", "HYBRID")}], ``language``}, and the older API's bare array of {``uuid``,
``name``, ``url``, ``department`` {``id``, ``label``}, ``workLocation`` {``label``, ``id``}}. Both list a job once
per location; :func:`merge_items` folds them into one item per job whose ``locations`` hold every location (an
older item's ``workLocation`` becomes ``{"name": label}``).

Detail (unverified: no recorded body; the fields jobseek's scraper reads): ``name``, ``description``
{``company``, ``role``} (HTML), ``workLocations`` [...], ``employmentType`` {``label``: "SALARIED_FT",
"SALARIED_PT", "HOURLY_FT", ...}, ``department`` {``name``}, ``createdOn``, ``payRangeDetails`` {``rangeStart``,
``rangeEnd``, ``currency``, ``frequency``} (an object or a list of them), ``companyName``.

Work mode: the listing's ``workplaceType``, when every location of the job names the same one (mixed values are
left to the text parsers). Employment: the label's ``_FT``/``_PT`` suffix; other labels are passed on as words.
"""

from __future__ import annotations

from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, pay_amount

LISTING_KEY = "_listing"  # crawler.spiders.paged.LISTING_KEY
_PERIODS = {
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "per_year": "year",
    "salary": "year",
    "month": "month",
    "monthly": "month",
    "per_month": "month",
    "week": "week",
    "weekly": "week",
    "day": "day",
    "daily": "day",
    "hour": "hour",
    "hourly": "hour",
    "per_hour": "hour",
}
_SCHEDULES = {"FT": "full-time", "PT": "part-time"}


def posting_id(item: Any) -> str | None:
    """A listing item's job id: ``id`` (current API) or ``uuid`` (older API)."""
    if not isinstance(item, dict):
        return None
    return clean_str(item.get("id")) or clean_str(item.get("uuid"))


def _item_locations(item: dict[str, Any]) -> list[dict[str, Any]]:
    out = [loc for loc in item.get("locations") or [] if isinstance(loc, dict)]
    work = item.get("workLocation")
    if isinstance(work, dict) and (label := clean_str(work.get("label"))):
        out.append({"name": label})
    return out


def merge_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per job id, in listing order: the first item of each job with ``locations`` holding the locations
    of all its items (each name once). Items without an id are left out (the spider counts them)."""
    merged: dict[str, dict[str, Any]] = {}
    for item in items:
        key = posting_id(item)
        if key is None:
            continue
        job = merged.setdefault(key, {**item, "locations": []})
        names = {clean_str(loc.get("name")) for loc in job["locations"]}
        for loc in _item_locations(item):
            if clean_str(loc.get("name")) not in names or not clean_str(loc.get("name")):
                job["locations"].append(loc)
                names.add(clean_str(loc.get("name")))
    return list(merged.values())


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Rippling job is not an object: {type(payload).__name__}")
    listing = payload.get(LISTING_KEY)
    if not isinstance(listing, dict):
        raise MappingError("Rippling job without its listing item")
    external_id = posting_id(listing)
    if external_id is None:
        raise MappingError("Rippling job without an id")
    if listing.get("locations") is not None and not isinstance(listing["locations"], list):
        raise MappingError("Rippling job with malformed 'locations'")
    url = clean_str(listing.get("url"))
    return SourceFields(
        title=clean_str(payload.get("name")) or clean_str(listing.get("name")),
        external_id=external_id,
        company=clean_str(payload.get("companyName")) or board,
        url=url,
        apply_url=url,
        locations=_locations(listing) or _detail_locations(payload.get("workLocations")),
        description_html=_description_html(payload.get("description")),
        pay=pay_ranges(payload.get("payRangeDetails")),
        workplace=_workplace(listing),
        employment_type=employment_hint(payload.get("employmentType")),
        posted_at=parse_datetime(payload.get("createdOn")),
        department=_name(payload.get("department")) or _name(listing.get("department")),
    )


def _name(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean_str(value.get("name")) or clean_str(value.get("label"))
    return clean_str(value) if isinstance(value, str) else None


def _locations(listing: dict[str, Any]) -> list[str]:
    names = [clean_str(loc.get("name")) for loc in listing.get("locations") or [] if isinstance(loc, dict)]
    if work := _name(listing.get("workLocation")):
        names.append(work)
    return list(dict.fromkeys(n for n in names if n))


def _detail_locations(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return list(dict.fromkeys(n for loc in value if (n := _name(loc))))


def _workplace(listing: dict[str, Any]) -> str | None:
    kinds = {
        clean_str(loc.get("workplaceType"))
        for loc in listing.get("locations") or []
        if isinstance(loc, dict) and clean_str(loc.get("workplaceType"))
    }
    return kinds.pop() if len(kinds) == 1 else None


def employment_hint(value: Any) -> str | None:
    """``employmentType.label`` as a hint: "SALARIED_FT" -> "full-time", "HOURLY_PT" -> "part-time"; another label
    ("CONTRACTOR", "INTERN") as lower-case words."""
    label = _name(value) if isinstance(value, dict) else clean_str(value) if isinstance(value, str) else None
    if not label:
        return None
    suffix = label.rsplit("_", 1)[-1].upper()
    return _SCHEDULES.get(suffix) or label.replace("_", " ").lower()


def _description_html(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if not isinstance(value, dict):
        return None
    parts = [v.strip() for key in ("company", "role") if isinstance(v := value.get(key), str) and v.strip()]
    return "\n".join(parts) or None


def pay_ranges(value: Any) -> list[PayRange]:
    """``payRangeDetails`` (an object or a list of them) as pay ranges; one without a known frequency is left out."""
    out = []
    for entry in value if isinstance(value, list) else [value]:
        if not isinstance(entry, dict):
            continue
        low, high = pay_amount(entry.get("rangeStart")), pay_amount(entry.get("rangeEnd"))
        period = _PERIODS.get(str(entry.get("frequency") or "").strip().lower().replace("-", "_").replace(" ", "_"))
        if (low is None and high is None) or period is None:
            continue
        if low is not None and high is not None and low > high:
            low, high = high, low
        currency = entry.get("currency")
        currency = currency.strip().upper() if isinstance(currency, str) and len(currency.strip()) == 3 else None
        raw = f"payRangeDetails: {entry.get('rangeStart')}-{entry.get('rangeEnd')} {currency or ''}"
        raw = f"{raw} {entry.get('frequency')}"
        out.append(PayRange(min=low, max=high, currency=currency, period=period, raw=" ".join(raw.split())))
    return out
