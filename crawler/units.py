"""Crawl units: a source's boards in stable batches, each crawled by one run in one process.

With ~6,200 Greenhouse boards, "crawl greenhouse" cannot be one run whose status is all-or-nothing and whose
memory grows with the registry. A source's active boards are split into ``count`` units by a hash of each board's
token (as the platform compares it), so a board stays in its unit from one crawl to the next (schedules, run
history and per-board results line up). ``count`` is the smallest power of two that keeps units at about
:data:`UNIT_BOARDS` boards; when the registry grows past a doubling, each unit splits in two (unit ``k`` of ``U``
becomes ``k`` and ``k + U`` of ``2U``) and no board moves anywhere else.

A unit is what ``jobscout crawl SOURCE --unit K/U`` runs, what ``jobscout crawl SOURCE`` runs in turn (one child
process each) and what the multi-host queue distributes
(crawler/queue.py). docs/scale.md gives the sizes and times.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from pipeline.platforms import token_key

#: N: boards per unit, about (a hash spreads them: the largest of 64 Greenhouse units holds ~125). One request per
#: board on Greenhouse, Ashby and Workable, so a unit is about a minute at 2 requests/s (M); Lever and
#: SmartRecruiters page (and SmartRecruiters fetches each posting), so theirs take longer: docs/scale.md.
UNIT_BOARDS = 100

_UNIT = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class UnitError(ValueError):
    """A ``--unit`` value that names no unit."""


@dataclass(frozen=True, slots=True)
class Unit:
    source: str
    index: int  # 0-based
    count: int
    boards: tuple[str, ...]

    @property
    def label(self) -> str:
        """``K/U`` as ``--unit`` takes it."""
        return f"{self.index}/{self.count}"


def unit_count(boards: int, size: int = UNIT_BOARDS) -> int:
    """The number of units for ``boards`` boards: the smallest power of two with at most ``size`` boards per unit
    on average (1 for an empty or small source)."""
    count = 1
    while boards > count * size:
        count *= 2
    return count


def unit_of(source: str, token: str, count: int) -> int:
    """The unit (0-based, of ``count``) that board ``token`` of ``source`` belongs to."""
    return zlib.crc32(f"{source}\0{token_key(source, token)}".encode()) % count


def split(source: str, tokens: list[str], size: int = UNIT_BOARDS, count: int | None = None) -> list[Unit]:
    """``source``'s boards in units (``count`` of them, default :func:`unit_count`); empty units are left out."""
    count = count or unit_count(len(tokens), size)
    members: dict[int, list[str]] = {}
    for token in tokens:
        members.setdefault(unit_of(source, token, count), []).append(token)
    return [Unit(source, index, count, tuple(members[index])) for index in sorted(members)]


def parse_unit(text: str) -> tuple[int, int]:
    """``"K/U"`` -> ``(K, U)``; :class:`UnitError` unless U is a power of two and 0 <= K < U."""
    match = _UNIT.match(text or "")
    if not match:
        raise UnitError(f"--unit must be K/U (unit K of U, counting from 0), got {text!r}")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or count & (count - 1) or index >= count:
        raise UnitError(f"--unit {text}: U must be a power of two and K between 0 and U-1")
    return index, count


def boards_of_unit(source: str, tokens: list[str], index: int, count: int) -> list[str]:
    """The boards of ``tokens`` in unit ``index`` of ``count``."""
    return [token for token in tokens if unit_of(source, token, count) == index]
