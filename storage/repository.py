"""Repository functions: every one takes a ``Session`` owned by the caller (who commits).

Writes come in batches (:func:`upsert_batch`): one round of SELECTs for a whole batch, then inserts and updates
flushed together, never a session or a commit per posting.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, func, select, text, tuple_, update
from sqlalchemy.orm import Session, selectinload

from pipeline import dedup
from pipeline import model as schema
from storage import models

# Candidate keys held by more postings than this are skipped (boilerplate; see upsert_batch).
MAX_KEY_FANOUT = 40

# Fields whose changes are recorded in posting_changes (what a user watching a posting cares about).
TRACKED_FIELDS = ("title", "pay", "locations", "workplace")


@dataclass(slots=True)
class Sighting:
    """One normalized posting as seen in one crawl, with the payload it came from and, when known, the normalizer
    that produced it (``pipeline.version.normalizer_version()``; None means "do not skip it next time")."""

    posting: schema.Posting
    payload: dict[str, Any]
    fetched_at: datetime
    normalized_by: str | None = None


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


def utcnow() -> datetime:
    return datetime.now(UTC)


def compress_payload(payload: dict[str, Any]) -> tuple[bytes, str]:
    data = payload_bytes(payload)
    return gzip.compress(data, compresslevel=6), hashlib.sha256(data).hexdigest()


def decompress_payload(blob: bytes | None) -> dict[str, Any] | None:
    return json.loads(gzip.decompress(blob)) if blob else None


_UNHASHED = ("id", "sources", "first_seen_at", "last_seen_at", "closed_at")


def content_hash(posting: schema.Posting) -> str:
    data = posting.to_dict()
    for key in _UNHASHED:
        data.pop(key, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def company_key(name: str | None) -> str | None:
    """Company name reduced for matching ("Stripe, Inc." -> "stripe")."""
    if not name:
        return None
    from pipeline.company import company_key as key

    return key(name)


def _tracked_value(row: models.Posting, name: str) -> Any:
    if name == "pay":
        if row.pay_min is None and row.pay_max is None:
            return None
        return {"min": row.pay_min, "max": row.pay_max, "currency": row.pay_currency, "period": row.pay_period}
    if name == "locations":
        return [loc.get("raw") for loc in row.locations or []]
    return getattr(row, name)


def apply_posting(row: models.Posting, posting: schema.Posting, digest: str) -> None:
    """Copy a normalized posting's values onto a row (identity and lifecycle columns are left alone)."""
    pay = posting.pay
    first_location = posting.locations[0] if posting.locations else None
    row.title = posting.title[:500]
    row.company = posting.company
    row.company_key = company_key(posting.company)
    row.url = posting.url
    row.apply_url = posting.apply_url
    row.posted_at = posting.posted_at
    row.valid_through = posting.valid_through
    row.is_backend = posting.is_backend
    row.role_reason = posting.role_reason
    row.locations = [loc.to_dict() for loc in posting.locations]
    row.country = first_location.country if first_location else None
    row.city = first_location.city if first_location else None
    row.workplace = posting.workplace
    row.remote_regions = list(posting.remote_regions)
    row.seniority = posting.seniority
    row.experience_years_min = posting.experience_years_min
    row.experience_years_max = posting.experience_years_max
    row.education = posting.education
    row.education_equivalent = posting.education_equivalent
    row.employment_type = posting.employment_type
    row.visa_sponsorship = posting.visa_sponsorship
    row.relocation = posting.relocation
    row.pay_min = pay.min if pay else None
    row.pay_max = pay.max if pay else None
    row.pay_currency = pay.currency if pay else None
    row.pay_period = pay.period if pay else None
    row.pay_annual_min = pay.annual_min if pay else None
    row.pay_annual_max = pay.annual_max if pay else None
    row.pay_kind = pay.kind if pay else None
    row.pay_label = pay.label if pay else None
    row.pay_raw = pay.raw if pay else None
    row.pay_ranges = [r.to_dict() for r in posting.pay_ranges]
    row.skill_evidence = dict(posting.skill_evidence)
    row.provenance = dict(posting.provenance)
    row.description_text = posting.description_text
    row.requisition_id = posting.requisition_id
    row.department = posting.department
    row.content_hash = digest


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


def _set_skills(session: Session, row: models.Posting, posting: schema.Posting, ids: dict[str, int]) -> None:
    row.skills = [
        models.PostingSkill(skill_id=ids[name], evidence=(posting.skill_evidence.get(name) or "")[:200])
        for name in dict.fromkeys(posting.skills)
    ]


def upsert_batch(
    session: Session, sightings: Sequence[Sighting], skill_categories: Mapping[str, str] | None = None
) -> UpsertResult:
    """Insert new postings, link duplicates, refresh known ones; idempotent (a re-sighting moves ``last_seen_at``).

    A known (source, board, external_id) refreshes its posting. An unknown one is first looked up as a duplicate
    (pipeline.dedup: canonical URL -> requisition + company -> fingerprint within the company, candidates found
    through the indexed ``posting_keys``): a duplicate becomes another ``posting_sources`` row of the posting it
    matches, whose values are merged by source rank (docs/dedup-policy.md). Changes of TRACKED_FIELDS are recorded
    in posting_changes; a closed posting seen again reopens.
    """
    result = UpsertResult()
    # The last sighting of a key wins when a board lists the same job twice.
    by_key: dict[tuple[str, str, str], Sighting] = {}
    for s in sightings:
        p = s.posting
        by_key[(p.source, p.board, p.external_id)] = s
    if not by_key:
        return result
    fps = {key: dedup.fingerprint(s.posting) for key, s in by_key.items()}
    _lock_companies(session, {fp.company_key or "" for fp in fps.values()})

    existing: dict[tuple[str, str, str], models.PostingSource] = {}
    keys = list(by_key)
    for start in range(0, len(keys), 500):  # bounded IN lists (SQLite's variable limit, planner sanity)
        chunk = keys[start : start + 500]
        stmt = (
            select(models.PostingSource)
            .where(
                tuple_(models.PostingSource.source, models.PostingSource.board, models.PostingSource.external_id).in_(
                    chunk
                )
            )
            .options(selectinload(models.PostingSource.posting))
        )
        for ps in session.scalars(stmt):
            existing[(ps.source, ps.board, ps.external_id)] = ps

    lookups = {key: dedup.lookup_keys(fps[key]) for key in by_key}
    wanted = sorted({k for key in by_key if key not in existing for k in lookups[key]})
    key_to_ids: dict[str, set[int]] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
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
    candidate_ids = sorted({pid for ids_ in key_to_ids.values() for pid in ids_})
    candidates: dict[int, models.Posting] = {}
    for start in range(0, len(candidate_ids), 500):
        for row in session.scalars(
            select(models.Posting).where(models.Posting.id.in_(candidate_ids[start : start + 500]))
        ):
            candidates[row.id] = row
    in_batch: dict[str, list[models.Posting]] = {}
    batch_fps: dict[int, dedup.Fingerprint] = {}  # id(PostingSource) -> its fingerprint, for in-batch candidates
    pending_keys: list[tuple[models.Posting, list[str]]] = []

    ids = skill_ids(session, (name for s in by_key.values() for name in s.posting.skills), skill_categories)
    new_ids = _next_ids(session) if len(existing) < len(by_key) else None
    created: set[int] = set()  # id() of the postings created in this batch
    for key, sighting in by_key.items():
        posting = sighting.posting
        seen = sighting.fetched_at
        fp = fps[key]
        payload_data = payload_bytes(sighting.payload)
        payload_hash = hashlib.sha256(payload_data).hexdigest()
        digest = content_hash(posting)
        ps = existing.get(key)
        if ps is None:
            found = _find_duplicate(fp, lookups[key], key_to_ids, candidates, in_batch, batch_fps)
            new_source = models.PostingSource(
                source=posting.source,
                board=posting.board,
                external_id=posting.external_id,
                url=posting.url,
                first_seen_at=seen,
                last_seen_at=seen,
                fetched_at=seen,
                payload_gz=gzip.compress(payload_data, compresslevel=6),
                payload_hash=payload_hash,
                normalized_by=sighting.normalized_by,
                fingerprint=fp.to_json(),
                valid_through=posting.valid_through,
            )
            batch_fps[id(new_source)] = fp
            if new_ids:
                new_source.id = next(new_ids["posting_sources"])
            if found is None:
                row = models.Posting(
                    source=posting.source,
                    board=posting.board,
                    external_id=posting.external_id,
                    first_seen_at=seen,
                    last_seen_at=seen,
                    updated_at=seen,
                )
                if new_ids:
                    row.id = next(new_ids["postings"])
                apply_posting(row, posting, digest)
                _set_skills(session, row, posting, ids)
                row.sources.append(new_source)
                session.add(row)
                created.add(id(row))
                result.new += 1
            else:
                row, reason = found
                row.sources.append(new_source)
                row.first_seen_at = min(row.first_seen_at, seen)
                row.last_seen_at = max(row.last_seen_at, seen)
                if row.closed_at is not None:
                    row.closed_at = None
                    result.reopened += 1
                fresh = id(row) in created  # created earlier in this batch: a new posting, not an update
                changed = _absorb(
                    session, row, posting, digest, seen, ids, canonical=False, reason=reason, record=not fresh
                )
                result.merged += 1
                result.updated += changed and not fresh
            for k in lookups[key]:
                in_batch.setdefault(k, []).append(row)
            pending_keys.append((row, lookups[key]))
            continue

        row = ps.posting
        ps.last_seen_at = max(ps.last_seen_at, seen)
        ps.fetched_at = seen
        ps.closed_at = None
        ps.url = posting.url or ps.url
        ps.valid_through = posting.valid_through
        payload_changed = ps.payload_hash != payload_hash
        if payload_changed:
            ps.payload_gz, ps.payload_hash = gzip.compress(payload_data, compresslevel=6), payload_hash
        ps.normalized_by = sighting.normalized_by
        fp_json = fp.to_json()
        if ps.fingerprint != fp_json:
            ps.fingerprint = fp_json
            pending_keys.append((row, lookups[key]))
        row.last_seen_at = max(row.last_seen_at, seen)
        if row.closed_at is not None:
            row.closed_at = None
            result.reopened += 1
        if _is_canonical(row, ps):
            changed = row.content_hash != digest and _absorb(
                session, row, posting, digest, seen, ids, canonical=True, reason="exact"
            )
        else:
            changed = payload_changed and _absorb(
                session, row, posting, digest, seen, ids, canonical=False, reason="exact"
            )
        if changed:
            result.updated += 1
        else:
            result.unchanged += 1
    session.flush()
    _insert_keys(session, pending_keys)
    result.posting_ids = [existing[k].posting_id for k in by_key if k in existing]
    return result


def payload_digest(payload: dict[str, Any]) -> str:
    """The ``payload_hash`` a payload is stored under."""
    return hashlib.sha256(payload_bytes(payload)).hexdigest()


def known_payloads(session: Session, source: str, board: str) -> dict[str, tuple[str, str | None]]:
    """external_id -> (payload_hash, normalized_by) of every stored source of one board (open or closed)."""
    rows = session.execute(
        select(
            models.PostingSource.external_id, models.PostingSource.payload_hash, models.PostingSource.normalized_by
        ).where(models.PostingSource.source == source, models.PostingSource.board == board)
    )
    return {external_id: (digest, by) for external_id, digest, by in rows}


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
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for source_id, posting_id, closed_at in session.execute(
            select(ps.c.id, ps.c.posting_id, posts.c.closed_at)
            .join(posts, posts.c.id == ps.c.posting_id)
            .where(tuple_(ps.c.source, ps.c.board, ps.c.external_id).in_(chunk))
        ):
            source_ids.append(source_id)
            posting_ids.add(posting_id)
            if closed_at is not None:
                reopen.add(posting_id)
    for start in range(0, len(source_ids), 500):
        session.execute(
            update(ps)
            .where(ps.c.id.in_(source_ids[start : start + 500]))
            .values(
                last_seen_at=case((ps.c.last_seen_at < at, at), else_=ps.c.last_seen_at),
                fetched_at=at,
                closed_at=None,
            )
        )
    ordered = sorted(posting_ids)
    for start in range(0, len(ordered), 500):
        session.execute(
            update(posts)
            .where(posts.c.id.in_(ordered[start : start + 500]), posts.c.last_seen_at < at)
            .values(last_seen_at=at)
        )
    if reopen:
        session.execute(update(posts).where(posts.c.id.in_(sorted(reopen))).values(closed_at=None))
    result.unchanged = len(source_ids)
    result.reopened = len(reopen)
    result.posting_ids = ordered
    return result


def payload_bytes(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _next_ids(session: Session) -> dict[str, Iterator[int]] | None:
    """SQLite: the ids the new rows of this batch get, so the ORM inserts them with one executemany per table.

    SQLite cannot say which RETURNING row belongs to which parameter set of a multi-row INSERT, so without known
    keys SQLAlchemy inserts rows that need their generated id back one statement at a time. A writer holds the
    write lock from BEGIN IMMEDIATE (storage.db), so max(id) + 1 onwards are the very ids SQLite would assign
    (the tables have no AUTOINCREMENT). PostgreSQL gets its ids in batches from RETURNING: None.
    """
    if session.get_bind().dialect.name != "sqlite":
        return None
    out = {}
    for model in (models.Posting, models.PostingSource):
        start = session.scalar(select(func.max(model.id))) or 0
        out[model.__tablename__] = itertools.count(start + 1)
    return out


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
    return _absorb(session, row, posting, digest, utcnow(), ids, canonical=canonical, reason="exact", record=False)


def _lock_companies(session: Session, company_keys: set[str]) -> None:
    """PostgreSQL: serialize writers per company for this transaction, so two crawls of different sources cannot
    both create the same opening (SQLite writers are already serialized by BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for ckey in sorted(company_keys):  # one order everywhere: no deadlocks
        lock_id = int.from_bytes(hashlib.sha1(ckey.encode()).digest()[:8], "big", signed=True)
        session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})


def _find_duplicate(
    fp: dedup.Fingerprint,
    lookup: list[str],
    key_to_ids: dict[str, set[int]],
    candidates: dict[int, models.Posting],
    in_batch: dict[str, list[models.Posting]],
    batch_fps: dict[int, dedup.Fingerprint] | None = None,
) -> tuple[models.Posting, str] | None:
    """The stored (or same-batch) posting ``fp`` duplicates, and why; the best-scoring one when several match."""
    rows: dict[int, models.Posting] = {}
    for k in lookup:
        for pid in key_to_ids.get(k, ()):
            if pid in candidates:
                rows[id(candidates[pid])] = candidates[pid]
        for row in in_batch.get(k, ()):
            rows[id(row)] = row
    best: tuple[float, models.Posting, str] | None = None
    for row in rows.values():
        for src in row.sources:
            other = batch_fps.get(id(src)) if batch_fps else None
            if other is None:
                if not src.fingerprint:
                    continue
                other = _parsed(src)
            reason = dedup.match(fp, other)
            if reason is None:
                continue
            value = dedup.score(fp, other)
            if best is None or value > best[0]:
                best = (value, row, reason)
    return (best[1], best[2]) if best else None


_FP_CACHE: dict[tuple[str, str, str], tuple[dict[str, Any], dedup.Fingerprint]] = {}


def _parsed(src: models.PostingSource) -> dedup.Fingerprint:
    """The source's stored fingerprint, parsed once per version (candidates recur across batches); the cache
    holds the JSON object it parsed, so an identity check is enough to know it is still current."""
    ident = (src.source, src.board, src.external_id)
    hit = _FP_CACHE.get(ident)
    if hit is not None and hit[0] is src.fingerprint:
        return hit[1]
    fp = dedup.Fingerprint.from_json(src.fingerprint, src.source, src.board, src.external_id)
    if len(_FP_CACHE) > 20_000:
        _FP_CACHE.clear()
    _FP_CACHE[ident] = (src.fingerprint, fp)
    return fp


def _insert_keys(session: Session, pending: list[tuple[models.Posting, list[str]]]) -> None:
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
    from sqlalchemy.dialects.sqlite import insert

    # One statement, many parameter sets: compiled once, run as one executemany.
    session.execute(
        insert(models.PostingKey).on_conflict_do_nothing(), [{"key": k, "posting_id": pid} for k, pid in rows]
    )


# Fields a lower-ranked source may fill when the canonical one leaves them empty.
_GAP_FIELDS = (
    "workplace",
    "seniority",
    "employment_type",
    "experience_years_min",
    "experience_years_max",
    "education",
    "visa_sponsorship",
    "relocation",
    "department",
    "requisition_id",
)


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
    """Merge one source's normalized values into its posting; records tracked changes; True if anything changed.

    The canonical source (the best-ranked one, pipeline.dedup.SOURCE_RANK) sets the values, keeping what it leaves
    empty; a better-ranked newcomer becomes canonical; a lower-ranked source only fills gaps (and replaces a pay
    read from text by a structured one). One requisition in several cities unions the locations.
    """
    before = {name: _tracked_value(row, name) for name in TRACKED_FIELDS}
    snapshot = _row_state(row)
    promote = not canonical and dedup.source_rank(posting.source) > dedup.source_rank(row.source)
    if canonical or promote:
        kept = to_schema(row)
        if promote:
            row.source, row.board, row.external_id = posting.source, posting.board, posting.external_id
        apply_posting(row, posting, digest)
        _set_skills(session, row, posting, ids)
        _fill_gaps(row, kept)
        if reason == "requisition":
            _union_locations(row, kept.locations)
    else:
        _fill_gaps(row, posting)
        if reason == "requisition":
            _union_locations(row, posting.locations)
        if posting.posted_at and (row.posted_at is None or posting.posted_at < row.posted_at):
            row.posted_at = posting.posted_at
    if _row_state(row) == snapshot:
        return False
    row.updated_at = seen
    for name in TRACKED_FIELDS:
        after = _tracked_value(row, name)
        if record and after != before[name]:
            session.add(
                models.PostingChange(posting_id=row.id, field=name, old=before[name], new=after, changed_at=seen)
            )
    return True


def _row_state(row: models.Posting) -> tuple:
    return (
        row.content_hash,
        row.source,
        row.external_id,
        json.dumps(_merged_values(row), default=str, sort_keys=True),
    )


def _merged_values(row: models.Posting) -> dict[str, Any]:
    return {
        "locations": row.locations,
        "pay": (row.pay_min, row.pay_max, row.pay_currency, row.pay_period, row.pay_kind),
        **{name: getattr(row, name) for name in _GAP_FIELDS},
        "posted_at": row.posted_at,
        "apply_url": row.apply_url,
        "description": len(row.description_text or ""),
        "remote_regions": row.remote_regions,
    }


def _pay_origin_rank(provenance: Mapping[str, str] | None) -> int:
    return dedup.ORIGIN_RANK.get((provenance or {}).get("pay", "text"), 0)


def _fill_gaps(row: models.Posting, other: schema.Posting) -> None:
    """Take ``other``'s value wherever the row has none (and a better-sourced pay)."""
    if other.pay is not None and (
        (row.pay_min is None and row.pay_max is None)
        or _pay_origin_rank(row.provenance) < _pay_origin_rank(other.provenance)
    ):
        pay = other.pay
        row.pay_min, row.pay_max, row.pay_currency, row.pay_period = pay.min, pay.max, pay.currency, pay.period
        row.pay_annual_min, row.pay_annual_max, row.pay_kind = pay.annual_min, pay.annual_max, pay.kind
        row.pay_label, row.pay_raw = pay.label, pay.raw
        row.pay_ranges = [r.to_dict() for r in other.pay_ranges]
        row.provenance = {**(row.provenance or {}), "pay": other.provenance.get("pay", "text")}
    if not row.locations and other.locations:
        _union_locations(row, other.locations)
    for name in _GAP_FIELDS:
        if getattr(row, name) is None and getattr(other, name) is not None:
            setattr(row, name, getattr(other, name))
            if name in other.provenance and name not in (row.provenance or {}):
                row.provenance = {**(row.provenance or {}), name: other.provenance[name]}
    if not row.remote_regions and other.remote_regions:
        row.remote_regions = list(other.remote_regions)
    if not row.apply_url and other.apply_url:
        row.apply_url = other.apply_url
    if not (row.description_text or "").strip() and other.description_text:
        row.description_text = other.description_text
    if other.posted_at and (row.posted_at is None or other.posted_at < row.posted_at):
        row.posted_at = other.posted_at


def _union_locations(row: models.Posting, locations: Iterable[Any]) -> None:
    current = list(row.locations or [])
    raws = {loc.get("raw") for loc in current}
    for loc in locations:
        data = loc.to_dict() if hasattr(loc, "to_dict") else dict(loc)
        if data.get("raw") not in raws:
            current.append(data)
            raws.add(data.get("raw"))
    row.locations = current
    first = current[0] if current else None
    row.country = first.get("country") if first else None
    row.city = first.get("city") if first else None


def _is_canonical(row: models.Posting, ps: models.PostingSource) -> bool:
    return (row.source, row.board, row.external_id) == (ps.source, ps.board, ps.external_id)


# --- lifecycle -----------------------------------------------------------------------------------------------
def close_unseen(session: Session, source: str, board: str, seen_since: datetime, now: datetime) -> int:
    """Close the sources of a full-snapshot board that a complete crawl (started at ``seen_since``) no longer
    listed, and the postings left with no open source. Returns the number of postings closed."""
    stale = session.scalars(
        select(models.PostingSource).where(
            models.PostingSource.source == source,
            models.PostingSource.board == board,
            models.PostingSource.closed_at.is_(None),
            models.PostingSource.last_seen_at < seen_since,
        )
    ).all()
    return _close_sources(session, stale, now)


def close_windowed(session: Session, source: str, now: datetime, unseen_days: float) -> int:
    """Close the open sources of a windowed feed that expired (``valid_through`` passed) or went unseen for
    ``unseen_days``, and the postings left with no open source. Returns the number of postings closed."""
    cutoff = now - timedelta(days=unseen_days)
    stale = session.scalars(
        select(models.PostingSource).where(
            models.PostingSource.source == source,
            models.PostingSource.closed_at.is_(None),
            (models.PostingSource.last_seen_at < cutoff) | (models.PostingSource.valid_through < now),
        )
    ).all()
    return _close_sources(session, stale, now)


def _close_sources(session: Session, stale: Sequence[models.PostingSource], now: datetime) -> int:
    closed = 0
    for ps in stale:
        ps.closed_at = now
    session.flush()
    for ps in stale:
        row = ps.posting
        if row.closed_at is None and all(s.closed_at is not None for s in row.sources):
            row.closed_at = now
            closed += 1
    session.flush()
    return closed


def open_count(session: Session, source: str, board: str) -> int:
    return session.scalar(
        select(func.count())
        .select_from(models.PostingSource)
        .where(
            models.PostingSource.source == source,
            models.PostingSource.board == board,
            models.PostingSource.closed_at.is_(None),
        )
    )


# --- reading -------------------------------------------------------------------------------------------------
def get_posting(session: Session, posting_id: int) -> models.Posting | None:
    return session.get(models.Posting, posting_id)


def to_schema(row: models.Posting) -> schema.Posting:
    """A stored posting as schema v1."""

    def pay_range(data: dict[str, Any]) -> schema.PayRange:
        return schema.PayRange(**{k: data.get(k) for k in schema.PayRange.__slots__})

    ranges = [pay_range(r) for r in row.pay_ranges or []]
    return schema.Posting(
        id=row.id,
        title=row.title,
        company=row.company,
        url=row.url,
        apply_url=row.apply_url,
        source=row.source,
        board=row.board,
        external_id=row.external_id,
        sources=[
            schema.SourceRef(
                source=s.source,
                board=s.board,
                external_id=s.external_id,
                url=s.url,
                first_seen_at=s.first_seen_at,
                last_seen_at=s.last_seen_at,
            )
            for s in row.sources
        ],
        posted_at=row.posted_at,
        first_seen_at=row.first_seen_at,
        last_seen_at=row.last_seen_at,
        closed_at=row.closed_at,
        is_backend=row.is_backend,
        role_reason=row.role_reason,
        locations=[schema.Location(**loc) for loc in row.locations or []],
        workplace=row.workplace,
        remote_regions=list(row.remote_regions or []),
        seniority=row.seniority,
        experience_years_min=row.experience_years_min,
        experience_years_max=row.experience_years_max,
        education=row.education,
        education_equivalent=row.education_equivalent,
        employment_type=row.employment_type,
        visa_sponsorship=row.visa_sponsorship,
        relocation=row.relocation,
        pay=_stored_pay(row),
        pay_ranges=ranges,
        skills=[ps.skill.name for ps in row.skills if ps.skill is not None],  # None: added, not flushed yet
        skill_evidence=dict(row.skill_evidence or {}),
        provenance=dict(row.provenance or {}),
        description_text=row.description_text,
        requisition_id=row.requisition_id,
        department=row.department,
    )


def _stored_pay(row: models.Posting) -> schema.PayRange | None:
    if row.pay_min is None and row.pay_max is None:
        return None
    return schema.PayRange(
        min=row.pay_min,
        max=row.pay_max,
        currency=row.pay_currency,
        period=row.pay_period,
        kind=row.pay_kind or "base",
        label=row.pay_label,
        raw=row.pay_raw,
        annual_min=row.pay_annual_min,
        annual_max=row.pay_annual_max,
    )


# --- crawl runs ----------------------------------------------------------------------------------------------
def start_run(session: Session, source: str, boards: list[str], args: dict[str, Any]) -> models.CrawlRun:
    run = models.CrawlRun(source=source, boards=boards, args=args, started_at=utcnow(), status="running")
    session.add(run)
    session.flush()
    return run


def recent_runs(session: Session, limit: int = 20, source: str | None = None) -> list[models.CrawlRun]:
    stmt = select(models.CrawlRun).order_by(models.CrawlRun.id.desc()).limit(limit)
    if source:
        stmt = stmt.where(models.CrawlRun.source == source)
    return list(session.scalars(stmt))


def prune(session: Session, closed_before: datetime | None, raw_older_than: datetime | None) -> dict[str, int]:
    """Delete postings closed before ``closed_before`` (their sources, changes, skills and keys go with them);
    drop the raw payloads of sources last seen before ``raw_older_than`` (``reprocess`` leaves those as they are)."""
    out = {"postings_deleted": 0, "payloads_dropped": 0}
    if closed_before is not None:
        ids = select(models.Posting.id).where(
            models.Posting.closed_at.is_not(None), models.Posting.closed_at < closed_before
        )
        # Children first: no reliance on ON DELETE CASCADE being enforced by the connection.
        for child in (
            models.PostingSource,
            models.PostingChange,
            models.PostingSkill,
            models.PostingKey,
            models.PostingLocation,
        ):
            session.execute(delete(child).where(child.posting_id.in_(ids)))
        out["postings_deleted"] = session.execute(
            delete(models.Posting).where(
                models.Posting.closed_at.is_not(None), models.Posting.closed_at < closed_before
            )
        ).rowcount
    if raw_older_than is not None:
        out["payloads_dropped"] = session.execute(
            update(models.PostingSource)
            .where(models.PostingSource.payload_gz.is_not(None), models.PostingSource.last_seen_at < raw_older_than)
            .values(payload_gz=None)
        ).rowcount
    return out


def table_counts(session: Session) -> dict[str, int]:
    counts = {}
    for model in (models.Posting, models.PostingSource, models.PostingChange, models.Skill, models.CrawlRun):
        counts[model.__tablename__] = session.scalar(select(func.count()).select_from(model))
    counts["open_postings"] = session.scalar(
        select(func.count()).select_from(models.Posting).where(models.Posting.closed_at.is_(None))
    )
    counts["closed_postings"] = counts["postings"] - counts["open_postings"]
    counts["postings_with_several_sources"] = session.scalar(
        select(func.count()).select_from(
            select(models.PostingSource.posting_id)
            .group_by(models.PostingSource.posting_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    counts["open_backend_postings"] = session.scalar(
        select(func.count())
        .select_from(models.Posting)
        .where(models.Posting.closed_at.is_(None), models.Posting.is_backend.is_(True))
    )
    return counts


# --- source limits -------------------------------------------------------------------------------------------
def interval_wait(session: Session, source: str, now: datetime | None = None) -> tuple[float, str | None]:
    """Seconds until ``source`` may be fetched again under its minimum interval (0 when allowed now), and why.

    Every run that started counts as a fetch, whatever its outcome: the source saw the request either way.
    """
    limit = session.get(models.SourceLimit, source)
    if limit is None or limit.min_interval_seconds <= 0:
        return 0.0, None
    last = session.scalar(select(func.max(models.CrawlRun.started_at)).where(models.CrawlRun.source == source))
    if last is None:
        return 0.0, limit.reason
    wait = (last + timedelta(seconds=limit.min_interval_seconds) - (now or utcnow())).total_seconds()
    return max(0.0, wait), limit.reason


# --- closing proof (crawler.closing) ---------------------------------------------------------------------------
def unseen_count(session: Session, source: str, board: str, seen_since: datetime) -> int:
    """How many open sources of a board :func:`close_unseen` would close now (not seen since ``seen_since``)."""
    ps = models.PostingSource
    return session.scalar(
        select(func.count())
        .select_from(ps)
        .where(ps.source == source, ps.board == board, ps.closed_at.is_(None), ps.last_seen_at < seen_since)
    )


def previous_holds(session: Session, source: str, before_run: int, boards: list[str]) -> dict[str, dict[str, int]]:
    """The boards among ``boards`` whose latest earlier finished crawl held them back for a shrink, with the hold.

    Only the latest earlier run that read each board counts: a hold is confirmed by the very next crawl of the
    board, not by one weeks later after the board recovered in between."""
    wanted = set(boards)
    found: dict[str, dict[str, int]] = {}
    if not wanted:
        return found
    runs = session.execute(
        select(models.CrawlRun.board_counts, models.CrawlRun.board_holds)
        .where(
            models.CrawlRun.source == source,
            models.CrawlRun.id < before_run,
            models.CrawlRun.finished_at.is_not(None),
        )
        .order_by(models.CrawlRun.id.desc())
        .limit(200)
    )
    for counts, holds in runs:
        for board in list(wanted):
            if board in (holds or {}):
                found[board] = holds[board]
                wanted.discard(board)
            elif board in (counts or {}):
                wanted.discard(board)
        if not wanted:
            break
    return found
