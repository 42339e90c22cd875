"""The start method of jobscout's worker pools (the crawl's normalize pool, ``jobscout normalize --jsonl``)."""

from __future__ import annotations

import multiprocessing
import threading
from multiprocessing.context import BaseContext


def worker_context(preload: list[str]) -> tuple[BaseContext, bool]:
    """(the context to start workers with, whether they are forked from this process).

    ``fork`` while this process has one thread: the workers inherit everything it imported and built, and start at
    once. Otherwise ``forkserver`` with ``preload`` imported by its server (forking a process with threads can
    deadlock the child), or ``spawn`` where neither exists (Windows)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork"), True
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(preload)
        return context, False
    return multiprocessing.get_context("spawn"), False
