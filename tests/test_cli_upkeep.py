"""``jobscout changes``, ``reprocess``, ``db prune`` and ``db vacuum``, in-process."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from crawler.cli import main
from storage.db import open_database
from storage.ingest import upsert_batch
from tests.test_repository import T0, make_posting, sighting


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def seed(url: str) -> None:
    _, Session = open_database(url)
    now = datetime.now(UTC)
    with Session.begin() as s:
        upsert_batch(s, [sighting(make_posting("1"), now - timedelta(days=20)), sighting(make_posting("2"), T0)])
    with Session.begin() as s:
        upsert_batch(
            s,
            [
                sighting(make_posting("1", pay_max=240000.0), now - timedelta(days=3)),
                sighting(make_posting("2", pay_max=180000.0, title="Backend Engineer"), now - timedelta(days=2)),
            ],
        )


def test_changes_answers_who_raised_pay_this_month(isolated_env, capsys, sqlite_url):
    seed(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "changes", "--raised", "--since", "30d", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["field"], r["direction"], r["new"]["max"]) for r in rows] == [("pay", "raised", 240000.0)]
    code, out, _ = run(capsys, "--db", sqlite_url, "changes", "--field", "title", "--format", "json")
    assert [r["new"] for r in json.loads(out)] == ["Backend Engineer"]
    code, out, _ = run(capsys, "--db", sqlite_url, "changes", "--lowered")
    assert code == 0 and "lowered" in out
    code, out, _ = run(capsys, "--db", sqlite_url, "changes", "--raised")
    assert "pay (raised): USD " in out and "–240,000 / year" in out  # values as text, never a dict
    assert "{" not in out and "'" not in out
    code, _, err = run(capsys, "--db", sqlite_url, "changes", "--since", "yesterday-ish")
    assert code == 2 and "is not a date" in err


def test_reprocess_dry_run_then_prune_and_vacuum(isolated_env, capsys, sqlite_url):
    seed(sqlite_url)
    code, out, _ = run(capsys, "--db", sqlite_url, "reprocess", "--dry-run", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["dry_run"] is True and report["sources"] == 2
    assert report["failed"] == 0
    code, _, err = run(capsys, "--db", sqlite_url, "db", "prune")
    assert code == 2 and "--closed-before" in err
    code, out, _ = run(
        capsys, "--db", sqlite_url, "db", "prune", "--closed-before", "2000-01-01", "--raw-older-than", "1d"
    )
    assert code == 0 and "deleted 0 closed postings; dropped 2 raw payloads" in out
    code, out, _ = run(capsys, "--db", sqlite_url, "reprocess")
    assert code == 0 and "2 sources without a stored payload" in out
    code, out, _ = run(capsys, "--db", sqlite_url, "db", "vacuum")
    assert code == 0 and "vacuumed" in out
    code, out, _ = run(capsys, "--db", sqlite_url, "info", "--format", "json")
    assert json.loads(out)["rows"]["closed_postings"] == 0


def test_reprocess_stamps_the_normalizer_so_the_next_crawl_can_skip_unchanged_payloads(
    isolated_env, capsys, sqlite_url
):
    from sqlalchemy import select

    from pipeline.version import normalizer_version
    from storage import models
    from storage.db import open_database

    seed(sqlite_url)
    _, Session = open_database(sqlite_url)
    code, _, _ = run(capsys, "--db", sqlite_url, "reprocess", "--dry-run")
    assert code == 0
    with Session() as s:
        assert set(s.scalars(select(models.PostingSource.normalized_by))) == {None}
    code, _, _ = run(capsys, "--db", sqlite_url, "reprocess")
    assert code == 0
    with Session() as s:
        assert set(s.scalars(select(models.PostingSource.normalized_by))) == {normalizer_version()}
