"""Real postings from the shared corpus, normalized: the material for the dedup labels, evaluation and benchmarks.

Each posting has a stable reference ``<path under sources/>#<external_id>`` so a labelled pair names its two
postings without copying their text. Files reshaped by other scrapers (Remotive in datasets/, the We Work Remotely
JSON, the HN run file) are mapped back to the raw payload shape of their source first.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


@dataclass(slots=True)
class CorpusItem:
    ref: str
    source: str
    board: str
    external_id: str
    url: str | None
    payload: dict[str, Any]


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _board_from_name(path: Path) -> str:
    return path.stem.split("__", 1)[-1].replace("tests_fixtures_", "")


def iter_items(corpus: Path = DEFAULT_CORPUS) -> Iterator[CorpusItem]:
    src = corpus / "sources"

    def ref(path: Path, ext_id: str) -> str:
        return f"{path.relative_to(src)}#{ext_id}"

    for path in sorted((src / "greenhouse").glob("*.json")):
        data = _json(path)
        jobs = data.get("jobs") if isinstance(data, dict) and "jobs" in data else [data]
        board = (data.get("company") if isinstance(data, dict) else None) or _board_from_name(path)
        for job in jobs:
            if isinstance(job, dict) and job.get("id") is not None and job.get("title"):
                yield CorpusItem(
                    ref(path, str(job["id"])),
                    "greenhouse",
                    str(board).lower(),
                    str(job["id"]),
                    job.get("absolute_url"),
                    job,
                )
    for path in sorted((src / "ashby").glob("*.json")):
        data = _json(path)
        board = _board_from_name(path).replace("stapply-ai_jobs__ashby_companies_", "").lower()
        for job in data.get("jobs", []):
            if job.get("id"):
                yield CorpusItem(ref(path, str(job["id"])), "ashby", board, str(job["id"]), job.get("jobUrl"), job)
    for path in sorted((src / "lever").glob("*.json")):
        data = _json(path)
        for job in data if isinstance(data, list) else [data]:
            if job.get("id"):
                yield CorpusItem(
                    ref(path, job["id"]), "lever", _board_from_name(path), job["id"], job.get("hostedUrl"), job
                )
    for path in sorted((src / "remoteok").glob("*.json")):
        for job in _json(path):
            if isinstance(job, dict) and job.get("id") and job.get("position"):
                yield CorpusItem(
                    ref(path, str(job["id"])), "remoteok", "remoteok", str(job["id"]), job.get("url"), job
                )
    for path in sorted((src / "remotive").glob("*.json")):
        for job in _json(path).get("jobs", []):
            yield CorpusItem(ref(path, str(job["id"])), "remotive", "remotive", str(job["id"]), job.get("url"), job)
    path = src / "datasets" / "Snoopy-CL_jobpulse__remotive_jobs.json"
    if path.exists():
        for row in _json(path):
            job = {
                "id": row["job_id"],
                "title": row.get("title"),
                "company_name": row.get("company"),
                "candidate_required_location": row.get("location"),
                "publication_date": row.get("publication_date"),
                "salary": row.get("salary"),
                "description": row.get("description"),
                "job_type": row.get("job_type"),
                "url": row.get("url"),
            }
            yield CorpusItem(
                ref(path, str(row["job_id"])), "remotive", "remotive", str(row["job_id"]), job["url"], job
            )
    for path in sorted((src / "arbeitnow").glob("*.json")):
        for job in _json(path).get("data", []):
            if job.get("slug"):
                yield CorpusItem(ref(path, job["slug"]), "arbeitnow", "arbeitnow", job["slug"], job.get("url"), job)
    from pipeline.sources import weworkremotely

    for path in sorted((src / "rss").glob("*.rss")):
        for item in weworkremotely.parse_feed(path.read_bytes()):
            ext = weworkremotely.posting_id(item)
            if ext:
                yield CorpusItem(ref(path, ext), "weworkremotely", "weworkremotely", ext, item.get("link"), item)
    path = src / "rss" / "lcarlini_JobSearchAggregator__data_weworkremotely-jobs.json"
    if path.exists():
        for row in _json(path)["jobs"]:
            item = {
                "title": f"{row.get('company')}: {row.get('title')}",
                "link": row.get("url"),
                "guid": row.get("url"),
                "description": row.get("description"),
                "region": row.get("location"),
            }
            ext = weworkremotely.posting_id(item)
            if ext:
                yield CorpusItem(ref(path, ext), "weworkremotely", "weworkremotely", ext, row.get("url"), item)
    from pipeline.sources import jsonld

    for path in sorted((src / "jsonld_html").glob("yiakhuat_*.html")):
        page_url = f"https://example.invalid/{path.stem}"
        for job in jsonld.extract_job_postings(path.read_bytes(), page_url):
            payload = {"jobposting": job, "page_url": job.get("url") or page_url}
            ext = jsonld.posting_id(job, payload["page_url"])
            yield CorpusItem(ref(path, ext), "jsonld", path.stem.split("__")[-1], ext, payload["page_url"], payload)
    path = src / "hn" / "gantryops_hn-jobs-data__runs_2026-02-01_raw.json"
    if path.exists():
        for row in _json(path)["jobs"]:
            hit = {"objectID": str(row["id"]), "comment_text": row.get("text") or "", "created_at_i": row.get("time")}
            if hit["comment_text"]:
                yield CorpusItem(ref(path, str(row["id"])), "hn", "whoishiring", str(row["id"]), None, hit)


def load_postings(corpus: Path = DEFAULT_CORPUS) -> dict[str, Any]:
    """ref -> normalized Posting for every corpus item the mappers can read (unreadable ones are skipped)."""
    from pipeline.normalize import normalize

    out: dict[str, Any] = {}
    for item in iter_items(corpus):
        try:
            posting = normalize(
                {
                    "source": item.source,
                    "board": item.board,
                    "external_id": item.external_id,
                    "url": item.url,
                    "payload": item.payload,
                }
            )
        except Exception:
            continue
        if posting.title:
            out[item.ref] = posting
    return out
