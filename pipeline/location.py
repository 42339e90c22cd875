"""Location strings -> ``Location(city, region, country)``; combined strings -> several.

Pure and table-driven (results are cached per location string: a board repeats a few). The tables live in
``pipeline/data/``:

- ``location_countries.tsv`` — every ISO 3166-1 country: alpha-2 code, display name, aliases (alpha-3 codes,
  official and common names: "USA", "UK", "Great Britain", "The Netherlands", "UAE", ...).
- ``location_regions.tsv`` — first-level subdivisions that job postings name: US states (+ DC, territories),
  Canadian provinces, Australian states, Indian states, German Länder, Brazilian states, the four UK nations.
- ``location_cities.tsv`` — ~330 major cities with region and country, plus abbreviations ("SF", "NYC", "SEA").

Output conventions (schema v1 ``locations: [{raw, city, region, country}]``):

- ``country``: ISO 3166-1 alpha-2, or None when the string does not say (or says several countries).
- ``region``: the English subdivision name from the regions table ("California", "Ontario", "Karnataka",
  "Bavaria", "England", "District of Columbia") — never the postal code; a middle part not in the table is kept
  as written ("Lyon, Auvergne-Rhône-Alpes, France").
- ``city``: the table's canonical name when the city is known and consistent with the stated country
  ("NYC" -> "New York", "Bangalore" -> "Bengaluru", "Sao Paulo" -> "São Paulo"); otherwise as written, and only
  when the string has a country/region context ("Pine Bluff" alone stays all-None).
- Work-mode words are ignored here ("Remote - US" -> country US, no city); ``pipeline.workplace`` reads them.
  So are time zones ("USA, CST (UTC-6)", "European timezones": Remotive) and parenthesized remarks about
  relocation or visas ("India (Open to Relocation & Visa Sponsorship)": HN headers).
- Macro-regions ("Europe", "EMEA", "LATAM", "North America") give no country.

Ambiguities, decided:

- A trailing two-letter code that is both a US state and a country ("CA", "DE", "IN", "IL", "GA", ...) is the
  country when the preceding city is a known city of that country ("Toronto, CA", "Berlin, DE", "Chennai, IN"),
  otherwise the US state ("San Francisco, CA", "Wilmington, DE").
- Two- and three-letter codes count only when written in upper case ("IN" is India/Indiana, "in" is a word).
- A prefix code ("US-CA-San Francisco", "IN-Bengaluru", "CA-Toronto", "MX- Mexico City") is a country code
  (Workday/Greenhouse style), unless the rest names a US city in the state of that code ("CA-San Francisco").
- Bare "Georgia" is the US state (job feeds list US states far more often than the country); bare "Washington"
  is the US state (no city).
- Time-zone abbreviations win over the alpha-3 code they spell ("EST" is Eastern time, not Estonia).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pipeline.model import Location

DATA_DIR = Path(__file__).resolve().parent / "data"

# Macro-regions: recognized (so they do not read as cities) but give no country.
MACRO_REGIONS = {
    "europe": "Europe",
    "eu": "Europe",
    "european union": "Europe",
    "emea": "EMEA",
    "americas": "Americas",
    "amer": "Americas",
    "north america": "North America",
    "northern america": "North America",
    "latam": "LATAM",
    "latin america": "LATAM",
    "south america": "LATAM",
    "apac": "APAC",
    "asia pacific": "APAC",
    "asia": "Asia",
    "africa": "Africa",
    "oceania": "Oceania",
    "middle east": "Middle East",
    "worldwide": "Worldwide",
    "global": "Worldwide",
    "anywhere": "Worldwide",
    "anywhere in the world": "Worldwide",
    "international": "Worldwide",
    "european": "Europe",  # Remotive's "European timezones" (the noise pass drops "timezones")
}

# Words that describe the work mode or the office rather than the place; removed before resolving.
_NOISE = re.compile(
    r"""(?ix)
    \b(?:fully\s+|100%\s*)?remote(?:[\s-]+(?:first|friendly|flexibility|flexible|ok|okay|possible|eligible|option))?\b
    | \bhybrid(?:[\s-]+remote)?\b
    | \bon[\s-]?site\b | \bin[\s-](?:office|person)\b | \bwork\s+from\s+home\b | \bwfh\b
    | \b(?:hq|headquarters|head\s+office|main\s+office|office|offices|campus)\b
    | \b(?:only|national|nationwide|based|preferred|(?<!bay\s)area|metro(?:politan)?|region)\b
    | \b(?:time\s*zones?|timezones?)\b
    | \b(?:multiple|various)\s+locations?\b
    | ^\s*(?:in|within|from)\s+(?:the\s+)?
    | \b(?:in|within)\s+(?:the\s+)?(?=\S)
    """
)
# Time zones (Remotive: "USA, CST (UTC-6)") were read as a city, "EST" as Estonia; they are written in capitals,
# and every one holds a "T", which gates this pass (kept out of _NOISE: each alternative there is tried at every
# position of every string, and these three made _clean ~25% slower).
_TZ_NOISE = re.compile(
    r"\b(?:UTC|GMT)\s*[+\-\u2212]\s*\d{1,2}(?::?\d\d)?\b|\b(?:[PMCE][SD]T|CET|CEST|EET|EEST|WET|GMT|UTC|BST|AEST|AEDT)\b"
)
# A parenthesized remark about relocation or visas (HN: "India (Open to Relocation & Visa Sponsorship)").
_REMARK_NOISE = re.compile(r"(?i)\([^()]*\b(?:relocation|visa|sponsorship)\b[^()]*\)")
_PREFIX = re.compile(r"^([A-Za-z]{2,3})\s*-\s*(\S.*)$")
_NAMED_PREFIX = re.compile(r"^([A-Za-z][A-Za-z .]{3,40}?)\s*-\s*(\S.*)$")
_PART_SPLIT = re.compile(r"\s*,\s*|\s+[-–—]\s+|\s*\(\s*|\s*\)\s*|\s*:\s+")
_ALT_SPLIT = re.compile(r"\s*/\s*|\s*\|\s*|\s*;\s*|\s+(?:or|and|&)\s+", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_LEADING_THE = re.compile(r"^(?:the|in|within|from)\s+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def key(value: str) -> str:
    """Lookup key: accents folded, case folded, dots dropped ("U.S." -> "us"), other punctuation -> one space.

    Cached: the same place words come back in every posting of a board (``key`` runs several times per location
    string, on the whole string and on each part)."""
    if value.isascii():
        # NFKD and the combining-mark filter leave ASCII as it is, and ASCII casefold() is lower(); the per-character
        # filter below was the top cost of location parsing in cProfile.
        value = value.lower()
    else:
        value = unicodedata.normalize("NFKD", value)
        value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    return _NON_ALNUM.sub(" ", value.replace(".", "")).strip()


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    region: str | None
    country: str


@dataclass(frozen=True, slots=True)
class _Region:
    name: str
    country: str


@dataclass(frozen=True, slots=True)
class _Tables:
    countries: dict[str, str]  # key of a name -> alpha-2
    country_codes: dict[str, str]  # upper-case alpha-2 / alpha-3 / "UK" -> alpha-2
    regions: dict[str, tuple[_Region, ...]]  # key of a name -> candidates
    region_codes: dict[str, tuple[_Region, ...]]  # upper-case postal code -> candidates
    cities: dict[str, _City]


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        lines = [line for line in f if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


@cache
def tables() -> _Tables:
    countries: dict[str, str] = {}
    codes: dict[str, str] = {"UK": "GB"}
    for row in _rows("location_countries.tsv"):
        code = row["code"]
        codes[code] = code
        for alias in [row["name"], *filter(None, (row["aliases"] or "").split("|"))]:
            if len(alias) == 3 and alias.isupper():
                codes[alias] = code
            else:
                countries.setdefault(key(alias), code)
    regions: dict[str, list[_Region]] = {}
    region_codes: dict[str, list[_Region]] = {}
    for row in _rows("location_regions.tsv"):
        region = _Region(row["name"], row["country"])
        aliases = [a for a in (row["aliases"] or "").split("|") if a]
        for alias in [row["name"], *aliases]:
            if alias.isupper() and len(alias) <= 3:
                region_codes.setdefault(alias, []).append(region)
            else:
                regions.setdefault(key(alias), []).append(region)
    cities: dict[str, _City] = {}
    for row in _rows("location_cities.tsv"):
        city = _City(row["city"], row["region"] or None, row["country"])
        for alias in [row["city"], *filter(None, (row["aliases"] or "").split("|"))]:
            cities.setdefault(key(alias), city)
    return _Tables(
        countries=countries,
        country_codes=codes,
        regions={k: tuple(v) for k, v in regions.items()},
        region_codes={k: tuple(v) for k, v in region_codes.items()},
        cities=cities,
    )


def country_code(name: str) -> str | None:
    """ISO alpha-2 for a country name, alias or upper-case code ("Germany", "USA", "UK", "DE"); else None."""
    t = tables()
    name = name.strip()
    if name in t.country_codes and name.isupper():
        return t.country_codes[name]
    return t.countries.get(key(name))


@dataclass(slots=True)
class _Part:
    text: str
    country: str | None = None  # a country name or upper-case code
    regions: tuple[_Region, ...] = ()
    city: _City | None = None
    macro: bool = False

    @property
    def known(self) -> bool:
        return bool(self.country or self.regions or self.city or self.macro)


def _classify(text: str) -> _Part:
    t = tables()
    part = _Part(text)
    k = key(text)
    if not k:
        return part
    if text.isupper() and text in t.country_codes and len(text) <= 3:
        part.country = t.country_codes[text]
    elif k in t.countries:
        part.country = t.countries[k]
    if text.isupper() and text in t.region_codes:
        part.regions = t.region_codes[text]
    elif k in t.regions:
        part.regions = t.regions[k]
    part.city = t.cities.get(k)
    part.macro = k in MACRO_REGIONS
    return part


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFC", raw).strip()
    if "T" in text:
        text = _TZ_NOISE.sub(" ", text)
    if "(" in text:
        text = _REMARK_NOISE.sub(" ", text)
    text = _NOISE.sub(" ", text)
    text = re.sub(r"\(\s*\)|\[\s*\]", " ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(" \t,;:/|-–—()[]*.")


def _resolve(parts: list[_Part]) -> tuple[str | None, str | None, str | None]:
    """(city, region, country) from classified parts of one location, most general part last.

    Three phases, each taking the parts it reads as its answer (``used``) so that the next one skips them: the
    country (:func:`_country_part`), the region (:func:`_region`, then :func:`_code_country` for a two-letter
    code left over), the city (:func:`_city`, then :func:`_city_state` when the country is the city); and last the
    middle part of three that the tables do not know (:func:`_middle_region`)."""
    if not parts:
        return None, None, None
    used: set[int] = set()
    country = None
    i = _country_part(parts)
    if i is not None:
        if _lists_countries(parts):
            return None, None, None  # "US, Canada": several countries, none of them the answer
        country = parts[i].country
        used.add(i)
    region, country = _region(parts, used, country)
    if country is None:
        country = _code_country(parts, used)
    city, region, country = _city(parts, used, region, country)
    if city is None and country is not None:
        city = _city_state(parts, used, region, country)
    region = _middle_region(parts, used, region, country, city)
    return city, region, country


def _country_part(parts: list[_Part]) -> int | None:
    """The index of the right-most part that names a country, or None. Two-letter codes that are also US states
    wait for the region phase; a name that is both a US state and a country is the state after a US city or alone
    ("Atlanta, Georgia" and bare "Georgia" are the US state; "Tbilisi, Georgia" is the country)."""
    first_city = parts[0].city if len(parts) > 1 else None
    for i in range(len(parts) - 1, -1, -1):
        p = parts[i]
        if p.regions and p.country and len(p.text) > 2:
            region_countries = {r.country for r in p.regions}
            if (first_city is not None and first_city.country in region_countries) or (
                len(parts) == 1 and "US" in region_countries
            ):
                continue
        if p.country and not (p.regions and len(p.text) == 2):
            return i
    return None


def _lists_countries(parts: list[_Part]) -> bool:
    """Whether the location is a list of several countries and nothing else ("US, Canada"): none of them is the
    answer."""
    countries = {p.country for p in parts if p.country}
    return len(countries) > 1 and len(parts) == len(countries)


def _region(parts: list[_Part], used: set[int], country: str | None) -> tuple[str | None, str | None]:
    """(region, country): the right-most unused part naming a subdivision (of ``country``, when known), adding
    it to ``used``. A two-letter code after a known city of its country ("Toronto, CA") is that country instead,
    and an ambiguous name is the US one (job feeds name US states far more often)."""
    for i in range(len(parts) - 1, -1, -1):
        if i in used or not parts[i].regions:
            continue
        p = parts[i]
        if (
            len(parts) > 1
            and p.city is not None
            and (country is None or p.city.country == country)
            and all(j in used or parts[j].macro for j in range(i))
            and any(j > i for j in range(len(parts)))
        ):
            continue  # "Berlin, Germany", "São Paulo, Brazil": the first place is the city, not the state
        cands = [r for r in p.regions if country is None or r.country == country]
        if not cands:
            continue
        if country is None and p.country and len(p.text) == 2:
            # "CA", "DE", "IN": a country when the city before it is a known city of that country.
            first = parts[0].city if i > 0 else None
            if first is not None and first.country == p.country:
                used.add(i)
                return None, p.country
            us = [r for r in cands if r.country == "US"]
            cands = us or cands
        if len(parts) == 1 and p.city is not None and any(r.name == p.city.region for r in cands):
            return None, country  # "New York", "Berlin": the city reading carries the region too
        if len({r.country for r in cands}) > 1:
            cands = [r for r in cands if r.country == "US"] or cands
        used.add(i)
        return cands[0].name, country or cands[0].country
    return None, country


def _code_country(parts: list[_Part], used: set[int]) -> str | None:
    """The country of the right-most unused part naming one (a two-letter code that the region phase did not
    take is only a country after all), adding it to ``used``; None when no part names one."""
    for i in range(len(parts) - 1, -1, -1):
        if i not in used and parts[i].country:
            used.add(i)
            return parts[i].country
    return None


def _city(
    parts: list[_Part], used: set[int], region: str | None, country: str | None
) -> tuple[str | None, str | None, str | None]:
    """(city, region, country): the first part not used yet and not a macro-region. A known city consistent with
    the country gives its canonical name and fills in the region and country it lacks (a known US city in another
    state than the one stated stays as written); an unknown part is a city only when the country or region is
    known; another country or region name is not a city."""
    city = None
    for i, p in enumerate(parts):
        if i in used or p.macro:
            continue
        known = p.city
        if known is not None and (country is None or known.country == country):
            if region is None or known.region in (None, region) or known.country != "US":
                city = known.name
                country = country or known.country
                if region is None:
                    region = known.region
                elif known.region not in (None, region) and known.country == "US":
                    city = p.text
            else:
                city = p.text
        elif (country is not None or region is not None) and not (p.country or p.regions):
            city = p.text
        elif known is None and (p.country or p.regions):
            continue  # another country/region name ("Germany, Berlin, Munich"): not a city
        break
    return city, region, country


def _city_state(parts: list[_Part], used: set[int], region: str | None, country: str) -> str | None:
    """The city a used part names too, when the country or region named is a city-state ("Singapore", "Hong
    Kong"); None otherwise."""
    city = None
    for i in used:
        # ... but not a state named like a city elsewhere: bare "Washington" is the state, whose region is not the
        # city Washington's (District of Columbia); "Berlin", "Hamburg" agree.
        known = parts[i].city
        if (
            known is not None
            and known.country == country
            and key(known.name) == key(parts[i].text)
            and known.region in (None, region)
        ):
            city = known.name
    return city


def _middle_region(
    parts: list[_Part], used: set[int], region: str | None, country: str | None, city: str | None
) -> str | None:
    """The region, or for "City, Something, Country" with no region found, the middle part as written when the
    tables do not know it (it is still the region)."""
    three = len(parts) == 3 and not ({0, 1} & used) and 2 in used
    if region is None and country is not None and three and not parts[1].known and city is not None:
        return parts[1].text
    return region


def _parse_single(text: str) -> tuple[str | None, str | None, str | None]:
    m = _PREFIX.match(text)
    named = None
    if m is None and key(text) not in tables().countries:
        n = _NAMED_PREFIX.match(text)  # "Canada-Toronto", "Canada-Remote"
        named = country_code(n.group(1)) if n else None
        if named:
            m = n
    if m and (named or (m.group(1).isupper() and m.group(1) in tables().country_codes)):
        prefix, rest = m.group(1), m.group(2)
        code = named or tables().country_codes[prefix]
        inner = _PREFIX.match(rest)
        region_hint: tuple[_Region, ...] = ()
        if inner and inner.group(1).isupper() and inner.group(1) in tables().region_codes:
            region_hint = tables().region_codes[inner.group(1)]
            rest = inner.group(2)
        city, region, country = _parse_single(rest) if rest.strip() else (None, None, None)
        # "CA-San Francisco": the prefix is the US state when the rest is a known US city of that state.
        states = [r for r in tables().region_codes.get(prefix, ()) if r.country == "US"]
        if len(prefix) == 2 and country == "US" and states and region == states[0].name and code != "US":
            return city, region, "US"
        if country not in (None, code):
            return None, None, code  # the rest names a place elsewhere: trust the prefix only
        if region is None and region_hint:
            match = [r for r in region_hint if r.country == code]
            region = match[0].name if match else None
        return city, region, code
    parts = [_classify(p) for p in _PART_SPLIT.split(text) if p and p.strip(" .-")]
    parts = [p for p in parts if key(p.text)]
    return _resolve(parts)


def parse_location(raw: str) -> Location:
    """City, region and ISO country of one location string; the parts it cannot tell stay None."""
    if not raw or not raw.strip():
        return Location(raw=raw)
    city, region, country = _parse_location(raw)
    return Location(raw=raw, city=city, region=region, country=country)


# A board lists the same few location strings on most of its postings ("Remote", "San Francisco, CA"), so the
# parse of one string is cached; ``parse_location`` still returns a new Location each time (it is mutable).
@lru_cache(maxsize=4096)
def _parse_location(raw: str) -> tuple[str | None, str | None, str | None]:
    stripped = raw.strip()
    code = _prefix_country(stripped)
    if code and not _clean(stripped.split("-", 1)[1]):
        # "CA-Remote", "US - Remote": the prefix is a country code (see the module docstring); cleaning first
        # would leave a bare "CA", read as California.
        return None, None, code
    text = _clean(raw)
    text = _LEADING_THE.sub("", text)
    if not text:
        return None, None, None
    city, region, country = _parse_single(text)
    if country is None and region is None and city is None and _ALT_SPLIT.search(text):
        # "Berlin/Munich", "US / Canada": resolve each alternative; keep what they agree on.
        results = [_parse_single(p) for p in _ALT_SPLIT.split(text) if p and p.strip()]
        found = {r[2] for r in results if r[2]}
        if len(found) == 1:
            country = found.pop()
            regions = {r[1] for r in results if r[2] == country}
            region = regions.pop() if len(regions) == 1 else None
    return city, region, country


def _prefix_country(text: str) -> str | None:
    """The country of a Workday/Greenhouse-style upper-case code prefix ("US-NYC", "CA-Toronto", "IN - Bengaluru")."""
    m = _PREFIX.match(text) if "-" in text else None  # most strings have no dash: skip the regex
    if m and m.group(1).isupper():
        return tables().country_codes.get(m.group(1))
    return None


def _is_prefixed_place(text: str) -> bool:
    """A country prefix before a place ("US-NYC", "CA-Toronto", "Canada-Montreal"), not before a work mode only
    ("DE - Hybrid" after "Berlin" qualifies it)."""
    if "-" not in text:  # both prefix patterns need one; most parts have none
        return False
    m = _PREFIX.match(text)
    if m is None or not (m.group(1).isupper() and m.group(1) in tables().country_codes):
        m = _NAMED_PREFIX.match(text)
        if m is None or key(text) in tables().countries or country_code(m.group(1)) is None:
            return False
    return bool(_clean(m.group(2)))


# ---------------------------------------------------------------------------------------------- splitting

_HARD_SPLIT = re.compile(r"\s*(?:;|\||\s/\s|\s+(?:or|and|&)\s+|\bor\s+(?=\S))\s*", re.IGNORECASE)
_SLASH = re.compile(r"(?<=[^\s/]{2})/(?=[^\s/]{2})|(?<=\S)/\s|\s/(?=\S)")
_MODE_WORD = re.compile(r"(?i)remote|hybrid|on[\s-]?site|office")
_WORKMODE_ONLY = re.compile(
    r"(?i)^\s*(?:\(?\s*(?:fully\s+)?(remote|hybrid|on[\s-]?site|in[\s-]office|in[\s-]person)\s*\)?)\s*$"
)


def _protect_parens(text: str) -> tuple[str, list[str]]:
    """Replace parenthesized groups with placeholders so separators inside them do not split."""
    saved: list[str] = []

    def keep(m: re.Match[str]) -> str:
        saved.append(m.group(0))
        return f"\x00{len(saved) - 1}\x00"

    return re.sub(r"\([^()]{0,200}\)", keep, text), saved


def _restore(text: str, saved: list[str]) -> str:
    return re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m.group(1))], text)


def _comma_groups(segment: str) -> list[str]:
    """Split a comma list of places without breaking "City, Region, Country"."""
    raw_parts = [p.strip() for p in segment.split(",")]
    raw_parts = [p for p in raw_parts if p]
    if len(raw_parts) <= 1:
        return raw_parts
    groups: list[list[str]] = []
    state: list[dict[str, object]] = []  # per group: what it names so far (see _group_state)

    for n, text in enumerate(raw_parts):
        text = re.sub(r"^(?:or|and|&)\s+", "", text, flags=re.IGNORECASE)
        cleaned = _clean(text)
        mode_only = bool(_WORKMODE_ONLY.match(text))
        p = _classify(cleaned) if cleaned else _Part(text)
        k = key(cleaned)
        prefixed = _is_prefixed_place(text)
        if not groups:
            groups.append([text])
            state.append(_group_state(p, mode_only, prefixed))
            state[-1]["last_key"] = k
            continue
        g = state[-1]
        attach = False
        if prefixed:
            attach = False  # "US-SF, US-NYC", "CA-Toronto, CA-Montreal": each code-prefixed part is a place
        elif k and k == g["last_key"]:
            attach = True  # "Austin, Austin, Texas, United States" (Remote OK): the city repeated
        elif mode_only:
            # "US, Remote" / "Argentina, Hybrid": a work-mode word qualifies a country-level place; after a
            # city it is an alternative ("Chicago, IL, Remote").
            attach = _is_modifier(text) or (not g["city"] and bool(g["country"] or g["region"]))
        elif g["mode_only"] and not g["city"] and not g["region"] and not g["country"]:
            # "Remote, US": the place after a bare work-mode word is its eligibility area, not a new location.
            attach = bool(p.country or p.regions or p.macro) and p.city is None
        elif (g["city"] or g["region"]) and re.search(r"(?i)remote", text):
            # "Chicago, US-Remote", "SF, SEA, NY, Remote-US": the remote option is a location of its own
            attach = False
        elif p.country and not g["country"] and not p.city:
            attach = bool(g["city"] or g["region"])
        elif p.country and not p.city and p.country == g["country_code"]:
            attach = True  # "Toronto, CA, Canada": the country said twice
        elif p.regions and not g["region"] and not g["country"]:
            attach = bool(g["city"]) and (
                g["city_region"] is None or any(r.name == g["city_region"] for r in p.regions)
            )
            if attach and p.city is not None and p.city.region not in (None, g["city_region"]):
                attach = g["city_region"] is None or any(r.name == g["city_region"] for r in p.regions)
        elif p.city is not None and g["country"] and not g["city"] and not g["region"]:
            # "India, Bangalore", "Germany, Berlin, Munich": a country first, then a city of it (once); not after
            # a work mode ("US-Remote, Chicago", "Remote in the US, Chicago": two options)
            attach = (
                p.city.country == g["country_code"] and not g["reversed"] and not _MODE_WORD.search(groups[-1][0])
            )
            g["reversed"] = attach
        elif p.city is not None and g["city"] and g["city_country"] is None and n + 2 == len(raw_parts):
            # "Bayan Lepas, Penang, Malaysia": a locality not in the table, then a place the table knows as a
            # city, then that place's country: one "Locality, District, Country", not two places.
            last = _classify(_clean(raw_parts[-1]))
            attach = last.country is not None and last.country == p.city.country and last.city is None
        elif not p.known and not mode_only:
            attach = True  # unknown words stay with their neighbours: we only split on positive evidence
        if attach:
            groups[-1].append(text)
            _merge_state(g, p, mode_only, text)
        else:
            groups.append([text])
            state.append(_group_state(p, mode_only, prefixed))
        g = state[-1]
        g["last_key"] = k
    return [", ".join(g) for g in groups]


def _is_modifier(text: str) -> bool:
    """Hybrid/on-site words qualify the place before them; "Remote" is an alternative of its own."""
    return not re.search(r"(?i)remote", text)


def _group_state(p: _Part, mode_only: bool, prefixed: bool = False) -> dict[str, object]:
    if prefixed:  # "US-NYC", "CA-Remote": a complete place; nothing after it qualifies it
        return {
            "city": True,
            "city_region": None,
            "city_country": None,
            "region": True,
            "country": True,
            "country_code": None,
            "mode_only": False,
            "reversed": False,
            "last_key": "",
        }
    return {
        "city": p.city is not None or (not p.known and not mode_only),
        "city_region": p.city.region if p.city is not None else None,
        "city_country": p.city.country if p.city is not None else None,
        "region": bool(p.regions) and p.city is None,
        "country": bool(p.country) and p.city is None,
        "country_code": p.country if p.city is None else None,
        "mode_only": mode_only,
        "reversed": False,
        "last_key": "",
    }


def _merge_state(g: dict[str, object], p: _Part, mode_only: bool, text: str) -> None:
    if mode_only:
        return
    if p.country and p.regions and len(text.strip()) == 2 and g["city_country"] != p.country:
        # "Boston, MA, USA", "San Jose, CA, United States": a code that is both a state and a country (MA is
        # also Morocco, CA Canada) is the state unless the city before it is in that country ("Toronto, CA").
        g["region"] = True
    elif p.country:
        g["country"], g["country_code"] = True, p.country
    elif p.regions:
        g["region"] = True


def split_locations(raw: str) -> list[str]:
    """Split a combined location string into one string per location.

    Separators: ";", "|", "/", " or ", " and ", " & " and commas between places; "City, Region, Country" stays
    together ("Toronto, Ontario, Canada", "Boston, MA, USA" although MA is also Morocco's code, "Austin, Austin,
    Texas, United States"), as do "Country, City" ("India, Bangalore"), parenthesized groups ("Remote
    (US/Canada)") and names that contain "and" ("Trinidad and Tobago"). Each code-prefixed part is a place of its
    own ("US-SF, US-NYC"), and so is a remote option after a city or state ("SF, NY, Remote-US"). Empty and
    "N/A" parts are dropped.
    """
    if not raw or not raw.strip():
        return []
    return list(_split_locations(raw))


@lru_cache(maxsize=4096)  # same reason as _parse_location
def _split_locations(raw: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFC", raw).strip()
    if re.fullmatch(r"\(([^()]*)\)", text):
        text = text[1:-1]
    text, saved = _protect_parens(text)
    segments: list[str] = []
    for seg in _HARD_SPLIT.split(text):
        if not seg or not seg.strip():
            continue
        if re.fullmatch(r"(?i)\s*n\s*/\s*a\s*", seg):
            continue
        segments.extend(s for s in _SLASH.split(seg) if s and s.strip())
    # Names with "and" / "&" that the split broke apart ("Trinidad and Tobago") are rejoined.
    if len(segments) > 1 and re.search(r"(?i)\s(?:and|&)\s", text) and country_code(_restore(text, saved)):
        segments = [text]
    out: list[str] = []
    for seg in segments:
        for group in _comma_groups(seg):
            group = _restore(group, saved).strip(" ,;|/")
            if group and key(group) not in ("na", "n a", "none", "location", "tbd"):
                out.append(group)
    # A lone work-mode word split off by "/" or ";" ("Argentina / Hybrid") rejoins the place before it.
    merged: list[str] = []
    for part in out:
        if merged and _WORKMODE_ONLY.match(part) and _is_modifier(part):
            merged[-1] = f"{merged[-1]} ({part.strip('() ')})"
        else:
            merged.append(part)
    return tuple(merged)
