"""Pure normalization: source payloads -> schema v1 postings. No Scrapy, no database, no network.

``pipeline.normalize(raw) -> Posting`` is the entry point (see :mod:`pipeline.normalize`).
"""

from __future__ import annotations

from typing import Any

__all__ = ["normalize", "normalize_fields", "normalize_many", "normalize_text"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing one parser (pipeline.pay, say) does not import every other parser.
    if name in __all__:
        from pipeline import normalize as module

        return getattr(module, name)
    raise AttributeError(name)
