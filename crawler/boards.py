"""The board registry: which companies each ATS platform source crawls by default.

The shipped registry is ``crawler/data/boards.toml``; users extend it with their own files (config
``[crawler] boards_files``), same format. A shipped board is crawled by default only when ``verified`` (the corpus
or public documentation proves its token); a user's board is crawled unless it says ``enabled = false``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from crawler.config import ConfigError

SHIPPED = Path(__file__).resolve().parent / "data" / "boards.toml"


class BoardsFileError(ConfigError):
    """A boards file cannot be read."""


@dataclass(frozen=True, slots=True)
class Board:
    source: str
    token: str
    company: str | None
    verified: bool
    enabled: bool
    origin: str  # the file it came from
    evidence: str | None = None


def _read(path: Path, shipped: bool) -> list[Board]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise BoardsFileError(f"boards file {path} does not exist") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BoardsFileError(f"boards file {path} is not valid TOML: {exc}") from exc
    boards = []
    for source, entries in data.items():
        if not isinstance(entries, list):
            raise BoardsFileError(f"boards file {path}: [{source}] must be an array of tables ([[{source}]])")
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("token"), str) or not entry["token"].strip():
                raise BoardsFileError(f"boards file {path}: every [[{source}]] entry needs a token")
            verified = bool(entry.get("verified", not shipped))
            boards.append(
                Board(
                    source=source,
                    token=entry["token"].strip(),
                    company=entry.get("company"),
                    verified=verified,
                    enabled=bool(entry.get("enabled", verified if shipped else True)),
                    origin=str(path),
                    evidence=entry.get("evidence"),
                )
            )
    return boards


@cache
def _load(extra: tuple[str, ...]) -> tuple[Board, ...]:
    boards: dict[tuple[str, str], Board] = {}
    for path, shipped in [(SHIPPED, True), *((Path(p).expanduser(), False) for p in extra)]:
        for board in _read(path, shipped):
            boards[(board.source, board.token)] = board  # a user's entry overrides the shipped one
    return tuple(boards.values())


def load_registry(extra_files: list[str] | tuple[str, ...] = ()) -> list[Board]:
    return list(_load(tuple(str(p) for p in extra_files)))


def boards_for(source: str, extra_files: list[str] | tuple[str, ...] = ()) -> list[str]:
    """Tokens crawled by default for ``source``."""
    return [b.token for b in load_registry(extra_files) if b.source == source and b.enabled]
