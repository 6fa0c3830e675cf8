"""The casebook lock: one writer at a time, between threads and between processes."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path

import pytest

from toolkit.casebook.lock import CasebookBusyError, casebook_lock, lock_path


def test_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    events: list[str] = []
    inside = threading.Event()

    def first() -> None:
        with casebook_lock(tmp_path):
            events.append("first in")
            inside.set()
            time.sleep(0.3)
            events.append("first out")

    def second() -> None:
        inside.wait()
        with casebook_lock(tmp_path):
            events.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert events == ["first in", "first out", "second in"]


def _hold(
    root: str, ready: multiprocessing.synchronize.Event, go: multiprocessing.synchronize.Event
) -> None:
    with casebook_lock(Path(root)):
        ready.set()
        go.wait(10)


def test_a_lock_held_by_another_process_gives_a_clear_message(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready, go = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(str(tmp_path), ready, go))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(CasebookBusyError) as caught, casebook_lock(tmp_path, timeout=0.2):
            pass
        assert str(tmp_path) in str(caught.value)
    finally:
        go.set()
        holder.join(30)
    with casebook_lock(tmp_path, timeout=1):
        pass


def test_lock_is_reentrant_in_one_thread_and_hidden(tmp_path: Path) -> None:
    with casebook_lock(tmp_path), casebook_lock(tmp_path, timeout=0.1):
        pass
    assert lock_path(tmp_path).name.startswith(".")
