"""crawler/processes.py: the worker pools' start method."""

from __future__ import annotations

import multiprocessing
import threading

import pytest

from crawler.processes import worker_context


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here")
def test_a_process_with_threads_does_not_fork_its_workers():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        context, forked = worker_context(["pipeline.normalize"])
    finally:
        stop.set()
        thread.join()
    assert (context.get_start_method(), forked) == ("forkserver", False)


def test_a_single_threaded_process_forks_where_it_can(monkeypatch):
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    context, forked = worker_context(["pipeline.normalize"])
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    assert (context.get_start_method() == "fork", forked) == (can_fork, can_fork)
