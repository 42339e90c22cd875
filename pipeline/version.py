"""Which normalizer produced a posting: a digest of the code and data that turn a payload into a posting.

The store records it per source (``posting_sources.normalized_by``). A crawl that sees a payload byte-identical to
the stored one *and* stored by this very normalizer skips normalization and only moves ``last_seen_at``
(crawler.pipelines.KnownPayloadPipeline); any change to a parser, the taxonomy or a data file changes the digest,
so the next crawl re-normalizes every posting once (no version number to forget to bump).
"""

from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

_ROOT = Path(__file__).resolve().parent
_SUFFIXES = {".py", ".toml", ".tsv", ".json", ".txt"}


# Libraries whose behaviour is part of the output (HTML parsing and its XSLT walk, the keyword sets, the scan's
# gates): an upgrade of one re-normalizes too.
_LIBRARIES = ("lxml", "pyahocorasick", "hyperscan", "google-re2")


def _runtime() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from lxml import etree

    parts = [f"python {sys.version_info.major}.{sys.version_info.minor}"]
    for name in _LIBRARIES:
        try:
            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name} ?")
    parts.append(f"libxml2 {etree.LIBXML_VERSION} libxslt {etree.LIBXSLT_VERSION}")
    return "; ".join(parts)


@lru_cache(maxsize=1)
def normalizer_version() -> str:
    """16 hex digits over every source and data file of the ``pipeline`` package (paths and contents, sorted) and
    the versions of Python and of the libraries the output depends on."""
    digest = hashlib.sha256(_runtime().encode())
    files = sorted(
        p for p in _ROOT.rglob("*") if p.is_file() and p.suffix in _SUFFIXES and "__pycache__" not in p.parts
    )
    for path in files:
        digest.update(path.relative_to(_ROOT).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
