"""Grow a database pre-filled by ``bench.bench_query`` K-fold by copying its rows in SQL (PostgreSQL or SQLite).

    python -m bench.grow_db URL --times 10

``bench_query`` writes every posting through ``storage.ingest.upsert_batch`` (dedup lookups, ORM inserts): about
250 postings/s on a shared 2-core machine, so a million take over an hour per backend. This copies the postings
(and their sources, keys, skills, locations and changes) that ``upsert_batch`` wrote, ``times - 1`` more times,
inside the database: copy ``k`` gets ids offset by ``k * M`` (``M`` a power of ten above the largest id, so the
"every tenth posting closed" pattern of bench_query is kept), external ids and URLs suffixed ``~k``, and dedup
keys rewritten so none collides. Values, dates, companies and skills are the original rows' (the distributions
are the pre-filled database's; only the size changes). The full-text index follows through its triggers
(SQLite) or generated column (PostgreSQL). PostgreSQL is ANALYZEd at the end.

Used for the 1M databases of docs/scale.md where an upsert_batch load did not fit the session (it says which).
"""

from __future__ import annotations

import argparse
import sys
import time

from sqlalchemy import create_engine, text

from storage import models
from storage.db import normalize_url

# (table, {column: SQL expression over the original row, with {k} the copy number and {P}/{S}/{C} id offsets})
REWRITES: dict[str, dict[str, str]] = {
    "postings": {"id": "id + {P}", "external_id": "external_id || '~{k}'", "url": "url || '~{k}'"},
    "posting_sources": {
        "id": "id + {S}",
        "posting_id": "posting_id + {P}",
        "external_id": "external_id || '~{k}'",
        "url": "url || '~{k}'",
    },
    "posting_keys": {"key": "key || '~{k}'", "posting_id": "posting_id + {P}"},
    "posting_skills": {"posting_id": "posting_id + {P}"},
    "posting_locations": {"posting_id": "posting_id + {P}"},
    "posting_changes": {"id": "id + {C}", "posting_id": "posting_id + {P}"},
}
ID_OF = {"postings": "id", "posting_sources": "id", "posting_changes": "id"}


def offset_base(largest: int) -> int:
    base = 10
    while base <= largest:
        base *= 10
    return base


def grow(url: str, times: int) -> None:
    engine = create_engine(url)  # not storage.db.open_database: the schema stays at the revision it was loaded with
    tables = models.Base.metadata.tables
    with engine.begin() as conn:
        largest = {t: conn.scalar(text(f"SELECT coalesce(max({c}), 0) FROM {t}")) for t, c in ID_OF.items()}
        limit = {t: largest[t] for t in ID_OF}
        bases = {t: offset_base(n) for t, n in largest.items()}
        print(f"copying {largest['postings']:,} postings {times - 1} more times", file=sys.stderr)
    for k in range(1, times):
        started = time.perf_counter()
        offsets = {"k": k, "P": k * bases["postings"], "S": k * bases["posting_sources"]}
        offsets["C"] = k * bases["posting_changes"]
        with engine.begin() as conn:
            for name, rewrites in REWRITES.items():
                columns = [c.name for c in tables[name].columns]
                exprs = [rewrites.get(c, c).format(**offsets) for c in columns]
                # Only the original rows (by the posting they belong to), never an earlier copy.
                owner = "id" if name == "postings" else "posting_id"
                conn.execute(
                    text(
                        f"INSERT INTO {name} ({', '.join(columns)}) SELECT {', '.join(exprs)} FROM {name} "
                        f"WHERE {owner} <= {limit['postings']}"
                    )
                )
        print(f"  copy {k}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for name in ("postings", "posting_sources", "posting_changes"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {name}))"
                    )
                )
            conn.execute(text("ANALYZE"))
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="a database pre-filled by bench.bench_query --keep")
    parser.add_argument("--times", type=int, default=10, help="the size to reach, as a multiple (default 10)")
    args = parser.parse_args(argv)
    grow(normalize_url(args.url), args.times)
    return 0


if __name__ == "__main__":
    sys.exit(main())
