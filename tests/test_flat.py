"""storage.flat on SQLite and PostgreSQL: the flat layout agrees with the postings_flat view (same columns where
it says so, same values) and with schema v1 (the flat row is the stored posting's schema v1 values, flattened)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from storage import models
from storage.flat import COLUMNS, KINDS, NAMES, FlatColumn, flat_row, loader_options
from storage.mapping import to_schema
from tests.sample_postings import SAMPLE, build_sample


@pytest.fixture
def sample(db_url):
    return build_sample(db_url)


def stored_rows(Session) -> dict[str, dict]:
    with Session() as s:
        rows = s.scalars(select(models.Posting).options(*loader_options()).order_by(models.Posting.id))
        return {r.external_id: flat_row(r) for r in rows}


def view_rows(Session) -> tuple[list[str], dict[int, dict]]:
    with Session() as s:
        result = s.execute(text("SELECT * FROM postings_flat"))
        names = list(result.keys())
        return names, {r["id"]: dict(r) for r in result.mappings()}


def as_utc(value) -> datetime | None:
    """A view's date (SQLite: text, PostgreSQL: a naive timestamp, both UTC) as an aware datetime."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def test_layout_names_each_column_once_in_order():
    assert tuple(c.name for c in COLUMNS) == NAMES
    assert len(set(NAMES)) == len(NAMES) == 26
    assert {c.kind for c in COLUMNS} <= set(KINDS)
    with pytest.raises(ValueError, match="kind"):
        FlatColumn("salary", "money")


def test_view_has_exactly_the_layout_columns_marked_in_view(sample):
    """Adding a column to the layout means deciding whether the view gets it: this fails until both agree."""
    names, _ = view_rows(sample)
    assert sorted(names) == sorted(c.name for c in COLUMNS if c.in_view)
    assert [c.name for c in COLUMNS if not c.in_view] == ["pay_kind", "apply_url", "external_id"]


def test_view_and_flat_rows_hold_the_same_values(sample):
    flat = stored_rows(sample)
    _, view = view_rows(sample)
    assert sorted(flat) == sorted(SAMPLE)
    compared = 0
    for record in flat.values():
        seen = view[record["id"]]
        for column in COLUMNS:
            if not column.in_view:
                continue
            mine, theirs = record[column.name], seen[column.name]
            if column.kind == "datetime":
                theirs = as_utc(theirs)
            elif column.kind == "bool":
                theirs = bool(theirs)
            elif column.kind == "list":  # the view lists skills alphabetically, ", "-separated, NULL for none
                mine = ", ".join(sorted(mine)) or None
            assert mine == theirs, (record["external_id"], column.name)
            compared += 1
    assert compared == len(SAMPLE) * sum(c.in_view for c in COLUMNS)


def test_flat_row_is_schema_v1_flattened(sample):
    """The flat row reads the stored columns (primary pay, first location flattened on write); schema v1 reads
    the posting whole. For every sample posting they say the same."""
    with sample() as s:
        rows = s.scalars(select(models.Posting).order_by(models.Posting.id)).all()
        pairs = [(flat_row(r), to_schema(r)) for r in rows]
    assert len(pairs) == len(SAMPLE)
    for record, p in pairs:
        loc = p.locations[0] if p.locations else None
        pay = p.pay
        expected = {
            "id": p.id,
            "title": p.title,
            "company": p.company,
            "workplace": p.workplace,
            "seniority": p.seniority,
            "employment_type": p.employment_type,
            "country": loc.country if loc else None,
            "city": loc.city if loc else None,
            "pay_min": pay.min if pay else None,
            "pay_max": pay.max if pay else None,
            "pay_currency": pay.currency if pay else None,
            "pay_period": pay.period if pay else None,
            "pay_annual_min": pay.annual_min if pay else None,
            "pay_annual_max": pay.annual_max if pay else None,
            "pay_kind": pay.kind if pay else None,
            "skills": p.skills,
            "posted_at": p.posted_at,
            "first_seen_at": p.first_seen_at,
            "last_seen_at": p.last_seen_at,
            "closed_at": p.closed_at,
            "is_backend": p.is_backend,
            "url": p.url,
            "apply_url": p.apply_url,
            "source": p.source,
            "board": p.board,
            "external_id": p.external_id,
        }
        assert record == expected
        assert list(record) == list(NAMES)
