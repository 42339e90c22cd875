"""Issue 19's table, on the hand-labelled dev and test splits, in one run.

    python -m bench.eval_fields /work/shared/corpus [-v]

Rows (each on the SkillSpan sets the skills rules were tuned on, where they apply, and on our own dev and test
splits of real postings from platforms they were not tuned on):

* **skills recall (employer tags named in the text)** -- SkillSpan: ``bench.eval_skills`` (tags not passed to the
  extractor). Ours: every Remote OK, Remotive and Arbeitnow posting with tags, split by posting; a tag counts when
  it names a taxonomy skill and is named in the title or description (``bench.eval_skills.tag_named_in_text``), and
  is found when the normalized posting holds that skill with evidence from the text (a tag alone proves nothing:
  docs/skills-rules.md). Unlike StackOverflow's, these feeds' tags are mostly topics ("support", "senior",
  "health"); those outside the taxonomy are listed with ``-v``, not scored. Postings whose tags were marked by hand
  as not the job's (``tests/data/tag_exclusions.tsv``: an agency tagging every stack it hires for) are left out.
* **skills precision** -- SkillSpan: inside expert-annotated spans. Ours: the normalized posting's skills that are
  among the skills the posting asks of the hire, labelled by hand (``tests/data/skill_labels.tsv``). The recall
  against the same labels is printed beside it.
* HN first lines: company names against the curated October 2013 thread, and counters over the February 2026
  thread (no company, a role word as company, titles over 80 characters, comments split into several postings).
* **experience, seniority, technologies (short real cases, several languages)** -- ``tests/data/field_labels.tsv``:
  an experience case is one sentence of a posting (``parse_experience`` must give the labelled years, or nothing);
  a seniority case is a title (``seniority_from_title``); a technology case is one sentence whose skills
  ``extract_skills`` must name exactly (no tags, no company). The row is the share right over all three kinds.
  Printed below it, not part of it: the (posting, skill) pairs of the hand-labelled postings (right when the labels
  and the extractor both name the skill), a stricter whole-posting view.

A label whose sentence no longer matches its recorded hash (the text extraction changed) is counted as stale and
left out, and the count printed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import eval_skills
from bench.corpus import load_corpus
from pipeline.experience import parse_experience
from pipeline.model import Posting
from pipeline.normalize import normalize
from pipeline.seniority import seniority_from_title
from pipeline.skills import extract_skills, load_taxonomy

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
FIELD_LABELS = DATA / "field_labels.tsv"
SKILL_LABELS = DATA / "skill_labels.tsv"
TAG_EXCLUSIONS = DATA / "tag_exclusions.tsv"
SPLITS = ("dev", "test")
TAGGED_SOURCES = ("remoteok", "remotive", "arbeitnow")
# Where bench.corpus reads each source from (the label files name the file under sources/).
_FOLDERS = {"smartrecruiters": "other", "workable": "other", "weworkremotely": "rss", "jsonld": "jsonld_html"}


def split_of(key: str) -> str:
    """The split rule of the label files: a third of the keys are test."""
    return "test" if int(hashlib.sha1(f"fields19-split:{key}".encode()).hexdigest(), 16) % 3 == 0 else "dev"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        lines = (line for line in fh if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _years(text: str) -> tuple[float | None, float | None]:
    if text == "none":
        return None, None
    lo, _, hi = text.partition("-")
    return float(lo), (float(hi) if hi else None)


@dataclass
class Postings:
    """The corpus postings, normalized on demand, by ``source_file#external_id``."""

    raw: dict[str, dict[str, Any]]
    cache: dict[str, Posting] = field(default_factory=dict)

    @classmethod
    def load(cls, corpus_dir: Path) -> Postings:
        corpus = load_corpus(corpus_dir)
        root = Path(corpus_dir) / "sources"
        files: dict[tuple[str, str], str] = {}
        raw: dict[str, dict[str, Any]] = {}
        for item in corpus.postings:
            key = (item["source"], item["board"])
            if key not in files:
                folder = root / _FOLDERS.get(item["source"], item["source"])
                found = sorted(p for p in folder.glob(f"{item['board']}.*") if p.stem == item["board"])
                files[key] = found[0].relative_to(root).as_posix() if found else f"?/{item['board']}"
            raw[f"{files[key]}#{item['external_id']}"] = item
        return cls(raw)

    def get(self, ref: str) -> Posting | None:
        if ref not in self.cache:
            item = self.raw.get(ref)
            if item is None:
                return None
            self.cache[ref] = normalize(item)
        return self.cache[ref]


def _text_skills(posting: Posting) -> set[str]:
    return {s for s in posting.skills if not posting.skill_evidence.get(s, "").startswith("tag:")}


def cases(postings: Postings) -> dict[str, Any]:
    """Experience and seniority cases: per split, right/total per field, per language, and the wrong ones."""
    out: dict[str, Any] = {
        s: {"experience": [0, 0], "seniority": [0, 0], "technology": [0, 0], "lang": Counter(), "wrong": []}
        for s in SPLITS
    }
    stale = missing = 0
    for row in _rows(FIELD_LABELS):
        split = out[row["split"]]
        ref = f"{row['source_file']}#{row['external_id']}"
        if row["field"] in ("experience", "technology"):
            posting = postings.get(ref)
            if posting is None:
                missing += 1
                continue
            sentence = posting.description_text[int(row["start"]) : int(row["end"])]
            if hashlib.sha1(sentence.encode()).hexdigest()[:10] != row["sha"]:
                stale += 1
                continue
            if row["field"] == "experience":
                got: Any = parse_experience(sentence)
                want: Any = _years(row["expected"])
            else:
                got = set(extract_skills(sentence).skills)
                want = {x.strip() for x in row["expected"].split(";") if x.strip() and x.strip() != "none"}
            shown = sentence
        else:
            got = seniority_from_title(row["title"])
            want = None if row["expected"] == "none" else row["expected"]
            shown = row["title"]
        tally = split[row["field"]]
        tally[1] += 1
        split["lang"][row["lang"]] += 1
        if got == want:
            tally[0] += 1
        else:
            split["wrong"].append((row["field"], row["lang"], want, got, shown[:160]))
    return {**out, "stale": stale, "missing": missing}


def labelled_skills(postings: Postings) -> dict[str, Any]:
    """Precision and recall of the normalized postings' skills against the hand labels, per split."""
    out: dict[str, Any] = {
        s: {"found": 0, "right": 0, "gold": 0, "hit": 0, "fp": Counter(), "fn": Counter()} for s in SPLITS
    }
    missing = 0
    for row in _rows(SKILL_LABELS):
        posting = postings.get(f"{row['source_file']}#{row['external_id']}")
        if posting is None:
            missing += 1
            continue
        gold = {s.strip() for s in row["skills"].split(";") if s.strip()}
        found = set(posting.skills)
        f = out[row["split"]]
        f["found"] += len(found)
        f["right"] += len(found & gold)
        f["gold"] += len(gold)
        f["hit"] += len(found & gold)
        f["fp"].update(f"{s} ({posting.skill_evidence.get(s, '')[:30]})" for s in found - gold)
        f["fn"].update(gold - found)
    return {**out, "missing": missing}


def tag_recall(postings: Postings) -> dict[str, Any]:
    """Employer tags named in the text, found by the extractor, on the tagged untuned platforms, per split."""
    tax = load_taxonomy()
    out: dict[str, Any] = {
        s: {"postings": 0, "named": 0, "found": 0, "missed": Counter(), "outside": Counter(), "excluded": 0}
        for s in SPLITS
    }
    excluded = {f"{r['source_file']}#{r['external_id']}" for r in _rows(TAG_EXCLUSIONS)}
    for ref, item in postings.raw.items():
        if item["source"] not in TAGGED_SOURCES:
            continue
        if ref in excluded:
            out[split_of(ref)]["excluded"] += 1
            continue
        posting = postings.get(ref)
        tags = _tags(item)
        if posting is None or not tags:
            continue
        f = out[split_of(ref)]
        f["postings"] += 1
        doc = eval_skills._Text(f"{posting.title}\n{posting.description_text}")
        found = _text_skills(posting)
        for tag in dict.fromkeys(tags):
            named, skill = eval_skills.tag_named_in_text(tax, tag, doc)
            if not named:
                continue
            if skill is None:  # a feed's topic tag ("support", "senior", "health"): no technology to find
                f["outside"][tag] += 1
                continue
            f["named"] += 1
            if skill is not None and skill in found:
                f["found"] += 1
            else:
                f["missed"][tag] += 1
    return out


def _tags(item: dict[str, Any]) -> list[str]:
    from pipeline.sources import get_mapper

    return [t for t in get_mapper(item["source"])(item["payload"], item["board"]).tags if isinstance(t, str)]


def hn_headers(corpus_dir: Path) -> dict[str, Any]:
    """HN first lines: company names against the hand-curated names of the October 2013 thread (right / wrong /
    none), and on the February 2026 thread the comments with no company, a company that is a role word, titles
    longer than 80 characters, and how many comments split into several postings."""
    import json

    from pipeline.sources import hn

    root = Path(corpus_dir) / "sources" / "hn"
    out: dict[str, Any] = {}
    curated = root / "perspectivezoom_curated-hn-hiring__data_2013-10.json"
    if curated.exists():
        right = wrong = none = 0
        for entry in json.loads(curated.read_text(encoding="utf-8"))["entries"].values():
            gold = (entry.get("companyName") or "").lower()
            if not gold:
                continue
            got = hn.map_posting({"objectID": entry["id"], "comment_text": entry["commentBody"]}, "1").company or ""
            got = got.lower()
            if not got:
                none += 1
            elif got == gold or gold in got:
                right += 1
            else:
                wrong += 1
        out["curated_2013"] = {"right": right, "wrong": wrong, "none": none}
    feb = root / "gantryops_hn-jobs-data__runs_2026-02-01_raw.json"
    if feb.exists():
        data = json.loads(feb.read_text(encoding="utf-8"))
        counts = Counter()
        for job in data["jobs"]:
            if job.get("source") != "who_is_hiring" or not job.get("text"):
                continue
            payload = {"objectID": str(job["id"]), "comment_text": job["text"], "created_at_i": job.get("time")}
            fields = hn.map_posting(payload, "1")
            counts["comments"] += 1
            counts["no company"] += not fields.company
            counts["company is a role"] += bool(fields.company and hn._ROLE.search(fields.company))
            counts["title > 80 chars"] += len(fields.title or "") > 80
            parts = getattr(hn, "map_postings", None)
            n = len(parts(payload, "1")) if parts else 1
            counts["split comments"] += n > 1
            counts["postings"] += n
        out["feb_2026"] = dict(counts)
    return out


def evaluate(corpus_dir: Path, skillspan: dict[str, Any] | None = None) -> dict[str, Any]:
    """Every figure of the table; ``skillspan``: ``bench.eval_skills.evaluate``'s result when already computed."""
    corpus_dir = Path(corpus_dir)
    postings = Postings.load(corpus_dir)
    return {
        "skillspan": skillspan or eval_skills.evaluate(corpus_dir),
        "tags": tag_recall(postings),
        "skills": labelled_skills(postings),
        "cases": cases(postings),
        "hn": hn_headers(corpus_dir),
    }


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}% {a:>4}/{b:<4}" if b else "    -          "


def table(figures: dict[str, Any]) -> list[str]:
    """The issue's rows: SkillSpan dev/train beside our dev/test splits."""
    ss, tags, skills, cs = figures["skillspan"], figures["tags"], figures["skills"], figures["cases"]
    head = f"{'row':<52}{'SkillSpan dev':>17}{'SkillSpan train':>17}{'ours dev':>17}{'ours test':>17}"
    lines = [head, "-" * len(head)]
    lines.append(
        f"{'skills recall (employer tags named in the text)':<52}"
        + "".join(_pct(ss[s]["found_tags"], ss[s]["named_tags"]).rjust(17) for s in ("dev", "train"))
        + "".join(_pct(tags[s]["found"], tags[s]["named"]).rjust(17) for s in SPLITS)
    )
    lines.append(
        f"{'skills precision (SkillSpan: in spans; ours: labels)':<52}"
        + "".join(_pct(ss[s]["in_gold_span"], ss[s]["found_skills"]).rjust(17) for s in ("dev", "train"))
        + "".join(_pct(skills[s]["right"], skills[s]["found"]).rjust(17) for s in SPLITS)
    )
    lines.append(
        f"{'skills recall against the hand labels':<52}{'':>34}"
        + "".join(_pct(skills[s]["hit"], skills[s]["gold"]).rjust(17) for s in SPLITS)
    )
    for kind in ("experience", "seniority", "technology"):
        lines.append(f"{'  ' + kind + ' cases':<52}{'':>34}" + "".join(_pct(*cs[s][kind]).rjust(17) for s in SPLITS))
    kinds = ("experience", "seniority", "technology")
    combined = {s: (sum(cs[s][k][0] for k in kinds), sum(cs[s][k][1] for k in kinds)) for s in SPLITS}
    lines.append(
        f"{'experience, seniority, technologies (short cases)':<52}{'':>34}"
        + "".join(_pct(*combined[s]).rjust(17) for s in SPLITS)
    )
    tech = {s: (skills[s]["right"], skills[s]["found"] + skills[s]["gold"] - skills[s]["right"]) for s in SPLITS}
    lines.append(
        f"{'(posting, skill) pairs of the labelled postings':<52}{'':>34}"
        + "".join(_pct(*tech[s]).rjust(17) for s in SPLITS)
    )
    langs = {s: ", ".join(f"{k} {v}" for k, v in sorted(cs[s]["lang"].items())) for s in SPLITS}
    lines.append(f"case languages: dev {langs['dev']}; test {langs['test']}")
    lines.append(
        f"tagged postings (Remote OK, Remotive, Arbeitnow): dev {tags['dev']['postings']}, "
        f"test {tags['test']['postings']}; left out as hand-marked in tests/data/tag_exclusions.tsv: "
        f"dev {tags['dev']['excluded']}, test {tags['test']['excluded']}"
    )
    hn = figures.get("hn") or {}
    if "curated_2013" in hn:
        c = hn["curated_2013"]
        lines.append(
            f"HN companies vs the curated Oct 2013 names: right {c['right']}, wrong {c['wrong']}, none {c['none']}"
        )
    if "feb_2026" in hn:
        lines.append("HN Feb 2026 first lines: " + ", ".join(f"{k} {v}" for k, v in hn["feb_2026"].items()))
    if cs["stale"] or cs["missing"] or skills["missing"]:
        lines.append(
            f"left out: {cs['stale']} stale sentences, {cs['missing'] + skills['missing']} postings not found"
        )
    return lines


def details(figures: dict[str, Any], split: str) -> list[str]:
    cs, skills, tags = figures["cases"][split], figures["skills"][split], figures["tags"][split]
    lines = [f"== {split}: wrong cases ({len(cs['wrong'])})"]
    lines += [
        f"  {f:<10} {lang} want {want!r:<14} got {got!r:<14} {text}" for f, lang, want, got, text in cs["wrong"]
    ]
    lines.append(f"== {split}: skills outside the labels: {dict(skills['fp'].most_common())}")
    lines.append(f"== {split}: labelled skills missed: {dict(skills['fn'].most_common())}")
    lines.append(f"== {split}: tags named in the text but missed: {dict(tags['missed'].most_common())}")
    lines.append(f"== {split}: tags outside the taxonomy, named in the text: {dict(tags['outside'].most_common(40))}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="path to shared/corpus")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong case of the dev split")
    parser.add_argument("--test-details", action="store_true", help="also list the test split's wrong cases")
    args = parser.parse_args(argv)
    if not (args.corpus / "sources").is_dir():
        print(f"no sources/ under {args.corpus}", file=sys.stderr)
        return 2
    figures = evaluate(args.corpus)
    print("\n".join(table(figures)))
    if args.verbose:
        print("\n".join(details(figures, "dev")))
    if args.test_details:
        print("\n".join(details(figures, "test")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
