"""Board discovery: registering the ATS boards that stored postings link to (``jobscout boards discover``).

Postings link to company boards all the time: an HN comment's apply link, an aggregator's apply URL, a careers page
embedding a Greenhouse board. :func:`discover` reads the stored postings seen since a date -- each sighting's URL and
raw payload (which holds the description HTML with its links), the posting's URL and apply URL -- finds the board URLs
in them (:func:`crawler.board_urls.board_refs`) and adds every board of a platform jobscout crawls that the ``boards``
table does not have, as ``discovered`` and ``unverified``: it is crawled once it has answered (``boards check`` or
``discover --probe``). The scheduler runs it after each aggregator crawl (docs/registry.md).
"""

from __future__ import annotations

import contextlib
import gzip
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.board_urls import BoardRef, board_refs
from pipeline.platforms import token_key


@dataclass
class Discovery:
    """What a discovery pass found: boards linked per platform, and the new ones it registered."""

    postings: int = 0
    linked: Counter = field(default_factory=Counter)
    added: list[tuple[BoardRef, str]] = field(default_factory=list)  # (board, the URL that linked it)

    def added_per_source(self) -> Counter:
        return Counter(ref.source for ref, _ in self.added)


def _texts(source_url: str | None, payload_gz: bytes | None, url: str | None, apply_url: str | None) -> list[str]:
    texts = [t for t in (source_url, url, apply_url) if t]
    if payload_gz:
        with contextlib.suppress(OSError, EOFError):  # a damaged payload: the URLs still count
            texts.append(gzip.decompress(payload_gz).decode("utf-8", errors="replace"))
    return texts


def discover(
    session: Session,
    *,
    since: datetime | None = None,
    platforms: Iterable[str],
    register: bool = True,
    batch: int = 500,
) -> Discovery:
    """Scan the postings seen since ``since`` (all when None) for boards of ``platforms``; with ``register``, add the
    unknown ones to ``boards`` (``discovered``, ``unverified``). The caller commits."""
    from storage import boards as repo
    from storage.models import Board, Posting, PostingSource, utcnow

    wanted = set(platforms)
    present = select(Board.source, Board.token_key).where(Board.source.in_(wanted))
    known = {(source, key) for source, key in session.execute(present)}
    statement = select(PostingSource.url, PostingSource.payload_gz, Posting.url, Posting.apply_url).join(
        Posting, Posting.id == PostingSource.posting_id
    )
    if since is not None:
        statement = statement.where(PostingSource.last_seen_at >= since)
    result = Discovery()
    first_link: dict[tuple[str, str], tuple[BoardRef, str]] = {}
    linked: set[tuple[str, str]] = set()
    for source_url, payload_gz, url, apply_url in session.execute(statement.execution_options(yield_per=batch)):
        result.postings += 1
        for ref in board_refs(_texts(source_url, payload_gz, url, apply_url)):
            if ref.source not in wanted:
                continue
            key = (ref.source, token_key(ref.source, ref.token))
            linked.add(key)
            if key not in known and key not in first_link:
                first_link[key] = (ref, source_url or url or apply_url or "")
    result.linked = Counter(source for source, _ in linked)
    result.added = [first_link[key] for key in sorted(first_link)]
    if register and result.added:
        now = utcnow()
        rows = [
            repo.board_row(
                ref.source,
                ref.token,
                config={"region": ref.region} if ref.region else None,
                origin="discovered",
                status="unverified",
                now=now,
                evidence=evidence,
            )
            for ref, evidence in result.added
        ]
        repo.insert_missing(session, rows)
    return result
