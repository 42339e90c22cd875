"""Evaluate the skills extractor on the SkillSpan tech postings and on real ATS descriptions.

    python -m bench.eval_skills /work/shared/corpus [-v]

Figures (``evaluate(corpus_dir) -> dict``), per split of ``eval/skills_skillspan_tech_{dev,train}.jsonl``:

* **recall** over employer tags (``so_tags``) *named in the text*: a tag is named when
  - it resolves (like a structured tag, ``Taxonomy.lookup_tag``) to a taxonomy skill and one of that skill's prose
    spellings occurs in the text as a token sequence -- plain aliases in any case, ``exact``/``ambiguous``
    spellings in their required casing ("go" the verb does not name Go; "Go" does) -- or the tag itself (hyphens
    read as spaces too) occurs in any case, unless it is one of those case-restricted spellings;
  - or it is not in the taxonomy and the tag itself (hyphens read as spaces too) occurs in the text as a token
    sequence, case-insensitively -- such a tag always counts as a miss.
  recall = named tags whose skill we extracted from the text / named tags. Tags are *not* passed to the extractor.
* **precision**: extracted skills with at least one mention lying inside an occurrence of an expert-annotated
  knowledge or skill span (``gold_knowledge_spans`` + ``gold_skill_spans``, located by exact substring search),
  over extracted skills. "precision, annotated lines" counts only skills mentioned on a line holding some annotated
  span (the lines the annotators marked something on), a view of how often the unannotated rest of a posting is
  what lowers precision.

Plus, on real Greenhouse/Ashby descriptions from ``sources/``: skills per posting and the most frequent skills with
example evidence (to eyeball false positives), and -- only when asked (``speed=True``, the CLI does) -- postings/s
of ``extract_skills`` next to ``lxml.html.fromstring(html).text_content()`` over the same descriptions.
"""

from __future__ import annotations

import argparse
import html as html_lib
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.skills import Taxonomy, candidate_spans, extract_skills, find_mentions, load_taxonomy, tokenize

SPLITS = ("dev", "train")


def _token_seq(text: str) -> list[str]:
    return [t for t, _, _ in tokenize(text)]


class _Text:
    """A text's tokens (original and lowercased, with offsets) and its longest-match candidate spans."""

    def __init__(self, text: str) -> None:
        toks = tokenize(text)
        self.toks = [t for t, _, _ in toks]
        self.low = [t.lower() for t in self.toks]
        self.offsets = [(s, e) for _, s, e in toks]
        self.candidates = candidate_spans(text)

    def names(self, needle: list[str], skill: str | None, *, case_sensitive: bool) -> bool:
        """Whether ``needle`` occurs as a token sequence that is not part of a longer spelling of another skill
        ("Apache" inside "Apache Kafka" names Kafka, not the Apache HTTP Server)."""
        if not needle:
            return False
        hay = self.toks if case_sensitive else self.low
        n = len(needle)
        for i, tok in enumerate(hay):
            if tok == needle[0] and hay[i : i + n] == needle:
                start, end = self.offsets[i][0], self.offsets[i + n - 1][1]
                inside_other = any(
                    other != skill and s <= start and end <= e and (e - s) > (end - start)
                    for other, s, e in self.candidates
                )
                if not inside_other:
                    return True
        return False


def tag_named_in_text(tax: Taxonomy, tag: str, doc: _Text) -> tuple[bool, str | None]:
    """(named?, canonical skill or None) -- the definition in the module docstring."""
    tag_forms = {tag.strip().lower(), tag.strip().lower().replace("-", " ")}
    skill = tax.lookup_tag(tag)
    if skill is None:
        return any(doc.names(_token_seq(f), None, case_sensitive=False) for f in tag_forms), None
    sensitive = set(skill.exact) | set(skill.ambiguous)
    for spelling in skill.spellings:
        if spelling in sensitive:
            if doc.names(_token_seq(spelling), skill.name, case_sensitive=True):
                return True, skill.name
        elif doc.names([t.lower() for t in _token_seq(spelling)], skill.name, case_sensitive=False):
            return True, skill.name
    # The tag itself, unless it is a spelling whose casing the taxonomy restricts ("go" the verb is not Go).
    restricted = {s.lower() for s in sensitive}
    return any(
        doc.names(_token_seq(form), skill.name, case_sensitive=False) for form in tag_forms - restricted
    ), skill.name


def _span_intervals(text: str, spans: list[str]) -> list[tuple[int, int]]:
    out = []
    for span in spans:
        span = span.strip()
        if not span:
            continue
        pos = text.find(span)
        while pos >= 0:
            out.append((pos, pos + len(span)))
            pos = text.find(span, pos + 1)
    return out


def evaluate_split(path: Path, tax: Taxonomy) -> dict[str, Any]:
    named = hit = found_total = found_ok = lines_total = lines_ok = 0
    misses: Counter[str] = Counter()
    false_pos: Counter[str] = Counter()
    outside: list[dict[str, Any]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        text = row["text"]
        mentions = find_mentions(text)
        found = {m.skill for m in mentions}
        doc = _Text(text)
        for tag in row.get("so_tags") or []:
            is_named, skill = tag_named_in_text(tax, tag, doc)
            if not is_named:
                continue
            named += 1
            if skill is not None and skill in found:
                hit += 1
            else:
                misses[tag] += 1
        gold = list(row.get("gold_knowledge_spans") or []) + list(row.get("gold_skill_spans") or [])
        intervals = _span_intervals(text, gold)
        annotated_lines = {text.count("\n", 0, a) for a, _ in intervals}
        for skill in found:
            found_total += 1
            ok = any(a <= m.start and m.end <= b for m in mentions if m.skill == skill for a, b in intervals)
            if any(text.count("\n", 0, m.start) in annotated_lines for m in mentions if m.skill == skill):
                lines_total += 1
                lines_ok += ok
            if ok:
                found_ok += 1
            else:
                ev = next(m.text for m in mentions if m.skill == skill)
                false_pos[f"{skill} ({ev})"] += 1
                outside.append(
                    _outside_record(row, text, skill, [m for m in mentions if m.skill == skill], intervals)
                )
    return {
        "postings": sum(1 for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()),
        "named_tags": named,
        "found_tags": hit,
        "recall": hit / named if named else 0.0,
        "found_skills": found_total,
        "in_gold_span": found_ok,
        "precision": found_ok / found_total if found_total else 0.0,
        "precision_annotated_lines": lines_ok / lines_total if lines_total else 0.0,
        "missed_tags": dict(misses.most_common()),
        "outside_spans": dict(false_pos.most_common()),
        "outside_list": outside,
    }


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end < 0 else end


def _outside_record(
    row: dict[str, Any], text: str, skill: str, mentions: list[Any], intervals: list[tuple[int, int]]
) -> dict[str, Any]:
    """One found skill none of whose mentions lies in a gold span: where each mention sits (for ``--misses``)."""
    body = text.find("\nJob description\n")  # SkillSpan pages: title and metadata fields come before the body
    where = []
    for m in mentions:
        a, b = _line_bounds(text, m.start)
        line = text[a:b]
        col = m.start - a
        lo = max(0, col - 70)
        snippet = line[lo:col] + "[[" + m.text + "]]" + line[col + len(m.text) : col + len(m.text) + 70]
        where.append(
            {
                "header": 0 <= m.start < body,
                "annotated_line": any(a <= s < b for s, _ in intervals),
                "context": snippet,
            }
        )
    return {"idx": row.get("idx"), "skill": skill, "mentions": where}


def load_real_descriptions(corpus_dir: Path) -> list[tuple[str, str, str]]:
    """(source, title, html) of every Greenhouse ``content`` and Ashby ``descriptionHtml`` in the corpus."""
    out: list[tuple[str, str, str]] = []
    sources = corpus_dir / "sources"
    for source, key in (("greenhouse", "content"), ("ashby", "descriptionHtml")):
        for path in sorted((sources / source).glob("*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8-sig"))
            except (OSError, ValueError):
                continue
            jobs = data.get("jobs") if isinstance(data, dict) else None
            for job in jobs or []:
                body = job.get(key) if isinstance(job, dict) else None
                if body:
                    out.append((source, job.get("title") or "", html_lib.unescape(body)))
    return out


def _text_of(html: str) -> str:
    import lxml.html

    return lxml.html.fromstring(html).text_content()


def real_sample(corpus_dir: Path, *, speed: bool = False) -> dict[str, Any]:
    from pipeline.text import html_to_text

    docs = load_real_descriptions(corpus_dir)
    if not docs:
        return {"postings": 0}
    texts = [html_to_text(h) for _, _, h in docs]
    counts = []
    freq: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for text in texts:
        match = extract_skills(text)
        counts.append(len(match.skills))
        freq.update(match.skills)
        for skill in match.skills:
            if skill not in examples:
                m = next(m for m in find_mentions(text) if m.skill == skill)
                examples[skill] = text[max(0, m.start - 40) : m.end + 40].replace("\n", " | ")
    result: dict[str, Any] = {
        "postings": len(docs),
        "mean_bytes": round(statistics.mean(len(h.encode()) for _, _, h in docs)),
        "skills_mean": round(statistics.mean(counts), 1),
        "skills_median": statistics.median(counts),
        "skills_zero": sum(1 for c in counts if c == 0),
        "top_skills": freq.most_common(40),
        "examples": examples,
    }
    if speed:
        htmls = [h for _, _, h in docs]
        for text in texts[:20]:  # warm-up (taxonomy load, regex caches)
            extract_skills(text)
        t0 = time.perf_counter()
        for text in texts:
            extract_skills(text)
        t_skills = time.perf_counter() - t0
        t0 = time.perf_counter()
        for h in htmls:
            _text_of(h)
        t_lxml = time.perf_counter() - t0
        result["skills_per_s"] = round(len(texts) / t_skills)
        result["lxml_per_s"] = round(len(htmls) / t_lxml)
        result["speed_ratio"] = round(t_lxml / t_skills, 2)
    return result


def evaluate(corpus_dir: Path, *, speed: bool = False) -> dict[str, Any]:
    """All figures: ``{"dev": {...}, "train": {...}, "taxonomy_skills": n, "real": {...}}``."""
    corpus_dir = Path(corpus_dir)
    tax = load_taxonomy()
    out: dict[str, Any] = {"taxonomy_skills": len(tax.skills)}
    for split in SPLITS:
        out[split] = evaluate_split(corpus_dir / "eval" / f"skills_skillspan_tech_{split}.jsonl", tax)
    out["real"] = real_sample(corpus_dir, speed=speed)
    return out


def print_misses(figures: dict[str, Any]) -> None:
    """Every found skill with no mention inside a gold span, with each mention's line (``--misses``).

    ``H`` = the mention is in the page header (title and metadata fields, never annotated), ``A`` = its line holds
    some gold span (the annotators read that sentence), ``-`` = neither (an unannotated body line)."""
    for split in SPLITS:
        rows = figures[split]["outside_list"]
        print(f"== {split}: {len(rows)} found skills outside gold spans")
        for rec in rows:
            for k, m in enumerate(rec["mentions"]):
                flag = "H" if m["header"] else "A" if m["annotated_line"] else "-"
                head = f"{split}#{rec['idx']:<4} {rec['skill'][:26]:<26}" if k == 0 else " " * 37
                print(f"{head} {flag} {m['context']}")


def print_report(figures: dict[str, Any], verbose: bool = False) -> None:
    print(f"taxonomy: {figures['taxonomy_skills']} skills")
    print(
        f"{'split':<7}{'posts':>6}{'named':>7}{'found':>7}{'recall':>8}{'skills':>8}{'in span':>9}{'precision':>11}"
        f"{'precision, annotated lines':>28}"
    )
    for split in SPLITS:
        f = figures[split]
        print(
            f"{split:<7}{f['postings']:>6}{f['named_tags']:>7}{f['found_tags']:>7}{f['recall']:>8.1%}"
            f"{f['found_skills']:>8}{f['in_gold_span']:>9}{f['precision']:>11.1%}"
            f"{f['precision_annotated_lines']:>28.1%}"
        )
    for split in SPLITS:
        f = figures[split]
        print(f"  {split} missed tags: {f['missed_tags']}")
        if verbose:
            print(f"  {split} outside gold spans: {f['outside_spans']}")
    real = figures["real"]
    if real.get("postings"):
        print(
            f"real Greenhouse/Ashby descriptions: {real['postings']} (mean {real['mean_bytes']} B): skills/posting "
            f"mean {real['skills_mean']}, median {real['skills_median']}, none found in {real['skills_zero']}"
        )
        print("  top: " + ", ".join(f"{s} {n}" for s, n in real["top_skills"][:25]))
        if "speed_ratio" in real:
            print(
                f"speed: extract_skills {real['skills_per_s']} postings/s vs lxml text_content() "
                f"{real['lxml_per_s']} postings/s (ratio {real['speed_ratio']})"
            )
        if verbose:
            for skill, ctx in real["examples"].items():
                print(f"    {skill:<28} ...{ctx}...")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="list spans and examples")
    parser.add_argument(
        "--misses", action="store_true", help="list every found skill outside gold spans, with its context"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "eval").is_dir():
        print(f"no eval/ under {args.corpus}", file=sys.stderr)
        return 2
    figures = evaluate(args.corpus, speed=True)
    if args.misses:
        print_misses(figures)
    print_report(figures, verbose=args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
