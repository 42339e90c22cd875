"""Source mappers: one module per source, each exposing ``map_posting(payload, board) -> SourceFields``.

A mapper turns one payload as received into source-agnostic :class:`~pipeline.model.SourceFields`. It reads
structured fields only and never parses free text; it raises :class:`MappingError` for a payload it cannot read.
The module name is the source name (``pipeline.sources.greenhouse`` maps ``source="greenhouse"``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

from pipeline.model import SourceFields

Mapper = Callable[[dict[str, Any], str], SourceFields]


class MappingError(ValueError):
    """A payload lacks what its source always sends (an id, the expected shape)."""


class UnknownSourceError(LookupError):
    pass


@cache
def get_mapper(source: str) -> Mapper:
    if not source.isidentifier():
        raise UnknownSourceError(f"unknown source {source!r}")
    try:
        module = importlib.import_module(f"pipeline.sources.{source}")
    except ModuleNotFoundError as exc:
        raise UnknownSourceError(f"unknown source {source!r}") from exc
    return module.map_posting
