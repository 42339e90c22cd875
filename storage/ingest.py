"""The write path: normalized postings into ``postings`` / ``posting_sources`` / ``posting_keys``.

Every function takes a ``Session`` owned by the caller (who commits). Writes come in batches (:func:`upsert_batch`):
one round of SELECTs for a whole batch, then inserts and updates flushed together, never a session or a commit per
posting. Whether two sightings are one job is :mod:`pipeline.dedup`'s decision and which values win is
:mod:`pipeline.merge`'s; this module finds the candidates, applies the outcome to the rows (through
:mod:`storage.mapping`) and records the changes.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import re
import sqlite3
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from isal import igzip
from sqlalchemy import ColumnElement, Connection, Table, and_, case, func, insert, or_, select, text, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, defer, lazyload, selectinload

from pipeline import dedup, merge
from pipeline import model as schema
from storage import models
from storage.mapping import apply_posting, fit_columns, set_identity, to_schema, write_fields

# Candidate keys held by more postings than this are skipped (boilerplate; see _load_candidates).
MAX_KEY_FANOUT = 40

# Fields whose changes are recorded in posting_changes (what a user watching a posting cares about).
TRACKED_FIELDS = ("title", "pay", "locations", "workplace")

# Bounded IN lists: SQLite's variable limit, and planner sanity on both backends.
_CHUNK = 500

SourceKey = tuple[str, str, str]  # (source, board, external_id)

# Payloads are gzip, written by ISA-L's deflate (isal.igzip, level 1 of its 0-3): a Greenhouse payload of the bench
# board (10.4 KB of JSON) compresses in ~0.03 ms into ~4.3 KB, where zlib took ~0.11 ms at its fastest level for
# ~4.4 KB (~0.18 ms at level 6 for ~4.1 KB; bench/bench_ingest.py). The output is ordinary gzip: every reader
# (gzip.decompress) reads old and new payloads alike.
PAYLOAD_GZIP_LEVEL = 1


@dataclass(slots=True)
class Sighting:
    """One normalized posting as seen in one crawl, with the payload it came from and, when known, the normalizer
    that produced it (``pipeline.version.normalizer_version()``; None means "do not skip it next time")."""

    posting: schema.Posting
    payload: dict[str, Any]
    fetched_at: datetime
    normalized_by: str | None = None
    prepared: Prepared | None = None  # computed here when None


@dataclass(slots=True)
class Prepared:
    """What the store needs of a posting that depends on nothing stored (:func:`prepare`): pure CPU work, done by
    the normalize workers (crawler.normalizing) so that the crawl process only looks up and writes."""

    fingerprint: dedup.Fingerprint
    lookup: list[str]  # dedup.lookup_keys(fingerprint)
    fingerprint_json: dict[str, Any]
    payload_gz: bytes
    payload_hash: str
    content_hash: str


def prepare(posting: schema.Posting, payload: dict[str, Any]) -> Prepared:
    """The fingerprint and lookup keys of a posting, its payload compressed and hashed, its content hash."""
    fp = dedup.fingerprint(posting)
    data = payload_bytes(payload)
    return Prepared(
        fingerprint=fp,
        lookup=dedup.lookup_keys(fp),
        fingerprint_json=fp.to_json(),
        # mtime=0: the same payload gives the same bytes (gzip's header otherwise carries the current second)
        payload_gz=igzip.compress(data, compresslevel=PAYLOAD_GZIP_LEVEL, mtime=0),
        payload_hash=hashlib.sha256(data).hexdigest(),
        content_hash=content_hash(posting),
    )


@dataclass(slots=True)
class Resighting:
    """A source seen again with a payload identical to the stored one, already normalized by the running
    normalizer: only its lifecycle moves (:func:`touch_sources`)."""

    source: str
    board: str
    external_id: str
    fetched_at: datetime


@dataclass(slots=True)
class UpsertResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    merged: int = 0  # new sources linked to an existing posting as duplicates
    posting_ids: list[int] = field(default_factory=list)
    #: (board, "new" | "updated") -> count: the per-board results of a crawl run
    by_board: Counter = field(default_factory=Counter)


# --- payloads and content ------------------------------------------------------------------------------------
def payload_bytes(payload: dict[str, Any]) -> bytes:
    """The canonical JSON bytes of a payload: what is compressed into ``payload_gz`` and hashed.

    The bytes are those of ``json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))``
    encoded as UTF-8 (every stored ``payload_hash`` was computed from them), produced by orjson where it writes the
    same bytes: 0.053 instead of 0.085 ms for a 12 KB payload of bench/bench_ingest.py's board, for every posting
    of every crawl (the known-payload check of a re-crawl, ``prepare`` of a first one). orjson writes a few values
    differently, so its output is used only when none can be in it: a float below 1e-4 (``json`` writes
    ``1e-05``, orjson ``0.00001``; other floats, ints, strings and key order agree), looked for in the output; NaN
    and infinities (``json`` writes ``NaN``, orjson ``null``) and tuples, caught by reading the output back and
    comparing it with the payload; and what orjson refuses (ints beyond 64 bits, non-string keys, lone
    surrogates), by its error. tests/test_ingest_payload.py compares both on every corpus payload and on a table
    of such values."""
    try:
        data = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # orjson.JSONEncodeError: what it cannot write
        return _json_payload_bytes(payload)
    if _EXPONENT.search(data) or _SMALL_DECIMAL.search(data) or orjson.loads(data) != payload:
        return _json_payload_bytes(payload)
    return data


def _json_payload_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


# How orjson writes a float that json writes otherwise (below 1e-4: "1.5e-7" or "0.00001"): a digit before "e-",
# or a number (after ":", ",", "[" or a minus) starting "0.0000". The same text inside a string only costs the json
# path. Each pattern starts with its literal, which re finds at memchr speed (a leading class scanned a 12 KB
# payload in ~0.18 ms, twice json's whole cost); the lookbehind then checks the byte before it.
_EXPONENT = re.compile(rb"e-(?<=[0-9]e-)")
_SMALL_DECIMAL = re.compile(rb"0\.0000(?<=[:,\[-]0\.0000)")


def payload_digest(payload: dict[str, Any]) -> str:
    """The ``payload_hash`` a payload is stored under."""
    return hashlib.sha256(payload_bytes(payload)).hexdigest()


def decompress_payload(blob: bytes | None) -> dict[str, Any] | None:
    return json.loads(gzip.decompress(blob)) if blob else None


_UNHASHED = ("id", "sources", "first_seen_at", "last_seen_at", "closed_at")


def content_hash(posting: schema.Posting) -> str:
    """The digest of a normalized posting's values (``postings.content_hash``: the canonical source's posting):
    tells an update of the canonical source from a re-sighting without comparing every column."""
    data = posting.to_dict()
    for key in _UNHASHED:
        data.pop(key, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def known_payloads(session: Session, source: str, board: str) -> dict[str, tuple[str, str | None]]:
    """external_id -> (payload_hash, normalized_by) of every stored source of one board (open or closed)."""
    rows = session.execute(
        select(
            models.PostingSource.external_id, models.PostingSource.payload_hash, models.PostingSource.normalized_by
        ).where(models.PostingSource.source == source, models.PostingSource.board == board)
    )
    return {external_id: (digest, by) for external_id, digest, by in rows}


# --- skills --------------------------------------------------------------------------------------------------
def skill_ids(session: Session, names: Iterable[str], categories: Mapping[str, str] | None = None) -> dict[str, int]:
    """Ids of the named skills, creating rows (with their category) for the ones not stored yet."""
    wanted = set(names)
    if not wanted:
        return {}
    found = dict(
        session.execute(select(models.Skill.name, models.Skill.id).where(models.Skill.name.in_(wanted))).all()
    )
    missing = wanted - found.keys()
    if missing:
        for name in sorted(missing):
            skill = models.Skill(name=name, category=(categories or {}).get(name))
            session.add(skill)
        session.flush()
        found.update(
            session.execute(select(models.Skill.name, models.Skill.id).where(models.Skill.name.in_(missing))).all()
        )
    return found


def _skill_evidence(posting: schema.Posting) -> Iterator[tuple[str, str]]:
    """(skill, evidence) of each distinct skill of a posting, in order."""
    for name in dict.fromkeys(posting.skills):
        yield name, (posting.skill_evidence.get(name) or "")


def _set_skills(row: models.Posting, posting: schema.Posting, ids: dict[str, int]) -> None:
    row.skills = [
        models.PostingSkill(skill_id=ids[name], evidence=evidence[:200])
        for name, evidence in _skill_evidence(posting)
    ]


# --- stored fingerprints -------------------------------------------------------------------------------------
class FingerprintCache:
    """Parsed ``posting_sources.fingerprint`` JSON, per source, for the candidate comparisons of
    :func:`upsert_batch`.

    The same stored postings are candidates batch after batch (a company's openings resemble each other), and
    parsing a fingerprint (base64 + numpy) costs more than comparing it; this keeps the parsed ones across batches
    and sessions of one process. An entry is valid for the JSON object it was parsed from: a fingerprint rewritten
    (a new object loaded or assigned) is parsed again, so an identity check is enough to know it is current.
    Bounded: cleared when it outgrows ``max_entries``.
    """

    def __init__(self, max_entries: int = 20_000) -> None:
        self.max_entries = max_entries
        self._entries: dict[SourceKey, tuple[dict[str, Any], dedup.Fingerprint]] = {}

    def get(self, src: models.PostingSource) -> dedup.Fingerprint:
        ident = (src.source, src.board, src.external_id)
        hit = self._entries.get(ident)
        if hit is not None and hit[0] is src.fingerprint:
            return hit[1]
        fp = dedup.Fingerprint.from_json(src.fingerprint, src.source, src.board, src.external_id)
        if len(self._entries) > self.max_entries:
            self._entries.clear()
        self._entries[ident] = (src.fingerprint, fp)
        return fp


STORED_FINGERPRINTS = FingerprintCache()


# --- upsert_batch: load existing sources -> find duplicate candidates -> apply -------------------------------
def upsert_batch(
    session: Session, sightings: Sequence[Sighting], skill_categories: Mapping[str, str] | None = None
) -> UpsertResult:
    """Insert new postings, link duplicates, refresh known ones; idempotent (a re-sighting moves ``last_seen_at``).

    A known (source, board, external_id) refreshes its posting. An unknown one is first looked up as a duplicate
    (pipeline.dedup: canonical URL -> requisition + company -> fingerprint within the company, candidates found
    through the indexed ``posting_keys``): a duplicate becomes another ``posting_sources`` row of the posting it
    matches, whose values are merged by source rank (pipeline.merge, docs/dedup-policy.md). Changes of
    TRACKED_FIELDS are recorded in posting_changes; a closed posting seen again reopens.
    """
    result = UpsertResult()
    # The last sighting of a key wins when a board lists the same job twice.
    by_key = {(s.posting.source, s.posting.board, s.posting.external_id): s for s in sightings}
    if not by_key:
        return result
    prep = {key: s.prepared or prepare(s.posting, s.payload) for key, s in by_key.items()}
    _lock_companies(session, {p.fingerprint.company_key or "" for p in prep.values()})
    existing = _load_sources(session, list(by_key))
    candidates = _load_candidates(session, {k for key in by_key if key not in existing for k in prep[key].lookup})

    writer = _BatchWriter(
        session,
        result,
        candidates,
        skill_ids(session, (name for s in by_key.values() for name in s.posting.skills), skill_categories),
        _next_ids(session, len(by_key) - len(existing)) if len(existing) < len(by_key) else None,
    )
    for key, sighting in by_key.items():
        ps = existing.get(key)
        if ps is None:
            writer.add(sighting, prep[key])
        else:
            writer.refresh(ps, sighting, prep[key])
    session.flush()
    writer.insert_fresh()
    _insert_keys(session, writer.pending_keys)
    result.posting_ids = [existing[k].posting_id for k in by_key if k in existing]
    return result


def _identity_in(source: Any, board: Any, external_id: Any, keys: Sequence[SourceKey]) -> ColumnElement[bool]:
    """``(source, board, external_id) IN keys`` as one ``source = ? AND board = ? AND external_id IN (...)`` per
    (source, board): SQLite reads each from the unique index, where it ran the row-value ``IN (VALUES ...)`` as a
    scan of the whole index, a cost that grew with the stored sources (docs/scale.md, "Ingest")."""
    by_board: dict[tuple[str, str], list[str]] = {}
    for src, brd, ext in keys:
        by_board.setdefault((src, brd), []).append(ext)
    return or_(*(and_(source == src, board == brd, external_id.in_(ids)) for (src, brd), ids in by_board.items()))


def _load_sources(session: Session, keys: list[SourceKey]) -> dict[SourceKey, models.PostingSource]:
    """Phase 1: the stored sources of the batch's keys, with their postings."""
    ps = models.PostingSource
    existing: dict[SourceKey, models.PostingSource] = {}
    for start in range(0, len(keys), _CHUNK):
        stmt = (
            select(ps)
            .where(_identity_in(ps.source, ps.board, ps.external_id, keys[start : start + _CHUNK]))
            .options(selectinload(ps.posting))
        )
        for row in session.scalars(stmt):
            existing[(row.source, row.board, row.external_id)] = row
    return existing


class _Candidates:
    """The postings an unknown sighting may duplicate: the stored ones found under its lookup keys, and the ones
    this batch created or linked so far (they are not in ``posting_keys`` until the batch ends)."""

    def __init__(self, key_to_ids: dict[str, set[int]], stored: dict[int, models.Posting]) -> None:
        self.key_to_ids = key_to_ids
        self.stored = stored
        # Rows as dict keys (rows compare by identity; the dicts keep the order rows were met), so that gathering a
        # posting's candidates is a C-level dict merge per lookup key: a batch of one company's openings puts
        # dozens of rows under each of a posting's text bands.
        self.stored_by_key: dict[str, dict[Any, None]] = {
            k: dict.fromkeys(stored[pid] for pid in ids if pid in stored) for k, ids in key_to_ids.items()
        }
        self.in_batch: dict[str, dict[Any, None]] = {}
        self.batch_fps: dict[int, dedup.Fingerprint] = {}  # id(PostingSource) -> fingerprint of a new source

    def add(self, row: models.Posting, lookup: list[str]) -> None:
        for k in lookup:
            self.in_batch.setdefault(k, {})[row] = None

    def add_source(self, source: Any, fp: dedup.Fingerprint) -> None:
        self.batch_fps[id(source)] = fp

    def replace(self, old: Any, new: Any) -> None:
        """``old`` (a :class:`_NewRow`) is now the ORM row ``new``, in the same places of the candidate lists."""
        for k in old.lookup:
            rows = self.in_batch.get(k)
            if rows is not None and old in rows:
                self.in_batch[k] = {new if row is old else row: None for row in rows}

    def find(self, fp: dedup.Fingerprint, lookup: list[str]) -> tuple[models.Posting, str] | None:
        """The posting ``fp`` duplicates and why (pipeline.dedup.match); the best-scoring one when several match."""
        # Rows in the order first met (a tie keeps the first best).
        rows: dict[Any, None] = {}
        stored_by_key, in_batch = self.stored_by_key, self.in_batch
        for k in lookup:
            found = stored_by_key.get(k)
            if found:
                rows.update(found)
            found = in_batch.get(k)
            if found:
                rows.update(found)
        return dedup.best_match(fp, self._fingerprints(rows))

    def _fingerprints(self, rows: Iterable[Any]) -> Iterator[tuple[Any, dedup.Fingerprint]]:
        """(row, fingerprint) of each source of ``rows`` that has one: this batch's, else the stored one."""
        batch_fps = self.batch_fps
        for row in rows:
            for src in row.sources:
                other = batch_fps.get(id(src))
                if other is None:
                    if not src.fingerprint:
                        continue
                    other = STORED_FINGERPRINTS.get(src)
                yield row, other


def _load_candidates(session: Session, wanted: set[str]) -> _Candidates:
    """Phase 2: the stored postings under the lookup keys of the batch's unknown sightings."""
    keys = sorted(wanted)
    key_to_ids: dict[str, set[int]] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        # A key shared by many postings (a company's boilerplate opening in one MinHash band, a title the
        # company posts in dozens of cities) says nothing: skip it rather than compare with every holder.
        usable = [
            k
            for k, n in session.execute(
                select(models.PostingKey.key, func.count())
                .where(models.PostingKey.key.in_(chunk))
                .group_by(models.PostingKey.key)
            )
            if n <= MAX_KEY_FANOUT
        ]
        if not usable:
            continue
        for k, pid in session.execute(
            select(models.PostingKey.key, models.PostingKey.posting_id).where(models.PostingKey.key.in_(usable))
        ):
            key_to_ids.setdefault(k, set()).add(pid)
    ids = sorted({pid for ids_ in key_to_ids.values() for pid in ids_})
    stored: dict[int, models.Posting] = {}
    # Matching reads a candidate's sources only: its skills and description load if it is merged into (rarely).
    lazy = (lazyload(models.Posting.skills), defer(models.Posting.description_text))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        for row in session.scalars(select(models.Posting).where(models.Posting.id.in_(chunk)).options(*lazy)):
            stored[row.id] = row
    return _Candidates(key_to_ids, stored)


class _NewRow:
    """A posting this batch creates, kept out of the ORM: most new postings are duplicated by nothing else in their
    batch, and go in by one multi-row insert per table (:meth:`_BatchWriter.insert_fresh`) without the ORM's per-row
    bookkeeping (about half the store's time). One that a later sighting of the batch duplicates becomes a
    ``models.Posting`` first (:meth:`_BatchWriter._materialize`), exactly as it would have been created."""

    __slots__ = ("digest", "id", "lookup", "orm", "posting", "seen", "sources")

    def __init__(self, posting: schema.Posting, seen: datetime, digest: str, lookup: list[str]) -> None:
        self.posting, self.seen, self.digest, self.lookup = posting, seen, digest, lookup
        self.id: int | None = None
        self.sources: list[_NewSource] = []
        self.orm: models.Posting | None = None


class _NewSource:
    """The ``posting_sources`` values of a :class:`_NewRow`'s source (its fingerprint is the batch's: never read
    from here)."""

    __slots__ = ("fingerprint", "values")

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.fingerprint = values["fingerprint"]


class _Columns:
    """Collects the column values :func:`storage.mapping.apply_posting` writes, for a Core insert."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)


class _BatchWriter:
    """Phase 3 of :func:`upsert_batch`: each sighting applied to the rows, in batch order."""

    def __init__(
        self,
        session: Session,
        result: UpsertResult,
        candidates: _Candidates,
        skill_ids: dict[str, int],
        new_ids: dict[str, Iterator[int]] | None,
    ) -> None:
        self.session = session
        self.result = result
        self.candidates = candidates
        self.skill_ids = skill_ids
        self.new_ids = new_ids
        self.created: set[int] = set()  # id() of the ORM postings created in this batch
        self.fresh: list[_NewRow] = []  # the batch's new postings, in order
        self.pending_keys: list[tuple[models.Posting, list[str]]] = []  # posting_keys to insert after the flush

    def add(self, sighting: Sighting, prep: Prepared) -> None:
        """An unknown source: a new posting, or another source of the posting it duplicates."""
        posting, seen, lookup = sighting.posting, sighting.fetched_at, prep.lookup
        found = self.candidates.find(prep.fingerprint, lookup)
        values = self._source_values(sighting, prep)
        if found is None:
            new = _NewRow(posting, seen, prep.content_hash, lookup)
            new.sources.append(_NewSource(values))
            self.candidates.add_source(new.sources[0], prep.fingerprint)
            if self.new_ids:
                new.id = next(self.new_ids["postings"])
            self.fresh.append(new)
            self.result.new += 1
            self.result.by_board[(posting.board, "new")] += 1
            self.candidates.add(new, lookup)
            self.pending_keys.append((new, lookup))
            return
        row, reason = found
        if isinstance(row, _NewRow):
            row = self._materialize(row)
        source = models.PostingSource(**values)
        self.candidates.add_source(source, prep.fingerprint)
        row.sources.append(source)
        self._link(row, posting, seen, reason, prep.content_hash)
        self.candidates.add(row, lookup)
        self.pending_keys.append((row, lookup))

    def _source_values(self, sighting: Sighting, prep: Prepared) -> dict[str, Any]:
        posting, seen = sighting.posting, sighting.fetched_at
        values = {
            "source": posting.source,
            "board": posting.board,
            "external_id": posting.external_id,
            "url": posting.url,
            "first_seen_at": seen,
            "last_seen_at": seen,
            "fetched_at": seen,
            "payload_gz": prep.payload_gz,
            "payload_hash": prep.payload_hash,
            "normalized_by": sighting.normalized_by,
            "fingerprint": prep.fingerprint_json,
            "valid_through": posting.valid_through,
        }
        if self.new_ids:
            values["id"] = next(self.new_ids["posting_sources"])
        return values

    def _materialize(self, new: _NewRow) -> models.Posting:
        """A posting of this batch that a later sighting duplicates: from here on an ORM row, as the merge needs."""
        row = models.Posting(first_seen_at=new.seen, last_seen_at=new.seen, updated_at=new.seen)
        set_identity(row, new.posting)
        if new.id is not None:
            row.id = new.id
        apply_posting(row, new.posting, new.digest)
        _set_skills(row, new.posting, self.skill_ids)
        self.session.add(row)
        self.created.add(id(row))
        for plain in new.sources:
            source = models.PostingSource(**plain.values)
            self.candidates.add_source(source, self.candidates.batch_fps[id(plain)])
            row.sources.append(source)
        new.orm = row
        self.candidates.replace(new, row)
        self.pending_keys = [(row if r is new else r, keys) for r, keys in self.pending_keys]
        return row

    def insert_fresh(self) -> None:
        """The batch's new postings that nothing in it duplicates: multi-row inserts per table, no ORM
        (:func:`_insert_rows`)."""
        fresh = [new for new in self.fresh if new.orm is None]
        if not fresh:
            return
        conn = self.session.connection()
        postings = []
        for new in fresh:
            row = _Columns(first_seen_at=new.seen, last_seen_at=new.seen, updated_at=new.seen)
            set_identity(row, new.posting)  # type: ignore[arg-type]
            if new.id is not None:
                row.id = new.id
            apply_posting(row, new.posting, new.digest)  # type: ignore[arg-type]
            postings.append(vars(row))
        _insert_rows(conn, models.Posting.__table__, postings)
        _insert_rows(
            conn,
            models.PostingSource.__table__,
            [{**plain.values, "posting_id": new.id} for new in fresh for plain in new.sources],
        )
        skills = [
            {"posting_id": new.id, "skill_id": self.skill_ids[name], "evidence": evidence[:200]}
            for new in fresh
            for name, evidence in _skill_evidence(new.posting)
        ]
        _insert_rows(conn, models.PostingSkill.__table__, skills)
        locations = [
            loc
            for new, row in zip(fresh, postings, strict=True)
            for loc in models.location_rows(new.id, row["locations"])
        ]
        _insert_rows(conn, models.PostingLocation.__table__, locations)

    def _link(self, row: models.Posting, posting: schema.Posting, seen: datetime, reason: str, digest: str) -> None:
        """A new source of an existing posting (a duplicate): its lifecycle and values merge into the posting."""
        row.first_seen_at = min(row.first_seen_at, seen)
        row.last_seen_at = max(row.last_seen_at, seen)
        self._reopen(row)
        fresh = id(row) in self.created  # created earlier in this batch: a new posting, not an update
        changed = _absorb(
            self.session,
            row,
            posting,
            digest,
            seen,
            self.skill_ids,
            canonical=False,
            reason=reason,
            record=not fresh,
        )
        self.result.merged += 1
        self.result.updated += changed and not fresh
        self.result.by_board[(posting.board, "updated")] += changed and not fresh

    def refresh(self, ps: models.PostingSource, sighting: Sighting, prep: Prepared) -> None:
        """A known source seen again: its lifecycle moves, its payload and fingerprint are kept current, and its
        values merge into its posting when they changed."""
        posting, seen = sighting.posting, sighting.fetched_at
        row = ps.posting
        ps.last_seen_at = max(ps.last_seen_at, seen)
        ps.fetched_at = seen
        ps.closed_at = None
        ps.url = posting.url or ps.url
        ps.valid_through = posting.valid_through
        payload_changed = ps.payload_hash != prep.payload_hash
        if payload_changed:
            ps.payload_gz, ps.payload_hash = prep.payload_gz, prep.payload_hash
        ps.normalized_by = sighting.normalized_by
        if ps.fingerprint != prep.fingerprint_json:
            ps.fingerprint = prep.fingerprint_json
            self.pending_keys.append((row, prep.lookup))
        row.last_seen_at = max(row.last_seen_at, seen)
        self._reopen(row)
        digest = prep.content_hash
        if _is_canonical(row, ps):
            # The canonical source unchanged since its values were applied: nothing to merge.
            changed = row.content_hash != digest and _absorb(
                self.session, row, posting, digest, seen, self.skill_ids, canonical=True, reason="exact"
            )
        else:
            changed = payload_changed and _absorb(
                self.session, row, posting, digest, seen, self.skill_ids, canonical=False, reason="exact"
            )
        if changed:
            self.result.updated += 1
            self.result.by_board[(posting.board, "updated")] += 1
        else:
            self.result.unchanged += 1

    def _reopen(self, row: models.Posting) -> None:
        if row.closed_at is not None:
            row.closed_at = None
            self.result.reopened += 1


def _is_canonical(row: models.Posting, ps: models.PostingSource) -> bool:
    """``ps`` is the source whose values the posting shows."""
    return (row.source, row.board, row.external_id) == (ps.source, ps.board, ps.external_id)


def _absorb(
    session: Session,
    row: models.Posting,
    posting: schema.Posting,
    digest: str,
    seen: datetime,
    ids: dict[str, int],
    *,
    canonical: bool,
    reason: str,
    record: bool = True,
) -> bool:
    """Merge one source's normalized values into its posting (pipeline.merge decides what wins); records the
    changes of TRACKED_FIELDS when ``record``; True if the posting changed (``updated_at`` moves to ``seen``).

    ``digest`` is ``content_hash(posting)``: the row keeps it when ``posting``'s values become the posting's.
    """
    current = to_schema(row)
    outcome = merge.merge(current, fit_columns(posting), canonical=canonical, reason=reason)
    merged = outcome.posting
    before = (row.content_hash, current.source, current.external_id, merge.merged_state(current))
    if outcome.takes_over:
        if outcome.promoted:
            set_identity(row, merged)
        apply_posting(row, merged, digest)
        _set_skills(row, merged, ids)
    else:
        write_fields(row, current, merged)
    if (row.content_hash, merged.source, merged.external_id, merge.merged_state(merged)) == before:
        return False
    row.updated_at = seen
    if record:
        old, new = tracked_values(current), tracked_values(merged)
        for name in TRACKED_FIELDS:
            if new[name] != old[name]:
                session.add(
                    models.PostingChange(posting_id=row.id, field=name, old=old[name], new=new[name], changed_at=seen)
                )
    return True


def tracked_values(posting: schema.Posting) -> dict[str, Any]:
    """The TRACKED_FIELDS of a posting as ``posting_changes`` records them (JSON)."""
    pay = posting.pay if merge.has_pay(posting) else None
    return {
        "title": posting.title,
        "pay": {"min": pay.min, "max": pay.max, "currency": pay.currency, "period": pay.period} if pay else None,
        "locations": [loc.raw for loc in posting.locations],
        "workplace": posting.workplace,
    }


def absorb_stored(session: Session, ps: models.PostingSource, posting: schema.Posting, ids: dict[str, int]) -> bool:
    """``jobscout reprocess``: merge a stored source's re-normalized posting back into its posting (no change
    records: the job did not change, the parsers did). Refreshes the source's fingerprint and keys."""
    row = ps.posting
    fp = dedup.fingerprint(posting)
    fp_json = fp.to_json()
    if ps.fingerprint != fp_json:
        ps.fingerprint = fp_json
        session.flush()
        _insert_keys(session, [(row, dedup.lookup_keys(fp))])
    ps.valid_through = posting.valid_through
    digest = content_hash(posting)
    canonical = _is_canonical(row, ps)
    if canonical and row.content_hash == digest:
        return False
    return _absorb(
        session, row, posting, digest, models.utcnow(), ids, canonical=canonical, reason="exact", record=False
    )


# --- re-sightings of unchanged payloads ----------------------------------------------------------------------
def touch_sources(session: Session, seen: Sequence[Resighting]) -> UpsertResult:
    """Record re-sightings of unchanged sources: ``last_seen_at``/``fetched_at`` move, a closed source or posting
    reopens. Nothing else can have changed (same payload, same normalizer), so no row is loaded into the ORM and
    the rows are updated by set: the batch is recorded as seen at its latest fetch time (a batch is consecutive
    items of one crawl, milliseconds apart); a posting's ``last_seen_at`` never moves back. Per-row updates cost
    twice as much on a re-crawl of an unchanged board (bench/bench_ingest.py)."""
    result = UpsertResult()
    keys = list(dict.fromkeys((r.source, r.board, r.external_id) for r in seen))
    if not keys:
        return result
    at = max(r.fetched_at for r in seen)
    ps = models.PostingSource.__table__
    posts = models.Posting.__table__
    source_ids: list[int] = []
    posting_ids: set[int] = set()
    reopen: set[int] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        for source_id, posting_id, closed_at in session.execute(
            select(ps.c.id, ps.c.posting_id, posts.c.closed_at)
            .join(posts, posts.c.id == ps.c.posting_id)
            .where(_identity_in(ps.c.source, ps.c.board, ps.c.external_id, chunk))
        ):
            source_ids.append(source_id)
            posting_ids.add(posting_id)
            if closed_at is not None:
                reopen.add(posting_id)
    for start in range(0, len(source_ids), _CHUNK):
        session.execute(
            update(ps)
            .where(ps.c.id.in_(source_ids[start : start + _CHUNK]))
            .values(
                last_seen_at=case((ps.c.last_seen_at < at, at), else_=ps.c.last_seen_at),
                fetched_at=at,
                closed_at=None,
            )
        )
    ordered = sorted(posting_ids)
    for start in range(0, len(ordered), _CHUNK):
        session.execute(
            update(posts)
            .where(posts.c.id.in_(ordered[start : start + _CHUNK]), posts.c.last_seen_at < at)
            .values(last_seen_at=at)
        )
    if reopen:
        session.execute(update(posts).where(posts.c.id.in_(sorted(reopen))).values(closed_at=None))
    result.unchanged = len(source_ids)
    result.reopened = len(reopen)
    result.posting_ids = ordered
    return result


# --- writer plumbing -----------------------------------------------------------------------------------------
def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """``rows`` (dicts with the same keys) into ``table``: on SQLite as multi-row ``INSERT ... VALUES (...), (...)``
    statements straight to the driver, elsewhere as SQLAlchemy's executemany.

    Why on SQLite: the postings' full-text trigger then runs inside one statement for the whole chunk, and FTS5
    keeps the chunk's terms in memory until the statement ends; an executemany is one statement per row, and FTS5
    writes each row's terms out as a segment of its own at every statement's savepoint, segments it then has to
    merge: 0.34 vs 0.15 ms of CPU per posting for the same index (docs/scale.md, "The store half below 0.7 ms").
    Each value goes through its column type's own bind processor (JSON, dates), as SQLAlchemy's insert would; rows
    whose keys differ, or that leave out a column with a default, take SQLAlchemy's path."""
    if not rows:
        return
    keys = rows[0].keys()
    plan = _multirow_plan(conn.dialect, table, tuple(keys)) if conn.dialect.name == "sqlite" else None
    if plan is None or any(row.keys() != keys for row in rows):
        conn.execute(insert(table), rows)
        return
    prefix, values, named = plan
    getlimit = getattr(conn.connection.driver_connection, "getlimit", None)  # the stdlib driver has it (3.11+)
    limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) if getlimit else 999  # 999: SQLite's lowest default
    per_statement = max(1, limit // len(named))
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        params = [row[name] if process is None else process(row[name]) for row in chunk for name, process in named]
        conn.exec_driver_sql(prefix + ", ".join([values] * len(chunk)), tuple(params))


# dialect -> (table name, column names) -> what _insert_rows needs (None: SQLAlchemy's path); weak, so that the
# plans of a disposed engine go with its dialect.
_PLANS: weakref.WeakKeyDictionary[Dialect, dict[tuple[str, tuple[str, ...]], Any]] = weakref.WeakKeyDictionary()


def _multirow_plan(dialect: Dialect, table: Table, names: tuple[str, ...]) -> tuple | None:
    """(``INSERT INTO t (cols) VALUES ``, ``(?, ...)``, (column name, its bind processor) of each column), or None
    when the rows leave out a column that has a default (SQLAlchemy fills those in)."""
    plans = _PLANS.setdefault(dialect, {})
    key = (table.name, names)
    if key not in plans:
        columns = [table.c[name] for name in names]
        defaulted = {c.key for c in table.c if c.default is not None or c.onupdate is not None}
        if defaulted - set(names):
            plans[key] = None
        else:
            quote = dialect.identifier_preparer.quote
            plans[key] = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(c.name) for c in columns)}) VALUES ",
                "(" + ", ".join("?" * len(columns)) + ")",
                [(c.key, c.type.dialect_impl(dialect).bind_processor(dialect)) for c in columns],
            )
    return plans[key]


def _next_ids(session: Session, count: int) -> dict[str, Iterator[int]] | None:
    """The ids the new rows of this batch get (up to ``count`` of each table), known before any insert: new postings
    go in by multi-row inserts per table (:meth:`_BatchWriter.insert_fresh`) with their sources' ``posting_id``.

    SQLite: a writer holds the write lock from BEGIN IMMEDIATE (storage.db), so max(id) + 1 onwards are the very ids
    SQLite would assign (the tables have no AUTOINCREMENT); SQLite could not say which RETURNING row belongs to which
    parameter set anyway. PostgreSQL: ``count`` values of each table's sequence, in one statement (the ones a batch
    does not use are a gap, as a rolled-back insert leaves). Other dialects: None, ids from the ORM's inserts.
    """
    dialect = session.get_bind().dialect.name
    out: dict[str, Iterator[int]] = {}
    for model in (models.Posting, models.PostingSource):
        name = model.__tablename__
        if dialect == "sqlite":
            start = session.scalar(select(func.max(model.id))) or 0
            out[name] = itertools.count(start + 1)
        elif dialect == "postgresql":
            sequence = f"pg_get_serial_sequence('{name}', 'id')"  # a table name of ours, not input
            ids = session.scalars(
                text(f"SELECT nextval({sequence}) FROM generate_series(1, :n) ORDER BY 1"), {"n": count}
            ).all()
            out[name] = iter(ids)
        else:
            return None
    return out


def _lock_companies(session: Session, company_keys: set[str]) -> None:
    """PostgreSQL: serialize writers per company for this transaction, so two crawls of different sources cannot
    both create the same opening (SQLite writers are already serialized by BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for ckey in sorted(company_keys):  # one order everywhere: no deadlocks
        lock_id = int.from_bytes(hashlib.sha1(ckey.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def _insert_keys(session: Session, pending: list[tuple[models.Posting, list[str]]]) -> None:
    """Insert the ``posting_keys`` of ``pending`` (postings flushed, so they have ids); existing ones are kept."""
    rows = list({(k, row.id): None for row, keys in pending for k in keys})
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        # One statement with two array parameters: psycopg would otherwise pipeline one INSERT per key.
        session.execute(
            text(
                "INSERT INTO posting_keys (key, posting_id) SELECT * FROM unnest(CAST(:keys AS VARCHAR[]), "
                "CAST(:ids AS INTEGER[])) ON CONFLICT DO NOTHING"
            ),
            {"keys": [k for k, _ in rows], "ids": [pid for _, pid in rows]},
        )
        return
    # One statement, many parameter sets, straight to the driver's executemany: two plain columns need no type
    # processing, and at ~19 keys per posting the ORM's bulk bookkeeping and SQLAlchemy's per-row parameter
    # handling were most of the cost of this insert.
    session.connection().exec_driver_sql(
        "INSERT INTO posting_keys (key, posting_id) VALUES (?, ?) ON CONFLICT DO NOTHING", rows
    )
