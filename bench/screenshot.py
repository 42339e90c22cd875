"""The README's screenshot of ``jobscout serve``'s search page, made from the shared corpus.

    python -m bench.screenshot [--corpus ../shared/corpus] [--query "workplace=remote&skill=Python"]
                               [--out docs/images/serve-search.png]

Normalizes the corpus's recorded postings (``bench.corpus_postings``) into a throwaway SQLite database, serves the
web app on a loopback port, opens the search page in headless Chromium (``bench.browser``: Debian's ``chromium`` and
``chromium-driver``) and saves the screenshot. Prints the number of postings stored and the count the page shows.
Nothing here runs in the test suite.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.corpus_postings import DEFAULT_CORPUS, iter_items  # noqa: E402

DEFAULT_OUT = REPO / "docs" / "images" / "serve-search.png"
DEFAULT_QUERY = "workplace=remote&skill=Python"


def build_database(corpus: Path, url: str) -> int:
    """Every corpus posting the mappers can read, normalized and stored at ``url``; returns how many were stored."""
    from pipeline.normalize import normalize
    from pipeline.skills import skill_categories
    from storage.db import open_database
    from storage.ingest import Sighting, upsert_batch

    now = datetime.now(UTC)
    sightings = []
    for item in iter_items(corpus):
        raw = {"source": item.source, "board": item.board, "external_id": item.external_id, "url": item.url}
        try:
            posting = normalize({**raw, "payload": item.payload})
        except Exception:  # a payload the mappers cannot read is left out, as a crawl would drop it
            continue
        sightings.append(Sighting(posting, item.payload, posting.posted_at or now))
    _, Session = open_database(url)
    categories = skill_categories()
    for start in range(0, len(sightings), 500):
        with Session.begin() as session:
            upsert_batch(session, sightings[start : start + 500], categories)
    return len(sightings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--query", default=DEFAULT_QUERY, help="the search page's query string")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    if not (args.corpus / "sources").is_dir():
        parser.error(f"no corpus at {args.corpus} (its sources/ folder is missing)")

    from bench.browser import chromium, live_server, missing_browser

    if (why := missing_browser()) is not None:
        parser.error(why)
    from selenium.webdriver.common.by import By

    from crawler.web.app import create_app
    from storage.db import open_database, read_only_session_factory

    with tempfile.TemporaryDirectory(prefix="jobscout-screenshot-") as tmp:
        url = f"sqlite:///{tmp}/jobscout.db"
        stored = build_database(args.corpus, url)
        engine, _ = open_database(url)
        app = create_app(read_only_session_factory(engine), dialect="sqlite")
        with live_server(app) as base, chromium(args.width, args.height) as driver:
            driver.get(f"{base}/?{args.query}" if args.query else f"{base}/")
            shown = driver.find_element(By.ID, "result-count").get_attribute("data-count")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(args.out))
        engine.dispose()
    print(f"{stored} corpus postings stored; the search page ({args.query or 'no filter'}) shows {shown}")
    print(f"screenshot: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
