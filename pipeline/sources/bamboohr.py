"""BambooHR job openings: one element of ``result`` from ``https://{company}.bamboohr.com/careers/list``, with the
opening's detail (``result.jobOpening`` of ``/careers/{id}/detail``) under ``detail`` when it was fetched (the
only key jobscout adds; a failed detail leaves the list item alone).

List item, as recorded (an air-ambulance tenant and an Arizona employer): ``id`` (a string of digits),
``jobOpeningName`` (the title), ``departmentId``, ``departmentLabel``, ``employmentStatusLabel`` ("Full-Time",
"Part-Time", "Internship"), ``employmentType`` (null), ``location`` {``city``, ``state``} and ``atsLocation``
{``country``, ``state``, ``province``, ``city``} (either may be all null), ``isRemote`` (true or null) and
``locationType`` ("0" on-site, "1" remote, "2" hybrid). No description, pay or date.

Detail ``jobOpening`` (UNVERIFIED: no recorded body; built from the format other clients document):
``jobOpeningName``, ``description`` (HTML), ``compensation`` (free text: "$110,000 - $150,000"),
``datePosted`` ("2026-05-04"), ``minimumExperience``, ``jobOpeningStatus`` ("Open"), ``jobOpeningShareUrl``
(the public page), ``departmentLabel``, ``employmentStatusLabel``, ``location`` {``city``, ``state``,
``postalCode``, ``addressCountry``}, ``atsLocation``, ``isRemote``, ``locationType``.

The detail's fields win over the list item's. Pay: ``compensation`` is text, so it leads the description as a
``Salary: ...`` line for the text pay parser. Work mode: ``isRemote`` true -> remote, else ``locationType``.
"""

from __future__ import annotations

import html
from typing import Any

from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime

DETAIL_KEY = "detail"
_LOCATION_TYPES = {"0": "onsite", "1": "remote", "2": "hybrid"}


def posting_id(item: Any) -> str | None:
    value = item.get("id") if isinstance(item, dict) else None
    if value is None or isinstance(value, bool | dict | list) or not str(value).strip():
        return None
    return str(value).strip()


def opening_url(base: str, external_id: str) -> str:
    """The public page of an opening on the board at ``base`` (``https://{company}.bamboohr.com``)."""
    return f"{base.rstrip('/')}/careers/{external_id}"


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict):
        raise MappingError(f"BambooHR opening is not an object: {type(payload).__name__}")
    detail = payload.get(DETAIL_KEY)
    if detail is not None and not isinstance(detail, dict):
        raise MappingError("BambooHR opening with a malformed detail")
    external_id = posting_id(payload) or posting_id(detail)
    if external_id is None:
        raise MappingError("BambooHR opening without an id")
    merged = {**payload, **{k: v for k, v in (detail or {}).items() if v not in (None, "", {}, [])}}
    url = clean_str(merged.get("jobOpeningShareUrl"))  # else the raw posting's URL: the spider's opening_url
    return SourceFields(
        title=clean_str(merged.get("jobOpeningName")),
        external_id=external_id,
        company=board,
        url=url,
        apply_url=url,
        locations=_locations(merged),
        description_html=_description_html(merged),
        workplace=_workplace(merged),
        employment_type=clean_str(merged.get("employmentStatusLabel")),
        posted_at=parse_datetime(merged.get("datePosted")),
        department=clean_str(merged.get("departmentLabel")),
    )


def _workplace(merged: dict[str, Any]) -> str | None:
    if merged.get("isRemote") is True:
        return "remote"
    return _LOCATION_TYPES.get(str(merged.get("locationType")).strip())


def _locations(merged: dict[str, Any]) -> list[str]:
    out = []
    for key, parts in (
        ("atsLocation", ("city", "state", "province", "country")),
        ("location", ("city", "state", "addressCountry")),
    ):
        place = merged.get(key)
        if isinstance(place, dict):
            text = ", ".join(dict.fromkeys(p for k in parts if isinstance(p := clean_str(place.get(k)), str)))
            if text:
                out.append(text)
    # the two objects usually name one place (or one is empty): keep the first that names one
    return out[:1]


def _description_html(merged: dict[str, Any]) -> str | None:
    parts = []
    if compensation := clean_str(merged.get("compensation")):
        parts.append(f"<p>Salary: {html.escape(compensation, quote=False)}</p>")
    if isinstance(description := merged.get("description"), str) and description.strip():
        parts.append(description.strip())
    return "\n".join(parts) or None
