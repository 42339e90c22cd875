"""bench/bench_cli_normalize.py on a tiny fixture: the JSONL it feeds the CLI, how it runs and reads back a
command, and its report (no timing is asserted: only that the figures are read and laid out)."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

from bench import bench_cli_normalize as bench


def _item(source: str, **payload):
    return SimpleNamespace(source=source, payload=payload)


def test_ashby_records_keep_title_html_and_location():
    items = [
        _item("ashby", title="Platform Engineer", descriptionHtml="<p>Go, Postgres</p>", location="Lisbon"),
        _item("greenhouse", title="Not Ashby", content="<p>x</p>"),
        _item("ashby", title="No Description", descriptionHtml="  "),
        _item("ashby", title="", descriptionHtml="<p>untitled</p>"),
        _item("ashby", title="Remote SRE", descriptionHtml="<ul><li>Terraform</li></ul>", location=None),
    ]
    assert bench.ashby_records(items) == [
        {"title": "Platform Engineer", "description": "<p>Go, Postgres</p>", "location": "Lisbon"},
        {"title": "Remote SRE", "description": "<ul><li>Terraform</li></ul>"},
    ]


def test_jsonl_repeats_the_records():
    records = [{"title": "A", "description": "<p>ü</p>"}, {"title": "B", "description": "<p>b</p>"}]
    text = bench.jsonl(records, 3)
    lines = text.splitlines()
    assert len(lines) == 6 and text.endswith("\n")
    assert [json.loads(line)["title"] for line in lines] == ["A", "B"] * 3
    assert "ü" in lines[0]  # written as UTF-8, as a user's file would be


def test_the_cli_script_and_the_lxml_script_run_on_a_tiny_file(tmp_path):
    """One real run of each kind of command over two postings: the CLI reports its parent/worker CPU split, both
    write their output, and the report lays the figures out with the ratio to lxml."""
    source = tmp_path / "in.jsonl"
    source.write_text(
        bench.jsonl(
            [
                {"title": "Backend Engineer", "description": "<p>Python and Redis; remote in Spain.</p>"},
                {"title": "Data Engineer", "description": "<p>Spark, Airflow. 3+ years.</p>", "location": "Oslo"},
            ]
        ),
        encoding="utf-8",
    )
    env = {"JOBSCOUT_CACHE_DIR": "off", "PATH": "/usr/bin:/bin"}
    cli = bench.Command(
        "now --processes 1 x1",
        [sys.executable, "-c", bench.CLI_SCRIPT, "normalize", "--jsonl", str(source), "--processes", "1"],
        2,
        bench.REPO,
        env,
        tmp_path / "cli.out",
        group="x1",
    )
    lxml = bench.Command(
        "lxml x1",
        [sys.executable, "-c", bench.LXML_SCRIPT, str(source), str(tmp_path / "lxml.jsonl")],
        2,
        tmp_path,
        env,
        tmp_path / "lxml.stdout",
    )
    bench.measure([lxml, cli], repeat=1)
    assert len(cli.walls) == len(cli.cpus) == len(cli.splits) == 1 and len(lxml.splits) == 0
    outputs = [json.loads(line) for line in (tmp_path / "cli.out").read_text(encoding="utf-8").splitlines()]
    assert [o["title"] for o in outputs] == ["Backend Engineer", "Data Engineer"]
    texts = [json.loads(line)["text"] for line in (tmp_path / "lxml.jsonl").read_text(encoding="utf-8").splitlines()]
    assert texts == ["Python and Redis; remote in Spain.", "Spark, Airflow. 3+ years."]
    rows = bench.figures([lxml, cli])
    assert rows[0]["x_wall"] == 1.0 and rows[1]["x_wall"] == cli.walls[0] / lxml.walls[0]
    assert rows[1]["parent_cpu_s"] == cli.splits[0][0]
    text = bench.report(rows, bench.identical_outputs([lxml, cli]), 1)
    assert "now --processes 1 x1" in text and "lxml x1" in text and "outputs over x1: byte-identical" in text


def test_identical_outputs_tells_differing_files(tmp_path):
    def command(name: str, body: bytes, group: str):
        path = tmp_path / name
        path.write_bytes(body)
        return bench.Command(name, [], 1, tmp_path, {}, path, group=group)

    same = [command("a", b"x\n", "x1"), command("b", b"x\n", "x1")]
    differ = [command("c", b"y\n", "x10"), command("d", b"z\n", "x10")]
    assert bench.identical_outputs(same + differ) == {"x1": True, "x10": False}
