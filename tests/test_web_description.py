"""crawler.web.description: the allow-list sanitizer of posting descriptions and its text fallback. The markup in
the table is our own, each row one kind of thing a hostile or careless board could send."""

from __future__ import annotations

import pytest

pytest.importorskip("nh3", reason='the web extra is not installed: pip install -e ".[web]"')

from crawler.web.description import description_html, sanitize, source_html, text_as_html

REL = 'rel="nofollow noopener noreferrer"'


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        # kept: structure and emphasis
        (
            "<h3>Role</h3><p>Build <em>fast</em> <strong>APIs</strong></p>",
            "<h3>Role</h3><p>Build <em>fast</em> <strong>APIs</strong></p>",
        ),
        ("<ul><li>one</li><li>two</li></ul>", "<ul><li>one</li><li>two</li></ul>"),
        # scripts, styles and embedded documents go with their content
        ("<p>hello<script>steal()</script></p>", "<p>hello</p>"),
        ("<style>p { color: red }</style><p>x</p>", "<p>x</p>"),
        ("<iframe src='https://frame.example/'>inside</iframe>after", "after"),
        ("<object data='x.swf'></object><embed src='y.swf'>z", "z"),
        ("<svg><script>bad()</script><circle r='4'/></svg>text", "text"),
        # event handlers, inline styles and classes are dropped from kept tags
        ("<p onclick='go()' style='display:none' class='x'>shown</p>", "<p>shown</p>"),
        ("<td onmouseover='x()' colspan='2'>c</td>", "c"),
        (
            "<table><tr><td onmouseover='x()' colspan='2'>c</td></tr></table>",
            '<table><tbody><tr><td colspan="2">c</td></tr></tbody></table>',
        ),
        # images never load (a remote image tells its host who reads the posting)
        ("<img src='https://pixel.example/t.gif' onerror='x()'>", ""),
        ("<p>logo: <img src='data:image/png;base64,AAAA'></p>", "<p>logo: </p>"),
        # forms are not content
        ("<form action='https://phish.example/'><input name='pw'></form>", ""),
        # links: absolute http(s) and mailto only, never a script, never into this app
        ("<a href='https://jobs.example/apply'>apply</a>", f'<a href="https://jobs.example/apply" {REL}>apply</a>'),
        ("<a href='mailto:hiring@example.com'>mail</a>", f'<a href="mailto:hiring@example.com" {REL}>mail</a>'),
        ("<a href='javascript:alert(1)'>click</a>", f"<a {REL}>click</a>"),
        ("<a href='JaVaScRiPt:alert(1)'>click</a>", f"<a {REL}>click</a>"),
        ("<a href='/api/postings'>inside</a>", f"<a {REL}>inside</a>"),
        (
            "<a href='https://x.example/' target='_blank' rel='opener'>x</a>",
            f'<a href="https://x.example/" {REL}>x</a>',
        ),
        # comments and unknown tags: comment gone, unknown tag's text kept
        ("<!-- internal note --><b>b</b>", "<b>b</b>"),
        ("<blink>old</blink>", "old"),
    ],
)
def test_sanitize(markup, expected):
    assert sanitize(markup) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one line", "<p>one line</p>"),
        ("first\n\nsecond", "<p>first</p><p>second</p>"),
        ("line\nbreak", "<p>line<br>break</p>"),
        ("a <script>b</script> & c", "<p>a &lt;script&gt;b&lt;/script&gt; &amp; c</p>"),
        ("", ""),
    ],
)
def test_text_as_html(text, expected):
    assert text_as_html(text) == expected


def test_description_from_the_source_payload_or_the_stored_text():
    payload = {
        "id": 7,
        "title": "T",
        "content": "&lt;p&gt;From &lt;b&gt;markup&lt;/b&gt;&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;",
    }
    assert source_html("greenhouse", "acme", payload) == "<p>From <b>markup</b></p><script>x()</script>"
    assert description_html("greenhouse", "acme", payload, "stored text") == "<p>From <b>markup</b></p>"
    # no payload (pruned), a payload without markup, one the mapper cannot read, an unknown source: the text
    assert description_html("greenhouse", "acme", None, "stored text") == "<p>stored text</p>"
    assert description_html("greenhouse", "acme", {"id": 7}, "stored text") == "<p>stored text</p>"
    assert description_html("greenhouse", "acme", {"no": "id"}, "stored text") == "<p>stored text</p>"
    assert description_html("no-such-source", "acme", payload, "stored text") == "<p>stored text</p>"
    # markup that sanitizes to nothing falls back to the text too
    only_script = {"id": 7, "content": "&lt;script&gt;x()&lt;/script&gt;"}
    assert description_html("greenhouse", "acme", only_script, "stored text") == "<p>stored text</p>"
