"""SmartRecruiters Posting API payloads: a posting detail from ``/v1/companies/{id}/postings/{postingId}``, or,
when the detail could not be fetched, the list item from ``/v1/companies/{id}/postings`` (same keys, minus
``jobAd``, ``postingUrl`` and ``applyUrl``).

Shape as recorded (Western Digital, HireVue): ``id`` (numeric string), ``name`` (the title), ``refNumber``,
``company`` {``identifier``, ``name``}, ``releasedDate`` (ISO 8601), ``location`` {``city``, ``region``,
``country`` (lower-case alpha-2), ``remote``, ``hybrid``, ``fullLocation``}, ``typeOfEmployment`` {``id``:
"permanent" | "part-time" | "intern" | "contract" | ..., ``label``: "Full-time", ...}, ``experienceLevel``
{``id``: "internship" | "entry_level" | "associate" | "mid_senior_level" | "director" | "executive", ``label``},
``department`` {``label``} (often ``{}``), ``function``, ``industry``, ``customField`` [...], ``jobAd.sections``
{``companyDescription``, ``jobDescription``, ``qualifications``, ``additionalInformation``: {``title``,
``text`` (HTML)}}, ``compensation`` {``min``, ``max``, ``currency``, ``period``: "HOURLY", ...} (detail only,
not on every posting), ``postingUrl``/``applyUrl``, ``ref`` (the API URL).

Work mode: ``location.remote`` true -> remote, ``location.hybrid`` true -> hybrid; both false is left unknown
(None) rather than taken as onsite: employers who never set the flags are common, and the text parsers decide.
Seniority is read from ``experienceLevel`` only where it is unambiguous (internship -> intern, entry level ->
junior); "associate" and "mid_senior_level" span several levels. A "Salary Range" custom field is free text and
is left to the text parsers.
"""

from __future__ import annotations

import html
from typing import Any

from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime, pay_amount

PUBLIC_JOB_URL = "https://jobs.smartrecruiters.com/{company}/{id}"
SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
_SENIORITY = {"internship": "intern", "intern": "intern", "entry_level": "junior", "entry level": "junior"}
_PERIODS = {
    "HOURLY": "hour",
    "HOUR": "hour",
    "DAILY": "day",
    "DAY": "day",
    "WEEKLY": "week",
    "WEEK": "week",
    "MONTHLY": "month",
    "MONTH": "month",
    "YEARLY": "year",
    "YEAR": "year",
    "ANNUALLY": "year",
    "ANNUAL": "year",
}


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"SmartRecruiters posting is not an object: {type(payload).__name__}")
    if not clean_str(payload.get("id")):
        raise MappingError("SmartRecruiters posting without an id")
    for key in ("company", "location", "jobAd"):
        if payload.get(key) is not None and not isinstance(payload[key], dict):
            raise MappingError(f"SmartRecruiters posting with non-object {key!r}")
    posting_id = str(payload["id"]).strip()
    company = payload.get("company") or {}
    location = payload.get("location") or {}
    url = clean_str(payload.get("postingUrl"))
    if url is None and (identifier := clean_str(company.get("identifier")) or board):
        url = PUBLIC_JOB_URL.format(company=identifier, id=posting_id)
    return SourceFields(
        title=clean_str(payload.get("name")),
        external_id=posting_id,
        company=clean_str(company.get("name")) or board,
        url=url,
        apply_url=clean_str(payload.get("applyUrl")) or url,
        locations=_locations(location),
        description_html=_description_html(payload.get("jobAd") or {}),
        pay=_pay(payload.get("compensation")),
        workplace=_workplace(location),
        employment_type=_label(payload.get("typeOfEmployment")),
        seniority=_seniority(payload.get("experienceLevel")),
        posted_at=parse_datetime(payload.get("releasedDate")),
        department=_label(payload.get("department")),
        requisition_id=clean_str(payload.get("refNumber")),
    )


def _label(value: Any) -> str | None:
    if isinstance(value, dict):
        return clean_str(value.get("label")) or clean_str(value.get("id"))
    return clean_str(value) if isinstance(value, str) else None


def _seniority(value: Any) -> str | None:
    if not isinstance(value, dict):
        return None
    for key in ("id", "label"):
        if isinstance(value.get(key), str) and (level := _SENIORITY.get(value[key].strip().lower())):
            return level
    return None


def _workplace(location: dict[str, Any]) -> str | None:
    if location.get("remote") is True:
        return "remote"
    if location.get("hybrid") is True:
        return "hybrid"
    return None


def _locations(location: dict[str, Any]) -> list[str]:
    full = clean_str(location.get("fullLocation"))
    if full:
        return [full]
    country = clean_str(location.get("country"))
    parts = [clean_str(location.get("city")), clean_str(location.get("region")), country.upper() if country else None]
    text = ", ".join(p for p in parts if p)
    return [text] if text else []


def _description_html(job_ad: dict[str, Any]) -> str | None:
    sections = job_ad.get("sections")
    if not isinstance(sections, dict):
        return None
    parts = []
    for key in SECTIONS:
        section = sections.get(key)
        if not isinstance(section, dict):
            continue
        text = section.get("text")
        if not isinstance(text, str) or not text.strip():
            continue
        title = clean_str(section.get("title"))
        parts.append(f"<h3>{html.escape(title, quote=False)}</h3>\n{text}" if title else text)
    return "\n".join(parts) or None


def _pay(value: Any) -> list[PayRange]:
    if not isinstance(value, dict):
        return []
    low, high = pay_amount(value.get("min")), pay_amount(value.get("max"))
    period = _PERIODS.get(str(value.get("period") or "").strip().upper())
    if (low is None and high is None) or period is None:
        return []
    currency = value.get("currency")
    currency = currency.strip().upper() if isinstance(currency, str) and len(currency.strip()) == 3 else None
    raw = f"compensation: {value.get('min')}-{value.get('max')} {currency or ''} {value.get('period')}"
    return [PayRange(min=low, max=high, currency=currency, period=period, raw=raw)]
