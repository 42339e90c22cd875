"""Speed of normalization on the real postings of the shared corpus, against lxml in the same run.

    python -m bench.bench_normalize CORPUS_DIR [--repeat N] [--baseline-ref main]

Prints:

- postings/s of ``pipeline.normalize.normalize`` (mapper + HTML -> text + every parser + merge) and of
  ``normalize_many`` (the same calls, stage by stage over chunks) next to
  ``lxml.html.fromstring(description).text_content()`` over the same descriptions, and the ratio (the goal is
  full normalization within 3x of that baseline);
- a per-stage budget (mapper, the fields' scrub and URL checks, ``html_to_text``, the one compiled scan of
  ``pipeline.scan``, each parser, the output as ``jobscout normalize --jsonl`` writes it), each stage twice: alone
  (its calls looped over every posting) and in normalize (its share of an instrumented run, see
  :func:`in_normalize`), as microseconds, a multiple of the lxml time and a share of the whole;
- ``BeautifulSoup(html, "lxml").get_text(" ")`` against lxml for the HTML -> text step (DESIGN.md: choose with
  the numbers);
- the time of a 1 MB posting (real descriptions concatenated, an adversarial one, and one dense with degrees and
  amounts, tests/test_normalize.py's) against a 100 KB one built the same way: a ratio near 10 means linear time;
  the last column compares each 1 MB time with the real text's;
- with ``--baseline-ref REF``: the same figures for the code of commit REF (a git worktree, measured by this file
  in a child process just before), side by side.

Times are the CPU time of this process (``time.process_time``): the machine is shared, and wall time counted other
processes' turns on the cores. Each figure is the best of ``--repeat`` runs (default 3) over the whole corpus, after
one warm-up run. Before every
run the parsers' per-input caches (the bounded ``lru_cache``s of ``pipeline.*``: titles, location strings, tags,
folded texts) are emptied, so each posting costs what a posting never seen before costs; the data loaders'
unbounded caches (taxonomy, automata, tables) stay, as in a crawl after its first posting.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html

from bench.corpus import load_corpus
from pipeline import scan
from pipeline.company import company_from_text
from pipeline.education import parse_education
from pipeline.employment import infer_employment_type
from pipeline.experience import parse_experience
from pipeline.location import parse_location, split_locations
from pipeline.mobility import parse_relocation, parse_visa_sponsorship
from pipeline.model import SourceFields
from pipeline.normalize import normalize, normalize_fields, scrub_fields
from pipeline.pay import parse_pay, primary_pay
from pipeline.role import classify_role
from pipeline.seniority import infer_seniority
from pipeline.skills import extract_skills
from pipeline.sources import get_mapper
from pipeline.sources.common import http_url
from pipeline.text import html_to_text
from pipeline.workplace import infer_workplace

try:  # absent from a --baseline-ref older than it
    from pipeline.normalize import CHUNK, normalize_many
except ImportError:
    CHUNK, normalize_many = 0, None


def input_caches() -> list[Any]:
    """The bounded ``functools.lru_cache`` wrappers of the loaded ``pipeline`` modules (keyed by an input: a title,
    a location, a text); unbounded ``cache``s hold data loaded once and are left alone."""
    found = {}
    for name, module in list(sys.modules.items()):
        if name != "pipeline" and not name.startswith("pipeline."):
            continue
        for value in vars(module).values():
            params = getattr(value, "cache_parameters", None)
            if callable(params) and params().get("maxsize") is not None:
                found[id(value)] = value
    return list(found.values())


def clear_input_caches() -> None:
    for wrapper in input_caches():
        wrapper.cache_clear()


def best_time(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall time of ``repeat`` calls of ``fn`` (after one warm-up call), with the GC paused and the parsers'
    per-input caches emptied before each call."""
    fn()
    best = float("inf")
    for _ in range(repeat):
        clear_input_caches()
        gc.collect()
        gc.disable()
        try:
            t0 = time.process_time()
            fn()
            best = min(best, time.process_time() - t0)
        finally:
            gc.enable()
    return best


def lxml_text(markup: str) -> str:
    return lxml.html.fromstring(markup).text_content()


def soup_text(markup: str) -> str:
    from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(markup, "lxml").get_text(" ")


class Item:
    """One corpus posting, mapped once, with its description and text ready for the per-stage timings."""

    __slots__ = ("fields", "markup", "raw", "text", "title")

    def __init__(self, raw: dict[str, Any]) -> None:
        self.raw = raw
        self.fields: SourceFields = get_mapper(raw["source"])(raw["payload"], raw["board"])
        self.markup = self.fields.description_html or self.fields.description_text or ""
        self.title = self.fields.title or ""
        self.text = self.fields.description_text or html_to_text(self.fields.description_html)


def stages(items: list[Item], postings: list[Any] | None = None) -> dict[str, Callable[[], None]]:
    """Each stage of ``normalize`` alone over ``items``; ``postings`` (their normalized postings) adds the output
    stage."""

    def loop(fn: Callable[[Item], Any]) -> Callable[[], None]:
        def run() -> None:
            for it in items:
                fn(it)

        return run

    return {
        "mapper": loop(lambda it: get_mapper(it.raw["source"])(it.raw["payload"], it.raw["board"])),
        "fields (scrub, URLs, company)": loop(_fields_stage),
        "html_to_text": loop(lambda it: it.fields.description_text or html_to_text(it.fields.description_html)),
        "scan (pipeline.scan)": loop(lambda it: scan.hits(it.text)),
        "pay": loop(lambda it: primary_pay(parse_pay(it.text))),
        "location": loop(lambda it: [parse_location(p) for loc in it.fields.locations for p in split_locations(loc)]),
        "workplace": loop(
            lambda it: infer_workplace(
                it.fields.workplace, it.fields.locations, it.text, it.title, source=it.raw["source"]
            )
        ),
        "seniority": loop(lambda it: infer_seniority(it.title, it.text)),
        "employment": loop(lambda it: infer_employment_type(it.fields.employment_type, it.title, it.text)),
        "experience": loop(lambda it: parse_experience(it.text)),
        "education": loop(lambda it: parse_education(it.text)),
        "skills": loop(
            lambda it: extract_skills(f"{it.title}\n{it.text}", it.fields.tags, company=it.fields.company)
        ),
        "role": loop(lambda it: classify_role(it.title, it.text)),
        "visa": loop(lambda it: parse_visa_sponsorship(it.text)),
        "relocation": loop(lambda it: parse_relocation(it.text)),
    } | ({"output (to_dict + JSON)": lambda: [_jsonl(p) for p in postings]} if postings else {})


def _fields_stage(it: Item) -> None:
    """What ``normalize_fields`` does to the mapped fields besides the parsers: control characters out of every
    field (``scrub_fields``; the description's text is the scan's first question), the URLs checked, the company
    named from the text when no field names it."""
    scrub_fields(it.fields)
    company_from_text(it.text)
    http_url(it.fields.url)
    http_url(it.fields.apply_url)


def _jsonl(posting: Any) -> str:
    """What ``jobscout normalize --jsonl`` writes for a posting (``Posting.to_json``; a baseline older than it:
    ``json.dumps`` of ``to_dict``, the same text)."""
    if hasattr(posting, "to_json"):
        return posting.to_json()
    return json.dumps(posting.to_dict(), ensure_ascii=False)


# The calls ``normalize`` makes, by the name it calls them under (in pipeline.normalize, and pipeline.scan.hits),
# grouped into the stages of the budget.
IN_NORMALIZE = {
    "_mapped": "mapper",
    "company_for": "fields (scrub, URLs, company)",
    "scrub_fields": "fields (scrub, URLs, company)",
    "strip_controls": "fields (scrub, URLs, company)",
    "company_from_text": "fields (scrub, URLs, company)",
    "http_url": "fields (scrub, URLs, company)",
    "html_to_text": "html_to_text",
    "hits": "scan (pipeline.scan)",
    "parse_pay": "pay",
    "primary_pay": "pay",
    "split_locations": "location",
    "parse_location": "location",
    "infer_workplace": "workplace",
    "infer_seniority": "seniority",
    "infer_employment_type": "employment",
    "parse_experience": "experience",
    "parse_education": "education",
    "extract_skills": "skills",
    "classify_role": "role",
    "parse_visa_sponsorship": "visa",
    "parse_relocation": "relocation",
}


def in_normalize(raws: list[Any], repeat: int) -> tuple[dict[str, float], float]:
    """Each stage's share of ``normalize`` as it runs there: every call in :data:`IN_NORMALIZE` wrapped with a
    ``perf_counter`` clock (a stage's own time, without the stages it calls), over the whole corpus ``repeat``
    times; the run with the least total time is kept. Returns (stage -> share, share of the rest: the glue of
    ``normalize_fields``, the ``Posting`` and the wrappers themselves). Shares, not seconds: the wrapped run is
    wall time (CPU time is a system call here, ~1 us, too dear to read around every call), which the caller
    applies to the CPU time of the plain run."""
    import pipeline.normalize as module

    acc: dict[str, float] = {}
    inner = [0.0]  # time spent in wrapped calls below the current one
    clock = time.perf_counter

    def wrap(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            outer, inner[0] = inner[0], 0.0
            t0 = clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = clock() - t0
                acc[stage] = acc.get(stage, 0.0) + spent - inner[0]
                inner[0] = outer + spent

        return timed

    originals = {name: getattr(module, name) for name in IN_NORMALIZE if name != "hits"}
    original_hits = scan.hits
    best: tuple[float, dict[str, float]] = (float("inf"), {})
    try:
        for name, fn in originals.items():
            setattr(module, name, wrap(IN_NORMALIZE[name], fn))
        scan.hits = wrap(IN_NORMALIZE["hits"], original_hits)
        for _ in range(repeat + 1):  # the first run warms up
            acc.clear()
            clear_input_caches()
            gc.collect()
            gc.disable()
            try:
                t0 = clock()
                for raw in raws:
                    normalize(raw)
                total = clock() - t0
            finally:
                gc.enable()
            if total < best[0]:
                best = (total, dict(acc))
    finally:
        for name, fn in originals.items():
            setattr(module, name, fn)
        scan.hits = original_hits
    total, stage_s = best
    return {name: seconds / total for name, seconds in stage_s.items()}, 1 - sum(stage_s.values()) / total


def _big_html(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


ADVERSARIAL_UNIT = (
    "<p>$1-$2 - $3 to $4k USD 5 000 € 1,2,3,4,5,6,7,8,9 per per per hour/hr/yr p.a. up to from DOE "
    "not a remote role remote-first remote hybrid on-site onsite EMEA UTC+3 (US only) Remote (((( [[[[ "
    "5+ years 3-5 years at least seven years of of of bachelor's master's PhD or equivalent experience "
    "Sr. SWE II III L5 senior staff principal lead manager intern full-time part-time contract "
    "visa sponsorship relocation not available C# C++ .NET Node.js CI/CD k8s go Go rust Rust "
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 1111111111111111111111111 "
    "- - - - - - - - , , , , , ; ; ; : : : $$$$$$$$ €€€€ ££££ kkkk KKK 0.0.0.0.0.0.0.0</p>\n"
    "<li>Pay: $X - $Y per hour</li><li>Job Type: Full-time</li><li>Work Location: In person</li>"
)


# tests/test_normalize.py's one-megabyte posting dense with degrees and amounts (plain text, as ``jobscout
# normalize`` reads it): the education parser judged each of its ~11,000 "BS/MS" (~4 s before pipeline.scan).
DEGREES_UNIT = "$1-$2 - 3 to 4k USD € ((((( 1,1,1,1,1 remote not remote hybrid 5+ years of of of BS/MS "


def linearity(items: list[Item]) -> list[tuple[str, float, float]]:
    """(name, seconds for 100 KB, seconds for 1 MB) for a real-text posting, an adversarial one and one dense with
    degrees."""
    real_unit = "\n".join(it.markup for it in items if it.fields.description_html)[:400_000]
    out = []
    for name, unit, html in (
        ("real text", real_unit, True),
        ("adversarial", ADVERSARIAL_UNIT, True),
        ("dense degrees", DEGREES_UNIT, False),
    ):
        times = []
        for size in (100_000, 1_000_000):
            body = _big_html(unit, size)
            fields = SourceFields(
                title="Senior Backend Engineer",
                external_id="big",
                description_html=body if html else None,
                description_text=None if html else body,
            )
            clear_input_caches()
            t0 = time.process_time()
            normalize_fields(fields, source="bench", board="bench")
            times.append(time.process_time() - t0)
        out.append((name, times[0], times[1]))
    return out


def run(corpus_dir: Path, repeat: int = 3) -> dict[str, Any]:
    corpus = load_corpus(corpus_dir)
    items = []
    for raw in corpus.postings:
        item = Item(raw)
        if item.markup.strip():
            items.append(item)
    raws = [it.raw for it in items]
    markups = [it.markup for it in items]
    html_markups = [it.fields.description_html for it in items if it.fields.description_html]

    t_lxml = best_time(lambda: [lxml_text(m) for m in markups], repeat)
    t_full = best_time(lambda: [normalize(r) for r in raws], repeat)
    t_many = best_time(lambda: normalize_many(raws), repeat) if normalize_many else None
    postings = [normalize(r) for r in raws]
    stage_times = {name: best_time(fn, repeat) for name, fn in stages(items, postings).items()}
    shares, rest = in_normalize(raws, repeat)
    t_lxml_html = best_time(lambda: [lxml_text(m) for m in html_markups], repeat)
    t_soup_html = best_time(lambda: [soup_text(m) for m in html_markups], 1)
    t_ours_html = best_time(lambda: [html_to_text(m) for m in html_markups], repeat)
    return {
        "counts": {s: len(v) for s, v in corpus.by_source().items()},
        "skipped": corpus.skipped,
        "n": len(items),
        "mean_bytes": round(sum(len(m.encode()) for m in markups) / max(len(markups), 1)),
        "lxml_s": t_lxml,
        "full_s": t_full,
        "many_s": t_many,
        "chunk": CHUNK,
        "stages_s": stage_times,
        "shares": shares,
        "rest_share": rest,
        "html_n": len(html_markups),
        "lxml_html_s": t_lxml_html,
        "soup_html_s": t_soup_html,
        "ours_html_s": t_ours_html,
        "linearity": linearity(items),
    }


SOUP_LABEL = 'BeautifulSoup(html, "lxml").get_text(" ")'


def report(r: dict[str, Any]) -> str:
    n = r["n"]

    def rate(seconds: float, count: int = n) -> str:
        return f"{count / seconds:>10,.0f}/s" if seconds > 0 else "         -"

    lines = [
        "corpus: " + ", ".join(f"{s} {c}" for s, c in r["counts"].items()) + f" (postings with a description: {n},"
        f" mean {r['mean_bytes']:,} B)",
    ]
    for source, why in r["skipped"].items():
        lines.append(f"skipped {source}: {why}")
    full = r["full_s"] + r["stages_s"].get("output (to_dict + JSON)", 0.0)
    many = (r["many_s"] or 0.0) + r["stages_s"].get("output (to_dict + JSON)", 0.0)
    lines += [
        "",
        f"{'step':<44}{'postings/s':>12}{'x lxml':>9}",
        f"{'lxml.html.fromstring(d).text_content()':<44}{rate(r['lxml_s'])}{1.0:>9.2f}",
        f"{'pipeline.normalize.normalize (all of it)':<44}{rate(r['full_s'])}{r['full_s'] / r['lxml_s']:>9.2f}",
        f"{'  + output, as normalize --jsonl':<44}{rate(full)}{full / r['lxml_s']:>9.2f}",
    ]
    if r["many_s"]:
        lines += [
            f"{'pipeline.normalize.normalize_many (chunks of ' + str(r['chunk']) + ')':<44}{rate(r['many_s'])}"
            f"{r['many_s'] / r['lxml_s']:>9.2f}",
            f"{'  + output, as normalize --jsonl':<44}{rate(many)}{many / r['lxml_s']:>9.2f}",
        ]
    lines += [
        "",
        "budget per stage (same postings; us per posting and x lxml = stage time / lxml time): alone = the stage's"
        " calls over every posting in a loop of their own; in normalize = its share of an instrumented normalize run"
        " applied to the CPU time of the plain one (share = of normalize + output)",
        f"  {'stage':<34}{'alone':>9}{'x lxml':>8}{'in norm.':>10}{'x lxml':>8}{'share':>8}",
    ]
    shares = r["shares"]

    def row(name: str, alone: float | None, inside: float) -> str:
        us = n / 1e6
        head = f"  {name:<34}" + (f"{alone / us:>9.0f}{alone / r['lxml_s']:>8.2f}" if alone is not None else " " * 17)
        return head + f"{inside / us:>10.0f}{inside / r['lxml_s']:>8.2f}{inside / full:>8.0%}"

    alone_sum = inside_sum = 0.0
    for name, seconds in r["stages_s"].items():
        inside = r["full_s"] * shares[name] if name in shares else seconds
        alone_sum += seconds
        inside_sum += inside
        lines.append(row(name, seconds, inside))
    rest = r["full_s"] * r["rest_share"]
    lines.append(row("rest of normalize (glue, Posting)", None, rest))
    lines.append(row("sum", alone_sum, inside_sum + rest))
    lines.append(
        f"  in normalize / alone: {inside_sum / alone_sum:.2f} (the same calls interleaved per posting, not looped"
        " per stage)"
    )
    lines += [
        "",
        f"HTML -> text on the {r['html_n']} HTML descriptions:",
        f"  {'lxml text_content()':<42}{rate(r['lxml_html_s'], r['html_n'])}{1.0:>9.2f}",
        f"  {'pipeline.text.html_to_text':<42}{rate(r['ours_html_s'], r['html_n'])}"
        f"{r['ours_html_s'] / r['lxml_html_s']:>9.2f}",
        f"  {SOUP_LABEL:<42}{rate(r['soup_html_s'], r['html_n'])}{r['soup_html_s'] / r['lxml_html_s']:>9.2f}",
        "",
        "one big posting (normalize_fields), 100 KB vs 1 MB (ratio ~10 = linear; x real = 1 MB time / real text's):",
    ]
    real_mb = r["linearity"][0][2]
    for name, small, big in r["linearity"]:
        lines.append(
            f"  {name:<16} 100 KB {small * 1000:8.1f} ms   1 MB {big * 1000:8.1f} ms   ratio {big / small:5.1f}"
            f"   x real {big / real_mb:5.1f}"
        )
    return "\n".join(lines)


def baseline_in_child(ref: str, corpus: Path, repeat: int) -> dict[str, Any]:
    """This benchmark over the code of git commit ``ref`` (a ``git worktree`` of it first on ``PYTHONPATH``), in a
    fresh process: the figures of the baseline, from the same measuring code."""
    import os
    import subprocess
    import tempfile

    repo = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp) / "baseline"
        subprocess.run(
            ["git", "-C", str(repo), "worktree", "add", "--detach", str(where), ref], check=True, capture_output=True
        )
        try:
            argv = [sys.executable, str(Path(__file__).resolve()), str(corpus), "--repeat", str(repeat), "--json"]
            env = {**os.environ, "PYTHONPATH": str(where)}
            out = subprocess.run(argv, check=True, capture_output=True, text=True, cwd=where, env=env).stdout
        finally:
            subprocess.run(
                ["git", "-C", str(repo), "worktree", "remove", "--force", str(where)],
                check=False,
                capture_output=True,
            )
    return json.loads(out.strip().splitlines()[-1])


def compare(base: dict[str, Any], now: dict[str, Any], ref: str) -> str:
    """The baseline's and this code's figures side by side, each as a multiple of its own lxml time."""
    n = now["n"]

    def inside(r: dict[str, Any]) -> dict[str, float]:
        out = {
            name: r["full_s"] * r["shares"][name] if name in r["shares"] else s for name, s in r["stages_s"].items()
        }
        out["rest of normalize (glue, Posting)"] = r["full_s"] * r["rest_share"]
        return out

    def total(r: dict[str, Any], key: str = "full_s") -> float:
        return (r[key] or 0.0) + r["stages_s"].get("output (to_dict + JSON)", 0.0)

    lines = [
        f"baseline {ref} against this code, measured one after the other in this run (us per posting; x = its own"
        " lxml time):",
        f"  {'':<36}{'baseline':>10}{'x lxml':>8}{'now':>10}{'x lxml':>8}",
        f"  {'lxml text_content()':<36}{base['lxml_s'] / n * 1e6:>10.0f}{1:>8.2f}{now['lxml_s'] / n * 1e6:>10.0f}"
        f"{1:>8.2f}",
    ]

    def row(name: str, b: float, a: float) -> str:
        return (
            f"  {name:<36}{b / n * 1e6:>10.0f}{b / base['lxml_s']:>8.2f}{a / n * 1e6:>10.0f}{a / now['lxml_s']:>8.2f}"
        )

    lines.append(row("normalize + output", total(base), total(now)))
    if now.get("many_s"):
        if base.get("many_s"):
            lines.append(row("normalize_many + output", total(base, "many_s"), total(now, "many_s")))
        else:
            lines.append(row("normalize_many + output (base: normalize)", total(base), total(now, "many_s")))
    lines.append("  in normalize, per stage:")
    b_in, a_in = inside(base), inside(now)
    for name in dict.fromkeys([*b_in, *a_in]):
        lines.append(row("  " + name, b_in.get(name, 0.0), a_in.get(name, 0.0)))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per figure (best is kept)")
    parser.add_argument("--baseline-ref", help="a git commit to measure in the same run as the baseline (e.g. main)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON (what --baseline-ref reads)")
    args = parser.parse_args(argv)
    if not (args.corpus / "sources").is_dir():
        print(f"no sources/ under {args.corpus}", file=sys.stderr)
        return 2
    base = baseline_in_child(args.baseline_ref, args.corpus.resolve(), args.repeat) if args.baseline_ref else None
    now = run(args.corpus, args.repeat)
    if args.json:
        print(json.dumps(now))
        return 0
    print(report(now))
    if base is not None:
        print()
        print(compare(base, now, args.baseline_ref))
    return 0


if __name__ == "__main__":
    sys.exit(main())
