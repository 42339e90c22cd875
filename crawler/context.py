"""What every command shares: the resolved configuration and the database, opened on first use."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.config import Config, ConfigError, resolve

if TYPE_CHECKING:  # SQLAlchemy is imported when a command opens a database, not by every command
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker


class UserError(Exception):
    """A mistake the user can fix: printed as one line, exit code 2."""


class RuntimeFault(Exception):
    """A fault of the environment, not of the input (a disk that filled while writing): one line, exit code 1."""


@dataclass
class AppContext:
    db_flag: str | None = None
    _db: tuple[Engine, sessionmaker[Session]] | None = field(default=None, repr=False)

    @cached_property
    def config(self) -> Config:
        from crawler.settings import environment

        try:
            return resolve(environment(), db_flag=self.db_flag)
        except ConfigError as exc:
            raise UserError(str(exc)) from exc

    def with_db(self, db_url: str | None) -> AppContext:
        """A context whose database is ``db_url`` when a subcommand got its own --db."""
        if db_url:
            self.db_flag = db_url
            self.__dict__.pop("config", None)
            self._db = None
        return self

    def database(self) -> tuple[Engine, sessionmaker[Session]]:
        """Engine and session factory, schema brought up to date on first use."""
        if self._db is None:
            from storage.db import open_database

            url = self.config.db_url
            with opening_database(url):
                self.ensure_data_dir()
                engine, sessions = open_database(url)
                self.sync_boards(sessions)
                self._db = engine, sessions
        return self._db

    def sync_boards(self, sessions) -> None:
        """Load the registry and the user's boards files into the boards table where new (crawler.boards.sync)."""
        from crawler.boards import sync

        try:
            sync(sessions, self.config.registry_file, self.config.boards_files)
        except ConfigError as exc:
            raise UserError(str(exc)) from exc

    def ensure_data_dir(self) -> None:
        """Create the default data directory (only that one: a --db/JOBSCOUT_DB_URL/config file path is used as
        given, and a directory missing there is the user's to create)."""
        if self.config.db_url_origin != "default":
            return
        try:
            self.config.data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise UserError(f"cannot create the data directory {self.config.data_dir}: {why}") from exc

    def session(self) -> Session:
        return self.database()[1]()

    def read_session(self) -> Session:
        """A session for reading only (never takes SQLite's write lock, so it never holds up a crawl)."""
        from storage.db import read_only_session_factory

        return read_only_session_factory(self.database()[0])()


@contextlib.contextmanager
def opening_database(url: str) -> Iterator[None]:
    """Whatever keeps the database at ``url`` from opening, as one line (UserError, exit 2): a bad URL, a missing
    directory, a file that is not a database, a read-only directory, a server that refuses, a schema newer than this
    jobscout."""
    from sqlalchemy.exc import DBAPIError

    from storage.db import DatabaseURLError
    from storage.migrate import SchemaError

    try:
        yield
    except (DatabaseURLError, SchemaError) as exc:
        raise UserError(str(exc)) from exc
    except DBAPIError as exc:
        reason = (str(exc.orig).strip().splitlines() or [""])[0] if exc.orig is not None else ""
        reason = reason or type(exc.orig or exc).__name__
        if (directory := _unwritable_sqlite_dir(url)) is not None:
            reason += f" ({directory} is not writable: a read-only file system?)"
        raise UserError(f"cannot open database {safe_url(url)}: {reason}") from exc


def _unwritable_sqlite_dir(url: str) -> Path | None:
    """The directory of a SQLite database file when this process cannot write to it (SQLite needs to: its WAL and
    shared-memory files live next to the database), else None."""
    from sqlalchemy.engine import make_url

    from storage.db import DatabaseURLError, normalize_url

    try:
        parsed = make_url(normalize_url(url))
    except (DatabaseURLError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    directory = Path(parsed.database).expanduser().parent
    return directory if directory.is_dir() and not os.access(directory, os.W_OK) else None


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url
