"""``jobscout reprocess``: rebuild every posting from its stored raw payloads (no network), report what changed."""

from __future__ import annotations

import json
from collections import Counter

import click

from crawler.commands.options import db_option, format_option
from crawler.context import AppContext

BATCH = 500


def reprocess_all(session_factory, *, dry_run: bool = False, batch: int = BATCH) -> dict:
    """Stream posting_sources in id order, ``batch`` at a time (one transaction and a fresh session each, so memory
    stays bounded), re-normalize each stored payload (``pipeline.normalize.normalize_many``) and merge it back as
    the sighting it was. Returns counts: sources read, postings changed, changes per field, failures, payloads
    missing (pruned)."""
    from sqlalchemy import select

    from pipeline.normalize import normalize_many
    from pipeline.skills import skill_categories
    from pipeline.version import normalizer_version
    from storage import models
    from storage.ingest import absorb_stored, decompress_payload, skill_ids
    from storage.mapping import to_schema

    version = normalizer_version()
    categories = skill_categories()
    stats = {"sources": 0, "postings_changed": 0, "fields": Counter(), "failed": 0, "no_payload": 0}
    last_id = 0
    while True:
        with session_factory() as session:
            rows = session.scalars(
                select(models.PostingSource)
                .where(models.PostingSource.id > last_id)
                .order_by(models.PostingSource.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            last_id = rows[-1].id
            companies = _display_names(session, rows)
            with_payload = []
            for ps in rows:
                stats["sources"] += 1
                payload = decompress_payload(ps.payload_gz)
                if payload is None:
                    stats["no_payload"] += 1
                    continue
                raw = {
                    "source": ps.source,
                    "board": ps.board,
                    "external_id": ps.external_id,
                    "url": ps.url,
                    "payload": payload,
                    "company": companies.get((ps.source, ps.board)),
                }
                with_payload.append((ps, raw))
            # Stage by stage over the batch (the crawl's workers do the same): a failure comes back in its place.
            results = normalize_many([raw for _, raw in with_payload])
            normalized = []
            for (ps, _), posting in zip(with_payload, results, strict=True):
                if isinstance(posting, Exception):
                    stats["failed"] += 1
                    continue
                normalized.append((ps, posting))
            ids = skill_ids(session, (n for _, p in normalized for n in p.skills), categories)
            for ps, posting in normalized:
                ps.normalized_by = version  # a later crawl that sees this payload again need not normalize it
                before = to_schema(ps.posting).to_dict()
                if absorb_stored(session, ps, posting, ids):
                    session.flush()
                    session.expire(ps.posting, ["skills"])
                    after = to_schema(ps.posting).to_dict()
                    changed = [k for k in after if k not in ("sources",) and after[k] != before.get(k)]
                    if changed:
                        stats["postings_changed"] += 1
                        stats["fields"].update(changed)
            if dry_run:
                session.rollback()
            else:
                session.commit()
    stats["fields"] = dict(stats["fields"].most_common())
    return stats


@click.command()
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--batch", type=click.IntRange(min=1), default=BATCH, show_default=True, help="Sources per transaction."
)
@format_option()
@db_option
@click.pass_obj
def reprocess(app: AppContext, dry_run: bool, batch: int, fmt: str) -> int:
    """Rebuild every posting from the stored raw payloads with the current parsers, taxonomy and role filter
    (no network), in bounded memory, and report what changed per field."""
    _, session_factory = app.database()
    stats = reprocess_all(session_factory, dry_run=dry_run, batch=batch)
    if fmt == "json":
        click.echo(json.dumps({"dry_run": dry_run, **stats}, indent=2))
        return 0
    verb = "would change" if dry_run else "changed"
    click.echo(f"{stats['sources']} sources read; {stats['postings_changed']} postings {verb}")
    for name, count in stats["fields"].items():
        click.echo(f"  {name:<22} {count}")
    if stats["no_payload"]:
        click.echo(f"{stats['no_payload']} sources without a stored payload (pruned) were left as they are")
    if stats["failed"]:
        click.echo(f"{stats['failed']} payloads could not be normalized (left as they are)")
    return 0


def _display_names(session, rows) -> dict[tuple[str, str], str]:
    """(source, board) -> the boards table's company display name, for the sightings of a batch (what a crawl
    passes to the normalizer too: crawler.spiders.base.JobSpider.raw_posting)."""
    from storage.boards import display_names

    boards: dict[str, set[str]] = {}
    for ps in rows:
        boards.setdefault(ps.source, set()).add(ps.board)
    return {
        (source, board): name
        for source, tokens in boards.items()
        for board, name in display_names(session, source, tokens).items()
    }
