"""Source mappers: one module per source, each exposing ``map_posting(payload, board) -> SourceFields``.

A module may also expose ``map_postings(payload, board) -> list[SourceFields]`` when one payload can hold several
postings (an HN comment listing several roles): their external ids are ``{id}#{n}``, and ``pipeline.normalize``
rebuilds posting n from the one payload by its external id (``get_parts_mapper``).

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


Parts = Callable[[dict[str, Any], str], list[SourceFields]]


@cache
def get_parts_mapper(source: str) -> Parts | None:
    """The source's ``map_postings`` (one payload -> several postings), or None when it has none."""
    get_mapper(source)  # an unknown source raises here
    module = importlib.import_module(f"pipeline.sources.{source}")
    return getattr(module, "map_postings", None)
