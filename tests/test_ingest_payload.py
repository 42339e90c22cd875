"""storage/ingest.py's payload bytes: orjson's fast path writes exactly the bytes of the json module's canonical
form (every stored ``payload_hash`` and ``payload_gz`` was made from those), on a table of values where the two
libraries differ or might, and on every payload of the corpus."""

from __future__ import annotations

import json
import math
import random

import pytest

from storage import ingest
from tests.corpus import require_corpus


def reference_payload_bytes(payload) -> bytes:
    """The canonical bytes as storage.ingest wrote them before the orjson path (the reference)."""
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


class Tagged(str):
    pass


CASES = [
    ({"id": 7, "title": "Platform engineer"}, "plain"),
    (
        {"zeta": 1, "Alpha": 2, "alpha": 3, "éclair": 4, "日本": 5, "\U0001f680": 6, "\uffff": 7},
        "key order by code point",
    ),
    ({"a": {"c": [3, {"y": 1, "x": 2}], "b": None}}, "nested dicts sorted at every level"),
    ({"pay": 0.0, "neg": -0.0, "ratio": 0.5, "big": 150000.0}, "ordinary floats"),
    ({"tiny": 0.00003}, "a float below 1e-4 that orjson writes without an exponent"),
    ({"tinier": 2.5e-9}, "a float orjson writes with a short exponent"),
    ({"list": [1, 0.000012, "x"]}, "a small float inside a list"),
    ({"neg_tiny": -0.00007}, "a negative small float"),
    ({"edge": 0.0001}, "the smallest float both write as a decimal"),
    ({"huge": 1e16, "huger": 3.5e250}, "large floats in exponent form"),
    ({"below": 9999999999999998.0}, "the largest floats json writes without an exponent"),
    ({"nan": math.nan}, "NaN (json writes NaN, orjson null)"),
    ({"inf": math.inf, "ninf": -math.inf}, "infinities"),
    ({"u64": 2**64 - 1, "i64": -(2**63)}, "the widest ints orjson writes"),
    ({"wide": 2**70, "negwide": -(2**65)}, "ints beyond 64 bits (orjson refuses them)"),
    ({"ctrl": 'tab\there, nul\x00, unit sep\x1f, del\x7f, quote" backslash\\'}, "escaped and unescaped characters"),
    ({"seps": "line\u2028para\u2029, bom\ufeff"}, "separators json leaves raw"),
    ({"text": "a string that mentions 1e-5 and 0.00001 in prose"}, "float-like prose in a string"),
    ({"pair": (1, 2)}, "a tuple (json writes an array)"),
    ({"sub": Tagged("derived")}, "a str subclass"),
    ({"flag": True, "off": False, "none": None, "one": 1}, "booleans next to ints"),
    ({"empty": {}, "nothing": [], "blank": ""}, "empty containers"),
    ({3: "three", 1: "one"}, "int keys (json sorts them, then writes them as strings)"),
]


@pytest.mark.parametrize("payload", [case for case, _ in CASES], ids=[why for _, why in CASES])
def test_payload_bytes_are_the_json_modules_canonical_bytes(payload):
    assert ingest.payload_bytes(payload) == reference_payload_bytes(payload)


def test_a_lone_surrogate_fails_as_it_did():
    payload = {"broken": "half a pair \ud800"}
    with pytest.raises(UnicodeEncodeError):
        reference_payload_bytes(payload)
    with pytest.raises(UnicodeEncodeError):
        ingest.payload_bytes(payload)


def test_random_floats_across_the_range_give_the_same_bytes():
    rng = random.Random(20)
    values = [rng.random() * 10.0 ** rng.randint(-320, 300) * rng.choice((1, -1)) for _ in range(3000)]
    values += [float(rng.randint(0, 10 ** rng.randint(0, 22))) for _ in range(1000)]
    for value in values:
        payload = {"value": value, "in_list": [value]}
        assert ingest.payload_bytes(payload) == reference_payload_bytes(payload), value


def test_the_digest_is_the_sha256_of_the_canonical_bytes():
    import hashlib

    payload = {"id": "9", "title": "Data engineer", "pay": 1.5e-6}
    assert ingest.payload_digest(payload) == hashlib.sha256(reference_payload_bytes(payload)).hexdigest()


def corpus_payloads() -> list[dict]:
    sources = require_corpus("sources")
    payloads = []
    for path in sorted(sources.glob("*/*.json")):
        try:
            data = json.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
        except ValueError:
            continue
        lists = [data] if isinstance(data, list) else [v for v in data.values() if isinstance(v, list)]
        if isinstance(data, dict):
            payloads.append(data)  # a per-job body is a payload of its own
        payloads += [item for items in lists for item in items if isinstance(item, dict)]
    return payloads


def test_every_corpus_payload_gives_the_same_bytes():
    payloads = corpus_payloads()
    assert len(payloads) > 1000
    different = [i for i, p in enumerate(payloads) if ingest.payload_bytes(p) != reference_payload_bytes(p)]
    assert different == []


def test_an_ordinary_payload_takes_the_orjson_path(monkeypatch):
    def refuse(payload):
        raise AssertionError("the json path ran")

    monkeypatch.setattr(ingest, "_json_payload_bytes", refuse)
    payload = {"id": 12, "title": "SRE", "content": "&lt;p&gt;Go, 5+ years; e-mail us&lt;/p&gt;", "pay": 98000.5}
    assert ingest.payload_bytes(payload) == reference_payload_bytes(payload)
