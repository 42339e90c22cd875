"""The shipped board registry: tens of thousands of company boards from two MIT-licensed lists.

``crawler/data/registry.csv.gz`` (header ``source,token,company,config,origins``) is built by
``python -m bench.build_registry`` from colophon-group/jobseek and complete-labs/ats-scrapers; ``registry.json``
beside it records the upstream commits, the build date and per-source counts. It holds boards of every platform
the lists name, including ones jobscout has no spider for yet. See docs/registry.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from crawler.config import ConfigError

DATA = Path(__file__).resolve().parent / "data"
SHIPPED = DATA / "registry.csv.gz"
META = DATA / "registry.json"
HEADER = ("source", "token", "company", "config", "origins")

#: The platforms jobscout has a spider for: only their boards are loaded into the ``boards`` table; the other rows
#: wait in the data file for their spider (tests/test_registry.py checks this against the spiders).
CRAWLED_PLATFORMS = frozenset(
    {"ashby", "greenhouse", "lever", "personio", "recruitee", "smartrecruiters", "workable", "workday"}
    | {"bamboohr", "breezy", "pinpoint", "teamtailor"}  # Platforms II, first half
    # Platforms II, second half (issue 17)
    | {"jobvite", "join", "rippling"}
)


class RegistryError(ConfigError):
    """A registry data file cannot be read."""


@dataclass(frozen=True, slots=True)
class RegistryBoard:
    source: str
    token: str
    company: str | None
    config: dict[str, Any] = field(default_factory=dict, hash=False)
    origins: tuple[str, ...] = ()


def config_object(text: str, where: str) -> dict[str, Any]:
    """A board's config written as JSON text (empty: none); :class:`RegistryError` naming ``where`` otherwise."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RegistryError(f"{where}: config is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise RegistryError(f"{where}: config must be a JSON object, got {text[:80]!r}")
    return value


def _read(path: Path) -> tuple[RegistryBoard, ...]:
    try:
        stat = path.stat()
    except FileNotFoundError as exc:
        raise RegistryError(f"registry file {path} does not exist") from exc
    except OSError as exc:
        raise RegistryError(f"registry file {path} cannot be read: {exc}") from exc
    return _read_version(path, stat.st_mtime_ns, stat.st_size)


@cache
def _read_version(path: Path, _mtime_ns: int, _size: int) -> tuple[RegistryBoard, ...]:
    """The boards of one version of the file (a rewritten file is parsed again)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"registry file {path} cannot be read: {exc}") from exc
    return parse_registry(raw, str(path))


def parse_registry(raw: bytes, path: str, sources: frozenset[str] | None = None) -> tuple[RegistryBoard, ...]:
    """The boards of a registry file's bytes (gzip-compressed or plain CSV), only those of ``sources`` when given;
    ``path`` names the file in errors."""
    try:
        text = gzip.decompress(raw).decode("utf-8") if raw[:2] == b"\x1f\x8b" else raw.decode("utf-8")
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise RegistryError(f"registry file {path} cannot be read: {exc}") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if tuple(header or ()) != HEADER:
        raise RegistryError(f"registry file {path}: expected header {','.join(HEADER)}, got {header!r}")
    boards = []
    for line, row in enumerate(reader, start=2):
        if len(row) != len(HEADER):
            raise RegistryError(f"{path}:{line}: expected {len(HEADER)} columns, got {len(row)}")
        source, token, company, config, origins = row
        if not source or not token:
            raise RegistryError(f"{path}:{line}: source and token are required")
        if sources is not None and source not in sources:
            continue
        boards.append(
            RegistryBoard(
                source=source,
                token=token,
                company=company or None,
                config=config_object(config, f"{path}:{line}"),
                origins=tuple(origins.split(";")) if origins else (),
            )
        )
    return tuple(boards)


def load_shipped(path: str | Path | None = None) -> list[RegistryBoard]:
    """Every board of the registry file (default: the packaged one), in file order (sorted by source, token).

    The file is parsed once per process and path; each call returns a new list of the same (immutable) boards --
    treat their ``config`` dicts as read-only."""
    return list(_read(Path(path) if path is not None else SHIPPED))


def registry_meta(path: str | Path | None = None) -> dict[str, Any]:
    """The registry's metadata (``registry.json``): upstream repositories and commits, build date, counts."""
    meta_path = Path(path) if path is not None else META
    try:
        return json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegistryError(f"registry metadata {meta_path} does not exist") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise RegistryError(f"registry metadata {meta_path} cannot be read: {exc}") from exc
