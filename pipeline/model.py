"""The data contract of the normalization layer.

``SourceFields`` is what a source mapper (``pipeline/sources/<source>.py``) produces from one payload as received;
``Posting`` is schema v1 (``docs/schema.md``), what ``pipeline.normalize`` returns and ``--format json`` prints.
Everything here is plain data: no Scrapy, no database, no network.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson

SCHEMA_VERSION = 1

WORKPLACES = ("remote", "hybrid", "onsite")
SENIORITIES = ("intern", "junior", "mid", "senior", "staff", "principal", "lead", "manager")
EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "internship", "temporary")
PAY_PERIODS = ("hour", "day", "week", "month", "year")
PAY_KINDS = ("base", "ote")
EDUCATION_LEVELS = ("bachelor", "master", "phd")

# Annualization factors fixed by DESIGN.md: 2080 hours, 260 days, 52 weeks, 12 months.
ANNUAL_FACTOR = {"hour": 2080, "day": 260, "week": 52, "month": 12, "year": 1}


def annualize(amount: float | None, period: str | None) -> float | None:
    """``amount`` per ``period`` as a yearly figure (None when either is unknown)."""
    if amount is None or period not in ANNUAL_FACTOR:
        return None
    return round(amount * ANNUAL_FACTOR[period], 2)


@dataclass(slots=True)
class PayRange:
    """One stated pay range. ``min``/``max`` are in ``currency`` per ``period``; one-sided ranges keep the
    other bound None ("up to $90k": min None, max 90000)."""

    min: float | None
    max: float | None
    currency: str | None  # ISO 4217
    period: str | None  # one of PAY_PERIODS
    kind: str = "base"  # one of PAY_KINDS; "ote" = on-target earnings
    label: str | None = None  # e.g. "United States", "Senior (L5)"
    raw: str | None = None  # the text or field the range came from
    annual_min: float | None = None
    annual_max: float | None = None

    def __post_init__(self) -> None:
        if self.min is not None and self.max is not None and self.min > self.max:
            self.min, self.max = self.max, self.min
        if self.annual_min is None:
            self.annual_min = annualize(self.min, self.period)
        if self.annual_max is None:
            self.annual_max = annualize(self.max, self.period)

    def to_dict(self) -> dict[str, Any]:
        # what asdict(self) gives (every field is a scalar), without its recursive copy (~10x the cost)
        return {
            "min": self.min,
            "max": self.max,
            "currency": self.currency,
            "period": self.period,
            "kind": self.kind,
            "label": self.label,
            "raw": self.raw,
            "annual_min": self.annual_min,
            "annual_max": self.annual_max,
        }


@dataclass(slots=True)
class Location:
    raw: str
    city: str | None = None
    region: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2

    def to_dict(self) -> dict[str, Any]:
        return {"raw": self.raw, "city": self.city, "region": self.region, "country": self.country}


@dataclass(slots=True)
class SourceFields:
    """Source-agnostic fields a mapper read from one payload. Structured values only: a mapper never parses
    free text (that is the text parsers' job); it leaves a field None when the source has no field for it."""

    title: str | None
    external_id: str
    company: str | None = None
    url: str | None = None
    apply_url: str | None = None
    locations: list[str] = field(default_factory=list)  # raw location strings, as the source gives them
    description_html: str | None = None
    description_text: str | None = None  # when the source gives plain text instead of HTML
    pay: list[PayRange] = field(default_factory=list)  # structured pay ranges, primary first
    # The source's pay fields name no currency and the mapper filled in the one the API documents (Remote OK: USD),
    # which posters ignore: normalize takes the currency and period the text states for the same figures.
    pay_currency_assumed: bool = False
    workplace: str | None = None  # the source's work-mode field as sent ("Remote", "HYBRID", True -> "remote")
    remote_regions: list[str] = field(default_factory=list)
    employment_type: str | None = None  # the source's employment field as sent ("Full-time", "FULL_TIME")
    seniority: str | None = None  # one of SENIORITIES, only when the source has a level field
    posted_at: datetime | None = None  # UTC
    valid_through: datetime | None = None  # UTC; windowed feeds close on it
    tags: list[str] = field(default_factory=list)
    department: str | None = None
    requisition_id: str | None = None
    # "structured" for ATS/board API fields, "jsonld" for schema.org JobPosting markup.
    origin: str = "structured"


@dataclass(slots=True)
class SourceRef:
    source: str
    board: str
    external_id: str
    url: str | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "board": self.board,
            "external_id": self.external_id,
            "url": self.url,
            "first_seen_at": iso(self.first_seen_at),
            "last_seen_at": iso(self.last_seen_at),
        }


@dataclass(slots=True)
class Posting:
    """A normalized posting, schema v1 (``docs/schema.md``)."""

    title: str
    source: str
    board: str
    external_id: str
    company: str | None = None
    url: str | None = None
    apply_url: str | None = None
    id: int | None = None
    sources: list[SourceRef] = field(default_factory=list)
    posted_at: datetime | None = None
    valid_through: datetime | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    closed_at: datetime | None = None
    is_backend: bool = False
    role_reason: str | None = None
    locations: list[Location] = field(default_factory=list)
    workplace: str | None = None
    remote_regions: list[str] = field(default_factory=list)
    seniority: str | None = None
    experience_years_min: float | None = None
    experience_years_max: float | None = None
    education: str | None = None
    education_equivalent: bool = False
    employment_type: str | None = None
    visa_sponsorship: bool | None = None
    relocation: bool | None = None
    pay: PayRange | None = None
    pay_ranges: list[PayRange] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    skill_evidence: dict[str, str] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    description_text: str = ""
    requisition_id: str | None = None
    department: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Schema v1 as JSON-ready data (dates as ISO 8601 UTC)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
            "company": self.company,
            "url": self.url,
            "apply_url": self.apply_url,
            "source": self.source,
            "board": self.board,
            "external_id": self.external_id,
            "sources": [s.to_dict() for s in self.sources],
            "posted_at": iso(self.posted_at),
            "first_seen_at": iso(self.first_seen_at),
            "last_seen_at": iso(self.last_seen_at),
            "closed_at": iso(self.closed_at),
            "is_backend": self.is_backend,
            "role_reason": self.role_reason,
            "locations": [loc.to_dict() for loc in self.locations],
            "workplace": self.workplace,
            "remote_regions": list(self.remote_regions),
            "seniority": self.seniority,
            "experience_years_min": self.experience_years_min,
            "experience_years_max": self.experience_years_max,
            "education": self.education,
            "education_equivalent": self.education_equivalent,
            "employment_type": self.employment_type,
            "visa_sponsorship": self.visa_sponsorship,
            "relocation": self.relocation,
            "pay": self.pay.to_dict() if self.pay else None,
            "pay_ranges": [p.to_dict() for p in self.pay_ranges],
            "skills": list(self.skills),
            "skill_evidence": dict(self.skill_evidence),
            "provenance": dict(self.provenance),
            "description_text": self.description_text,
        }

    def to_json(self) -> str:
        """``json.dumps(self.to_dict(), ensure_ascii=False)``, the very same text (what ``jobscout normalize --jsonl``
        writes a line of), ~3x faster: orjson serializes, :func:`one_line` lays its output out as ``json`` does.
        Whatever orjson would write differently (a float orjson formats otherwise, a value it cannot or would
        serialize where ``json`` raises) goes through ``json.dumps`` itself."""
        data = self.to_dict()
        if not self._orjson_floats():
            return json.dumps(data, ensure_ascii=False)
        # The description is most of the bytes and holds no separator to lay out: serialized on its own, after.
        text = data.pop("description_text")
        try:
            head = one_line(orjson.dumps(data, option=_ORJSON_OPTIONS))
            tail = orjson.dumps(text, option=_ORJSON_OPTIONS)
        except orjson.JSONEncodeError:  # a lone surrogate, an int beyond 64 bits, a type json would refuse
            data["description_text"] = text
            return json.dumps(data, ensure_ascii=False)
        return (head[:-1] + b', "description_text": ' + tail + b"}").decode()

    def _orjson_floats(self) -> bool:
        """Whether every float of the posting is one orjson writes as ``json`` does (``repr``): not below 1e-4
        (orjson writes 1e-05 as 0.00001) and finite (orjson writes NaN as null). These are the schema's floats
        (tests/test_model.py checks that no other field is annotated float)."""
        return all(
            _orjson_float(x)
            for x in (
                self.experience_years_min,
                self.experience_years_max,
                *(
                    v
                    for r in (self.pay, *self.pay_ranges)
                    if r is not None
                    for v in (r.min, r.max, r.annual_min, r.annual_max)
                ),
            )
        )


# Serialized as ``json.dumps`` would: dataclasses and dates raise there, so orjson must not write them either.
_ORJSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME


def _orjson_float(x: Any) -> bool:
    return not isinstance(x, float) or x == 0 or (abs(x) >= 1e-4 and not math.isinf(x))


_ITEM_BREAK = re.compile(rb",\n *")
_LINE_BREAK = re.compile(rb"\n *")


def one_line(indented: bytes) -> bytes:
    """orjson's ``OPT_INDENT_2`` output laid out on one line as ``json.dumps`` lays it out: ``", "`` between
    items, ``": "`` after keys (as orjson already writes it), nothing inside brackets. Every line break of that
    output is layout (a string's own line breaks are escaped), so it is exact: a break after an item's comma
    becomes a space, any other goes with its indentation. (orjson writes no spaces after separators in its compact
    form, and from that form the separators cannot be told from commas inside strings without parsing.)"""
    return _LINE_BREAK.sub(b"", _ITEM_BREAK.sub(b", ", indented))


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z`` suffix; naive datetimes are taken as UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
