"""Composition: a raw posting -> schema v1 :class:`~pipeline.model.Posting`.

``normalize(raw)`` = the source's mapper (payload -> SourceFields) -> the text parsers -> a merge in which
structured source fields win over JSON-LD, and both over what the text says. ``provenance`` records, per field,
where the value came from: "structured" (an API field), "jsonld" (schema.org markup), "location" (the location
field), "title" or "text".

Pure: no Scrapy, no database, no network, so ``jobscout reprocess`` can rebuild postings from stored payloads.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields as dataclass_fields
from dataclasses import replace
from typing import Any, Protocol

from pipeline.company import company_from_text, company_key
from pipeline.education import parse_education
from pipeline.employment import infer_employment_type
from pipeline.experience import parse_experience
from pipeline.location import parse_location, split_locations
from pipeline.mobility import parse_relocation, parse_visa_sponsorship
from pipeline.model import PayRange, Posting, SourceFields, SourceRef
from pipeline.pay import parse_pay, primary_pay
from pipeline.role import classify_role
from pipeline.seniority import infer_seniority
from pipeline.skills import extract_skills
from pipeline.sources import MappingError, get_mapper, get_parts_mapper
from pipeline.sources.common import http_url
from pipeline.text import html_to_text, strip_controls
from pipeline.workplace import infer_workplace


class RawLike(Protocol):
    source: str
    board: str
    external_id: str
    url: str | None
    payload: dict[str, Any]


def normalize(raw: RawLike | Mapping[str, Any], *, company: str | None = None) -> Posting:
    """Normalize one raw posting (a :class:`crawler.items.RawPosting` or a dict with the same keys).

    ``company`` (or a ``company`` key/attribute of ``raw``) is the board's company display name, e.g. from the
    boards registry ("Spotify" for the Lever board "spotify"): it names the company when the payload names none,
    or only echoes the board token (Lever and Ashby bodies carry no company name; the mapper falls back to the
    token). A name the payload itself states wins (``company_for``).

    Raises :class:`pipeline.sources.MappingError` when the payload cannot be read.
    """
    source, board, url, fields = _fields_of(raw, company)
    return normalize_fields(fields, source=source, board=board, url=url)


def normalize_many(raws: Iterable[RawLike | Mapping[str, Any]]) -> list[Posting | Exception]:
    """``normalize`` of each raw posting, in order, with an exception in place of a posting that raised one (a
    :class:`pipeline.sources.MappingError` for a payload that cannot be read, or a parser's bug): one posting's
    failure never costs the others.

    The same calls as ``normalize`` one posting at a time, made stage by stage over chunks of :data:`CHUNK`
    postings: ~25% less CPU on the corpus (bench/bench_normalize.py), because each parser's tables and automata
    stay in the processor's caches from one posting to the next (docs/scan.md, "In context"). The parsers are pure,
    so the order of the calls changes no output; tests/test_normalize.py compares both on every corpus posting."""
    return _normalize_each(raws, _raw_draft)


def _raw_draft(raw: RawLike | Mapping[str, Any]) -> _Draft:
    source, board, url, fields = _fields_of(raw, None)
    return _Draft(fields, source, board, url)


def _normalize_each(items: Iterable[Any], draft_of: Callable[[Any], _Draft]) -> list[Posting | Exception]:
    """The stages over ``draft_of(item)`` of each item, chunk by chunk, results in the items' order; an item whose
    draft or stage raised has the exception in its place."""
    out: list[_Draft | Exception] = []
    drafts: list[_Draft] = []
    for item in items:
        try:
            draft = draft_of(item)
        except Exception as exc:  # returned in the item's place, as documented by the callers
            out.append(exc)
            continue
        out.append(draft)
        drafts.append(draft)
    for i in range(0, len(drafts), CHUNK):
        _run_stages(drafts[i : i + CHUNK])
    return [item.result if isinstance(item, _Draft) else item for item in out]


# Postings per chunk of normalize_many: the per-text caches (text.folded, scan.hits) hold every text of a chunk.
CHUNK = 16


def _fields_of(raw: RawLike | Mapping[str, Any], company: str | None) -> tuple[str, str, str | None, SourceFields]:
    """(source, board, url, the mapper's fields with the company ``company_for`` names)."""
    if isinstance(raw, Mapping):
        source, board, payload, url = raw["source"], raw["board"], raw["payload"], raw.get("url")
        company = company or raw.get("company")
        external_id = raw.get("external_id")
    else:
        source, board, payload, url = raw.source, raw.board, raw.payload, raw.url
        company = company or getattr(raw, "company", None)
        external_id = getattr(raw, "external_id", None)
    fields = _mapped(source, board, payload, external_id)
    named = company_for(fields.company, board, company)
    if named != fields.company:
        fields = replace(fields, company=named)
    return source, board, url, fields


def _mapped(source: str, board: str, payload: dict[str, Any], external_id: str | None) -> SourceFields:
    """The mapper's fields; for an external id ``{id}#{n}`` of a source whose payloads hold several postings
    (``pipeline.sources.get_parts_mapper``), posting n of the payload."""
    parts = get_parts_mapper(source) if isinstance(external_id, str) and "#" in external_id else None
    if parts is None:
        return get_mapper(source)(payload, board)
    for fields in parts(payload, board):
        if fields.external_id == external_id:
            return fields
    raise MappingError(f"{source}/{board}: the payload holds no posting {external_id!r}")


def company_for(mapped: str | None, board: str, display_name: str | None) -> str | None:
    """The posting's company: the mapper's name unless it is missing or just the board token (same
    ``company_key``), then the board's display name when one is given."""
    display = display_name.strip() if isinstance(display_name, str) else ""
    if not display:
        return mapped
    if not mapped or not mapped.strip() or company_key(mapped) == company_key(board):
        return display
    return mapped


def normalize_fields(fields: SourceFields, *, source: str, board: str, url: str | None = None) -> Posting:
    """Run the text parsers over mapped fields and merge them with precedence structured > jsonld > text.

    Hostile input is neutralized here, at the mapper boundary, whatever the mapper did: control characters leave
    every text (:func:`scrub_fields`, and the description's text once extracted), and ``url``/``apply_url`` keep
    only absolute http(s) URLs (:func:`pipeline.sources.common.http_url`; the raw value stays in the payload)."""
    draft = _Draft(fields, source, board, url)
    _run_stages([draft])
    if isinstance(draft.result, Exception):
        raise draft.result
    return draft.result


class _Draft:
    """One posting on its way through the stages of :func:`_run_stages`: the mapped fields, what the stages found
    so far, and at the end the posting (or the exception that stopped it)."""

    __slots__ = (
        "apply_url",
        "board",
        "education",
        "employment",
        "fields",
        "locations",
        "pay",
        "provenance",
        "ranges",
        "relocation",
        "remote_regions",
        "result",
        "role",
        "seniority",
        "skills",
        "source",
        "text",
        "title",
        "url",
        "visa",
        "work",
        "years",
    )

    def __init__(self, fields: SourceFields, source: str, board: str, url: str | None) -> None:
        self.fields, self.source, self.board, self.url = fields, source, board, url
        self.result: Posting | Exception | None = None


def _start(d: _Draft) -> None:
    fields = scrub_fields(d.fields)
    d.title = fields.title or ""
    d.text = text = strip_controls(fields.description_text or html_to_text(fields.description_html))
    if not fields.company and (named := company_from_text(text)):
        fields = replace(fields, company=named)  # "At Acme, we ...": the text names its employer
    d.fields = fields
    d.url = url = http_url(fields.url) or http_url(d.url)
    d.apply_url = http_url(fields.apply_url) or url
    d.provenance = {}


def _stage_pay(d: _Draft) -> None:
    d.pay, d.ranges, origin = _pay(d.fields, d.text)
    if d.pay is not None:
        d.provenance["pay"] = origin


def _stage_locations(d: _Draft) -> None:
    fields = d.fields
    d.locations = [parse_location(part) for loc in fields.locations for part in split_locations(loc)]
    if d.locations:
        d.provenance["locations"] = fields.origin


def _stage_workplace(d: _Draft) -> None:
    fields = d.fields
    d.work = work = infer_workplace(fields.workplace, fields.locations, d.text, d.title, source=d.source)
    if work.workplace:
        d.provenance["workplace"] = fields.origin if work.provenance == "structured" else work.provenance
    d.remote_regions = list(dict.fromkeys([*fields.remote_regions, *work.remote_regions]))


def _stage_level(d: _Draft) -> None:
    d.seniority, d.employment = _level_and_employment(d.fields, d.title, d.text, d.provenance)


def _stage_experience(d: _Draft) -> None:
    d.years = parse_experience(d.text)


def _stage_education(d: _Draft) -> None:
    d.education = parse_education(d.text)


def _stage_skills(d: _Draft) -> None:
    d.skills = extract_skills(f"{d.title}\n{d.text}", d.fields.tags, company=d.fields.company)


def _stage_role(d: _Draft) -> None:
    d.role = classify_role(d.title, d.text)


def _stage_mobility(d: _Draft) -> None:
    d.visa = parse_visa_sponsorship(d.text)
    d.relocation = parse_relocation(d.text)


def _finish(d: _Draft) -> None:
    fields, provenance, source, board = d.fields, d.provenance, d.source, d.board
    years_min, years_max = d.years
    education, education_equivalent = d.education
    skills = d.skills
    is_backend, role_reason = d.role
    for key, value in (
        ("experience", years_min if years_min is not None else years_max),
        ("education", education),
        ("skills", skills.skills or None),
        ("posted_at", fields.posted_at),
    ):
        if value is not None:
            provenance[key] = fields.origin if key == "posted_at" else "text"
    d.result = Posting(
        title=d.title,
        source=source,
        board=board,
        external_id=fields.external_id,
        company=fields.company,
        url=d.url,
        apply_url=d.apply_url,
        sources=[SourceRef(source=source, board=board, external_id=fields.external_id, url=d.url)],
        posted_at=fields.posted_at,
        valid_through=fields.valid_through,
        is_backend=is_backend,
        role_reason=role_reason,
        locations=d.locations,
        workplace=d.work.workplace,
        remote_regions=d.remote_regions,
        seniority=d.seniority,
        experience_years_min=years_min,
        experience_years_max=years_max,
        education=education,
        education_equivalent=education_equivalent,
        employment_type=d.employment,
        visa_sponsorship=d.visa,
        relocation=d.relocation,
        pay=d.pay,
        pay_ranges=d.ranges,
        skills=skills.skills,
        skill_evidence=skills.evidence,
        provenance=provenance,
        description_text=d.text,
        requisition_id=fields.requisition_id,
        department=fields.department,
    )


# In order: each stage's provenance keys go in after the previous ones' (the order schema v1 prints them in).
_STAGES = (
    _start,
    _stage_pay,
    _stage_locations,
    _stage_workplace,
    _stage_level,
    _stage_experience,
    _stage_education,
    _stage_skills,
    _stage_role,
    _stage_mobility,
    _finish,
)


def _run_stages(drafts: list[_Draft]) -> None:
    """Every stage over every draft, a stage at a time; a draft whose stage raised keeps the exception as its
    result and skips the stages after."""
    live = drafts
    for stage in _STAGES:
        failed = False
        for d in live:
            try:
                stage(d)
            except Exception as exc:  # the posting's result: normalize raises it, normalize_many returns it
                d.result = exc
                failed = True
        if failed:
            live = [d for d in live if d.result is None]


def _pay(fields: SourceFields, text: str) -> tuple[PayRange | None, list[PayRange], str]:
    """The primary pay, every range with the primary first (schema v1), and where they came from: the source's
    pay fields when it has them, else the text. When the source's currency and period are its own assumption
    (``SourceFields.pay_currency_assumed``: Remote OK's "USD per year" fields), the employer's words win: a text
    whose primary range names a currency and differs from the assumption in currency or period gives the pay
    (docs/pay-rules.md, "Structured pay that is an assumption")."""
    if fields.pay:
        ranges, origin = list(fields.pay), fields.origin
        if fields.pay_currency_assumed and text:
            found = parse_pay(text)
            ranges = _currency_from_text(ranges, found)
            stated = _stated_over_assumed(ranges, found)
            if stated is not None:
                ranges, origin = stated, "text"
    else:
        ranges, origin = parse_pay(text), "text"
    pay = primary_pay(ranges)
    if pay is not None:
        ranges = [pay, *(r for r in ranges if r is not pay)]
    return pay, ranges, origin


def _level_and_employment(
    fields: SourceFields, title: str, text: str, provenance: dict[str, str]
) -> tuple[str | None, str | None]:
    """Seniority and employment type, structured field first; their origins go into ``provenance``."""
    if fields.seniority:
        seniority, seniority_origin = fields.seniority, fields.origin
    else:
        seniority, seniority_origin = infer_seniority(title, text)
    if seniority:
        provenance["seniority"] = seniority_origin
    employment, employment_origin = infer_employment_type(fields.employment_type, title, text)
    if employment:
        provenance["employment_type"] = (
            fields.origin if employment_origin == "structured" else employment_origin or "text"
        )
    return seniority, employment


def normalize_text(
    text: str,
    *,
    title: str | None = None,
    location: str | None = None,
    company: str | None = None,
    is_html: bool | None = None,
) -> Posting:
    """Normalize a free-standing posting (``jobscout normalize``): without ``title`` the first line is the title."""
    fields = text_fields(text, title=title, location=location, company=company, is_html=is_html)
    return normalize_fields(fields, source="text", board="-")


def normalize_texts(records: Iterable[Mapping[str, Any]]) -> list[Posting | Exception]:
    """``normalize_text`` of each record (keys ``description``, ``title``, ``location``, ``company``, as ``jobscout
    normalize --jsonl`` reads them), in order, with an exception in place of a posting that raised one; stage by
    stage over chunks like :func:`normalize_many`, with the same outputs as one record at a time."""
    return _normalize_each(records, _text_draft)


def _text_draft(record: Mapping[str, Any]) -> _Draft:
    fields = text_fields(
        str(record.get("description") or ""),
        title=str(record.get("title") or ""),
        location=record.get("location") or None,
        company=record.get("company") or None,
    )
    return _Draft(fields, "text", "-", None)


def text_fields(
    text: str,
    *,
    title: str | None = None,
    location: str | None = None,
    company: str | None = None,
    is_html: bool | None = None,
) -> SourceFields:
    """The fields of a free-standing posting: its text (HTML when it has tags, unless ``is_html`` says), and
    without ``title`` the text's first line as the title."""
    if is_html is None:
        is_html = "<" in text and ">" in text
    body = html_to_text(text) if is_html else text.strip()
    if title is None:
        first, _, rest = body.partition("\n")
        title, body = first.strip(), rest.strip()
    return SourceFields(
        title=title,
        external_id="-",
        company=company,
        locations=[location] if location else [],
        description_text=body,
        origin="text",
    )


# The fields scrub_fields reads, once (dataclasses.fields() builds its tuple on every call).
_SCRUBBED_FIELDS = tuple(f.name for f in dataclass_fields(SourceFields) if f.name != "description_html")


def scrub_fields(fields: SourceFields) -> SourceFields:
    """``fields`` with control characters (:func:`pipeline.text.strip_controls`) removed from every text a mapper
    returned (strings, lists of strings, pay range labels); the description's HTML is left to
    :func:`pipeline.text.html_to_text`, whose text is scrubbed in turn. The same object when there was nothing to
    remove (the usual case)."""
    changes: dict[str, Any] = {}
    for name in _SCRUBBED_FIELDS:
        value = getattr(fields, name)
        if isinstance(value, str):
            clean: Any = strip_controls(value)
        elif isinstance(value, list) and value and isinstance(value[0], str):
            clean = [strip_controls(v) if isinstance(v, str) else v for v in value]
        elif name == "pay" and value:
            clean = [
                replace(
                    r,
                    label=strip_controls(r.label) if r.label else r.label,
                    raw=strip_controls(r.raw) if r.raw else r.raw,
                )
                for r in value
            ]
        else:
            continue
        if clean != value:
            changes[name] = clean
    return replace(fields, **changes) if changes else fields


class _CallableModule(types.ModuleType):
    """``pipeline.normalize(raw)`` must work although ``pipeline.normalize`` is also this module's name: once the
    submodule is imported, the package attribute is the module, so the module itself is made callable."""

    def __call__(self, raw: RawLike | Mapping[str, Any]) -> Posting:
        return normalize(raw)


sys.modules[__name__].__class__ = _CallableModule


def _stated_over_assumed(ranges: list[PayRange], found: list[PayRange]) -> list[PayRange] | None:
    """The text's ranges ``found`` when their primary names a currency and differs in currency or period from the
    source's assumed primary ("€2,500-3,500/month (contractor)" beside Remote OK's USD-per-year fields), else
    None. Other figures alone do not decide: a poster may annualize or convert them for the board's fields."""
    assumed = primary_pay(ranges)
    stated = primary_pay(found)
    if assumed is None or stated is None or stated.currency is None:
        return None
    if (stated.currency, stated.period) == (assumed.currency, assumed.period):
        return None
    return found


def _currency_from_text(ranges: list[PayRange], found: list[PayRange]) -> list[PayRange]:
    """Structured ranges whose currency the mapper assumed, with the currency and period the text states for the
    very same figures ("Salary Range: PLN 350,700 - 474,400" beside Remote OK's "USD" 350700-474400). Figures
    that differ from the text's are kept as they are here (``_stated_over_assumed`` then decides)."""
    stated = {(r.min, r.max): r for r in found if r.currency and r.min is not None and r.max is not None}
    out = []
    for r in ranges:
        t = stated.get((r.min, r.max))
        if t is not None and (t.currency, t.period) != (r.currency, r.period):
            r = replace(r, currency=t.currency, period=t.period, annual_min=None, annual_max=None)
        out.append(r)
    return out
