"""Pure normalization: source payloads -> schema v1 postings. No Scrapy, no database, no network.

``pipeline.normalize(raw) -> Posting`` is the entry point (see :mod:`pipeline.normalize`).
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["normalize", "normalize_fields", "normalize_many", "normalize_text", "normalize_texts"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one parser (pipeline.pay, say) does not import every other parser. import_module, not
    # ``from pipeline import normalize``: that statement asks this package for the attribute "normalize" first, which
    # comes back here and recursed without end when pipeline.normalize was not imported yet.
    if name in __all__:
        module = importlib.import_module("pipeline.normalize")
        return getattr(module, name)
    raise AttributeError(name)
