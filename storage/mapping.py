"""The one mapping between a normalized posting (:class:`pipeline.model.Posting`) and its ``postings`` row.

Declared once, below; :func:`apply_posting` (posting -> row), :func:`to_schema` (row -> posting) and
:func:`write_fields` (the fields a merge changed -> row) are derived from it. A new schema field that is stored in a
column of the same name is added to :data:`SCALAR_FIELDS` (and to ``storage/models.py`` with a migration); a field
with another shape gets an entry in :data:`COMPOSITE_FIELDS`.

Not mapped here: the identity columns (``source``, ``board``, ``external_id``: set when a posting is created or a
better-ranked source takes over, :func:`set_identity`), the lifecycle dates and ``updated_at`` (storage.ingest and
storage.lifecycle keep them), ``content_hash`` (the digest of the canonical source's posting) and the skills
(``posting_skills`` rows need skill ids: storage.ingest writes them; :func:`to_schema` reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from operator import attrgetter
from typing import Any

from pipeline import model as schema
from storage import models

# schema.Posting attributes stored as they are in the postings column of the same name.
SCALAR_FIELDS = (
    "url",
    "apply_url",
    "posted_at",
    "valid_through",
    "is_backend",
    "role_reason",
    "workplace",
    "seniority",
    "experience_years_min",
    "experience_years_max",
    "education",
    "education_equivalent",
    "employment_type",
    "visa_sponsorship",
    "relocation",
    "description_text",
    "requisition_id",
    "department",
)

# The primary pay (schema.Posting.pay, a PayRange) flattened into plain indexed columns: PayRange attribute -> column.
PAY_COLUMNS = (
    ("min", "pay_min"),
    ("max", "pay_max"),
    ("currency", "pay_currency"),
    ("period", "pay_period"),
    ("annual_min", "pay_annual_min"),
    ("annual_max", "pay_annual_max"),
    ("kind", "pay_kind"),
    ("label", "pay_label"),
    ("raw", "pay_raw"),
)

IDENTITY_FIELDS = ("source", "board", "external_id")
LIFECYCLE_FIELDS = ("first_seen_at", "last_seen_at", "closed_at")

TITLE_MAX = models.Posting.__table__.c.title.type.length  # the column's length: longer titles are cut

_read_scalars = attrgetter(*SCALAR_FIELDS)
_read_record = attrgetter("id", *IDENTITY_FIELDS, *LIFECYCLE_FIELDS)
_RECORD_NAMES = ("id", *IDENTITY_FIELDS, *LIFECYCLE_FIELDS)


def company_key(name: str | None) -> str | None:
    """Company name reduced for matching ("Stripe, Inc." -> "stripe"); the ``company_key`` column."""
    if not name:
        return None
    from pipeline.company import company_key as key

    return key(name)


# --- the fields that are not one column each: schema attribute -> (write onto the row, read from the row) --------
def _write_title(row: models.Posting, title: str) -> None:
    row.title = title[:TITLE_MAX]


def _write_company(row: models.Posting, company: str | None) -> None:
    row.company = company
    row.company_key = company_key(company)


def _write_locations(row: models.Posting, locations: list[schema.Location]) -> None:
    # The first location's country and city are columns of their own, for filtering and the flat views.
    first = locations[0] if locations else None
    row.locations = [loc.to_dict() for loc in locations]
    row.country = first.country if first else None
    row.city = first.city if first else None


def _read_locations(row: models.Posting) -> list[schema.Location]:
    return [schema.Location(**loc) for loc in row.locations or []]


def _write_pay(row: models.Posting, pay: schema.PayRange | None) -> None:
    for attr, column in PAY_COLUMNS:
        setattr(row, column, getattr(pay, attr) if pay is not None else None)


def _read_pay(row: models.Posting) -> schema.PayRange | None:
    if row.pay_min is None and row.pay_max is None:
        return None
    values = {attr: getattr(row, column) for attr, column in PAY_COLUMNS}
    values["kind"] = values["kind"] or "base"
    return schema.PayRange(**values)


def _write_pay_ranges(row: models.Posting, ranges: list[schema.PayRange]) -> None:
    row.pay_ranges = [r.to_dict() for r in ranges]


def _read_pay_ranges(row: models.Posting) -> list[schema.PayRange]:
    return [schema.PayRange(**{k: data.get(k) for k in schema.PayRange.__slots__}) for data in row.pay_ranges or []]


def _list_field(name: str) -> tuple[Callable[[models.Posting, Any], None], Callable[[models.Posting], Any]]:
    """A JSON list column; copied both ways so a row and a posting never share one mutable value."""
    return (lambda row, value: setattr(row, name, list(value))), (lambda row: list(getattr(row, name) or []))


def _dict_field(name: str) -> tuple[Callable[[models.Posting, Any], None], Callable[[models.Posting], Any]]:
    """A JSON object column; copied both ways."""
    return (lambda row, value: setattr(row, name, dict(value))), (lambda row: dict(getattr(row, name) or {}))


COMPOSITE_FIELDS: dict[str, tuple[Callable[[models.Posting, Any], None], Callable[[models.Posting], Any]]] = {
    "title": (_write_title, attrgetter("title")),
    "company": (_write_company, attrgetter("company")),
    "locations": (_write_locations, _read_locations),
    "remote_regions": _list_field("remote_regions"),
    "pay": (_write_pay, _read_pay),
    "pay_ranges": (_write_pay_ranges, _read_pay_ranges),
    "skill_evidence": _dict_field("skill_evidence"),
    "provenance": _dict_field("provenance"),
}
_COMPOSITE_WRITES = tuple((name, write) for name, (write, _) in COMPOSITE_FIELDS.items())
_COMPOSITE_READS = tuple((name, read) for name, (_, read) in COMPOSITE_FIELDS.items())
_WRITERS: dict[str, Callable[[models.Posting, Any], None]] = {
    **{name: (lambda row, value, name=name: setattr(row, name, value)) for name in SCALAR_FIELDS},
    **dict(_COMPOSITE_WRITES),
}
# Every schema.Posting (and primary PayRange) attribute must be mapped, or named here as kept elsewhere: a field
# added to the schema and not to this module fails the import (and so every test), instead of being silently
# dropped on the way to disk.
_KEPT_ELSEWHERE = frozenset({"id", "sources", "skills", *IDENTITY_FIELDS, *LIFECYCLE_FIELDS})
_UNMAPPED = set(schema.Posting.__slots__) - set(SCALAR_FIELDS) - set(COMPOSITE_FIELDS) - _KEPT_ELSEWHERE
_UNMAPPED |= {f"pay.{name}" for name in set(schema.PayRange.__slots__) - {attr for attr, _ in PAY_COLUMNS}}
if _UNMAPPED:
    raise RuntimeError(f"schema.Posting fields without a storage mapping: {sorted(_UNMAPPED)}")


def apply_posting(row: models.Posting, posting: schema.Posting, digest: str) -> None:
    """Copy a normalized posting's values onto a row, with the ``content_hash`` ``digest`` of the posting it came
    from (identity, lifecycle and skills are left alone)."""
    for name, value in zip(SCALAR_FIELDS, _read_scalars(posting), strict=True):
        setattr(row, name, value)
    for name, write in _COMPOSITE_WRITES:
        write(row, getattr(posting, name))
    row.content_hash = digest


def write_fields(row: models.Posting, before: schema.Posting, after: schema.Posting) -> None:
    """Write onto the row the mapped fields whose value differs between ``before`` (the row's values, as
    :func:`to_schema` read them) and ``after``; the others are left exactly as stored."""
    for name, write in _WRITERS.items():
        value = getattr(after, name)
        if value != getattr(before, name):
            write(row, value)


def set_identity(row: models.Posting, posting: schema.Posting) -> None:
    """Make ``posting``'s source the row's canonical one."""
    row.source, row.board, row.external_id = posting.source, posting.board, posting.external_id


def fit_columns(posting: schema.Posting) -> schema.Posting:
    """The posting as the row keeps it (a title longer than its column is cut): merging and change records then
    compare the values that are stored, not ones the row cannot hold."""
    if len(posting.title) <= TITLE_MAX:
        return posting
    return replace(posting, title=posting.title[:TITLE_MAX])


def to_schema(row: models.Posting) -> schema.Posting:
    """A stored posting as schema v1."""
    values = dict(zip(SCALAR_FIELDS, _read_scalars(row), strict=True))
    values.update(zip(_RECORD_NAMES, _read_record(row), strict=True))
    for name, read in _COMPOSITE_READS:
        values[name] = read(row)
    return schema.Posting(
        **values,
        sources=[
            schema.SourceRef(
                source=s.source,
                board=s.board,
                external_id=s.external_id,
                url=s.url,
                first_seen_at=s.first_seen_at,
                last_seen_at=s.last_seen_at,
            )
            for s in row.sources
        ],
        skills=[ps.skill.name for ps in row.skills if ps.skill is not None],  # None: added, not flushed yet
    )
