"""Filling the ``boards`` table: the shipped registry, users' boards files, and the sources that read them.

:func:`sync` runs when a command first opens the database (and on ``jobscout db upgrade``): it loads the registry
data file (``crawler/data/registry.csv.gz``, or the ``JOBSCOUT_REGISTRY`` file) and every user boards file (config
``[crawler] boards_files``) whose content it has not loaded before. Shipped boards of the platforms jobscout reads
(:data:`crawler.registry.CRAWLED_PLATFORMS`) are inserted as ``active`` -- the lists are evidence -- in one bulk
insert that skips rows already present, so a new package version adds its new boards and leaves every existing
row (edited, removed, gone) as it is. A user's file is applied as overrides: its boards are added or updated
(company, config; ``enabled = false`` removes one); a line deleted from the file deletes nothing
(``jobscout boards remove`` does).

A user boards file is TOML (one array of tables per source: ``[[greenhouse]] token = "stripe"``, optional
``company``, ``config`` (a table), ``enabled``) or CSV (header ``source,token`` plus optional ``company``,
``config`` (JSON), ``enabled``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from crawler.config import ConfigError


class BoardsFileError(ConfigError):
    """A boards file cannot be read."""


@dataclass(frozen=True, slots=True)
class BoardSpec:
    """One board as a user's file states it."""

    source: str
    token: str
    company: str | None = None
    config: dict[str, Any] | None = field(default=None, hash=False)
    enabled: bool = True


def _truthy(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("", "1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise BoardsFileError(f"{where}: enabled must be true or false, got {value!r}")


def _config(value: Any, where: str) -> dict[str, Any] | None:
    """A spec's config: a TOML table, or JSON text (a CSV cell) read as the registry file's are."""
    from crawler.registry import RegistryError, config_object

    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            return config_object(value, where)
        except RegistryError as exc:
            raise BoardsFileError(str(exc)) from None
    if not isinstance(value, dict):
        raise BoardsFileError(f"{where}: config must be a TOML table or a JSON object")
    return value


def parse_boards_file(path: Path, text: str) -> list[BoardSpec]:
    """The boards of a user's file (TOML, or CSV when the name ends in ``.csv``)."""
    specs = []
    if path.suffix.lower() == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"source", "token"} <= set(reader.fieldnames):
            raise BoardsFileError(f"boards file {path}: a CSV needs a header with source and token columns")
        for line, row in enumerate(reader, start=2):
            where = f"{path}:{line}"
            source, token = (row.get("source") or "").strip(), (row.get("token") or "").strip()
            if not source or not token:
                raise BoardsFileError(f"{where}: source and token are required")
            specs.append(
                BoardSpec(
                    source,
                    token,
                    (row.get("company") or "").strip() or None,
                    _config(row.get("config"), where),
                    _truthy(row.get("enabled", ""), where),
                )
            )
        return specs
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BoardsFileError(f"boards file {path} is not valid TOML: {exc}") from exc
    for source, entries in data.items():
        if not isinstance(entries, list):
            raise BoardsFileError(f"boards file {path}: [{source}] must be an array of tables ([[{source}]])")
        for entry in entries:
            if not isinstance(entry, dict) or not isinstance(entry.get("token"), str) or not entry["token"].strip():
                raise BoardsFileError(f"boards file {path}: every [[{source}]] entry needs a token")
            where = f"boards file {path} [[{source}]] {entry['token']!r}"
            specs.append(
                BoardSpec(
                    source,
                    entry["token"].strip(),
                    entry.get("company") or None,
                    _config(entry.get("config"), where),
                    _truthy(entry.get("enabled", True), where),
                )
            )
    return specs


def read_boards_file(path: Path) -> tuple[list[BoardSpec], bytes]:
    """The boards of ``path`` and its bytes (for the content hash)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise BoardsFileError(f"boards file {path} does not exist") from exc
    except OSError as exc:
        raise BoardsFileError(f"boards file {path} cannot be read: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BoardsFileError(f"boards file {path} is not UTF-8: {exc}") from exc
    return parse_boards_file(path, text), raw


def apply_specs(session: Session, specs: Iterable[BoardSpec], known_sources: Iterable[str], evidence: str) -> dict:
    """Add or update the boards of a user's file; returns counts (added, updated, removed)."""
    from storage import boards as repo

    known = set(known_sources)
    counts = {"added": 0, "updated": 0, "removed": 0}
    for spec in specs:
        if spec.source not in known:
            raise BoardsFileError(
                f"{evidence}: unknown source {spec.source!r}; boards can be added for: {', '.join(sorted(known))}"
            )
        if not spec.enabled:
            counts["removed"] += repo.remove(session, spec.source, spec.token) is not None
            continue
        _, created = repo.add(
            session, spec.source, spec.token, company=spec.company, config=spec.config, evidence=evidence
        )
        counts["added" if created else "updated"] += 1
    return counts


def _fingerprint(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def sync(
    sessions: sessionmaker[Session],
    registry_file: str | Path | None = None,
    boards_files: Iterable[str | Path] = (),
) -> dict[str, int]:
    """Load the registry and the user's boards files into ``boards`` where their content is new (module docstring).

    Returns what was done: ``shipped`` (boards added from the registry) and ``user`` (boards added or updated)."""
    from crawler.registry import CRAWLED_PLATFORMS, SHIPPED, parse_registry
    from storage import boards as repo
    from storage.models import utcnow

    path = Path(registry_file) if registry_file else SHIPPED
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BoardsFileError(f"registry file {path} cannot be read: {exc.strerror or exc}") from exc
    platforms = sorted(CRAWLED_PLATFORMS)
    # A new registry file, or a platform that gained a spider, loads again (adding only what is missing).
    fingerprint = _fingerprint(raw, ",".join(platforms))
    done = {"shipped": 0, "user": 0}
    with sessions.begin() as session:
        if not repo.loaded(session, fingerprint):
            now = utcnow()
            rows = [
                repo.board_row(
                    b.source, b.token, company=b.company, config=b.config, origin="shipped", status="active", now=now
                )
                for b in parse_registry(raw, str(path), CRAWLED_PLATFORMS)
            ]
            done["shipped"] = repo.insert_missing(session, rows)
            repo.record_load(session, fingerprint, "shipped", str(path), len(rows), done["shipped"])
    for user_file in boards_files:
        user_path = Path(user_file).expanduser()
        specs, raw = read_boards_file(user_path)
        fingerprint = _fingerprint(str(user_path.resolve()), raw)
        with sessions.begin() as session:
            if repo.loaded(session, fingerprint):
                continue
            counts = apply_specs(session, specs, CRAWLED_PLATFORMS, str(user_path))
            done["user"] += counts["added"] + counts["updated"]
            repo.record_load(session, fingerprint, "user", str(user_path), len(specs), counts["added"])
    return done


def liveness_rules(settings):
    """Board liveness thresholds (:class:`storage.boards.LivenessRules`) from the Scrapy settings
    (``JOBSCOUT_GONE_AFTER_MISSES``, ``JOBSCOUT_GONE_AFTER_DAYS``, ``JOBSCOUT_GONE_REPROBE_DAYS``)."""
    from storage.boards import LivenessRules

    return LivenessRules(
        misses=settings.getint("JOBSCOUT_GONE_AFTER_MISSES", 3),
        days=settings.getfloat("JOBSCOUT_GONE_AFTER_DAYS", 7),
        reprobe_days=settings.getfloat("JOBSCOUT_GONE_REPROBE_DAYS", 30),
    )
