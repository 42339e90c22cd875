"""HTML -> text (``pipeline.text``): a table of cases, and properties against two references: the straightforward
per-element walk of the first version, and html_to_text as it was before issue 20's pass (tests/text_reference.py,
the same string on our cases, on generated markup and on every corpus description); plus the folding used by the
parsers' gates."""

from __future__ import annotations

import html
import re

import lxml.html
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from pipeline.text import case_free, folded, folded_same_length, html_to_text, tidy_text, unescape_html
from tests.corpus import require_corpus
from tests.text_reference import SOFT_MARKS, reference_resolve_soft, reference_tidy_text
from tests.text_reference import reference_html_to_text as previous_html_to_text

_BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section"}
_BLOCK |= {"article", "header", "footer", "blockquote", "pre", "dd", "dt", "hr"}


def reference_tidy(value: str) -> str:
    lines = (re.sub(r"[ \t\r\f\v\u00a0\u2009\u202f]+", " ", line).strip() for line in value.split("\n"))
    return re.sub(r"\n\s*\n+", "\n\n", "\n".join(lines)).strip()


def reference_html_to_text(value: str) -> str:
    root = lxml.html.fragment_fromstring(value, create_parent="div")
    pieces: list[str | None] = []  # None: a soft break, before a block element

    def walk(el) -> None:
        block = isinstance(el.tag, str) and el.tag in _BLOCK and el is not root
        if isinstance(el.tag, str) and el.tag not in ("script", "style"):
            if block and el.tag not in ("br", "hr"):
                pieces.append(None)
            if el.tag == "li":
                el.text = "- " + (el.text or "")  # lxml refuses control characters here: so does html_to_text
            pieces.append(el.text or "")
            for child in el:
                walk(child)
        if block:
            el.tail = "\n" + (el.tail or "")  # lxml refuses control characters here: so does html_to_text
        if el is not root:
            pieces.append(el.tail or "")

    walk(root)
    out = ""
    for i, piece in enumerate(pieces):
        if piece is not None:
            out += piece
            continue
        after = "".join(p for p in pieces[i + 1 :] if p is not None)
        # a soft break is a line break only between visible text, where the whitespace around it holds none
        gap = out[len(out.rstrip()) :] + after[: len(after) - len(after.lstrip())]
        if out.strip() and after.strip() and "\n" not in gap:
            out += "\n"
    return reference_tidy(out)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("", ""),
        (None, ""),
        ("plain  text\n\n\n\nnext", "plain text\n\nnext"),
        ("Fish &amp; chips", "Fish & chips"),
        ("&lt;p&gt;Escaped&lt;/p&gt;&lt;p&gt;twice&lt;/p&gt;", "Escaped\ntwice"),
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("<ul><li>Go</li><li>Rust</li></ul>", "- Go\n- Rust"),
        ("<p>Pay:<br>$90 - $110 per hour</p>", "Pay:\n$90 - $110 per hour"),
        ("<p>a<script>var x = 1;</script>b<style>p {}</style></p>", "ab"),
        ("<p>a <!-- hidden --> b</p>", "a b"),
        ("<b>Bold</b> and <i>italic</i>\u00a0text", "Bold and italic text"),
        ("lead text<p>para</p>tail", "lead text\npara\ntail"),  # a break before a block and after it
        ("A | B<p>Para</p>", "A | B\nPara"),
        ("A <b>B</b><h2>Title</h2>", "A B\nTitle"),  # the text before the block ends inside an inline element
        ("<div>A<div>B</div>C</div>", "A\nB\nC"),
        ("A<p></p>B", "A\nB"),  # the soft break before a block adds no blank line where a break already is
        ("<p>A</p>\n<p>B</p>", "A\n\nB"),
        ("<p>A</p><p></p><p>B</p>", "A\n\nB"),
        ("<div><p>A</p></div>B", "A\n\nB"),
        ("<p>a\x08b</p>c<p>d</p>", "a\x08b\nc\nd"),
        ("x\ue000y<p>z</p>", "x\ue000y\nz"),  # a private-use character in the input is kept
        ("<li>\x1f</li>", "-"),  # lxml will not store control characters: they are dropped, not fatal
        ("<ul><li>a\x01b</li><li>c</li></ul>", "- ab\n- c"),
        ("<p> spaced \t out </p>\n\n\n<div>\u2003x\u2003</div>", "spaced out\n\nx"),
    ],
)
def test_html_to_text_table(html, text):
    assert html_to_text(html) == text


HTML_PART = st.one_of(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<li>",
            "</li>",
            "<ul>",
            "</ul>",
            "<br>",
            "<div>",
            "</div>",
            "<b>",
            "</b>",
            "<h2>",
            "</h2>",
            "<script>",
            "</script>",
            "<table><tr><td>",
            "</td></tr></table>",
            "<!-- c -->",
            "&amp;",
            "&nbsp;",
            " ",
            "\n",
            "\t",
            "\u00a0",
            "\u2028",
            "word",
            "İ",
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>&\x00"), max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(HTML_PART, max_size=40).map("".join))
def test_html_to_text_equals_the_reference_walk(markup):
    if "<" not in markup:
        markup = "<p>" + markup + "</p>"
    try:
        expected = reference_html_to_text(markup)
    except (etree.ParserError, ValueError):
        return  # the reference refuses it; html_to_text falls back to tag stripping
    assert html_to_text(markup) == expected


@given(st.text(alphabet=" \t\n\r\u00a0\u2009\u202f\u2028\u3000\x85\x1cab\v\f", max_size=40))
def test_tidy_text_equals_the_reference(value):
    assert tidy_text(value) == reference_tidy(value)


@given(st.text(max_size=60))
def test_html_to_text_never_fails(value):
    assert isinstance(html_to_text(value), str)


@given(st.text(max_size=60), st.sampled_from(["in lieu", "degree", "remote", "is", "sr"]))
def test_folded_keeps_every_ignorecase_literal(prefix, literal):
    # Whenever an IGNORECASE literal matches, its lower-case form occurs in folded(text): the gates rely on it.
    for text in (prefix + literal.upper(), prefix + literal.replace("i", "İ"), prefix + literal.replace("s", "ſ")):
        if re.search(re.escape(literal), text, re.IGNORECASE):
            assert literal in folded(text)


@given(st.text(max_size=80))
def test_case_free_twin_finds_the_same_on_folded_text(text):
    pattern = re.compile(r"\b(?:senior|sr\.?|remote|full[\s-]?time)\b", re.IGNORECASE)
    low = folded_same_length(text)
    if low is None:
        return
    twin = case_free(pattern)
    assert [m.span() for m in twin.finditer(low)] == [m.span() for m in pattern.finditer(text)]


# Markup the parser target must read exactly as the tree does: document-level tags, a second body, content after
# </body>, frames, raw-text elements, processing instructions.
TREE_PART = st.one_of(
    HTML_PART,
    st.sampled_from(
        [
            "<body>",
            "</body>",
            "<html>",
            "</html>",
            "<head>",
            "</head>",
            "<title>",
            "</title>",
            "<frameset>",
            "<frame>",
            "<noscript>",
            "<textarea>",
            "</textarea>",
            "<pre>",
            "<?php x ?>",
            "<!DOCTYPE html>",
            "<meta charset=utf-8>",
            "<select><option>o",
            "<svg><p>",
            "<template>",
            "<xmp>",
            "<plaintext>",
            "<style>",
            "</style>",
            "<hr>",
            "<br/>",
            "<dd>",
            "<ol>",
            "<",
            "</",
            "\ue000",
            "\ue001",
            "\uf8ff",
            "\x01",
        ]
    ),
)


@settings(max_examples=500, deadline=None)
@given(st.lists(TREE_PART, min_size=1, max_size=40).map("".join))
@example("</html><body><li>")  # libxml2 puts what follows </html> in a second root: only the first one is read
def test_html_to_text_equals_the_tree_path(markup):
    from pipeline.text import _SOFT_MARKS, _tree_text

    if "<" not in markup:
        markup = "<p>" + markup
    mark = next((m for m in _SOFT_MARKS if m not in markup), "")
    assert html_to_text(markup) == _tree_text(markup, mark)


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a</p></body><p>after</p>", "a"),  # the first body only, as doc.find("body") read it
        ("<p>a</p><body><p>b</p>", "a\nb"),
        ("a<title>t</title>b", "atb"),
        # every soft-break mark taken by the input: the tree path, without soft breaks (as before the parser target)
        ("<p>\ue000\ue001\uf8ff</p>x<p>y</p>", "\ue000\ue001\uf8ff\nxy"),
    ],
)
def test_html_to_text_document_tags(html, text):
    assert html_to_text(html) == text


@given(
    st.lists(
        st.sampled_from(
            [
                "&lt;",
                "&gt;",
                "&quot;",
                "&#39;",
                "&amp;",
                "&amp;lt;",
                "&lt",
                "&nbsp;",
                "&#x27;",
                "&",
                "<p>",
                "é",
                " ",
                "a;",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_unescape_html_is_one_level_of_html_unescape(value):
    assert unescape_html(value) == html.unescape(value)


@given(st.text(alphabet=st.characters(max_codepoint=0x40), max_size=40))
def test_the_control_character_check_equals_the_pattern(value):
    from pipeline.text import _CONTROL, _has_control

    assert _has_control(value) == bool(_CONTROL.search(value))


@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=0x40), st.characters(blacklist_categories=("Cs",)))))
def test_the_control_character_check_on_utf8_bytes_equals_the_pattern(value):
    from pipeline.text import _CONTROL, _has_control_bytes

    assert _has_control_bytes(value.encode()) == bool(_CONTROL.search(value))


def test_the_whitespace_list_is_what_str_strip_strips():
    from pipeline.text import _WHITESPACE

    every = {chr(c) for c in range(0x110000) if chr(c).isspace()}
    assert set(_WHITESPACE) == every
    assert all(("x" + c + "x").strip() == ("x" + c + "x") and (c + "x" + c).strip() == "x" for c in every)


# -- the fast path against html_to_text as it was (tests/text_reference.py) ------------------------------------

EDGE_CASES = [
    # (what it is, markup, the text both give)
    ("empty", "", ""),
    ("only whitespace", " \n\t ", ""),
    ("plain text, no markup", "just words,  spaced\n\n\n\nand a paragraph", "just words, spaced\n\nand a paragraph"),
    ("plain text with entities", "salt &amp; pepper &lt;3", "salt & pepper <3"),
    ("entities in markup", "<p>caf&eacute; &#8364;5 &#x2014; &nbsp;done</p>", "caf\u00e9 \u20ac5 \u2014 done"),
    ("escaped markup", "&lt;ul&gt;&lt;li&gt;one&lt;/li&gt;&lt;/ul&gt;", "- one"),
    (
        "nested lists",
        "<ul><li>outer<ul><li>inner a</li><li>inner b</li></ul></li><li>next</li></ul>",
        "- outer\n- inner a\n- inner b\n\n- next",
    ),
    (
        "ordered list in a div",
        "<div>Steps<ol><li>first</li><li>second</li></ol>after</div>",
        "Steps\n- first\n- second\n\nafter",
    ),
    (
        "a table",
        "<table><tr><td>cell a</td><td>cell b</td></tr><tr><th>head</th></tr></table>tail",
        "cell acell b\nhead\n\ntail",
    ),
    ("a run of br", "line one<br><br><br><br>line two<br/>line three", "line one\n\nline two\nline three"),
    ("br then a newline of the source: two breaks", "<p>top<br>\n  bottom</p>", "top\n\nbottom"),
    ("headings and rules", "<h1>Title</h1><hr><h3>Sub</h3>text", "Title\n\nSub\ntext"),
    ("unclosed paragraphs", "<p>one<p>two<p>three", "one\ntwo\nthree"),
    ("unclosed items", "<ul><li>a<li>b</ul>c", "- a\n- b\n\nc"),
    ("stray end tags", "a</p>b</li>c</div>d", "abcd"),
    ("misnested inline and block", "<b>bold<p>para</b>rest</p>", "bold\npararest"),
    ("an unterminated tag", "before <p class='x' after", "before"),
    ("a lone angle bracket", "1 < 2 and 3 > 2<p>ok</p>", "1 < 2 and 3 > 2\nok"),
    ("comments and script", "<p>a<!-- note --></p><script>x()</script><style>p{}</style>b", "a\nb"),
    ("document tags inside", "<html><head><title>t</title></head><body><p>in body</p></body></html>", "t\nin body"),
    ("inline elements", "<span>a</span><em>b</em> <strong>c</strong>", "ab c"),
    ("exotic spaces", "<p>\u3000wide\u2003em\u00a0nb\u2009thin\u202f</p>", "wide\u2003em nb thin"),
    ("line separators stay", "<p>a\u2028b\x85c</p>", "a\u2028b\x85c"),
    ("private-use characters in the input", "\ue000<p>\ue001x</p>\uf8ff", "\ue000\ue001x\n\uf8ff"),
    ("control characters", "<p>a\x01b</p><li>\x1f</li>", "ab\n-"),
    ("a lone surrogate (UTF-8 cannot encode it)", "<p>a\ud800b</p>", None),
    ("carriage returns are line breaks to the parser", "<p>one\r\ntwo\rthree</p>", "one\ntwo\nthree"),
]


@pytest.mark.parametrize(("what", "markup", "text"), EDGE_CASES, ids=[case[0] for case in EDGE_CASES])
def test_html_to_text_edge_cases_equal_the_previous_version(what, markup, text):
    got = html_to_text(markup)
    assert got == previous_html_to_text(markup)
    if text is not None:
        assert got == text


def test_a_huge_description_equals_the_previous_version():
    unit = "<h2>Section</h2><p>Some  words &amp; more\u00a0words<br>next</p><ul><li>item</li><li>item two</li></ul>\n"
    markup = unit * 20_000  # ~1.9 MB
    assert html_to_text(markup) == previous_html_to_text(markup)


@settings(max_examples=500, deadline=None)
@given(st.lists(TREE_PART, min_size=1, max_size=40).map("".join))
def test_html_to_text_equals_the_previous_version(markup):
    assert html_to_text(markup) == previous_html_to_text(markup)


@given(st.text(max_size=60))
def test_html_to_text_equals_the_previous_version_on_any_text(value):
    assert html_to_text(value) == previous_html_to_text(value)


WHITESPACE_AND_MARKS = st.text(
    alphabet=st.sampled_from(
        ["a", "b", " ", "\n", "\t", "\r", "\u00a0", "\u2003", "\u3000", "\u2028", "\x85", *SOFT_MARKS]
    ),
    max_size=40,
)


@given(WHITESPACE_AND_MARKS, st.sampled_from(["", *SOFT_MARKS]))
def test_tidy_equals_resolving_soft_breaks_then_tidying(value, mark):
    from pipeline.text import _tidy

    assert _tidy(value, mark) == reference_tidy_text(reference_resolve_soft(value, mark))


@pytest.mark.corpus
def test_html_to_text_equals_the_previous_version_on_every_corpus_description():
    """Every description of every source the benchmark reads (bench.corpus), HTML or text, as the mappers return
    it: the very same string as before."""
    from bench.corpus import load_corpus
    from pipeline.sources import get_mapper

    corpus = load_corpus(require_corpus())
    values = []
    for raw in corpus.postings:
        fields = get_mapper(raw["source"])(raw["payload"], raw["board"])
        values += [v for v in (fields.description_html, fields.description_text) if v]
    assert len({raw["source"] for raw in corpus.postings}) >= 10
    assert len(values) > 900
    for value in values:
        assert html_to_text(value) == previous_html_to_text(value), value[:120]
