"""Skills extraction: canonical skill names found in a posting's text and structured tags.

The taxonomy lives in ``pipeline/data/skills.toml`` (format documented at its top) and is read once.

Matching, in one pass over the text
-----------------------------------
1. **Tokenize once** with one regex: URLs and e-mail addresses become opaque tokens (so ``github.com/x`` or
   ``www.python.org`` never name a skill), words are ``\\w+`` runs (``snake_case_python`` is one word), every other
   non-space character is a one-character token; hyphens are dropped as tokens but kept in the gaps. Spellings in
   the taxonomy are tokenized the same way, so ``C#`` = ``c #``, ``C++`` = ``c + +``, ``.NET`` = ``. net``,
   ``Node.js`` = ``node . js``, ``CI/CD`` = ``ci / cd``.
2. **Longest match through a dict**: at each token, the first token selects the possible spelling lengths, and the
   n-grams (longest first) are looked up in a dict of lowercased spellings. No regex alternation.
3. **Gaps** inside a multi-token spelling: between two words any run of spaces, tabs or hyphens (``Spring Boot`` =
   ``spring-boot``); next to ``/`` or ``&`` spaces are allowed (``CI / CD``); next to any other punctuation the
   tokens must touch (``C #`` is not C#) -- except after a *leading* dot that is not glued to a preceding word
   (``. NET`` in whitespace-tokenised text is .NET; ``culture. Net`` is not).
4. **Edges**: a match glued to a preceding ``word.`` (``config.yaml``, ``file.go``) or followed by a glued
   ``.lowercase`` (``python.org``) is a filename or domain, not a mention. A single-word spelling of 3+ letters may
   carry a glued version (``PHP8``, ``Vue3``, ``HTML5``); separate versions (``Python 3.12``, ``Java 17``) are
   just the next token.
5. **Case**: plain aliases match in any case; ``exact`` spellings (``REST``, ``IAM``, ``SOLID``, ``Angular``) only in
   the taxonomy's casing, so "rest", "iam", "solid" never match.
6. **Ambiguous spellings** (ordinary words or names: ``Go``, ``Rust``, ``Swift``, ``Spring``, ``Express``,
   ``Chef``, ``Ruby``, ``Puppet``, ``Flask``, ``Spark``, ``C``, ``R`` ...) must match the taxonomy's casing exactly
   (so "let go", "rust", "swift delivery", "spark joy" never match) and pass the context rule:

   *rejected* when glued to a hyphenated word (``Go-to-market``; ``-based``/``-native`` style suffixes excepted),
   glued to ``&`` (``R&D``), followed by a year (``Spring 2026``) or by a word that makes it a verb or a plain
   noun phrase (``Go to``, ``Go above``, ``Spring into``, ``Go the extra mile``);

   otherwise *accepted* when at least one piece of technical evidence holds:
     a. **head word**: the next token makes it a tech noun phrase (``Go developer``, ``Rust programming``,
        ``Spring framework``, ``Swift code``) or is a version number (``Go 1.22``, ``Swift 5``);
     b. **list**: another accepted skill mention sits within 3 tokens with only list punctuation or
        conjunctions between (``Python, Go, and Rust``, ``Java/Spring``, ``C/C++``); applied until no change, so
        an accepted ambiguous mention supports its neighbours;
     c. **lead-in**: preceded by a phrase that introduces a technology (``experience with``, ``proficiency in``,
        ``written in``, ``knowledge of``, ``using``);
     d. **cue word**: a programming cue (``language``, ``programming``, ``codebase``, ``stack``, ``framework``...)
        within 6 tokens on the same line.

7. **Tags** (structured source tags) are matched whole against every spelling, case-insensitively, with evidence
   ``tag:<tag>``; skills found in the text come first (order of first appearance), then tag-only skills.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from pathlib import Path

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
_TRAILING_VERSION_RE = re.compile(r"^(.*[a-z])v?\d+$")

_LOOSE_PUNCT = frozenset("/&-")

# Context rule vocabulary (see the module docstring).


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
    hooks templates version versions database databases db dbs sql
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
    }
)
# Single lead-in words are only evidence together with a tech word on the same line (they are too common alone).
_CUE_WORDS = _words(
    """
    language languages programming programmer programmers coding codebase codebases compiled compiler typed
    stack framework frameworks libraries library sdk backend microservices golang runtime technologies
    technology tech tools tooling devops software
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
_HYPHEN_OK_SUFFIX = frozenset({"based", "native", "powered", "first", "centric", "backed", "only", "heavy"})


@dataclass(frozen=True, slots=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

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
    """The tokens of one text: ``low[i]`` (lowercased), ``start(i)``/``end(i)`` offsets, ``gap(i)`` = the whitespace
    between token i and i + 1."""

    __slots__ = ("cum", "low", "parts", "text")

    def __init__(self, text: str) -> None:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few characters lowercase to two (U+0130): keep offsets aligned
            lowered = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
        self.text = text
        self.parts = _SPLIT_RE.split(lowered)
        self.low = self.parts[1::2]
        self.cum = list(accumulate(map(len, self.parts)))

    def start(self, i: int) -> int:
        return self.cum[2 * i]

    def end(self, i: int) -> int:
        return self.cum[2 * i + 1]

    def gap(self, i: int) -> str:
        return self.parts[2 * i + 2]

    def orig(self, i: int) -> str:
        return self.text[self.cum[2 * i] : self.cum[2 * i + 1]]


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """``(token, start, end)`` for every token of ``text`` except hyphens (see the module docstring)."""
    toks = _Tokens(text)
    return [(toks.orig(i), toks.start(i), toks.end(i)) for i, t in enumerate(toks.low) if t != "-"]


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
    """The curated taxonomy, read once (cached)."""
    with open(path or DATA_FILE, "rb") as fh:
        data = tomllib.load(fh)
    skills: list[Skill] = []
    for category, table in data.items():
        if category not in CATEGORIES:
            raise ValueError(f"unknown skill category {category!r} in {path or DATA_FILE}")
        for name, spec in table.items():
            unknown = set(spec) - {"aliases", "ambiguous", "exact", "tags"}
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
                )
            )
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
    first: dict[str, set[int]] = {}
    for key in index:
        first.setdefault(key[0], set()).add(len(key))
    return Taxonomy(
        skills=skills,
        by_name={s.name: s for s in skills},
        index=index,
        first={k: tuple(sorted(v, reverse=True)) for k, v in first.items()},
        versionable=versionable,
        tag_index=tag_index,
    )


def skill_categories() -> dict[str, str]:
    """Canonical name -> category, for the storage layer's ``skills`` table."""
    return load_taxonomy().categories()


def _gaps_ok(toks: _Tokens, i: int, n: int) -> bool:
    """Whether tokens ``i .. i+n-1`` are spaced as one spelling (rule 3 of the module docstring)."""
    low = toks.low
    for j in range(i, i + n - 1):
        gap = toks.gap(j)
        if not gap:
            continue
        a, b = low[j], low[j + 1]
        if "\n" in gap:
            return False
        if a[-1].isalnum() and b[0].isalnum():
            continue  # "spring boot", "amazon web services"
        if a in _LOOSE_PUNCT or b in _LOOSE_PUNCT:
            continue  # "CI / CD", "Spring - Boot"
        if j == i and a == ".":
            # Leading dot (". NET"): only when the dot does not end a preceding word.
            if toks.gap(j - 1) if j > 0 else True:
                continue
            return False
        return False
    return True


def _edges_ok(text: str, start: int, end: int) -> bool:
    """Reject filenames and domains: ``config.yaml``, ``file.go``, ``python.org``."""
    if start >= 2 and text[start - 1] == "." and (text[start - 2].isalnum() or text[start - 2] == "_"):
        return False
    return not (end + 1 < len(text) and text[end] == "." and text[end + 1].islower())


def _scan(tax: Taxonomy, toks: _Tokens) -> list[list]:
    """Candidate mentions: [token start, token end, skill index, ambiguous?, char start, char end, accepted]."""
    text = toks.text
    low = toks.low
    first = tax.first
    index = tax.index
    found: list[list] = []
    n_toks = len(low)
    next_free = 0
    for i in [k for k, t in enumerate(low) if t in first or (t[-1].isdigit() and t[0].isalpha())]:
        if i < next_free:
            continue
        tok = low[i]
        lens = first.get(tok)
        if lens is None:
            m = _TRAILING_VERSION_RE.match(tok)
            if m and (idx := tax.versionable.get(m.group(1))) is not None:
                s, e = toks.start(i), toks.end(i)
                if _edges_ok(text, s, e):
                    found.append([i, i + 1, idx, False, s, e, True])
            continue
        for n in lens:
            if i + n > n_toks:
                continue
            entries = index.get(tuple(low[i : i + n]) if n > 1 else (tok,))
            if entries is None or (n > 1 and not _gaps_ok(toks, i, n)):
                continue
            start, end = toks.start(i), toks.end(i + n - 1)
            if not _edges_ok(text, start, end):
                continue
            hit = None
            for idx, mode, surface in entries:
                if mode == _ALIAS:
                    hit = [i, i + n, idx, False, start, end, True]
                elif tuple(toks.orig(k) for k in range(i, i + n)) == surface:
                    hit = [i, i + n, idx, mode == _AMBIGUOUS, start, end, mode != _AMBIGUOUS]
                if hit:
                    break
            if hit:
                found.append(hit)
                next_free = i + n
                break
    return found


def _resolve_ambiguous(toks: _Tokens, found: list[list]) -> None:
    """Apply the context rule (module docstring, rule 6) to ambiguous candidates, in place."""
    pending = [m for m in found if m[3]]
    if not pending:
        return
    text = toks.text
    low = toks.low
    n_toks = len(low)
    candidates: list[list] = []
    for m in pending:
        ti, tj, start, end = m[0], m[1], m[4], m[5]
        nxt = low[tj] if tj < n_toks else ""
        # Hyphen-glued ("Go-to-market", "let-Go"; "Go-based" is fine) or ampersand-glued ("R&D", "AT&T").
        if nxt == "-" and not toks.gap(tj - 1) and tj + 1 < n_toks and not toks.gap(tj):
            if low[tj + 1] not in _HYPHEN_OK_SUFFIX:
                continue
            nxt = low[tj + 1]
        if ti >= 2 and low[ti - 1] == "-" and not toks.gap(ti - 1) and not toks.gap(ti - 2):
            continue
        if (nxt == "&" and not toks.gap(tj - 1)) or (ti >= 1 and low[ti - 1] == "&" and not toks.gap(ti - 1)):
            continue
        if nxt in _STOP_NEXT or _YEAR_RE.fullmatch(nxt):
            continue
        same_line = tj < n_toks and "\n" not in toks.gap(tj - 1)
        # a. head word or version number
        if same_line and (nxt in _HEAD_WORDS or _VERSION_RE.fullmatch(nxt)):
            m[6] = True
            continue
        # c. lead-in phrase
        if ti >= 2 and (low[ti - 2], low[ti - 1]) in _LEAD_IN_TWO:
            m[6] = True
            continue
        # d. cue word on the same line
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        if line_end < 0:
            line_end = len(text)
        if any(
            low[k] in _CUE_WORDS and line_start <= toks.start(k) < line_end
            for k in (*range(max(0, ti - _CUE_WINDOW), ti), *range(tj, min(n_toks, tj + _CUE_WINDOW)))
        ):
            m[6] = True
            continue
        candidates.append(m)
    # b. list adjacency to an accepted mention, until no change.
    if candidates:
        by_start = {m[0]: m for m in found}
        by_end = {m[1]: m for m in found}
        changed = True
        while changed and candidates:
            changed = False
            for m in list(candidates):
                if _list_neighbour(low, m, by_start, by_end):
                    m[6] = True
                    candidates.remove(m)
                    changed = True


def _is_separator(tok: str) -> bool:
    return tok in _LIST_WORDS or (len(tok) == 1 and not tok.isalnum() and tok not in _SENTENCE_END)


def _list_neighbour(low: list[str], m: list, by_start: dict, by_end: dict) -> bool:
    """Whether an accepted mention sits next to ``m`` with only list separators between."""
    n_toks = len(low)
    k = m[1]
    for _ in range(_LIST_DISTANCE + 1):
        other = by_start.get(k)
        if other is not None:
            if other[6]:
                return True
            break
        if k >= n_toks or not _is_separator(low[k]):
            break
        k += 1
    k = m[0]
    for _ in range(_LIST_DISTANCE + 1):
        other = by_end.get(k)
        if other is not None:
            return bool(other[6])
        if k <= 0 or not _is_separator(low[k - 1]):
            break
        k -= 1
    return False


def candidate_spans(text: str) -> list[tuple[str, int, int]]:
    """(skill, start, end) of every longest match, before the context rule (for evaluation)."""
    if not text:
        return []
    tax = load_taxonomy()
    return [(tax.skills[m[2]].name, m[4], m[5]) for m in _scan(tax, _Tokens(text))]


def find_mentions(text: str) -> list[Mention]:
    """Every accepted mention in ``text``, in order (a skill may appear several times)."""
    if not text:
        return []
    tax = load_taxonomy()
    toks = _Tokens(text)
    found = _scan(tax, toks)
    _resolve_ambiguous(toks, found)
    skills = tax.skills
    return [Mention(skills[m[2]].name, m[4], m[5], text[m[4] : m[5]]) for m in found if m[6]]


def extract_skills(text: str, tags: Iterable[str] = ()) -> SkillMatch:
    """Canonical skills named in ``text`` (order of first appearance) and in structured ``tags``."""
    result = SkillMatch()
    for mention in find_mentions(text or ""):
        if mention.skill not in result.evidence:
            result.skills.append(mention.skill)
            result.evidence[mention.skill] = mention.text
    if tags:
        tax = load_taxonomy()
        for tag in tags:
            if not isinstance(tag, str):
                continue
            skill = tax.lookup_tag(tag)
            if skill is not None and skill.name not in result.evidence:
                result.skills.append(skill.name)
                result.evidence[skill.name] = f"tag:{tag}"
    return result
