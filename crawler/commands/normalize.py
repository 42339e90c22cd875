"""``jobscout normalize``: normalize postings given as text, HTML or JSON lines, and print schema v1."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import sys
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

import click

from crawler.commands.options import format_option
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
    from pipeline.normalize import normalize_text

    if jsonl:
        from crawler.settings import cores

        errors = 0
        for outputs, skipped in _jsonl_results(_blocks(file), processes or cores()):
            if outputs:
                sys.stdout.write("".join(outputs))
            for message in skipped:
                click.echo(f"jobscout: {message}", err=True)
            errors += len(skipped)
        return 1 if errors else 0
    if processes is not None:
        raise UserError("--processes applies to --jsonl input only")

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


# Lines per block: one normalize_texts call (stage by stage over its postings) and, with --processes, one task.
BLOCK_LINES = 64

Block = list[tuple[int, str]]  # (line number, line)


def _blocks(file: Iterable[str]) -> Iterator[Block]:
    block: Block = []
    for number, line in enumerate(file, 1):
        if line.strip():
            block.append((number, line))
            if len(block) == BLOCK_LINES:
                yield block
                block = []
    if block:
        yield block


def normalize_block(block: Block) -> tuple[list[str], list[str]]:
    """One block of JSON lines -> (the output lines, one message per skipped line), in input order. What each
    worker process runs; a line that is not a JSON object, or whose posting raised, is skipped and named."""
    from pipeline.normalize import normalize_texts

    numbers: list[int] = []
    records: list[dict] = []
    skipped: list[tuple[int, str]] = []
    for number, line in block:
        try:
            record = json.loads(line)
        except ValueError as exc:
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
    return outputs, [f"line {number}: skipped: {why}" for number, why in sorted(skipped)]


def _jsonl_results(blocks: Iterator[Block], processes: int) -> Iterator[tuple[list[str], list[str]]]:
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
    # fork while this process has one thread: the workers inherit the parsers imported and warmed by the first
    # block and start at once, where forkserver's fresh workers take seconds to import them. forkserver otherwise
    # (tests, an embedding program), since forking a process with threads can deadlock the child.
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        context = multiprocessing.get_context("fork")
    else:
        context = multiprocessing.get_context("spawn" if sys.platform == "win32" else "forkserver")
        if sys.platform != "win32":
            context.set_forkserver_preload(["pipeline.normalize"])
    with ProcessPoolExecutor(max_workers=processes, mp_context=context) as pool:
        pending: deque = deque()
        for block in blocks:
            pending.append(pool.submit(normalize_block, block))
            if len(pending) >= 2 * processes:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
