"""Watches: saved searches that report the postings that are new since their last run.

A run finds the matching postings first seen since the previous run (or since the watch was created; with
``backfill``, every matching posting), records them in ``watch_hits`` (each posting is reported once) and queues
one delivery in the ``watch_deliveries`` outbox in the same transaction. Delivery happens after the commit and
is retried on the next run until it succeeds, in order, so a failing webhook delays what it should have
delivered but never loses it.

Targets: ``webhook:URL`` (JSON POST), ``file:PATH`` (an Atom feed, newest entries first, rewritten atomically),
``stdout`` (one line per posting).

Runs are serialised through the database (:func:`exclusive`, a ``storage.locks`` lock on a pseudo-source): the
scheduler, queue workers on other hosts and ``jobscout watch run`` may all finish at once, and two runs of one
watch would deliver its pending payloads twice.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from pipeline.sources.common import http_url
from pipeline.text import strip_controls
from storage import models
from storage.fx import money
from storage.mapping import to_schema
from storage.models import utcnow
from storage.query import PostingFilters, build_select

ATOM = "http://www.w3.org/2005/Atom"
FEED_MAX_ENTRIES = 500
WEBHOOK_ATTEMPTS = 3  # per run; what still fails stays queued for the next run
WEBHOOK_TIMEOUT_S = 15
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FEED_AUTHOR = "jobscout"
# What XML 1.0 cannot hold at all (its Char production): C0 controls but tab, LF and CR, lone surrogates, U+FFFE/F.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class WatchError(ValueError):
    """A watch definition that cannot be used (bad target, duplicate name)."""


def check_target(notify: str, cwd: Path | None = None) -> str:
    """``notify`` checked, with a ``file:`` path made absolute against ``cwd`` (default: the current directory)
    and ``~`` expanded: the scheduler runs watches from another directory, so a relative path would write the
    feed somewhere else than where it was asked for."""
    if notify == "stdout":
        return notify
    kind, _, target = notify.partition(":")
    if kind == "webhook" and target.startswith(("http://", "https://")):
        return notify
    if kind == "file" and target:
        path = Path(target).expanduser()
        if not path.is_absolute():
            path = (cwd or Path.cwd()) / path
        return f"file:{os.path.normpath(path)}"
    raise WatchError(f"--notify must be webhook:URL (http/https), file:PATH or stdout, got {notify!r}")


@dataclass(slots=True)
class WatchRun:
    name: str
    new: int
    pay_changes: int
    delivered: int
    pending: int
    error: str | None = None


def add_watch(
    session: Session,
    name: str,
    filters: PostingFilters,
    notify: str,
    *,
    pay_changes: bool = False,
    backfill: bool = False,
) -> models.Watch:
    if session.scalar(select(models.Watch).where(models.Watch.name == name)) is not None:
        raise WatchError(f"a watch named {name!r} exists already")
    now = utcnow()
    # last_run_at is the watermark "reported up to": a backfilling watch starts from the epoch.
    watch = models.Watch(
        name=name,
        filters=filters.to_json(),
        notify=check_target(notify),
        pay_changes=pay_changes,
        created_at=now,
        last_run_at=EPOCH if backfill else None,
    )
    session.add(watch)
    session.flush()
    return watch


def collect(session: Session, watch: models.Watch, dialect: str, now: datetime) -> dict[str, Any] | None:
    """Find what is new for ``watch``, record it and queue a delivery (caller commits). None if nothing."""
    since = watch.last_run_at or watch.created_at
    filters = PostingFilters.from_json(watch.filters)
    reported = select(models.WatchHit.posting_id).where(models.WatchHit.watch_id == watch.id)
    stmt = (
        build_select(filters, dialect)
        .where(models.Posting.first_seen_at > since, models.Posting.id.not_in(reported))
        .order_by(None)
        .order_by(models.Posting.first_seen_at, models.Posting.id)
    )
    postings = [to_schema(row) for row in session.scalars(stmt)]
    changes: list[dict[str, Any]] = []
    if watch.pay_changes:
        matching = (
            build_select(PostingFilters.from_json({**watch.filters, "min_pay": None, "max_pay": None}), dialect)
            .with_only_columns(models.Posting.id)
            .order_by(None)
        )
        for change, title in session.execute(
            select(models.PostingChange, models.Posting.title)
            .join(models.Posting, models.Posting.id == models.PostingChange.posting_id)
            .where(
                models.PostingChange.field == "pay",
                models.PostingChange.changed_at > since,
                models.PostingChange.posting_id.in_(matching),
            )
            .order_by(models.PostingChange.changed_at)
        ):
            changes.append(
                {
                    "posting_id": change.posting_id,
                    "title": title,
                    "old": change.old,
                    "new": change.new,
                    "changed_at": change.changed_at.isoformat(),
                }
            )
    watch.last_run_at = now
    if not postings and not changes:
        return None
    for p in postings:
        session.add(models.WatchHit(watch_id=watch.id, posting_id=p.id, found_at=now))
    payload = {
        "watch": watch.name,
        "generated_at": now.isoformat(),
        "postings": [p.to_dict() for p in postings],
        "pay_changes": changes,
    }
    session.add(models.WatchDelivery(watch_id=watch.id, created_at=now, payload=payload, attempts=0))
    return payload


#: The pseudo-source of the lock that serialises watch runs (no crawl source has parentheses in its name).
LOCK_SOURCE = "(watches)"
#: How long a run waits for another one to finish before giving up (a webhook's retries can take a minute).
LOCK_WAIT_S = 600


@contextmanager
def exclusive(session_factory: sessionmaker[Session], wait: float = LOCK_WAIT_S) -> Iterator[None]:
    """Hold the watches' lock, waiting up to ``wait`` seconds for another run (then ``LockBusy``)."""
    from storage.locks import acquire

    lock = acquire(session_factory, LOCK_SOURCE, [], owner="watches", wait=True, timeout=wait).keep_alive()
    try:
        yield
    finally:
        lock.release()


def run_watch(
    session_factory: sessionmaker[Session],
    name: str,
    dialect: str,
    out: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> WatchRun:
    """Collect and deliver one watch; pending deliveries of earlier runs go first."""
    now = utcnow()
    with session_factory.begin() as session:
        watch = session.scalar(select(models.Watch).where(models.Watch.name == name))
        if watch is None:
            raise WatchError(f"no watch named {name!r}")
        payload = collect(session, watch, dialect, now)
        watch_id, notify = watch.id, watch.notify
    result = WatchRun(
        name=name,
        new=len(payload["postings"]) if payload else 0,
        pay_changes=len(payload["pay_changes"]) if payload else 0,
        delivered=0,
        pending=0,
    )
    with session_factory() as session:
        pending = session.scalars(
            select(models.WatchDelivery)
            .where(models.WatchDelivery.watch_id == watch_id, models.WatchDelivery.delivered_at.is_(None))
            .order_by(models.WatchDelivery.id)
        ).all()
        for delivery in pending:
            try:
                deliver(notify, delivery.payload, out=out, sleep=sleep)
            except DeliveryError as exc:
                delivery.attempts += WEBHOOK_ATTEMPTS if notify.startswith("webhook:") else 1
                delivery.last_error = str(exc)
                result.error = str(exc)
                session.commit()
                break
            delivery.delivered_at = utcnow()
            delivery.attempts += 1
            session.commit()
            result.delivered += 1
        result.pending = sum(1 for d in pending if d.delivered_at is None)
    return result


def run_all(session_factory: sessionmaker[Session], dialect: str, out: TextIO | None = None) -> list[WatchRun]:
    """Every watch, under the watches' lock (callers of :func:`run_watch` take it themselves)."""
    with session_factory() as session:
        names = list(session.scalars(select(models.Watch.name).order_by(models.Watch.id)))
    if not names:
        return []
    with exclusive(session_factory):
        return [run_watch(session_factory, name, dialect, out=out) for name in names]


# --- delivery --------------------------------------------------------------------------------------------
class DeliveryError(RuntimeError):
    pass


def deliver(
    notify: str, payload: dict[str, Any], out: TextIO | None = None, sleep: Callable[[float], None] = time.sleep
) -> None:
    kind, _, target = notify.partition(":")
    if notify == "stdout":
        write_lines(payload, out or sys.stdout)
    elif kind == "webhook":
        post_webhook(target, payload, sleep=sleep)
    elif kind == "file":
        write_atom(Path(target).expanduser(), payload)
    else:
        raise DeliveryError(f"unknown target {notify!r}")


def write_lines(payload: dict[str, Any], out: TextIO) -> None:
    """The ``stdout`` target: one line per posting and pay change, control characters removed (a title's ESC or
    CR must not drive the terminal it is printed on)."""
    for p in payload["postings"]:
        pay = p.get("pay") or {}
        money = pay_text(pay)
        parts = [f"[{payload['watch']}] new: {p['title']} — {p.get('company') or '?'}", money, p.get("url") or ""]
        out.write(_one_line(" · ".join(part for part in parts if part)) + "\n")
    for c in payload["pay_changes"]:
        line = f"[{payload['watch']}] pay changed: {c['title']}: {pay_text(c['old']) or 'none'} -> "
        out.write(_one_line(line + (pay_text(c["new"]) or "none")) + "\n")
    out.flush()


def pay_text(pay: dict[str, Any] | None) -> str:
    """A pay dict ({min, max, currency, period}) as people write it (:func:`storage.fx.money`); "" for none."""
    if not pay:
        return ""
    return money(pay.get("min"), pay.get("max"), pay.get("currency"), pay.get("period"))


def _one_line(text: str) -> str:
    return strip_controls(text).replace("\n", " ")


def post_webhook(url: str, payload: dict[str, Any], sleep: Callable[[float], None] = time.sleep) -> None:
    body = json.dumps(payload).encode()
    error = "no attempt"
    for attempt in range(WEBHOOK_ATTEMPTS):
        if attempt:
            sleep(2 ** (attempt - 1))
        request = Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "jobscout-watch"},
        )
        try:
            with urlopen(request, timeout=WEBHOOK_TIMEOUT_S) as response:
                if 200 <= response.status < 300:
                    return
                error = f"HTTP {response.status}"
        except HTTPError as exc:
            error = f"HTTP {exc.code}"
        except (URLError, TimeoutError, OSError) as exc:
            error = f"unreachable: {getattr(exc, 'reason', exc)}"
    raise DeliveryError(f"webhook {url}: {error} after {WEBHOOK_ATTEMPTS} attempts")


def xml_text(value: Any) -> str:
    """``value`` as text that XML 1.0 can hold: control characters removed (:func:`pipeline.text.strip_controls`,
    which also takes DEL and C1) and whatever else the XML Char production excludes (lone surrogates, U+FFFE/F).
    Everything written into the Atom feed goes through it, so no posting can make the file invalid."""
    text = strip_controls("" if value is None else str(value))
    return _NOT_XML.sub("", text) if _NOT_XML.search(text) else text


def _read_feed_entries(path: Path) -> list[ET.Element]:
    """The entries of the feed at ``path``. A file that an earlier jobscout wrote with control characters (invalid
    XML) is read once more with them removed, so that it heals on this write instead of failing every run."""
    try:
        return ET.parse(path).getroot().findall(f"{{{ATOM}}}entry")
    except ET.ParseError as exc:
        error = exc
    try:
        text = xml_text(path.read_bytes().decode("utf-8", errors="replace"))
        return ET.fromstring(text.encode()).findall(f"{{{ATOM}}}entry")
    except (ET.ParseError, ValueError):
        raise DeliveryError(f"feed file {path} is not valid XML: {error}") from error


def atom_entry(posting: dict[str, Any], updated: str) -> ET.Element:
    """One schema v1 posting (as JSON-ready data) as an Atom ``entry``; ``updated`` when it has no first sighting."""
    entry = ET.Element(f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:jobscout:posting:{posting['id']}"
    title = f"{posting['title']} — {posting.get('company') or '?'}"
    ET.SubElement(entry, f"{{{ATOM}}}title").text = xml_text(title)
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = xml_text(posting.get("first_seen_at") or updated)
    if url := http_url(posting.get("url")):
        ET.SubElement(entry, f"{{{ATOM}}}link", href=url)
    pay = posting.get("pay")
    summary = [
        posting.get("workplace") or "",
        ", ".join(loc["raw"] for loc in posting.get("locations", [])),
        pay_text(pay),
        ", ".join(posting.get("skills", [])[:10]),
    ]
    ET.SubElement(entry, f"{{{ATOM}}}summary").text = xml_text(" · ".join(s for s in summary if s))
    return entry


def atom_feed(feed_id: str, title: str, updated: str, entries: list[ET.Element]) -> ET.Element:
    """An Atom ``feed`` element holding ``entries`` (at most FEED_MAX_ENTRIES, in the order given)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = xml_text(feed_id)
    ET.SubElement(feed, f"{{{ATOM}}}title").text = xml_text(title)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = xml_text(updated)
    # RFC 4287 4.1.1: a feed has an author unless every entry has one; ours never do.
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = FEED_AUTHOR
    for entry in entries[:FEED_MAX_ENTRIES]:
        feed.append(entry)
    return feed


def atom_document(feed_id: str, title: str, updated: str, postings: list[dict[str, Any]]) -> bytes:
    """A whole Atom document (UTF-8, XML declaration) of ``postings`` in the order given: what ``jobscout serve``
    answers ``/feed`` with, built by the same writer as the watches' feed files."""
    feed = atom_feed(feed_id, title, updated, [atom_entry(p, updated) for p in postings])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def write_atom(path: Path, payload: dict[str, Any]) -> None:
    """Add the payload's postings to the Atom feed at ``path`` (created if missing), newest first, atomically.

    The feed is valid Atom (RFC 4287) whatever the postings hold: a feed-level ``author``, every text through
    :func:`xml_text`, links only to http(s) URLs (:func:`pipeline.sources.common.http_url`)."""
    ET.register_namespace("", ATOM)
    entries: list[ET.Element] = _read_feed_entries(path) if path.exists() else []
    seen = {e.findtext(f"{{{ATOM}}}id") for e in entries}
    fresh = [
        atom_entry(p, payload["generated_at"])
        for p in payload["postings"]
        if f"urn:jobscout:posting:{p['id']}" not in seen
    ]
    feed = atom_feed(
        f"urn:jobscout:watch:{payload['watch']}",
        f"jobscout: {payload['watch']}",
        payload["generated_at"],
        [*reversed(fresh), *entries],
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as tmp:
        ET.ElementTree(feed).write(tmp, encoding="utf-8", xml_declaration=True)
    os.replace(tmp.name, path)
