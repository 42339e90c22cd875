"""crawler.runner's progress callback (what `jobscout crawl` shows on a terminal): drops are counted as they
happen, not only in the summary. Runs a crawl in a child process (Twisted's reactor runs once per process)."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.crawling import FIXTURES, jobscout_env

CHILD = """
import json, os, sys
from crawler.config import resolve
from crawler.runner import run_crawl, scrapy_settings

settings = scrapy_settings(resolve(dict(os.environ)), "WARNING", {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False})
seen = []
result = run_crawl(
    settings, "greenhouse", {"boards": "acme", "base_url": sys.argv[1]},
    progress=lambda p: seen.append([p.fetched, p.dropped]),
)
print(json.dumps({"status": result.status, "seen": seen}))
"""


def test_progress_counts_drops_as_they_happen(http_server, tmp_path):
    body = json.loads((FIXTURES / "greenhouse" / "acme.json").read_text())
    body["jobs"][1]["title"] = "   "  # dropped: missing_title
    http_server.add("/v1/boards/acme/jobs", json.dumps(body))
    result = subprocess.run(
        [sys.executable, "-c", CHILD, http_server.url],
        env=jobscout_env(tmp_path, f"sqlite:///{tmp_path}/p.db"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    seen = report["seen"]
    # One call per posting, kept or dropped; the drop counted at the second posting, not at the end.
    assert seen == [[1, 0], [2, 1], [3, 1], [4, 1], [5, 1]]
    assert "dropped greenhouse/acme/" in result.stderr and "missing_title" in result.stderr
