"""Built tables kept on disk, so that a new process loads what an earlier one compiled.

The parsers build their keyword sets once per process (``pipeline.literals``: Hyperscan databases, ~0.2 s for the
skills, education and workplace sets; ``pipeline.skills``: the taxonomy and its keyword table). On a short input
(``jobscout normalize`` over a few hundred postings) that build is most of the run, so its result is written to a
cache directory and read back by the next process.

Nothing is cached until :func:`configure` names a directory: pipeline code does not read the environment, so the
caller decides (``crawler.settings.cache_dir``: ``JOBSCOUT_CACHE_DIR``, else ``$XDG_CACHE_HOME/jobscout``, else
``~/.cache/jobscout``; README, "Where things live").

A file is named ``<kind>-<key>.bin``, where the key is a SHA-256 over everything its content is built from (the
builder passes the patterns, flags, data file bytes and library versions, see :func:`key`): a change to any of
them names another file, so a stale file is never read. The file holds a header (format, key, a SHA-256 of the
payload) before the payload; a file whose header does not match, or that cannot be read or decoded, is ignored with
a logged warning and replaced by a fresh build: the cache can cost a rebuild, never a wrong result or a crash.
Files are written to a temporary name and renamed, so a reader never sees half a file. ``rm -r`` the directory to
clear it; old keys' files are left for that.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import platform
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

FORMAT = b"jobscout-compile-cache 1\n"

_directory: Path | None = None


def configure(directory: str | os.PathLike[str] | None) -> None:
    """Keep built tables in ``directory`` (created on the first write); ``None``: build them in every process."""
    global _directory
    _directory = Path(directory) if directory is not None else None


def directory() -> Path | None:
    """The directory :func:`configure` set, or ``None``."""
    return _directory


def key(kind: str, parts: Iterable[bytes | str]) -> str:
    """The key of an artefact of ``kind`` built from ``parts`` (each one length-prefixed, so that no two lists of
    parts give the same bytes), this Python and this machine's architecture."""
    digest = hashlib.sha256(FORMAT)
    for part in (kind, sys.version, platform.machine(), *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def _path(kind: str, artefact_key: str) -> Path | None:
    return None if _directory is None else _directory / f"{kind}-{artefact_key}.bin"


def fetch(kind: str, artefact_key: str) -> bytes | None:
    """The payload stored under ``artefact_key``, or ``None``: no directory, no file, or a file that is not what
    its name says (logged)."""
    path = _path(kind, artefact_key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("compile cache: cannot read %s (%s); building it again", path, exc)
        return None
    head = FORMAT + artefact_key.encode("ascii") + b"\n"
    checked = len(head) + 65
    if not data.startswith(head) or len(data) < checked:
        log.warning("compile cache: %s is stale or truncated; building it again", path)
        return None
    payload = data[checked:]
    if data[len(head) : checked - 1] != hashlib.sha256(payload).hexdigest().encode("ascii"):
        log.warning("compile cache: %s is corrupt (checksum); building it again", path)
        return None
    return payload


def keep(kind: str, artefact_key: str, payload: bytes) -> None:
    """Store ``payload`` under ``artefact_key`` (a temporary file renamed into place); a failure is logged and
    ignored, since the next process can build it again."""
    path = _path(kind, artefact_key)
    if path is None:
        return
    data = FORMAT + artefact_key.encode("ascii") + b"\n" + hashlib.sha256(payload).hexdigest().encode("ascii")
    data += b"\n" + payload
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{kind}-", suffix=".tmp", delete=False) as fh:
            tmp = fh.name
            fh.write(data)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        log.warning("compile cache: cannot write %s (%s)", path, exc)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def forget(kind: str, artefact_key: str) -> None:
    """Remove a stored payload that could not be used (it will be replaced by a fresh build)."""
    path = _path(kind, artefact_key)
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def load_or_build(
    kind: str, artefact_key: str, build: Callable[[], T], dump: Callable[[T], bytes], load: Callable[[bytes], T]
) -> T:
    """The artefact stored under ``artefact_key`` (``load`` of its payload), else ``build()``, stored by ``dump``
    when a directory is configured. A payload that ``load`` rejects, whatever it raises, is logged, removed and
    rebuilt: a damaged or foreign file costs a build, never a wrong result or a crash."""
    stored = fetch(kind, artefact_key)
    if stored is not None:
        try:
            return load(stored)
        except Exception as exc:  # another platform's build, a damaged file, a changed class: build it again
            log.warning("compile cache: a stored %s artefact does not load (%r); building it again", kind, exc)
            forget(kind, artefact_key)
    artefact = build()
    if _directory is not None:
        keep(kind, artefact_key, dump(artefact))
    return artefact
