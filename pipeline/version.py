"""Which normalizer produced a posting: a digest of the code and data that turn a payload into a posting.

The store records it per source (``posting_sources.normalized_by``). A crawl that sees a payload byte-identical to
the stored one *and* stored by this very normalizer skips normalization and only moves ``last_seen_at``
(crawler.pipelines.KnownPayloadPipeline); any change to a parser, the taxonomy or a data file changes the digest,
so the next crawl re-normalizes every posting once (no version number to forget to bump).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_SUFFIXES = {".py", ".toml", ".tsv", ".json", ".txt"}


@lru_cache(maxsize=1)
def normalizer_version() -> str:
    """16 hex digits over every source and data file of the ``pipeline`` package (paths and contents, sorted)."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in _ROOT.rglob("*") if p.is_file() and p.suffix in _SUFFIXES and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(path.relative_to(_ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
