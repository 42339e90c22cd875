"""Facts about ATS platforms that every layer needs: how a platform compares board tokens.

Two spellings of a token name the same board when the platform compares tokens without case (a host name, a
lower-case identifier); Ashby's job-board names and SmartRecruiters' company identifiers are documented as
case-sensitive, and platforms whose case rules are not documented are compared exactly. The reason for each is in
the docstring of ``bench/build_registry.py`` and in docs/registry.md.
"""

from __future__ import annotations

CASE_INSENSITIVE = frozenset(
    {"greenhouse", "workable", "workday", "recruitee", "personio", "pinpoint", "bamboohr", "breezy", "teamtailor"}
)


def token_key(source: str, token: str) -> str:
    """``token`` as ``source`` compares it: the key of one board (lower case where the platform has no case)."""
    token = token.strip()
    return token.lower() if source in CASE_INSENSITIVE else token
