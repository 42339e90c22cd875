"""schema.org ``JobPosting`` markup embedded in career pages as JSON-LD.

Two pure halves:

- **extraction** — :func:`extract_job_postings` (``html`` -> every ``JobPosting`` object on the page) and
  :func:`read_page` (the same, with counts of the ``ld+json`` blocks found and of those that could not be read).
- **mapping** — :func:`map_posting` turns one stored payload ``{"page_url": ..., "jobposting": {...}}`` into
  :class:`~pipeline.model.SourceFields` with ``origin="jsonld"``. The payload keeps the whole JobPosting object
  and the page URL, so ``jobscout reprocess`` rebuilds postings offline.

Extraction, as real pages need it:

- Blocks are ``<script type="application/ld+json">`` elements found by an HTML parser, not by a regex: Built In
  writes the attribute entity-escaped (``type="application/ld&#x2B;json"``) and SEEK adds other attributes
  before it. A regex scan is only the fallback for markup lxml cannot parse at all.
- Each block is read leniently: strict JSON first; then a single pass that, outside strings, drops ``//`` and
  ``/* */`` comments, ``<!-- -->`` and ``<![CDATA[ ]]>`` wrappers and trailing commas, and inside strings escapes
  raw control characters and drops the backslash of invalid escapes (``\\'``); then every JSON value in the
  block is decoded in turn, so several objects concatenated (``{...}{...}`` or ``{...},{...}``) all count; a
  block written entity-escaped (``{&quot;@type&quot;...``) is unescaped once. What still cannot be decoded is
  counted as an unreadable block (the spider reports it as a parse error).
- The walk visits ``@graph``, lists and every nested object, and keeps each object whose ``@type`` is or
  includes ``JobPosting`` (also written ``schema:JobPosting`` or ``http://schema.org/JobPosting``); it does not
  look inside a JobPosting for more. The same object found twice on a page (a page repeating its markup) is
  kept once. A relative ``url`` is resolved against the page (and its ``<base href>``), as JSON-LD does.
- Only JSON-LD is read: microdata (``itemtype=".../JobPosting"``) and RDFa are not.

Mapping rules (beyond the obvious ``title``, ``description`` -> description HTML, ``url``):

- ``external_id``: ``identifier`` (a PropertyValue's ``value``, or a plain string/number); without one, a stable
  hash of the canonical page URL and the title (so a page whose title changes becomes a new posting).
- ``jobLocation`` (Place, list, or string): each address as "locality, region, country" (``addressCountry`` a
  string or a Country object). Placeholders are dropped (iCIMS sends ``"addressRegion": "UNAVAILABLE"``), and so
  is an entry that only repeats the tail of another (Built In lists "USA", "California, USA" and then the cities
  in California: only the cities are kept).
- ``jobLocationType: TELECOMMUTE`` -> workplace hint "remote"; only then is ``applicantLocationRequirements``
  read as remote regions (ISO country codes or the macro-regions of ``pipeline.location``). Built In sets it on
  hybrid jobs too, where it is not a remote-eligibility statement.
- ``employmentType`` (string or list) is passed on as written, a list joined with ", ".
- ``baseSalary``: MonetaryAmount (or a list of them): ``currency`` and a QuantitativeValue ``value`` with
  ``minValue``/``maxValue``/``value`` and ``unitText`` (HOUR, DAY, WEEK, MONTH, YEAR; also HOURLY, ANNUAL...).
  Zero amounts are placeholders. Without a unit the period comes from the magnitude, as Greenhouse's does: an
  upper bound >= 10,000 is yearly, < 500 hourly, anything between stays unknown. ``estimatedSalary`` (a
  third-party estimate) and ``directApply`` are ignored.
- ``skills`` (string or list) become tags for the skills matcher.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree
from w3lib.encoding import html_to_unicode
from w3lib.url import canonicalize_url

from pipeline.location import MACRO_REGIONS, country_code, key, parse_location
from pipeline.model import PayRange, SourceFields
from pipeline.sources import MappingError
from pipeline.sources.common import clean_str, http_url, parse_datetime, pay_amount

# ------------------------------------------------------------------------------------------------ extraction

_LD_JSON = "application/ld+json"
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_SCRIPT_FALLBACK = re.compile(
    r"<script\b[^>]*\btype\s*=\s*[\"']?\s*application/ld(?:\+|&#x2[bB];|&#43;|&plus;)json[^>]*>(.*?)</script\s*>",
    re.I | re.S,
)
_VALID_ESCAPES = set('"\\/bfnrtu')
_HEX = set("0123456789abcdefABCDEF")
_MAX_DEPTH = 40


@dataclass(slots=True)
class PageData:
    postings: list[dict[str, Any]] = field(default_factory=list)
    blocks: int = 0  # ld+json blocks on the page
    unreadable: int = 0  # blocks from which no JSON value could be recovered


def extract_job_postings(html: str | bytes, base_url: str) -> list[dict[str, Any]]:
    """Every schema.org JobPosting object in the page's JSON-LD blocks (empty when there is none)."""
    return read_page(html, base_url).postings


def read_page(html: str | bytes, base_url: str) -> PageData:
    """JobPostings of a page, with the number of JSON-LD blocks seen and of blocks that could not be read."""
    text = _decode(html)
    blocks, base_href = _script_blocks(text)
    base = urljoin(base_url, base_href) if base_href else base_url
    page = PageData(blocks=len(blocks))
    seen: set[str] = set()
    for block in blocks:
        values = load_lenient(block)
        if not values and block.strip():
            page.unreadable += 1
        found: list[dict[str, Any]] = []
        for value in values:
            _walk(value, found, 0)
        for posting in found:
            fingerprint = json.dumps(posting, sort_keys=True, default=str)
            if fingerprint in seen:
                continue
            seen.add(fingerprint)
            url = posting.get("url")
            if isinstance(url, str) and url.strip() and base and not urlsplit(url.strip()).scheme:
                posting = {**posting, "url": urljoin(base, url.strip())}
            page.postings.append(posting)
    return page


def _decode(html: str | bytes) -> str:
    if isinstance(html, bytes):
        _, text = html_to_unicode(None, html)
        return text
    return html


def _script_blocks(text: str) -> tuple[list[str], str | None]:
    """The text of each ld+json script, and the page's ``<base href>`` if any."""
    if not text.strip():
        return [], None
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text, count=1))
    except (etree.ParserError, ValueError):
        return _SCRIPT_FALLBACK.findall(text), None
    blocks = []
    for script in root.iter("script"):
        kind = (script.get("type") or "").split(";")[0].strip().lower()
        if kind == _LD_JSON:
            blocks.append(script.text or "")
    base = next((b.get("href") for b in root.iter("base") if b.get("href")), None)
    return blocks, base


def load_lenient(text: str) -> list[Any]:
    """Every JSON value recoverable from one JSON-LD block (see the module docstring for what is tolerated)."""
    text = text.strip().lstrip("\ufeff")
    if not text:
        return []
    try:
        return [json.loads(text, strict=False)]
    except ValueError:
        pass
    values = _decode_all(_clean(text))
    if not values and "&quot;" in text:
        values = _decode_all(_clean(html_lib.unescape(text)))
    return values


def _decode_all(text: str) -> list[Any]:
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    pos, end = 0, len(text)
    while pos < end:
        while pos < end and (text[pos].isspace() or text[pos] in ",;"):
            pos += 1
        if pos >= end:
            break
        try:
            value, pos = decoder.raw_decode(text, pos)
        except ValueError:
            # Skip to the next object start and try again: one broken object does not hide the next.
            nxt = text.find("{", pos + 1)
            if nxt < 0:
                break
            pos = nxt
            continue
        values.append(value)
    return values


def _clean(text: str) -> str:
    """One pass over a JSON-ish text: drop comments, wrappers and trailing commas; repair string contents."""
    out: list[str] = []
    i, n = 0, len(text)
    in_string = False
    while i < n:
        c = text[i]
        if in_string:
            if c == "\\":
                nxt = text[i + 1] if i + 1 < n else ""
                if nxt == "u" and not all(ch in _HEX for ch in text[i + 2 : i + 6]):
                    out.append("\\\\")
                    i += 1
                elif nxt in _VALID_ESCAPES:
                    out.append(c + nxt)
                    i += 2
                else:
                    i += 1  # invalid escape such as \' : keep the character, drop the backslash
                continue
            if c == '"':
                in_string = False
            elif c < " ":
                out.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(c, f"\\u{ord(c):04x}"))
                i += 1
                continue
            out.append(c)
            i += 1
            continue
        if c == '"':
            in_string = True
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
            continue
        elif text.startswith("<!--", i):
            i += 4
            continue
        elif text.startswith("-->", i):
            i += 3
            continue
        elif text.startswith("<![CDATA[", i):
            i += 9
            continue
        elif text.startswith("]]>", i):
            i += 3
            continue
        elif c == ",":
            j = i + 1
            while j < n and text[j].isspace():
                j += 1
            if j < n and text[j] in "}]":
                i = j  # trailing comma
                continue
        out.append(c)
        i += 1
    return "".join(out)


def _is_jobposting(node: dict[str, Any]) -> bool:
    kinds = node.get("@type")
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if isinstance(kind, str) and re.split(r"[/:#]", kind.strip())[-1].lower() == "jobposting":
            return True
    return False


def _walk(node: Any, found: list[dict[str, Any]], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            _walk(item, found, depth + 1)
    elif isinstance(node, dict):
        if _is_jobposting(node):
            found.append(node)
            return
        for value in node.values():
            if isinstance(value, dict | list):
                _walk(value, found, depth + 1)


# --------------------------------------------------------------------------------------------------- mapping

_PLACEHOLDERS = {"", "unavailable", "n/a", "na", "none", "null", "undefined", "-", "tbd", "not specified", "unknown"}
_UNITS = {
    "hour": "hour",
    "hourly": "hour",
    "day": "day",
    "daily": "day",
    "week": "week",
    "weekly": "week",
    "month": "month",
    "monthly": "month",
    "year": "year",
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "annum": "year",
}
_HOURLY_BELOW = 500.0
_YEARLY_FROM = 10_000.0
_TAGS = re.compile(r"<[^>]+>")


def posting_id(jobposting: dict[str, Any], page_url: str | None) -> str:
    """The posting's id within its site: ``identifier``, else a hash of the canonical page URL and the title."""
    ident = _identifier(jobposting.get("identifier"))
    if ident:
        return ident
    title = _ld_text(jobposting.get("title")) or ""
    url = canonicalize_url(page_url, keep_fragments=False) if page_url else ""
    return "urlhash:" + hashlib.sha1(f"{url}\n{title}".encode()).hexdigest()[:20]


def map_posting(payload: dict[str, Any], board: str) -> SourceFields:
    if not isinstance(payload, dict) or not isinstance(payload.get("jobposting"), dict):
        raise MappingError("JSON-LD payload without a 'jobposting' object")
    job: dict[str, Any] = payload["jobposting"]
    page_url = payload.get("page_url") if isinstance(payload.get("page_url"), str) else None
    url = job.get("url") if isinstance(job.get("url"), str) and job["url"].strip() else None
    if url and page_url and not urlsplit(url).scheme:
        url = urljoin(page_url, url.strip())
    remote = _is_telecommute(job.get("jobLocationType"))
    description = job.get("description")
    return SourceFields(
        title=_ld_text(job.get("title")),
        external_id=posting_id(job, page_url),
        company=_name(job.get("hiringOrganization")),
        url=http_url(url) or page_url,  # a javascript: (or other non-http) url: the page it was on
        locations=_locations(job.get("jobLocation")),
        description_html=description if isinstance(description, str) else None,
        pay=_pay_ranges(job.get("baseSalary")),
        workplace="remote" if remote else _workplace_value(job.get("jobLocationType")),
        remote_regions=_regions(job.get("applicantLocationRequirements")) if remote else [],
        employment_type=_employment(job.get("employmentType")),
        posted_at=parse_datetime(_scalar(job.get("datePosted"))),
        valid_through=parse_datetime(_scalar(job.get("validThrough"))),
        tags=_skills(job.get("skills")),
        origin="jsonld",
    )


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return value[0] if value else None
    if isinstance(value, dict):
        return value.get("@value")
    return value


def _ld_text(value: Any) -> str | None:
    """A text value: entities decoded, stray tags removed, whitespace collapsed."""
    value = _scalar(value)
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    return clean_str(_TAGS.sub(" ", html_lib.unescape(str(value))))


def _identifier(value: Any) -> str | None:
    if isinstance(value, list):
        return next((ident for item in value if (ident := _identifier(item))), None)
    if isinstance(value, dict):
        return _ld_text(value.get("value") if value.get("value") is not None else value.get("@value"))
    return _ld_text(value)


def _name(value: Any) -> str | None:
    if isinstance(value, list):
        return next((name for item in value if (name := _name(item))), None)
    if isinstance(value, dict):
        return _ld_text(value.get("name") or value.get("legalName"))
    return _ld_text(value)


def _part(value: Any) -> str | None:
    name = _name(value)
    return None if name is None or name.lower() in _PLACEHOLDERS else name


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _locations(value: Any) -> list[str]:
    found: list[str] = []
    for place in _as_list(value):
        text = None
        if isinstance(place, str):
            text = _part(place)
        elif isinstance(place, dict):
            address = place.get("address")
            if isinstance(address, list):
                address = address[0] if address else None
            if isinstance(address, dict):
                parts: list[str] = []
                for key_ in ("addressLocality", "addressRegion", "addressCountry"):
                    part = _part(address.get(key_))
                    if part and (not parts or parts[-1].lower() != part.lower()):
                        parts.append(part)
                text = ", ".join(parts) or _part(address.get("name"))
            elif isinstance(address, str):
                text = _part(address)
            text = text or _part(place.get("name"))
        if text and text not in found:
            found.append(text)
    # Drop an entry that only repeats the tail of a more specific one ("California, USA" beside "Oakland, ...").
    lowered = [loc.lower() for loc in found]
    return [
        loc
        for loc, low in zip(found, lowered, strict=True)
        if not any(other != low and other.endswith(", " + low) for other in lowered)
    ]


def _is_telecommute(value: Any) -> bool:
    return any(isinstance(v, str) and v.strip().upper() == "TELECOMMUTE" for v in _as_list(value))


def _workplace_value(value: Any) -> str | None:
    """A non-standard jobLocationType ("HYBRID", "ONSITE") passed on as a hint; the workplace parser decides."""
    first = next((v for v in _as_list(value) if isinstance(v, str) and v.strip()), None)
    return first.strip() if first else None


def _regions(value: Any) -> list[str]:
    regions: list[str] = []
    for item in _as_list(value):
        name = _name(item)
        if not name:
            continue
        region = country_code(name) or MACRO_REGIONS.get(key(name)) or parse_location(name).country
        if region and region not in regions:
            regions.append(region)
    return regions


def _employment(value: Any) -> str | None:
    values = [v.strip() for v in _as_list(value) if isinstance(v, str) and v.strip()]
    return ", ".join(values) or None


def _skills(value: Any) -> list[str]:
    if isinstance(value, str):
        items: list[Any] = [s for s in re.split(r"\s*[,;\n]\s*", value)]
    else:
        items = _as_list(value)
    return [name for item in items if (name := _name(item)) and len(name) <= 60]


def _period(unit: Any, top: float) -> str | None:
    if isinstance(unit, str):
        word = re.sub(r"[^a-z]", "", unit.lower()).removeprefix("per")
        if word in _UNITS:
            return _UNITS[word]
    if top >= _YEARLY_FROM:
        return "year"
    if top < _HOURLY_BELOW:
        return "hour"
    return None


def _pay_ranges(value: Any) -> list[PayRange]:
    ranges = []
    for amount in _as_list(value):
        if not isinstance(amount, dict):
            continue
        currency = amount.get("currency")
        currency = currency.strip().upper() if isinstance(currency, str) and len(currency.strip()) == 3 else None
        inner = amount.get("value")
        unit = amount.get("unitText")
        if isinstance(inner, dict):
            low, high = pay_amount(inner.get("minValue")), pay_amount(inner.get("maxValue"))
            if low is None and high is None:
                low = high = pay_amount(inner.get("value"))
            unit = inner.get("unitText") or unit
        else:
            low = high = pay_amount(inner)
        if low is None and high is None:
            continue
        top = high if high is not None else low
        ranges.append(
            PayRange(
                min=low,
                max=high,
                currency=currency,
                period=_period(unit, top),
                raw=_pay_raw(low, high, currency, unit),
            )
        )
    return ranges


def _pay_raw(low: float | None, high: float | None, currency: str | None, unit: Any) -> str:
    def fmt(x: float | None) -> str:
        return "?" if x is None else f"{x:g}"

    amount = fmt(low) if low == high else f"{fmt(low)}-{fmt(high)}"
    per = f" per {unit}" if isinstance(unit, str) and unit.strip() else ""
    return f"baseSalary {amount} {currency or ''}{per}".replace("  ", " ").strip()
