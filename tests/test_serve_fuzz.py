"""An OpenAPI-driven fuzz of ``jobscout serve``'s API: schemathesis reads the app's OpenAPI document and generates
requests for every operation, values the document allows (positive) and values it does not (negative); hypothesis
runs them, bounded and derandomized. No request may end in a server error (5xx), and a 422 carries one message.

(schemathesis' own pytest plugin does not run under this pytest, so its strategies are driven by hypothesis here.)"""

from __future__ import annotations

import pytest

pytest.importorskip("schemathesis", reason='schemathesis is not installed: pip install -e ".[dev]"')

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from crawler.web.app import create_app
from storage.db import open_database, read_only_session_factory
from tests.serve_data import build_catalog

EXAMPLES = 40  # per operation and mode: enough to reach every parameter, quick on both backends
OPERATIONS = ["GET /api/postings", "GET /api/postings/{posting_id}", "GET /api/stats", "GET /api/skills", "GET /feed"]


@pytest.fixture(scope="module")
def catalog_app(tmp_path_factory):
    yield from _app("sqlite", tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def catalog_app_pg(tmp_path_factory):
    yield from _app("postgresql", tmp_path_factory.mktemp("fuzz-pg"))


def _app(backend, tmp_path):
    from tests.databases import database_url

    with database_url(backend, tmp_path) as url:
        build_catalog(url)
        engine, _ = open_database(url)
        yield create_app(read_only_session_factory(engine), dialect=engine.dialect.name)


def operations(app) -> dict[str, object]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        found[f"{operation.method.upper()} {operation.path}"] = operation
    return found


def fuzz(app, label: str, mode: GenerationMode) -> None:
    operation = operations(app)[label]

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        response = case.call()
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query}: {response.text[:500]}"
        if response.status_code == 422:
            detail = response.json()["detail"]
            assert isinstance(detail, str) and detail

    check()


def test_the_document_has_every_operation(catalog_app):
    assert sorted(operations(catalog_app)) == sorted(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_error_sqlite(catalog_app, label, mode):
    fuzz(catalog_app, label, mode)


@pytest.mark.postgres
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
@pytest.mark.parametrize("label", OPERATIONS)
def test_no_server_error_postgresql(catalog_app_pg, label, mode):
    fuzz(catalog_app_pg, label, mode)
