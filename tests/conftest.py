from __future__ import annotations

import pytest

from tests.corpus import require_corpus


@pytest.fixture
def corpus_dir():
    """The shared corpus directory; the test is skipped when it is absent."""
    return require_corpus()
