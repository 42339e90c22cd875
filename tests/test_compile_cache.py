"""pipeline.compile_cache: built keyword sets and skill tables kept on disk give what a fresh build gives; a file
that is stale, truncated, corrupt or unloadable costs a rebuild (with a logged warning), never a wrong result or a
crash; the key follows everything an artefact is built from."""

from __future__ import annotations

import hashlib
import logging
import pickle
import sys
import types

import pytest

from pipeline import compile_cache, education, literals, skills, workplace
from pipeline.literals import Literals
from tests.corpus import require_corpus

KEYS = [("ruby", 1), ("rust", 2), ("go", 3), ("golang", 4), ("über", 5)]

TEXTS = [
    "we write rust and some golang, no ruby",
    "gogo go-go golang",
    "über-fast rust",
    "",
    "nothing to find here",
]


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """The compile cache pointed at an empty temporary directory for this test only."""
    directory = tmp_path / "compile-cache"
    monkeypatch.setattr(compile_cache, "_directory", directory)
    return directory


def _files(directory, kind="literals"):
    return sorted(directory.glob(f"{kind}-*.bin")) if directory.exists() else []


def _results(keyset: Literals) -> list:
    return [keyset.iter(text) for text in TEXTS]


def test_no_directory_means_no_files(tmp_path, monkeypatch):
    monkeypatch.setattr(compile_cache, "_directory", None)
    Literals(KEYS)
    assert compile_cache.fetch("literals", "0" * 64) is None
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (["rust", "go"], ["rust", "golang"]),  # a pattern changed
        (["rust", "go"], ["go", "rust"]),  # the same patterns numbered otherwise
        (["ab", "c"], ["a", "bc"]),  # the same bytes split otherwise
        (["rust"], ["rust", "go"]),  # a pattern added
    ],
)
def test_the_key_follows_the_patterns(one, other):
    def key(parts):
        return literals.database_key([p.encode() for p in parts])

    assert key(one) == key(list(one))
    assert key(one) != key(other)


def test_the_key_follows_the_kind_and_the_library_version(monkeypatch):
    parts = [b"rust", b"go"]
    assert compile_cache.key("literals", parts) != compile_cache.key("skills", parts)
    before = literals.database_key(parts)
    monkeypatch.setattr(literals.hyperscan, "__version__", "0.0.0-other")
    assert literals.database_key(parts) != before


def test_a_stored_keyword_set_is_loaded_and_finds_the_same(cache_dir, monkeypatch):
    fresh = _results(Literals(KEYS))
    files = _files(cache_dir)
    assert len(files) == 1
    monkeypatch.setattr(literals.hyperscan, "Database", lambda *a, **k: pytest.fail("compiled again"))
    assert _results(Literals(KEYS)) == fresh
    assert fresh[0] != []  # the texts do hold keys


def _rewrite(path, transform) -> None:
    path.write_bytes(transform(path.read_bytes()))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-40] + bytes(b ^ 0xFF for b in data[-40:]), id="corrupt payload"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(
            lambda data: data.replace(b"jobscout-compile-cache 1", b"jobscout-compile-cache 0"), id="old format"
        ),
    ],
)
def test_a_damaged_keyword_set_file_is_rebuilt(cache_dir, caplog, damage):
    fresh = _results(Literals(KEYS))
    (path,) = _files(cache_dir)
    _rewrite(path, damage)
    with caplog.at_level(logging.WARNING, logger="pipeline.compile_cache"):
        again = Literals(KEYS)
    assert _results(again) == fresh
    assert "building it again" in caplog.text
    assert compile_cache.fetch("literals", path.name[len("literals-") : -len(".bin")]) is not None  # rewritten


def test_a_file_under_another_key_is_stale(cache_dir, caplog):
    """A file whose header names another key (renamed, or written by other code) is not used."""
    fresh = _results(Literals(KEYS))
    other = Literals([("perl", 9)])
    (mine,) = [
        p
        for p in _files(cache_dir)
        if p.name.endswith(literals.database_key([k.encode("latin-1") for k, _ in KEYS]) + ".bin")
    ]
    (theirs,) = [p for p in _files(cache_dir) if p != mine]
    mine.write_bytes(theirs.read_bytes())
    with caplog.at_level(logging.WARNING, logger="pipeline.compile_cache"):
        assert _results(Literals(KEYS)) == fresh
    assert "stale" in caplog.text
    assert other.iter("perl") == [(3, 9)]


def test_a_stored_database_that_does_not_load_is_rebuilt(cache_dir, caplog):
    """A file whose checksum holds but whose payload is not a database (another platform's build, say)."""
    fresh = _results(Literals(KEYS))
    (path,) = _files(cache_dir)
    artefact_key = path.name[len("literals-") : -len(".bin")]
    compile_cache.keep("literals", artefact_key, b"not a hyperscan database")
    with caplog.at_level(logging.WARNING):
        assert _results(Literals(KEYS)) == fresh
    assert "does not load" in caplog.text


def test_an_unusable_directory_costs_nothing_but_the_cache(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setattr(compile_cache, "_directory", blocker / "cache")
    with caplog.at_level(logging.WARNING, logger="pipeline.compile_cache"):
        keyset = Literals(KEYS)
    assert keyset.iter("rust") == [(3, 2)]
    assert "cannot write" in caplog.text


def test_files_are_written_whole(cache_dir):
    """Written under a temporary name and renamed: no temporary file is left, and the header's checksum holds."""
    Literals(KEYS)
    assert [p.name for p in cache_dir.iterdir() if p.name.startswith(".")] == []
    (path,) = _files(cache_dir)
    data = path.read_bytes()
    head, key, digest, payload = data.split(b"\n", 3)
    assert head == b"jobscout-compile-cache 1" and key == path.stem.split("-", 1)[1].encode()
    assert digest == hashlib.sha256(payload).hexdigest().encode()


# --- the skill tables: taxonomy and keyword pairs, pickled ---------------------------------------------------------
SKILL_TEXTS = [
    "We run Python services on Kubernetes (k8s) with PostgreSQL.",
    "Experience with Go or Rust; .NET is a plus. CI/CD with GitHub Actions.",
    "Nothing technical in this one.",
]


def _fresh_skill_tables() -> None:
    for fn in (skills._tables, skills.load_taxonomy, skills._automaton, skills._companion_index):
        fn.cache_clear()


@pytest.fixture
def skill_tables():
    _fresh_skill_tables()
    yield
    _fresh_skill_tables()  # the next test builds its own, from no cache


def _skill_results() -> list:
    return [skills.extract_skills(text) for text in SKILL_TEXTS]


def test_stored_skill_tables_give_the_same_skills(cache_dir, skill_tables, monkeypatch):
    fresh = _skill_results()
    assert len(_files(cache_dir, "skills")) == 1
    _fresh_skill_tables()
    monkeypatch.setattr(skills, "_read_taxonomy", lambda *a: pytest.fail("the taxonomy was read again"))
    assert _skill_results() == fresh
    assert any(result.skills for result in fresh)


def test_the_skill_tables_key_follows_the_taxonomy_file(cache_dir, skill_tables, monkeypatch, tmp_path):
    skills.load_taxonomy()
    data = tmp_path / "skills.toml"
    data.write_bytes(skills.DATA_FILE.read_bytes() + b"\n# a comment changes the bytes\n")
    monkeypatch.setattr(skills, "DATA_FILE", data)
    _fresh_skill_tables()
    skills.load_taxonomy()
    assert len(_files(cache_dir, "skills")) == 2


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"not a pickle", id="garbage"),
        pytest.param(pickle.dumps(["a list", "of the wrong things"]), id="wrong shape"),
        pytest.param(pickle.dumps(types.SimpleNamespace()), id="wrong type"),
    ],
)
def test_damaged_skill_tables_are_rebuilt(cache_dir, skill_tables, caplog, payload):
    fresh = _skill_results()
    (path,) = _files(cache_dir, "skills")
    artefact_key = path.name[len("skills-") : -len(".bin")]
    compile_cache.keep("skills", artefact_key, payload)
    _fresh_skill_tables()
    with caplog.at_level(logging.WARNING):
        assert _skill_results() == fresh
    assert "does not load" in caplog.text and "building it again" in caplog.text  # one message for every kind
    assert pickle.loads(compile_cache.fetch("skills", artefact_key))[0].names == skills.load_taxonomy().names


# --- the whole pipeline over the corpus: cached and fresh tables give byte-identical output ------------------------
def _clear_pipeline_caches() -> None:
    """Every functools cache of pipeline's modules: tables and per-input results, so the next posting rebuilds
    (or loads) every table."""
    for name, module in list(sys.modules.items()):
        if name == "pipeline" or name.startswith("pipeline."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


@pytest.mark.corpus
def test_cached_and_fresh_tables_give_identical_output_on_the_corpus(cache_dir, monkeypatch):
    from bench.corpus import load_corpus
    from pipeline.normalize import normalize_many

    raws = load_corpus(require_corpus()).postings
    assert len(raws) > 500
    _clear_pipeline_caches()
    monkeypatch.setattr(compile_cache, "_directory", None)
    fresh = [p.to_json() for p in normalize_many(raws)]
    _clear_pipeline_caches()
    monkeypatch.setattr(compile_cache, "_directory", cache_dir)
    normalize_many(raws[:5])  # builds and stores the tables
    stored = {p.name for p in cache_dir.iterdir()}
    assert {name.split("-", 1)[0] for name in stored} == {"literals", "skills"}
    _clear_pipeline_caches()
    monkeypatch.setattr(literals.hyperscan, "Database", lambda *a, **k: pytest.fail("a keyword set was compiled"))
    monkeypatch.setattr(skills, "_read_taxonomy", lambda *a: pytest.fail("the taxonomy was read again"))
    cached = [p.to_json() for p in normalize_many(raws)]  # every table loaded from the files
    assert {p.name for p in cache_dir.iterdir()} == stored
    assert cached == fresh
    assert education._automaton.cache_info().currsize == 1 and workplace._trigger_automaton.cache_info().currsize == 1
    _clear_pipeline_caches()
