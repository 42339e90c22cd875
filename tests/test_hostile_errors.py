"""Hostile input and faults (issue 25): one clear line instead of a traceback.

Every case runs ``jobscout`` (in this process where no crawl starts, else the real command in a subprocess) and
checks the exit code (2 for input the user can fix, 1 for a fault of the environment), that stderr is ONE line naming
the problem and holds no traceback, and, where the command could write something, that it did not.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from crawler.cli import main
from storage.db import dispose_all, normalize_url, open_database
from storage.migrate import heads

TRACEBACK = "Traceback"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line(code: int, err: str, exit_code: int, *needles: str) -> str:
    """``err`` is one ``jobscout: error:`` line holding every needle, the exit code ``exit_code``."""
    assert TRACEBACK not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("jobscout: error:"), err
    for needle in needles:
        assert needle in lines[0], lines[0]
    assert code == exit_code, err
    return lines[0]


# --- mounts: a read-only directory and a full disk (root or CAP_SYS_ADMIN; skipped otherwise) --------------------
def _mount(*argv: str) -> None:
    try:
        done = subprocess.run(["mount", *argv], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        pytest.skip("no mount command")
    if done.returncode != 0:
        pytest.skip(f"cannot mount here (needs root or CAP_SYS_ADMIN): {done.stderr.strip()}")


@contextlib.contextmanager
def read_only(where: Path):
    """``where`` (a directory, with what it holds) bind-mounted read-only onto itself: even root cannot write."""
    _mount("--bind", str(where), str(where))
    try:
        done = subprocess.run(["mount", "-o", "remount,bind,ro", str(where)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("cannot remount read-only here")
        yield where
    finally:
        dispose_all()
        subprocess.run(["umount", "-l", str(where)], check=False)


@contextlib.contextmanager
def full_disk(where: Path):
    """A 1 MB tmpfs at ``where``, filled to the last byte."""
    where.mkdir()
    _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where))
    try:
        with open(where / "filler", "wb", buffering=0) as fh, contextlib.suppress(OSError):
            while shutil.disk_usage(where).free > 0:
                fh.write(b"\0" * 4096)
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


# --- the database -----------------------------------------------------------------------------------------------
NOT_DATABASES = {
    "text": b"hello, I am a text file\n" * 40,
    "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8,
    "binary": bytes((i * 7919) % 251 for i in range(8192)),
}


@pytest.mark.parametrize("kind", sorted(NOT_DATABASES))
def test_a_file_that_is_not_a_database_is_one_line_and_left_alone(isolated_env, capsys, kind):
    path = isolated_env / f"not-a-db.{kind}"
    path.write_bytes(NOT_DATABASES[kind])
    code, _, err = run(capsys, "--db", str(path), "query")
    assert_one_line(code, err, 2, "cannot open database", str(path), "not a database")
    assert path.read_bytes() == NOT_DATABASES[kind]
    assert sorted(p.name for p in isolated_env.iterdir()) == [path.name]  # no -wal, no -shm, no journal


def test_a_database_newer_than_this_jobscout_is_one_line(isolated_env, capsys, db_url):
    (head,) = heads()
    newer = f"{int(head) + 3:04d}"
    engine, _ = open_database(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": newer})
    dispose_all()
    expected = f"database schema {newer} is newer than this jobscout ({head}): upgrade jobscout"
    for argv in (["query"], ["info"], ["db", "upgrade"]):
        code, _, err = run(capsys, "--db", db_url, *argv)
        assert_one_line(code, err, 2, expected)
        dispose_all()
    check = create_engine(normalize_url(db_url))
    with check.connect() as conn:  # nothing was migrated or stamped
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [newer]
    check.dispose()


def test_a_database_with_a_revision_this_jobscout_never_had_is_one_line(isolated_env, capsys, sqlite_url):
    engine, _ = open_database(sqlite_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    dispose_all()
    code, _, err = run(capsys, "--db", sqlite_url, "query")
    assert_one_line(code, err, 2, "'f00dcafe'", "not one this jobscout knows")


def test_a_database_in_a_missing_directory_creates_no_directory(isolated_env, capsys):
    missing = isolated_env / "nonexistent" / "dir"
    for db in (str(missing / "x.db"), f"sqlite:///{missing / 'x.db'}"):
        code, _, err = run(capsys, "--db", db, "query")
        assert_one_line(code, err, 2, f"directory {missing} does not exist")
        assert not (isolated_env / "nonexistent").exists()


def test_a_database_under_a_file_is_one_line(isolated_env, capsys):
    a_file = isolated_env / "plain.txt"
    a_file.write_text("not a directory\n")
    code, _, err = run(capsys, "--db", str(a_file / "x.db"), "query")
    assert_one_line(code, err, 2, f"{a_file} is not a directory")
    assert a_file.read_text() == "not a directory\n"


def test_the_default_data_directory_is_still_created(isolated_env, capsys):
    code, _, err = run(capsys, "query")
    assert code == 0, err
    assert (isolated_env / "data" / "jobscout.db").is_file()


def test_a_database_on_a_read_only_file_system_is_one_line(isolated_env, capsys, monkeypatch):
    ro = isolated_env / "ro"
    ro.mkdir()
    existing = ro / "existing.db"
    open_database(f"sqlite:///{existing}")
    dispose_all()
    before = {p.name: p.read_bytes() for p in ro.iterdir()}
    with read_only(ro):
        for db, needle in (
            (existing, f"{ro} is not writable"),
            (ro / "new.db", f"{ro} is not writable"),
            (ro / "sub" / "new.db", f"directory {ro / 'sub'} does not exist"),
        ):
            code, _, err = run(capsys, "--db", str(db), "query")
            assert_one_line(code, err, 2, "cannot open database", needle)
        monkeypatch.setenv("JOBSCOUT_DATA_DIR", str(ro / "data"))  # the default database, under a read-only dir
        code, _, err = run(capsys, "query")
        assert_one_line(code, err, 2, f"cannot create the data directory {ro / 'data'}", "Read-only file system")
        assert {p.name: p.read_bytes() for p in ro.iterdir()} == before


# --- dates and durations out of range ----------------------------------------------------------------------------
HUGE = "9" * 5000  # more digits than int() converts


@pytest.mark.parametrize(
    "argv",
    [
        ["query", "--posted-since", "99999999d"],
        ["query", "--seen-since", "99999999w"],
        ["query", "--posted-since", f"{HUGE}h"],
        ["export", "--format", "csv", "--posted-since", "99999999d"],
        ["changes", "--since", "99999999d"],
        ["db", "prune", "--closed-before", "99999999d"],
        ["db", "prune", "--raw-older-than", "9999999999999d"],
        ["stats", "--growth", "99999999d"],
        ["stats", "--growth", f"{HUGE}d"],
        ["watch", "add", "w", "--notify", "stdout", "--posted-since", "99999999d"],
    ],
    ids=lambda argv: " ".join(a[:12] for a in argv),
)
def test_an_age_out_of_range_is_one_line_and_exit_2(isolated_env, capsys, argv):
    code, out, err = run(capsys, *argv)
    assert_one_line(code, err, 2, "out of range")
    assert out == ""


# --- filters ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--min-pay", "nan"),
        ("--min-pay", "inf"),
        ("--min-pay", "-inf"),
        ("--min-pay", "1e400"),
        ("--min-pay", "-1"),
        ("--max-pay", "NaN"),
        ("--max-pay", "infinity"),
    ],
)
def test_a_pay_that_is_not_a_finite_amount_is_exit_2(isolated_env, capsys, option, value):
    for command in (["query"], ["stats"], ["export", "--format", "csv"]):
        code, out, err = run(capsys, *command, option, value)
        assert_one_line(code, err, 2, option)
        assert out == ""


def test_an_unknown_source_is_exit_2_naming_the_known_ones(isolated_env, capsys):
    for argv in (
        ["query", "--source", "nosuch"],
        ["query", "--source", "greenhouse,nosuch"],
        ["stats", "--source", "nosuch"],
        ["export", "--format", "jsonl", "--source", "nosuch"],
        ["watch", "add", "w", "--notify", "stdout", "--source", "nosuch"],
    ):
        code, out, err = run(capsys, *argv)
        line = assert_one_line(code, err, 2, "--source", "'nosuch'", "greenhouse", "lever", "remotive")
        assert "'greenhouse'" not in line  # only the unknown one is named as unknown
        assert out == ""
    code, out, err = run(capsys, "query", "--source", "greenhouse", "--format", "json")
    assert (code, json.loads(out)) == (0, []), err


# --- spider arguments ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "accepted"),
    [
        (["greenhouse", "--boards", "x", "-a", "nosuch=1"], "base_url, board_configs, boards"),
        (["lever", "--boards", "x", "-a", "regoin=eu"], "base_url, board_configs, boards, page_size, region"),
        (["jsonld", "--urls", "http://127.0.0.1:1/a", "-a", "max_page=3"], "follow, max_pages, sitemap, urls"),
        (["hn", "-a", "threads=1"], "thread"),
    ],
)
def test_an_unknown_spider_argument_is_exit_2_naming_the_accepted_ones(
    isolated_env, capsys, sqlite_url, argv, accepted
):
    from storage import models

    # --base-url: a closed loopback port, so that a crawl that does start (the unfixed code) reaches no one
    code, _, err = run(capsys, "--db", sqlite_url, "crawl", *argv, "--base-url", "http://127.0.0.1:1")
    name = argv[argv.index("-a") + 1].split("=")[0]
    assert_one_line(code, err, 2, f"unknown argument {name!r}", accepted)
    _, Session = open_database(sqlite_url)
    with Session() as s:  # refused before anything started: no run, no lock
        assert s.scalars(select(models.CrawlRun)).all() == []
        assert s.scalars(select(models.CrawlLock)).all() == []


def test_spider_arguments_are_read_from_the_spiders_signatures():
    from scrapy.settings import Settings

    from crawler.runner import available_sources, spider_class

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    for source in available_sources(settings):
        accepted = spider_class(settings, source).arguments()
        assert {"boards", "base_url"} <= set(accepted), source
        assert "kwargs" not in accepted and "self" not in accepted and "args" not in accepted


# --- export -----------------------------------------------------------------------------------------------------
def test_export_into_a_read_only_directory_is_one_line_and_leaves_nothing(isolated_env, capsys, sqlite_url):
    ro = isolated_env / "out"
    ro.mkdir()
    open_database(sqlite_url)
    with read_only(ro):
        for fmt in ("csv", "jsonl"):
            target = ro / f"postings.{fmt}"
            code, out, err = run(capsys, "--db", sqlite_url, "export", "--format", fmt, "-o", str(target))
            assert_one_line(code, err, 2, f"cannot write {target}", "Read-only file system")
            assert out == ""
    assert list(ro.iterdir()) == []


def test_export_onto_a_full_disk_is_one_line_exit_1_and_leaves_nothing(isolated_env, capsys, sqlite_url):
    open_database(sqlite_url)
    with full_disk(isolated_env / "disk") as disk:
        target = disk / "postings.csv"
        code, out, err = run(capsys, "--db", sqlite_url, "export", "--format", "csv", "-o", str(target))
        assert_one_line(code, err, 1, f"cannot write {target}", "No space left on device")
        assert out == ""
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]  # no temp file, no partial export


# --- the network: one line per board --------------------------------------------------------------------------
def _fails_fast(host: str, within: float = 5.0) -> bool:
    """True when resolving ``host`` fails within ``within`` seconds (NXDOMAIN), False when it hangs or resolves."""
    result: list[bool] = []

    def resolve() -> None:
        try:
            socket.getaddrinfo(host, 80)
            result.append(False)
        except OSError:
            result.append(True)

    thread = threading.Thread(target=resolve, daemon=True)
    thread.start()
    thread.join(within)
    return bool(result and result[0])


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed when the socket is: connections are refused


@pytest.mark.parametrize("fault", ["dns", "refused"])
def test_an_unreachable_host_is_one_line_per_board(isolated_env, sqlite_url, fault):
    """``.invalid`` never resolves (RFC 6761: NXDOMAIN at once, even offline; the test skips if the resolver
    hangs instead); a closed loopback port refuses at once. Either way: failed, exit 1, and stderr holds one line per
    board plus the run's summary line: no retry messages, no robots.txt traceback."""
    from crawler import outcome
    from tests.crawling import crawl

    if fault == "dns":
        if not _fails_fast("nonexistent.invalid"):
            pytest.skip("the resolver does not answer NXDOMAIN for .invalid at once here")
        base_url = "http://nonexistent.invalid"
    else:
        base_url = f"http://127.0.0.1:{_closed_port()}"
    result = crawl("greenhouse", "--boards", "x,y", home=isolated_env, db_url=sqlite_url, base_url=base_url)
    assert result.returncode == outcome.exit_code(outcome.FAILED), result.stdout + result.stderr
    assert TRACEBACK not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    boards = [line for line in lines if "board greenhouse/" in line and " failed: " in line]
    assert sorted(line.split("board greenhouse/")[1].split()[0] for line in boards) == ["x", "y"], result.stderr
    reason = "DNS lookup failed" if fault == "dns" else "Connection was refused"
    assert all(reason in line for line in boards), result.stderr
    others = [line for line in lines if line not in boards]
    assert len(others) == 1 and "crawl run" in others[0] and ": failed (" in others[0], result.stderr
