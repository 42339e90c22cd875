"""Posting identity in layers (pure: no database, no network). Policy: ``docs/dedup-policy.md``.

1. exact: (source, board, external_id) — handled by storage's unique key;
2. canonical URL: :func:`canonical_url` (tracking parameters stripped, host and path normalized);
3. requisition id + company key: :func:`requisition_key`;
4. content fingerprint within one company: normalized title, locations and a MinHash of the description's word
   shingles (:class:`Fingerprint`), verified pairwise by :func:`match`.

``storage.ingest`` finds candidates through :func:`lookup_keys` (indexed keys: URL, requisition, company+title
and company+LSH bands of the MinHash, so nothing is scanned) and accepts one only when :func:`match` says so; the
pair evaluation (``bench/eval_dedup.py``) runs the same :func:`match`. Which values the merged posting shows is
:mod:`pipeline.merge`'s decision.
"""

from __future__ import annotations

import base64
import hashlib
import re
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import numpy as np

from pipeline.company import company_key as _company_key

T = TypeVar("T")

# --- ranks ----------------------------------------------------------------------------------------------------
# Which source's values a merged posting shows: the company's own ATS over schema.org markup over aggregators
# over free-text threads. Ties keep the source seen first.
SOURCE_RANK = {
    "greenhouse": 40,
    "lever": 40,
    "ashby": 40,
    "smartrecruiters": 40,
    "workable": 40,
    "jsonld": 30,
    "remoteok": 20,
    "remotive": 20,
    "arbeitnow": 20,
    "weworkremotely": 20,
    "hn": 10,
    "text": 0,
}
# Where a value came from (provenance), best first: a structured field beats JSON-LD beats text.
ORIGIN_RANK = {"structured": 3, "jsonld": 2, "location": 1, "title": 1, "text": 0}


def source_rank(source: str) -> int:
    return SOURCE_RANK.get(source, 15)


# --- canonical URLs -------------------------------------------------------------------------------------------
# Query parameters that only say where a click came from. gh_jid / ashby_jid / lever job ids are NOT here: on a
# company's own career page (example.com/careers?gh_jid=123) they are the job's identity.
TRACKING_PARAMS = frozenset(
    {
        "gh_src",
        "lever-source",
        "lever-origin",
        "lever-source[]",
        "ref",
        "referrer",
        "refid",
        "source",
        "src",
        "trk",
        "trkid",
        "fbclid",
        "gclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "igshid",
        "li_fat_id",
        "campaign",
        "medium",
        "share",
        "sharing",
        "utm",
        "jobsource",
        "iis",
        "iisn",
    }
)
_TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")


def canonical_url(url: str | None) -> str | None:
    """The URL with tracking parameters dropped, scheme https, host lower-case without ``www.``, no fragment, no
    trailing slash, remaining parameters sorted (w3lib's canonicalization). None for anything that is not an
    http(s) URL with a path (a bare host says nothing about one job)."""
    if not url or not isinstance(url, str):
        return None
    from w3lib.url import canonicalize_url

    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=False)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(_TRACKING_PREFIXES)
    ]
    host = parts.hostname.lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    path = re.sub(r"/{2,}", "/", parts.path or "/").rstrip("/") or "/"
    if path == "/" and not query:
        return None
    rebuilt = urlunsplit(("https", host + port, path, urlencode(query), ""))
    try:
        return canonicalize_url(rebuilt, keep_fragments=False)
    except ValueError:
        return rebuilt


# --- companies, requisitions, titles --------------------------------------------------------------------------
def company_key(name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    return _company_key(name) or None


_PLACEHOLDER_REQ = re.compile(r"^(see|n/?a|none|null|tbd|-+|0+)\b", re.I)


def requisition_key(requisition_id: str | None, company: str | None) -> str | None:
    """company key + requisition id, when the id looks like one (has a digit; not "See Opening ID", "N/A")."""
    ckey = company_key(company)
    if not ckey or not requisition_id:
        return None
    req = re.sub(r"\s+", "", str(requisition_id)).lower()
    if not req or len(req) > 80 or not re.search(r"\d", req) or _PLACEHOLDER_REQ.match(req):
        return None
    return f"{ckey}|{req}"


_GENDER = re.compile(r"\((?:[mwfdxi]\s*[/,|]\s*)+[mwfdxi]\)|\b[mwf]/[mwf]/[dx]\b", re.I)
_PAREN_NUMERIC = re.compile(r"\([^)]*\d[^)]*\)")
_WORKPLACE_WORDS = re.compile(r"\b(?:remote|hybrid|on-?site|onsite|100%|fully|eligible|flexible|anywhere)\b", re.I)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"sr": "senior", "jr": "junior", "eng": "engineer", "dev": "developer", "mgr": "manager"}


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def title_tokens(title: str | None) -> tuple[str, ...]:
    """Title words for matching: gender markers, parenthesized pay and work-mode words dropped, abbreviations
    spelled out ("Sr. Backend Eng (Remote)" -> senior backend engineer)."""
    if not title:
        return ()
    text = _GENDER.sub(" ", title)
    text = _PAREN_NUMERIC.sub(" ", text)
    text = _WORKPLACE_WORDS.sub(" ", _ascii(text))
    words = _NON_ALNUM.sub(" ", text).split()
    return tuple(_ABBREVIATIONS.get(w, w) for w in words)


def title_key(title: str | None) -> str:
    return " ".join(title_tokens(title))


# --- locations ------------------------------------------------------------------------------------------------
_UNSPECIFIC = re.compile(
    r"^(?:remote|anywhere|worldwide|global|world|anywhere in the world|remote \(?global\)?|fully remote|"
    r"remote anywhere|earth|international|distributed|work from home|wfh)$",
    re.I,
)


def location_keys(locations: list[Any]) -> tuple[frozenset[str], tuple[str, ...]]:
    """(place keys, raw strings) of a posting's locations. Place keys are cities and countries when parsed, else
    the normalized raw string; unspecific locations ("Anywhere in the World", "Remote") give no key."""
    keys: set[str] = set()
    raws: list[str] = []
    for loc in locations or []:
        raw = loc.get("raw") if isinstance(loc, dict) else getattr(loc, "raw", None)
        city = loc.get("city") if isinstance(loc, dict) else getattr(loc, "city", None)
        country = loc.get("country") if isinstance(loc, dict) else getattr(loc, "country", None)
        norm = " ".join(_NON_ALNUM.sub(" ", _ascii(raw or "")).split())
        if not norm or _UNSPECIFIC.match(norm):
            continue
        raws.append(norm)
        if city:
            keys.add("city:" + _ascii(city))
        elif country:
            keys.add("country:" + country.upper())
        else:
            keys.add("raw:" + norm)
    return frozenset(keys), tuple(raws)


# --- MinHash --------------------------------------------------------------------------------------------------
NUM_PERM = 64
BANDS = 16  # 16 bands of 4 rows: a pair with Jaccard 0.6 shares a band with p ~ 0.9, 0.3 with p ~ 0.12
SHINGLE_WORDS = 4
MIN_SHINGLES = 20  # below this a description says too little to compare
# Only the description's opening is fingerprinted: aggregators keep the beginning and cut the rest, and MinHash
# cannot estimate the containment of a 150-word excerpt in a 2,000-word original (the sets are too unequal).
SIGNATURE_WORDS = 120
_SEEDS = np.random.RandomState(20261128).randint(1, 1 << 62, size=NUM_PERM, dtype=np.int64).astype(np.uint64)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


# How much of a description :func:`signature_words` folds first: SIGNATURE_WORDS words are ~800 characters of
# ordinary prose, and folding and splitting the whole of a long description was most of a fingerprint's cost.
_OPENING_CHARS = 1000
_ALNUM_RUN = re.compile(r"[a-z0-9]+")


def _words(text: str) -> list[str]:
    # The runs of letters and digits: what splitting at _NON_ALNUM gives, in one pass.
    return _ALNUM_RUN.findall(_ascii(text))


def signature_words(text: str) -> list[str]:
    """The first SIGNATURE_WORDS words of the normalized text (ASCII-folded, lower-cased, split at anything but
    letters and digits), reading only as much of the text as they need.

    The same words as normalizing the whole text: NFKD decomposes each character on its own (reordering only
    combining marks, which the ASCII fold drops), so a prefix folds to a prefix of the whole text's fold; and a
    prefix that yields more than SIGNATURE_WORDS words has its first SIGNATURE_WORDS complete (a separator follows
    the last of them)."""
    cut = _OPENING_CHARS
    while cut < len(text):
        words = _words(text[:cut])
        if len(words) > SIGNATURE_WORDS:
            return words[:SIGNATURE_WORDS]
        cut *= 4
    return _words(text)[:SIGNATURE_WORDS]


def shingle_hashes(text: str) -> np.ndarray:
    """CRC32 of every SHINGLE_WORDS-word window of the text's opening, normalized (a set, as uint64)."""
    words = signature_words(text or "")
    if len(words) < SHINGLE_WORDS:
        return np.zeros(0, dtype=np.uint64)
    joined = [" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)]
    return np.unique(np.fromiter((zlib.crc32(s.encode()) for s in joined), dtype=np.uint64, count=len(joined)))


def minhash(hashes: np.ndarray) -> np.ndarray:
    """NUM_PERM minimum values (uint32) of the shingle set under NUM_PERM seeded splitmix64 mixes (uint64
    arithmetic wraps, which is what the mix wants)."""
    if hashes.size == 0:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    with np.errstate(over="ignore"):
        z = hashes[None, :] + _SEEDS[:, None] * _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        z = z ^ (z >> np.uint64(31))
    return (z.min(axis=1) >> np.uint64(32)).astype(np.uint32)


def containment(sig_a: np.ndarray, n_a: int, sig_b: np.ndarray, n_b: int) -> tuple[float, float]:
    """(Jaccard estimate, containment of the smaller set in the larger one) from two signatures and set sizes;
    containment is what survives an aggregator trimming the text."""
    if n_a < MIN_SHINGLES or n_b < MIN_SHINGLES:
        return 0.0, 0.0
    jaccard = float(np.mean(sig_a == sig_b))
    shared = jaccard * (n_a + n_b) / (1.0 + jaccard)
    return jaccard, min(1.0, shared / max(1, min(n_a, n_b)))


# --- fingerprints ---------------------------------------------------------------------------------------------
@dataclass(slots=True)
class Fingerprint:
    source: str
    board: str
    external_id: str
    company_key: str | None
    url_key: str | None
    requisition_key: str | None
    title_key: str
    place_keys: frozenset[str] = field(default_factory=frozenset)
    place_raws: tuple[str, ...] = ()
    text_head: str = ""  # the description's opening, normalized: aggregators repeat the ATS locations there
    signature: np.ndarray | None = None
    shingles: int = 0
    posted_day: int | None = None  # proleptic ordinal of posted_at

    def to_json(self) -> dict[str, Any]:
        return {
            "c": self.company_key,
            "u": self.url_key,
            "r": self.requisition_key,
            "t": self.title_key,
            "p": sorted(self.place_keys),
            "pr": list(self.place_raws),
            "h": self.text_head,
            "m": base64.b64encode(self.signature.tobytes()).decode() if self.signature is not None else None,
            "n": self.shingles,
            "d": self.posted_day,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], source: str, board: str, external_id: str) -> Fingerprint:
        sig = np.frombuffer(base64.b64decode(data["m"]), dtype=np.uint32) if data.get("m") else None
        return cls(
            source=source,
            board=board,
            external_id=external_id,
            company_key=data.get("c"),
            url_key=data.get("u"),
            requisition_key=data.get("r"),
            title_key=data.get("t") or "",
            place_keys=frozenset(data.get("p") or ()),
            place_raws=tuple(data.get("pr") or ()),
            text_head=data.get("h") or "",
            signature=sig,
            shingles=int(data.get("n") or 0),
            posted_day=data.get("d"),
        )


HEAD_CHARS = 400


def fingerprint(posting: Any) -> Fingerprint:
    """The identity features of a normalized :class:`pipeline.model.Posting`."""
    url = canonical_url(posting.url)
    hashes = shingle_hashes(posting.description_text or "")
    places, raws = location_keys(posting.locations)
    head = " ".join(_words((posting.description_text or "")[: HEAD_CHARS * 2]))
    return Fingerprint(
        source=posting.source,
        board=posting.board,
        external_id=posting.external_id,
        company_key=company_key(posting.company),
        url_key=_digest(url) if url else None,
        requisition_key=requisition_key(posting.requisition_id, posting.company),
        title_key=title_key(posting.title),
        place_keys=places,
        place_raws=raws,
        text_head=head[:HEAD_CHARS],
        signature=minhash(hashes) if hashes.size >= MIN_SHINGLES else None,
        shingles=int(hashes.size),
        posted_day=posting.posted_at.toordinal() if posting.posted_at else None,
    )


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:24]


def lookup_keys(fp: Fingerprint) -> list[str]:
    """The indexed keys under which a posting is found: canonical URL, requisition, company+title, company+bands."""
    keys: list[str] = []
    if fp.url_key:
        keys.append("u:" + fp.url_key)
    if fp.requisition_key:
        keys.append("r:" + _digest(fp.requisition_key))
    if fp.company_key:
        if fp.title_key:
            keys.append("t:" + _digest(f"{fp.company_key}|{fp.title_key}"))
        if fp.signature is not None:
            rows = NUM_PERM // BANDS
            for band in range(BANDS):
                chunk = fp.signature[band * rows : (band + 1) * rows].tobytes()
                keys.append(f"b{band}:" + _digest(fp.company_key + "|" + chunk.hex()))
    return keys


# --- the pairwise decision ------------------------------------------------------------------------------------
TEXT_CONTAINMENT = 0.5  # share of the shorter description's shingles found in the other
SAME_BOARD_JACCARD = 0.8  # two ids of one board are one job only when their texts are near-identical
TITLE_OVERLAP = 0.75  # retitled copies: word Jaccard of the titles, with strong text evidence
# Ads posted further apart than this are separate openings (a yearly re-hire), unless the text is the same; twice
# this, always (an aggregator may date its copy months after the ATS did, never years).
REPOST_GAP_DAYS = 180


def _title_similarity(a: str, b: str) -> float:
    ta, tb = set(a.split()), set(b.split())
    return len(ta & tb) / max(1, len(ta | tb))


def _places_agree(a: Fingerprint, b: Fingerprint) -> bool | None:
    """True: the locations overlap, or one side's are all named in the other's locations/text opening;
    False: both name places and share none; None: neither names a place ("Remote", "Anywhere");
    "unconfirmed": one names places the other does not mention."""
    if a.place_keys and b.place_keys and a.place_keys & b.place_keys:
        return True
    for one, other in ((a, b), (b, a)):
        if one.place_raws:
            where = other.text_head + " | " + " | ".join(other.place_raws)
            if all(raw in where for raw in one.place_raws):
                return True
    if a.place_keys and b.place_keys:
        return False
    if a.place_keys or b.place_keys:
        return "unconfirmed"  # type: ignore[return-value]
    return None


def match(a: Fingerprint, b: Fingerprint) -> str | None:
    """Why ``a`` and ``b`` are the same opening ("exact", "url", "requisition", "fingerprint"), or None."""
    if (a.source, a.board, a.external_id) == (b.source, b.board, b.external_id):
        return "exact"
    if a.company_key and b.company_key and a.company_key != b.company_key:
        return None
    if a.requisition_key and b.requisition_key and a.requisition_key != b.requisition_key:
        return None  # both carry a requisition id and they differ: two openings, however alike
    if a.url_key and a.url_key == b.url_key:
        return "url"
    if a.requisition_key and a.requisition_key == b.requisition_key:
        return "requisition"
    if not a.company_key or not a.title_key or not b.title_key:
        return None
    jaccard, contained = (
        containment(a.signature, a.shingles, b.signature, b.shingles)
        if a.signature is not None and b.signature is not None
        else (0.0, 0.0)
    )
    places = _places_agree(a, b)
    if places is False:
        return None
    if a.posted_day and b.posted_day:
        gap = abs(a.posted_day - b.posted_day)
        if gap > 2 * REPOST_GAP_DAYS or (gap > REPOST_GAP_DAYS and contained < 0.8):
            return None
    if places == "unconfirmed":
        return None  # one names places the other never mentions: a company's same-titled job elsewhere
    same_title = a.title_key == b.title_key
    if (a.source, a.board) == (b.source, b.board):
        # A board's own ids are distinct jobs unless the ad is literally posted twice.
        if same_title and a.place_keys == b.place_keys and jaccard >= SAME_BOARD_JACCARD:
            return "fingerprint"
        return None
    has_text = a.signature is not None and b.signature is not None
    if same_title:
        if has_text:
            return "fingerprint" if contained >= TEXT_CONTAINMENT else None
        # One side has no description (a list-only capture): the title must be backed by the places, or neither
        # may name one.
        return "fingerprint" if places is True or places is None else None
    if (
        has_text
        and _title_similarity(a.title_key, b.title_key) >= TITLE_OVERLAP
        and contained >= 0.9
        and places is True
    ):
        return "fingerprint"
    return None


def best_match(fp: Fingerprint, candidates: Iterable[tuple[T, Fingerprint]]) -> tuple[T, str] | None:
    """The candidate ``fp`` duplicates and why: of the (item, fingerprint) pairs that :func:`match` accepts, the
    item of the best :func:`score` (the first of equals); None when none is accepted.

    A pair that match's first rules reject (another company, another requisition id, and not the same source) is
    passed over before calling it: the same outcome, without its cost, for what are most candidates (a company's
    openings share its boilerplate, so a posting meets dozens of its siblings under its text's bands)."""
    ident = (fp.source, fp.board, fp.external_id)
    company, requisition = fp.company_key, fp.requisition_key
    best: tuple[float, T, str] | None = None
    for item, other in candidates:
        other_company = company and other.company_key and other.company_key != company
        other_requisition = requisition and other.requisition_key and other.requisition_key != requisition
        if (other_company or other_requisition) and (other.source, other.board, other.external_id) != ident:
            continue
        reason = match(fp, other)
        if reason is None:
            continue
        value = score(fp, other)
        if best is None or value > best[0]:
            best = (value, item, reason)
    return (best[1], best[2]) if best else None


def score(a: Fingerprint, b: Fingerprint) -> float:
    """Ranks several accepted candidates: identity layers first, then text and place agreement."""
    reason = match(a, b)
    if reason is None:
        return 0.0
    base = {"exact": 4.0, "url": 3.0, "requisition": 2.0, "fingerprint": 1.0}[reason]
    _, contained = (
        containment(a.signature, a.shingles, b.signature, b.shingles)
        if a.signature is not None and b.signature is not None
        else (0.0, 0.0)
    )
    return (
        base
        + 0.5 * contained
        + (0.25 if _places_agree(a, b) is True else 0.0)
        + (0.1 if a.title_key == b.title_key else 0)
    )
