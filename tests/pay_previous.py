"""``pipeline.pay``'s line gate (``_LINE_GATE``) as it was before issue 20's pass over the medium stages: its
period words as plain alternations (sorted longest first), where the gate now writes them as tries. Built from
pay's own tables, so both read the same words. tests/test_pay.py checks that both gates find the same matches
(start and group) on our cases, on generated lines and on every line with a digit of every corpus description."""

from __future__ import annotations

import re

from pipeline import pay

_GATE_UNIT = rf"(?:{pay._UNITS})(?![a-z])"
_GATE_PERIOD = (  # branches by first character: one or two tried per number
    r"\ ?(?:\+\ ?)?(?:(?:gross|net|brutto|netto|base|pro[- ]rata|salary|usd|eur)\ ?)?"
    rf"(?:/\ ?(?:per\ )?{_GATE_UNIT}"
    rf"|p(?:er\ {_GATE_UNIT}|ro\ {_GATE_UNIT}|/?{_GATE_UNIT}|\.?\ ?a(?![a-zäöü])|h(?![a-zäöü]))"
    rf"|a(?:n?\ {_GATE_UNIT}|nnual)|d(?:ie\ {_GATE_UNIT}|aily)|hourly|hr(?![a-zäöü])|yearly"
    r"|m(?:onthly|onatlich|tl)|weekly"
    r"|jährlich"
    rf"|(?:(?=[{pay._GROSS_FIRST}])(?:{pay._GROSS_WORDS})\ ?)?(?:(?=[{pay._PREP_FIRST}])"
    rf"(?:{pay._FOREIGN_PREP}|per|pro|/)\ ?)?"
    rf"(?=[{pay._FOREIGN_FIRST}])(?:{pay._FOREIGN_NOUN_ALT}|{pay._FOREIGN_ADVERB_ALT})(?![^\W\d_]))"
)
_S = pay._SYMBOL_CLASS
LINE_GATE = re.compile(
    rf"""[{_S}0-9](?:
        (?<=[{_S}])(?P<sym>)
      | {pay._NUM_START}(?:
          (?:{pay._GATE_BEFORE}|{pay._GATE_AFTER_CUR})(?P<cur>)
        | [0-9,.'’]*+\ ?[kK](?![a-z0-9])(?P<k>)
        | [0-9,.'’]*+(?:\ ?[kK])?(?:\ ?%)?(?:\ ?\+)?(?i:{_GATE_PERIOD})(?P<period>)
        | (?:[0-9]{{4}}|[0-9]{{0,2}}[,.'’\ ][0-9]{{3}}|[0-9]{{3}}(?<!19[0-9]{{2}})(?<!20[0-9]{{2}}))
          (?P<big>)
    ))""",
    re.VERBOSE,
)


def gate_walk(gate: re.Pattern[str], line: str) -> list[tuple[int, str | None]]:
    """(start, group) of each match ``pay._line_may_pay`` walks on ``line``: the first, then the first one starting
    after each."""
    out = []
    m = gate.search(line)
    while m is not None:
        out.append((m.start(), m.lastgroup))
        m = gate.search(line, m.start() + 1)
    return out
