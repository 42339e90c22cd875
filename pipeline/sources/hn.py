"""Hacker News "Ask HN: Who is hiring?" comments (one Algolia search hit: ``objectID``, ``comment_text`` HTML,
``created_at_i``, ``author``, ``parent_id``, ``story_id``).

A comment is free text whose first line, by the thread's convention, is a header such as
``Company | Role | Location | REMOTE | $150k-$200k | https://...``. One comment is one posting, even when it
lists several roles (the roles then share the title, joined with " / ", and the description).

Header rules (the header is the text before the first paragraph break or line break):

1. Fields: split on ``|``; without one, on spaced separators `` - `` `` – `` `` — `` ``--`` `` / `` `` • ``
   `` · ``; a bare ``/`` never splits ("Hybrid/Onsite", "FE/Fullstack"). No separator: the header is one field.
2. Company = the first field, with URLs, empty brackets and a "(YC S18)" note removed; when the first field is
   itself a place ("San Francisco, CA - Life360") the first field that is neither a place, a role, pay, an
   employment type nor a work-mode word is the company instead. A header of prose (one field longer than 60
   characters: "At Grey Rhino (www.greyrhino.ai), we are...") names no company.
3. Each other field is, in this order: a link (skipped); pay (a currency sign or code, a "k" amount, or a word
   such as salary/compensation/equity); a role (engineer, developer, SWE, SRE, backend, full-stack, ...,
   "Multiple Roles"); a place (the location parser finds a city, region or country, or a macro-region such as
   EU/LATAM); a work-mode word alone ("REMOTE", "Hybrid/Onsite"). Fields of more than 100 characters (the header
   ran into the prose) are not taken as places, nor fields of more than 160 as roles.
4. Title = the role fields joined with " / "; else the second field when it is none of the kinds above; else
   the first short line of the body that names a role ("Senior Backend Engineer", "- Staff SRE (Remote)");
   else the first line itself, cut at 120 characters ("Innolitics | US-Based | Remote | Full-time"). Every
   comment with text thus has a title: a missing title is a parse error, and one comment in five names no
   role in its header, which would mark every HN crawl degraded. The role filter decides what is shown.
5. Locations = the place fields, as written ("Remote (EU)" and "Boston (ONSITE)" included: the location and
   workplace parsers read them).
6. Workplace hint from the work-mode words of the fields after the company: "remote" if any field offers remote
   ("REMOTE", "Remote (US)", "SF or Remote"; not "no remote"), else "hybrid", else "onsite" ("ONSITE", "on-site",
   "in office", "no remote"). The same order workplace.py uses for several locations: a remote option wins.
7. Employment hint = the first field naming full-time/part-time/contract/intern/freelance/permanent.
8. Pay is left to the text parser: the description is the whole comment as text, and a pay field that carries
   no currency ("90K - 150K") is repeated on a last line "Pay: 90K - 150K" so the parser sees its cue.

``url`` = the comment's HN page; ``posted_at`` = ``created_at_i``.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from pipeline.location import MACRO_REGIONS, key, parse_location, split_locations
from pipeline.model import SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, parse_datetime

HN_ITEM_URL = "https://news.ycombinator.com/item?id={}"

_PIPE = re.compile(r"\s*\|\s*")
_SPACED = re.compile(r"\s+(?:--|-|–|—|/|•|·)\s+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_DOMAIN = re.compile(
    r"^[\w-]+(?:\.[\w-]+)*\.(?:com|io|ai|dev|co|org|net|app|tech|xyz|so|sh|us|uk|de|eu)(?:/\S*)?$", re.I
)
_YC = re.compile(r"\s*\((?:[^()]*\bYC\b[^()]*)\)", re.I)
_EMPTY_PARENS = re.compile(r"\(\s*\)")
_PAY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?[kK]\b|\b\d{2,3}[,.]\d{3}\b|\b(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|INR|PLN)\b"
    r"|\b(?:salary|salaries|compensation|comp|pay|OTE|equity|stock options)\b",
    re.I,
)
_CURRENCY = re.compile(r"[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|INR|PLN)\b", re.I)
_ROLE = re.compile(
    r"\b(?:engineers?|engineering|developers?|devs?|swes?|sres?|devops|programmers?|architects?|scientists?"
    r"|designers?|managers?|leads?|cto|vp|head of|founding|analysts?|administrators?|admins?|researchers?"
    r"|interns?|internships?|back[- ]?end|front[- ]?end|full[- ]?stack|fullstack|qa|testers?|product|recruiters?"
    r"|sales|marketing|advocates?|roles?|positions?|hackers?|specialists?|consultants?|directors?|writers?"
    r"|ios|android|mobile|ml|mlops|infra(?:structure)?|platform|security|data|account executive|operations"
    r"|technician|postdoc|phd|co-?founders?|hiring)\b",
    re.I,
)
_EMPLOYMENT = re.compile(
    r"\b(?:full[- ]?time|part[- ]?time|contract(?:or|s)?|contract[- ]to[- ]hire|freelance(?:r)?|intern(?:ship)?s?"
    r"|permanent|temporary|fte|1099|w-?2)\b",
    re.I,
)
_REMOTE = re.compile(r"(?<![\w-])(?<!no )(?<!not )(?<!non-)(?<!non )(?:remote|telecommute|wfh)\b", re.I)
_HYBRID = re.compile(r"\bhybrid\b", re.I)
_ONSITE = re.compile(r"\bon[- ]?site\b|\bin[- ](?:office|person)\b|\bno[- ]remote\b|\bnot remote\b", re.I)
_MODE_WORDS = re.compile(
    r"\b(?:fully|100%|remote|telecommute|wfh|hybrid|on[- ]?site|in[- ](?:office|person)|no|not|only|ok|okay"
    r"|friendly|first|possible|available|preferred|or|and|both)\b|[^\w]+",
    re.I,
)
_BODY_ROLE = re.compile(
    r"\b(?:engineers?|developers?|swes?|sres?|devops|programmers?|architects?|scientists?|designers?"
    r"|engineering managers?|tech leads?|interns?)\b",
    re.I,
)
_BODY_ROLE_LINE = re.compile(r"^[\-*•·>\s]*(?P<line>.{3,80}?)[\s:]*$")
_SENTENCE_START = re.compile(r"^(?:we|we're|i|i'm|our|you|if|the|this|at|as|to|for|apply|email|contact)\b", re.I)
_NOT_PLACE = re.compile(r"\b(?:no[- ]?)?(?:visas?|sponsorship|relocation)\b", re.I)  # "ONSITE NO-VISA": not Norway
_MAX_FIELD = 100
_MAX_ROLE = 160
_MAX_TITLE = 120
_MAX_COMPANY = 60
_DEAD = {"[deleted]", "[dead]", "[flagged]"}


@dataclass(slots=True)
class Header:
    company: str | None = None
    title: str | None = None
    locations: list[str] = field(default_factory=list)
    workplace: str | None = None
    employment: str | None = None
    pay_fields: list[str] = field(default_factory=list)


def is_deleted(hit: dict[str, Any]) -> bool:
    """A hit that carries no posting: deleted or dead, or without text."""
    if hit.get("deleted") or hit.get("dead"):
        return True
    text = hit.get("comment_text")
    return not isinstance(text, str) or not text.strip() or text.strip() in _DEAD


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict) or payload.get("objectID") in (None, ""):
        raise MappingError("HN comment without an objectID")
    object_id = str(payload["objectID"])
    comment = payload.get("comment_text")
    text = comment_to_text(comment) if isinstance(comment, str) else ""
    header = parse_header(text)
    pay_lines = [f"Pay: {f}" for f in header.pay_fields if re.search(r"\d", f) and not _CURRENCY.search(f)]
    description = "\n\n".join([text, *pay_lines]) if pay_lines else text
    return SourceFields(
        title=header.title,
        external_id=object_id,
        company=header.company,
        url=HN_ITEM_URL.format(object_id),
        locations=header.locations,
        description_text=description or None,
        workplace=header.workplace,
        employment_type=header.employment,
        posted_at=parse_datetime(payload.get("created_at_i")) or parse_datetime(payload.get("created_at")),
    )


def comment_to_text(comment_html: str) -> str:
    """HN comment HTML -> text: ``<p>`` starts a paragraph (HN leaves it unclosed), ``<br>``/newlines break
    lines, links keep their text (and their target when the text is not the URL), entities are decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(comment_html, "html.parser")
    for tag in soup.find_all(["p", "pre", "div", "li"]):
        tag.insert_before("\n\n")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for link in soup.find_all("a"):
        href = link.get("href")
        label = link.get_text()
        if isinstance(href, str) and href.strip() and href.rstrip("/") not in label and "..." not in label:
            link.append(f" ({href})")
    lines = (" ".join(line.split()) for line in soup.get_text().split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def split_header(header: str) -> list[str]:
    parts = _PIPE.split(header) if "|" in header else _SPACED.split(header)
    return [p.strip(" \t-–—•·,;") for p in parts if p and p.strip(" \t-–—•·,;")]


def parse_header(text: str) -> Header:
    """Company, title, locations and hints from the first line of a comment's text (rules in the module doc)."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    fields = split_header(first)
    result = Header()
    if not fields:
        return result
    if len(fields) == 1 and (len(fields[0]) > _MAX_COMPANY or _is_sentence(fields[0])):
        result.title = _role_from_body(lines[1:]) or _shorten(first)  # a header of prose names nothing reliably
        return result
    kinds = [_kind(f) for f in fields]
    company_idx: int | None = 0
    if len(fields) == 1 and kinds[0] in ("role", "place", "remote_place"):
        company_idx = None  # a header naming only a role or a place
    elif kinds[0] in ("place", "remote_place", "mode"):
        company_idx = next((i for i, k in enumerate(kinds) if i and k in (None, "link")), None)
    if company_idx is not None:
        result.company = _company(fields[company_idx])
    roles: list[str] = []
    for i, (text_, kind) in enumerate(zip(fields, kinds, strict=True)):
        if i == company_idx:
            continue
        if kind == "pay":
            result.pay_fields.append(text_)
        elif kind == "role":
            roles.append(text_)
        elif kind in ("place", "remote_place"):
            result.locations.append(text_)
        if result.employment is None and _EMPLOYMENT.search(text_) and len(text_) <= _MAX_FIELD:
            result.employment = text_
    if len(fields) > 1:
        result.workplace = _workplace([f for i, f in enumerate(fields) if i != company_idx])
    if roles:
        result.title = " / ".join(dict.fromkeys(roles))
    elif len(fields) > 1 and company_idx != 1 and kinds[1] is None and len(fields[1]) <= 80:
        result.title = fields[1]
    else:
        result.title = _role_from_body(lines[1:]) or _shorten(first)
    return result


def _shorten(line: str) -> str | None:
    """The first line as a last-resort title, cut at a word boundary."""
    line = " ".join(line.split())
    if len(line) <= _MAX_TITLE:
        return line or None
    return line[:_MAX_TITLE].rsplit(" ", 1)[0].rstrip(" ,;:|-–—") + "…"


def _kind(text: str) -> str | None:
    if (_URL.search(text) and len(_URL.sub("", text).strip(" ()[]<>")) < 3) or _DOMAIN.match(text):
        return "link"
    if _PAY.search(text):
        return "pay"
    long = len(text) > _MAX_FIELD
    has_mode = bool(_REMOTE.search(text) or _HYBRID.search(text) or _ONSITE.search(text))
    if len(text) <= (_MAX_COMPANY if has_mode else _MAX_ROLE) and _ROLE.search(text) and not _is_mode_only(text):
        return "role"
    if not long and _is_place(text):
        return "remote_place" if has_mode else "place"
    if has_mode:
        return "mode"
    if _EMPLOYMENT.search(text) and len(text) <= _MAX_COMPANY:
        return "employment"
    return None


def _is_sentence(text: str) -> bool:
    return bool(_SENTENCE_START.match(text)) or text.rstrip().endswith((".", "!", "?"))


def _is_mode_only(text: str) -> bool:
    has_mode = bool(_REMOTE.search(text) or _HYBRID.search(text) or _ONSITE.search(text))
    return has_mode and not _MODE_WORDS.sub("", text).strip()


def _is_place(text: str) -> bool:
    text = _NOT_PLACE.sub(" ", text)
    for part in split_locations(text):
        loc = parse_location(part)
        if loc.city or loc.region or loc.country:
            return True
    words = re.sub(r"[^\w ]+", " ", text.lower()).split()
    return any(w in MACRO_REGIONS for w in words) or key(text) in MACRO_REGIONS


def _workplace(fields: list[str]) -> str | None:
    joined = " | ".join(f for f in fields if len(f) <= _MAX_FIELD * 2)
    if _REMOTE.search(joined):
        return "remote"
    if _HYBRID.search(joined):
        return "hybrid"
    if _ONSITE.search(joined):
        return "onsite"
    return None


def _company(text: str) -> str | None:
    name = _EMPTY_PARENS.sub("", _YC.sub("", _URL.sub("", text)))
    name = clean_str(name.strip(" ,;:-–—"))
    if name and name.count("(") > name.count(")"):
        name = clean_str(name.rsplit("(", 1)[0]) if not name.startswith("(") else clean_str(name.lstrip("("))
    if not name or len(name) > _MAX_COMPANY:
        return None
    return name


def _role_from_body(lines: list[str]) -> str | None:
    for raw in lines[:40]:
        m = _BODY_ROLE_LINE.match(raw.strip())
        if not m:
            continue
        line = m.group("line").strip()
        if _BODY_ROLE.search(line) and not _is_sentence(line) and len(line.split()) <= 10 and not _URL.search(line):
            return line
    return None
