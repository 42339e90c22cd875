"""Sets of literal keys found in a text in one Hyperscan pass: the parsers' keyword automata.

Several parsers look their keywords up with an Aho-Corasick automaton and read context only around the hits.
pyahocorasick walks the automaton a character at a time in C (~20 us per 4 KB posting for the education and
workplace-trigger sets); Hyperscan (``hyperscan`` on PyPI, the library in its wheels) finds the same literals with
SIMD in ~4 us (docs/scan.md: where it pays and where it does not). :class:`Literals` is a drop-in for what the
parsers used of ``ahocorasick.Automaton``: built from (key, value) pairs, ``iter(text)`` yields ``(end, value)``
for every occurrence of every key, overlapping ones too, with ``end`` the index of its last character, in
pyahocorasick's order (by end, the longest key first).

When every key is Latin-1 without a "?", the text is matched as Latin-1 bytes, a character beyond Latin-1 written
"?" (which no key holds), so that byte offsets are character offsets. Otherwise keys and text are UTF-8 (a key
starts and ends at character boundaries, so it matches only whole characters) and the offsets of a non-ASCII text
are counted back in characters.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import hyperscan

from pipeline import compile_cache


class Literals:
    """Literal keys with their values (a later value for a key replaces an earlier one, as ``add_word`` does)."""

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        table = dict(pairs)
        self.table = table  # what it was built from (the tests build pyahocorasick's automaton from it)
        self._values = list(table.values())
        keys = list(table)
        self._negative_sizes = [-len(k) for k in keys]
        if not all(keys):
            raise ValueError("an empty key")
        self._latin1 = all(key.isascii() or max(key) <= "\xff" for key in keys) and not any("?" in k for k in keys)
        encoded = [key.encode("latin-1" if self._latin1 else "utf-8") for key in keys]
        self._db = _database(encoded) if encoded else hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        self._empty = not encoded
        self._local = threading.local()  # a scratch space per thread: scans must not share one

    def iter(self, text: str) -> list[tuple[int, Any]]:
        """``(end, value)`` of every occurrence of a key in ``text``, as ``ahocorasick.Automaton.iter`` yields."""
        if self._empty or not text:
            return []
        found: list[tuple[int, int, int]] = []
        data = text.encode("latin-1", "replace") if self._latin1 else text.encode("utf-8", "surrogatepass")
        self._db.scan(data, match_event_handler=self._on_match, context=found, scratch=self._scratch())
        found.sort()
        values = self._values
        if len(data) == len(text):
            return [(stop - 1, values[i]) for stop, _, i in found]
        out = []
        chars = last = 0  # characters in data[:last]
        for stop, _, i in found:
            chars += len(data[last:stop].decode("utf-8", "surrogatepass"))
            last = stop
            out.append((chars - 1, values[i]))
        return out

    @property
    def latin1(self) -> bool:
        """Whether the keys are matched as Latin-1 bytes (then :meth:`scan_bytes` takes a text encoded so)."""
        return self._latin1

    @property
    def values(self) -> list[Any]:
        """The keys' values, by key number (the numbers :meth:`scan_bytes` reports)."""
        return self._values

    def scan_bytes(self, data: bytes) -> list[tuple[int, int]]:
        """``(stop, key number)`` of every occurrence of a key in ``data`` (already encoded: Latin-1 when
        :attr:`latin1`), ``stop`` the offset just after it, in the order Hyperscan reports them (by ``stop``; not
        longest first). For a caller that builds its own bytes (``pipeline.skills`` translates the text into its
        skeleton as bytes) and orders the hits itself: no decoding, no sort, one small tuple a hit."""
        found: list[tuple[int, int]] = []
        if not self._empty and data:
            self._db.scan(data, match_event_handler=_collect, context=found, scratch=self._scratch())
        return found

    def _on_match(self, key: int, start: int, stop: int, flags: int, found: list[tuple[int, int, int]]) -> None:
        found.append((stop, self._negative_sizes[key], key))

    def _scratch(self) -> hyperscan.Scratch:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = hyperscan.Scratch(self._db)
        return scratch


def database_key(encoded: list[bytes]) -> str:
    """The compile cache's key of the database of these keys (in this order: a key's number is its index)."""
    return compile_cache.key("literals", ["block literal flags=0", hyperscan.__version__, *encoded])


def _database(encoded: list[bytes]) -> hyperscan.Database:
    """The block-mode database of ``encoded`` literal keys, numbered by index: loaded from the compile cache when
    an earlier process stored it (``hyperscan.loadb``), compiled (and stored) otherwise."""

    def build() -> hyperscan.Database:
        db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
        db.compile(expressions=encoded, ids=list(range(len(encoded))), elements=len(encoded), flags=0, literal=True)
        return db

    return compile_cache.load_or_build(
        "literals",
        database_key(encoded),
        build,
        hyperscan.dumpb,
        lambda stored: hyperscan.loadb(stored, hyperscan.HS_MODE_BLOCK),
    )


def _collect(key: int, start: int, stop: int, flags: int, found: list[tuple[int, int]]) -> None:
    found.append((stop, key))
