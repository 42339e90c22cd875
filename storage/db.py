"""Engines and sessions from a database URL, and schema upgrades.

SQLite (the default) runs in WAL mode with a busy timeout so that a crawl writing and a user querying, or two
crawls of different sources, do not fail with "database is locked"; PostgreSQL is used as is.
"""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker

# Seconds a SQLite writer waits for another writer's lock before giving up. Crawl batches commit in well under a
# second, so 60 s only runs out when something is truly stuck.
SQLITE_BUSY_TIMEOUT_S = 60

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()
_upgraded: set[str] = set()


class DatabaseURLError(ValueError):
    """The database URL cannot be used (malformed, or an unsupported backend)."""


def normalize_url(url: str) -> str:
    """Accept a plain file path as a SQLite database; use psycopg 3 for ``postgresql://`` URLs."""
    if "://" not in url:
        url = f"sqlite:///{Path(url).expanduser()}"
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseURLError(f"not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif backend not in ("sqlite", "postgresql"):
        raise DatabaseURLError(f"unsupported database {backend!r}: use sqlite:///PATH or postgresql://...")
    return parsed.render_as_string(hide_password=False)


def get_engine(url: str) -> Engine:
    """One engine per URL per process (engines own connection pools; creating one per call would leak them)."""
    url = normalize_url(url)
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _create_engine(url)
            _engines[url] = engine
        return engine


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not parsed.query.get("uri"):
            _check_directory(Path(database).expanduser().parent)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if parsed.get_backend_name() == "postgresql":
        event.listen(engine, "connect", _postgresql_on_connect)
    return engine


def _postgresql_on_connect(dbapi_connection, _record) -> None:
    # JIT compiles a plan whose estimated cost passes jit_above_cost, and jobscout's statements are short reads whose
    # estimates can pass it without their run doing so: at 1M postings the pay sort spent 346 ms of a 536 ms run
    # compiling (docs/scale.md, "Queries and search at a million, second pass"); stats 0.6 s. Committed, because a
    # SET inside the transaction the driver opens would be undone by the pool's rollback.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("SET jit = off")
    finally:
        cursor.close()
    dbapi_connection.commit()


def _check_directory(directory: Path) -> None:
    """A SQLite file's directory must exist: no directory is created here (the CLI creates its default data directory
    itself, crawler.context); a typo in --db must not leave a tree of directories behind."""
    if directory.is_dir():
        return
    if directory.exists():
        raise DatabaseURLError(f"cannot open database in {directory}: {directory} is not a directory")
    ancestor = next((p for p in directory.parents if p.exists()), None)
    if ancestor is not None and not ancestor.is_dir():  # /etc/hostname/sub/x.db
        raise DatabaseURLError(f"cannot open database in {directory}: {ancestor} is not a directory")
    raise DatabaseURLError(f"cannot open database in {directory}: directory {directory} does not exist")


def _sqlite_on_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy emit BEGIN itself (see _sqlite_on_begin): pysqlite's implicit transactions defer the write
    # lock to the first write, which is what turns concurrent writers into "database is locked" errors.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_on_begin(conn) -> None:
    # Writers take the write lock up front (BEGIN IMMEDIATE): two deferred transactions that both read, then both
    # write, deadlock, and SQLite fails one at once instead of waiting. Readers (read_only sessions) must not take
    # it: a long export would block every crawl.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("jobscout_read_only") else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def read_only_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for commands that only read (query, export, stats): on SQLite they never take the write lock."""
    return sessionmaker(engine.execution_options(jobscout_read_only=True), expire_on_commit=False)


def ensure_schema(engine: Engine) -> bool:
    """Bring the schema up to the migrations' head (once per engine per process). Returns True if it upgraded."""
    key = engine.url.render_as_string(hide_password=False)
    if key in _upgraded:
        return False
    from storage.migrate import upgrade_if_needed

    changed = upgrade_if_needed(engine)
    _upgraded.add(key)
    return changed


def open_database(url: str) -> tuple[Engine, sessionmaker[Session]]:
    """Engine (schema up to date) and session factory for ``url``: what every command that reads or writes uses."""
    engine = get_engine(url)
    ensure_schema(engine)
    return engine, make_session_factory(engine)


def dispose_all() -> None:
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _upgraded.clear()
