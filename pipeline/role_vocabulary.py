"""The description vocabulary of the backend-role filter (policy: docs/role-policy.md, "Generic titles").

``description_signals(text)`` -> ``(backend_terms, other_terms)``: the distinct vocabulary terms in the first
``DESCRIPTION_SCAN_CHARS`` characters of a description, in order of first appearance. ``pipeline.role`` reads them
for a generic engineering title (and a frontend-framework or site-builder title) and weighs them with
``backend_weight`` and ``frameworks_once``. Tokens are as ``_tokens`` defines them; all terms are found by one
Aho-Corasick pass (no big regex alternation over the text, no Python step per token, see DESIGN.md).
"""

from __future__ import annotations

import re

import ahocorasick

DESCRIPTION_SCAN_CHARS = 8000


def _words(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


_BACKEND_TERMS = _words(
    """backend back-end api apis rest restful graphql grpc microservice microservices distributed database
    databases postgres postgresql mysql sql redis kafka rabbitmq kubernetes k8s docker aws gcp azure terraform
    server-side servers infrastructure scalability python django flask fastapi java spring golang go rust ruby
    rails php laravel symfony node.js nodejs c# .net asp.net scala elixir erlang kotlin mongodb dynamodb
    cassandra elasticsearch queues sre devops observability linux services c++ jvm nginx dotnet full-stack
    fullstack node ror nestjs nest.js expressjs express.js fastify ktor"""
)
_BACKEND_BIGRAMS = frozenset(
    {
        "back end",
        "server side",
        "distributed systems",
        "backend services",
        "data pipelines",
        "message queues",
        "event driven",
        "cloud functions",
        "low latency",
        "high availability",
        "data model",
        "ruby on",
        "net core",
        "net framework",
        "web api",
        "full stack",
    }
)
_FRONTEND_TERMS = _words(
    "frontend front-end react reactjs react.js vue vue.js vuejs angular svelte css html tailwind ui ux pixels "
    "figma webflow wordpress shopify drupal wix squarespace webgl webgpu shaders"
)
_FRONTEND_FRAMEWORKS = _words("react reactjs react.js vue vue.js vuejs angular svelte")
_FRONTEND_BIGRAMS = frozenset({"front end", "user interfaces", "user interface", "design systems", "design system"})
_MOBILE_TERMS = _words("ios android swift swiftui objective-c flutter mobile xamarin")
_MOBILE_BIGRAMS = frozenset({"react native"})
_ML_TERMS = _words("ml llm llms pytorch tensorflow nlp genai fine-tune fine-tuning embeddings")
_ML_BIGRAMS = frozenset(
    {"machine learning", "deep learning", "computer vision", "data science", "model training", "language models"}
)
# Other trades that borrow software words (a medical coder's "database", a mechanical applications engineer's
# "services"), and on-chain work: evidence that a generic title is not a backend role.
_TRADE_TERMS = _words("solidworks autocad catia creo ansys plc plcs cnc machining hvac icd-10 cpt hcpcs")
_TRADE_BIGRAMS = frozenset({"medical coding", "medical records", "mechanical design"})
_CHAIN_TERMS = _words("solidity evm defi web3 dapps blockchain blockchains solana ethereum on-chain")
_CHAIN_BIGRAMS = frozenset({"smart contract", "smart contracts", "decentralized finance"})
# Specialties a generic title can hide: game engines, embedded and low-level work (devices, drones, kernels), 3D
# graphics, one vendor's platform, and offensive security (which also decides a security team's generic title, see
# _OFFENSIVE_TERMS).
_GAME_TERMS = _words("gameplay unity unreal godot bevy phaser pixi.js three.js")
_GAME_BIGRAMS = frozenset({"game engine", "game engines", "game development", "web games"})
_LOW_LEVEL_TERMS = _words(
    "embedded firmware rtos fpga microcontroller microcontrollers mcu npu dsp drone drones uav uavs avionics verilog "
    "vhdl pcb ebpf kernel opencv optics photonics simulator simulators gnc"
)
_LOW_LEVEL_BIGRAMS = frozenset(
    {
        "flight control",
        "device drivers",
        "computer graphics",
        "computational geometry",
        "image processing",
        "signal processing",
        "scientific computing",
        "scientific software",
        "research software",
        "numerical methods",
        "numerical simulation",
        "hardware control",
        "vehicle dynamics",
        "monte carlo",
    }
)
# Desktop applications and developer tools that run on the user's machine (code editors, IDEs): client-side work,
# like the desktop titles the title classes exclude.
_DESKTOP_TERMS = _words("desktop electron qt gtk winforms wpf macos ide ides")
_DESKTOP_BIGRAMS = frozenset(
    {"code editor", "code editors", "text editor", "native apps", "desktop app", "desktop apps"}
)
# 3D graphics and CAD: rendering engines, geometry kernels and the graphics APIs (browser or native).
_GRAPHICS_TERMS = _words("geometry rendering renderer webgl2 opengl vulkan directx glsl hlsl mesh meshes")
_GRAPHICS_BIGRAMS = frozenset({"ray tracing", "point clouds", "point cloud", "graphics programming"})
_VENDOR_TERMS = _words("netsuite mulesoft tibco")  # not Salesforce or ServiceNow: they are named as customers
_VENDOR_BIGRAMS = frozenset({"e-business suite"})
_OFFENSIVE_TERMS = _words("penetration pentest pentesting exploit exploits exploitation offensive malware")
_OFFENSIVE_BIGRAMS = frozenset({"red team", "vulnerability research", "reverse engineering", "threat intelligence"})
OFFENSIVE_TERMS = _OFFENSIVE_TERMS | _OFFENSIVE_BIGRAMS
_OTHER_TERMS = (
    _FRONTEND_TERMS | _MOBILE_TERMS | _ML_TERMS | _TRADE_TERMS | _CHAIN_TERMS | _GAME_TERMS | _LOW_LEVEL_TERMS
    | _VENDOR_TERMS | _OFFENSIVE_TERMS | _DESKTOP_TERMS | _GRAPHICS_TERMS
)  # fmt: skip
_OTHER_BIGRAMS = (
    _FRONTEND_BIGRAMS | _MOBILE_BIGRAMS | _ML_BIGRAMS | _TRADE_BIGRAMS | _CHAIN_BIGRAMS | _GAME_BIGRAMS
    | _LOW_LEVEL_BIGRAMS | _VENDOR_BIGRAMS | _OFFENSIVE_BIGRAMS | _DESKTOP_BIGRAMS
    | _GRAPHICS_BIGRAMS
)  # fmt: skip
# Backend terms that other trades use as much ("our services", "the rest of the team", "a customer database"): on
# their own (no term only software uses beside them) each counts half, so that they do not outweigh a
# description's words of another trade or specialty.
_WEAK_BACKEND_TERMS = _words("services rest database databases servers infrastructure scalability queues linux sql")
# Server-side languages and frameworks: what a description must name before a frontend-framework title reads as
# full-stack.
SERVER_LANGUAGES = _words(
    """python django flask fastapi java spring golang go rust ruby rails php laravel symfony node.js nodejs c# .net
    asp.net dotnet scala elixir erlang kotlin jvm ror nestjs nest.js expressjs express.js fastify ktor"""
) | {"net core", "net framework"}  # ".NET Core": a token loses its leading "."
_TOKEN = re.compile(r"[a-z0-9.#+][a-z0-9.#+\-]*")


def _tokens(text: str) -> list[str]:
    return [t.strip(".-") or t for t in _TOKEN.findall(text[:DESCRIPTION_SCAN_CHARS].lower())]


def description_signals(text: str) -> tuple[list[str], list[str]]:
    """Distinct backend terms and distinct non-backend (frontend/mobile/ML) terms in the description's head."""
    head = text[:DESCRIPTION_SCAN_CHARS]
    if not head.isascii() and ("\u0130" in head or "\u212a" in head):
        return _signals_from_tokens(head)  # İ and K lower to ASCII letters: the scan below would not see them
    return _signals_from_scan(head)


def _signals_from_tokens(head: str) -> tuple[list[str], list[str]]:
    """The definition: every token in order, a term check then a bigram check with the previous token."""
    backend: dict[str, None] = {}
    other: dict[str, None] = {}
    prev = ""
    for tok in _tokens(head):
        bigram = f"{prev} {tok}"
        if tok in _BACKEND_TERMS:
            backend.setdefault(tok)
        elif tok in _OTHER_TERMS:
            other.setdefault(tok)
        if bigram in _BACKEND_BIGRAMS:
            backend.setdefault(bigram)
        elif bigram in _OTHER_BIGRAMS:
            other.setdefault(bigram)
        prev = tok
    return list(backend), list(other)


# --- the same signals from one Aho-Corasick pass -----------------------------------------------------------------
# Tokenizing the head and looking every token up cost ~150 us per generic-title posting (a Python step per token).
# Instead the head is mapped in C to lower-case token characters with every other character a space (a token is
# then a run between spaces), and one automaton finds the vocabulary words as whole runs: a key is a word with the
# character before it (space, or a "-"/"." the token strips) and the one after it. Only the keys led or ended by
# "-"/"." need a look at the rest of the run. Bigrams are keys too ("back end"); a bigram's first word followed by
# anything but one space and the second word (a "-"/"." edge, a longer gap, a "-" run between) is checked by reading
# the next token.
_BACKEND, _OTHER = 0, 1
_TERM, _BIGRAM, _FIRST = 0, 1, 2
_EDGES = " -."
_TOKEN_CHARS = b"abcdefghijklmnopqrstuvwxyz0123456789.#+-"
_SCAN_TABLE = bytes(
    c if c in _TOKEN_CHARS else c + 32 if 65 <= c <= 90 else 32 for c in range(256)
)  # fmt: skip
_NEXT_RUN = re.compile(r" +(?:-+ +)*([^ ]+)")


def _term_category(word: str) -> int | None:
    if word in _BACKEND_TERMS or word in _BACKEND_BIGRAMS:
        return _BACKEND
    if word in _OTHER_TERMS or word in _OTHER_BIGRAMS:
        return _OTHER
    return None


def _signal_automaton() -> ahocorasick.Automaton:
    actions: dict[str, list[tuple[int, str, int]]] = {}
    terms = _BACKEND_TERMS | _OTHER_TERMS
    bigrams = _BACKEND_BIGRAMS | _OTHER_BIGRAMS
    for term in terms:
        if term.strip(".-") != term:
            continue  # ".net": a token never keeps a leading "." (it is stripped), so it never matches
        for before in _EDGES:
            for after in _EDGES:
                actions.setdefault(before + term + after, []).append((_TERM, term, _term_category(term)))
    for bigram in bigrams:
        first = bigram.split()[0]
        for before in _EDGES:
            for after in _EDGES:
                actions.setdefault(before + bigram + after, []).append((_BIGRAM, bigram, _term_category(bigram)))
            for gap in (".", "-", "  ", " -", " ."):
                key = before + first + gap
                if (_FIRST, first, 0) not in actions.get(key, ()):
                    actions.setdefault(key, []).append((_FIRST, first, 0))
    automaton = ahocorasick.Automaton()
    for key, acts in actions.items():
        automaton.add_word(key, (len(key), tuple(acts)))
    automaton.make_automaton()
    return automaton


_SIGNALS = _signal_automaton()
_ALL_BIGRAMS = {b: _term_category(b) for b in _BACKEND_BIGRAMS | _OTHER_BIGRAMS}


def _run_edge(s: str, i: int, step: int) -> int:
    """The index of the space that ends the run from ``s[i]`` on (stepping by ``step``) when the run holds only
    "-"/"." up to there, else -1."""
    while s[i] == "-" or s[i] == ".":
        i += step
    return i if s[i] == " " else -1


def _signals_from_scan(head: str) -> tuple[list[str], list[str]]:
    """What ``_signals_from_tokens`` returns, for a head without İ or K (then ``lower()`` maps nothing else to
    ASCII, so the tokens are the runs of the mapped bytes)."""
    s = " " + head.encode("ascii", "replace").translate(_SCAN_TABLE).decode("ascii") + " "
    events: list[tuple[int, int, int, str]] = []  # (token start, term before bigram, category, word)
    for end, (size, acts) in _SIGNALS.iter(s):
        start = end - size + 1  # the key's first character: the edge before the word
        if s[start] != " " and _run_edge(s, start, -1) < 0:
            continue
        for kind, word, category in acts:
            if kind == _FIRST:
                stop = _run_edge(s, start + 1 + len(word), 1)
                if stop < 0:
                    continue  # "data-driven": the run goes on
                m = _NEXT_RUN.match(s, stop)
                if m is None:
                    continue
                run = m.group(1)
                token = run.strip(".-") or run
                category = _ALL_BIGRAMS.get(f"{word} {token}")
                if category is not None:
                    events.append((m.start(1) + len(run) - len(run.lstrip(".-")), 1, category, f"{word} {token}"))
            elif s[end] == " " or _run_edge(s, end, 1) >= 0:
                last = word.rsplit(" ", 1)[-1]
                events.append((end - len(last), kind, category, word))
    backend: dict[str, None] = {}
    other: dict[str, None] = {}
    for _, _, category, word in sorted(events):
        (backend if category == _BACKEND else other).setdefault(word)
    return list(backend), list(other)


def frameworks_once(other: list[str]) -> list[str]:
    """Interchangeable frontend frameworks count as one term: descriptions list them as alternatives ("React,
    Angular or Vue") or as "a modern framework", where the server side is named by its actual stack."""
    first = next((t for t in other if t in _FRONTEND_FRAMEWORKS), None)
    return [t for t in other if t == first or t not in _FRONTEND_FRAMEWORKS]


def backend_weight(backend: list[str]) -> float:
    """Distinct backend terms; when none of them is a term only software uses, each counts half."""
    if any(term not in _WEAK_BACKEND_TERMS for term in backend):
        return float(len(backend))
    return len(backend) / 2
