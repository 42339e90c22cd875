"""Full-text search over title and description: SQLite FTS5, PostgreSQL full-text search.

The user's text is never handed to the database's query syntax as is. It is parsed here into terms (words,
"quoted phrases", prefix* terms, -excluded terms), and each backend's query is built from those terms with every
term quoted, so FTS operators (``NEAR``, ``AND``, ``*`` in odd places, unbalanced quotes, ``-`` alone, ``:``,
parentheses) are plain text and never raise a database error.

Names with punctuation stay searchable as themselves: the SQLite index keeps ``#`` and ``+`` inside tokens
(``c#``, ``c++``), and any term with other punctuation (``.NET``, ``Node.js``, ``CI/CD``) is also required as an
exact, case-insensitive substring of the title or description, so ``.NET`` does not match "net revenue".

Index maintenance: on SQLite an external-content FTS5 table ``postings_fts`` kept in step by triggers; on
PostgreSQL a generated ``search_vector`` column with a GIN index (migration 0005).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, exists, func, literal_column, not_, or_, select, text
from sqlalchemy.sql import Select

from storage import models

_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD_CHARS = re.compile(r"[\w#+]+", re.UNICODE)
_PUNCTUATED = re.compile(r"[^\w#+\s]")
_PG_DROPPED = re.compile(r"[#+]")
# Query words that FTS5 or tsquery would read as operators when unquoted; quoting makes them plain words.
_OPERATORS = {"AND", "OR", "NOT", "NEAR"}


class SearchError(ValueError):
    """The search text has nothing to search for (e.g. only excluded terms)."""


@dataclass(slots=True)
class Term:
    words: list[str]  # lowercased tokens, as the index tokenizes them
    raw: str  # the term as typed, for the exact-substring check
    prefix: bool = False
    negated: bool = False
    exact: str | None = None  # a substring the text must contain (terms with punctuation)


@dataclass(slots=True)
class ParsedSearch:
    terms: list[Term] = field(default_factory=list)

    @property
    def positive(self) -> list[Term]:
        return [t for t in self.terms if not t.negated]


def parse_search(value: str) -> ParsedSearch:
    """Split user text into terms. Never raises on odd input; empty terms are dropped."""
    parsed = ParsedSearch()
    for m in _TOKEN.finditer(value or ""):
        negated_phrase, phrase, bare = m.group(1), m.group(2), m.group(3)
        if bare is not None:
            negated = bare.startswith("-") and len(bare) > 1
            raw = bare[1:] if negated else bare
            prefix = raw.endswith("*") and len(raw.rstrip("*")) > 0
            raw = raw.rstrip("*") if prefix else raw
        else:
            negated, raw, prefix = bool(negated_phrase), phrase, False
        words = [w.lower() for w in _WORD_CHARS.findall(raw)]
        if not words:
            continue
        exact = raw.lower().strip() if _PUNCTUATED.search(raw.strip()) else None
        parsed.terms.append(Term(words=words, raw=raw, prefix=prefix, negated=negated, exact=exact))
    return parsed


def _fts5_term(term: Term) -> str:
    quoted = " ".join(term.words).replace('"', '""')
    return f'"{quoted}"' + ("*" if term.prefix else "")


def fts5_query(parsed: ParsedSearch) -> str:
    """An FTS5 MATCH expression in which every term is a quoted string (operators are impossible)."""
    positive = " ".join(_fts5_term(t) for t in parsed.positive)
    negative = " ".join(f"NOT {_fts5_term(t)}" for t in parsed.terms if t.negated)
    return f"{positive} {negative}".strip()


def _tsquery(term: Term):
    """A PostgreSQL tsquery for one term, built by functions that treat their argument as plain text."""
    if term.prefix:
        # to_tsquery needs operator syntax: build it from word characters only, so it cannot be malformed.
        lexemes = " <-> ".join(re.sub(r"\W", "", w) or "x" for w in term.words)
        return func.to_tsquery("english", lexemes + ":*")
    # The raw text: PostgreSQL's parser keeps "node.js" and "ci/cd" as single tokens, as it did when indexing.
    return func.phraseto_tsquery("english", term.raw)


def _pg_match(term: Term):
    query = _tsquery(term)
    # A term made only of stop words ("and") has no lexeme: it constrains nothing rather than matching nothing.
    return or_(func.numnode(query) == 0, literal_column("postings.search_vector").op("@@")(query))


def _exact(term: Term) -> ColumnElement[bool]:
    pattern = "%" + term.exact.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(
        func.lower(models.Posting.title).like(pattern, escape="\\"),
        func.lower(models.Posting.description_text).like(pattern, escape="\\"),
    )


def apply_search(stmt: Select, value: str, dialect: str) -> Select:
    """``stmt`` restricted to postings matching the search text ``value`` on ``dialect`` (sqlite/postgresql)."""
    parsed = parse_search(value)
    if not parsed.positive:
        raise SearchError(f"--search {value!r} has no term to look for")
    if dialect == "sqlite":
        matching = text("SELECT rowid FROM postings_fts WHERE postings_fts MATCH :fts").bindparams(
            fts=fts5_query(parsed)
        )
        stmt = stmt.where(models.Posting.id.in_(matching.columns(literal_column("rowid"))))
    else:
        positive = [_pg_match(t) for t in parsed.positive]
        negative = [not_(_pg_match(t)) for t in parsed.terms if t.negated]
        stmt = stmt.where(and_(*positive, *negative))
        for term in parsed.terms:
            # PostgreSQL drops '#' and '+' ("C#" and "C++" both index as "c"): require the text itself.
            if not term.exact and not term.prefix and _PG_DROPPED.search(term.raw):
                term.exact = term.raw.lower().strip()
    for term in parsed.terms:
        if term.exact:
            stmt = stmt.where(not_(_exact(term)) if term.negated else _exact(term))
    return stmt


def sqlite_finds_any(value: str) -> ColumnElement[bool]:
    """SQLite: whether the full-text index matches ``value`` in any posting at all, closed or not (one lookup that
    stops at the first match; the exact-substring checks left out, so it is true for a superset of what
    :func:`apply_search` keeps). ``value`` has a positive term (as :func:`apply_search` requires)."""
    query = text("SELECT rowid FROM postings_fts WHERE postings_fts MATCH :fts").bindparams(
        fts=fts5_query(parse_search(value))
    )
    return exists(select(literal_column("1")).select_from(query.columns(literal_column("rowid")).subquery()))
