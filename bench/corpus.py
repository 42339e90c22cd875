"""Real postings of the shared corpus as raw postings (``{"source", "board", "external_id", "url", "payload"}``),
the way each spider would store them, for the benchmark and the evaluation.

Only bodies in a source's real API/feed format are read (``datasets/`` and other scrapers' reshaped files are
not): Greenhouse, Lever, Ashby, Remote OK, Remotive, Arbeitnow boards as recorded; SmartRecruiters and Workable
bodies from ``other/``; We Work Remotely RSS feeds (through the mapper module's own ``parse_feed``); HN Algolia
hits; JSON-LD pages (through ``extract_job_postings``). A source whose mapper module is missing or fails to
import is skipped and reported in ``skipped``.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SOURCES = (
    "greenhouse",
    "lever",
    "ashby",
    "smartrecruiters",
    "workable",
    "remoteok",
    "remotive",
    "arbeitnow",
    "weworkremotely",
    "hn",
    "jsonld",
)


@dataclass
class Corpus:
    postings: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # source -> why

    def by_source(self) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {}
        for raw in self.postings:
            out.setdefault(raw["source"], []).append(raw)
        return out


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _files(root: Path, folder: str, pattern: str) -> list[Path]:
    return sorted((root / folder).glob(pattern))


def _greenhouse(root: Path, _module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "greenhouse", "*.json"):
        data = _json(path)
        jobs = data.get("jobs") if isinstance(data, dict) and "jobs" in data else [data]
        for job in jobs or []:
            if isinstance(job, dict) and job.get("id") is not None:
                yield path.stem, job


def _lever(root: Path, _module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "lever", "*.json"):
        data = _json(path)
        for job in data if isinstance(data, list) else [data]:
            yield path.stem, job


def _ashby(root: Path, _module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "ashby", "*.json"):
        for job in _json(path).get("jobs") or []:
            if isinstance(job, dict) and job.get("isListed") is not False:
                yield path.stem, job


def _smartrecruiters(root: Path, _module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "other", "*smartrecruiters*.json"):
        data = _json(path)
        jobs = data.get("content") if isinstance(data, dict) and "content" in data else [data]
        for job in jobs or []:
            yield path.stem, job


def _workable(root: Path, module: Any) -> Iterator[tuple[str, Any]]:
    key = getattr(module, "ACCOUNT_KEY", "_account")
    for path in _files(root, "other", "*workable*.json"):
        data = _json(path)
        account = {"name": data["name"]} if isinstance(data, dict) and data.get("name") else None
        for job in data.get("jobs") or []:
            yield path.stem, ({**job, key: account} if account else job)


def _remoteok(root: Path, module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "remoteok", "*.json"):
        for job in _json(path):
            if isinstance(job, dict) and "legal" not in job:
                yield path.stem, job


def _remotive(root: Path, _module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "remotive", "*.json"):
        for job in _json(path).get("jobs") or []:
            yield path.stem, job


def _arbeitnow(root: Path, _module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "arbeitnow", "*.json"):
        for job in _json(path).get("data") or []:
            yield path.stem, job


def _weworkremotely(root: Path, module: Any) -> Iterator[tuple[str, Any]]:
    for path in [*_files(root, "rss", "*.rss"), *_files(root, "rss", "*.xml")]:
        for item in module.parse_feed(path.read_bytes()):
            yield path.stem, item


def _hn(root: Path, module: Any) -> Iterator[tuple[str, Any]]:
    is_deleted = getattr(module, "is_deleted", None)
    for path in _files(root, "hn", "*.json"):
        data = _json(path)
        hits = data.get("hits") if isinstance(data, dict) else None
        for hit in hits or []:  # only Algolia search bodies; the reshaped files have no "hits"
            if not isinstance(hit, dict) or not hit.get("comment_text"):
                continue
            if is_deleted is not None and is_deleted(hit):
                continue
            yield path.stem, {k: v for k, v in hit.items() if k != "_highlightResult"}


def _jsonld(root: Path, module: Any) -> Iterator[tuple[str, Any]]:
    for path in _files(root, "jsonld_html", "*.html"):
        page_url = f"https://example.invalid/{path.name}"
        for job in module.extract_job_postings(path.read_bytes(), page_url):
            yield path.stem, {"page_url": page_url, "jobposting": job}


READERS: dict[str, Callable[[Path, Any], Iterator[tuple[str, Any]]]] = {
    "greenhouse": _greenhouse,
    "lever": _lever,
    "ashby": _ashby,
    "smartrecruiters": _smartrecruiters,
    "workable": _workable,
    "remoteok": _remoteok,
    "remotive": _remotive,
    "arbeitnow": _arbeitnow,
    "weworkremotely": _weworkremotely,
    "hn": _hn,
    "jsonld": _jsonld,
}


def load_corpus(corpus_dir: Path, sources: tuple[str, ...] = SOURCES) -> Corpus:
    """Every real posting of ``sources`` whose mapper imports and accepts the payload."""
    root = Path(corpus_dir) / "sources"
    corpus = Corpus()
    for source in sources:
        try:
            module = importlib.import_module(f"pipeline.sources.{source}")
            mapper = module.map_posting
        except Exception as exc:  # a mapper being written elsewhere: skip it and say so
            corpus.skipped[source] = f"mapper unavailable ({type(exc).__name__}: {exc})"
            continue
        found = rejected = 0
        try:
            for i, (board, payload) in enumerate(READERS[source](root, module)):
                try:
                    fields = mapper(payload, board)
                except Exception:
                    rejected += 1
                    continue
                found += 1
                corpus.postings.append(
                    {
                        "source": source,
                        "board": board,
                        "external_id": fields.external_id or str(i),
                        "url": fields.url,
                        "payload": payload,
                    }
                )
        except Exception as exc:
            corpus.skipped[source] = f"reading the corpus failed ({type(exc).__name__}: {exc})"
            continue
        if not found:
            corpus.skipped[source] = f"no postings in the corpus ({rejected} payloads refused by the mapper)"
    return corpus
