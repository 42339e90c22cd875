"""storage.watches and `jobscout watch`: new postings reported once, to stdout, an Atom file or a webhook that
may fail without losing anything."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest

from crawler.cli import main
from pipeline.model import PayRange, Posting
from storage.db import open_database
from storage.ingest import Sighting, upsert_batch
from storage.models import utcnow
from storage.query import PostingFilters
from storage.watches import ATOM, WatchError, add_watch, run_watch
from tests.http_server import Response


def posting(eid: str, title: str, skills=("Go",), pay_max: float = 200000.0) -> Posting:
    pay = PayRange(min=150000.0, max=pay_max, currency="USD", period="year")
    return Posting(
        title=title,
        source="greenhouse",
        board="acme",
        external_id=eid,
        company="Acme",
        url=f"https://example.test/{eid}",
        is_backend=True,
        skills=list(skills),
        skill_evidence={s: s for s in skills},
        pay=pay,
        pay_ranges=[pay],
        workplace="remote",
    )


def store(Session, *postings: Posting, at=None) -> None:
    with Session.begin() as s:
        upsert_batch(s, [Sighting(p, {"id": p.external_id, "pay": p.pay.max}, at or utcnow()) for p in postings])


def new_watch(Session, name="go", notify="stdout", **kw):
    with Session.begin() as s:
        add_watch(s, name, PostingFilters(skills=["Go"]), notify, **kw)


def test_reports_only_what_is_new_and_only_once(db_url):
    engine, Session = open_database(db_url)
    store(Session, posting("1", "Old Go job"), at=utcnow() - timedelta(days=2))
    new_watch(Session)
    out = io.StringIO()
    assert run_watch(Session, "go", engine.dialect.name, out=out).new == 0  # existing postings are the baseline
    store(Session, posting("2", "New Go job"), posting("3", "New Python job", skills=("Python",)))
    result = run_watch(Session, "go", engine.dialect.name, out=out)
    assert (result.new, result.delivered, result.pending) == (1, 1, 0)
    assert "New Go job" in out.getvalue() and "Python" not in out.getvalue()
    assert run_watch(Session, "go", engine.dialect.name, out=io.StringIO()).new == 0


def test_backfill_reports_existing_postings(db_url):
    engine, Session = open_database(db_url)
    store(Session, posting("1", "Old Go job"), at=utcnow() - timedelta(days=2))
    new_watch(Session, backfill=True)
    assert run_watch(Session, "go", engine.dialect.name, out=io.StringIO()).new == 1


def test_atom_feed_file(db_url, tmp_path):
    engine, Session = open_database(db_url)
    feed = tmp_path / "feeds" / "go.xml"
    new_watch(Session, notify=f"file:{feed}")
    store(Session, posting("1", "First Go job"))
    run_watch(Session, "go", engine.dialect.name)
    store(Session, posting("2", "Second Go job"))
    run_watch(Session, "go", engine.dialect.name)
    root = ET.parse(feed).getroot()
    titles = [e.findtext(f"{{{ATOM}}}title") for e in root.findall(f"{{{ATOM}}}entry")]
    assert titles == ["Second Go job — Acme", "First Go job — Acme"]
    links = [e.find(f"{{{ATOM}}}link").get("href") for e in root.findall(f"{{{ATOM}}}entry")]
    assert links == ["https://example.test/2", "https://example.test/1"]


def test_failing_webhook_is_retried_and_loses_nothing(db_url, http_server):
    engine, Session = open_database(db_url)
    http_server.add("/hook", Response("down", status=503))
    new_watch(Session, notify=f"webhook:{http_server.url}/hook")
    store(Session, posting("1", "Go job one"))
    no_sleep = lambda _s: None  # noqa: E731
    first = run_watch(Session, "go", engine.dialect.name, sleep=no_sleep)
    assert (first.new, first.delivered, first.pending) == (1, 0, 1)
    assert "HTTP 503" in first.error
    assert len(http_server.bodies) == 3  # retried within the run

    http_server.add("/hook", Response("ok"))
    store(Session, posting("2", "Go job two"))
    second = run_watch(Session, "go", engine.dialect.name, sleep=no_sleep)
    assert (second.new, second.delivered, second.pending) == (1, 2, 0)
    delivered = [json.loads(body) for _, body in http_server.bodies[3:]]
    assert [[p["title"] for p in d["postings"]] for d in delivered] == [["Go job one"], ["Go job two"]]
    assert delivered[0]["postings"][0]["schema_version"] == 1


def test_pay_changes_are_reported_when_asked(db_url):
    engine, Session = open_database(db_url)
    store(Session, posting("1", "Go job"), at=utcnow() - timedelta(days=1))
    new_watch(Session, pay_changes=True)
    run_watch(Session, "go", engine.dialect.name, out=io.StringIO())
    store(Session, posting("1", "Go job", pay_max=240000.0))
    out = io.StringIO()
    result = run_watch(Session, "go", engine.dialect.name, out=out)
    assert (result.new, result.pay_changes) == (0, 1)
    assert "pay changed: Go job" in out.getvalue() and "USD 150,000–240,000 / year" in out.getvalue()


@pytest.mark.parametrize("notify", ["email:me@example.org", "webhook:ftp://x", "file:", "stdout:"])
def test_bad_targets_are_rejected(db_url, notify):
    _, Session = open_database(db_url)
    with pytest.raises(WatchError, match="--notify"), Session.begin() as s:
        add_watch(s, "x", PostingFilters(), notify)


def test_watch_cli(isolated_env, capsys):
    db = f"sqlite:///{isolated_env}/w.db"
    _, Session = open_database(db)

    def cli(*argv):
        code = main([*argv, "--db", db])
        return code, *capsys.readouterr()

    assert (
        cli("watch", "add", "remote-go", "--skill", "golang", "--workplace", "remote", "--notify", "stdout")[0] == 0
    )
    code, _, err = cli("watch", "add", "remote-go", "--notify", "stdout")
    assert code == 2 and "exists already" in err
    code, _, err = cli("watch", "add", "bad", "--notify", "pigeon")
    assert code == 2 and "--notify" in err
    store(Session, posting("7", "Remote Go job"))
    code, out, err = cli("watch", "run")
    assert code == 0 and "Remote Go job" in out and "1 new" in err
    listed = json.loads(cli("watch", "list", "--format", "json")[1])
    assert listed[0]["name"] == "remote-go" and listed[0]["filters"]["skills"] == ["Go"]
    assert cli("watch", "remove", "remote-go")[0] == 0
    code, _, err = cli("watch", "run", "remote-go")
    assert code == 2 and "no watch named" in err


def test_stdout_lines_read_as_text(db_url):
    engine, Session = open_database(db_url)
    new_watch(Session, pay_changes=True)
    store(Session, posting("1", "Go job", pay_max=180000.0))
    out = io.StringIO()
    run_watch(Session, "go", engine.dialect.name, out=out)
    assert "USD 150,000–180,000 / year" in out.getvalue()
    store(Session, posting("1", "Go job", pay_max=195000.5))
    out = io.StringIO()
    run_watch(Session, "go", engine.dialect.name, out=out)
    line = out.getvalue().strip()
    assert line.endswith("pay changed: Go job: USD 150,000–180,000 / year -> USD 150,000–195,000.50 / year"), line
    assert "{" not in line and "'" not in line and "None" not in line


def test_relative_feed_path_is_resolved_when_the_watch_is_added(isolated_env, capsys, monkeypatch, tmp_path):
    db = f"sqlite:///{isolated_env}/w.db"
    monkeypatch.chdir(tmp_path)
    assert main(["watch", "add", "feed", "--notify", "file:feeds/go.xml", "--backfill", "--db", db]) == 0
    assert str(tmp_path / "feeds" / "go.xml") in capsys.readouterr().out
    monkeypatch.chdir(isolated_env / "config" if (isolated_env / "config").is_dir() else "/")
    _, Session = open_database(db)
    store(Session, posting("1", "Go job"))
    assert main(["watch", "run", "--db", db]) == 0
    assert (tmp_path / "feeds" / "go.xml").exists()
    listed = json.loads((main(["watch", "list", "--format", "json", "--db", db]), capsys.readouterr().out)[1])
    assert listed[0]["notify"] == f"file:{tmp_path / 'feeds' / 'go.xml'}"


def test_watch_list_says_never_before_the_first_run(isolated_env, capsys):
    db = f"sqlite:///{isolated_env}/w.db"
    assert main(["watch", "add", "all-go", "--skill", "Go", "--backfill", "--notify", "stdout", "--db", db]) == 0
    assert main(["watch", "add", "new-go", "--skill", "Go", "--notify", "stdout", "--db", db]) == 0
    capsys.readouterr()
    assert main(["watch", "list", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "1970" not in out and out.count("last run never") == 2
    assert [
        w["last_run_at"]
        for w in json.loads((main(["watch", "list", "--format", "JSON", "--db", db]), capsys.readouterr().out)[1])
    ] == [None, None]


# --- hostile input: the Atom feed stays valid XML and valid Atom ---------------------------------------------
# C0 controls but NUL (PostgreSQL stores no NUL; the mapper test below sends one), tab and line feed; DEL; C1.
CONTROLS = "".join(chr(c) for c in (*range(0x01, 0x09), *range(0x0B, 0x20), 0x7F, 0x85, 0x9B))


def atom(name: str) -> str:
    return f"{{{ATOM}}}{name}"


def assert_valid_atom(feed_path) -> list[ET.Element]:
    """Parse the file with a real XML parser and check the Atom structure RFC 4287 requires; returns the entries."""
    root = ET.parse(feed_path).getroot()
    assert root.tag == atom("feed")
    for name in ("id", "title", "updated"):
        assert root.findtext(atom(name)), name
    assert root.find(atom("author")).findtext(atom("name")) == "jobscout"
    entries = root.findall(atom("entry"))
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.findtext(atom(name)), name
        for link in entry.findall(atom("link")):
            assert link.get("href").startswith(("http://", "https://"))
        text = "".join(entry.itertext())
        assert not set(text) & set(CONTROLS + "\x00"), repr(text)
    return entries


def test_atom_feed_stays_valid_whatever_stored_postings_hold(db_url, tmp_path):
    """Defence in depth: postings stored with control characters (by an older jobscout) still make valid XML."""
    engine, Session = open_database(db_url)
    feed = tmp_path / "go.xml"
    new_watch(Session, notify=f"file:{feed}")
    hostile = posting("1", f"Go{CONTROLS} job\x1b[31m")
    hostile.company = f"Acme{CONTROLS}"
    hostile.url = "javascript:alert(1)"
    store(Session, hostile)
    assert run_watch(Session, "go", engine.dialect.name).pending == 0
    (entry,) = assert_valid_atom(feed)
    assert entry.findtext(atom("title")).startswith("Go") and entry.find(atom("link")) is None
    store(Session, posting("2", "Second Go job"))
    second = run_watch(Session, "go", engine.dialect.name)
    assert (second.new, second.delivered, second.pending, second.error) == (1, 1, 0, None)
    assert len(assert_valid_atom(feed)) == 2


def test_control_characters_from_a_source_never_reach_the_feed(db_url, tmp_path):
    """Through the mapper: a Greenhouse job with every C0 control (NUL included) but tab and line feed."""
    from pipeline.normalize import normalize

    engine, Session = open_database(db_url)
    feed = tmp_path / "feed.xml"
    new_watch(Session, notify=f"file:{feed}")
    c0 = "\x00" + CONTROLS
    payload = {
        "id": 7,
        "title": f"Senior{c0} Go Engineer",
        "company_name": f"Acme{c0}",
        "location": {"name": f"Remote{c0}"},
        "content": f"<p>We write Go{c0} services.</p>",
        "absolute_url": "https://boards.greenhouse.io/acme/jobs/7",
    }
    job = normalize({"source": "greenhouse", "board": "acme", "external_id": "7", "url": None, "payload": payload})
    with Session.begin() as s:
        upsert_batch(s, [Sighting(job, payload, utcnow())])
    assert run_watch(Session, "go", engine.dialect.name).delivered == 1
    (entry,) = assert_valid_atom(feed)
    assert entry.findtext(atom("title")) == "Senior Go Engineer — Acme"
    store(Session, posting("2", "Second Go job"))
    assert run_watch(Session, "go", engine.dialect.name).pending == 0
    assert len(assert_valid_atom(feed)) == 2


def test_a_feed_left_invalid_by_an_older_jobscout_heals(db_url, tmp_path):
    engine, Session = open_database(db_url)
    feed = tmp_path / "go.xml"
    feed.write_text(
        f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="{ATOM}"><id>urn:jobscout:watch:go</id>'
        "<title>jobscout: go</title><updated>2026-11-01T00:00:00+00:00</updated>"
        "<entry><id>urn:jobscout:posting:99</id><title>Old\x01 Go\x1b job</title>"
        "<updated>2026-11-01T00:00:00+00:00</updated></entry></feed>"
    )
    new_watch(Session, notify=f"file:{feed}")
    store(Session, posting("1", "New Go job"))
    assert run_watch(Session, "go", engine.dialect.name).pending == 0
    titles = [e.findtext(atom("title")) for e in assert_valid_atom(feed)]
    assert titles == ["New Go job — Acme", "Old Go job"]


def test_write_atom_escapes_what_xml_cannot_hold(tmp_path):
    from storage.watches import write_atom

    feed = tmp_path / "feed.xml"
    p = posting("1", "Go\x00 \ud800job\ufffe & <b>co</b>").to_dict()
    p.update(id=1, url="data:text/html,<script>alert(1)</script>", first_seen_at="2026-11-01T00:00:00Z")
    write_atom(feed, {"watch": "go\x1b", "generated_at": "2026-11-02T00:00:00+00:00", "postings": [p]})
    (entry,) = assert_valid_atom(feed)
    assert entry.findtext(atom("title")) == "Go job & <b>co</b> — Acme"
    assert entry.find(atom("link")) is None


def test_watch_runs_are_serialised_and_deliver_once(db_url, tmp_path):
    """The scheduler, queue workers and `jobscout watch run` may finish together: one run at a time, each posting
    delivered once, and a run that cannot get the lock in time says so."""
    import threading

    from storage.locks import LockBusy
    from storage.watches import exclusive, run_all

    engine, Session = open_database(db_url)
    feed = tmp_path / "go.xml"
    new_watch(Session, notify=f"file:{feed}")
    store(Session, posting("1", "Go job one"), posting("2", "Go job two"))
    with exclusive(Session), pytest.raises(LockBusy), exclusive(Session, wait=0.3):
        pass
    results: list = []
    threads = [
        threading.Thread(target=lambda: results.extend(run_all(Session, engine.dialect.name))) for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.new for r in results) == [0, 0, 2] and sum(r.delivered for r in results) == 1
    assert feed.read_text().count("<entry>") == 2
