"""``jobscout export``: every posting the filters select, streamed in constant memory to CSV, JSON lines or Parquet.

Rows are read ``yield_per`` at a time (a server-side cursor on PostgreSQL) and written as they arrive; Parquet is
written one row group per ``ROW_GROUP`` postings. A file given with ``--output`` is written under a temporary name
and renamed when complete, so an interrupted export never leaves a truncated file behind. A destination that cannot
be written (read-only, missing directory) is one line and exit 2; a disk that fills while writing, one line and
exit 1; neither leaves the temporary file behind.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import click

from crawler.commands.filters import build_filters, filter_options, pop_filter_params
from crawler.commands.options import db_option
from crawler.commands.output import write_csv
from crawler.context import AppContext, RuntimeFault, UserError
from storage.flat import COLUMNS, flat_row, loader_options

PARQUET_INSTALL_HINT = 'pip install -e ".[parquet]"'
EXPORT_FORMATS = ("csv", "jsonl", "parquet")
YIELD_PER = 1000
ROW_GROUP = 10_000


@click.command()
@filter_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    help="Required: csv (skills ;-separated; text cells starting with = + - @ tab or CR get a leading ', "
    "docs/export.md), jsonl (schema v1 postings) or parquet (skills a list; needs pyarrow).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE (default: standard output; parquet needs a file).",
)
@db_option
@click.pass_obj
def export(app: AppContext, fmt: str | None, output: Path | None, **kwargs) -> int:
    """Export the postings the filters select (open backend roles unless --include-closed / --all-roles), oldest
    id first, streamed: memory stays flat however many postings there are."""
    from crawler.commands.query import app_rates
    from storage import models
    from storage.query import build_select

    if fmt is None:  # checked here: click's own message for a missing choice spans several lines
        raise UserError(f"export needs --format {'|'.join(EXPORT_FORMATS)}")
    filters = build_filters(pop_filter_params(kwargs))
    if fmt == "parquet":
        _require_pyarrow()
        if output is None:
            raise UserError("--format parquet writes a file: give --output FILE.parquet")
    engine, _ = app.database()
    # The rates `jobscout query` uses (an `fx update` file when there is one), so --min-pay selects the same rows.
    rates = app_rates(app)
    stmt = build_select(filters, engine.dialect.name, rates).order_by(None).order_by(models.Posting.id)
    if fmt != "jsonl":  # only schema v1 lists every source
        stmt = stmt.options(*loader_options())
    stmt = stmt.execution_options(yield_per=YIELD_PER)

    with app.read_session() as session:
        rows = session.scalars(stmt)
        count = _write_text(rows, fmt, sys.stdout) if output is None else _write_file(rows, fmt, output)
    if output is not None:
        click.echo(f"{count} postings written to {output}", err=True)
    return 0


def _write_file(rows, fmt: str, output: Path) -> int:
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    try:
        if fmt == "parquet":
            count = _write_parquet(rows, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as out:
                count = _write_text(rows, fmt, out)
        os.replace(tmp, output)
    except OSError as exc:
        _discard(tmp)
        message = f"cannot write {output}: {exc.strerror or exc}"
        if exc.errno in _DESTINATION_ERRNOS:  # the --output the user gave: another path fixes it
            raise UserError(message) from None
        raise RuntimeFault(message) from None  # a full disk, an I/O error: the environment's fault
    except BaseException:
        _discard(tmp)
        raise
    return count


# Errors that say the destination cannot be written at all (read-only, no permission, no such directory): bad
# input, exit 2. Any other (ENOSPC, EIO, EDQUOT) is a fault while writing: exit 1.
_DESTINATION_ERRNOS = frozenset(
    {errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG}
)


def _discard(tmp: Path) -> None:
    """Remove the temporary file, if there is one; never raise (on a read-only file system even unlinking a file
    that does not exist fails with EROFS, and that must not hide the first error)."""
    with contextlib.suppress(OSError):
        tmp.unlink(missing_ok=True)


def _write_text(rows, fmt: str, out: TextIO) -> int:
    if fmt == "csv":
        return write_csv(rows, out)
    from storage.mapping import to_schema

    count = 0
    for row in rows:
        out.write(json.dumps(to_schema(row).to_dict(), ensure_ascii=False) + "\n")
        count += 1
    return count


# --- parquet -------------------------------------------------------------------------------------------------
def _require_pyarrow() -> None:
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise UserError(f"--format parquet needs pyarrow, which is not installed: {PARQUET_INSTALL_HINT}") from None


# A flat column's kind (storage.flat.KINDS) -> its Parquet type; datetimes are stored as UTC timestamps.
def parquet_schema():
    import pyarrow as pa

    types = {
        "int": pa.int64(),
        "float": pa.float64(),
        "text": pa.string(),
        "bool": pa.bool_(),
        "datetime": pa.timestamp("us", tz="UTC"),
        "list": pa.list_(pa.string()),
    }
    return pa.schema([(c.name, types[c.kind]) for c in COLUMNS])


def _write_parquet(rows, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    names = schema.names
    count = 0

    def empty() -> dict[str, list[Any]]:
        return {name: [] for name in names}

    columns = empty()
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for row in rows:
            for name, value in flat_row(row).items():
                columns[name].append(value)
            count += 1
            if count % ROW_GROUP == 0:
                writer.write_table(pa.Table.from_pydict(columns, schema=schema), row_group_size=ROW_GROUP)
                columns = empty()
        if count % ROW_GROUP or not count:
            writer.write_table(pa.Table.from_pydict(columns, schema=schema), row_group_size=ROW_GROUP)
    return count
