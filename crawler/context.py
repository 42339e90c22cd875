"""What every command shares: the resolved configuration and the database, opened on first use."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from crawler.config import Config, ConfigError, resolve


class UserError(Exception):
    """A mistake the user can fix: printed as one line, exit code 2."""


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
            from storage.db import DatabaseURLError, open_database

            url = self.config.db_url
            try:
                self._db = open_database(url)
            except DatabaseURLError as exc:
                raise UserError(str(exc)) from exc
            except OperationalError as exc:
                reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
                raise UserError(f"cannot open database {safe_url(url)}: {reason}") from exc
        return self._db

    def session(self) -> Session:
        return self.database()[1]()

    def read_session(self) -> Session:
        """A session for reading only (never takes SQLite's write lock, so it never holds up a crawl)."""
        from storage.db import read_only_session_factory

        return read_only_session_factory(self.database()[0])()


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url
