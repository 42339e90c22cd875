"""SQLAlchemy 2.x typed models (schema v1 storage; see docs/schema.md).

A ``Posting`` is one job opening with its canonical values; each place it was seen is a ``PostingSource`` keyed by
(source, board, external_id) that keeps the raw payload (gzip-compressed JSON) so ``jobscout reprocess`` can rebuild
postings without a network. Dates are stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

#: The largest id an ``Integer`` primary key holds on every backend: PostgreSQL's ``integer`` is 32-bit and refuses
#: a larger literal outright (an error, not "no row"), so user-supplied ids are checked against it first.
MAX_ROW_ID = 2**31 - 1


def utcnow() -> datetime:
    """The current time as every date column holds it: timezone-aware UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite has no timezone type: store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class Posting(Base):
    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    company: Mapped[str | None] = mapped_column(String(300))
    company_key: Mapped[str | None] = mapped_column(String(300), index=True)  # normalized for matching
    url: Mapped[str | None] = mapped_column(Text)
    apply_url: Mapped[str | None] = mapped_column(Text)
    # The canonical source of this posting's values.
    source: Mapped[str] = mapped_column(String(40))
    board: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str] = mapped_column(String(200))

    posted_at: Mapped[datetime | None]
    valid_through: Mapped[datetime | None]
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    is_backend: Mapped[bool] = mapped_column(Boolean, default=False)
    role_reason: Mapped[str | None] = mapped_column(String(300))
    locations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    country: Mapped[str | None] = mapped_column(String(2))  # first location's country, for filtering
    city: Mapped[str | None] = mapped_column(String(200))
    workplace: Mapped[str | None] = mapped_column(String(10))
    remote_regions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    seniority: Mapped[str | None] = mapped_column(String(20))
    experience_years_min: Mapped[float | None] = mapped_column(Float)
    experience_years_max: Mapped[float | None] = mapped_column(Float)
    education: Mapped[str | None] = mapped_column(String(20))
    education_equivalent: Mapped[bool] = mapped_column(Boolean, default=False)
    employment_type: Mapped[str | None] = mapped_column(String(20))
    visa_sponsorship: Mapped[bool | None] = mapped_column(Boolean)
    relocation: Mapped[bool | None] = mapped_column(Boolean)

    # The primary pay range, flattened so filters and stats are plain indexed columns.
    pay_min: Mapped[float | None] = mapped_column(Float)
    pay_max: Mapped[float | None] = mapped_column(Float)
    pay_currency: Mapped[str | None] = mapped_column(String(3))
    pay_period: Mapped[str | None] = mapped_column(String(10))
    pay_annual_min: Mapped[float | None] = mapped_column(Float)
    pay_annual_max: Mapped[float | None] = mapped_column(Float)
    pay_kind: Mapped[str | None] = mapped_column(String(10))
    pay_label: Mapped[str | None] = mapped_column(String(300))
    pay_raw: Mapped[str | None] = mapped_column(Text)
    pay_ranges: Mapped[list[Any]] = mapped_column(JSON, default=list)

    skill_evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    description_text: Mapped[str] = mapped_column(Text, default="")
    requisition_id: Mapped[str | None] = mapped_column(String(200))
    department: Mapped[str | None] = mapped_column(String(300))
    # Hash of the normalized values: tells an update from a re-sighting without comparing every column.
    content_hash: Mapped[str] = mapped_column(String(64))

    sources: Mapped[list[PostingSource]] = relationship(
        back_populates="posting", order_by="PostingSource.first_seen_at", lazy="selectin"
    )
    skills: Mapped[list[PostingSkill]] = relationship(
        back_populates="posting", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        Index("ix_postings_open_backend_posted", "closed_at", "is_backend", "posted_at"),
        Index("ix_postings_pay", "pay_currency", "pay_annual_max"),
        Index("ix_postings_workplace", "workplace"),
        Index("ix_postings_seniority", "seniority"),
    )


class PostingLocation(Base):
    """One of a posting's ``locations``, narrow and indexed: what ``--city`` and ``--country`` filter through
    (instead of a LIKE over every wide row's JSON). Kept in step with ``postings.locations`` on every flush
    (:func:`sync_locations`); ``city_key`` is the city lower-cased, ``country`` upper-cased."""

    __tablename__ = "posting_locations"

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    city_key: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))

    __table_args__ = (
        Index("ix_posting_locations_city", "city_key", "posting_id"),
        Index("ix_posting_locations_country", "country", "posting_id"),
    )


def location_rows(posting_id: int, locations: list[Any] | None) -> list[dict[str, Any]]:
    """The ``posting_locations`` rows of a posting's ``locations`` JSON."""
    rows = []
    for position, loc in enumerate(locations or []):
        if not isinstance(loc, dict):
            continue
        city, region, country = loc.get("city"), loc.get("region"), loc.get("country")
        rows.append(
            {
                "posting_id": posting_id,
                "position": position,
                "city_key": city.lower()[:200] if city else None,
                "region": region[:200] if region else None,
                "country": country.upper()[:2] if country else None,
            }
        )
    return rows


def write_locations(conn: Connection | Session, postings: dict[int, list[Any] | None], replace: bool) -> None:
    """(Re)write the ``posting_locations`` rows of ``postings`` (id -> locations JSON)."""
    from sqlalchemy import delete, insert

    table = PostingLocation.__table__
    ids = list(postings)
    if replace:
        for start in range(0, len(ids), 500):
            conn.execute(delete(table).where(table.c.posting_id.in_(ids[start : start + 500])))
    rows = [row for pid, locations in postings.items() for row in location_rows(pid, locations)]
    if rows:
        conn.execute(insert(table), rows)


def sync_locations(session: Session, _flush_context: Any) -> None:
    """After a flush: rewrite the location rows of every posting inserted, or whose ``locations`` changed."""
    from sqlalchemy import inspect

    fresh: dict[int, list[Any] | None] = {}
    changed: dict[int, list[Any] | None] = {}
    for obj in session.new:
        if isinstance(obj, Posting) and obj.id is not None:
            fresh[obj.id] = obj.locations
    for obj in session.dirty:
        if isinstance(obj, Posting) and obj.id is not None and inspect(obj).attrs.locations.history.has_changes():
            changed[obj.id] = obj.locations
    if fresh or changed:
        conn = session.connection()
        if fresh:
            write_locations(conn, fresh, replace=False)
        if changed:
            write_locations(conn, changed, replace=True)


class PostingSource(Base):
    __tablename__ = "posting_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(40))
    board: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(Text)
    first_seen_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    fetched_at: Mapped[datetime]
    payload_gz: Mapped[bytes | None] = mapped_column(LargeBinary)  # gzip of the payload JSON as received
    payload_hash: Mapped[str] = mapped_column(String(64))
    # pipeline.version.normalizer_version() of the normalizer that last turned this payload into the posting: an
    # unchanged payload stamped by the running normalizer is not normalized again (crawler.pipelines).
    normalized_by: Mapped[str | None] = mapped_column(String(16))
    # This sighting's identity features (pipeline.dedup.Fingerprint.to_json): what a later copy is compared with.
    fingerprint: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # When this source says the job expires (windowed feeds close on it).
    valid_through: Mapped[datetime | None]

    posting: Mapped[Posting] = relationship(back_populates="sources")

    __table_args__ = (
        UniqueConstraint("source", "board", "external_id", name="uq_posting_sources_identity"),
        Index("ix_posting_sources_board_seen", "source", "board", "last_seen_at"),
    )


class PostingKey(Base):
    """Indexed lookup keys of a posting (pipeline.dedup.lookup_keys of each of its sources): canonical URL,
    requisition, company + title, company + MinHash band. Candidate duplicates are found here, never by a scan."""

    __tablename__ = "posting_keys"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PostingChange(Base):
    __tablename__ = "posting_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    changed_at: Mapped[datetime] = mapped_column(index=True)


class Skill(Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    category: Mapped[str | None] = mapped_column(String(50))


class PostingSkill(Base):
    __tablename__ = "posting_skills"

    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    evidence: Mapped[str | None] = mapped_column(String(200))

    posting: Mapped[Posting] = relationship(back_populates="skills")
    skill: Mapped[Skill] = relationship(lazy="joined")

    __table_args__ = (Index("ix_posting_skills_skill", "skill_id", "posting_id"),)


class CrawlRun(Base):
    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    boards: Mapped[list[Any]] = mapped_column(JSON, default=list)
    args: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime | None]
    # running | ok | partial | failed | degraded | interrupted (crawler/outcome.py)
    status: Mapped[str] = mapped_column(String(16), default="running")
    status_reason: Mapped[str | None] = mapped_column(Text)
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    kept: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # reason -> count
    board_counts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # board -> postings listed
    board_errors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # board -> error text
    # board -> {"open": n, "closing": m}: boards held back for a shrink past the blast radius (crawler.closing)
    board_holds: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    # board -> {"listed", "new", "updated", "closed", and when it failed "error", "kind"} (crawler.closing)
    board_results: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    error_messages: Mapped[list[Any]] = mapped_column(JSON, default=list)
    # The schedule that started this run (None for a crawl started by hand).
    schedule_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # The process running the crawl, so a run whose process died can be told from one in progress.
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String(200))


class Board(Base):
    """A company's job board on an ATS platform: what a platform source crawls when no ``--boards`` is given.

    ``origin`` says where the row came from (``shipped``: the registry data file; ``user``: ``jobscout boards add``
    or a user's boards file; ``discovered``: a link in a stored posting) and ``status`` what is done with it
    (``active``: crawled by default; ``unverified``: discovered, not crawled until it answers once; ``gone``: answered
    "no such board" on K crawls over D days, re-probed monthly; ``removed``: by the user, never re-added by a
    registry update). ``token_key`` is the token as the platform compares it (lower case where it has no case,
    :func:`pipeline.platforms.token_key`): one row per (source, token_key). See docs/registry.md.
    """

    __tablename__ = "boards"
    __table_args__ = (
        UniqueConstraint("source", "token_key", name="uq_boards_source_token_key"),
        Index("ix_boards_source_status", "source", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    token: Mapped[str] = mapped_column(String(300))
    token_key: Mapped[str] = mapped_column(String(300))
    company: Mapped[str | None] = mapped_column(String(300))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    origin: Mapped[str] = mapped_column(String(16))  # shipped | user | discovered
    status: Mapped[str] = mapped_column(String(16))  # active | unverified | gone | removed
    first_seen_at: Mapped[datetime]
    # The last answer that listed the board (a crawl or a probe), and what the last crawl listed.
    last_ok_at: Mapped[datetime | None]
    last_listed: Mapped[int | None] = mapped_column(Integer)
    # The last time a crawl or probe got any answer about the board, and the last failure's text.
    last_checked_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # "No such board" answers in a row (a network error, timeout, 5xx or 429 never counts) and the first of them.
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    missing_since: Mapped[datetime | None]
    gone_since: Mapped[datetime | None]
    # Where a discovered board was seen (a posting's URL), or the file a user's board came from.
    evidence: Mapped[str | None] = mapped_column(Text)


class RegistryLoad(Base):
    """A registry file or user boards file loaded into ``boards`` (by content hash): loading the same content again
    is skipped, so the check costs one SELECT per command."""

    __tablename__ = "registry_loads"

    fingerprint: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # shipped | user
    path: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime]
    rows: Mapped[int] = mapped_column(Integer)
    added: Mapped[int] = mapped_column(Integer)


class SourceLimit(Base):
    """Per-source crawl limits that every crawl and the scheduler obey (Remotive asks for at most 4 fetches a day).

    Applied to crawls of the source's real endpoint; a ``--base-url`` mirror or test server is not limited.
    """

    __tablename__ = "source_limits"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    min_interval_seconds: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)


class Schedule(Base):
    """A scheduled crawl: jobscout's own table, edited by ``jobscout schedule`` at any time and loaded by the
    scheduler daemon into APScheduler (whose job stores must not be shared between processes)."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40))
    # The crawl options, as `jobscout crawl` takes them: boards, base_url, urls, sitemap, args, settings.
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    cron: Mapped[str | None] = mapped_column(String(100))
    interval_seconds: Mapped[int | None] = mapped_column(Integer)
    timeout_seconds: Mapped[int] = mapped_column(Integer)
    jitter_seconds: Mapped[int] = mapped_column(Integer, default=0)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_started_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    last_status: Mapped[str | None] = mapped_column(String(20))


class CrawlLock(Base):
    """One running crawl of (source, board): see storage/locks.py. ``board`` "*" stands for the whole source."""

    __tablename__ = "crawl_locks"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    board: Mapped[str] = mapped_column(String(200), primary_key=True)
    owner: Mapped[str] = mapped_column(String(100))
    pid: Mapped[int] = mapped_column(Integer)
    host: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class Watch(Base):
    """A saved search that reports what is new since its last run (``jobscout watch``)."""

    __tablename__ = "watches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # storage.query.PostingFilters as JSON
    notify: Mapped[str] = mapped_column(Text)  # webhook:URL | file:PATH | stdout
    pay_changes: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    last_run_at: Mapped[datetime | None]


class WatchHit(Base):
    """A posting a watch has reported (so it is reported once)."""

    __tablename__ = "watch_hits"

    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id", ondelete="CASCADE"), primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id", ondelete="CASCADE"), primary_key=True)
    found_at: Mapped[datetime]


class WatchDelivery(Base):
    """An outbox row: what a watch has to deliver, kept until delivered (a failing webhook loses nothing)."""

    __tablename__ = "watch_deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    watch_id: Mapped[int] = mapped_column(ForeignKey("watches.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[datetime | None]


event.listen(Session, "after_flush", sync_locations)
