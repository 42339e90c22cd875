"""Test databases: a fresh SQLite file, or a fresh PostgreSQL database when JOBSCOUT_TEST_PG_URL points at a
server (``.ci/run`` starts one); the PostgreSQL variants skip with a clear reason when none is reachable."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_ENV = "JOBSCOUT_TEST_PG_URL"


def _pg_admin_url() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (e.g. postgresql://user:pw@127.0.0.1:5432/postgres)")
    return url


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a throwaway database on the test server and drop it afterwards."""
    admin_url = make_url(_pg_admin_url()).set(drivername="postgresql+psycopg")
    name = f"jobscout_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        pytest.skip(f"PostgreSQL at {admin_url.render_as_string()} not reachable: {exc.__class__.__name__}")
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        from storage.db import dispose_all

        dispose_all()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "postgresql":
        with postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path / 'jobscout.db'}"
        from storage.db import dispose_all

        dispose_all()
