"""What spiders yield: one raw posting, the payload exactly as the source sent it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any


@dataclass(slots=True)
class RawPosting:
    source: str  # spider/source name, e.g. "greenhouse"
    board: str  # the board/company/feed within the source, e.g. a Greenhouse board token
    external_id: str  # the source's id of the posting, unique within (source, board)
    url: str | None  # the posting's public page
    payload: dict[str, Any]  # one posting as received (JSON object, or the fields read from an RSS item/HTML page)
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The board's company display name from the boards table ("Spotify" for the Lever board "spotify"): names the
    # company when the payload names none or only echoes the token (pipeline.normalize.normalize's ``company``).
    company: str | None = None
