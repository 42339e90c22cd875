"""Field coverage of the Workday, Recruitee, Personio, Pinpoint, Breezy, BambooHR, Teamtailor, Rippling, Join and
Jobvite mappers on the corpus's recorded bodies.

    python -m bench.platform_coverage [/path/to/shared/corpus]

Each recorded posting is turned into the payload the spider would store (Workday: a detail with its listing item
under ``_listing`` when the corpus has that item, or a listing item alone -- what a failed detail leaves; Recruitee:
one offer; Personio: one ``<position>`` through ``parse_feed``; Pinpoint: one element of ``data``; Breezy: one
position; BambooHR: one ``/careers/list`` item -- the corpus has no detail body, so this is what a failed detail
leaves; Teamtailor: one feed item with an id, as the spider keeps them), normalized by ``pipeline.normalize``, and
counted for the share with a title, a location, a description, pay, a work mode and a posted date. Workday detail
bodies and listing items are reported apart: they are different shapes of payload. Some recorded bodies are bare
arrays where the platform sends an envelope (a saver kept only the list): both are read.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.normalize import normalize
from pipeline.sources import jobvite, join, rippling
from pipeline.sources.personio import parse_feed
from pipeline.sources.teamtailor import posting_id as teamtailor_id
from pipeline.sources.workday import LISTING_KEY, posting_id

FIELDS = ("title", "location", "description", "pay", "work mode", "posted date")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def workday_payloads(sources: Path) -> dict[str, list[dict[str, Any]]]:
    paths = sorted((sources / "workday").glob("*.json")) + sorted((sources / "other").glob("*workday*.json"))
    items: dict[str, dict[str, Any]] = {}
    details: list[dict[str, Any]] = []
    for path in paths:
        data = _json(path)
        if isinstance(data.get("jobPostings"), list):
            for item in data["jobPostings"]:
                if (key := posting_id(item)) is not None:
                    items.setdefault(key, item)
        elif isinstance(data.get("jobPostingInfo"), dict):
            details.append(data)
    with_detail = []
    for detail in details:
        item = items.get(posting_id(detail["jobPostingInfo"]) or "")
        with_detail.append({**detail, LISTING_KEY: item} if item else detail)
    detailed = {posting_id(d["jobPostingInfo"]) for d in details}
    alone = [{LISTING_KEY: item} for key, item in items.items() if key not in detailed]
    return {"workday (detail)": with_detail, "workday (listing item only)": alone}


def recruitee_payloads(sources: Path) -> list[dict[str, Any]]:
    return [o for path in sorted((sources / "recruitee").glob("*.json")) for o in _json(path)["offers"]]


def personio_payloads(sources: Path) -> list[dict[str, Any]]:
    return [p for path in sorted((sources / "personio").glob("*.xml")) for p in parse_feed(path.read_bytes())]


def _listed(path: Path, key: str) -> list[Any]:
    data = _json(path)
    return data[key] if isinstance(data, dict) else data


def pinpoint_payloads(sources: Path) -> list[dict[str, Any]]:
    return [p for path in sorted((sources / "pinpoint").glob("*.json")) for p in _listed(path, "data")]


def breezy_payloads(sources: Path) -> list[dict[str, Any]]:
    return [p for path in sorted((sources / "breezy").glob("*.json")) for p in _json(path)]


def bamboohr_payloads(sources: Path) -> list[dict[str, Any]]:
    return [p for path in sorted((sources / "bamboohr").glob("*.json")) for p in _listed(path, "result")]


def teamtailor_payloads(sources: Path) -> list[dict[str, Any]]:
    items = [i for path in sorted((sources / "teamtailor").glob("*.json")) for i in _json(path)["items"]]
    return [item for item in items if teamtailor_id(item) is not None]


def coverage(source: str, payloads: list[dict[str, Any]], board: str) -> dict[str, Any]:
    counts = dict.fromkeys(FIELDS, 0)
    for payload in payloads:
        posting = normalize({"source": source, "board": board, "external_id": "x", "payload": payload})
        present = {
            "title": bool(posting.title),
            "location": bool(posting.locations),
            "description": bool(posting.description_text and posting.description_text.strip()),
            "pay": posting.pay is not None,
            "work mode": posting.workplace is not None,
            "posted date": posting.posted_at is not None,
        }
        for name, ok in present.items():
            counts[name] += ok
    return {"postings": len(payloads), **counts}


def measure(corpus: Path) -> dict[str, dict[str, Any]]:
    sources = corpus / "sources"
    out = {}
    for label, payloads in workday_payloads(sources).items():
        out[label] = coverage("workday", payloads, "tenant/wd1/site")
    out["recruitee"] = coverage("recruitee", recruitee_payloads(sources), "company")
    out["personio"] = coverage("personio", personio_payloads(sources), "company")
    out["pinpoint"] = coverage("pinpoint", pinpoint_payloads(sources), "company")
    out["breezy"] = coverage("breezy", breezy_payloads(sources), "company")
    out["bamboohr (list item only)"] = coverage("bamboohr", bamboohr_payloads(sources), "company")
    out["teamtailor"] = coverage("teamtailor", teamtailor_payloads(sources), "company")
    out.update(measure_rippling_join_jobvite(sources))
    return out


# --- Platforms II, second half (issue 17): Rippling, Join and Jobvite -----------------------------------------------
# The corpus records their listings only (no Rippling detail, no Join or Jobvite job page), so each payload is what a
# failed detail leaves: the listing item alone (Rippling: merged per job, as the spider merges them; Join: with the
# company name the page gives).


def rippling_payloads(sources: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted((sources / "rippling").glob("*.json")):
        data = _json(path)
        items = data if isinstance(data, list) else data.get("items") or []
        out.extend({rippling.LISTING_KEY: job} for job in rippling.merge_items(items))
    return out


def join_payloads(sources: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted((sources / "join").glob("*.html")):
        company, items, _ = join.read_company_page(path.read_bytes())
        out.extend({join.LISTING_KEY: item, "company": company.get("name")} for item in items)
    return out


def jobvite_payloads(sources: Path) -> list[dict[str, Any]]:
    out = []
    for path in sorted((sources / "jobvite").glob("*.html")):
        # The company is the first path segment of the rows' links (the recorded page is Feeding America's).
        company = re.search(r'href="/([^/"]+)/job/', path.read_text(encoding="utf-8"))
        rows, _ = jobvite.read_listing(path.read_bytes(), company.group(1) if company else "")
        out.extend({jobvite.LISTING_KEY: row} for row in rows)
    return out


def measure_rippling_join_jobvite(sources: Path) -> dict[str, dict[str, Any]]:
    return {
        "rippling (listing item)": coverage("rippling", rippling_payloads(sources), "company"),
        "join (listing item)": coverage("join", join_payloads(sources), "company"),
        "jobvite (listing row)": coverage("jobvite", jobvite_payloads(sources), "company"),
    }


def rows(results: dict[str, dict[str, Any]]) -> Iterator[str]:
    yield f"{'platform':<30}{'postings':>9}" + "".join(f"{name:>13}" for name in FIELDS)
    for label, figures in results.items():
        n = figures["postings"]
        cells = "".join(f"{figures[name]:>6} {figures[name] / n:>5.0%}" if n else f"{'-':>13}" for name in FIELDS)
        yield f"{label:<30}{n:>9}{cells}"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not (corpus / "sources").is_dir():
        print(f"no corpus at {corpus} (pass its path)", file=sys.stderr)
        return 2
    for line in rows(measure(corpus)):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
