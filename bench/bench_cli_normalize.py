"""The issue's own measure: ``jobscout normalize --jsonl`` as a user runs it, against lxml, in the same run.

    python -m bench.bench_cli_normalize CORPUS_DIR [--repeat N] [--baseline-ref main]

Builds a JSONL file of the corpus Ashby postings (``title``, ``description`` as the HTML Ashby sends, ``location``)
and a copy of it repeated 10 times, then runs, as subprocesses, one after the other in rounds (so a busy moment of
the shared machine falls on every command alike):

- ``jobscout normalize --jsonl FILE`` (``crawler.cli.main``, in a script that also reports the CPU time of the
  process itself and of its workers apart) with ``--processes 1`` and with the default (one worker per
  core), over 1x and 10x the file, writing to a file;
- the lxml baseline: a fresh Python that reads the same file line by line, ``json.loads`` each line,
  ``lxml.html.fromstring(description).text_content()``, and writes the text as a JSON line;
- with ``--baseline-ref REF``: the same CLI commands from a git worktree of commit REF (e.g. ``main``), so the
  before/after figures come from one run.

Each figure is the best of ``--repeat`` rounds (default 3) after one warm-up round: wall time, and CPU time (user +
system of the command and every process it waited for: ``RUSAGE_CHILDREN``), postings/s, and the ratio to the
lxml run over the same file, and for the CLI the CPU time of the parent process and of its workers apart. The
commands run with a fresh, empty on-disk compile cache (``JOBSCOUT_CACHE_DIR``)
that the warm-up round fills, as a user's second run finds it; one extra row per code version runs with an empty
cache every time (the very first run after an install or a change to the parsers). The outputs of every
``normalize`` command over the same file are compared: they must be byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent

LXML_SCRIPT = """\
import json, sys
import lxml.html
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        if line.strip():
            record = json.loads(line)
            text = lxml.html.fromstring(record["description"]).text_content()
            out.write(json.dumps({"title": record["title"], "text": text}, ensure_ascii=False) + "\\n")
"""


# The CLI as the console script runs it, reporting at exit the CPU time of its own process and of the worker
# processes it waited for (the pool's), so that the parent's share is measured apart from the workers'.
CLI_SCRIPT = """\
import json, resource, sys
from crawler.cli import main
code = main(sys.argv[1:])
own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print("bench-cpu", json.dumps([own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime]), file=sys.stderr)
sys.exit(code)
"""


def ashby_records(items: Iterable[Any]) -> list[dict[str, str]]:
    """The JSONL records of the Ashby postings among ``items`` (``bench.corpus_postings.CorpusItem``s): title,
    description HTML and location, as a user would feed them to ``jobscout normalize --jsonl``."""
    records = []
    for item in items:
        if item.source != "ashby":
            continue
        payload = item.payload
        html = payload.get("descriptionHtml")
        if not payload.get("title") or not isinstance(html, str) or not html.strip():
            continue
        record = {"title": payload["title"], "description": html}
        if isinstance(payload.get("location"), str) and payload["location"]:
            record["location"] = payload["location"]
        records.append(record)
    return records


def jsonl(records: list[dict[str, str]], times: int = 1) -> str:
    """``records`` as JSON lines, the whole list ``times`` over."""
    block = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    return block * times


@dataclass
class Command:
    name: str
    argv: list[str]
    lines: int
    cwd: Path
    env: dict[str, str]
    output: Path
    fresh_cache: Path | None = None  # emptied before every run
    group: str = ""  # commands of one group read the same file and must write the same bytes
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    splits: list[tuple[float, float]] = field(default_factory=list)  # (parent, workers) CPU, from CLI_SCRIPT

    def run(self) -> None:
        if self.fresh_cache is not None:
            shutil.rmtree(self.fresh_cache, ignore_errors=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        with open(self.output, "wb") as out:
            done = subprocess.run(self.argv, cwd=self.cwd, env=self.env, stdout=out, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise RuntimeError(f"{self.name}: exit {done.returncode}: {done.stderr.decode(errors='replace')[-2000:]}")
        self.walls.append(wall)
        self.cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
        for line in done.stderr.decode(errors="replace").splitlines():
            if line.startswith("bench-cpu "):
                parent, workers = json.loads(line.split(" ", 1)[1])
                self.splits.append((parent, workers))


def measure(commands: list[Command], repeat: int) -> None:
    """One warm-up round, then ``repeat`` timed rounds, each running every command once in turn."""
    for command in commands:
        command.run()
    for command in commands:
        command.walls.clear()
        command.cpus.clear()
        command.splits.clear()
    for _ in range(repeat):
        for command in commands:
            command.run()


def figures(commands: list[Command]) -> list[dict[str, Any]]:
    """Each command's best wall and CPU time, postings/s, and its ratio to the lxml command of its file."""
    lxml = {c.lines: c for c in commands if c.name.startswith("lxml")}
    rows = []
    for c in commands:
        wall, cpu = min(c.walls), min(c.cpus)
        base = lxml.get(c.lines)
        # the parent/workers split of the run with the least CPU time
        parent, workers = c.splits[c.cpus.index(cpu)] if len(c.splits) == len(c.cpus) else (None, None)
        rows.append(
            {
                "name": c.name,
                "lines": c.lines,
                "wall_s": wall,
                "cpu_s": cpu,
                "per_s_wall": c.lines / wall,
                "per_s_cpu": c.lines / cpu if cpu else float("inf"),
                "x_wall": wall / min(base.walls) if base else None,
                "x_cpu": cpu / min(base.cpus) if base and min(base.cpus) else None,
                "parent_cpu_s": parent,
                "workers_cpu_s": workers,
            }
        )
    return rows


def report(rows: list[dict[str, Any]], identical: dict[str, bool], repeat: int) -> str:
    """The table the benchmark prints."""
    lines = [
        f"jobscout normalize --jsonl against lxml text_content(), subprocesses, best of {repeat} rounds"
        " (CPU = the command and every process it waited for)",
        f"  {'command':<44}{'lines':>7}{'wall s':>9}{'CPU s':>9}{'/s wall':>9}{'/s CPU':>9}{'x lxml':>8}{'x CPU':>7}"
        f"{'parent':>8}{'workers':>8}",
    ]
    for r in rows:
        x_wall = f"{r['x_wall']:>8.2f}" if r["x_wall"] is not None else f"{'':>8}"
        x_cpu = f"{r['x_cpu']:>7.2f}" if r["x_cpu"] is not None else f"{'':>7}"
        split = f"{r['parent_cpu_s']:>8.3f}{r['workers_cpu_s']:>8.3f}" if r.get("parent_cpu_s") is not None else ""
        lines.append(
            f"  {r['name']:<44}{r['lines']:>7}{r['wall_s']:>9.3f}{r['cpu_s']:>9.3f}{r['per_s_wall']:>9.0f}"
            f"{r['per_s_cpu']:>9.0f}{x_wall}{x_cpu}{split}"
        )
    for group, same in identical.items():
        lines.append(f"  outputs over {group}: {'byte-identical' if same else 'DIFFER'}")
    return "\n".join(lines)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _worktree(ref: str, where: Path) -> None:
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(where), ref], check=True, capture_output=True
    )


def _remove_worktree(where: Path) -> None:
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "remove", "--force", str(where)], check=False, capture_output=True
    )


def build_commands(files: dict[int, Path], tmp: Path, versions: dict[str, Path]) -> list[Command]:
    """The commands of one run: lxml and, per code version (label -> checkout), the CLI with one process and with
    the default, over each file (lines -> path), and one empty-cache run over the smallest file."""
    commands: list[Command] = []
    base_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "JOBSCOUT_CACHE_DIR")}
    smallest = min(files)
    for lines, path in files.items():
        commands.append(
            Command(
                f"lxml x{lines // smallest}",
                [sys.executable, "-c", LXML_SCRIPT, str(path), str(tmp / f"lxml-{lines}.out")],
                lines,
                tmp,
                base_env,
                tmp / f"lxml-{lines}.stdout",
            )
        )
        for label, checkout in versions.items():
            env = {**base_env, "PYTHONPATH": str(checkout), "JOBSCOUT_CACHE_DIR": str(tmp / f"cache-{label}")}
            for procs in ("1", None):
                argv = [sys.executable, "-c", CLI_SCRIPT, "normalize", "--jsonl", str(path)]
                argv += ["--processes", procs] if procs else []
                name = f"{label} --processes {procs or 'default'} x{lines // smallest}"
                out = tmp / f"{label}-{procs}-{lines}.out"
                commands.append(Command(name, argv, lines, checkout, env, out, group=f"x{lines // smallest}"))
            if lines == smallest:
                cold = tmp / f"cold-{label}"
                env = {**env, "JOBSCOUT_CACHE_DIR": str(cold)}
                argv = [sys.executable, "-c", CLI_SCRIPT, "normalize", "--jsonl", str(path), "--processes", "1"]
                name = f"{label} --processes 1 x1, empty cache"
                out = tmp / f"{label}-cold-{lines}.out"
                commands.append(Command(name, argv, lines, checkout, env, out, fresh_cache=cold, group="x1"))
    return commands


def identical_outputs(commands: list[Command]) -> dict[str, bool]:
    groups: dict[str, set[str]] = {}
    for c in commands:
        if c.group:
            groups.setdefault(c.group, set()).add(_digest(c.output))
    return {group: len(digests) == 1 for group, digests in groups.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (the best is kept)")
    parser.add_argument("--times", type=int, default=10, help="the larger file: the postings this many times over")
    parser.add_argument("--baseline-ref", help="a git commit whose CLI runs in the same rounds (e.g. main)")
    args = parser.parse_args(argv)
    if not (args.corpus / "sources" / "ashby").is_dir():
        print(f"no sources/ashby under {args.corpus}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    from bench.corpus_postings import iter_items

    records = ashby_records(iter_items(args.corpus.resolve()))
    with tempfile.TemporaryDirectory(prefix="bench-cli-normalize-") as name:
        tmp = Path(name)
        files = {}
        for times in (1, args.times):
            path = tmp / f"ashby-x{times}.jsonl"
            path.write_text(jsonl(records, times), encoding="utf-8")
            files[len(records) * times] = path
        versions = {"now": REPO}
        if args.baseline_ref:
            versions = {f"base {args.baseline_ref}": tmp / "baseline", **versions}
            _worktree(args.baseline_ref, tmp / "baseline")
        try:
            commands = build_commands(files, tmp, versions)
            print(
                f"{len(records)} Ashby postings, files of {', '.join(map(str, files))} lines;"
                f" {os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            measure(commands, args.repeat)
            print(report(figures(commands), identical_outputs(commands), args.repeat))
        finally:
            if args.baseline_ref:
                _remove_worktree(tmp / "baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
