"""Skills extraction: canonical skill names found in a posting's text and structured tags.

The rules, with the examples they come from: docs/skills-rules.md.
"""

from __future__ import annotations

import pickle
import re
import tomllib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from pipeline import compile_cache
from pipeline.company import company_from_text, legal_name
from pipeline.literals import Literals

__all__ = [
    "CATEGORIES",
    "Mention",
    "Skill",
    "SkillMatch",
    "Taxonomy",
    "candidate_spans",
    "extract_skills",
    "find_mentions",
    "load_taxonomy",
    "skill_categories",
    "tokenize",
]

DATA_FILE = Path(__file__).with_name("data") / "skills.toml"


CATEGORIES = (
    "language",
    "backend_framework",
    "frontend",
    "mobile",
    "database",
    "cache",
    "search",
    "messaging",
    "data",
    "ml",
    "cloud",
    "cloud_service",
    "container",
    "iac",
    "observability",
    "ci_cd",
    "api",
    "security",
    "testing",
    "architecture",
    "practice",
    "os",
    "networking",
    "web_server",
    "tool",
)

# One pass: ``split`` with a capturing group gives [gap, token, gap, token, ..., gap] -- opaque URL tokens, word runs,
# single punctuation characters; the gaps are pure whitespace.
_SPLIT_RE = re.compile(r"((?:https?://|www\.)\S+|\w+|[^\w\s])")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
_VERSION_RE = re.compile(r"v?\d{1,2}(?:\.\d+)*")

_LOOSE_PUNCT = frozenset("/&-")

# Context rule vocabulary (docs/skills-rules.md, rule 6).


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_HEAD_WORDS = _words(
    """
    language languages lang programming programmer programmers developer developers dev devs engineer
    engineers engineering development code codebase codebases coding services service microservices backend
    backends apps app application applications framework frameworks expertise experience skills skill stack
    ecosystem sdk sdks api apis modules module libraries library toolchain scripting scripts script runtime
    server servers ide compiler web projects project tooling generics concurrency goroutines crates cargo
    boot mvc cloud security data batch jvm cookbooks cookbook manifests playbooks charts chart components
    hooks templates version versions database databases db dbs sql dba dbas cluster clusters
    """
)
_LEAD_IN_TWO = frozenset(
    {
        ("experience", "with"),
        ("experience", "in"),
        ("experienced", "in"),
        ("experienced", "with"),
        ("proficiency", "in"),
        ("proficiency", "with"),
        ("proficient", "in"),
        ("proficient", "with"),
        ("knowledge", "of"),
        ("written", "in"),
        ("fluent", "in"),
        ("fluency", "in"),
        ("expertise", "in"),
        ("expertise", "with"),
        ("familiarity", "with"),
        ("familiar", "with"),
        ("background", "in"),
        ("skilled", "in"),
        ("skills", "in"),
        ("built", "with"),
        ("built", "in"),
        ("work", "with"),
        ("working", "with"),
        ("code", "in"),
        ("coding", "in"),
        ("programming", "in"),
        ("such", "as"),
        ("written", "with"),
        ("built", "on"),
        ("runs", "on"),
        ("based", "on"),
        ("work", "in"),
    }
)
# Single lead-in words are only evidence together with a tech word on the same line (they are too common alone).
_CUE_WORDS = _words(
    """
    language languages programming programmer programmers coding codebase codebases compiled compiler typed
    stack framework frameworks libraries library sdk backend microservices golang runtime technologies
    technology tech tools tooling devops software hashicorp use uses using used
    """
)
_CUE_WINDOW = 6
# List separators: conjunctions and every punctuation token except sentence ends (bullets such as "☞" included).
_LIST_WORDS = frozenset({"and", "or", "&", "/", ","})
_SENTENCE_END = frozenset({".", "!", "?"})
_LIST_DISTANCE = 3
_STOP_NEXT = _words(
    """
    to above beyond ahead live back out through further far forth along away into up down over off the a an
    our your their his her my this that these those it us them we you me fast big deep
    """
)
_GENERIC_REACH = 80
_GENERIC_VERBS = _words(
    """
    build building built design designing designed create creating develop developing write writing implement
    implementing integrate integrating consume consuming expose exposing maintain maintaining test testing automate
    automated automating scale scaling secure securing restful rest public internal third relational
    """
)
_GENERIC_HEADS = _words(
    """
    design development developer developers engineering engineer engineers frameworks framework tools tooling
    technologies technology schemas schema administration administrator administrators migrations queries
    strategies strategy solutions systems stack platforms platform infrastructure integrations integration
    endpoints gateway gateways methods pipelines suites automation coverage practices principles architecture
    architectures environments
    """
)
_WORD_RE = re.compile(r"\w+")
_NEXT_WORD_RE = re.compile(r"[^\S\n]*-?[^\S\n]*(\w+)")
_HYPHEN_OK_SUFFIX = frozenset({"based", "native", "powered", "first", "centric", "backed", "only", "heavy"})


@dataclass(frozen=True, slots=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    generic: tuple[str, ...] = ()
    brand: tuple[str, ...] = ()
    profile_site: bool = False
    implies: tuple[str, ...] = ()
    needs_tag: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every spelling that can name the skill in prose (the name included unless it is restricted)."""
        restricted = set(self.ambiguous) | set(self.exact) | {t.lower() for t in self.tags}
        name = () if self.name in restricted or self.name.lower() in restricted else (self.name,)
        return name + self.aliases + self.exact + self.ambiguous


@dataclass(slots=True)
class SkillMatch:
    skills: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Mention:
    """One accepted mention in the text: ``text[start:end]`` named ``skill``."""

    skill: str
    start: int
    end: int
    text: str


# A variant of a spelling: (skill index, mode, surface tokens for case-sensitive modes).
_ALIAS, _EXACT, _AMBIGUOUS = 0, 1, 2


@dataclass(slots=True)
class Taxonomy:
    skills: list[Skill]
    by_name: dict[str, Skill]
    # lowercased token tuple -> [(skill index, mode, surface tokens, has punctuation)]
    index: dict[tuple[str, ...], list[tuple[int, int, tuple[str, ...]]]]
    # first token -> candidate lengths, longest first
    first: dict[str, tuple[int, ...]]
    # single-token case-insensitive spellings (for glued versions: "php8")
    versionable: dict[str, int]
    # whole tag (lowercased, whitespace collapsed) -> skill index
    tag_index: dict[str, int]
    # (skill index, normalized spelling) of the generic spellings (docs/skills-rules.md, rule 8)
    generic: frozenset[tuple[int, str]] = frozenset()
    # canonical names by skill index
    names: tuple[str, ...] = ()
    # docs/skills-rules.md, rule 10: brand spellings (as written), profile sites and operating systems (indices)
    brands: frozenset[str] = frozenset()
    profile_sites: frozenset[int] = frozenset()
    systems: frozenset[int] = frozenset()
    # (skill index, normalized spelling) of the spellings that count only with a supporting tag (rule 7), and
    # the skills that have such spellings
    needs_tag: frozenset[tuple[int, str]] = frozenset()
    needs_tag_skills: frozenset[int] = frozenset()
    # rule 12: the skills of the platform categories (indices)
    platforms: frozenset[int] = frozenset()
    # by skill index: its name and the names it implies
    named: tuple[tuple[str, ...], ...] = ()

    def categories(self) -> dict[str, str]:
        return {s.name: s.category for s in self.skills}

    def lookup_tag(self, tag: str) -> Skill | None:
        """The skill a structured tag names: any spelling, case-insensitive, hyphens read as spaces too."""
        norm = _norm_tag(tag)
        idx = self.tag_index.get(norm)
        if idx is None and "-" in norm:
            idx = self.tag_index.get(" ".join(norm.replace("-", " ").split()))
        return None if idx is None else self.skills[idx]


class _Tokens:
    """The tokens of ``text[a:b]`` (the whole text by default): ``low[i]`` (lowercased), ``start(i)``/``end(i)``
    offsets into the text, ``gap(i)`` = the whitespace between token i and i + 1. A window must start and end at
    token boundaries."""

    __slots__ = ("cum", "low", "parts", "text")

    def __init__(self, text: str, a: int = 0, b: int | None = None) -> None:
        self.text = text
        self.parts = _SPLIT_RE.split(_lower(text if a == 0 and b is None else text[a:b]))
        self.low = self.parts[1::2]
        self.cum = list(accumulate(map(len, self.parts), initial=a))[1:]

    def start(self, i: int) -> int:
        return self.cum[2 * i]

    def end(self, i: int) -> int:
        return self.cum[2 * i + 1]

    def gap(self, i: int) -> str:
        return self.parts[2 * i + 2]

    def orig(self, i: int) -> str:
        return self.text[self.cum[2 * i] : self.cum[2 * i + 1]]

    def index_at(self, offset: int) -> int:
        """The index of the token starting at ``offset`` (which must be a token start)."""
        return bisect_right(self.cum, offset) // 2


# ASCII letters lowered; the Unicode hyphens some editors write ("infrastructure‑as‑code", U+2011) read as "-".
_HYPHENS = "-\u2010\u2011"
_ASCII_LOWER = {c: c + 32 for c in range(65, 91)} | {0x2010: "-", 0x2011: "-"}


def _lower(text: str) -> str:
    """ASCII letters lowered, Unicode hyphens read as "-", every other character kept: the taxonomy is ASCII, and
    offsets stay (``str.lower`` turns "İ" into two characters)."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every token of ``text`` except hyphens (docs/skills-rules.md, rule 1)."""
    toks = _Tokens(text)
    return [(toks.orig(i), toks.start(i), toks.end(i)) for i, t in enumerate(toks.low) if t != "-"]


def _norm_generic(spelling: str) -> str:
    return " ".join(spelling.lower().replace("-", " ").split())


def _norm_tag(tag: str) -> str:
    return " ".join(tag.split()).lower()


def _spelling_variants(spelling: str) -> list[tuple[str, ...]]:
    """Token tuples a spelling may appear as: each join of two words written with a space or with a hyphen."""
    toks = [t for t, _, _ in tokenize(spelling)]
    variants: list[list[str]] = [[]]
    for k, tok in enumerate(toks):
        if k and toks[k - 1][-1].isalnum() and tok[0].isalnum():
            variants = [v + extra for v in variants for extra in ([], ["-"])]
        variants = [[*v, tok] for v in variants]
    return [tuple(v) for v in variants if v]


@cache
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The curated taxonomy, read once (cached); the shipped one through the compile cache (:func:`_tables`)."""
    if path is None:
        return _tables()[0]
    return _read_taxonomy(Path(path).read_bytes(), path)


@cache
def _tables() -> tuple[Taxonomy, list[tuple[str, Any]]]:
    """The shipped taxonomy and the keyword pairs of :func:`_automaton`, built from ``DATA_FILE`` by this module's
    code (~0.15 s) or, when an earlier process stored them, unpickled from the compile cache (~0.04 s; keyed by
    the data file's bytes, this file's source and the pickle protocol)."""
    data = DATA_FILE.read_bytes()
    artefact_key = compile_cache.key("skills", [data, Path(__file__).read_bytes(), str(pickle.HIGHEST_PROTOCOL)])

    def build() -> tuple[Taxonomy, list[tuple[str, Any]]]:
        tax = _read_taxonomy(data, DATA_FILE)
        return tax, _keyword_pairs(tax)

    return compile_cache.load_or_build(
        "skills", artefact_key, build, lambda tables: pickle.dumps(tables, pickle.HIGHEST_PROTOCOL), _unpickled_tables
    )


def _unpickled_tables(stored: bytes) -> tuple[Taxonomy, list[tuple[str, Any]]]:
    tax, pairs = pickle.loads(stored)
    if not isinstance(tax, Taxonomy) or not isinstance(pairs, list):
        raise TypeError(f"unexpected {type(tax).__name__}, {type(pairs).__name__}")
    return tax, pairs


def _read_taxonomy(raw: bytes, where: Path) -> Taxonomy:
    """The taxonomy in the TOML bytes ``raw`` (read from ``where``), checked."""
    skills = _skills_in(raw, where)
    index, tag_index, versionable = _spelling_index(skills)
    needs_tag, generic = _checked_relations(skills)
    first: dict[str, set[int]] = {}
    for key in index:
        first.setdefault(key[0], set()).add(len(key))
    return Taxonomy(
        needs_tag=frozenset(needs_tag),
        needs_tag_skills=frozenset(i for i, _ in needs_tag),
        generic=frozenset(generic),
        names=tuple(s.name for s in skills),
        brands=frozenset(b for s in skills for b in s.brand),
        profile_sites=frozenset(i for i, s in enumerate(skills) if s.profile_site),
        systems=frozenset(i for i, s in enumerate(skills) if s.category == "os"),
        platforms=frozenset(i for i, s in enumerate(skills) if s.category in _PLATFORM_CATEGORIES),
        named=tuple((s.name, *s.implies) for s in skills),
        skills=skills,
        by_name={s.name: s for s in skills},
        index=index,
        first={k: tuple(sorted(v, reverse=True)) for k, v in first.items()},
        versionable=versionable,
        tag_index=tag_index,
    )


def _skills_in(raw: bytes, where: Path) -> list[Skill]:
    """The skills of the TOML bytes, in file order; an unknown category or key, or a brand spelling that is not
    also ambiguous, is a ValueError naming it."""
    data = tomllib.loads(raw.decode())
    skills: list[Skill] = []
    for category, table in data.items():
        if category not in CATEGORIES:
            raise ValueError(f"unknown skill category {category!r} in {where}")
        for name, spec in table.items():
            unknown = set(spec) - {
                "aliases", "ambiguous", "exact", "tags", "generic", "brand", "profile_site", "implies", "needs_tag"
            }  # fmt: skip
            if unknown:
                raise ValueError(f"skill {name!r}: unknown keys {sorted(unknown)}")
            skills.append(
                Skill(
                    name=name,
                    category=category,
                    aliases=tuple(spec.get("aliases", ())),
                    ambiguous=tuple(spec.get("ambiguous", ())),
                    exact=tuple(spec.get("exact", ())),
                    tags=tuple(spec.get("tags", ())),
                    generic=tuple(spec.get("generic", ())),
                    brand=tuple(spec.get("brand", ())),
                    profile_site=bool(spec.get("profile_site", False)),
                    implies=tuple(spec.get("implies", ())),
                    needs_tag=tuple(spec.get("needs_tag", ())),
                )
            )
            if not set(skills[-1].brand) <= set(skills[-1].ambiguous):
                raise ValueError(f"skill {name!r}: a brand spelling must be one of its ambiguous spellings")
    return skills


def _spelling_index(
    skills: list[Skill],
) -> tuple[dict[tuple[str, ...], list[tuple[int, int, tuple[str, ...]]]], dict[str, int], dict[str, int]]:
    """(token spelling -> its skill, mode and tokens; tag spelling -> skill; one-word aliases a version may follow):
    a spelling naming two skills is a ValueError."""
    index: dict[tuple[str, ...], list[tuple[int, int, tuple[str, ...]]]] = {}
    tag_index: dict[str, int] = {}
    versionable: dict[str, int] = {}
    for i, skill in enumerate(skills):
        restricted = set(skill.ambiguous) | set(skill.exact) | {t.lower() for t in skill.tags}
        plain = list(skill.aliases)
        if skill.name not in restricted and skill.name.lower() not in restricted:
            plain.insert(0, skill.name)
        variants = [(s, _ALIAS) for s in plain]
        variants += [(s, _EXACT) for s in skill.exact] + [(s, _AMBIGUOUS) for s in skill.ambiguous]
        for spelling, mode in variants:
            for toks in _spelling_variants(spelling):
                key = tuple(t.lower() for t in toks)
                entries = index.setdefault(key, [])
                if any(e[0] != i for e in entries):
                    raise ValueError(f"spelling {spelling!r} names two skills")
                entries.append((i, mode, toks))
                if mode == _ALIAS and len(key) == 1 and key[0].isalpha() and len(key[0]) >= 3:
                    versionable[key[0]] = i
        for spelling in (skill.name, *skill.aliases, *skill.ambiguous, *skill.exact, *skill.tags):
            norm = _norm_tag(spelling)
            if tag_index.setdefault(norm, i) != i:
                raise ValueError(f"tag spelling {spelling!r} names two skills")
    return index, tag_index, versionable


def _checked_relations(skills: list[Skill]) -> tuple[set[tuple[int, str]], set[tuple[int, str]]]:
    """The (skill, spelling) pairs that need a tag and those that are generic, after checking that ``implies``,
    ``needs_tag`` and ``generic`` name known skills and spellings (a ValueError otherwise)."""
    names = {s.name for s in skills}
    for skill in skills:
        if not set(skill.implies) <= names - {skill.name}:
            raise ValueError(f"skill {skill.name!r}: implies unknown skills {sorted(set(skill.implies) - names)}")
    needs_tag: set[tuple[int, str]] = set()
    for i, skill in enumerate(skills):
        for spelling in skill.needs_tag:
            if spelling not in skill.aliases or spelling in skill.generic:
                raise ValueError(
                    f"skill {skill.name!r}: needs_tag spelling {spelling!r} must be a plain, non-generic alias"
                )
            needs_tag.add((i, _norm_generic(spelling)))
    generic: set[tuple[int, str]] = set()
    for i, skill in enumerate(skills):
        for spelling in skill.generic:
            if spelling != skill.name and spelling not in skill.aliases:
                raise ValueError(f"skill {skill.name!r}: generic spelling {spelling!r} is not its name or an alias")
            generic.add((i, _norm_generic(spelling)))
    return needs_tag, generic


def skill_categories() -> dict[str, str]:
    """Canonical name -> category, for the storage layer's ``skills`` table."""
    return load_taxonomy().categories()


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


# One pass over the text (docs/skills-rules.md, "Speed"): the text's *skeleton* -- ASCII letters lowered, letters and
# digits kept, a Latin-1 letter turned into "_" (it stays part of a word), every other character a space -- scanned
# by one keyword set (``_automaton``, Hyperscan through pipeline.literals) whose keys are the spellings' skeletons
# between two spaces (" node js ", " c "). The keys need no punctuation variants, so the set stays small: a
# spelling's punctuation and case are checked on the text at each hit. Every digit is "0" in the skeleton: a glued
# version ("python3", "php8") is one key a word (" python0") instead of ten, which took the set from 10,757 keys
# (1.16 MB of Hyperscan tables, mostly out of the processor's caches by the time normalize reaches skills) to 5,079
# (0.51 MB); a spelling with a digit ("S3", "log4j") is then checked digit by digit on the text, as its punctuation
# is.
_DIGIT_ZERO = str.maketrans("123456789", "000000000")


def _skeleton_table() -> bytes:
    table = bytearray(b" " * 256)
    for b in range(256):
        ch = chr(b)
        if "A" <= ch <= "Z":
            table[b] = b + 32
        elif "0" <= ch <= "9":
            table[b] = ord("0")
        elif ("a" <= ch <= "z") or ch == "_":
            table[b] = b
        elif b >= 128 and ch.isalnum():  # a Latin-1 letter ("é", "ß") is part of a word
            table[b] = ord("_")
    return bytes(table)


_SKELETON = _skeleton_table()
_SKELETON_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_ ")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD_RUN_RE = re.compile(r"\w*")
_SPACE_RE = re.compile(r"\s")

# How a hit's spelling is checked on the text.
_PLAIN, _PLAIN_EXACT, _CASED, _GLUED_VERSION, _URL, _CUE, _NEG = 0, 1, 2, 3, 4, 5, 6
# Rule 11's anchors (``_NEG_ANCHOR``: "no", "not", "never", "n't" before whitespace, inside a word too) are keys of
# the automaton as well, without a leading space: the skeleton of "n't" is "n t".
_NEG_KEYS = {"no ": "no", "not ": "not", "never ": "never", "n t ": "n't"}
# Rule 10 cues, found by the same automaton: phrases after which the next words describe the employer ("a leader
# in bioinformatics", "innovations in payments, cybersecurity and machine learning") or the employee's equipment
# ("a choice to work from Mac or Linux"; but "supporting laptops (Mac, Windows, Linux)" is an IT job).
_ABOUT, _DEVICE = 0, 1
_CUE_PHRASES = {
    _ABOUT: (
        "leader in",
        "leaders in",
        "pioneer in",
        "pioneers in",
        "innovation in",
        "innovations in",
        "innovator in",
        "innovators in",
        "provider of",
        "providers of",
        # who backs or buys from the employer: names in these lists are companies, not the job's tools ("angels
        # such as the founders of Box, Airtable, Okta", "(Co-Founder and CEO, Figma)", "executives from
        # Cloudflare", "data teams at companies like Figma, Notion and Fivetran"); seen in real Ashby and
        # Greenhouse blurbs. Not "backed by" ("backed by Postgres and Redis") nor "partner with" (teams).
        "founder of",
        "founders of",
        "founder and ceo",
        "founded by",
        "creators of",
        "investors include",
        "investors including",
        "executives from",
        "places like",
        "companies like",
        "companies such as",
        "startups like",
        "startups such as",
        "customers include",
        "customers including",
        "customers like",
        "customers such as",
        "clients include",
        "clients including",
        "clients such as",
        "trusted by",
        "alumni of",
    ),
    _DEVICE: ("choice of", "choice to", "pick your", "macbook", "macbooks"),
}
_CUE_REACH = 60
# What ``_candidates`` saw, so that the later rules run only where they can apply.
_GENERIC_MARK, _SITE_MARK, _AMBIGUOUS_MARK = 1, 2, 4


def _layouts(toks: tuple[str, ...]) -> list[str]:
    """The strings a spelling's tokens may appear as (docs/skills-rules.md, rule 3): one space between two words,
    nothing or one space on each side of ``/``, ``&`` and ``-``, nothing or one space after a leading dot (". NET"),
    nothing next to any other punctuation."""
    outs = [toks[0]]
    for j in range(1, len(toks)):
        a, b = toks[j - 1], toks[j]
        if a[-1].isalnum() and b[0].isalnum():
            seps = (" ",)
        elif a in _LOOSE_PUNCT or b in _LOOSE_PUNCT or (j == 1 and a == "."):
            seps = ("", " ")
        else:
            seps = ("",)
        outs = [o + sep + b for o in outs for sep in seps]
    return outs


def _skeleton_of(body: str) -> str:
    return "".join(ch if ch in _SKELETON_CHARS else " " for ch in body).translate(_DIGIT_ZERO)


@cache
def _automaton() -> Literals:
    """The keyword set over the skeletons of every spelling layout, built once (~10k keys; its Hyperscan database
    through the compile cache, pipeline.literals)."""
    return Literals(_tables()[1])


def _keyword_pairs(tax: Taxonomy) -> list[tuple[str, Any]]:
    """The (key, value) pairs of :func:`_automaton`'s keyword set.

    A key's value: ``(key length, checks)``, one check per kind of spelling with that skeleton, longest first:
    ``(lead, length, kind, lowered bodies or {surface: ambiguous?}, skill index, generic?, spaced leading dot?,
    marks)`` where ``lead`` counts the punctuation before the skeleton's first letter (".net" -> 1). URL starts
    and rule 10 cues are keys too (kinds ``_URL``, ``_CUE``; the cue's kind in place of the skill index)."""
    # skeleton key -> (lead, length, kind, skill, generic?, spaced leading dot?) -> lowered bodies / surfaces
    checks: dict[str, dict[tuple, Any]] = {}
    for key, entries in tax.index.items():
        idx = entries[0][0]
        plain = any(mode == _ALIAS for _, mode, _ in entries)
        cased = [(_layouts(surface), mode == _AMBIGUOUS) for _, mode, surface in entries]
        for k, body in enumerate(_layouts(key)):
            skeleton = _skeleton_of(body)
            core = skeleton.strip()
            if not core:
                raise ValueError(f"spelling {body!r} has no letters")
            lead = len(skeleton) - len(skeleton.lstrip())
            generic = (idx, _norm_generic(body)) in tax.generic
            options = checks.setdefault(f" {core} ", {})
            if plain:
                # a space in the skeleton may be any non-word character: such bodies are compared with the text
                kind = _PLAIN_EXACT if skeleton != body or " " in body or "0" in body else _PLAIN
                key_ = (lead, len(body), kind, idx, generic, body.startswith(". "))
                options.setdefault(key_, set()).add(body)
            else:
                surfaces = options.setdefault((lead, len(body), _CASED, idx, generic, body.startswith(". ")), {})
                for layouts, ambiguous in cased:
                    surfaces.setdefault(layouts[k], ambiguous)
    for word, idx in tax.versionable.items():  # followed by any digit: "0" in the skeleton
        checks.setdefault(f" {word}0", {})[(0, len(word), _GLUED_VERSION, idx, False, False)] = None
    for url in ("http   ", "https   ", "www "):  # "http://", "https://", "www." in the skeleton
        checks.setdefault(f" {url}", {})[(0, 0, _URL, -1, False, False)] = None
    for cue, phrases in _CUE_PHRASES.items():
        for phrase in phrases:
            checks.setdefault(f" {phrase} ", {})[(0, len(phrase), _CUE, cue, False, False)] = None
    for key, word in _NEG_KEYS.items():  # lead 1: the key starts at its first letter, not at a space
        checks.setdefault(key, {})[(1, len(word), _NEG, word, False, False)] = None
    pairs = []
    for key, options in checks.items():
        merged = [
            (
                lead,
                length,
                kind,
                frozenset(expect) if isinstance(expect, set) else expect,
                idx,
                generic,
                dot_spaced,
                (_GENERIC_MARK if generic else 0)
                | (_SITE_MARK if kind in (_PLAIN, _PLAIN_EXACT, _CASED) and idx in tax.profile_sites else 0),
            )
            for (lead, length, kind, idx, generic, dot_spaced), expect in options.items()
        ]
        merged.sort(key=lambda option: -option[1])  # longest first
        pairs.append((key, (len(key), tuple(merged))))
    # Hyperscan's literal matcher: 21 us a posting for the scan against 35 us for pyahocorasick's walk, and in the
    # whole stage 129 -> 113 us (docs/scan.md)
    return pairs


def skeleton(text: str) -> str:
    """What the keyword set runs on, offsets unchanged: ``text`` with ASCII letters lower-cased, every digit "0",
    "_" kept, other Latin-1 letters as "_" (part of a word) and every other character a space."""
    return text.encode("latin-1", "replace").translate(_SKELETON).decode("latin-1")


def _candidates(text: str) -> tuple[list[list], list[tuple[int, int]], int, list[tuple[int, str]]]:
    """The candidate mentions a whole-text tokenization would give (``[None, None, skill index, ambiguous?, start,
    end, accepted, generic?]``, sorted, not overlapping; tests/skills_reference.py), by one automaton pass over the
    skeleton.

    Only the automaton's hits (~13 per 5 KB posting) are looked at in Python: the spelling's punctuation and
    spaces must be in the text as written (the skeleton turns a line break or a comma into a space too), a cased
    spelling must have its exact surface, a spelling ending or starting with punctuation must not be glued to a
    word, a spaced leading dot must follow whitespace, and rule 4 (filenames, domains) applies. URLs are opaque
    (rule 1): their starts are keys of the automaton too, and so are the cues of rule 10, returned as
    ``(cue, end)``, and rule 11's anchors, returned as ``(offset, word)`` in text order (what ``_NEG_ANCHOR``
    finds in the lowered text)."""
    automaton = _automaton()
    # the skeleton as bytes, between two spaces, straight to the scan (no str round trip)
    scanned = automaton.scan_bytes(b" " + text.encode("latin-1", "replace").translate(_SKELETON) + b" ")
    if not scanned:
        return [], [], 0, []
    values = automaton.values
    hits = []
    urls: list[tuple[int, int]] = []
    cues: list[tuple[int, int]] = []
    anchors: list[tuple[int, str]] = []
    marks = 0
    n = len(text)
    # A character beyond Latin-1 became "?" and so a space: look at the text itself there.
    check = not text.isascii()
    for stop, key in scanned:
        size, options = values[key]
        core = stop - size  # the text offset of the key's first letter (the key and the text start with a space)
        for lead, length, kind, expect, idx, generic, dot_spaced, mark in options:
            start = core - lead
            end = start + length
            if kind == _PLAIN:
                ambiguous = False
                # the characters around; beyond Latin-1 they were "?" in the skeleton, so one may be a letter
                before = text[start - 1] if start else " "
                after = text[end] if end < n else " "
                if check and ((before > "\xff" and before.isalnum()) or (after > "\xff" and after.isalnum())):
                    continue
            else:
                if kind == _CASED:
                    ambiguous = expect.get(text[start:end])
                    if ambiguous is None or (dot_spaced and start and not text[start - 1].isspace()):
                        continue
                elif kind == _PLAIN_EXACT:
                    frag = text[start:end]
                    if start < 0 or (frag.lower() if frag.isascii() else frag.translate(_ASCII_LOWER)) not in expect:
                        continue
                    if dot_spaced and start and not text[start - 1].isspace():
                        continue
                    ambiguous = False
                elif kind == _GLUED_VERSION:
                    while end < n and "0" <= text[end] <= "9":
                        end += 1
                    ambiguous = False
                elif kind == _CUE:
                    cues.append((idx, end))
                    continue
                elif kind == _NEG:
                    # whitespace after (the skeleton's space may be punctuation); "n't" with an apostrophe
                    if end < n and text[end].isspace():
                        if idx != "n't":
                            anchors.append((start, idx))
                        elif (apostrophe := text[start + 1]) in "'’":
                            anchors.append((start, f"n{apostrophe}t"))
                    continue
                else:  # a URL, up to the next whitespace
                    if not (start and _is_word(text[start - 1])):
                        url = _URL_RE.match(text, start)
                        if url:
                            urls.append(url.span())
                    continue
                before = text[start - 1] if start else " "
                after = text[end] if end < n else " "
                if after.isalnum() or after == "_" or before.isalnum() or before == "_":  # _is_word, inlined
                    continue
            # rule 4: a filename or a domain
            if (before == "." and start >= 2 and _is_word(text[start - 2])) or (
                after == "." and end + 1 < n and text[end + 1].islower()
            ):
                continue
            hits.append((start, -end, idx, ambiguous, generic))
            marks |= mark
            if ambiguous:
                marks |= _AMBIGUOUS_MARK
    if len(anchors) > 1:
        anchors.sort()
    if not hits:
        return [], cues, marks, anchors
    if len(urls) > 1:
        urls.sort()  # in text order (Hyperscan reports by end, and a "www" key may end inside an "https" one)
    hits.sort()
    found: list[list] = []
    next_free = 0
    # URL spans come in text order; two spans that overlap end at the same whitespace ("https://www.x.io")
    u, n_urls = 0, len(urls)
    for start, neg_end, idx, ambiguous, generic in hits:
        if start < next_free:
            continue
        end = -neg_end
        if n_urls:
            while u < n_urls and urls[u][1] <= start:
                u += 1
            if u < n_urls and urls[u][0] < end:
                continue
        found.append([None, None, idx, ambiguous, start, end, not ambiguous, generic])
        next_free = end
    return found, cues, marks, anchors


def _window_end(text: str, b: int) -> int:
    """The first token boundary at or after ``b``: the next whitespace (nearby) or the end of a word run."""
    if b >= len(text):
        return len(text)
    m = _SPACE_RE.search(text, b, b + 256)
    return m.start() if m else _WORD_RUN_RE.match(text, b).end()  # type: ignore[union-attr]


def _context_window(text: str, start: int, end: int) -> tuple[_Tokens, int, int]:
    """Tokens around the candidate ``text[start:end]`` with enough context for rule 6 (``_CUE_WINDOW`` tokens each
    side, or the text's ends), and the candidate's token indices in them."""
    n = len(text)
    margin = 40
    while True:
        a = max(0, start - margin)
        if a:
            m = _SPACE_RE.search(text, a, start)
            a = m.end() if m else start
        b = _window_end(text, min(n, end + margin))
        toks = _Tokens(text, a, b)
        ti = toks.index_at(start)
        tj = toks.index_at(end - 1) + 1
        if (a == 0 or ti > _CUE_WINDOW) and (b >= n or len(toks.low) - tj > _CUE_WINDOW):
            return toks, ti, tj
        margin *= 2


_NEXT_TOKEN_RE = re.compile(r"(\s*)((?i:https?://|www\.)\S+|\w+|[^\w\s])")


def _next_verdict(text: str, start: int, end: int) -> bool | None:
    """The rules of ``_context_verdict`` that need only the tokens touching the candidate (hyphen- and
    ampersand-glued, a stop word or year after it, a head word or version after it), read from the text itself:
    False/True as there, None = a list neighbour or the context decides. ~1 us, where a tokenized context window
    costs ~10 us: the window is read last, and only as far as needed (``_near_verdict``)."""
    m = _NEXT_TOKEN_RE.match(text, end)
    nxt = _lower(m.group(2)) if m else ""
    gap = m.group(1) if m else ""
    if nxt == "-" and not gap:
        after = _NEXT_TOKEN_RE.match(text, m.end())  # type: ignore[union-attr]
        if after and not after.group(1):
            nxt = _lower(after.group(2))
            if nxt not in _HYPHEN_OK_SUFFIX:
                return False
    if start >= 2 and text[start - 1] in _HYPHENS and not text[start - 2].isspace():
        return False
    if (nxt == "&" and not gap) or (start and text[start - 1] == "&"):
        return False
    if nxt in _STOP_NEXT or _YEAR_RE.fullmatch(nxt):
        return False
    if m and "\n" not in gap and (nxt in _HEAD_WORDS or _VERSION_RE.fullmatch(nxt)):
        return True
    return None


_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_NEAR = 48  # characters of context read first; 6 tokens almost always fit (widened when not)


def _near_verdict(text: str, start: int, end: int) -> bool | None:
    """The rest of ``_context_verdict`` once ``_next_verdict`` left it open: a lead-in (the two tokens before) or a
    cue word (the ``_CUE_WINDOW`` tokens each side, on the same line) accepts. Only short slices that start and end
    at whitespace (token boundaries) are tokenized; near a URL the whole window is read instead."""
    n = len(text)
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = n
    reach = _NEAR
    while True:
        a = max(0, start - reach)
        if a:
            m = _SPACE_RE.search(text, a, start)
            a = m.end() if m else start
        before = _lower(text[a:start])
        if "://" in before or "www." in before:
            break
        toks = _TOKEN_RE.findall(before)
        if a == 0 or (len(toks) >= _CUE_WINDOW if a > line_start else len(toks) >= 2):
            if len(toks) >= 2 and (toks[-2], toks[-1]) in _LEAD_IN_TWO:
                return True
            if line_start > a:
                toks = _TOKEN_RE.findall(_lower(text[line_start:start]))
            if not _CUE_WORDS.isdisjoint(toks[-_CUE_WINDOW:]):
                return True
            reach = _NEAR
            while True:
                b = _window_end(text, min(line_end, end + reach))
                after = _lower(text[end : min(b, line_end)])
                if "://" in after or "www." in after:
                    break
                toks = _TOKEN_RE.findall(after)
                if b >= line_end or len(toks) >= _CUE_WINDOW:
                    return True if not _CUE_WORDS.isdisjoint(toks[:_CUE_WINDOW]) else None
                reach *= 2
            break
        reach *= 2
    toks_w, ti, tj = _context_window(text, start, end)
    return _context_verdict(toks_w, ti, tj, start, end)


def _resolve_fast(text: str, found: list[list]) -> None:
    """Rule 6 (the context rule) for automaton candidates (char offsets, sorted, not overlapping), in place.

    A candidate that no touching token rejects and that sits in a list next to a specific (non-ambiguous)
    mention is accepted without reading its context: the context could only accept it too."""
    pending = []
    last = len(found) - 1
    for k, m in enumerate(found):
        if m[3]:
            if _brand_product(text, found, k):
                continue
            verdict = _next_verdict(text, m[4], m[5])
            if verdict is None:
                if (k < last and not found[k + 1][3] and _only_separators(text, m[5], found[k + 1][4])) or (
                    k and not found[k - 1][3] and _only_separators(text, found[k - 1][5], m[4])
                ):
                    verdict = True
                else:
                    verdict = _near_verdict(text, m[4], m[5])
            if verdict:
                m[6] = True
            elif verdict is None:
                pending.append(k)
    changed = True
    while changed and pending:
        changed = False
        for k in list(pending):
            m = found[k]
            ok = None
            if k < last and _only_separators(text, m[5], found[k + 1][4]):
                ok = found[k + 1][6] or None
            if ok is None and k > 0 and _only_separators(text, found[k - 1][5], m[4]):
                ok = found[k - 1][6]
            if ok:
                m[6] = True
                pending.remove(k)
                changed = True
    for k in pending:
        found[k][6] = None  # undecided: a companion mention or a tag may still accept it (``_support``)


# Rule 6e, companions: an ambiguous spelling is a technology when a skill it belongs with is named on the same line
# close by ("features in Swift for iOS", "a Python service on Flask", "E2E tests in Cypress", "styles in LESS on
# top of CSS"): the ordinary word ("swift", "flask", "cypress", "less") does not come with these.
_COMPANIONS = {
    "Swift": ("iOS", "SwiftUI", "UIKit", "Objective-C", "macOS", "Mobile development"),
    "Flask": ("Python", "Django", "FastAPI", "SQLAlchemy", "Web services", "API design", "REST"),
    "Express": ("Node.js", "JavaScript", "TypeScript", "NestJS"),
    "Spring": ("Java", "Kotlin", "Hibernate", "JPA", "JVM"),
    "React": ("JavaScript", "TypeScript", "Redux", "Next.js", "HTML", "CSS", "Frontend development", "Vue.js"),
    "Cypress": (
        "Jest",
        "Playwright",
        "Selenium",
        "End-to-end testing",
        "Software testing",
        "JavaScript",
        "TypeScript",
    ),
    "Less": ("CSS", "Sass", "HTML", "Tailwind CSS", "Bootstrap"),
    "Elixir": ("Phoenix", "Erlang"),
    "Dart": ("Flutter",),
    "Ruby": ("Ruby on Rails", "Sidekiq", "RSpec"),
    "Jest": ("JavaScript", "TypeScript", "React", "Unit testing", "Software testing"),
    "Apache Airflow": (
        "dbt",
        "Apache Spark",
        "Snowflake",
        "Redshift",
        "BigQuery",
        "ETL",
        "Data pipelines",
        "Dagster",
    ),
}
_COMPANION_REACH = 80


@cache
def _companion_index() -> dict[int, frozenset[int]]:
    """Skill index -> the indices of its companions, both ways (Cypress supports Jest as Jest supports Cypress)."""
    tax = load_taxonomy()
    pos = {name: i for i, name in enumerate(tax.names)}
    out: dict[int, set[int]] = {}
    for a, bs in _COMPANIONS.items():
        for b in bs:
            out.setdefault(pos[a], set()).add(pos[b])
            out.setdefault(pos[b], set()).add(pos[a])
    return {k: frozenset(v) for k, v in out.items()}


def _support(text: str, found: list[list], supported: frozenset[int] = frozenset()) -> None:
    """Accept, in place, the ambiguous candidates that rule 6a-d left undecided (``m[6] is None``) when a structured
    tag names their skill (``supported``, rule 7) or a companion skill (``_COMPANIONS``) has an accepted mention on
    the same line within ``_COMPANION_REACH`` characters; until nothing changes (an accepted one supports its own
    companions). Shared by the fast path and the reference."""
    companions = _companion_index()
    changed = True
    while changed:
        changed = False
        for m in found:
            if m[6] is not None or not m[3]:
                continue
            if m[2] in supported:
                m[6] = changed = True
                continue
            wanted = companions.get(m[2])
            if not wanted:
                continue
            line_start = text.rfind("\n", 0, m[4]) + 1
            line_end = text.find("\n", m[5])
            lo = max(line_start, m[4] - _COMPANION_REACH)
            hi = m[5] + _COMPANION_REACH if line_end < 0 else min(line_end, m[5] + _COMPANION_REACH)
            if any(o[6] is True and o[2] in wanted and lo <= o[4] and o[5] <= hi for o in found):
                m[6] = changed = True


# Gaps between list items that are separators for sure (the rest is tokenized).
_QUICK_SEPARATORS = frozenset(
    {"", ",", "/", "&", "and", "or", ", and", ", or", "(", ")", ";", ":", "|", "-", "+", "*", "\u00b7", "\u2022"}
)


def _only_separators(text: str, a: int, b: int) -> bool:
    """Whether ``text[a:b]`` holds at most ``_LIST_DISTANCE`` tokens, all list separators."""
    if b - a <= 8 and text[a:b].strip().lower() in _QUICK_SEPARATORS:
        return True
    if b - a > 48 and len(text[a : a + 48].split(None, _LIST_DISTANCE)) > _LIST_DISTANCE:
        return False  # four whitespace-separated pieces are four tokens at least (read without copying the gap)
    between = text[a:b]
    if len(between) > 32 and len(between.split(None, _LIST_DISTANCE)) > _LIST_DISTANCE:
        return False
    toks = _SPLIT_RE.split(_lower(between))[1::2]
    return len(toks) <= _LIST_DISTANCE and all(_is_separator(t) for t in toks)


def _context_verdict(toks: _Tokens, ti: int, tj: int, start: int, end: int) -> bool | None:
    """Rule 6 for the ambiguous candidate of tokens ``ti .. tj-1``: False = rejected, True = accepted by a head word,
    lead-in or cue word, None = only a list neighbour can accept it."""
    low = toks.low
    n_toks = len(low)
    nxt = low[tj] if tj < n_toks else ""
    # Hyphen-glued ("Go-to-market", "let-Go"; "Go-based" is fine) or ampersand-glued ("R&D", "AT&T").
    if nxt == "-" and not toks.gap(tj - 1) and tj + 1 < n_toks and not toks.gap(tj):
        if low[tj + 1] not in _HYPHEN_OK_SUFFIX:
            return False
        nxt = low[tj + 1]
    if ti >= 2 and low[ti - 1] == "-" and not toks.gap(ti - 1) and not toks.gap(ti - 2):
        return False
    if (nxt == "&" and not toks.gap(tj - 1)) or (ti >= 1 and low[ti - 1] == "&" and not toks.gap(ti - 1)):
        return False
    if nxt in _STOP_NEXT or _YEAR_RE.fullmatch(nxt):
        return False
    same_line = tj < n_toks and "\n" not in toks.gap(tj - 1)
    # a. head word or version number
    if same_line and (nxt in _HEAD_WORDS or _VERSION_RE.fullmatch(nxt)):
        return True
    # c. lead-in phrase
    if ti >= 2 and (low[ti - 2], low[ti - 1]) in _LEAD_IN_TWO:
        return True
    # d. cue word on the same line
    text = toks.text
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    if any(
        low[k] in _CUE_WORDS and line_start <= toks.start(k) < line_end
        for k in (*range(max(0, ti - _CUE_WINDOW), ti), *range(tj, min(n_toks, tj + _CUE_WINDOW)))
    ):
        return True
    return None


_BRAND_NEXT_RE = re.compile(r" ([A-Z]\w*)")
_BRAND_HEADS = _HEAD_WORDS | {"rdbms"}


def _brand_product(text: str, found: list[list], k: int) -> bool:
    """Rule 6 for brand spellings (``brand`` in the taxonomy): "Apache Cordova", "Oracle VM", "Elastic Load
    Balancing" name another product of the vendor -- a capitalized word right after that starts no candidate of
    ours ("Oracle Postgres MySQL" is a list) and is no head word ("Oracle DBA", "Apache Server")."""
    m = found[k]
    if text[m[4] : m[5]] not in load_taxonomy().brands:
        return False
    after = _BRAND_NEXT_RE.match(text, m[5])
    if after is None or after.group(1).lower() in _BRAND_HEADS:
        return False
    return not (k + 1 < len(found) and found[k + 1][4] == after.start(1))


def _is_separator(tok: str) -> bool:
    return tok in _LIST_WORDS or (len(tok) == 1 and not tok.isalnum() and tok not in _SENTENCE_END)


def candidate_spans(text: str) -> list[tuple[str, int, int]]:
    """(skill, start, end) of every longest match, before the context rule (for evaluation)."""
    if not text:
        return []
    tax = load_taxonomy()
    return [(tax.skills[m[2]].name, m[4], m[5]) for m in _candidates(text)[0]]


def _accepted(text: str, first_only: bool = False, supported: frozenset[int] = frozenset()) -> list[list]:
    """The accepted mentions (candidate lists, see ``_candidates``) in text order. ``first_only``: only each
    skill's first mention will be read (it is the same; later ones may be kept unchecked). ``supported``: skill
    indices a structured tag names (rule 7: a tag accepts an undecided ambiguous mention of its skill)."""
    return _accepted_of(text, _candidates(text), first_only, supported)


def _accepted_of(
    text: str,
    scanned: tuple[list[list], list[tuple[int, int]], int, list[tuple[int, str]]],
    first_only: bool = False,
    supported: frozenset[int] = frozenset(),
) -> list[list]:
    """``_accepted`` from what ``_candidates`` returned (its candidate lists are changed in place: one use)."""
    found, cues, marks, _ = scanned
    if not found:
        return found
    accepted = found
    if marks & _AMBIGUOUS_MARK:
        _resolve_fast(text, found)
        _support(text, found, supported)
        accepted = [m for m in found if m[6]]
    # before rule 8: a mention that needs a tag must not count as the specific mention a generic one needs
    accepted = _drop_untagged(text, accepted, supported)
    if marks & _GENERIC_MARK:
        # rule 10 below may drop a skill's first mention: then its later ones must have been checked
        accepted = _drop_lone_generic(text, accepted, first_only and not (cues or marks & _SITE_MARK), supported)
    if cues or marks & _SITE_MARK:
        accepted = _drop_weak(text, accepted, cues)
    return accepted


def _drop_untagged(text: str, accepted: list[list], supported: frozenset[int] = frozenset()) -> list[list]:
    """Rule 7: a mention by a ``needs_tag`` spelling ("backend", "security") stays only when a structured tag names
    its skill (``supported``). Shared by the fast path and the reference."""
    tax = load_taxonomy()
    waiting = tax.needs_tag_skills - supported if supported else tax.needs_tag_skills
    if not waiting or waiting.isdisjoint([m[2] for m in accepted]):
        return accepted
    return [
        m for m in accepted if m[2] not in waiting or (m[2], _norm_generic(text[m[4] : m[5]])) not in tax.needs_tag
    ]


# Gerunds of engineering activities: a generic gerund listed among two or more of them is one more activity
# ("designing, developing, testing and deploying"; "rapidly testing, iterating, and shipping ideas"), not a skill;
# next to one only it still is ("a background in prototyping and testing", "planning, testing, documentation").
_ACTIVITIES = _words(
    """
    designing developing building deploying iterating shipping implementing releasing shaping operating maintaining
    debugging documenting planning prototyping launching delivering integrating evaluating researching analyzing
    analysing writing coding refactoring reviewing creating automating running supporting troubleshooting
    architecting validating measuring experimenting learning
    """
)
_ACTIVITY_BEFORE_RE = re.compile(
    r"\b(\w+ing)(?:[^\S\n]*[,/&][^\S\n]*(?:(?:and|or)[^\S\n]+)?|[^\S\n]+(?:(?:and|or)[^\S\n]+)?)$", re.IGNORECASE
)
_ACTIVITY_AFTER_RE = re.compile(r"[^\S\n]*[,/&]?[^\S\n]*(?:(?:and|or)[^\S\n]+)?(\w+ing)\b", re.IGNORECASE)


def _in_activity_list(text: str, line_start: int, line_end: int, start: int, end: int) -> bool:
    """Whether the gerund ``text[start:end]`` is listed among at least two activity gerunds (``_ACTIVITIES``) on
    its line, and no head word ends the list ("building monitoring, testing solutions" is a noun phrase)."""
    count = 0
    pos = start
    while count < 4:
        m = _ACTIVITY_BEFORE_RE.search(text, max(line_start, pos - 40), pos)
        if m is None or m.group(1).lower() not in _ACTIVITIES:
            break
        count += 1
        pos = m.start()
    pos = end
    while True:
        m = _ACTIVITY_AFTER_RE.match(text, pos, line_end)
        if m is None or not m.group(1).lower().endswith("ing"):
            break
        count += m.group(1).lower() in _ACTIVITIES
        pos = m.end()
    if count < 2:
        return False
    after = _NEXT_WORD_RE.match(text, pos, line_end)
    return after is None or after.group(1).lower() not in _GENERIC_HEADS


def _generic_cue(text: str, line_start: int, line_end: int, start: int, end: int, near: bool) -> bool | None:
    """What the words around a generic mention say (rule 8): True = a skill -- a lead-in ("experience with",
    "knowledge of") or an engineering verb ("design", "build", "writing") right before it, or a head word right
    after it ("testing frameworks", "database schemas", "monitoring tools"); False = one activity in a list of
    them ("designing, developing, testing and deploying"); None = nothing, a specific mention nearby decides.
    With a specific mention ``near``, only False matters."""
    gerund = text[end - 3 : end].lower() == "ing"
    if near and not gerund:
        return None
    before = _WORD_RE.findall(text[max(line_start, start - 40) : start].lower())[-2:]
    if before and tuple(before) in _LEAD_IN_TWO:
        return True
    after = _NEXT_WORD_RE.match(text, end, line_end)
    if after is not None and after.group(1).lower() in _GENERIC_HEADS:
        return True
    if gerund:
        # an activity right before (past a conjunction) or right after: then count the whole list
        prev = before[-1] if before else ""
        if prev in ("and", "or") and len(before) == 2:
            prev = before[0]
        nxt = _ACTIVITY_AFTER_RE.match(text, end, line_end)
        adjacent = prev in _ACTIVITIES or (nxt is not None and nxt.group(1).lower() in _ACTIVITIES)
        if adjacent and _in_activity_list(text, line_start, line_end, start, end):
            return False
    if before and before[-1] in _GENERIC_VERBS:
        return True
    return None


def _drop_lone_generic(
    text: str, accepted: list[list], first_only: bool = False, supported: frozenset[int] = frozenset()
) -> list[list]:
    """Rule 8: a mention by a generic spelling stays with a cue (``_generic_cue``) or, when the words around it say
    nothing, with a specific mention on its line at most ``_GENERIC_REACH`` characters away. ``accepted`` is
    sorted and not overlapping, so only the neighbours in reach are read.

    ``first_only``: the caller reads only each skill's first mention (``extract_skills``), so a generic mention of a
    skill already kept is kept unread (no generic mention supports another, so nothing else changes).

    ``supported``: skill indices a structured tag names; their generic mentions need no cue (rule 7)."""
    out = None
    kept: set[int] = set()
    for k, m in enumerate(accepted):
        if not m[7] or (first_only and m[2] in kept) or m[2] in supported:
            if first_only:
                kept.add(m[2])
            if out is not None:
                out.append(m)
            continue
        start, end, skill = m[4], m[5], m[2]
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if line_end < 0:
            line_end = len(text)
        lo, hi = max(line_start, start - _GENERIC_REACH), min(line_end, end + _GENERIC_REACH)
        near = False
        j = k - 1
        while j >= 0 and accepted[j][4] >= lo:
            o = accepted[j]
            if not o[7] and o[2] != skill:
                near = True
                break
            j -= 1
        j = k + 1
        while not near and j < len(accepted) and accepted[j][5] <= hi:
            o = accepted[j]
            if not o[7] and o[2] != skill:
                near = True
                break
            j += 1
        cue = _generic_cue(text, line_start, line_end, start, end, near)
        keep = cue is True or (cue is None and near)
        if not keep:
            if out is None:
                out = accepted[:k]
            continue
        if first_only:
            kept.add(skill)
        if out is not None:
            out.append(m)
    if out is None:
        return accepted
    return out


_PROFILE_NEXT = _words("profile profiles account accounts handle username page link links star stars universe")
_PROFILE_BEFORE = _words("your their his her")
_PROFILE_LINK_RE = re.compile(r"[^\S\n]*[:\-–][^\S\n]*(?:https?://|www\.|[\w-]+\.(?:com|io|dev)/)", re.IGNORECASE)
# Words of application advice: a profile site in the same sentence is the applicant's profile ("send your resume,
# LinkedIn and GitHub"; but "sourcing on LinkedIn Recruiter, GitHub, portfolio sites" is a recruiter's tool, and
# "web application" is no advice).
_APPLY_WORDS = ("resum", "résumé", "to apply", "presence", "doxx")
_CV_RE = re.compile(r"\bcv\b")
_SENTENCE_END_RE = re.compile(r"[.!?](?:\s|$)|\n")


def _sentence_bounds(text: str, start: int, end: int, reach: int = 200) -> tuple[int, int]:
    """The sentence around ``text[start:end]``, at most ``reach`` characters each side."""
    lo = max(0, start - reach)
    a = lo
    for m in _SENTENCE_END_RE.finditer(text, lo, start):
        a = m.end()
    m = _SENTENCE_END_RE.search(text, end, end + reach)
    return a, m.start() if m else min(len(text), end + reach)


def _profile_advice(text: str, start: int, end: int) -> bool:
    """Whether a profile-site mention is about the applicant's profile: "GitHub profile", "your GitHub", or a
    sentence of application advice ("send your CV, LinkedIn and GitHub")."""
    after = _NEXT_WORD_RE.match(text, end)
    if after and after.group(1).lower() in _PROFILE_NEXT:
        return True
    if _PROFILE_LINK_RE.match(text, end):
        return True  # "GitHub: https://github.com/someone" (a profile link, as in a candidate's reply)
    before = _WORD_RE.findall(text[max(0, start - 16) : start])
    if before and before[-1].lower() in _PROFILE_BEFORE:
        return True
    a, b = _sentence_bounds(text, start, end)
    sentence = text[a:b].lower()
    return any(word in sentence for word in _APPLY_WORDS) or _CV_RE.search(sentence) is not None


def _drop_weak(text: str, accepted: list[list], cues: list[tuple[int, int]]) -> list[list]:
    """Rule 10: mentions that describe the employer or the applicant, not the job: after an about cue ("a leader
    in genomics"), an operating system after an equipment cue ("laptops (macOS, Linux)"), a profile site in
    application advice ("your GitHub profile")."""
    tax = load_taxonomy()
    sites = tax.profile_sites
    windows = []
    n = len(text)
    for cue, end in cues:
        limit = min(n, end + _CUE_REACH)
        stop = _SENTENCE_END_RE.search(text, end, limit)
        windows.append((cue, end, stop.start() if stop else limit))
    systems = tax.systems
    out = []
    for m in accepted:
        start, idx = m[4], m[2]
        if any(a <= start < b and (cue == _ABOUT or idx in systems) for cue, a, b in windows):
            continue
        if idx in sites and _profile_advice(text, start, m[5]):
            continue
        out.append(m)
    return out


def find_mentions(text: str) -> list[Mention]:
    """Every accepted mention in ``text`` that speaks of the job (rules 11 and 12 drop the others), in order (a
    skill may appear several times); a skill another implies (``implies`` in the taxonomy: "ASP.NET Core" is
    .NET) follows its mention with the same span."""
    if not text:
        return []
    skills = load_taxonomy().skills
    out = []
    scanned = _candidates(text)
    for m in _not_the_job(text, _accepted_of(text, scanned), scanned[3]):
        skill = skills[m[2]]
        out.append(Mention(skill.name, m[4], m[5], text[m[4] : m[5]]))
        out += [Mention(name, m[4], m[5], text[m[4] : m[5]]) for name in skill.implies]
    return out


# Rule 11, negation and exclusion: a skill the text says the job does not use or need. Scopes are found on the
# lowered text (same length: ``_lower``) by literal-led patterns, and only when one of the cue words occurs.
# "we don't use Java or PHP", "you won't need to touch Perl", "we never use ORMs", "no longer using Angular". Led
# by the negation itself, so that ``re`` fails fast everywhere else.
_NEG_USE = re.compile(
    r"(?:n[\'’]t|\snot|cannot|never|no\s+longer)\s+(?:\w+\s+)?(?:use|using|used|need|require|touch|write"
    r"|work\s+(?:with|in)|code\s+in)\b"
)
# "no Java experience required", "no prior PHP knowledge is needed": the span between "no" and the noun
_NEG_NO_NEED = re.compile(
    r"\bno\s+(?:prior\s+|previous\s+|professional\s+)?(?P<span>[^.;:!?\n]{1,60}?)\s+(?:experience|knowledge"
    r"|background|expertise)\s+(?:is\s+|are\s+)?(?:required|needed|necessary|expected)\b"
)
# "Java experience is not required", "experience with Rails is not necessary": the clause before (at most 60
# characters) is the scope
_NEG_NOT_NEEDED = re.compile(r"not\s+(?:required|needed|necessary|expected|a\s+requirement)\b")
_NEG_REACH = 60
# Headings of what the job is not: "Who this is not for:", "Not a fit", "Not your tech stack?", "What we are not
# looking for". On a line of its own (or ending in ":"/"?") the scope is the rest of that line, the next line and the
# bullets that follow; inside a sentence only the rest of its clause ("This is not for everyone, but ...").
_NEG_SECTION = re.compile(
    r"\bnot\s+(?:for\b|a\s+(?:good\s+)?(?:fit|match)\b|your\s+(?:tech\s+)?stack\b|looking\s+for\b)"
)
_CLAUSE_END = re.compile(r"[.;!?\n]|,?\s+but\b|,\s+(?:we|our|you|they|it|instead|rather)\b|\s+instead\b|\s+-\s|—")
_BULLET_LINE = re.compile(r"[ \t]*(?:[-*•·–]|\d+[.)])\s")

# Rule 12, the company's products: a platform named as something the company ships to its users ("its iOS app,
# Android app and Mac app", "our iOS and Android apps", "available on iOS and Android") is no skill of the job
# unless the job works on it ("you will build our iOS app"); another mention of the platform still counts.
_PLATFORM_APP = re.compile(
    r"(?:\s*(?:,|/|&|\band\b|\bor\b)?\s*(?:ios|android|mac|macos|windows|linux|web|desktop|mobile|ipad|iphone|chrome|watchos"
    r"|tvos))*\s*(?:apps?|applications?)\b"
)
_PRODUCT_CUE = re.compile(
    r"\b(?:our|its|their|products?|include[sd]?|including|available|download\w*|users?|customers?)\b"
)
_AVAILABLE_ON = re.compile(r"\b(?:available|download\w*)\s+(?:\w+\s+)?(?:on|in|for|from)\b")
_BUILD_VERB = re.compile(
    r"\b(?:build|building|develop|developing|ship|shipping|maintain|maintaining|work(?:ing)?\s+on|own|owning|write"
    r"|writing|improve|improving|design|designing|engineer|engineering|port|porting|extend|extending)\b"
)
_PLATFORM_CATEGORIES = frozenset({"mobile", "os"})


def _cased(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The twin of a pattern written for lowered text that runs on the text as written: each ASCII letter ``x``
    outside escapes, classes and group names becomes ``[xX]``. On a text without "İ" and the Kelvin sign it finds
    what ``pattern`` finds on ``_lowered(text)`` (which differs from the text in the case of ASCII letters only),
    at the same offsets, so rules 11 and 12 need no lowered copy of the text."""
    src, out, i = pattern.pattern, [], 0
    while i < len(src):
        ch = src[i]
        if ch == "\\":
            out.append(src[i : i + 2])
            i += 2
        elif ch == "[":  # a class: copied as it is (ours hold no letters but escapes)
            j = i + 1
            while src[j] != "]":
                j += 2 if src[j] == "\\" else 1
            out.append(src[i : j + 1])
            i = j + 1
        elif src.startswith("(?P<", i):
            j = src.index(">", i)
            out.append(src[i : j + 1])
            i = j + 1
        elif ch.isascii() and ch.isalpha():
            out.append(f"[{ch}{ch.upper()}]")
            i += 1
        else:
            out.append(ch)
            i += 1
    return re.compile("".join(out), pattern.flags)


class _RulePatterns(NamedTuple):
    """Rules 11 and 12's patterns, for one kind of text: lowered (``_lowered``) or as written (``_cased`` twins)."""

    cased: bool
    use: re.Pattern[str]
    no_need: re.Pattern[str]
    not_needed: re.Pattern[str]
    section: re.Pattern[str]
    clause_end: re.Pattern[str]
    platform_app: re.Pattern[str]
    product_cue: re.Pattern[str]
    available_on: re.Pattern[str]
    build_verb: re.Pattern[str]


_ON_LOWERED = _RulePatterns(
    False,
    _NEG_USE,
    _NEG_NO_NEED,
    _NEG_NOT_NEEDED,
    _NEG_SECTION,
    _CLAUSE_END,
    _PLATFORM_APP,
    _PRODUCT_CUE,
    _AVAILABLE_ON,
    _BUILD_VERB,
)
_ON_TEXT = _RulePatterns(True, *(_cased(p) for p in _ON_LOWERED[1:]))


def _scope_end(low: str, pos: int, pats: _RulePatterns = _ON_LOWERED) -> int:
    m = pats.clause_end.search(low, pos)
    return m.start() if m else len(low)


# Every rule 11 pattern starts at one of these words (or one character before "not": " not", "cannot"): one scan
# finds them all, and each pattern is tried only there (``re`` would try it at every position). Each pattern needs
# whitespace right after the word, so the scan does too: "no" inside "know", "technology" or "innovation" (~20 a
# posting) is no anchor.
_NEG_ANCHOR = re.compile(r"n(?:[\'’]t|ot|ever|o)(?=\s)")


def _negated_scopes(
    low: str, anchors: list[tuple[int, str]] | None = None, pats: _RulePatterns = _ON_LOWERED
) -> list[tuple[int, int]]:
    """The stretches of the text that rule 11 takes out of the job. ``low`` is the lowered text, or with
    ``pats=_ON_TEXT`` the text as written; ``anchors``: the ``(offset, word)`` of every ``_NEG_ANCHOR`` match in
    the lowered text, in order (found here when None)."""
    if anchors is None:
        anchors = [(a.start(), a.group()) for a in _NEG_ANCHOR.finditer(_lowered(low) if pats.cased else low)]
    scopes: list[tuple[int, int]] = []
    sections: list[re.Match[str]] = []
    cased = pats.cased
    for at, word in anchors:
        if word == "not":
            can = low[at - 3 : at]
            if cased:
                can = can.lower()
            use = pats.use.match(low, at - 3) if can == "can" else pats.use.match(low, at - 1)
            needed = pats.not_needed.match(low, at)
            if needed:
                before = low[max(0, at - 6) : at].rstrip()
                if (before.lower() if cased else before).endswith((" is", " are")):
                    lo = max(0, at - _NEG_REACH)
                    cut = max(low.rfind(c, lo, at) for c in ".;:!?\n")
                    scopes.append((max(lo, cut + 1), at))
            if (m := pats.section.match(low, at)) is not None:
                sections.append(m)
        elif word == "no":
            use = pats.use.match(low, at)
            if (m := pats.no_need.match(low, at)) is not None:
                scopes.append(m.span("span"))
        else:  # n't, never: the pattern starts with them
            use = pats.use.match(low, at)
        if use is not None:
            scopes.append((use.end(), _scope_end(low, use.end(), pats)))
    for m in sections:
        line_end = low.find("\n", m.end())
        if line_end < 0:
            line_end = len(low)
        stop = pats.clause_end.search(low, m.end(), line_end)
        if stop is not None and low[stop.start()] not in ":?":
            scopes.append((m.end(), stop.start()))  # inside a sentence: the rest of its clause
            continue
        # a heading: the rest of its line; then the next line when the heading stands alone, and the bullets
        end, pos = line_end, line_end + 1
        taken = bool(low[m.end() : line_end].strip(" :?!-–—"))
        while pos < len(low):
            nxt = low.find("\n", pos)
            nxt = len(low) if nxt < 0 else nxt
            line = low[pos:nxt]
            if line.strip():
                if taken and not _BULLET_LINE.match(line):
                    break
                taken = True
                end = nxt
            pos = nxt + 1
        scopes.append((m.end(), end))
    return scopes


def _sentence_before(low: str, start: int) -> str:
    a = max(0, start - 200)
    cut = max(
        low.rfind(". ", a, start), low.rfind("\n", a, start), low.rfind("! ", a, start), low.rfind("? ", a, start)
    )
    return low[(cut + 1 if cut >= 0 else a) : start]


def _product_mention(low: str, m: list, pats: _RulePatterns = _ON_LOWERED) -> bool:
    """Rule 12 for one platform mention (``low`` is the lowered text, or the text with ``pats=_ON_TEXT``)."""
    before = _sentence_before(low, m[4])
    if pats.build_verb.search(before):
        return False
    if pats.available_on.search(before[-40:]):
        return True
    return pats.platform_app.match(low, m[5]) is not None and pats.product_cue.search(before) is not None


def _lowered(text: str) -> str:
    """``text`` lowered for rules 11 and 12, offsets unchanged: ASCII letters lowered, every other character kept
    (the "İ" of ``str.lower`` lengthens a text; then the Unicode hyphens read as "-" too, as in ``_lower``).

    The rules' patterns read ASCII words, ``\\s``, ``\\w``, ``\\b`` and a few punctuation characters, and no
    character beyond ASCII lowers into one of those but "İ" and the Kelvin sign (tests/test_skills.py checks every
    code point), so they find in this what they found in ``str.lower``'s text, where lowering a text that holds
    a character beyond ASCII costs ~3 us a KB: lowering its UTF-8 bytes costs half."""
    if text.isascii():
        return text.lower()
    if "\u0130" in text or "\u212a" in text:
        low = text.lower()
        return low if len(low) == len(text) else _lower(text)
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def _not_the_job(text: str, accepted: list[list], anchors: list[tuple[int, str]] | None = None) -> list[list]:
    """``accepted`` without the mentions rules 11 (negation and exclusion) and 12 (the company's products) drop.
    ``anchors``: rule 11's anchors as ``_candidates`` found them (found here when None).

    The rules read the lowered text; their ``_cased`` twins read the text as written instead (lowering a text that
    holds a character beyond ASCII costs ~3 us a KB), except when it holds "İ" or the Kelvin sign."""
    if not accepted:
        return accepted
    if "\u0130" in text or "\u212a" in text:
        src, pats = _lowered(text), _ON_LOWERED
        anchors = None
    else:
        src, pats = text, _ON_TEXT
    platforms = load_taxonomy().platforms
    scopes = _negated_scopes(src, anchors, pats) if anchors is None or anchors else []
    out = []
    for m in accepted:
        if scopes and any(a <= m[4] < b for a, b in scopes):
            continue
        if m[2] in platforms and _product_mention(src, m, pats):
            continue
        out.append(m)
    return out


_SPELLING_PUNCT_RE = re.compile(r"[^\w+#]+")


def _spelling_key(spelling: str) -> str:
    """``spelling`` lowercased with punctuation runs read as spaces, but "+" and "#" kept ("C++", "C#")."""
    return " ".join(_SPELLING_PUNCT_RE.sub(" ", spelling.lower()).split())


@cache
def _skills_by_spelling_key() -> dict[str, frozenset[str]]:
    """Each spelling's ``_spelling_key`` -> the skills spelled so, built once: a scan of the taxonomy per company
    cost 5 ms (measured: 363 companies in the corpus took 1.9 s)."""
    out: dict[str, set[str]] = {}
    for skill in load_taxonomy().skills:
        for spelling in (skill.name, *skill.aliases, *skill.ambiguous, *skill.exact):
            if key := _spelling_key(spelling):
                out.setdefault(key, set()).add(skill.name)
    return {key: frozenset(names) for key, names in out.items()}


@lru_cache(maxsize=4096)
def _company_skills(company: str | None) -> frozenset[str]:
    """Skills one of whose spellings is the hiring company's own name (MongoDB on MongoDB's board, rule 9).

    The name loses its legal form as ``pipeline.company`` defines it (``legal_name``, the rule ``company_key`` is
    built on) and is then compared as a spelling, punctuation kept: ``company_key`` drops all punctuation, which
    is right for telling two spellings of one company apart but would make "C", "C#" and "C++" one name and the
    company N-iX the skill Unix ("*nix")."""
    if not company or not company.strip():
        return frozenset()
    key = _spelling_key(legal_name(company))
    if not key:
        return frozenset()
    return _skills_by_spelling_key().get(key, frozenset())


def extract_skills(text: str, tags: Iterable[str] = (), company: str | None = None) -> SkillMatch:
    """Canonical skills the job asks for, named in ``text`` (order of first appearance), with their evidence.

    Structured ``tags`` are no evidence alone (rule 7): a tag accepts an ambiguous mention of its skill that the
    context left undecided ("Go" in a list that names nothing else), but a skill only a tag names is left out --
    feeds tag "go" on postings whose only "go" is "go above and beyond". ``company``, the hiring company's name,
    suppresses a skill whose name or a spelling equals it (case-insensitive, legal suffixes such as "Inc." stripped;
    rule 9), and so does a company the text introduces itself by ("At MongoDB, we ...",
    ``pipeline.company.company_from_text``)."""
    result = SkillMatch()
    if not text:
        return result
    own = _company_skills(company) | _company_skills(company_from_text(text))
    supported = (
        frozenset(i for tag in tags if isinstance(tag, str) and (i := _tag_index(tag)) is not None)
        if tags
        else frozenset()
    )
    tax = load_taxonomy()
    scanned = _candidates(text)
    anchors = scanned[3]
    accepted = _accepted_of(text, scanned, first_only=True, supported=supported)
    kept = _not_the_job(text, accepted, anchors)
    if len(kept) != len(accepted):
        # a first mention was dropped: a later generic one may have been kept unchecked (first_only), so read all
        kept = _not_the_job(text, _accepted(text, supported=supported), anchors)
    evidence = result.evidence
    named = tax.named
    done: set[int] = set()
    for m in kept:
        idx = m[2]
        if idx in done:  # a later mention of a skill: its names are in already
            continue
        done.add(idx)
        for name in named[idx]:
            if name not in evidence and name not in own:
                result.skills.append(name)
                evidence[name] = text[m[4] : m[5]]
    return result


@lru_cache(maxsize=8192)
def _tag_index(tag: str) -> int | None:
    """The taxonomy index of the skill a structured tag names (``Taxonomy.lookup_tag``), cached: sources repeat a
    small vocabulary of tags ("python", "remote")."""
    name = _tag_skill(tag)
    return None if name is None else load_taxonomy().names.index(name)


@lru_cache(maxsize=8192)
def _tag_skill(tag: str) -> str | None:
    """``Taxonomy.lookup_tag`` by name, cached: sources repeat a small vocabulary of tags ("python", "remote")."""
    skill = load_taxonomy().lookup_tag(tag)
    return None if skill is None else skill.name
