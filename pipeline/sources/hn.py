"""Hacker News "Ask HN: Who is hiring?" comments (one Algolia search hit: ``objectID``, ``comment_text`` HTML,
``created_at_i``, ``author``, ``parent_id``, ``story_id``).

A comment is free text whose first line, by the thread's convention, is a header such as
``Company | Role | Location | REMOTE | $150k-$200k | https://...``. A comment is one posting (``map_posting``),
unless it lists several roles each with its own title and pay ("- Senior Engineer - $170k", "2. Staff Engineer
($200K)", or one "Company | Role | ... | $195k" line per role): then ``map_postings`` makes one posting per role,
with external ids ``{comment id}#{n}`` (rules 9-10 below; docs/sources.md). Roles named in the header only ("Backend
/ Frontend Engineers") share one posting, their titles joined with " / ".

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

9. Several roles: a body line (at most 160 characters, bullets and numbering dropped) that names a role and a pay
   amount of its own announces a role; its title is the text before the first separator, parenthesis or amount.
   Two such lines or more split the comment; the header is the first role when every role line repeats the
   header's "Company | Role | ... | pay" shape. Each role's description is the header without its pay (it spans
   the roles), the introduction, and the role's lines up to the next role.
10. Company fallbacks: a first field that is a role or hiring talk ("Software Engineer (Contract)", "SEEKING
   PARTNER", "Founding Engineer Wanted") names no company; "Role @Company in Place" names all three; "Company
   (Remote US)" is the company with a note; a prose header names the company it starts with ("Acme is hiring",
   "At Acme, we ..."). Titles are cut at 80 characters; "experts in Denver" as a place field is "Denver".

``url`` = the comment's HN page; ``posted_at`` = ``created_at_i``.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace
from typing import Any

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning

from pipeline.company import company_from_text
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
_MAX_TITLE = 80
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


# --- several roles in one comment ------------------------------------------------------------------------------

_ROLE_PAY = re.compile(r"[$€£]\s?\d|\b\d{2,3}(?:[,.]\d{3})?\s?[kK]\b|\b\d{2,3}[,.]\d{3}\b")
_ROLE_LINE = re.compile(r"^[\-*•·>\s]*(?:\d{1,2}[.)]\s+)?(?P<line>.+?)\s*$")
_AMOUNT_AHEAD = r"(?=[$€£]|\d{2,3}(?:[,.]\d{3})?\s?[kK]\b|\d{2,3}[,.]\d{3}|(?:salary|comp|pay|ote)\b)"
_ROLE_TITLE_END = re.compile(
    r"\s*\((?=[^)]*[$€£\d])|\s+[-–—|:]\s*" + _AMOUNT_AHEAD + r"|:\s|\s*[$€£]|\s+\d{2,3}(?:[,.]\d{3})?\s?[kK]\b"
    r"|\s+[—–]\s|,\s*" + _AMOUNT_AHEAD,
    re.IGNORECASE,
)
_MAX_ROLE_LINE = 160
# What a role's own title names: an engineering role, or a lead, manager, director or head of one.
_TITLE_ROLE = re.compile(
    r"\b(?:engineers?|developers?|swes?|sres?|devops|programmers?|architects?|scientists?|designers?|managers?"
    r"|directors?|head\s+of|leads?|interns?|analysts?|researchers?|advocates?|product\s+owners?)\b",
    re.I,
)


@dataclass(slots=True)
class RoleBlock:
    """One role of a multi-role comment: its title, its own line and the lines up to the next role."""

    title: str
    line: int  # index in the comment's lines
    end: int  # the block's end (exclusive)
    header: Header | None = None  # when the role line is itself a "Company | Role | ..." header


def _role_title(line: str) -> tuple[str, Header | None] | None:
    """The role a body line announces with its own pay ("- Senior Engineer - $170k", "2. Staff Engineer ($200K)",
    "Acme | Engineering Manager | Remote | $195k"), or None."""
    m = _ROLE_LINE.match(line)
    if not m:
        return None
    body = m.group("line")
    if len(body) > _MAX_ROLE_LINE or not _ROLE_PAY.search(body) or not _TITLE_ROLE.search(body):
        return None
    if "|" in body:
        header = parse_header(body)
        if header.title and _TITLE_ROLE.search(header.title) and header.pay_fields:
            return header.title, header
        return None
    cut = _ROLE_TITLE_END.search(body)
    title = body[: cut.start()] if cut else body
    title = title.strip(" -–—:,")
    if not title or len(title.split()) > 10 or not _TITLE_ROLE.search(title) or _is_sentence(title):
        return None
    return title, None


def role_blocks(text: str) -> list[RoleBlock]:
    """The roles a comment lists with their own title and pay, in order; fewer than two: none (one posting).

    The header counts as the first role when the body repeats its "Company | Role | ... | pay" shape for the
    others (one header line per role)."""
    lines = text.split("\n")
    found: list[tuple[int, str, Header | None]] = []
    for i, line in enumerate(lines[1:80], start=1):
        role = _role_title(line)
        if role is not None:
            found.append((i, *role))
    if not found:
        return []
    if all(h is not None for _, _, h in found) and lines:
        first = _role_title(lines[0])
        if first is not None and first[1] is not None:
            found.insert(0, (0, *first))
    if len(found) < 2:
        return []
    blocks = []
    for k, (i, title, header) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(lines)
        blocks.append(RoleBlock(title=_shorten(title) or title, line=i, end=end, header=header))
    return blocks


def _header_without_pay(first: str) -> str:
    fields = split_header(first)
    kept = [f for f in fields if _kind(f) != "pay"]
    return " | ".join(kept) if "|" in first else first if len(kept) == len(fields) else " - ".join(kept)


def map_postings(payload: dict[str, Any], board: str) -> list[SourceFields]:
    """One posting per role of a comment that lists several roles with their own title and pay (``role_blocks``),
    else the comment's one posting (``map_posting``).

    A role's posting shares the comment's company, locations, work mode and posted date; its title is the role's;
    its description is the header (without the header's pay, which spans the roles), the introduction before the
    first role and the role's own lines, so the pay parser sees the role's pay only. Its external id and its
    requisition id are ``{comment id}#{n}`` (n from 1): the roles are distinct openings to deduplication although
    they share the comment's URL. Every role is rebuilt from the same stored payload: ``pipeline.normalize``
    picks the role by the external id."""
    whole = map_posting(payload, board)
    text = whole.description_text or ""
    blocks = role_blocks(text)
    if not blocks:
        return [whole]
    lines = text.split("\n")
    head = _header_without_pay(lines[0])
    header_is_first = blocks[0].line == 0
    intro = [] if header_is_first else [line for line in lines[1 : blocks[0].line] if line.strip()]
    out = []
    for n, block in enumerate(blocks, start=1):
        if header_is_first:  # one "Company | Role | ... | pay" line per role: each role's block stands alone
            description = "\n".join(lines[block.line : block.end]).strip()
        else:
            description = "\n".join([head, *intro, "", *lines[block.line : block.end]]).strip()
        h = block.header
        out.append(
            replace(
                whole,
                external_id=f"{whole.external_id}#{n}",
                requisition_id=f"{whole.external_id}#{n}",
                title=block.title,
                description_text=description,
                locations=(h.locations if h and h.locations else whole.locations),
                workplace=(h.workplace if h and h.workplace else whole.workplace),
                employment_type=(h.employment if h and h.employment else whole.employment_type),
            )
        )
    return out


def posting_ids(payload: dict[str, Any]) -> list[str]:
    """The external ids of the postings a comment makes: ``[comment id]``, or ``comment id#1..#n`` for a comment
    that lists n roles (``map_postings``). The spider yields one raw posting per id, each with the same payload."""
    return [f.external_id for f in map_postings(payload, "")]


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


_LEVEL_WORD = re.compile(
    r"^(?:senior|sr\.?|staff|principal|lead|junior|jr\.?|mid|founding|head|backend|back-end|frontend|front-end"
    r"|full[- ]?stack|product|platform|software|data|ml|ai)$",
    re.I,
)


def split_header(header: str) -> list[str]:
    parts = _PIPE.split(header) if "|" in header else _SPACED.split(header)
    out = [p.strip(" \t-–—•·,;") for p in parts if p and p.strip(" \t-–—•·,;")]
    # "Staff / Principal Engineers @Acme": a level word alone is half of a title, not a field
    merged: list[str] = []
    for part in out:
        if merged and _LEVEL_WORD.match(merged[-1]) and "|" not in header:
            merged[-1] = f"{merged[-1]} / {part}"
        else:
            merged.append(part)
    return merged


def parse_header(text: str) -> Header:
    """Company, title, locations and hints from the first line of a comment's text (rules in the module doc)."""
    lines = text.split("\n")
    first = lines[0].strip() if lines else ""
    fields = split_header(first)
    result = Header()
    if not fields:
        return result
    fields = _unfold_at_company(fields)
    if len(fields) == 1 and (len(fields[0]) > _MAX_COMPANY or _is_sentence(fields[0])):
        result.title = _role_from_body(lines[1:]) or _shorten(first)  # a header of prose names nothing reliably
        result.company = _company_from_prose(first)
        return result
    fields = _unfold_company_note(fields)
    kinds = [_kind(f) for f in fields]
    company_idx: int | None = 0
    if len(fields) == 1 and kinds[0] in ("role", "place", "remote_place"):
        company_idx = None  # a header naming only a role or a place
    elif kinds[0] in ("place", "remote_place", "mode"):
        company_idx = next((i for i, k in enumerate(kinds) if i and k in (None, "link")), None)
    if company_idx is not None and (kinds[company_idx] == "role" or _NOT_COMPANY.search(fields[company_idx])):
        company_idx = None  # "Software Engineer (Contract) | Chicago", "SEEKING PARTNER | Bay Area"
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
            result.locations.append(_place_part(text_))
        elif kind is None and i > 1 and (place := _place_part(text_)) != text_:
            result.locations.append(place)  # "tracing folks in Denver"
        if result.employment is None and _EMPLOYMENT.search(text_) and len(text_) <= _MAX_FIELD:
            result.employment = text_
    if len(fields) > 1:
        result.workplace = _workplace([f for i, f in enumerate(fields) if i != company_idx])
    if roles:
        result.title = _shorten(" / ".join(dict.fromkeys(roles)), _MAX_TITLE)
    elif len(fields) > 1 and company_idx != 1 and kinds[1] is None and len(fields[1]) <= _MAX_TITLE:
        result.title = fields[1]
    else:
        result.title = _role_from_body(lines[1:]) or _shorten(first)
    if result.company is None:
        result.company = _company_from_prose(first) or company_from_text("\n".join(lines[:6]))
    return result


# "Staff Engineers @Artemis in NYC", "Backend Engineer @ Acme (Remote)": the role, the company after "@", the place
# after " in ".
_AT_COMPANY = re.compile(
    r"^(?P<role>.*?\S)\s*@\s*(?P<company>[A-Z0-9][\w.&'’-]*(?:\s+[A-Z0-9][\w.&'’-]*){0,3})"
    r"(?:\s*\((?P<paren>[^()]*)\)|\s+in\s+(?P<place>[^|]+?))?\s*$"
)
# A first field "Company (Remote US)" or "Company (NYC)": the note is a place or a work mode, the rest the company.
_COMPANY_NOTE = re.compile(r"^(?P<name>[^()]{2,60}?)\s*\((?P<note>[^()]{2,60})\)\s*$")
# Words that make a first field no company name: hiring talk and roles ("SEEKING PARTNER", "Founding Engineer
# Wanted", "We are hiring").
_NOT_COMPANY = re.compile(
    r"\b(?:seeking|wanted|hiring|looking\s+for|job|jobs|opening|openings|position|positions|vacanc\w*)\b", re.I
)
# "Wolf Games is looking for ...", "Acme is hiring": a header of prose that starts with the company's name.
_PROSE_COMPANY = re.compile(
    r"^(?P<name>[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,3})\s+(?:\(\S+\)\s+)?(?:is|are)\s+(?:hiring|looking|seeking"
    r"|searching|growing|building)\b"
)
# "o11y experts in Denver": the place after " in ".
_IN_PLACE = re.compile(r"^(?P<what>.+?)\s+in\s+(?P<place>[^()]+?)\s*$")


def _unfold_at_company(fields: list[str]) -> list[str]:
    """Fields with a "Role @Company [in Place]" field spelled out as company, role (and place) fields."""
    for i, f in enumerate(fields):
        m = _AT_COMPANY.match(f)
        if m and _ROLE.search(m.group("role")):
            extra = [x for x in (m.group("paren"), m.group("place")) if x]
            return [m.group("company"), m.group("role"), *extra, *fields[:i], *fields[i + 1 :]]
    return fields


def _unfold_company_note(fields: list[str]) -> list[str]:
    """ "PrairieLearn (Remote US) — Engineer": a first field whose parenthesis holds a place or a work mode is the
    company followed by that note as a field of its own."""
    m = _COMPANY_NOTE.match(fields[0])
    if m and _kind(m.group("name")) is None and _kind(m.group("note")) in ("place", "remote_place", "mode"):
        return [m.group("name"), m.group("note"), *fields[1:]]
    return fields


def _place_part(field: str) -> str:
    """The place of a place field that begins with something else ("o11y experts in Denver" -> "Denver")."""
    m = _IN_PLACE.match(field)
    if m and _kind(m.group("what")) != "place" and _is_place(m.group("place")) and not _is_place(m.group("what")):
        return m.group("place")
    return field


def _company_from_prose(line: str) -> str | None:
    m = _PROSE_COMPANY.match(line.strip())
    return m.group("name") if m else company_from_text(line)


def _shorten(line: str, limit: int = _MAX_TITLE) -> str | None:
    """The first line as a last-resort title, cut at a word boundary."""
    line = " ".join(line.split())
    if len(line) <= limit:
        return line or None
    return line[:limit].rsplit(" ", 1)[0].rstrip(" ,;:|-–—") + "…"


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
