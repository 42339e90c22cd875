"""We Work Remotely's RSS dates as they were read before the pattern for WWR's own form
(pipeline.sources.weworkremotely._rfc822): every date through email.utils' parsedate_to_datetime.
tests/test_sources_weworkremotely.py checks that both give the same datetime."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from pipeline.sources.common import parse_datetime


def reference_rfc822(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return parse_datetime(value)  # an ISO 8601 date, if the feed ever switches
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)
