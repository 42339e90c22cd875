"""Build jobscout's shipped board registry from the two upstream board lists.

Usage::

    python -m bench.build_registry ../shared/corpus/registry [--output crawler/data/registry.csv.gz]

Reads jobseek's ``jobseek_boards.csv`` (+ ``jobseek_companies.csv`` for display names) and ats-scrapers'
``ats-scrapers/*.csv``, turns every row into ``(source, token, company, config, origin)``, merges rows naming the
same board, and writes

- ``registry.csv.gz``: header ``source,token,company,config,origins``, sorted by source then token; ``config`` is a
  compact JSON object (sorted keys) or empty, ``origins`` is ``;``-joined (``ats-scrapers;jobseek``). The gzip
  stream has no timestamp or file name, so the same input gives the same bytes.
- ``registry.json`` next to it: upstream repositories and commits (read from the registry README), licence files,
  the build date (``SOURCE_DATE_EPOCH`` or today, UTC), the data file's sha256 and per-source / per-origin counts.
- ``licenses/``: both MIT licence texts, copied unchanged.

Only tokens, display names and per-board configuration are carried: no logos, websites, descriptions or crawler
recipes. See docs/registry.md for the config keys and what is left out.

Dedup rule: two rows are the same board when their source is equal and their tokens are equal -- compared
case-insensitively on the platforms below marked "no" (case-sensitive: no), exactly elsewhere.

=================  ===============  =====================================================================
source             case-sensitive   why
=================  ===============  =====================================================================
greenhouse         no               board tokens are lower-case identifiers (both lists write them so);
                                    not documented as case-sensitive (unlike Ashby/SmartRecruiters)
lever              yes              not documented either way; kept exact so no distinct site is merged
                                    away (no pair in the lists differs only by case)
ashby              yes              ATS_ENDPOINTS: the job-board name is case-sensitive (``Abridge``)
smartrecruiters    yes              ATS_ENDPOINTS: the company identifier is case-sensitive (``AbbVie``)
workable           no               account slugs began as ``{slug}.workable.com`` subdomains
workday            no               ``tenant/wdN/site``: the tenant and instance are host names;
                                    ats-scrapers passes sites lower-cased where the URL capitalizes them
                                    (195 rows), so the CXS API matches sites without case
recruitee          no               subdomain (or custom host) -- host names have no case
personio           no               subdomain
pinpoint           no               subdomain
bamboohr           no               subdomain
breezy             no               subdomain
teamtailor         no               subdomain (or custom host)
join               yes              path segment, not documented; kept exact
rippling           yes              path segment, not documented; kept exact
jobvite            yes              path segment, not documented; kept exact
gem                yes              path segment, not documented; kept exact
oracle_hcm         yes              ``host/site``; the site id is not documented; kept exact
=================  ===============  =====================================================================

Besides the two lists, ``bench/registry_jobscout.csv`` (origin ``jobscout``, our own) adds the few boards that the
corpus proves and the lists lack or spell differently; it ranks below both lists.

Tokens of case-insensitive host-based platforms are written in lower case; others keep their spelling, and when
two spellings merge, jobseek's wins (its rows are curated by hand). The display name is jobseek's company name,
else ats-scrapers' ``name``. Configs merge key by key, jobseek's value winning.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pipeline.platforms import token_key

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "crawler" / "data" / "registry.csv.gz"
HEADER = ("source", "token", "company", "config", "origins")

JOBSEEK = "jobseek"
ATS_SCRAPERS = "ats-scrapers"
JOBSCOUT = "jobscout"
#: Our own list: boards the corpus proves that the upstream lists lack or spell differently.
JOBSCOUT_LIST = REPO_ROOT / "bench" / "registry_jobscout.csv"
#: Lower rank wins a name, a token spelling and a config key.
ORIGIN_RANK = {JOBSEEK: 0, ATS_SCRAPERS: 1, JOBSCOUT: 2}

#: Platforms whose token is (part of) a host name: written in lower case.
HOST_TOKENS = frozenset({"recruitee", "personio", "pinpoint", "bamboohr", "breezy", "teamtailor"})

#: ats-scrapers file stem -> jobscout source name.
ATS_FILES = {"join_com": "join"}

#: jobseek monitor types that name a board by a generic method (crawler recipes, not ATS tokens).
GENERIC_METHODS = frozenset({"dom", "sitemap", "api_sniffer", "nextdata", "inline", "rss"})

PERSONIO_DEFAULT_DOMAIN = "jobs.personio.com"
#: jobseek's placeholder slug on Recruitee rows whose board lives on a custom domain (``api_base``).
RECRUITEE_PLACEHOLDER = "careers-analytics"

UPSTREAM = {
    JOBSEEK: {
        "repository": "colophon-group/jobseek",
        "files": ["apps/crawler/data/boards.csv", "apps/crawler/data/companies.csv"],
        "licence": "MIT",
        "licence_file": "licenses/jobseek-LICENSE.txt",
        "corpus_licence": "LICENSE_jobseek_MIT.txt",
    },
    ATS_SCRAPERS: {
        "repository": "complete-labs/ats-scrapers",
        "files": ["ats-companies/*.csv"],
        "licence": "MIT",
        "licence_file": "licenses/ats-scrapers-LICENSE.txt",
        "corpus_licence": "ats-scrapers/LICENSE_MIT.txt",
    },
}


class BuildError(Exception):
    """The input lists are not what the build expects."""


@dataclass(frozen=True, slots=True)
class Row:
    """One list row, normalized."""

    source: str
    token: str
    company: str | None
    config: dict
    origin: str


@dataclass(slots=True)
class Entry:
    """One board after merging."""

    source: str
    token: str
    company: str | None
    config: dict
    origins: set[str] = field(default_factory=set)
    rank: int = 99  # origin rank of the row that gave the token spelling


def dedup_key(source: str, token: str) -> tuple[str, str]:
    return (source, token_key(source, token))


def dump_config(config: dict) -> str:
    return json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False) if config else ""


# --- URL parsing ------------------------------------------------------------------------------------------------

_LOCALE = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2})?$")
_WORKDAY_HOST = re.compile(r"^(?P<tenant>[^.]+)\.(?P<host>wd\d+)\.myworkdayjobs\.com$", re.I)
_WORKDAY_INSTANCE = re.compile(r"wd\d+", re.I)
_WORKDAY_SITE_HOST = re.compile(r"^(?P<host>wd\d+)\.myworkdaysite\.com$", re.I)
_GREENHOUSE_HOST = re.compile(r"^(?:job-)?boards(?:-api)?(?P<eu>\.eu)?\.greenhouse\.io$", re.I)
_LEVER_HOST = re.compile(r"^(?:jobs|api)(?P<eu>\.eu)?\.lever\.co$", re.I)


def _parts(url: str) -> tuple[str, list[str]]:
    split = urlsplit(url.strip())
    return split.netloc.lower().split(":")[0], [s for s in split.path.split("/") if s]


def _subdomain(url: str, suffix: str) -> str | None:
    host, _ = _parts(url)
    if host.endswith("." + suffix):
        label = host[: -len(suffix) - 1]
        if label and "." not in label and label != "www":
            return label
    return None


def _first_segment(url: str, host: str) -> str | None:
    got, segments = _parts(url)
    return segments[0] if got == host and segments else None


def greenhouse_from_url(url: str) -> tuple[str | None, dict]:
    split = urlsplit(url.strip())
    host, segments = _parts(url)
    m = _GREENHOUSE_HOST.match(host)
    if not m:
        return None, {}
    config = {"region": "eu"} if m.group("eu") else {}
    if (found := parse_qs(split.query).get("for")) and found[0]:
        return found[0], config
    if segments[:2] == ["v1", "boards"] and len(segments) > 2:
        return segments[2], config
    if segments and segments[0] != "embed":
        return segments[0], config
    return None, config


def lever_from_url(url: str) -> tuple[str | None, dict]:
    host, segments = _parts(url)
    m = _LEVER_HOST.match(host)
    if not m:
        return None, {}
    config = {"region": "eu"} if m.group("eu") else {}
    if segments[:2] == ["v0", "postings"]:
        segments = segments[2:]
    return (segments[0] if segments else None), config


def workday_from_url(url: str) -> tuple[str | None, str | None, dict]:
    """(tenant, site, config) of a Workday careers URL."""
    host, segments = _parts(url)
    if len(segments) > 1 and _LOCALE.match(segments[0]):  # /en-US/{site}; a site can be two letters (/hc)
        segments = segments[1:]
    if m := _WORKDAY_HOST.match(host):
        return m.group("tenant").lower(), (segments[0] if segments else None), {"host": m.group("host").lower()}
    if (m := _WORKDAY_SITE_HOST.match(host)) and len(segments) >= 3 and segments[0] == "recruiting":
        return segments[1].lower(), segments[2], {"host": m.group("host").lower(), "domain": "myworkdaysite.com"}
    return None, None, {}


def workday_token(tenant: str | None, site: str | None, config: dict) -> tuple[str | None, dict]:
    """The Workday board token ``tenant/wdN/site`` (the instance moves from ``config["host"]`` into the token;
    ``domain`` and ``search_text`` stay in the config), or None when a part is missing."""
    config = dict(config)
    host = config.pop("host", None)
    if not (tenant and site and host):
        return None, {}
    return f"{tenant}/{host}/{site}", config


def personio_from_url(url: str) -> tuple[str | None, dict]:
    for domain in ("jobs.personio.com", "jobs.personio.de"):
        if (slug := _subdomain(url, domain)) is not None:
            return slug, ({} if domain == PERSONIO_DEFAULT_DOMAIN else {"domain": domain})
    return None, {}


def recruitee_board(slug: str | None, api_base: str | None, url: str | None) -> tuple[str | None, dict]:
    """A Recruitee board from a slug, an API base and/or a careers URL: ``{slug}.recruitee.com`` boards need no
    config; a board on a custom host has the host as token and ``api_base``."""
    if slug == RECRUITEE_PLACEHOLDER:
        slug = None
    if api_base:
        if (sub := _subdomain(api_base, "recruitee.com")) is not None:
            return sub, {}
        host, _ = _parts(api_base)
        return host, {"api_base": f"https://{host}"}
    if slug:
        if "." in slug:  # ats-scrapers writes a custom host as the slug
            host, _ = _parts(f"https://{slug}")
            return host, {"api_base": f"https://{host}"}
        return slug.lower(), {}
    if url:
        if (sub := _subdomain(url, "recruitee.com")) is not None:
            return sub, {}
        host, _ = _parts(url)
        if host:
            return host, {"api_base": f"https://{host}"}
    return None, {}


def teamtailor_board(url: str) -> tuple[str | None, dict]:
    if (sub := _subdomain(url, "teamtailor.com")) is not None:
        return sub, {}
    host, _ = _parts(url)
    return (host, {"host": host}) if host else (None, {})


# --- jobseek ----------------------------------------------------------------------------------------------------


def _pick(cfg: dict, *keys: str) -> str | None:
    for key in keys:
        value = cfg.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def jobseek_board(kind: str, url: str, cfg: dict) -> tuple[str, str | None, dict] | None:
    """``(source, token, config)`` of one jobseek row, or None when its monitor type is not an ATS with a
    documented token scheme. A None token means the row names no board we can read."""
    if kind == "greenhouse":
        token, config = greenhouse_from_url(url)
        return kind, _pick(cfg, "token", "board_token") or token, config
    if kind == "lever":
        token, config = lever_from_url(url)
        if str(cfg.get("region", "")).lower() == "eu":
            config = {"region": "eu"}
        return kind, _pick(cfg, "token", "company") or token, config
    if kind == "ashby":
        return kind, _pick(cfg, "token", "board_token", "org") or _first_segment(url, "jobs.ashbyhq.com"), {}
    if kind == "smartrecruiters":
        token = _pick(cfg, "token", "company", "company_identifier")
        return (
            kind,
            token
            or _first_segment(url, "careers.smartrecruiters.com")
            or _first_segment(url, "jobs.smartrecruiters.com"),
            {},
        )
    if kind == "workable":
        return kind, _pick(cfg, "token") or _first_segment(url, "apply.workable.com"), {}
    if kind == "workday":
        tenant, site, config = workday_from_url(url)
        tenant = (_pick(cfg, "company", "tenant", "employer") or tenant or "").lower() or None
        instance = _pick(cfg, "wd_instance", "instance")
        if instance and not _WORKDAY_INSTANCE.fullmatch(instance):  # one row spells the site "instance"
            site, instance = site or instance, None
        site = _pick(cfg, "site", "board", "board_id", "board_token", "job_board", "site_id", "board_slug") or site
        if instance:
            config = {**config, "host": instance.lower()}
        if search := _pick(cfg, "search_text"):
            config = {**config, "search_text": search}
        token, config = workday_token(tenant, site, config)
        return kind, token, config
    if kind == "recruitee":
        token, config = recruitee_board(
            _pick(cfg, "slug", "token", "company", "company_slug"), _pick(cfg, "api_base"), url
        )
        return kind, token, config
    if kind == "personio":
        token, config = personio_from_url(url)
        slug = _pick(cfg, "slug")
        if slug and slug.lower() != token:
            token = slug
        if language := _pick(cfg, "language"):
            config = {**config, "language": language}
        return kind, (token or "").lower() or None, config
    if kind in ("pinpoint", "bamboohr", "breezy"):
        suffix = {"pinpoint": "pinpointhq.com", "bamboohr": "bamboohr.com", "breezy": "breezy.hr"}[kind]
        token = _pick(cfg, "slug", "tenant") or _subdomain(url, suffix)
        return kind, token.lower() if token else None, {}
    if kind == "rippling":
        return kind, _pick(cfg, "slug") or _first_segment(url, "ats.rippling.com"), {}
    if kind == "join":
        host, segments = _parts(url)
        from_url = segments[1] if host == "join.com" and segments[:1] == ["companies"] and len(segments) > 1 else None
        return kind, _pick(cfg, "slug") or from_url, {}
    if kind == "jobvite":
        return kind, _pick(cfg, "tenant") or _first_segment(url, "jobs.jobvite.com"), {}
    if kind == "gem":
        return kind, _pick(cfg, "token", "slug") or _first_segment(url, "jobs.gem.com"), {}
    if kind == "oracle_hcm":
        host, segments = _parts(url)
        host = (_pick(cfg, "host") or host).lower()
        site = _pick(cfg, "site")
        if site is None and "sites" in segments and segments.index("sites") + 1 < len(segments):
            site = segments[segments.index("sites") + 1]
        return kind, (f"{host}/{site}" if host and site else None), {}
    if kind == "rss" and cfg.get("preset") == "teamtailor":
        token, config = teamtailor_board(_pick(cfg, "feed_url") or url)
        return "teamtailor", token, config
    return None


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def jobseek_rows(root: Path, skipped: Counter) -> Iterator[Row]:
    names = {r["slug"]: r["name"].strip() for r in read_csv(root / "jobseek_companies.csv") if r.get("name")}
    for r in read_csv(root / "jobseek_boards.csv"):
        kind = r["monitor_type"].strip()
        raw = r["monitor_config"].strip()
        try:
            cfg = json.loads(raw) if raw else {}
        except json.JSONDecodeError as exc:
            raise BuildError(f"jobseek_boards.csv: board {r['board_slug']}: bad monitor_config: {exc}") from exc
        if not isinstance(cfg, dict):
            cfg = {}
        board = jobseek_board(kind, r["board_url"], cfg)
        if board is None:
            skipped[f"jobseek: generic method {kind}" if kind in GENERIC_METHODS else f"jobseek: type {kind}"] += 1
            continue
        source, token, config = board
        if not token:
            skipped[f"jobseek: {source} row without a token"] += 1
            continue
        company = names.get(r["company_slug"]) or None
        yield Row(source, token.strip(), company, config, JOBSEEK)


# --- ats-scrapers -----------------------------------------------------------------------------------------------


def ats_scrapers_board(source: str, slug: str, url: str) -> tuple[str | None, dict]:
    if source == "greenhouse":
        _, config = greenhouse_from_url(url)
        return slug, config
    if source == "lever":
        _, config = lever_from_url(url)
        return slug, config
    if source == "workday":
        tenant, site, config = workday_from_url(url)
        if not (tenant and site):  # the URL is for people; fall back on the slug (tenant/site or tenant/wdN/site)
            parts = slug.split("/")
            if len(parts) == 3 and _WORKDAY_INSTANCE.fullmatch(parts[1]):
                tenant, site, config = parts[0].lower(), parts[2], {"host": parts[1].lower()}
            else:
                return None, {}
        return workday_token(tenant, site, config)
    if source == "recruitee":
        return recruitee_board(slug, None, url)
    if source == "personio":
        _, config = personio_from_url(url)
        return slug.lower(), config
    if source == "teamtailor":
        if "." in slug:
            return teamtailor_board(f"https://{slug}")
        return slug.lower(), {}
    if source in HOST_TOKENS:
        return slug.lower(), {}
    return slug, {}


def ats_scrapers_rows(root: Path, skipped: Counter) -> Iterator[Row]:
    files = sorted((root / "ats-scrapers").glob("*.csv"))
    if not files:
        raise BuildError(f"no ats-scrapers/*.csv under {root}")
    for path in files:
        source = ATS_FILES.get(path.stem, path.stem)
        rows = read_csv(path)
        if rows and not {"slug", "url"} <= rows[0].keys():
            raise BuildError(f"{path.name}: expected columns name,slug,url, got {', '.join(rows[0])}")
        for r in rows:
            slug = (r.get("slug") or "").strip()
            token, config = ats_scrapers_board(source, slug, (r.get("url") or "").strip()) if slug else (None, {})
            if not token:
                skipped[f"ats-scrapers: {source} row without a token"] += 1
                continue
            yield Row(source, token, (r.get("name") or "").strip() or None, config, ATS_SCRAPERS)


# --- merge and write --------------------------------------------------------------------------------------------


def merge(rows: Iterable[Row]) -> list[Entry]:
    """One entry per board (dedup_key), sorted; names, spellings and config keys from the best origin."""
    entries: dict[tuple[str, str], Entry] = {}
    config_rank: dict[tuple[tuple[str, str], str], int] = {}
    for row in rows:
        key = dedup_key(row.source, row.token)
        rank = ORIGIN_RANK[row.origin]
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = Entry(row.source, row.token, row.company, {}, rank=rank)
        elif rank < entry.rank:
            entry.token, entry.rank = row.token, rank
            entry.company = row.company or entry.company
        elif not entry.company:
            entry.company = row.company
        entry.origins.add(row.origin)
        for name, value in row.config.items():
            if rank < config_rank.get((key, name), 99):
                entry.config[name] = value
                config_rank[(key, name)] = rank
    return [entries[k] for k in sorted(entries, key=lambda k: (k[0], k[1], entries[k].token))]


def build(root: Path, extra: Path | None = None) -> tuple[list[Entry], Counter]:
    """All boards of both lists under ``root`` (the corpus's ``registry/`` folder) and of our own list ``extra``
    (``bench/registry_jobscout.csv`` when writing the data file), and the rows left out."""
    skipped: Counter = Counter()
    rows = [*jobseek_rows(root, skipped), *ats_scrapers_rows(root, skipped)]
    if extra is not None:
        rows += jobscout_rows(extra)
    return merge(rows), skipped


def jobscout_rows(path: Path) -> Iterator[Row]:
    """Our own list (header ``source,token,company,evidence``); the evidence column is for readers only."""
    for r in read_csv(path):
        yield Row(r["source"].strip(), r["token"].strip(), r["company"].strip() or None, {}, JOBSCOUT)


def render(entries: Iterable[Entry]) -> bytes:
    """The gzip bytes of the registry CSV (no timestamp, no file name: deterministic)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(HEADER)
    for e in entries:
        writer.writerow([e.source, e.token, e.company or "", dump_config(e.config), ";".join(sorted(e.origins))])
    raw = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(text.getvalue().encode("utf-8"))
    return raw.getvalue()


def upstream_commits(root: Path) -> dict[str, str]:
    readme = (root / "README.md").read_text(encoding="utf-8")
    commits = {}
    for origin, info in UPSTREAM.items():
        m = re.search(re.escape(info["repository"]) + r"\s*@\s*`([0-9a-f]{40})`", readme)
        if not m:
            raise BuildError(f"{root / 'README.md'} names no commit for {info['repository']}")
        commits[origin] = m.group(1)
    return commits


def build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return now.date().isoformat()


def copyright_line(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lower().startswith("copyright"):
            return line.strip()
    raise BuildError(f"{path}: no copyright line")


def meta(root: Path, entries: list[Entry], data: bytes, skipped: Counter) -> dict:
    commits = upstream_commits(root)
    per_source = Counter(e.source for e in entries)
    per_origin = Counter(";".join(sorted(e.origins)) for e in entries)
    with_config = Counter(e.source for e in entries if e.config)
    return {
        "format": 1,
        "built": build_date(),
        "file": "registry.csv.gz",
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": len(entries),
        "upstream": [
            {
                "origin": origin,
                "repository": info["repository"],
                "commit": commits[origin],
                "files": info["files"],
                "licence": info["licence"],
                "copyright": copyright_line(root / info["corpus_licence"]),
                "licence_file": info["licence_file"],
            }
            for origin, info in UPSTREAM.items()
        ],
        "sources": dict(sorted(per_source.items())),
        "with_config": dict(sorted(with_config.items())),
        "origins": dict(sorted(per_origin.items())),
        "left_out": dict(sorted(skipped.items())),
    }


def write(root: Path, output: Path, extra: Path | None = JOBSCOUT_LIST) -> dict:
    """Build from ``root`` (and our list ``extra``) and write the data file, its metadata and the licences next
    to ``output``."""
    entries, skipped = build(root, extra)
    data = render(entries)
    info = meta(root, entries, data, skipped)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    (output.parent / "registry.json").write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", "utf-8")
    for spec in UPSTREAM.values():
        target = output.parent / spec["licence_file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / spec["corpus_licence"], target)
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.build_registry", description=__doc__.splitlines()[0])
    parser.add_argument("registry", type=Path, help="the corpus's registry/ folder (the two upstream lists)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="data file to write (%(default)s)")
    args = parser.parse_args(argv)
    try:
        info = write(args.registry, args.output)
    except (BuildError, OSError) as exc:
        print(f"build_registry: {exc}", file=sys.stderr)
        return 1
    size = args.output.stat().st_size
    print(f"{args.output}: {info['rows']} boards, {size:,} bytes")
    for source, count in info["sources"].items():
        print(f"  {source:16} {count:6}  with config {info['with_config'].get(source, 0)}")
    for reason, count in info["left_out"].items():
        print(f"  left out: {reason}: {count}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
