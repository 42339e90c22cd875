"""ATS board references in text: which company boards a posting's URLs and description link to.

Postings link to ATS boards all the time (an HN comment's apply link, an aggregator's apply URL, a careers page that
embeds a Greenhouse board). :func:`board_refs` finds every supported platform's board URL in a text and returns the
boards as ``(source, token, region)``; board discovery registers the unknown ones (docs/registry.md). Kept out of
``pipeline/`` on purpose: it is not normalization, and ``pipeline.version`` digests that package.

A reference is only taken from a board host the platform serves boards from, with the token where the platform puts
it. Asset, API-documentation and job-shortlink paths on the same hosts are not boards:
``boards.greenhouse.io/assets``, ``jobs.lever.co/fonts``, ``apply.workable.com/j/<code>`` (a job, not an
account). Tokens are kept as the platform matches them: Greenhouse and Workable tokens are case-insensitive
(lower-cased here); Lever, Ashby and SmartRecruiters tokens are kept as written (Ashby and SmartRecruiters match
them exactly). Pinpoint, Breezy, BambooHR and Teamtailor boards are the company's subdomain (a host name, so lower
case).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from pipeline.platforms import token_key


@dataclass(frozen=True, slots=True, order=True)
class BoardRef:
    source: str
    token: str
    region: str | None = None  # "eu" for the EU hosts of Greenhouse and Lever


# Scheme-ful URLs in free text, HTML attributes and JSON (where "/" may be escaped as "\/").
_URL = re.compile(r"https?:(?:\\?/){2}[^\s\"'<>()\[\]{}|^`]+", re.IGNORECASE)
_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$")

# Path segments on board hosts that are not company tokens.
_RESERVED = {
    "greenhouse": {"embed", "assets", "job_board_renderer", "external_greenhouse_job_boards", "v1", "favicon.ico"},
    "lever": {"fonts", "img", "images", "js", "css", "assets", "v0", "favicon.ico", "robots.txt"},
    "ashby": {"api", "_next", "assets", "favicon.ico", "robots.txt"},
    "workable": {"j", "api", "assets", "careers", "static", "favicon.ico", "robots.txt"},
    "smartrecruiters": {"oneclick-ui", "sr-jobs", "api", "assets", "static", "favicon.ico", "robots.txt"},
}

# host -> (source, region, how many leading path segments precede the token)
_HOSTS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "boards.greenhouse.io": ("greenhouse", None, ()),
    "job-boards.greenhouse.io": ("greenhouse", None, ()),
    "boards.eu.greenhouse.io": ("greenhouse", "eu", ()),
    "job-boards.eu.greenhouse.io": ("greenhouse", "eu", ()),
    "boards-api.greenhouse.io": ("greenhouse", None, ("v1", "boards")),
    "boards-api.eu.greenhouse.io": ("greenhouse", "eu", ("v1", "boards")),
    "jobs.lever.co": ("lever", None, ()),
    "jobs.eu.lever.co": ("lever", "eu", ()),
    "api.lever.co": ("lever", None, ("v0", "postings")),
    "api.eu.lever.co": ("lever", "eu", ("v0", "postings")),
    "jobs.ashbyhq.com": ("ashby", None, ()),
    "api.ashbyhq.com": ("ashby", None, ("posting-api", "job-board")),
    "apply.workable.com": ("workable", None, ()),
    "jobs.smartrecruiters.com": ("smartrecruiters", None, ()),
    "careers.smartrecruiters.com": ("smartrecruiters", None, ()),
    "api.smartrecruiters.com": ("smartrecruiters", None, ("v1", "companies")),
}


# --- Platforms II, second half (issue 17): Rippling, Join and Jobvite, one shared host each -------------------------
# ats.rippling.com/{slug}[/jobs[/{id}]] and the board APIs; join.com/companies/{slug}[/{job}];
# jobs.jobvite.com/{company}[/search|/jobs|/job/{id}]. Tokens kept as written (docs/registry.md: not documented as
# case-insensitive). Jobvite's branded ``/careers/{company}`` pages are marketing shells, not the hosted board.
_HOSTS.update(
    {
        "ats.rippling.com": ("rippling", None, ()),
        "api.rippling.com": ("rippling", None, ("platform", "api", "ats", "v1", "board")),
        "join.com": ("join", None, ("companies",)),
        "www.join.com": ("join", None, ("companies",)),
        "jobs.jobvite.com": ("jobvite", None, ()),
    }
)
_RESERVED.update(
    {
        "rippling": {"api", "_next", "static", "assets", "favicon.ico", "robots.txt"},
        "join": {"_next"},
        "jobvite": {"careers", "api", "__assets__", "assets", "static", "favicon.ico", "robots.txt"},
    }
)


def board_ref(url: str) -> BoardRef | None:
    """The board ``url`` belongs to, or None when it is not a supported platform's board URL."""
    try:
        parts = urlsplit(url.replace("\\/", "/").strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    known = _HOSTS.get(host)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if known is None:
        return _host_per_company(host, segments) or _subdomain_ref(host, segments)
    source, region, prefix = known
    if source == "greenhouse" and segments[:1] == ["embed"]:
        # boards.greenhouse.io/embed/job_board?for=acme and /embed/job_app?for=acme&token=...
        token = (parse_qs(parts.query).get("for") or [""])[0]
        return _ref(source, token, region)
    if source == "rippling" and segments[:3] == ["api", "v2", "board"]:
        prefix = ("api", "v2", "board")  # the current board API on the board host itself
    if tuple(segments[: len(prefix)]) != prefix or len(segments) <= len(prefix):
        return None
    token = segments[len(prefix)]
    if token.lower() in _RESERVED[source]:
        return None
    return _ref(source, token, region)


# --- platforms whose host names the company (Platforms I) ---------------------------------------------------------
_WORKDAY = re.compile(r"^(?P<tenant>[a-z0-9][a-z0-9-]*)\.(?P<wd>wd\d+)\.myworkdayjobs\.com$")
_LOCALE = re.compile(r"^[a-z]{2}(?:-[A-Za-z]{2})?$")
_SUBDOMAIN_PLATFORMS = {
    ".recruitee.com": "recruitee",
    ".jobs.personio.de": "personio",
    ".jobs.personio.com": "personio",
}
# Subdomains of those hosts that are the platform's own pages, not a company's board.
_PLATFORM_SUBDOMAINS = {"www", "app", "api", "help", "support", "blog", "docs", "status", "jobs", "careers"}
_WORKDAY_RESERVED = {"wday", "job", "details", "login", "userhome"}


def _host_per_company(host: str, segments: list[str]) -> BoardRef | None:
    """Workday (``{tenant}.{wdN}.myworkdayjobs.com/[locale/]{site}``: token ``tenant/wdN/site``), Recruitee
    (``{company}.recruitee.com``) and Personio (``{company}.jobs.personio.de|com``)."""
    if m := _WORKDAY.match(host):
        rest = segments[1:] if len(segments) > 1 and _LOCALE.match(segments[0]) else segments
        if not rest or rest[0].lower() in _WORKDAY_RESERVED or not _TOKEN.match(rest[0]):
            return None
        return BoardRef("workday", token_key("workday", f"{m.group('tenant')}/{m.group('wd')}/{rest[0]}"))
    for suffix, source in _SUBDOMAIN_PLATFORMS.items():
        if host.endswith(suffix):
            company = host[: -len(suffix)]
            if "." in company or company in _PLATFORM_SUBDOMAINS:
                return None
            return _ref(source, company, None)
    return None


# --- Platforms II: host per company (Pinpoint, Breezy, BambooHR, Teamtailor) -------------------------------------
# The board is the host's first label: ``{company}.pinpointhq.com``, ``{company}.breezy.hr``,
# ``{company}.bamboohr.com``, ``{company}.teamtailor.com``. Teamtailor's North-America region
# (``{company}.na.teamtailor.com``) is a board whose token is the whole host: the spider reads a host token as the
# host. Labels the platforms keep for their own sites are not companies; a BambooHR tenant's host also serves its HR
# application, so only its careers pages (``/careers``, ``/jobs``) name a board.
_COMPANY_DOMAINS = {
    "pinpointhq.com": "pinpoint",
    "breezy.hr": "breezy",
    "bamboohr.com": "bamboohr",
    "teamtailor.com": "teamtailor",
}
_REGIONAL_HOSTS = {"teamtailor": ("na",)}
_COMPANY_PATHS = {"bamboohr": ("careers", "jobs")}
_OWN_LABELS = frozenset(
    {"www", "app", "api", "help", "support", "status", "blog", "docs", "developers", "developer", "assets", "cdn"}
    | {"static", "mail", "marketing", "partners", "marketplace", "documentation", "login", "signup", "community"}
)
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


def _subdomain_ref(host: str, segments: list[str]) -> BoardRef | None:
    for domain, source in _COMPANY_DOMAINS.items():
        if not host.endswith("." + domain):
            continue
        labels = host[: -len(domain) - 1].split(".")
        if len(labels) == 2 and labels[1] in _REGIONAL_HOSTS.get(source, ()):
            token = host  # a regional host: the whole host is the token
        elif len(labels) == 1:
            token = labels[0]
        else:
            return None
        if not _LABEL.match(labels[0]) or labels[0] in _OWN_LABELS:
            return None
        paths = _COMPANY_PATHS.get(source)
        if paths and (not segments or segments[0].lower() not in paths):
            return None
        return _ref(source, token, None)
    return None


def _ref(source: str, token: str, region: str | None) -> BoardRef | None:
    token = token.strip()
    if not _TOKEN.match(token):
        return None
    return BoardRef(source, token_key(source, token), region)


def urls_in(text: str) -> Iterator[str]:
    """Every http(s) URL in ``text`` (plain text, HTML or JSON), trailing punctuation removed."""
    for match in _URL.finditer(text):
        yield match.group(0).rstrip(".,;:!?\\")


def board_refs(texts: Iterable[str | None]) -> set[BoardRef]:
    """The boards that any URL in ``texts`` (URLs themselves, descriptions, raw bodies) belongs to."""
    found: set[BoardRef] = set()
    for text in texts:
        if not text:
            continue
        if "&" in text:  # HN's comment text escapes every "/" as "&#x2F;"; HTML attributes escape "&"
            text = html.unescape(text)
        for url in urls_in(text):
            ref = board_ref(url)
            if ref is not None:
                found.add(ref)
    return found
