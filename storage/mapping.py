"""The one mapping between a normalized posting (:class:`pipeline.model.Posting`) and its ``postings`` row.

Declared once, below; :func:`apply_posting` (posting -> row), :func:`to_schema` (row -> posting) and
:func:`write_fields` (the fields a merge changed -> row) are derived from it. A new schema field that is stored in a
column of the same name is added to :data:`SCALAR_FIELDS` (a JSON list or object: :data:`LIST_FIELDS`,
:data:`DICT_FIELDS`), and to ``storage/models.py`` with a migration; a field with another shape gets an entry in
:data:`COMPOSITE_FIELDS`; an attribute of the primary pay, in :data:`PAY_COLUMNS`. A schema field mapped nowhere
fails the import.

Not mapped here: the identity columns (``source``, ``board``, ``external_id``: set when a posting is created or a
better-ranked source takes over, :func:`set_identity`), the lifecycle dates and ``updated_at`` (storage.ingest and
storage.lifecycle keep them), ``content_hash`` (the digest of the canonical source's posting) and the skills
(``posting_skills`` rows need skill ids: storage.ingest writes them; :func:`to_schema` reads them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, fields, replace
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

# JSON list and object columns of the same name, copied both ways (a row and a posting never share a mutable value).
LIST_FIELDS = ("remote_regions",)
DICT_FIELDS = ("skill_evidence", "provenance")

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


def _write_pay_ranges(row: models.Posting, ranges: list[schema.PayRange]) -> None:
    row.pay_ranges = [r.to_dict() for r in ranges]


def _read_pay_ranges(row: models.Posting) -> list[schema.PayRange]:
    return [schema.PayRange(**{k: data.get(k) for k in schema.PayRange.__slots__}) for data in row.pay_ranges or []]


# --- generated accessors ---------------------------------------------------------------------------------------
# apply_posting and to_schema run once per posting stored or shown, and the primary pay's nine columns once per
# posting too: they are written out from the declaration as straight-line code at import (as dataclasses writes
# __init__), because a loop of getattr/setattr over the same table costs ~20% more on those paths.
def _compile(name: str, params: str, body: list[str], env: dict[str, Any]) -> Callable[..., Any]:
    source = f"def {name}({params}):\n" + "".join(f"    {line}\n" for line in body)
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<storage.mapping {name}>", "exec"), env, namespace)  # the source is built from constants
    function = namespace[name]
    function.__module__ = __name__
    return function


# A NULL pay column reads as the PayRange field's default where it has one ("kind": "base").
_PAY_DEFAULTS = {
    f.name: f.default for f in fields(schema.PayRange) if f.default is not MISSING and f.default is not None
}
_write_pay = _compile(
    "_write_pay",
    "row, pay",
    [
        "if pay is None:",
        *(f"    row.{column} = None" for _, column in PAY_COLUMNS),
        "else:",
        *(f"    row.{column} = pay.{attr}" for attr, column in PAY_COLUMNS),
    ],
    {},
)
_read_pay = _compile(
    "_read_pay",
    "row",
    [
        "if row.pay_min is None and row.pay_max is None:",
        "    return None",
        "return PayRange("
        + ", ".join(
            f"{attr}=row.{column}" + (f" or {_PAY_DEFAULTS[attr]!r}" if attr in _PAY_DEFAULTS else "")
            for attr, column in PAY_COLUMNS
        )
        + ")",
    ],
    {"PayRange": schema.PayRange},
)


COMPOSITE_FIELDS: dict[str, tuple[Callable[[models.Posting, Any], None], Callable[[models.Posting], Any]]] = {
    "title": (_write_title, attrgetter("title")),
    "company": (_write_company, attrgetter("company")),
    "locations": (_write_locations, _read_locations),
    "pay": (_write_pay, _read_pay),
    "pay_ranges": (_write_pay_ranges, _read_pay_ranges),
}
_WRITERS: dict[str, Callable[[models.Posting, Any], None]] = {
    **{name: (lambda row, value, name=name: setattr(row, name, value)) for name in SCALAR_FIELDS},
    **{name: (lambda row, value, name=name: setattr(row, name, list(value))) for name in LIST_FIELDS},
    **{name: (lambda row, value, name=name: setattr(row, name, dict(value))) for name in DICT_FIELDS},
    **{name: write for name, (write, _) in COMPOSITE_FIELDS.items()},
}


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


def _sources(row: models.Posting) -> list[schema.SourceRef]:
    return [
        schema.SourceRef(
            source=s.source,
            board=s.board,
            external_id=s.external_id,
            url=s.url,
            first_seen_at=s.first_seen_at,
            last_seen_at=s.last_seen_at,
        )
        for s in row.sources
    ]


def _skills(row: models.Posting) -> list[str]:
    return [ps.skill.name for ps in row.skills if ps.skill is not None]  # None: added, not flushed yet


_COMPOSITE_ENV = {f"_write_{name}": write for name, (write, _) in COMPOSITE_FIELDS.items()} | {
    f"_read_{name}": read for name, (_, read) in COMPOSITE_FIELDS.items()
}

apply_posting: Callable[[models.Posting, schema.Posting, str], None] = _compile(
    "apply_posting",
    "row, posting, digest",
    [
        *(f"row.{name} = posting.{name}" for name in SCALAR_FIELDS),
        *(f"row.{name} = list(posting.{name})" for name in LIST_FIELDS),
        *(f"row.{name} = dict(posting.{name})" for name in DICT_FIELDS),
        *(f"_write_{name}(row, posting.{name})" for name in COMPOSITE_FIELDS),
        "row.content_hash = digest",
    ],
    _COMPOSITE_ENV,
)
apply_posting.__doc__ = """Copy a normalized posting's values onto a row, with the ``content_hash`` ``digest`` of the
posting it came from (identity, lifecycle and skills are left alone)."""

to_schema: Callable[[models.Posting], schema.Posting] = _compile(
    "to_schema",
    "row",
    [
        "return Posting("
        + ", ".join(
            [
                *(f"{name}=row.{name}" for name in (*SCALAR_FIELDS, "id", *IDENTITY_FIELDS, *LIFECYCLE_FIELDS)),
                *(f"{name}=list(row.{name} or [])" for name in LIST_FIELDS),
                *(f"{name}=dict(row.{name} or {{}})" for name in DICT_FIELDS),
                *(f"{name}=_read_{name}(row)" for name in COMPOSITE_FIELDS),
                "sources=_sources(row)",
                "skills=_skills(row)",
            ]
        )
        + ")"
    ],
    {"Posting": schema.Posting, "_sources": _sources, "_skills": _skills, **_COMPOSITE_ENV},
)
to_schema.__doc__ = """A stored posting as schema v1."""
