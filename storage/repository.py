"""Repository functions: every one takes a ``Session`` owned by the caller (who commits).

Writes come in batches (:func:`upsert_batch`): one round of SELECTs for a whole batch, then inserts and updates
flushed together, never a session or a commit per posting.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from pipeline import model as schema
from storage import models

# Fields whose changes are recorded in posting_changes (what a user watching a posting cares about).
TRACKED_FIELDS = ("title", "pay", "locations", "workplace")


@dataclass(slots=True)
class Sighting:
    """One normalized posting as seen in one crawl, with the payload it came from."""

    posting: schema.Posting
    payload: dict[str, Any]
    fetched_at: datetime


@dataclass(slots=True)
class UpsertResult:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    reopened: int = 0
    posting_ids: list[int] = field(default_factory=list)


def utcnow() -> datetime:
    return datetime.now(UTC)


def compress_payload(payload: dict[str, Any]) -> tuple[bytes, str]:
    data = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
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
    """Insert new postings and refresh known ones; idempotent (a re-sighting only moves ``last_seen_at``).

    A known (source, board, external_id) updates its posting when the normalized values changed (recording
    changes of TRACKED_FIELDS in posting_changes) and reopens it if it was closed.
    """
    result = UpsertResult()
    # The last sighting of a key wins when a board lists the same job twice.
    by_key: dict[tuple[str, str, str], Sighting] = {}
    for s in sightings:
        p = s.posting
        by_key[(p.source, p.board, p.external_id)] = s
    if not by_key:
        return result

    existing: dict[tuple[str, str, str], models.PostingSource] = {}
    keys = list(by_key)
    for start in range(0, len(keys), 500):  # bounded IN lists (SQLite's variable limit, planner sanity)
        chunk = keys[start : start + 500]
        stmt = select(models.PostingSource).where(
            tuple_(models.PostingSource.source, models.PostingSource.board, models.PostingSource.external_id).in_(
                chunk
            )
        )
        for ps in session.scalars(stmt):
            existing[(ps.source, ps.board, ps.external_id)] = ps

    ids = skill_ids(session, (name for s in by_key.values() for name in s.posting.skills), skill_categories)
    for key, sighting in by_key.items():
        posting = sighting.posting
        seen = sighting.fetched_at
        blob, payload_hash = compress_payload(sighting.payload)
        digest = content_hash(posting)
        ps = existing.get(key)
        if ps is None:
            row = models.Posting(
                source=posting.source,
                board=posting.board,
                external_id=posting.external_id,
                first_seen_at=seen,
                last_seen_at=seen,
                updated_at=seen,
            )
            apply_posting(row, posting, digest)
            _set_skills(session, row, posting, ids)
            row.sources.append(
                models.PostingSource(
                    source=posting.source,
                    board=posting.board,
                    external_id=posting.external_id,
                    url=posting.url,
                    first_seen_at=seen,
                    last_seen_at=seen,
                    fetched_at=seen,
                    payload_gz=blob,
                    payload_hash=payload_hash,
                )
            )
            session.add(row)
            result.new += 1
            continue

        row = ps.posting
        ps.last_seen_at = max(ps.last_seen_at, seen)
        ps.fetched_at = seen
        ps.closed_at = None
        ps.url = posting.url or ps.url
        if ps.payload_hash != payload_hash:
            ps.payload_gz, ps.payload_hash = blob, payload_hash
        row.last_seen_at = max(row.last_seen_at, seen)
        if row.closed_at is not None:
            row.closed_at = None
            result.reopened += 1
        if row.content_hash != digest and _is_canonical(row, ps):
            before = {name: _tracked_value(row, name) for name in TRACKED_FIELDS}
            apply_posting(row, posting, digest)
            _set_skills(session, row, posting, ids)
            row.updated_at = seen
            for name in TRACKED_FIELDS:
                after = _tracked_value(row, name)
                if after != before[name]:
                    session.add(
                        models.PostingChange(
                            posting_id=row.id, field=name, old=before[name], new=after, changed_at=seen
                        )
                    )
            result.updated += 1
        else:
            result.unchanged += 1
    session.flush()
    result.posting_ids = [existing[k].posting_id for k in by_key if k in existing]
    return result


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
    closed = 0
    for ps in stale:
        ps.closed_at = now
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
        skills=[ps.skill.name for ps in row.skills],
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


def table_counts(session: Session) -> dict[str, int]:
    counts = {}
    for model in (models.Posting, models.PostingSource, models.PostingChange, models.Skill, models.CrawlRun):
        counts[model.__tablename__] = session.scalar(select(func.count()).select_from(model))
    counts["open_postings"] = session.scalar(
        select(func.count()).select_from(models.Posting).where(models.Posting.closed_at.is_(None))
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
