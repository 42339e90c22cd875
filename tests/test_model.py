"""pipeline.model: the hand-written ``to_dict`` of the small records gives what ``dataclasses.asdict`` gives, so a
field added later cannot go missing from the schema output."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from pipeline.model import Location, PayRange


@pytest.mark.parametrize(
    "value",
    [
        PayRange(min=90_000, max=120_000, currency="EUR", period="year", label="Berlin", raw="€90k-€120k"),
        PayRange(min=None, max=45.5, currency=None, period="hour", kind="ote"),
        Location(raw="Lyon, France", city="Lyon", country="FR"),
        Location(raw="Remote"),
    ],
)
def test_to_dict_is_asdict(value):
    assert value.to_dict() == asdict(value)
    assert list(value.to_dict()) == list(asdict(value))
