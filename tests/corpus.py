"""Where the shared corpus lives, for the tests that measure against it.

The corpus sits beside the checkout (``../shared/corpus``) on developer machines and in CI; a user's clone has
none, so tests that need it skip with a clear reason. ``JOBSCOUT_CORPUS`` points elsewhere.
"""

from __future__ import annotations

import os
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
