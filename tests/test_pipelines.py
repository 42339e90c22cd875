"""crawler.pipelines in-process: known payload -> normalize -> validate -> store, on SQLite and PostgreSQL.

The end-to-end crawls (tests/test_crawl.py, tests/test_lifecycle.py) run the same chain in a subprocess; here the
skip of unchanged payloads is checked where it happens, counting the normalizations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.test import get_crawler
from sqlalchemy import select

import crawler.pipelines as pipelines
from crawler.items import RawPosting
from storage import models
from storage.db import open_database

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CONTENT = "&lt;p&gt;We build payment APIs in Go and PostgreSQL. Salary $150,000 - $190,000.&lt;/p&gt;"


def job(job_id: int, title: str = "Senior Backend Engineer", content: str = CONTENT) -> dict:
    return {
        "id": job_id,
        "title": title,
        "absolute_url": f"https://boards.greenhouse.io/acme/jobs/{job_id}",
        "location": {"name": "Remote - US"},
        "updated_at": "2026-11-01T10:00:00-04:00",
        "content": content,
        "metadata": [],
    }


def raw(payload: dict, at: datetime) -> RawPosting:
    return RawPosting("greenhouse", "acme", str(payload["id"]), payload["absolute_url"], payload, at)


class Chain:
    """The four item pipelines of one crawl, wired as Scrapy wires them."""

    def __init__(self, db_url: str, **settings):
        # Normalizing in this process by default: these tests count and replace pipelines.normalize (the pool's
        # workers are tested in tests/test_normalizing.py and below).
        settings.setdefault("JOBSCOUT_NORMALIZE_PROCESSES", 0)
        self.crawler = get_crawler(settings_dict={"JOBSCOUT_DB_URL": db_url, **settings})
        self.stages = []
        for cls in (
            pipelines.KnownPayloadPipeline,
            pipelines.NormalizePipeline,
            pipelines.ValidatePipeline,
            pipelines.StorePipeline,
        ):
            try:
                self.stages.append(cls.from_crawler(self.crawler))
            except NotConfigured:  # Scrapy leaves a component that raises it out of the chain
                continue
        for stage in self.stages:
            if hasattr(stage, "open_spider"):
                stage.open_spider()

    def feed(self, items: list[RawPosting]) -> dict:
        for item in items:
            try:
                for stage in self.stages:
                    item = stage.process_item(item)
            except DropItem:
                continue
        for stage in self.stages:
            if hasattr(stage, "close_spider"):
                stage.close_spider()
        return {k.removeprefix("jobscout/"): v for k, v in self.crawler.stats.get_stats().items()}


@pytest.fixture
def normalize_calls(monkeypatch):
    calls: list[str] = []
    real = pipelines.normalize

    def counting(item):
        calls.append(item.external_id)
        return real(item)

    monkeypatch.setattr(pipelines, "normalize", counting)
    return calls


def test_unchanged_payloads_skip_normalization_and_only_move_last_seen(db_url, normalize_calls):
    jobs = [job(1), job(2), job(3)]
    first = Chain(db_url).feed([raw(j, T0) for j in jobs])
    assert (first["fetched"], first["kept"], first["new"]) == (3, 3, 3)
    assert normalize_calls == ["1", "2", "3"]

    later = T0 + timedelta(days=1)
    changed = job(2, content=CONTENT.replace("$190,000", "$210,000"))
    second = Chain(db_url).feed([raw(jobs[0], later), raw(changed, later), raw(jobs[2], later)])
    assert normalize_calls[3:] == ["2"]  # only the changed payload is normalized again
    assert (second["fetched"], second["kept"], second["unchanged"], second["updated"]) == (3, 3, 2, 1)
    assert second.get("new", 0) == 0

    _, Session = open_database(db_url)
    with Session() as s:
        rows = {r.external_id: r for r in s.scalars(select(models.Posting))}
        assert {k: r.last_seen_at for k, r in rows.items()} == {"1": later, "2": later, "3": later}
        assert rows["2"].pay_max == 210000.0
        assert rows["1"].pay_max == 190000.0 and rows["1"].skills  # untouched values stay
        assert {ps.normalized_by for r in rows.values() for ps in r.sources} == {pipelines.normalizer_version()}


def test_a_new_normalizer_normalizes_every_posting_again(db_url, normalize_calls, monkeypatch):
    jobs = [job(1), job(2)]
    Chain(db_url).feed([raw(j, T0) for j in jobs])
    monkeypatch.setattr(pipelines, "normalizer_version", lambda: "0123456789abcdef")
    stats = Chain(db_url).feed([raw(j, T0 + timedelta(hours=1)) for j in jobs])
    assert normalize_calls == ["1", "2", "1", "2"]
    assert stats["unchanged"] == 2  # same values: nothing to update
    _, Session = open_database(db_url)
    with Session() as s:
        assert set(s.scalars(select(models.PostingSource.normalized_by))) == {"0123456789abcdef"}


def test_the_skip_can_be_turned_off(db_url, normalize_calls):
    Chain(db_url).feed([raw(job(1), T0)])
    Chain(db_url, JOBSCOUT_SKIP_UNCHANGED=False).feed([raw(job(1), T0 + timedelta(hours=1))])
    assert normalize_calls == ["1", "1"]


def test_a_closed_posting_seen_again_unchanged_reopens(db_url, normalize_calls):
    from storage.lifecycle import close_unseen

    Chain(db_url).feed([raw(job(1), T0), raw(job(2), T0)])
    crawl_start = T0 + timedelta(days=1)
    Chain(db_url).feed([raw(job(1), crawl_start)])
    _, Session = open_database(db_url)
    with Session.begin() as s:
        assert close_unseen(s, "greenhouse", "acme", crawl_start, crawl_start) == 1
    stats = Chain(db_url).feed(
        [raw(job(1), crawl_start + timedelta(days=1)), raw(job(2), crawl_start + timedelta(days=1))]
    )
    assert stats["reopened"] == 1 and stats["unchanged"] == 2
    assert normalize_calls == ["1", "2"]
    with Session() as s:
        assert s.scalars(select(models.Posting.closed_at)).all() == [None, None]


def test_a_dropped_posting_is_never_skipped_later(db_url, normalize_calls):
    untitled = job(5, title="")
    for hour in range(2):
        stats = Chain(db_url).feed([raw(untitled, T0 + timedelta(hours=hour))])
        assert stats["dropped/missing_title"] == 1
    assert normalize_calls == ["5", "5"]


def test_the_known_payload_stage_is_left_out_when_the_skip_is_off(db_url):
    chain = Chain(db_url, JOBSCOUT_SKIP_UNCHANGED=False)
    assert [type(s) for s in chain.stages] == [
        pipelines.NormalizePipeline,
        pipelines.ValidatePipeline,
        pipelines.StorePipeline,
    ]


def test_the_pipelines_share_the_crawls_one_database_handle(db_url):
    from crawler.database import for_crawler

    chain = Chain(db_url)
    handle = for_crawler(chain.crawler)
    known, store = chain.stages[0], chain.stages[-1]
    assert known.session_factory is handle.read_sessions
    assert store.session_factory is handle.sessions


def test_a_drop_is_one_short_log_line_with_the_reason_and_id(sqlite_url, caplog, monkeypatch):
    import logging

    from scrapy.logformatter import LogFormatter

    def broken(item):
        raise RuntimeError("parser tripped " + "x" * 600)

    chain = Chain(sqlite_url)
    validate = next(s for s in chain.stages if isinstance(s, pipelines.ValidatePipeline))
    normalize = next(s for s in chain.stages if isinstance(s, pipelines.NormalizePipeline))
    long_body = job(7, title="", content="&lt;p&gt;" + "words " * 200 + "&lt;/p&gt;")
    with caplog.at_level(logging.WARNING, logger="crawler.pipelines"):
        with pytest.raises(DropItem) as dropped:
            validate.process_item(normalize.process_item(raw(long_body, T0)))
        monkeypatch.setattr(pipelines, "normalize", broken)
        with pytest.raises(DropItem):
            normalize.process_item(raw(job(8), T0))
    lines = [r.getMessage() for r in caplog.records if r.name == "crawler.pipelines" and r.levelno == logging.WARNING]
    assert lines[0] == "dropped greenhouse/acme/7: missing_title"
    assert lines[1].startswith("dropped greenhouse/acme/8: normalize_error (RuntimeError('parser tripped xxx")
    assert all(len(line) <= 250 for line in lines) and len(lines) == 2
    # Scrapy's own "Dropped: <exception>\n<the whole item>" goes to DEBUG, out of a normal log.
    spider = type("Spider", (), {"crawler": chain.crawler})()
    entry = LogFormatter().dropped(raw(long_body, T0), dropped.value, None, spider)
    assert entry["level"] == logging.DEBUG
