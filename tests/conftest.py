from __future__ import annotations

import os
from pathlib import Path

import pytest

# A small registry (a few boards per platform) instead of the shipped ~19,000 boards, so that a test database is not
# seeded with tens of thousands of rows; tests of the shipped file read it by path (tests/test_registry.py). Set
# before anything imports crawler.settings, and inherited by the crawls tests start as child processes.
TEST_REGISTRY = Path(__file__).resolve().parent / "data" / "registry.csv"
os.environ.setdefault("JOBSCOUT_REGISTRY", str(TEST_REGISTRY))
# No compile cache (pipeline/compile_cache.py) in the user's cache directory: the commands tests run build their
# tables; tests/test_compile_cache.py points the cache at a temporary directory.
os.environ.setdefault("JOBSCOUT_CACHE_DIR", "off")

from tests.corpus import require_corpus  # noqa: E402 -- after the environment above
from tests.databases import database_url  # noqa: E402
from tests.http_server import FixtureServer  # noqa: E402


@pytest.fixture
def corpus_dir():
    """The shared corpus directory; the test is skipped when it is absent."""
    return require_corpus()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A fresh, empty database on each backend (PostgreSQL skips when no server is configured)."""
    with database_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path):
    with database_url("sqlite", tmp_path) as url:
        yield url


@pytest.fixture
def http_server():
    with FixtureServer() as server:
        yield server


@pytest.fixture
def isolated_env(tmp_path, monkeypatch):
    """No user config, data dir or database leaks into a test: everything lives under tmp_path."""
    monkeypatch.setenv("JOBSCOUT_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("JOBSCOUT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("JOBSCOUT_DB_URL", raising=False)
    monkeypatch.delenv("JOBSCOUT_CONTACT", raising=False)
    return tmp_path
