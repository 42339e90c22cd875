"""Every posting of the shared corpus as ``(ref, title, description text)``, for the role filter's held-out labels.

A ref is ``<path under sources/>#<external_id>``, the key ``tests/data/role_heldout.tsv`` uses, so the labels name
postings without copying their text. Payloads a jobscout mapper reads (Greenhouse, Ashby, Lever, Remote OK,
Remotive, Arbeitnow, We Work Remotely, HN, JSON-LD, SmartRecruiters, Workable) go through that mapper and the
description extraction ``pipeline.normalize`` uses, so the filter sees what ``jobscout normalize`` would give it.
Formats with no mapper yet (Himalayas, Jobicy, The Muse, Workday, Personio, Recruitee, Teamtailor, Pinpoint, Breezy,
Rippling, BambooHR, Oracle, the LinkedIn-style and NLP-postings CSVs) are read field by field: title and the
description HTML/text where the body has one (list pages carry titles only, as a crawl of them would).
"""

from __future__ import annotations

import csv
import html
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"


@dataclass(frozen=True, slots=True)
class CorpusPosting:
    ref: str
    title: str
    text: str


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8-sig"))


def _text(value: Any) -> str:
    from pipeline.text import html_to_text, strip_controls

    return strip_controls(html_to_text(value)) if isinstance(value, str) else ""


def _mapped(corpus: Path) -> Iterator[CorpusPosting]:
    """The sources jobscout maps, through their mappers."""
    import importlib

    from pipeline.text import html_to_text, strip_controls

    if str(REPO / "bench") not in sys.path:
        sys.path.insert(0, str(REPO / "bench"))
    from corpus_postings import iter_items

    src = corpus / "sources"
    seen: set[str] = set()

    def emit(ref: str, source: str, board: str, payload: Any) -> CorpusPosting | None:
        if ref in seen:
            return None
        try:
            fields = importlib.import_module(f"pipeline.sources.{source}").map_posting(payload, board)
        except Exception:
            return None
        if not fields.title:
            return None
        seen.add(ref)
        text = strip_controls(fields.description_text or html_to_text(fields.description_html))
        return CorpusPosting(ref, fields.title, text)

    items = [(i.ref, i.source, i.board, i.payload) for i in iter_items(corpus)]
    from pipeline.sources import jsonld

    for path in sorted((src / "jsonld_html").glob("*.html")):
        if path.name.startswith("yiakhuat_"):
            continue  # iter_items reads these
        page_url = f"https://example.invalid/{path.stem}"
        for job in jsonld.extract_job_postings(path.read_bytes(), page_url):
            payload = {"jobposting": job, "page_url": job.get("url") or page_url}
            ext = jsonld.posting_id(job, payload["page_url"])
            items.append((f"{path.relative_to(src)}#{ext}", "jsonld", path.stem, payload))
    for path in sorted([*(src / "other").glob("*smartrecruiters*.json"), *(src / "smartrecruiters").glob("*.json")]):
        data = _json(path)
        jobs = data.get("content") if isinstance(data, dict) and "content" in data else [data]
        for job in jobs or []:
            if isinstance(job, dict) and job.get("id"):
                items.append((f"{path.relative_to(src)}#{job['id']}", "smartrecruiters", path.stem, job))
    for path in sorted((src / "other").glob("*workable*.json")):
        data = _json(path)
        for job in data.get("jobs") or []:
            if isinstance(job, dict) and job.get("shortcode"):
                payload = {**job, "_account": {"name": data.get("name")}}
                items.append((f"{path.relative_to(src)}#{job['shortcode']}", "workable", path.stem, payload))
    items += _extra_mapped(src)
    for ref, source, board, payload in items:
        posting = emit(ref, source, board, payload)
        if posting is not None:
            yield posting


def _extra_mapped(src: Path) -> list[tuple[str, str, str, Any]]:
    """(ref, source, board, payload) of the HN and WWR bodies ``corpus_postings.iter_items`` does not read, in the
    payload shape their mapper takes: Algolia comment hits (two fixtures, and a 2013 thread saved by another scraper
    as ``entries``), and We Work Remotely feeds saved as ``.xml`` or inside an HTTP cassette (YAML)."""
    from pipeline.sources import weworkremotely

    items: list[tuple[str, str, str, Any]] = []
    for path in sorted((src / "hn").glob("*.json")):
        data = _json(path)
        if not isinstance(data, dict) or "raw" in path.name or "classified" in path.name:
            continue  # the run files: iter_items reads the raw one; the classified one carries no text
        hits = data.get("hits") or [
            {"objectID": e.get("id"), "comment_text": e.get("commentBody"), "author": e.get("author")}
            for e in (data.get("entries") or {}).values()
        ]
        for hit in hits:
            if isinstance(hit, dict) and hit.get("objectID") and hit.get("comment_text"):
                items.append((f"{path.relative_to(src)}#{hit['objectID']}", "hn", "whoishiring", hit))
    feeds = [(path, path.read_bytes()) for path in sorted((src / "rss").glob("*.xml"))]
    for path in sorted((src / "rss").glob("*.yml")):
        try:
            import yaml  # present through the dev extra (schemathesis); without it the cassette is not read
        except ImportError:
            break
        for interaction in yaml.safe_load(path.read_text(encoding="utf-8")).get("http_interactions") or []:
            body = ((interaction.get("response") or {}).get("body") or {}).get("string") or ""
            if "<rss" in body:
                feeds.append((path, body.encode("utf-8")))
    for path, body in feeds:
        for item in weworkremotely.parse_feed(body):
            ext = weworkremotely.posting_id(item)
            if ext:
                items.append((f"{path.relative_to(src)}#{ext}", "weworkremotely", "weworkremotely", item))
    return items


def _rows(path: Path) -> Iterator[tuple[str, str, Any]]:
    """(external id, title, description HTML or text) of each posting in a body with no jobscout mapper."""
    name = path.name
    if "himalayas" in name:
        for job in _json(path).get("jobs") or []:
            yield str(job.get("guid") or job.get("applicationLink")), job.get("title"), job.get("description")
    elif "jobicy" in name and path.suffix == ".json" and "romek2" not in name:
        for job in _json(path).get("jobs") or []:
            yield str(job.get("id")), job.get("jobTitle"), job.get("jobDescription")
    elif "romek2" in name:
        for job in _json(path):
            yield str(job.get("url")), job.get("title"), job.get("html_description") or job.get("description")
    elif "themuse" in name:
        for job in _json(path).get("jobs") or []:
            yield str(job.get("id")), job.get("name"), job.get("contents")
    elif "oracle" in name:
        for job in _json(path).get("items") or []:
            text = " ".join(str(job.get(k) or "") for k in ("ExternalDescriptionStr", "ExternalResponsibilitiesStr"))
            yield str(job.get("Id")), job.get("Title"), text
    elif "workday" in name or path.parent.name == "workday":
        data = _json(path)
        if isinstance(data, dict) and isinstance(data.get("jobPostingInfo"), dict):
            info = data["jobPostingInfo"]
            yield str(info.get("jobReqId") or info.get("id")), info.get("title"), info.get("jobDescription")
        for job in (data.get("jobPostings") or []) if isinstance(data, dict) else []:
            yield str(job.get("externalPath")), job.get("title"), None
    elif path.suffix == ".xml" and path.parent.name == "personio":
        for pos in ElementTree.parse(path).getroot().iter("position"):
            parts = [(d.findtext("value") or "") for d in pos.iter("jobDescription")]
            yield (pos.findtext("id") or "").strip(), (pos.findtext("name") or "").strip(), "\n".join(parts)
    elif path.parent.name == "recruitee":
        for job in _json(path).get("offers") or []:
            text = f"{job.get('description') or ''}\n{job.get('requirements') or ''}"
            yield str(job.get("id") or job.get("guid")), job.get("title") or job.get("position"), text
    elif path.parent.name == "teamtailor":
        for job in _json(path).get("items") or []:
            yield str(job.get("id")), job.get("title"), job.get("content_html")
    elif path.parent.name == "pinpoint":
        data = _json(path)
        for job in data.get("data") if isinstance(data, dict) else data:
            text = "\n".join(str(job.get(k) or "") for k in ("description", "key_responsibilities"))
            yield str(job.get("id")), job.get("title"), text
    elif path.parent.name == "workable":  # the v3 jobs API: titles only
        for job in _json(path).get("results") or []:
            yield str(job.get("shortcode") or job.get("id")), job.get("title"), None
    elif "simplify" in name:  # an internship list: titles only
        for job in _json(path):
            yield str(job.get("id")), job.get("title"), None
    elif name.startswith("skills_skillspan_tech_"):  # Stack Overflow job ads (SkillSpan): title and text
        for line in path.read_text(encoding="utf-8").splitlines():
            job = json.loads(line)
            yield f"{job.get('split')}-{job.get('idx')}", job.get("title"), job.get("text")
    elif path.parent.name == "jobvite":  # a board's list page: titles only
        for ext, title in re.findall(r'<a href="[^"]*/job/([^"/]+)">([^<]+)</a>', path.read_text(encoding="utf-8")):
            yield ext, html.unescape(title), None
    elif path.parent.name == "join":  # a board's page: its Next.js data carries the titles
        found = re.search(r'<script id="__NEXT_DATA__"[^>]*>(.*?)</script>', path.read_text(encoding="utf-8"), re.S)
        state = json.loads(found.group(1))["props"]["pageProps"]["initialState"] if found else {}
        for job in (state.get("jobs") or {}).get("items") or []:
            yield str(job.get("id")), job.get("title"), None
    elif path.parent.name in ("breezy", "rippling", "bamboohr"):
        data = _json(path)
        jobs = data if isinstance(data, list) else data.get("items") or data.get("result") or []
        for job in jobs:
            title = job.get("name") or job.get("jobOpeningName")
            yield str(job.get("id") or job.get("uuid")), title, job.get("description")
    elif name.startswith("parishinde_"):
        with path.open(encoding="utf-8", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                yield row["job_id"], row["title"], row["description"]
    elif name.startswith("ambreen2006_"):
        with path.open(encoding="cp1252", errors="replace", newline="") as fh:
            for row in csv.DictReader(fh):
                yield row["job_posting"], row["title"], row["body"]


_UNMAPPED: tuple[str, ...] = (
    "other/*himalayas*.json",
    "other/*jobicy*.json",
    "other/*themuse*.json",
    "other/*oracle*.json",
    "other/*workday*.json",
    "workday/*.json",
    "personio/*.xml",
    "recruitee/*.json",
    "teamtailor/*.json",
    "pinpoint/*.json",
    "breezy/*.json",
    "rippling/*.json",
    "bamboohr/*.json",
    "datasets/romek2_*.json",
    "datasets/parishinde_*.csv",
    "datasets/ambreen2006_*.csv",
    "workable/*.json",
    "other/*simplify*.json",
    "jobvite/*.html",
    "join/*.html",
    "../eval/skills_skillspan_tech_*.jsonl",
)


def _unmapped(corpus: Path) -> Iterator[CorpusPosting]:
    src = corpus / "sources"
    csv.field_size_limit(1 << 30)
    seen: set[str] = set()
    for pattern in _UNMAPPED:
        for path in sorted(src.glob(pattern)):
            for ext, title, body in _rows(path):
                ref = f"{path.relative_to(src)}#{ext}"
                if not ext or not isinstance(title, str) or not title.strip() or ref in seen:
                    continue
                seen.add(ref)
                yield CorpusPosting(ref, " ".join(title.split()), _text(body))


READERS: tuple[Callable[[Path], Iterator[CorpusPosting]], ...] = (_mapped, _unmapped)


def corpus_postings(corpus: Path = DEFAULT_CORPUS) -> dict[str, CorpusPosting]:
    """ref -> posting for every corpus posting with a title (the first reading of a ref wins)."""
    out: dict[str, CorpusPosting] = {}
    for reader in READERS:
        for posting in reader(corpus):
            out.setdefault(posting.ref, posting)
    return out
