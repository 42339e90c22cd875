"""pipeline.sources.common: the readers the mappers share, on values as real payloads send them."""

from __future__ import annotations

import pytest

from pipeline.sources.common import text, texts
from pipeline.sources.remoteok import fix_mojibake


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Backend Engineer (Python) (m/w/d)", "Backend Engineer (Python) (m/w/d)"),
        ("  Senior Go Developer\n", "Senior Go Developer"),
        ("Berlin,\t Germany", "Berlin, Germany"),
        ("   ", None),
        ("", None),
        (None, None),
        (2095001, None),  # an id where a text belongs is not a text
        (["Python"], None),
        ({"name": "Acme"}, None),
    ],
)
def test_text(value, expected):
    assert text(value) == expected


def test_text_repairs_before_collapsing():
    # Remote OK sends UTF-8 read as Latin-1; the repair runs before the whitespace is collapsed.
    assert text("we\u00e2\u0080\u0099re  rebuilding", fix_mojibake) == "we\u2019re rebuilding"
    assert text(None, fix_mojibake) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["Full Time", " Freelance "], ["Full Time", "Freelance"]),
        (["python", "", "  ", None, 3, "go"], ["python", "go"]),
        ([], []),
        ("python, go", []),  # a string is not a list of tags
        (None, []),
    ],
)
def test_texts(value, expected):
    assert texts(value) == expected
