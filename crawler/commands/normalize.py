"""``jobscout normalize``: normalize postings given as text, HTML or JSON lines, and print schema v1."""

from __future__ import annotations

import itertools
import json
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import IO

import click

from crawler.commands.options import format_option
from crawler.config import ConfigError
from crawler.context import UserError


@click.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option("--title", help="The posting's title (default: the first line of the text).")
@click.option("--location", help="The posting's location string.")
@click.option("--company", help="The posting's company.")
@click.option(
    "--jsonl",
    "jsonl",
    is_flag=True,
    help='Read JSON lines {"title", "description", "location", "company"}; write one posting per line.',
)
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=None,
    help="With --jsonl: worker processes that normalize blocks of lines, output in input order (default: one per "
    "core, started only when the input has more than one block of 64 lines; 1: all in this process).",
)
@format_option("table", "json", default="json")
def normalize(file, title, location, company, jsonl, processes, fmt) -> int:
    """Normalize one posting from FILE (text or HTML; '-' for stdin) and print it as schema v1."""
    _use_compile_cache()
    if jsonl:
        from crawler.settings import cores

        errors = 0
        out = _byte_output()
        for outputs, skipped in _jsonl_results(_blocks(_byte_lines(file)), processes or cores()):
            if outputs:
                out(outputs)
            for message in skipped:
                click.echo(f"jobscout: {message}", err=True)
            errors += len(skipped)
        return 1 if errors else 0
    if processes is not None:
        raise UserError("--processes applies to --jsonl input only")

    from pipeline.normalize import normalize_text

    text = file.read()
    if not text.strip():
        raise UserError("no posting text given (empty input)")
    posting = normalize_text(text, title=title, location=location, company=company)
    data = posting.to_dict()
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        for key, value in data.items():
            if key != "description_text":
                click.echo(f"{key:<22} {json.dumps(value, ensure_ascii=False)}")
    return 0


def _use_compile_cache() -> None:
    """Load the parsers' compiled keyword sets from the user's cache directory (pipeline.compile_cache): most of a
    short run's time is building them otherwise."""
    from pipeline import compile_cache

    try:
        from crawler.settings import cache_dir
    except ConfigError:  # a broken config file: the commands that read it say so, and --jsonl below does
        return
    compile_cache.configure(cache_dir())


# Lines per block: one normalize_texts call (stage by stage over its postings) and, with --processes, one task.
BLOCK_LINES = 64

Block = tuple[int, bytes]  # (the number of its first line, its lines as read, blank ones too)


def _byte_lines(file: IO[str]) -> Iterable[bytes]:
    """The input's lines as bytes: the blocks are sent to the workers as read, and each worker decodes its own."""
    raw = getattr(file, "buffer", None)
    if raw is not None:
        return iter(raw.readline, b"")  # click's stdin wrapper has readline but is not iterable
    return (line.encode("utf-8", "surrogatepass") for line in file)  # a text stream without bytes under it


def _byte_output() -> Callable[[bytes], None]:
    stdout = sys.stdout
    raw = getattr(stdout, "buffer", None)
    if raw is None:
        return lambda data: stdout.write(data.decode("utf-8"))

    def write(data: bytes) -> None:
        stdout.flush()  # whatever went through the text layer first stays first
        raw.write(data)

    return write


def _blocks(lines: Iterable[bytes]) -> Iterator[Block]:
    """Blocks of ``BLOCK_LINES`` non-blank lines (the last one shorter), as one bytes object each: the parent only
    splits the input, the workers parse it."""
    start, chunk, filled = 1, [], 0
    for number, line in enumerate(lines, 1):
        chunk.append(line)
        if line.strip():
            filled += 1
            if filled == BLOCK_LINES:
                yield start, b"".join(chunk)
                start, chunk, filled = number + 1, [], 0
    if filled:
        yield start, b"".join(chunk)


def normalize_block(block: Block) -> tuple[bytes, list[str]]:
    """One block of JSON lines -> (the output lines as UTF-8, one message per skipped line), in input order. What
    each worker process runs: it parses the JSON, normalizes and serializes, so that the parent only moves bytes. A
    line that is not a JSON object (or not UTF-8), or whose posting raised, is skipped and named."""
    from pipeline.normalize import normalize_texts

    start, raw = block
    numbers: list[int] = []
    records: list[dict] = []
    skipped: list[tuple[int, str]] = []
    for number, line in enumerate(raw.split(b"\n"), start):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:  # UnicodeDecodeError too
            skipped.append((number, str(exc)))
            continue
        if not isinstance(record, dict):
            skipped.append((number, "not a JSON object"))
            continue
        numbers.append(number)
        records.append(record)
    outputs: list[str] = []
    for number, result in zip(numbers, normalize_texts(records), strict=True):
        if isinstance(result, Exception):
            skipped.append((number, str(result) if isinstance(result, ValueError) else repr(result)))
        else:
            outputs.append(result.to_json() + "\n")
    text = "".join(outputs).encode("utf-8", "surrogatepass")
    return text, [f"line {number}: skipped: {why}" for number, why in sorted(skipped)]


def _jsonl_results(blocks: Iterator[Block], processes: int) -> Iterator[tuple[bytes, list[str]]]:
    """Each block's results in input order. The first block is normalized here, which also warms the parsers'
    tables; a pool of ``processes`` workers starts only when a second block follows (a short input never pays for
    one), with at most two blocks per worker in flight (a large file is streamed, never read whole)."""
    blocks = iter(blocks)
    first = next(blocks, None)
    if first is None:
        return
    yield normalize_block(first)
    if processes == 1:
        yield from map(normalize_block, blocks)
        return
    second = next(blocks, None)
    if second is None:
        return
    blocks = itertools.chain([second], blocks)
    # Forked workers inherit the parsers imported and warmed by the first block and start at once; forkserver's
    # (tests, an embedding program) import them and load their tables, from the compile cache when there is one.
    from crawler.processes import worker_context

    context, _ = worker_context(["pipeline.normalize"])
    from pipeline import compile_cache

    with ProcessPoolExecutor(
        max_workers=processes,
        mp_context=context,
        initializer=compile_cache.configure,
        initargs=(compile_cache.directory(),),
    ) as pool:
        pending: deque = deque()
        for block in blocks:
            pending.append(pool.submit(normalize_block, block))
            if len(pending) >= 2 * processes:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
