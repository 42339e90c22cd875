"""Probing boards: one request per board to learn whether it exists (``jobscout boards check``, ``discover --probe``).

A probe requests the board's listing URL (:meth:`crawler.spiders.base.JobSpider.board_probe_url`)
and reads the status only: 2xx is an answer (the board exists), 404 or 410 is "no such board", anything else -- a
network error, a timeout, a 5xx, a 429 -- proves nothing (:class:`storage.boards.Answer`). Probes are polite: boards
of one host are probed one at a time, at most ``rate`` requests per second, with the crawler's User-Agent, and a 429
or 503 with ``Retry-After`` pauses that host for as long as it asks (capped). Hosts are probed in parallel.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from storage.boards import Answer

#: Longest pause a Retry-After header may ask of a probe, in seconds.
MAX_RETRY_AFTER = 120.0


@dataclass(frozen=True, slots=True)
class Target:
    source: str
    token: str
    url: str


def classify(status: int | None, error: str | None = None) -> Answer:
    """The answer an HTTP status (None: no response at all) gives about a board."""
    if status is not None and 200 <= status < 300:
        return Answer(ok=True)
    if status in (404, 410):
        return Answer(missing=True, error=f"board not found (HTTP {status})")
    return Answer(error=error or f"HTTP {status}")


def _retry_after(value: str | None) -> float:
    try:
        return min(max(float(value or 0), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return 0.0


def probe_one(url: str, user_agent: str, timeout: float) -> tuple[Answer, float]:
    """Probe ``url`` once: its answer and how long the host asked us to wait (Retry-After, seconds)."""
    request = Request(url, headers={"User-Agent": user_agent, "Accept": "application/json, */*;q=0.5"})
    try:
        with urlopen(request, timeout=timeout) as response:
            response.read(1)
            return classify(response.status), 0.0
    except HTTPError as exc:
        wait = _retry_after(exc.headers.get("Retry-After")) if exc.code in (429, 503) else 0.0
        return classify(exc.code), wait
    except (URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return classify(None, f"unreachable: {reason}"), 0.0


def probe_all(
    targets: Iterable[Target],
    *,
    user_agent: str,
    timeout: float = 20.0,
    rate: float = 2.0,
    hosts_at_once: int = 8,
    on_answer: Callable[[Target, Answer], None] | None = None,
) -> dict[Target, Answer]:
    """Probe every target; ``rate`` is requests per second per host (0: no pause). ``on_answer`` is called from the
    probing threads as answers arrive (keep it thread-safe)."""
    by_host: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        by_host[urlsplit(target.url).netloc.lower()].append(target)
    answers: dict[Target, Answer] = {}
    interval = 1.0 / rate if rate > 0 else 0.0

    def run_host(host_targets: list[Target]) -> None:
        for index, target in enumerate(host_targets):
            answer, wait = probe_one(target.url, user_agent, timeout)
            answers[target] = answer
            if on_answer is not None:
                on_answer(target, answer)
            if index + 1 < len(host_targets):
                time.sleep(max(interval, wait))

    with ThreadPoolExecutor(max_workers=max(1, min(hosts_at_once, len(by_host) or 1))) as pool:
        list(pool.map(run_host, by_host.values()))
    return answers
