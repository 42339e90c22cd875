"""pipeline.sources.common: the readers the mappers share, on values as real payloads send them."""

from __future__ import annotations

import pytest

from pipeline.sources.common import clean_str, http_url, text, texts
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


# Every C0 control but tab and line feed, DEL and the C1 controls (NEL, CSI...).
HOSTILE = "".join(chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0x85, 0x9B))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Backend\x00 Engineer", "Backend Engineer"),
        ("Go\x1b[31m Developer\x07", "Go[31m Developer"),
        ("Acme\x9b1m GmbH\x7f", "Acme1m GmbH"),
        ("a\rb", "a b"),  # CR, like every control Python counts as whitespace, still separates words
        ("a\x1fb\x0cc", "a b c"),
        (f"Staff {HOSTILE} Engineer", "Staff Engineer"),
        ("\x00\x01\x02", None),
        ("Zoë Café (m/w/d)", "Zoë Café (m/w/d)"),
    ],
)
def test_clean_str_strips_control_characters(value, expected):
    assert clean_str(value) == expected
    assert text(value) == expected


def test_texts_strip_control_characters():
    assert texts(["Go\x00", "\x1b", "Kafka\x9b"]) == ["Go", "Kafka"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://boards.greenhouse.io/acme/jobs/1", "https://boards.greenhouse.io/acme/jobs/1"),
        ("http://example.test/jobs?id=1#apply", "http://example.test/jobs?id=1#apply"),
        ("  https://example.test/jobs/1\n", "https://example.test/jobs/1"),
        ("HTTPS://Example.test/Jobs", "HTTPS://Example.test/Jobs"),
        ("https://user@example.test:8443/x", "https://user@example.test:8443/x"),
        ("https://例え.テスト/仕事", "https://例え.テスト/仕事"),
        ("javascript:alert(document.cookie)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("vbscript:msgbox(1)", None),
        ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", None),
        ("file:///etc/passwd", None),
        ("ftp://example.test/jobs/1", None),
        ("mailto:jobs@example.test", None),
        ("//evil.test/jobs/1", None),
        ("/jobs/1", None),
        ("jobs/1", None),
        ("example.test/jobs/1", None),
        ("https:/jobs/1", None),
        ("https:evil.test", None),
        ("http://", None),
        ("https://[::1/x", None),
        ("https://example.test/a\x00b", None),
        ("https://example.test/\x1b]8;;x\x07", None),
        ("", None),
        (None, None),
        (42, None),
    ],
)
def test_http_url(url, expected):
    assert http_url(url) == expected
