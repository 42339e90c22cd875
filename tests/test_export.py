"""`jobscout export` on SQLite and PostgreSQL: csv, jsonl and parquet, verified by content."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest

from crawler.cli import main
from storage.flat import NAMES
from tests.sample_postings import OPEN_BACKEND, SAMPLE, build_sample


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def sample(db_url):
    build_sample(db_url)
    return db_url


def test_csv_to_stdout(sample, capsys):
    code, out, _ = run(capsys, "export", "--format", "csv", "--db", sample)
    assert code == 0
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames) == NAMES
    rows = list(reader)
    assert sorted(r["external_id"] for r in rows) == list(OPEN_BACKEND)
    a = next(r for r in rows if r["external_id"] == "a")
    assert (a["skills"], a["pay_annual_min"], a["pay_currency"], a["workplace"]) == (
        "Go;PostgreSQL",
        "100000.0",
        "USD",
        "remote",
    )
    assert a["first_seen_at"] == "2026-11-02T10:00:00Z"
    assert a["closed_at"] == ""


def test_jsonl_to_file_with_filters(sample, tmp_path, capsys):
    target = tmp_path / "go.jsonl"
    code, out, err = run(capsys, "export", "--format", "jsonl", "--skill", "Go", "-o", str(target), "--db", sample)
    assert code == 0 and out == ""
    assert "3 postings written" in err
    lines = target.read_text(encoding="utf-8").splitlines()
    postings = [json.loads(line) for line in lines]
    assert [p["external_id"] for p in postings] == ["a", "b", "d"]  # oldest id first
    assert all(p["schema_version"] == 1 and "Go" in p["skills"] for p in postings)
    assert postings[0]["sources"][0]["source"] == "greenhouse"
    assert not list(tmp_path.glob(".*.tmp"))


def test_include_closed_and_all_roles(sample, capsys):
    code, out, _ = run(capsys, "export", "--format", "jsonl", "--include-closed", "--all-roles", "--db", sample)
    assert code == 0
    postings = [json.loads(line) for line in out.splitlines()]
    assert sorted(p["external_id"] for p in postings) == sorted(SAMPLE)
    closed = {p["external_id"] for p in postings if p["closed_at"]}
    assert closed == {"g"}
    assert {p["external_id"] for p in postings if not p["is_backend"]} == {"h"}


def test_parquet_round_trip(sample, tmp_path, capsys, monkeypatch):
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra (pyarrow) is not installed")
    from crawler.commands import export as export_module

    monkeypatch.setattr(export_module, "ROW_GROUP", 4)  # 6 postings -> row groups of 4 and 2
    target = tmp_path / "postings.parquet"
    code, _, err = run(capsys, "export", "--format", "parquet", "--output", str(target), "--db", sample)
    assert code == 0, err
    meta = pq.ParquetFile(target).metadata
    assert (meta.num_rows, meta.num_row_groups) == (6, 2)
    table = pq.read_table(target)
    assert table.column_names == list(NAMES)
    rows = {r["external_id"]: r for r in table.to_pylist()}
    assert sorted(rows) == list(OPEN_BACKEND)
    assert rows["b"]["skills"] == ["Go", "Kafka"]
    assert rows["c"]["pay_annual_max"] == 90000.0 and rows["c"]["pay_annual_min"] is None
    assert rows["e"]["city"] == "Berlin"
    assert rows["a"]["first_seen_at"].isoformat() == "2026-11-02T10:00:00+00:00"


def test_empty_export_still_writes_a_header(db_url, capsys, tmp_path):
    code, out, _ = run(capsys, "export", "--format", "csv", "--db", db_url)
    assert code == 0
    assert out.strip() == ",".join(NAMES)
    pq = pytest.importorskip("pyarrow.parquet", reason="the parquet extra (pyarrow) is not installed")
    target = tmp_path / "none.parquet"
    assert run(capsys, "export", "--format", "parquet", "-o", str(target), "--db", db_url)[0] == 0
    assert pq.read_table(target).num_rows == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["export"], "--format"),
        (["export", "--format", "xlsx"], "--format"),
        (["export", "--format", "csv", "--workplace", "moon"], "--workplace"),
        (["export", "--format", "csv", "--country", "USA"], "--country"),
        (["export", "--format", "csv", "--posted-since", "soon"], "not a date"),
        (["export", "--format", "csv", "--output", "/nonexistent-dir/x.csv"], "cannot write"),
    ],
)
def test_bad_input_is_one_line_exit_2(isolated_env, capsys, argv, message):
    code, _, err = run(capsys, *argv)
    assert code == 2
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("jobscout: error:"), err
    assert message in err


def test_parquet_needs_output(isolated_env, capsys):
    pytest.importorskip("pyarrow", reason="the parquet extra (pyarrow) is not installed")
    code, _, err = run(capsys, "export", "--format", "parquet")
    assert code == 2 and err.strip() == "jobscout: error: --format parquet writes a file: give --output FILE.parquet"


def test_parquet_without_pyarrow_names_the_extra(isolated_env, capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    code, _, err = run(capsys, "export", "--format", "parquet", "-o", str(tmp_path / "x.parquet"))
    assert code == 2
    assert err.strip() == (
        'jobscout: error: --format parquet needs pyarrow, which is not installed: pip install -e ".[parquet]"'
    )
