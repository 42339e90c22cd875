"""How many ATS boards the aggregator bodies of the corpus link to, and how many of them the shipped registry lacks.

Usage: ``python -m bench.discover_boards ../shared/corpus`` (prints a table per platform). Reads every recorded body
of the aggregator sources (HN, RemoteOK, Remotive, Arbeitnow, We Work Remotely's RSS, JSON-LD pages) as text and
finds board URLs with :func:`crawler.board_urls.board_refs`, the function board discovery runs over stored postings.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from crawler.board_urls import board_refs
from crawler.registry import load_shipped
from pipeline.platforms import token_key

AGGREGATORS = ("hn", "remoteok", "remotive", "arbeitnow", "rss", "jsonld_html")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the corpus folder (../shared/corpus)")
    args = parser.parse_args()
    sources = args.corpus / "sources"
    refs = set()
    files = 0
    for name in AGGREGATORS:
        for path in sorted((sources / name).rglob("*")):
            if path.is_file():
                files += 1
                refs |= board_refs([path.read_text(encoding="utf-8", errors="replace")])

    def key(source: str, token: str) -> tuple[str, str]:
        return source, token_key(source, token)

    shipped = {key(b.source, b.token) for b in load_shipped()}
    shipped_folded = {(s, t.lower()) for s, t in shipped}
    found = Counter(r.source for r in refs)
    new = Counter(r.source for r in refs if key(r.source, r.token) not in shipped)
    new_any_case = Counter(r.source for r in refs if (r.source, r.token.lower()) not in shipped_folded)
    print(f"{files} aggregator bodies read; distinct boards linked, and how many the shipped registry lacks")
    print(f"{'platform':<16} {'linked':>7} {'new':>5} {'new (any case)':>15}")
    for source in sorted(found):
        print(f"{source:<16} {found[source]:>7} {new[source]:>5} {new_any_case[source]:>15}")
    print(f"{'all':<16} {sum(found.values()):>7} {sum(new.values()):>5} {sum(new_any_case.values()):>15}")


if __name__ == "__main__":
    main()
