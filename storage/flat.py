"""The flat-row layout: one stored posting as one record of scalar columns, the shape of every CSV and Parquet file
jobscout writes (``jobscout query --format csv``, ``jobscout export --format csv|parquet``; docs/export.md).

A posting is flattened as the ``postings_flat`` view flattens it (``storage/views.py``): its primary pay range and
its first location, plus ``pay_kind``, ``apply_url`` and ``external_id``, which the view leaves out. ``COLUMNS``
declares each column once: its name, its type (what a Parquet writer stores it as), whether the view has it too,
and how it is read from a stored posting when that is not the attribute of the same name. :func:`flat_row` is the
one adapter from a ``storage.models.Posting`` to a record; writers format its values (CSV as text, Parquet typed).

Adding a field to the files is one entry in ``COLUMNS``. If the view should have it too, mark it ``in_view`` and
add it to the view in ``storage/views.py`` and a migration: ``tests/test_flat.py`` fails while the two differ.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import lazyload

from storage import models

# A column's type: what it holds in a record and what a Parquet file stores it as.
KINDS = ("int", "float", "text", "bool", "datetime", "list")


@dataclass(frozen=True, slots=True)
class FlatColumn:
    """One column of the layout. ``read`` takes a stored posting and returns the value; ``None`` means the
    posting's attribute named ``name``. ``in_view``: the ``postings_flat`` view has this column too."""

    name: str
    kind: str
    in_view: bool = True
    read: Callable[[models.Posting], Any] | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.name!r}: kind {self.kind!r} is not one of {KINDS}")


def _skill_names(row: models.Posting) -> list[str]:
    # In the posting's own order, as schema v1 lists them; None: a skill added and not flushed yet.
    return [ps.skill.name for ps in row.skills if ps.skill is not None]


COLUMNS: tuple[FlatColumn, ...] = (
    FlatColumn("id", "int"),
    FlatColumn("title", "text"),
    FlatColumn("company", "text"),
    FlatColumn("workplace", "text"),
    FlatColumn("seniority", "text"),
    FlatColumn("employment_type", "text"),
    FlatColumn("country", "text"),  # of the first location
    FlatColumn("city", "text"),
    FlatColumn("pay_min", "float"),  # the primary pay range
    FlatColumn("pay_max", "float"),
    FlatColumn("pay_currency", "text"),
    FlatColumn("pay_period", "text"),
    FlatColumn("pay_annual_min", "float"),
    FlatColumn("pay_annual_max", "float"),
    FlatColumn("pay_kind", "text", in_view=False),
    FlatColumn("skills", "list", read=_skill_names),
    FlatColumn("posted_at", "datetime"),
    FlatColumn("first_seen_at", "datetime"),
    FlatColumn("last_seen_at", "datetime"),
    FlatColumn("closed_at", "datetime"),
    FlatColumn("is_backend", "bool"),
    FlatColumn("url", "text"),
    FlatColumn("apply_url", "text", in_view=False),
    FlatColumn("source", "text"),
    FlatColumn("board", "text"),
    FlatColumn("external_id", "text", in_view=False),
)

NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)

if len(set(NAMES)) != len(NAMES):  # a duplicated name would silently drop a column from every dict record
    raise ValueError(f"duplicate column names in the flat layout: {NAMES}")

# (name, reader) pairs resolved once: flat_row runs once per exported posting, so no per-row branching on kinds.
_READERS: tuple[tuple[str, Callable[[models.Posting], Any]], ...] = tuple(
    (c.name, c.read or (lambda row, _name=c.name: getattr(row, _name))) for c in COLUMNS
)


def loader_options() -> tuple[Any, ...]:
    """Loader options for a ``select(models.Posting)`` whose rows go to :func:`flat_row`: the layout reads no
    sources, so they are not loaded (a ``selectin`` load per batch otherwise)."""
    return (lazyload(models.Posting.sources),)


def flat_row(row: models.Posting) -> dict[str, Any]:
    """One stored posting as a flat record, keyed by ``NAMES`` in layout order. Values are Python values, not
    text: dates are ``datetime`` (UTC), ``skills`` a list of names, unknown values None."""
    return {name: read(row) for name, read in _READERS}
