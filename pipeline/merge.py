"""What wins when several sources describe one job (pure: no database). Policy: ``docs/dedup-policy.md``.

:mod:`pipeline.dedup` decides whether two sightings are the same opening; this module decides which values the
merged posting shows. Both work on :class:`pipeline.model.Posting` values only: ``storage.ingest`` loads the stored
posting as one, calls :func:`merge`, writes the result back onto the row and records the tracked changes.

- The canonical source (the best-ranked one, :func:`pipeline.dedup.source_rank`) sets the values; what it leaves
  empty keeps the merged value. A better-ranked newcomer takes over as canonical; ties keep the first seen.
- A lower-ranked source only fills gaps (:data:`GAP_FIELDS`, locations, remote regions, apply URL, an empty
  description) and replaces a pay whose origin ranks lower than its own (structured > JSON-LD > text).
- ``posted_at`` is the earliest stated; one requisition seen in several places unions the locations.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.dedup import ORIGIN_RANK, source_rank
from pipeline.model import Location, Posting

# Fields a lower-ranked source may fill when the canonical one leaves them empty (None).
GAP_FIELDS = (
    "workplace",
    "seniority",
    "employment_type",
    "experience_years_min",
    "experience_years_max",
    "education",
    "visa_sponsorship",
    "relocation",
    "department",
    "requisition_id",
)

# What a merged posting keeps of the stored record whoever's values it shows: storage owns these.
_RECORD_FIELDS = ("id", "sources", "first_seen_at", "last_seen_at", "closed_at")


@dataclass(frozen=True, slots=True)
class Merge:
    """The outcome of :func:`merge`.

    ``posting`` holds the values the job shows now. ``takes_over`` says the incoming source's values are its base
    (it is the canonical source, or it just became it), so the stored posting takes all of them, its skills
    included; otherwise only values the merge filled in differ from the current ones. ``promoted`` says the
    incoming source outranks the canonical one and replaces it (``posting.source/board/external_id``)."""

    posting: Posting
    takes_over: bool
    promoted: bool


def merge(current: Posting, incoming: Posting, *, canonical: bool, reason: str) -> Merge:
    """Merge the values one source (``incoming``) gives for a job into the job's ``current`` values.

    ``canonical``: ``incoming`` comes from the posting's canonical source (a refresh of it). ``reason``: why the
    two are the same job (:func:`pipeline.dedup.match`: "exact", "url", "requisition", "fingerprint");
    "requisition" means one opening advertised in several places, whose locations are united.
    Neither argument is modified.
    """
    promoted = not canonical and source_rank(incoming.source) > source_rank(current.source)
    takes_over = canonical or promoted
    base, other = (incoming, current) if takes_over else (current, incoming)
    changes = fill_gaps(base, other)
    if reason == "requisition":
        changes["locations"] = union_locations(changes.get("locations", base.locations), other.locations)
    if takes_over:
        changes.update({name: getattr(current, name) for name in _RECORD_FIELDS})
    return Merge(dataclasses.replace(base, **changes) if changes else base, takes_over, promoted)


def fill_gaps(base: Posting, other: Posting) -> dict[str, Any]:
    """The values of ``other`` that ``base`` takes (field name -> value): every one ``base`` leaves empty, a pay
    of better origin, the earlier ``posted_at``. ``base`` is not modified."""
    changes: dict[str, Any] = {}
    provenance = dict(base.provenance)
    if other.pay is not None and (
        not has_pay(base) or pay_origin_rank(base.provenance) < pay_origin_rank(other.provenance)
    ):
        changes["pay"] = other.pay
        changes["pay_ranges"] = list(other.pay_ranges)
        provenance["pay"] = other.provenance.get("pay", "text")
    if not base.locations and other.locations:
        changes["locations"] = union_locations([], other.locations)
    for name in GAP_FIELDS:
        if getattr(base, name) is None and getattr(other, name) is not None:
            changes[name] = getattr(other, name)
            if name in other.provenance and name not in provenance:
                provenance[name] = other.provenance[name]
    if provenance != base.provenance:
        changes["provenance"] = provenance
    if not base.remote_regions and other.remote_regions:
        changes["remote_regions"] = list(other.remote_regions)
    if not base.apply_url and other.apply_url:
        changes["apply_url"] = other.apply_url
    if not (base.description_text or "").strip() and other.description_text:
        changes["description_text"] = other.description_text
    if other.posted_at and (base.posted_at is None or other.posted_at < base.posted_at):
        changes["posted_at"] = other.posted_at
    return changes


def union_locations(current: Iterable[Location], extra: Iterable[Location]) -> list[Location]:
    """``current`` followed by the locations of ``extra`` not already named (by raw string), in order."""
    out = list(current)
    raws = {loc.raw for loc in out}
    for loc in extra:
        if loc.raw not in raws:
            out.append(loc)
            raws.add(loc.raw)
    return out


def has_pay(posting: Posting) -> bool:
    """A pay with at least one bound (what the stored posting keeps as its primary pay)."""
    pay = posting.pay
    return pay is not None and (pay.min is not None or pay.max is not None)


def pay_origin_rank(provenance: Mapping[str, str] | None) -> int:
    """How a posting's pay was read (provenance "pay"; text when unstated), as a rank: higher wins."""
    return ORIGIN_RANK.get((provenance or {}).get("pay", "text"), 0)


def merged_state(posting: Posting) -> str:
    """The values the merge policy decides beyond the canonical source's own, as a comparable string: a merge that
    leaves it (and the canonical source and its content) as it was did not update the posting. Provenance, pay
    labels and the description's wording are not part of it (only whether a description is there, and its
    length)."""
    pay = posting.pay if has_pay(posting) else None
    state = {
        "locations": [loc.to_dict() for loc in posting.locations],
        "pay": (pay.min, pay.max, pay.currency, pay.period, pay.kind) if pay else (None,) * 5,
        **{name: getattr(posting, name) for name in GAP_FIELDS},
        "posted_at": posting.posted_at,
        "apply_url": posting.apply_url,
        "description": len(posting.description_text or ""),
        "remote_regions": posting.remote_regions,
    }
    return json.dumps(state, default=str, sort_keys=True)
