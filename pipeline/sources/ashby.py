"""Ashby Posting API payloads (one element of ``jobs`` from
``/posting-api/job-board/{board}?includeCompensation=true``).

Shape as recorded (Ramp, Linear, wealth-com, Decagon, Suno, Nango, ... boards): ``id`` (a UUID), ``title``,
``location`` plus ``secondaryLocations`` [{``location``, ``address``}], ``address.postalAddress``
{``addressLocality``, ``addressRegion``, ``addressCountry``}, ``workplaceType`` ("Remote" | "Hybrid" | "OnSite"
| null, and absent altogether from older captures), ``isRemote`` (true for hybrid jobs too, and false on some
"Remote" jobs: not a work-mode field), ``employmentType`` ("FullTime", "PartTime", "Intern", "Contract",
"Temporary"), ``publishedAt`` (ISO 8601), ``descriptionHtml``/``descriptionPlain``, ``jobUrl``/``applyUrl``,
``department``/``team``, ``isListed``.

``compensation`` (only with ``includeCompensation=true``): ``compensationTiers`` [{``title`` (a level or zone,
e.g. "US Tier 1", "Senior"), ``tierSummary``, ``components`` [...]}] and ``summaryComponents`` (one merged
range per component type). A component is {``compensationType``, ``interval`` ("1 YEAR", "1 HOUR", "1 MONTH",
"1 WEEK", "1 TIME", "NONE"), ``currencyCode``, ``minValue``, ``maxValue``, ``summary``}. Only ``Salary`` is
base pay: ``EquityPercentage``/``EquityCashValue``/``Bonus``/``Commission`` are not, and a commission range alone
is not on-target earnings (OTE = base + commission, which Ashby never states), so they are not taken. A "1 TIME"
salary (a per-interview payout) has no period and is not taken either. Ranges come from the tiers (one per
tier, labelled by the tier title); ``summaryComponents`` is the fallback when there are no tiers.

Unlisted jobs (``isListed: false``) are skipped by the spider, not here. Ashby bodies carry no company name
(``organizationName`` appears in none of the recorded boards): the board token stands for it.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, pay_amount

_INTERVAL = re.compile(r"^\s*1\s+(HOUR|DAY|WEEK|MONTH|YEAR)S?\s*$", re.I)
_WORKPLACES = {"remote": "remote", "hybrid": "hybrid", "onsite": "onsite", "on-site": "onsite", "inoffice": "onsite"}


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"Ashby job is not an object: {type(payload).__name__}")
    if not clean_str(payload.get("id")):
        raise MappingError("Ashby job without an id")
    compensation = payload.get("compensation")
    if compensation is not None and not isinstance(compensation, dict):
        raise MappingError("Ashby job with non-object 'compensation'")
    html = payload.get("descriptionHtml")
    plain = payload.get("descriptionPlain")
    has_html = isinstance(html, str) and bool(html.strip())
    return SourceFields(
        title=clean_str(payload.get("title")),
        external_id=str(payload["id"]).strip(),
        company=clean_str(payload.get("organizationName")) or board,
        url=clean_str(payload.get("jobUrl")),
        apply_url=clean_str(payload.get("applyUrl")) or clean_str(payload.get("jobUrl")),
        locations=_locations(payload),
        description_html=html if has_html else None,
        description_text=plain if not has_html and isinstance(plain, str) and plain.strip() else None,
        pay=_pay(compensation or {}),
        workplace=workplace_hint(payload.get("workplaceType")),
        employment_type=clean_str(payload.get("employmentType")),
        posted_at=parse_datetime(payload.get("publishedAt")),
        department=clean_str(payload.get("department")) or clean_str(payload.get("team")),
    )


def workplace_hint(value: Any) -> str | None:
    """``workplaceType`` ("Remote", "Hybrid", "OnSite") as one of remote/hybrid/onsite; else None."""
    if not isinstance(value, str):
        return None
    return _WORKPLACES.get(re.sub(r"[\s_]", "", value).lower())


def _address_text(address: Any) -> str | None:
    postal = address.get("postalAddress") if isinstance(address, dict) else None
    if not isinstance(postal, dict):
        return None
    parts = [clean_str(postal.get(k)) for k in ("addressLocality", "addressRegion", "addressCountry")]
    return ", ".join(p for p in parts if p) or None


def _locations(payload: dict[str, Any]) -> list[str]:
    out = []
    primary = clean_str(payload.get("location")) or _address_text(payload.get("address"))
    if primary:
        out.append(primary)
    for secondary in payload.get("secondaryLocations") or []:
        if isinstance(secondary, dict):
            name = clean_str(secondary.get("location")) or _address_text(secondary.get("address"))
        else:
            name = clean_str(secondary) if isinstance(secondary, str) else None
        if name:
            out.append(name)
    return list(dict.fromkeys(out))


def _pay(compensation: dict[str, Any]) -> list[PayRange]:
    ranges: list[PayRange] = []
    for tier in compensation.get("compensationTiers") or []:
        if not isinstance(tier, dict):
            continue
        label = clean_str(tier.get("title"))
        for component in tier.get("components") or []:
            if (pay := _salary(component, label)) is not None:
                ranges.append(pay)
    if not ranges:
        for component in compensation.get("summaryComponents") or []:
            if (pay := _salary(component, None)) is not None:
                ranges.append(pay)
    return ranges


def _salary(component: Any, label: str | None) -> PayRange | None:
    if not isinstance(component, dict) or component.get("compensationType") != "Salary":
        return None
    interval = component.get("interval")
    m = _INTERVAL.match(interval) if isinstance(interval, str) else None
    if m is None:
        return None
    low, high = pay_amount(component.get("minValue")), pay_amount(component.get("maxValue"))
    if low is None and high is None:
        return None
    code = component.get("currencyCode")
    currency = code.strip().upper() if isinstance(code, str) and len(code.strip()) == 3 else None
    summary = clean_str(component.get("summary"))
    raw = summary or f"{component.get('minValue')}-{component.get('maxValue')} {currency or ''} {interval}"
    return PayRange(min=low, max=high, currency=currency, period=m.group(1).lower(), label=label, raw=raw)
