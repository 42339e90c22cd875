"""pipeline.version: the normalizer's digest follows its code and data, and nothing else in the tree."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline.version as version


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    root = tmp_path / "pipeline"
    shutil.copytree(Path(version.__file__).parent, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(version, "_ROOT", root)
    version.normalizer_version.cache_clear()
    yield root
    version.normalizer_version.cache_clear()


def fresh() -> str:
    version.normalizer_version.cache_clear()
    return version.normalizer_version()


def test_the_digest_is_stable_and_short(package_copy):
    first = fresh()
    assert first == fresh()
    assert len(first) == 16 and int(first, 16) >= 0


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("pay.py", lambda text: text + "\n# a parser changed\n"),
        ("data/skills.toml", lambda text: text.replace('"Python"', '"Python "', 1)),
        ("sources/greenhouse.py", lambda text: text + "\n"),
    ],
)
def test_a_changed_parser_or_data_file_changes_the_digest(package_copy, path, change):
    before = fresh()
    target = package_copy / path
    target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    assert fresh() != before


def test_caches_and_unrelated_files_do_not_change_it(package_copy):
    before = fresh()
    (package_copy / "__pycache__").mkdir()
    (package_copy / "__pycache__" / "pay.cpython-311.pyc").write_bytes(b"\0compiled")
    (package_copy / "notes.md").write_text("scratch", encoding="utf-8")
    assert fresh() == before


def test_library_versions_are_part_of_it(package_copy, monkeypatch):
    before = fresh()
    monkeypatch.setattr(version, "_runtime", lambda: "python 3.11; lxml 0.0")
    assert fresh() != before
