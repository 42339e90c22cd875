"""Where the shared corpus lives, for the tests that measure against it.

The corpus sits beside the checkout (``../shared/corpus``) on developer machines and in CI; a user's clone has
none, so tests that need it skip with a clear reason. ``JOBSCOUT_CORPUS`` points elsewhere.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def corpus_path() -> Path:
    return Path(os.environ.get("JOBSCOUT_CORPUS") or REPO_ROOT.parent / "shared" / "corpus")


def require_corpus(*parts: str) -> Path:
    """The corpus path joined with ``parts``; skips the calling test when it is absent."""
    path = corpus_path().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"corpus not found at {path} (set JOBSCOUT_CORPUS or place shared/ beside the checkout)")
    return path


@cache
def _descriptions(root: Path) -> tuple[str, ...]:
    from pipeline.text import html_to_text

    texts = []
    for path in sorted((root / "greenhouse").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        jobs = data.get("jobs", [data]) if isinstance(data, dict) else data
        texts += [html_to_text(j.get("content")) for j in jobs if isinstance(j, dict) and j.get("content")]
    for path in sorted((root / "ashby").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8-sig"))
        jobs = data.get("jobs", []) if isinstance(data, dict) else data
        texts += [
            j.get("descriptionPlain") or html_to_text(j.get("descriptionHtml")) for j in jobs if isinstance(j, dict)
        ]
    return tuple(t for t in texts if t)


def corpus_descriptions() -> tuple[str, ...]:
    """The text of every real Greenhouse and Ashby description in the corpus (read once per test process), for
    the parsers' smoke tests; skips the calling test when the corpus is absent."""
    return _descriptions(require_corpus("sources"))
